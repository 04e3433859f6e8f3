"""The strategic assessment's staff pages on a small made-up world: assess an area, download the
report (HTML, tagged PDF, JSON), keep a partnership's assessment, and who may do which."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.partnerships.models import Assessment

from .partnership_assessment_world import AssessmentWorld, build_assessment_world

pytestmark = pytest.mark.django_db

ASSESS = "/staff/partnerships/assess/"


@pytest.fixture
def world(tmp_path: Path) -> AssessmentWorld:
    return build_assessment_world(tmp_path)


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's text with its compressed streams (where the catalogue is kept) unpacked."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_form_makes_the_report_with_its_figures(world: AssessmentWorld) -> None:
    client = _client(world.officer)

    empty = client.get(ASSESS)
    # How long it takes is measured by benchmarks/assessment.py: a timed test fails on a slow
    # machine whatever the code does.
    response = client.get(ASSESS, {"area": "Stoke-on-Trent", "year": "2025"})

    assert empty.status_code == 200
    assert b"Make a strategic assessment" in empty.content
    assert response.status_code == 200
    page = response.content.decode()
    assert "Strategic assessment: Stoke-on-Trent, 2025" in page
    # 15 crimes in Stoke-on-Trent in June 2025; Stafford's shoplifting is not among them.
    assert "15: 5.0 per 1,000 residents" in page
    # Only June is held in either year: the other months are listed, not hidden.
    assert "January 2025, February 2025" in page
    assert "measured only over the 1 month both years hold" in page
    assert "Shoplifting" not in page.split("Against the other local authorities")[0]


def test_downloads_are_the_report_the_pdf_and_the_figures(world: AssessmentWorld) -> None:
    client = _client(world.officer)
    query = {"area": "Stoke-on-Trent", "year": "2025"}

    html = client.get(ASSESS, {**query, "format": "html"})
    pdf = client.get(ASSESS, {**query, "format": "pdf"})
    figures = client.get(ASSESS, {**query, "format": "json"})
    squares = client.get(ASSESS, {**query, "format": "geojson"})

    assert html["Content-Disposition"] == (
        'attachment; filename="assessment-stoke-on-trent-2025.html"'
    )
    assert html.content.startswith(b"<!DOCTYPE html>")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.7")
    # Tagged for screen readers: a structure tree, marked content, the page's language.
    objects = _pdf_objects(pdf.content)
    assert b"/StructTreeRoot" in objects
    assert b"/Marked true" in objects
    assert b"/Lang (en-GB)" in objects
    cells = json.loads(squares.content)["features"]
    assert [cell["properties"]["rank"] for cell in cells] == list(range(1, len(cells) + 1))
    assert sum(cell["properties"]["crimes"] for cell in cells) == 15
    summary = json.loads(figures.content)
    assert summary["categories"]["burglary"]["count"] == 5
    assert summary["categories"]["burglary"]["previous_count"] == 2
    assert summary["categories"]["all-crime"]["change"] == 10
    assert summary["months_missing"] == [f"2025-{m:02d}" for m in range(1, 13) if m != 6]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"area": "Atlantis", "year": "2025"}, "No partnership or local authority is called"),
        ({"area": "Stoke-on-Trent", "year": "2019"}, "No street-level crime is held"),
        ({"area": "Stoke-on-Trent", "year": "next"}, "Enter the year as a number"),
        ({"area": "", "year": "2025"}, "Enter a partnership or a local authority"),
    ],
)
def test_bad_input_is_refused_saying_why(
    world: AssessmentWorld, query: dict[str, str], message: str
) -> None:
    response = _client(world.officer).get(ASSESS, query)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


def test_staff_of_another_force_cannot_assess_an_area_they_do_not_see(
    world: AssessmentWorld,
) -> None:
    client = _client(world.outsider)

    authority = client.get(ASSESS, {"area": "Stoke-on-Trent", "year": "2025"})
    partnership = client.get(ASSESS, {"area": "safer-city", "year": "2025", "format": "json"})

    assert "No partnership or local authority you can see" in authority.content.decode()
    assert partnership.status_code == 400


def test_a_planner_keeps_the_partnerships_assessment(world: AssessmentWorld) -> None:
    client = _client(world.planner)
    url = reverse("partnerships:assessment_list", kwargs={"slug": "safer-city"})

    page = client.get(url)
    response = client.post(url, {"year": "2025"})

    assert page.status_code == 200
    assert 'value="2025"' in page.content.decode()  # the latest year held
    stored = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "partnerships:assessment_detail", kwargs={"slug": "safer-city", "pk": stored.pk}
    )
    assert (stored.partnership, stored.year, stored.made_by) == (
        world.partnership,
        2025,
        world.planner,
    )
    assert stored.data_version.startswith("files-")
    assert stored.summary["categories"]["all-crime"]["count"] == 15
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "The figures as kept" in detail.content.decode()
    kept = client.get(response["Location"], {"format": "json"})
    assert json.loads(kept.content) == stored.summary


def test_who_may_see_and_keep_assessments(world: AssessmentWorld) -> None:
    url = reverse("partnerships:assessment_list", kwargs={"slug": "safer-city"})

    seen = _client(world.officer).get(url)
    refused = _client(world.officer).post(url, {"year": "2025"})
    hidden = _client(world.outsider).get(url)
    hidden_post = _client(world.outsider).post(url, {"year": "2025"})

    assert seen.status_code == 200
    assert "Make this year's assessment" not in seen.content.decode()
    assert refused.status_code == 403
    assert (hidden.status_code, hidden_post.status_code) == (404, 404)
    assert not Assessment.objects.exists()


def test_a_year_with_no_data_keeps_nothing_and_says_why(world: AssessmentWorld) -> None:
    url = reverse("partnerships:assessment_list", kwargs={"slug": "safer-city"})

    response = _client(world.planner).post(url, {"year": "2030"})

    assert response.status_code == 200
    assert "No street-level crime is held for Stoke-on-Trent Safer City Partnership in 2030" in (
        response.content.decode()
    )
    assert not Assessment.objects.exists()
