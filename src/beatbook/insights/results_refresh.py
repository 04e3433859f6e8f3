"""Make the analysis pages' usual results before anyone asks: the worker's periodic job.

``analysis_results_refresh_due`` runs every half minute in ``beatbook worker`` (listed in
``site.worker.periodic_jobs``). For every force with crime data it makes, if the stored one is
missing or was made from older data, what the analysis pages open on and what people ask for
most, most asked-for first:

1. the hotspot map the form starts on (kernel density, 250 m, the latest six months) and the
   force's trends, then next month's all-crime forecast, by counts and weighed by the CCHI (the
   values patrol plans are made from);
2. the same hotspot months by Gi*, and both methods weighed by each harm index;
3. the forecasts of the other headline categories (those whose back-tests the worker keeps);
4. the trends of each of the force's neighbourhoods.

Each result is claimed before it is made (``results.result_make``), so a page that asked for
the same result meanwhile, or another worker, never makes it twice. Finding nothing to do
costs a few small queries per result. Polling the import records, rather than hooking the
imports, catches every way data arrives, as the back-test refresh does (ADR 12).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from beatbook.analysis.harm import HARM_INDEXES
from beatbook.analysis.hotspots import METHODS, HotspotOptions
from beatbook.common.months import add_months
from beatbook.insights.area_trends import trends_params, trends_result_spec
from beatbook.insights.areas import AreaError, area_resolve
from beatbook.insights.backtest_store import HEADLINE_CATEGORIES
from beatbook.insights.forecast_views import forecast_params, forecast_result_spec
from beatbook.insights.hotspot_maps import HotspotRequest, hotspot_params, hotspot_result_spec
from beatbook.insights.selectors import months_held_by_force
from beatbook.insights.stored_results import ResultSpec, result_make, result_read
from beatbook.places.models import Neighbourhood

logger = logging.getLogger(__name__)

HOTSPOT_MONTHS = 6  # as the hotspot form starts on
DEFAULT_CELL_SIZE = 250.0
# One sweep stops taking new results after this long; the next one starts from the top, so a
# newer import's first results do not wait behind a list made before it.
SWEEP_BUDGET = timedelta(minutes=5)


@dataclass
class PrecomputeSummary:
    made: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.made and not self.failed:
            return "Every usual analysis result is current."
        return f"Analysis results made: {len(self.made)}; failed: {len(self.failed)}."


def _hotspots(force_id: str, months: tuple[str, str], method: str, harm: str | None) -> ResultSpec:
    request = HotspotRequest(
        force_id=force_id,
        month_from=months[0],
        month_to=months[1],
        harm=harm,
        options=HotspotOptions(method=method, cell_size=DEFAULT_CELL_SIZE),  # type: ignore[arg-type]
    )
    return hotspot_result_spec(hotspot_params(request))


def _forecast(force_id: str, category: str, harm: str | None = None) -> ResultSpec:
    return forecast_result_spec(forecast_params(force_id, category, harm))


def _trends(text: str) -> ResultSpec | None:
    """The trends as a person who can see every force gets them by naming the area."""
    try:
        area = area_resolve(text=text, force_ids=None)
    except AreaError:
        return None
    return trends_result_spec(trends_params(area, None, None))


def _level(force_id: str, held: list[str], level: int) -> Iterator[ResultSpec | None]:
    last = held[-1]
    months = (add_months(last, 1 - HOTSPOT_MONTHS), last)
    if level == 1:
        yield _hotspots(force_id, months, "kde", None)
        yield _trends(f"force:{force_id}")
        yield _forecast(force_id, HEADLINE_CATEGORIES[0])
        # The harm-weighted all-crime forecast: the values every patrol plan is made from
        # (tasking.plan_places), so the first plan after an import does not wait for it.
        yield _forecast(force_id, HEADLINE_CATEGORIES[0], "cchi")
    elif level == 2:
        for harm in (None, *HARM_INDEXES):
            for method in METHODS:
                yield _hotspots(force_id, months, method, harm)
    elif level == 3:
        for category in HEADLINE_CATEGORIES[1:]:
            yield _forecast(force_id, category)
    else:
        hoods = Neighbourhood.objects.filter(force_id=force_id).order_by("name")
        for hood_id in hoods.values_list("pk", flat=True):
            yield _trends(f"neighbourhood:{hood_id}")


def usual_results() -> Iterator[ResultSpec]:
    """Every force's usual results, most asked-for first (each built with the data version as
    it is when it comes up, so a sweep never makes a result of data already replaced)."""
    held = months_held_by_force()
    for level in (1, 2, 3, 4):
        for force_id in sorted(held):
            for spec in _level(force_id, held[force_id], level):
                if spec is not None:
                    yield spec


def _stop_requested() -> bool:
    """Whether the worker running this sweep is stopping (``site.worker.Sweeper``)."""
    stopping = getattr(threading.current_thread(), "stopping", None)
    return isinstance(stopping, threading.Event) and stopping.is_set()


def analysis_results_refresh_due(*, budget: timedelta = SWEEP_BUDGET) -> PrecomputeSummary:
    """The periodic job: make the usual results that are missing or stale, within ``budget``."""
    started = time.monotonic()
    summary = PrecomputeSummary()
    for spec in usual_results():
        if time.monotonic() - started > budget.total_seconds() or _stop_requested():
            break
        if result_read(spec) is not None:
            continue
        label = f"{spec.kind} {spec.params}"
        try:
            outcome = result_make(spec)
        except Exception:  # one failing result must not stop the others
            logger.exception("Making the analysis result %s failed", label)
            summary.failed.append(label)
            continue
        if outcome is not None:
            summary.made.append(label)
            logger.info("Analysis result made: %s", label)
    return summary
