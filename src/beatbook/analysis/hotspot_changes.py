"""New and growing hotspots between two periods: what a partnership meeting's agenda asks
("what has flared up since we last met?").

The places are units of an area (LSOAs, or 250 m cells); each has a count of crimes in the
*recent* period and in the period *before*. The periods may hold different numbers of months
(a month police.uk has not published is left out of its period, never counted as none), so
rates are compared, not counts:

- **growing**: the exact conditional Poisson test (``trends.rate_change``) finds the recent
  rate higher than before, more than chance (p < 0.05);
- **new**: among the ``top`` units by recent count, and not among the ``top`` units by count
  before (ties broken by the unit's name, so the lists are the same on every run).

A unit is listed when it is new or growing, most recent crimes first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from beatbook.analysis.trends import SIGNIFICANCE, rate_change

TOP = 10


@dataclass(frozen=True)
class HotspotChange:
    unit: str
    recent: int
    before: int
    rate_ratio: float  # recent rate / earlier rate (per month); NaN where both are zero
    p_value: float
    new: bool
    growing: bool
    rank: int  # 1 = the most crimes in the recent period

    @property
    def reasons(self) -> str:
        parts = []
        if self.new:
            parts.append("new in the top list")
        if self.growing:
            parts.append("growing, more than chance")
        return "; ".join(parts)


def _top(counts: Mapping[str, int], top: int) -> list[str]:
    ranked = sorted((unit for unit, n in counts.items() if n > 0), key=lambda u: (-counts[u], u))
    return ranked[:top]


def hotspot_changes(
    recent: Mapping[str, int],
    before: Mapping[str, int],
    *,
    months_recent: int,
    months_before: int,
    top: int = TOP,
) -> list[HotspotChange]:
    """The units of ``recent`` or ``before`` that are new in the top ``top`` or growing."""
    if months_recent <= 0 or months_before <= 0:
        raise ValueError("Both periods need at least one month of data to compare.")
    top_now = _top(recent, top)
    top_before = set(_top(before, top))
    rank = {unit: index + 1 for index, unit in enumerate(_top(recent, len(recent)))}
    found = []
    for unit in sorted(set(recent) | set(before)):
        now, then = int(recent.get(unit, 0)), int(before.get(unit, 0))
        change = rate_change(
            unit, now, then, months=months_recent, months_before=months_before, interval=False
        )
        growing = change.p_value < SIGNIFICANCE and now / months_recent > then / months_before
        new = unit in top_now and unit not in top_before
        if growing or new:
            found.append(
                HotspotChange(
                    unit=unit,
                    recent=now,
                    before=then,
                    rate_ratio=change.rate_ratio,
                    p_value=change.p_value,
                    new=new,
                    growing=growing,
                    rank=rank.get(unit, 0),
                )
            )
    return sorted(found, key=lambda c: (-c.recent, c.unit))
