"""Admin for forces and places. Boundaries (big GeoJSON) stay out of the change lists."""

from __future__ import annotations

from django.contrib import admin

from beatbook.core.admin_fields import HTTPS_URL_FIELDS
from beatbook.places.models import AreaName, Force, Lsoa, Neighbourhood, Postcode


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "id", "telephone", "listed"]
    list_filter = ["listed"]
    search_fields = ["id", "name"]


@admin.register(Lsoa)
class LsoaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "code",
        "name",
        "census_year",
        "msoa_name",
        "local_authority_name",
        "force",
        "population_2011",
        "population_2021",
        "households_2011",
    ]
    list_filter = ["census_year", "force"]
    search_fields = ["code", "name", "msoa_code", "msoa_name", "local_authority_name"]
    list_select_related = ["force"]
    # The boundary is kept for imports to change; the admin shows it but does not edit it.
    readonly_fields = [
        "boundary",
        "min_lat",
        "max_lat",
        "min_lng",
        "max_lng",
        "centre_lat",
        "centre_lng",
    ]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "code", "force", "population", "source", "updated_at"]
    list_filter = ["force"]
    search_fields = ["name", "code"]
    list_select_related = ["force"]
    raw_id_fields = ["lsoas"]
    readonly_fields = [
        "boundary",
        "min_lat",
        "max_lat",
        "min_lng",
        "max_lng",
        "centre_lat",
        "centre_lng",
        "created_at",
        "updated_at",
    ]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "postcode",
        "quality",
        "latitude",
        "longitude",
        "admin_district_code",
        "admin_ward_code",
    ]
    list_filter = ["quality"]
    search_fields = ["postcode"]
    show_full_result_count = False


@admin.register(AreaName)
class AreaNameAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
