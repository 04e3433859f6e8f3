"""A partnership's area as Beatbook holds it: the LSOAs of its local authorities, from the LSOA
data (so an area may span forces, and a force may hold several partnerships)."""

from __future__ import annotations

from beatbook.insights.areas import Area, AreaError, area_resolve
from beatbook.partnerships.models import Partnership


def authority_area(*, name: str) -> Area:
    """The local authority called ``name`` (as LSOA names carry it), in every force held."""
    return area_resolve(text=f"la:{name}")


def partnership_area(*, partnership: Partnership) -> Area:
    """The partnership's whole area: every LSOA of its local authorities.

    Raises ``AreaError`` naming the first authority Beatbook holds no LSOAs for, or saying the
    partnership has no authorities yet."""
    names = list(partnership.authorities.values_list("name", flat=True))
    if not names:
        raise AreaError(f"{partnership.name} has no local authorities in its area yet.")
    areas = [authority_area(name=name) for name in names]
    codes = sorted({code for area in areas for code in area.lsoa_codes or ()})
    forces = sorted({force for area in areas for force in area.force_ids})
    populations = [area.population for area in areas]
    population = None if None in populations else sum(p or 0 for p in populations)
    return Area(
        kind="partnership",
        label=partnership.name,
        force_ids=tuple(forces),
        lsoa_codes=tuple(codes),
        population=population,
    )
