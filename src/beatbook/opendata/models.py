"""police.uk open data as loaded: street-level crime, outcomes, and stop and search.

Each row names the import that loaded it (``records.SourceFile``).

These tables are written only by the bulk loaders in ``opendata.ingest`` (COPY on PostgreSQL;
on SQLite Arrow-bound inserts through ADBC, or batched executemany inside a caller's
transaction: ADR 6), never one ORM ``save()`` per row.
"""

from __future__ import annotations

from django.db import models

from beatbook.places.models import Force, Neighbourhood
from beatbook.records.models import SourceFile


class Location(models.Model):
    """A police.uk snap point: the anonymised place a crime is published at.

    ``id`` is derived from the point itself (see ``opendata.ingest.locations``), so the same
    point gets the same id on every server and every reload: the ``street.id`` of the API.
    Stop-and-search files give coordinates without a street name, so their points are kept
    with an empty ``name`` (and so an id of their own).
    """

    id = models.BigIntegerField(primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    name = models.CharField(max_length=200, help_text="As published: 'On or near Market Street'.")
    easting = models.IntegerField()
    northing = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_latlng")]

    def __str__(self) -> str:
        return self.name


class Crime(models.Model):
    """One row of a police.uk street-level crime file.

    Indexes are kept few because every one is paid for on every load: measured on Merseyside's
    44 months (627k rows, one transaction per file, SQLite), the three below cost about a
    third less CPU to load than the six first planned, and each remaining one leads with
    ``month`` or ``(force, month)`` so that a month's rows go into a fresh, contiguous part of
    it. (An index led by a hash, ``persistent_id`` or the hashed ``location_id``, puts each
    new row on a random page of an index that grows every month; that doubled load times.)
    Queries the dropped indexes served go through ``opendata.selectors``: crimes at a location
    use its coordinates (``crime_month_latlng``); crimes of a neighbourhood or LSOA name the
    force (``crime_force_month``) and filter the month's rows; a Crime ID lookup names the
    months. Foreign keys get no index of their own: none is filtered on alone, and Force,
    Location and SourceFile rows are never deleted.

    Nor do they get a database constraint: PostgreSQL checks one with a trigger per row per
    key, which made a COPY of 627k rows several times slower, and SQLite a lookup per row per
    key. The ingest is the only writer and sets every key from rows it has just validated or
    written in the same transaction (forces from the Force table, locations inserted first,
    the SourceFile created first, neighbourhoods from the boundaries); ``on_delete`` still
    applies, as Django carries it out.
    """

    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Reported by.",
        db_index=False,
        db_constraint=False,
    )
    falls_within = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
    )
    month = models.CharField(max_length=7)
    persistent_id = models.CharField(
        max_length=64, blank=True, help_text="Empty for anti-social behaviour."
    )
    category = models.CharField(max_length=40, help_text="police.uk category slug.")
    outcome = models.CharField(
        max_length=120, blank=True, help_text="Last outcome category, as published."
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=120, blank=True)
    context = models.TextField(blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source = models.ForeignKey(
        SourceFile, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        indexes = [
            # Replacing a (force, month) on reload; a force's (or neighbourhood's) months.
            models.Index(fields=["force", "month"], name="crime_force_month"),
            # The API's area and location queries: one month, then a latitude band.
            models.Index(fields=["month", "latitude", "longitude"], name="crime_month_latlng"),
            # outcomes-for-crime and the outcomes join: a Crime ID within named months.
            models.Index(fields=["month", "persistent_id"], name="crime_month_persistent_id"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.month} {self.persistent_id[:8]}"


class Outcome(models.Model):
    """One row of a police.uk outcomes file: an outcome of a crime, in the month it happened."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    falls_within = models.ForeignKey(
        Force, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    month = models.CharField(max_length=7)
    persistent_id = models.CharField(max_length=64)
    outcome = models.CharField(max_length=120)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=120, blank=True)
    source = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["force", "month"], name="outcome_force_month"),
            models.Index(fields=["persistent_id"], name="outcome_persistent_id"),
            models.Index(fields=["month", "latitude", "longitude"], name="outcome_month_latlng"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} {self.month} {self.persistent_id[:8]}"


class StopAndSearch(models.Model):
    """One row of a police.uk stop-and-search file.

    ``month`` is the month of the file it came in; ``datetime`` is the published UTC time, which
    for a search just after midnight in summer falls on the last day of the previous month.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    month = models.CharField(max_length=7)
    datetime = models.DateTimeField()
    type = models.CharField(max_length=60)
    involved_person = models.BooleanField()
    part_of_policing_operation = models.BooleanField(null=True, blank=True)
    policing_operation = models.CharField(max_length=200, blank=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    age_range = models.CharField(max_length=20, blank=True)
    self_defined_ethnicity = models.CharField(max_length=120, blank=True)
    officer_defined_ethnicity = models.CharField(max_length=60, blank=True)
    legislation = models.CharField(max_length=200, blank=True)
    object_of_search = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=120, blank=True)
    outcome_linked_to_object_of_search = models.BooleanField(null=True, blank=True)
    removal_of_more_than_outer_clothing = models.BooleanField(null=True, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "stops and searches"
        indexes = [
            models.Index(fields=["force", "month"], name="stop_force_month"),
            models.Index(fields=["month", "latitude", "longitude"], name="stop_month_latlng"),
            models.Index(fields=["neighbourhood", "month"], name="stop_nbhd_month"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.datetime:%Y-%m-%d %H:%M} ({self.force_id})"
