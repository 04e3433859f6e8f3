"""Every page a resident and the demo administrator can reach answers without a server error.

The demo's data (Staffordshire, 2025: crime, boundaries, postcodes, sample teams, events and
residents' questions) is loaded once for this module, inside a transaction that is rolled back
at its end, so no other test sees it. From the home page the crawler follows every same-site
link and sends every GET form with sample values (``tests/site_pages/crawler.py``), first as an
anonymous resident, then signed in as the demo administrator. To fit CI, each URL pattern (with
with a query string) is fetched a few times only (``RESIDENT_PER_ROUTE``, ``ADMIN_PER_ROUTE``);
the summary line printed says how many pages were fetched, how many addresses the caps left
out, and which URL patterns took longest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from beatbook.accounts.models import User
from beatbook.demo.bundle import FORCE_ID
from beatbook.demo.loader import demo_data_load
from beatbook.demo.people import demo_admin_ensure, demo_organisations_ensure
from beatbook.demo.sample_questions import demo_questions_refresh
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.enquiries.models import Question
from beatbook.places.models import Neighbourhood
from beatbook.teams.models import Event
from beatbook.teams.venue import event_place_errors, postcode_in

from .crawler import Crawler, CrawlReport, FormField, SampleValue

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# How many addresses of each URL pattern (and as many again with a query string) each crawl
# fetches. A resident's site has few patterns, so more of each; the administrator's has about
# two hundred (the admin's pages for each model). About 4 minutes for both on two cores.
RESIDENT_PER_ROUTE = 10
ADMIN_PER_ROUTE = 2
MAX_PAGES = 2000

# Pages each crawl must have reached (by URL name): the crawl follows links from the home page,
# so a page missing here means a link to it was lost, or the crawl stopped early.
RESIDENT_REACHES = {
    "home",
    "residents:find",
    "residents:neighbourhood",
    "residents:calendar",
    "residents:event-calendar",
    "residents:crime-chart",
    "residents:crime-places",
    "enquiries:ask",
    "enquiries:find",
}
ADMIN_REACHES = RESIDENT_REACHES | {
    "staff",
    "workspace:dashboard",
    "workspace:guarantee",
    "teams:team",
    "teams:priorities",
    "teams:events",
    "teams:event-edit",
    "enquiries:staff-list",
    "enquiries:staff-detail",
    "analytics:index",
    "analytics:hotspots",
    "analytics:trends",
    "analytics:forecast",
    "admin:index",
    "admin:teams_event_changelist",
    "admin:teams_event_change",
}


@dataclass(frozen=True)
class DemoSite:
    admin: User
    longton: Neighbourhood
    postcode: str
    reference: str


@pytest.fixture(scope="module")
def demo_site(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSite]:
    """What ``beatbook demo`` makes, loaded once and rolled back after the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        demo_data_load()
        demo_teams_refresh(force_id=FORCE_ID)
        demo_questions_refresh(force_id=FORCE_ID)
        demo_organisations_ensure()
        password_file = Path(tmp_path_factory.mktemp("demo")) / "password.txt"
        admin = demo_admin_ensure(password_file=password_file)
        longton = Neighbourhood.objects.filter(force_id=FORCE_ID, name__icontains="Longton").first()
        assert longton is not None, "the demo data has no Longton"
        postcode = postcode_in(
            Event.objects.filter(neighbourhood=longton, online=False).values_list(
                "address", flat=True
            )[0]
        )
        question = Question.objects.filter(neighbourhood=longton).first()
        assert question is not None, "the demo made no residents' questions in Longton"
        yield DemoSite(
            admin=User.objects.get(username=admin.username),
            longton=longton,
            postcode=postcode or "ST3 1HH",
            reference=question.reference,
        )
        transaction.set_rollback(True)


def _sampler(site: DemoSite) -> SampleValue:
    """What a person types into an empty box: Longton's postcode, one of its questions'
    references, a month of the demo's data, and otherwise "Longton"."""

    def sample(field: FormField) -> str:
        name = field.name.lower()
        if "postcode" in name:
            return site.postcode
        if "reference" in name:
            return site.reference
        if "month" in name:
            return "2025-06"
        return "Longton"

    return sample


def _crawl(client: Client, site: DemoSite, *, per_route: int) -> CrawlReport:
    crawler = Crawler(client, sample=_sampler(site), per_route=per_route, max_pages=MAX_PAGES)
    # The home page, and Longton's page so that the richest neighbourhood (a week of action,
    # an online event, residents' questions) is among those the caps let in.
    longton = reverse("residents:neighbourhood", args=[FORCE_ID, site.longton.code])
    return crawler.run(["/", longton])


def _check(
    report: CrawlReport, who: str, reaches: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():
        print(f"\n{report.summary(who)}\nslowest: {report.slowest()}")
    assert not report.errors, "\n\n".join(str(error) for error in report.errors)
    assert reaches <= report.names_reached, sorted(reaches - report.names_reached)


def test_a_resident_meets_no_server_error(
    demo_site: DemoSite, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _crawl(Client(raise_request_exception=False), demo_site, per_route=RESIDENT_PER_ROUTE)
    _check(report, "a resident", RESIDENT_REACHES, capsys)


def test_the_demo_administrator_meets_no_server_error(
    demo_site: DemoSite, capsys: pytest.CaptureFixture[str]
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(demo_site.admin)
    report = _crawl(client, demo_site, per_route=ADMIN_PER_ROUTE)
    _check(report, "the demo administrator", ADMIN_REACHES, capsys)


def test_the_demo_workspace_opens_on_longtons_overdue_question(demo_site: DemoSite) -> None:
    """The issue's example: Longton's overdue question was on page 7 of 10, by name."""
    client = Client()
    client.force_login(demo_site.admin)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    first_board = page.split('<section class="app-board"')[1]
    assert f"{escape(demo_site.longton.name)} <span" in first_board
    assert "overdue question" in first_board


def test_every_demo_event_keeps_the_rules_for_where_an_event_is(demo_site: DemoSite) -> None:
    events = Event.objects.filter(neighbourhood__force_id=FORCE_ID).select_related("neighbourhood")
    problems = {
        f"{event.neighbourhood.name}: {event.title}": errors
        for event in events
        if (
            errors := event_place_errors(
                neighbourhood=event.neighbourhood,
                type=event.type,
                online=event.online,
                address=event.address,
                joining_details=event.joining_details,
            )
        )
    }
    assert events.count() > 300
    assert problems == {}
