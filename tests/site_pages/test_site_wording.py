"""Wording and consistency a new user noticed (issue 12, item 15), each kept from coming back:
the admin's plurals, which months "crime" covers, one wording of the 72-hour promise, one "last
updated" date for a priority, trends in plain English, distinct link texts for priorities, one
sample-content notice a page, and references typed any way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.enquiries.services import question_ask
from beatbook.enquiries.templatetags.enquiries_tags import answer_promise_text
from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Neighbourhood
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.teams.models import Priority

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "src" / "beatbook"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def longton() -> Neighbourhood:
    """Longton with crime held for January to November 2025 (its page covers the 12 months to
    the latest, December 2024 to November 2025)."""
    force = Force.objects.get(pk="staffordshire")
    hood = Neighbourhood.objects.create(force=force, code="longton", name="Longton")
    for number in range(1, 12):
        source = SourceFile.objects.create(
            kind=SourceKind.STREET,
            path="x",
            sha256="0" * 64,
            force=force,
            month=f"2025-{number:02d}",
            status=SourceStatus.LOADED,
            started_at=timezone.now(),
        )
        Crime.objects.create(
            force=force,
            month=f"2025-{number:02d}",
            category="burglary",
            neighbourhood=hood,
            source=source,
        )
    return hood


def page_of(client: Client, hood: Neighbourhood) -> str:
    return client.get(f"/neighbourhoods/staffordshire/{hood.code}/").content.decode()


def test_no_admin_plural_doubles_its_s() -> None:
    plurals = {str(model._meta.verbose_name_plural) for model in apps.get_models()}
    assert "contact detail accesses" in plurals
    assert [plural for plural in plurals if plural.endswith("sss")] == []


def test_the_crime_heading_names_the_months_it_covers(client: Client, longton: Any) -> None:
    page = page_of(client, longton)

    assert "last 12 months" not in page
    heading = re.search(r'<h2 class="govuk-heading-l" id="crime">([^<]+)</h2>', page)
    assert heading is not None
    assert heading.group(1) == "Crime from December 2024 to November 2025"
    assert 'href="#crime">Crime from December 2024 to November 2025</a>' in page


def test_the_72_hour_promise_is_worded_one_way_everywhere(
    client: Client, longton: Neighbourhood
) -> None:
    promise = answer_promise_text()
    assert promise == "The team aims to answer within 72 hours"
    question = question_ask(
        neighbourhood=longton,
        kind="question",
        subject="Parking",
        body="Who checks it?",
        email="resident@example.org",
    )
    ask = client.get(f"/neighbourhoods/staffordshire/{longton.code}/ask/").content.decode()
    sent = client.get(f"/questions/{question.reference}/sent/").content.decode()
    email = question.emails.get(to="resident@example.org")

    assert f"{promise}." in page_of(client, longton)
    assert f"{promise}." in ask
    assert f"{promise}." in email.body
    assert f"{promise}." in email.html_body
    assert f"{answer_promise_text('Longton')}, by" in sent
    # Nowhere is it written by hand: every page and e-mail takes it from the one tag.
    for template in SOURCE.glob("*/templates/**/*"):
        if template.suffix in {".html", ".txt"}:
            text = template.read_text(encoding="utf-8")
            assert not re.search(r"(will|aims to) answer within", text), template


def test_the_public_page_and_the_guarantee_give_one_last_updated_date(
    client: Client, longton: Neighbourhood
) -> None:
    priority = Priority.objects.create(
        neighbourhood=longton,
        issue="<p>Speeding on Uttoxeter Road.</p>",
        issue_date=datetime(2025, 9, 1, 18, tzinfo=UTC),
        action="<p>Speed checks twice a week.</p>",
        action_date=datetime(2025, 10, 20, 12, tzinfo=UTC),
    )
    Priority.objects.filter(pk=priority.pk).update(updated_at=datetime(2025, 11, 3, 9, tzinfo=UTC))
    inspector = user_create(username="ines", password=PASSWORD, is_staff=True)
    police = organisation_create(
        name="Staffordshire Police",
        kind=OrganisationKind.POLICE_FORCE,
        force=longton.force,
    )
    membership_grant(user=inspector, organisation=police, role=Role.NEIGHBOURHOOD_INSPECTOR)
    staff = Client()
    staff.force_login(inspector)

    public = page_of(client, longton)
    guarantee = staff.get("/staff/guarantee/?period=12").content.decode()

    assert "Last updated</dt>" in public
    assert ">3 November 2025</time>" in public
    row = re.search(r"Longton</(?:a|th)>.*?</tr>", guarantee, re.DOTALL)
    assert row is not None, guarantee
    assert "3 November 2025" in row.group(0)


def test_trends_speak_plain_english() -> None:
    context = {
        "forces": [("staffordshire", "Staffordshire Police")],
        "form": None,
        "trends": {
            "area": {"description": "Longton"},
            "month_from": "2025-01",
            "month_to": "2025-12",
        },
        "report": {"population": 12345, "months_missing": [], "compared_months": []},
        "totals_rows": [
            {
                "category": "All crime",
                "crimes": 1234,
                "per_1000": 99.96,
                "per_1000_a_year": 99.96,
                "change": None,
            },
        ],
        "monthly_rows": [{"month": "2025-01", "crimes": 1050}],
        "seasonality_rows": [],
        "repeat_rows": [
            {
                "street_name": "On or near Market Street",
                "crimes": 1500,
                "months_with_crime": 12,
                "top_category": "violent-crime",
                "lsoa_code": "E01014213",
            },
        ],
        "repeat_percent": 40.0,
    }
    request = RequestFactory().get("/analysis/trends/?area=Longton")
    request.user = AnonymousUser()
    page = render_to_string("analytics/trends.html", context, request=request)

    assert "violent-crime" not in page
    assert "Violence and sexual offences" in page
    assert "12,345 residents" in page
    for number in (">1,234<", ">1,050<", ">1,500<"):
        assert number in page
    # Over a whole year the rate a year is the rate: one column, not two the same.
    assert "Per 1,000 a year" not in page


def test_each_priority_has_its_own_link_text(longton: Neighbourhood) -> None:
    raised = datetime(2025, 9, 1, 18, tzinfo=UTC)
    for issue in ("<p>Anti-social behaviour round the shops.</p>", "<p>Burglaries of sheds.</p>"):
        Priority.objects.create(neighbourhood=longton, issue=issue, issue_date=raised)
    longton.can_edit = True  # type: ignore[attr-defined]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    page = render_to_string(
        "teams/priorities.html",
        {"neighbourhood": longton, "priorities": list(Priority.objects.all())},
        request=request,
    )

    for action in ("Update", "Delete"):
        texts = re.findall(
            rf'>{action}<span class="govuk-visually-hidden">([^<]+)</span></a>', page
        )
        assert len(texts) == 2, texts
        assert texts[0] != texts[1], texts
    assert "Anti-social behaviour round the shops." in page


def test_one_notice_a_page_says_the_content_is_sample_content(
    client: Client, longton: Neighbourhood
) -> None:
    demo_teams_refresh(force_id="staffordshire", today=timezone.localdate())

    page = page_of(client, longton)

    assert page.count("This page shows sample content.") == 1
    assert "Sample content for the Beatbook demo" not in page


@pytest.mark.parametrize("typed", ["Q7K3M2XAV", "7K3M2XAV", "7k3m 2xav", "q-7k3m-2xav"])
def test_a_reference_is_found_however_it_is_typed(
    client: Client, longton: Neighbourhood, typed: str
) -> None:
    question = question_ask(
        neighbourhood=longton, kind="question", subject="Parking", body="Who checks it?"
    )
    type(question).objects.filter(pk=question.pk).update(reference="Q-7K3M-2XAV")

    found = client.get("/questions/", {"reference": typed})

    assert found.status_code == 302
    assert found["Location"] == "/questions/Q-7K3M-2XAV/"
