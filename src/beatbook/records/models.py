"""The import record: every file that any import read, and what became of it.

Places (boundaries, LSOAs, postcodes, neighbourhoods) and open data (crime, outcomes, stop and
search) are both imported, and each import writes one ``SourceFile`` per file, whatever its
outcome. Caches are keyed on these rows (``records.versions``), so this app sits below both.
A record names its force by key: the import record refers to ``places`` through the database
only, never by a Python import.
"""

from __future__ import annotations

from django.db import models


class SourceKind(models.TextChoices):
    STREET = "street", "Street-level crime"
    OUTCOMES = "outcomes", "Outcomes"
    STOP_AND_SEARCH = "stop-and-search", "Stop and search"
    LSOA_BOUNDARIES = "lsoa-boundaries", "LSOA boundaries"
    LSOA_POPULATION = "lsoa-population", "LSOA population"
    LSOA_FORCES = "lsoa-forces", "LSOA to force lookup"
    NEIGHBOURHOODS = "neighbourhoods", "Neighbourhood boundaries"
    NEIGHBOURHOOD_BUILD = "neighbourhood-build", "Neighbourhoods built from LSOAs"
    POSTCODES = "postcodes", "Postcodes (Code-Point Open)"
    SURVEY_ANSWERS = "survey-answers", "Survey answers (a fieldwork file)"


class SourceStatus(models.TextChoices):
    LOADED = "loaded", "Loaded"
    REPLACED = "replaced", "Replaced by a later load"
    UNCHANGED = "unchanged", "Skipped: already loaded"
    FAILED = "failed", "Failed: nothing loaded"


class SourceFile(models.Model):
    """One file (or one member of a zip) that an import read, and what became of it."""

    kind = models.CharField(max_length=30, choices=SourceKind.choices)
    path = models.CharField(max_length=500, help_text="The file given to the import.")
    member = models.CharField(
        max_length=300, blank=True, help_text="The file inside a zip, if any."
    )
    sha256 = models.CharField(max_length=64)
    force = models.ForeignKey(
        "places.Force", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.CharField(
        max_length=7, blank=True, help_text="YYYY-MM, for monthly police.uk files."
    )
    status = models.CharField(max_length=12, choices=SourceStatus.choices)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_without_location = models.PositiveIntegerField(default=0)
    outcomes_changed = models.PositiveIntegerField(null=True, blank=True)
    rows_replaced = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(
        default=list, blank=True, help_text="Up to 100 {line, reason} samples."
    )
    rejection_counts = models.JSONField(
        default=dict, blank=True, help_text="Rows rejected, by reason."
    )
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table kept its first app's name when the model moved here (ADR 17).
        db_table = "opendata_sourcefile"
        ordering = ["-started_at", "-id"]
        indexes = [
            # "Is this (force, month, kind) already loaded, and from which file?"
            models.Index(
                fields=["kind", "force", "month", "status"], name="source_kind_force_month"
            ),
            models.Index(fields=["sha256"], name="source_sha256"),
        ]

    def __str__(self) -> str:
        name = self.member or self.path
        return f"{name} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
