"""Every public page, feed and API answer, asked for anonymously: a restricted activity's title,
venue and times appear in none of them, before the event, on its day, and after it (ADR 18).

The pages are read from the URL resolver: every route not under ``/staff/``, ``/analysis/`` or
``/admin/`` (the staff sweep, ``tests/site_pages/test_site_staff_access.py``, walks those).
The open API's operations are read from its OpenAPI document too. Each must be in ``FILLERS``,
which says how to fill its parameters from the Longton world and what status it answers: a
public route added later fails ``test_the_sweep_knows_every_public_route`` until it is listed,
so a new surface cannot leak an enforcement operation unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from beatbook.enquiries.models import Question
from beatbook.enquiries.services import question_ask
from beatbook.operations.models import Activity
from beatbook.partnerships.models import Partnership, PartnershipPlan, PlanPriority
from beatbook.places.models import Neighbourhood
from beatbook.places.spatial import forget_cached_indexes
from beatbook.policeapi.api import api
from beatbook.policeapi.cache import RESPONSES
from beatbook.surveys import survey_services as surveys
from beatbook.surveys.models import Wave
from beatbook.surveys.survey_services import (
    question_from_bank_add,
    survey_create,
    wave_create,
    wave_open,
)
from beatbook.teams import services as teams
from beatbook.teams.models import Event
from beatbook.ui.templatetags.beatbook_ui import when

from .operations_world import OperationsWorld, build_operations_world

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
STAFF_PREFIXES = ("staff/", "analysis/", "admin/")
FORCE = "staffordshire"
HOOD = "LONGTON"
PAGE = f"/neighbourhoods/{FORCE}/{HOOD}/"
# A point inside Longton's middle LSOA, and a ring around the whole neighbourhood.
LAT, LNG = 52.990, -2.132
POLY = "52.985,-2.145:52.985,-2.119:52.995,-2.119:52.995,-2.145"
SURVEY = "/surveys/longton-perceptions/"


@dataclass
class Published:
    """The Longton world, a team event and a resident's question beside it."""

    world: OperationsWorld
    event: Event
    question: Question

    @property
    def public_activities(self) -> list[Activity]:
        return [self.world.mobile_station, self.world.surgery, self.world.doors]


@dataclass(frozen=True)
class Ask:
    """One anonymous request and the status it must get."""

    method: str
    url: str
    status: int
    data: dict[str, str] | None = None


def _get(url: str, status: int = 200) -> Ask:
    return Ask("GET", url, status)


def _post(url: str, data: dict[str, str], status: int = 200) -> Ask:
    return Ask("POST", url, status, data)


# How to ask for every public route (by URL name, or by its pattern when it has no name), filled
# from the world. A route missing here fails the sweep: add it, with every way of asking that
# could show an activity (each id, each query).
Filler = Callable[[Published], list[Ask]]
FILLERS: dict[str, Filler] = {
    # Page assets that moved (ADR 17): redirects only.
    r"static/web/(?P<rest>beatbook\.css|beatbook\.js|favicon\.svg)$": lambda p: [
        _get("/static/web/beatbook.css", 301)
    ],
    "static/workspace/workspace.css": lambda p: [_get("/static/workspace/workspace.css", 301)],
    # The open API: its page, its document, and every route with its parameters.
    "api-index": lambda p: [_get("/api/")],
    "policeapi:openapi-json": lambda p: [_get("/api/openapi.json")],
    "policeapi:crimes_street": lambda p: [
        _get(f"/api/crimes-street/all-crime?lat={LAT}&lng={LNG}"),
        _get(f"/api/crimes-street/all-crime?poly={POLY}"),
    ],
    "policeapi:crimes_street_form": lambda p: [
        _post("/api/crimes-street/all-crime", {"poly": POLY})
    ],
    "policeapi:crimes_at_location": lambda p: [
        _get(f"/api/crimes-at-location?lat={LAT}&lng={LNG}"),
    ],
    "policeapi:crimes_no_location": lambda p: [
        _get(f"/api/crimes-no-location?category=all-crime&force={FORCE}")
    ],
    "policeapi:crime_categories": lambda p: [_get("/api/crime-categories")],
    "policeapi:crime_last_updated": lambda p: [_get("/api/crime-last-updated")],
    "policeapi:crimes_street_dates": lambda p: [_get("/api/crimes-street-dates")],
    "policeapi:outcomes_for_crime": lambda p: [_get("/api/outcomes-for-crime/abc123", 404)],
    "policeapi:outcomes_at_location": lambda p: [
        _get(f"/api/outcomes-at-location?lat={LAT}&lng={LNG}"),
        _get(f"/api/outcomes-at-location?poly={POLY}"),
    ],
    "policeapi:outcomes_at_location_form": lambda p: [
        _post("/api/outcomes-at-location", {"poly": POLY})
    ],
    "policeapi:stops_street": lambda p: [
        _get(f"/api/stops-street?lat={LAT}&lng={LNG}"),
        _get(f"/api/stops-street?poly={POLY}"),
    ],
    "policeapi:stops_street_form": lambda p: [_post("/api/stops-street", {"poly": POLY})],
    "policeapi:stops_at_location": lambda p: [_get("/api/stops-at-location?location_id=1")],
    "policeapi:stops_no_location": lambda p: [_get(f"/api/stops-no-location?force={FORCE}")],
    "policeapi:stops_force": lambda p: [_get(f"/api/stops-force?force={FORCE}")],
    "policeapi:forces": lambda p: [_get("/api/forces")],
    "policeapi:force_detail": lambda p: [_get(f"/api/forces/{FORCE}")],
    "policeapi:force_people": lambda p: [_get(f"/api/forces/{FORCE}/people")],
    "policeapi:locate_neighbourhood": lambda p: [_get(f"/api/locate-neighbourhood?q={LAT},{LNG}")],
    "policeapi:postcode_lookup": lambda p: [_get("/api/postcodes/ST31AD")],
    "policeapi:neighbourhoods": lambda p: [_get(f"/api/{FORCE}/neighbourhoods")],
    "policeapi:neighbourhood_boundary": lambda p: [_get(f"/api/{FORCE}/{HOOD}/boundary")],
    "policeapi:neighbourhood_people": lambda p: [_get(f"/api/{FORCE}/{HOOD}/people")],
    "policeapi:neighbourhood_events": lambda p: [_get(f"/api/{FORCE}/{HOOD}/events")],
    "policeapi:neighbourhood_priorities": lambda p: [_get(f"/api/{FORCE}/{HOOD}/priorities")],
    "policeapi:neighbourhood_detail": lambda p: [_get(f"/api/{FORCE}/{HOOD}")],
    # ninja's own root for "api/", answered by the API's page above (api-index).
    "policeapi:api-root": lambda p: [],
    "postcode-lookup": lambda p: [_get("/postcodes/ST31AD")],
    # The residents' pages and feeds.
    "residents:find": lambda p: [
        _get("/neighbourhoods/"),
        _get("/neighbourhoods/?postcode=ST3+1AD", 302),
        _get("/neighbourhoods/?q=Longton", 302),
    ],
    "residents:locate": lambda p: [_get(f"/neighbourhoods/locate?lat={LAT}&lng={LNG}", 302)],
    "residents:boundaries": lambda p: [_get("/neighbourhoods/boundaries.geojson")],
    "residents:neighbourhood": lambda p: [_get(PAGE)],
    "residents:crime-chart": lambda p: [_get(PAGE + "crime-chart.svg", 404)],
    "residents:crime-places": lambda p: [_get(PAGE + "crime-locations.geojson")],
    "residents:calendar": lambda p: [_get(PAGE + "events.ics")],
    "residents:event-calendar": lambda p: [_get(PAGE + f"events/{p.event.pk}.ics")],
    "residents:activity-calendar": lambda p: [
        *[_get(PAGE + f"activities/{a.pk}.ics") for a in p.public_activities],
        _get(PAGE + f"activities/{p.world.enforcement.pk}.ics", 404),
    ],
    # Residents' questions.
    "enquiries:ask": lambda p: [_get(PAGE + "ask/")],
    "enquiries:find": lambda p: [_get("/questions/")],
    "enquiries:status": lambda p: [_get(f"/questions/{p.question.reference}/")],
    "enquiries:sent": lambda p: [_get(f"/questions/{p.question.reference}/sent/")],
    # The operation's public page (the world's operation is public).
    "operations:public": lambda p: [_get(f"/operations/{p.world.week.pk}/")],
    # The online surgery's page and its live answers: the public surgery only; any other
    # activity's number, the restricted one's included, is not found.
    "operations:surgery": lambda p: [
        _get(f"/operations/surgery/{p.world.surgery.pk}/"),
        _get(f"/operations/surgery/{p.world.enforcement.pk}/", 404),
    ],
    "operations:surgery-live": lambda p: [
        _get(f"/operations/surgery/{p.world.surgery.pk}/live.json"),
        _get(f"/operations/surgery/{p.world.surgery.pk}/live.json?since=0"),
        _get(f"/operations/surgery/{p.world.enforcement.pk}/live.json", 404),
    ],
    # The site.
    "home": lambda p: [_get("/")],
    "login": lambda p: [_get("/accounts/login/")],
    "logout": lambda p: [_get("/accounts/logout/", 405)],
    "password_reset": lambda p: [_get("/accounts/password-reset/")],
    "password_reset_done": lambda p: [_get("/accounts/password-reset/sent/")],
    "password_reset_confirm": lambda p: [_get("/accounts/reset/MQ/set-password/")],
    "password_reset_complete": lambda p: [_get("/accounts/reset/done/")],
    # The public partnership pages (issue 16): the published one, its plan and the plan's PDF;
    # one that is not published is not found.
    "partnerships:public_index": lambda p: [_get("/partnerships/")],
    "partnerships:public_partnership": lambda p: [
        _get("/partnerships/stoke-on-trent/"),
        _get("/partnerships/unpublished/", 404),
    ],
    "partnerships:public_plan": lambda p: [
        _get("/partnerships/stoke-on-trent/plan/"),
        _get("/partnerships/unpublished/plan/", 404),
    ],
    "partnerships:public_plan_pdf": lambda p: [
        _get("/partnerships/stoke-on-trent/plan.pdf"),
        _get("/partnerships/unpublished/plan.pdf", 404),
    ],
    # Answering a survey (issue 17): its start page, an unknown survey and invitation; the
    # question pages send anyone who has not started back to the start page.
    "survey_start": lambda p: [_get(SURVEY), _get("/surveys/no-such-survey/", 404)],
    "survey_invitation": lambda p: [_get("/surveys/i/not-an-invitation/", 404)],
    "survey_question": lambda p: [_get(SURVEY + "questions/safe-after-dark/", 302)],
    "survey_about_you": lambda p: [_get(SURVEY + "about-you/postcode/", 302)],
    "survey_check": lambda p: [_get(SURVEY + "check/", 302)],
    "survey_sent": lambda p: [_get(SURVEY + "sent/", 302)],
    # A survey's "what you told us" pages (issue 17): its published wave's; a survey with none
    # published, and a neighbourhood it did not ask, are not found.
    "survey_public_results": lambda p: [
        _get("/surveys/longton-survey/results/"),
        _get("/surveys/unpublished-survey/results/", 404),
    ],
    "survey_public_neighbourhood_results": lambda p: [
        _get(f"/surveys/longton-survey/results/{HOOD}/"),
        _get("/surveys/longton-survey/results/NOWHERE/", 404),
        _get(f"/surveys/unpublished-survey/results/{HOOD}/", 404),
    ],
}


# --- The public routes, from the URL resolver and the OpenAPI document -----------------------


def _routes(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name or ''}", pattern


def public_routes() -> dict[str, tuple[str, Any]]:
    """Every route anyone may ask for, by its key in ``FILLERS``: (pattern, URL pattern)."""
    found = {}
    for route, name, pattern in _routes(get_resolver().url_patterns):
        if route.startswith(STAFF_PREFIXES):
            continue
        found[name if not name.endswith(":") and name else route] = (route, pattern)
    return found


def api_operations() -> list[tuple[str, str]]:
    """(method, URL name) of every operation in the open API's OpenAPI document."""
    schema = api.get_openapi_schema()
    prefix = "beatbook_policeapi_api_"
    return [
        (method.upper(), "policeapi:" + operation["operationId"].removeprefix(prefix))
        for methods in schema["paths"].values()
        for method, operation in methods.items()
    ]


def every_ask(published: Published) -> list[tuple[str, Ask]]:
    routes = public_routes()
    unknown = sorted(set(routes) - set(FILLERS))
    assert not unknown, f"public routes the sweep cannot fill: add them to FILLERS: {unknown}"
    return [(key, ask) for key in routes for ask in FILLERS[key](published)]


# --- What must never show: the restricted activity's title, venue and times ------------------


def forbidden(activity: Activity) -> list[str]:
    """Every way a public surface could write the activity: its title (and its code name), its
    venue, and its start and end as pages, feeds and the API write times."""
    words = [activity.title, "Nightjar", activity.venue_name, activity.venue_address]
    for moment in (activity.start, activity.end):
        local = moment.astimezone(LONDON)
        utc = moment.astimezone(ZoneInfo("UTC"))
        words += [
            local.strftime("%Y-%m-%dT%H:%M:%S"),  # the API's naive UK time
            utc.strftime("%Y%m%dT%H%M%SZ"),  # iCalendar in UTC
            local.strftime("%Y%m%dT%H%M%S") + "\r\n",  # iCalendar in local time (TZID=)
            utc.isoformat(),
            local.isoformat(),
        ]
    words.append(when(activity.start, activity.end))  # "Thursday 5 March 2026, 5am to 9am"
    return words


def leaks(response: Any, words: list[str]) -> list[str]:
    text = b"".join(response.streaming_content) if response.streaming else response.content
    body = text.decode("utf-8", errors="replace") + " " + response.get("Location", "")
    folded = body.casefold()
    return [word for word in words if word.casefold() in folded]


# --- The worlds: before, on the day of, and after the restricted activity ---------------------


def _publish(first_day: date, django_capture_on_commit_callbacks: Any) -> Published:
    cache.clear()
    forget_cached_indexes()
    world = build_operations_world(first_day=first_day)
    # Longton's box, so that finding it by a point or a postcode works as for a real one.
    Neighbourhood.objects.filter(pk=world.longton.pk).update(
        min_lat=52.9875, max_lat=52.9925, min_lng=-2.1425, max_lng=-2.1215
    )
    forget_cached_indexes()
    start = timezone.now() + timedelta(days=1)
    event = teams.event_create(
        neighbourhood=world.longton,
        title="Longton beat surgery",
        address="Longton Library, Sutherland Road",
        start=start,
        end=start + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=False):
        question = question_ask(
            neighbourhood=world.longton,
            kind="question",
            subject="Cars parked on the pavement",
            body="Cars park on the pavement every evening.",
            email="pat@example.org",
        )
    _partnerships()
    _survey(world)
    _surveys(world.longton)
    return Published(world=world, event=event, question=question)


def _partnerships() -> None:
    """A published partnership with a published plan, and one that is not published."""
    shown = Partnership.objects.create(
        name="Stoke-on-Trent Safer City Partnership", slug="stoke-on-trent", published=True
    )
    plan = PartnershipPlan.objects.create(
        partnership=shown,
        title="Plan",
        year_from=2026,
        year_to=2028,
        published=True,
        published_at=timezone.now(),
    )
    PlanPriority.objects.create(plan=plan, title="Violent crime")
    Partnership.objects.create(name="Not yet published", slug="unpublished")


def _survey(world: OperationsWorld) -> None:
    """A survey of Longton with a wave open for answers."""
    survey = survey_create(
        force=world.longton.force,
        title="Longton Perceptions Survey",
        purpose="How safe you feel.",
        privacy_notice="We keep your answers for two years.",
        neighbourhoods=[world.longton],
        slug="longton-perceptions",
    )
    question_from_bank_add(survey=survey, key="safe-after-dark")
    today = timezone.localdate()
    wave_open(wave=wave_create(survey=survey, name="Now", opens_on=today, closes_on=today))


def _surveys(longton: Neighbourhood) -> None:
    """Longton's survey with a closed, published wave, and one whose wave is still open."""
    for slug, published in (("longton-survey", True), ("unpublished-survey", False)):
        survey = surveys.survey_create(
            force=longton.force,
            title=slug,
            purpose="Why",
            privacy_notice="What",
            neighbourhoods=[longton],
            slug=slug,
        )
        surveys.question_from_bank_add(survey=survey, key="safe-after-dark")
        today = timezone.localdate()
        wave = surveys.wave_open(
            wave=surveys.wave_create(survey=survey, name="First", opens_on=today, closes_on=today)
        )
        if published:
            surveys.wave_close(wave=wave)
            Wave.objects.filter(pk=wave.pk).update(results_published=True)


# Days from today to the week's first day; the enforcement is on its fourth day, 5am to 9am.
WHEN = {
    "a fortnight before": 14,
    "on its day": -3,
    "a fortnight after": -17,
    "long after": -200,
}


@pytest.fixture
def anonymous(settings: Any) -> Client:
    settings.API_RATE_LIMIT_ENABLED = False
    settings.API_RESPONSE_CACHE_MB = 16  # the API's cache too: it must not keep a leak
    RESPONSES.clear()
    return Client()


def _sweep(client: Client, published: Published) -> list[str]:
    words = forbidden(published.world.enforcement)
    wrong = []
    for key, ask in every_ask(published):
        response = (
            client.post(ask.url, ask.data or {}) if ask.method == "POST" else client.get(ask.url)
        )
        if response.status_code != ask.status:
            wrong.append(
                f"{ask.method} {ask.url} ({key}): {response.status_code}, not {ask.status}"
            )
        found = leaks(response, words)
        if found:
            wrong.append(f"{ask.method} {ask.url} ({key}) shows {found}")
    return wrong


@pytest.mark.parametrize("days", WHEN.values(), ids=WHEN.keys())
def test_no_public_route_shows_the_restricted_activity(
    anonymous: Client, days: int, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    published = _publish(today + timedelta(days=days), django_capture_on_commit_callbacks)

    wrong = _sweep(anonymous, published)
    assert wrong == [], "\n".join(wrong)


def test_nor_when_the_clock_moves_on_past_the_week(
    anonymous: Client, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    """The same world, asked for before its week and again once the clock has passed it."""
    published = _publish(
        timezone.localdate() + timedelta(days=7), django_capture_on_commit_callbacks
    )
    wrong = _sweep(anonymous, published)
    assert wrong == [], "\n".join(wrong)

    later = timezone.now() + timedelta(days=12)
    monkeypatch.setattr(timezone, "now", lambda: later)
    RESPONSES.clear()

    wrong = _sweep(anonymous, published)
    assert wrong == [], "\n".join(wrong)


# --- The sweep is only as good as the routes it knows -----------------------------------------


def test_the_sweep_knows_every_public_route() -> None:
    routes = public_routes()

    assert sorted(set(routes) - set(FILLERS)) == [], "add each new public route to FILLERS"
    assert sorted(set(FILLERS) - set(routes)) == [], "a route in FILLERS no longer exists"


def test_the_sweep_asks_every_operation_of_the_open_api(
    anonymous: Client, django_capture_on_commit_callbacks: Any
) -> None:
    published = _publish(
        timezone.localdate() + timedelta(days=14), django_capture_on_commit_callbacks
    )
    asked = {(ask.method, key) for key, ask in every_ask(published)}

    assert sorted(set(api_operations()) - asked) == []


def test_each_ask_reaches_the_route_it_fills(
    anonymous: Client, django_capture_on_commit_callbacks: Any
) -> None:
    published = _publish(
        timezone.localdate() + timedelta(days=14), django_capture_on_commit_callbacks
    )
    routes = public_routes()
    wrong = []
    for key, ask in every_ask(published):
        path = re.sub(r"\?.*$", "", ask.url)
        match = resolve(path)
        # The open API's GET and POST of one path share its pattern: the route must match.
        if match.route.lstrip("^") != routes[key][0]:
            wrong.append(f"{ask.url} reaches {match.view_name}, not {key}")
    assert wrong == []


def test_the_words_the_sweep_looks_for_would_be_found(
    anonymous: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """The control: the same words, for a public activity, are found where it is shown, so the
    sweep's silence about the restricted one means something."""
    published = _publish(
        timezone.localdate() + timedelta(days=14), django_capture_on_commit_callbacks
    )
    shown = published.world.doors
    words = [w for w in forbidden(shown) if w != "Nightjar"]

    page = anonymous.get(PAGE)
    feed = anonymous.get(PAGE + "events.ics")
    api_events = anonymous.get(f"/api/{FORCE}/{HOOD}/events")
    operation = anonymous.get(f"/operations/{published.world.week.pk}/")

    assert shown.title in leaks(page, words)
    assert when(shown.start, shown.end) in leaks(page, words)
    assert shown.venue_address in leaks(page, words)
    assert shown.start.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ") in leaks(feed, words)
    assert shown.start.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M:%S") in leaks(api_events, words)
    assert shown.title in leaks(operation, words)
