"""The shape of the crime tables the analysis package works on, whichever way they were read
(from the database by ``beatbook.insights.selectors.crime_points``, or straight from police.uk
files by ``policeuk_files``)."""

from __future__ import annotations

# One row per crime: month "YYYY-MM", police.uk category slug, British National Grid and WGS84
# position (NaN without one), police.uk location, LSOA and neighbourhood.
CRIME_POINT_COLUMNS = (
    "month",
    "category",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "location_id",
    "street_name",
    "lsoa_code",
    "lsoa_name",
    "neighbourhood_id",
    "neighbourhood_name",
)
