"""Stored back-test summaries, and the background refresh that keeps them current (ADR 12).

One row per force, category, measure and cell size: the summary a forecast shows and picks its
default method from, stamped with the force's data version, and the state of the worker's
refresh of it (who holds it, since when, the last failure). The summary is a cache of a
computation anyone can rerun (``beatbook backtest``); it lives in the database, not in files,
so that every web process and worker, on any machine, sees the same one and can claim its
refresh with one conditional UPDATE.
"""

from __future__ import annotations

from django.db import models

from beatbook.places.models import Force


class Backtest(models.Model):
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40, help_text="police.uk slug, or all-crime.")
    measure = models.CharField(max_length=20, help_text="count, harm-cchi or harm-css.")
    cell_size = models.PositiveIntegerField(help_text="Metres.")
    data_version = models.CharField(
        max_length=120, blank=True, help_text="The force's data when the summary was made."
    )
    methods = models.JSONField(default=list, blank=True, help_text="Methods back-tested.")
    month_from = models.CharField(max_length=7, blank=True)
    month_to = models.CharField(max_length=7, blank=True)
    area_source = models.CharField(max_length=120, blank=True)
    rows = models.JSONField(
        default=list, blank=True, help_text="Summary rows (analysis.backtest.summarise)."
    )
    made_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # The background refresh: a worker holds the row until ``claimed_until`` (a lease, so a
    # worker that dies lets another take over), under a token only it knows.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    refresh_started_at = models.DateTimeField(null=True, blank=True)
    refresh_failed_at = models.DateTimeField(null=True, blank=True)
    refresh_failed_version = models.CharField(max_length=120, blank=True)
    refresh_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "category", "measure", "cell_size"], name="backtest_one_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.force_id} {self.category} {self.measure} {self.cell_size} m"


class BacktestScore(models.Model):
    """One method's back-test scores for one month: its forecast of that month, made from the
    36 months before it only, on the study area of that month, scored at every coverage.

    A month's scores depend on nothing but those months, so every back-test (the command's,
    the worker's, a forecast's quick one) reuses them while ``inputs`` (a digest of the street
    files of those months, the LSOA data, the harm table, the seed and the scoring code) still
    matches, and a forecast of month M chooses its method from the scores of months before M.
    """

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40)
    measure = models.CharField(max_length=20)
    cell_size = models.PositiveIntegerField(help_text="Metres.")
    month = models.CharField(max_length=7, help_text="The month forecast and scored.")
    method = models.CharField(max_length=40)
    inputs = models.CharField(max_length=64, help_text="Digest of what the scores depend on.")
    scores = models.JSONField(default=list, help_text="Per coverage: analysis.metrics.Score.")
    seconds = models.FloatField(default=0.0)
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "category", "measure", "cell_size", "month", "method"],
                name="backtest_score_one_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.force_id} {self.category} {self.measure} {self.month} {self.method}"


class AnalysisResult(models.Model):
    """A finished result of an analysis page (``insights.stored_results``), kept in the database.

    One row per page and settings (``key``: a digest of the kind and its parameters). Every web
    process and worker reads and writes the same rows, so a result made once (by the worker
    after an import, or on a page's first request) is served to every process until the data
    it was made from changes (``version``).
    """

    key = models.CharField(max_length=64, unique=True, help_text="Digest of kind and settings.")
    kind = models.CharField(max_length=20, help_text="hotspots, trends or forecast.")
    params = models.JSONField(default=dict, help_text="The settings, as the worker reads them.")
    force_ids = models.JSONField(
        default=list, help_text="The forces whose data the result shows: who may see it."
    )
    version = models.CharField(
        max_length=200, blank=True, help_text="The data the stored result was made from."
    )
    payload = models.BinaryField(null=True, blank=True, help_text="The result, compressed JSON.")
    error = models.TextField(blank=True, help_text="Why the settings give no result, if so.")
    made_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="Time taken to make it.")
    # Being made: by whom (a token only the maker knows) and until when (a lease, so a maker
    # that died lets another take over), and from which data.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_version = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind"], name="analysis_result_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:12]}"
