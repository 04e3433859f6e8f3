"""The resource pages, per kind of user: the tasking sergeant changes their force's officers,
stations, rota and links; a neighbourhood team records its own officers' abstractions and sees
its team; analysts and partners see nothing of tasking; other forces' rows are 404s. A refused
or bad change changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from beatbook.tasking import resources, rosters
from beatbook.tasking.models import Abstraction, Duty, LinkOfficer, Officer, Station, Unit
from beatbook.tasking.selectors import may_use_tasking
from beatbook.tasking.tasking_nav import tasking_navigation

from .tasking_world_resources import MONDAY, ResourcesWorld, build_resources_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> ResourcesWorld:
    return build_resources_world()


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _date(prefix: str, day: object) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),  # type: ignore[attr-defined]
        f"{prefix}_month": str(day.month),  # type: ignore[attr-defined]
        f"{prefix}_year": str(day.year),  # type: ignore[attr-defined]
    }


def test_analysts_and_partners_have_no_part_in_tasking(world: ResourcesWorld) -> None:
    for user in (world.analyst, world.partner):
        client = _as(user)
        for url in ("/staff/tasking/", "/staff/tasking/officers/", "/staff/tasking/rota/"):
            assert client.get(url).status_code == 403
        assert 'href="/staff/tasking/"' not in client.get("/staff/").content.decode()
    nav = _as(world.longton_officer).get("/staff/").content.decode()
    assert 'href="/staff/tasking/"' in nav


def test_the_index_links_to_every_resource_page(world: ResourcesWorld) -> None:
    page = _as(world.longton_officer).get("/staff/tasking/").content.decode()
    for url in ("officers", "rota", "abstractions", "links", "stations"):
        assert f'href="/staff/tasking/{url}/"' in page


def test_a_neighbourhood_officer_sees_their_team_and_the_tasking_team_only(
    world: ResourcesWorld,
) -> None:
    page = _as(world.longton_officer).get("/staff/tasking/officers/").content.decode()
    assert "Jo Bloggs" in page
    assert "Priya Shah" in page
    assert "Ade Okafor" not in page  # Meir's team
    assert "Cat Lowe" not in page  # Cheshire's
    assert "Add an officer" not in page
    edit = f"/staff/tasking/officers/{world.longton_pc.pk}/"
    assert _as(world.longton_officer).get(edit).status_code == 403
    assert _as(world.meir_officer).get(edit).status_code == 404
    assert _as(world.cheshire_sergeant).get(edit).status_code == 404


def test_the_sergeant_adds_an_officer_and_bad_input_changes_nothing(
    world: ResourcesWorld,
) -> None:
    client = _as(world.sergeant)
    form = {
        "collar_number": "4521",
        "name": "New Officer",
        "rank": "constable",
        "unit": "npt",
        "neighbourhood": "",
        "station": str(world.longton_station.pk),
        "skills": ["1"],
    }
    before = Officer.objects.count()
    refused = client.post("/staff/tasking/officers/add/", form)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "4521 is already Priya Shah&#x27;s collar number" in page
    assert "Select the neighbourhood of the officer&#x27;s team" in page
    assert Officer.objects.count() == before

    form.update(collar_number="4800", neighbourhood=str(world.longton.pk))
    assert client.post("/staff/tasking/officers/add/", form).status_code == 302
    made = Officer.objects.get(collar_number="4800")
    assert (made.unit, made.neighbourhood, made.force) == (
        Unit.NPT,
        world.longton,
        world.staffordshire,
    )


def test_the_sergeant_marks_an_officer_as_left_by_post(world: ResourcesWorld) -> None:
    url = f"/staff/tasking/officers/{world.stafford_pc.pk}/status/"
    assert _as(world.sergeant).get(url).status_code == 405
    assert _as(world.longton_officer).post(url, {"active": "no"}).status_code == 403
    assert _as(world.sergeant).post(url, {"active": "no"}).status_code == 302
    world.stafford_pc.refresh_from_db()
    assert not world.stafford_pc.active
    _as(world.sergeant).post(url, {"active": "yes"})
    world.stafford_pc.refresh_from_db()
    assert world.stafford_pc.active


def test_stations_are_the_sergeants_to_change(world: ResourcesWorld) -> None:
    url = f"/staff/tasking/stations/{world.longton_station.pk}/"
    data = {"name": "Longton Police Station", "latitude": "52.9877", "longitude": "-2.1370"}
    assert _as(world.longton_officer).post(url, data).status_code == 403
    assert _as(world.cheshire_sergeant).post(url, data).status_code == 404
    bad = _as(world.sergeant).post(url, {**data, "longitude": "west"})
    assert bad.status_code == 400
    assert "Enter the longitude as a number" in bad.content.decode()
    assert _as(world.sergeant).post(url, data).status_code == 302
    assert Station.objects.get(pk=world.longton_station.pk).name == "Longton Police Station"
    added = _as(world.sergeant).post(
        "/staff/tasking/stations/add/",
        {"name": "Hanley", "latitude": "53.02", "longitude": "-2.17"},
    )
    assert added.status_code == 302
    assert Station.objects.filter(force=world.staffordshire, name="Hanley").exists()


def test_the_sergeant_puts_officers_on_a_shift_and_sees_the_weeks_rota(
    world: ResourcesWorld,
) -> None:
    client = _as(world.sergeant)
    data = {
        "officers": [str(world.ntt_pc.pk), str(world.stafford_pc.pk)],
        "shift": str(world.kinds["late"].pk),
        "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        **_date("first_day", MONDAY),
        **_date("last_day", MONDAY + timedelta(days=6)),
    }
    response = client.post("/staff/tasking/rota/add/", data)
    assert response.status_code == 302
    assert Duty.objects.count() == 14
    rota = client.get(response["Location"]).content.decode()
    assert "Priya Shah" in rota
    assert "3pm to 11pm" in rota
    # The same roster again adds nothing; an overlapping one is refused and names the clash.
    again = client.post("/staff/tasking/rota/add/", data)
    assert again.status_code == 302
    assert Duty.objects.count() == 14
    early = world.kinds["early"]
    early.ends = early.ends.replace(hour=16)  # now it runs into the late shift
    early.save()
    clash = client.post("/staff/tasking/rota/add/", {**data, "shift": early.pk})
    assert clash.status_code == 400
    assert "which overlaps the early shift" in clash.content.decode()
    assert Duty.objects.count() == 14


def test_the_rota_refuses_others_and_removes_by_post(world: ResourcesWorld) -> None:
    duty = rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["early"], day=MONDAY)
    url = f"/staff/tasking/duties/{duty.pk}/remove/"
    assert _as(world.longton_officer).get("/staff/tasking/rota/add/").status_code == 403
    assert _as(world.longton_officer).post(url).status_code == 403
    assert _as(world.cheshire_sergeant).post(url).status_code == 404
    assert _as(world.sergeant).get(url).status_code == 405
    assert Duty.objects.filter(pk=duty.pk).exists()
    assert _as(world.sergeant).post(url).status_code == 302
    assert not Duty.objects.filter(pk=duty.pk).exists()
    week = _as(world.longton_officer).get(f"/staff/tasking/rota/?week={MONDAY}&unit=ntt")
    assert week.status_code == 200
    assert "Remove" not in week.content.decode()


def test_a_team_records_its_own_officers_abstractions_only(world: ResourcesWorld) -> None:
    today = timezone.localdate()  # the page lists the last eight weeks'
    rosters.duty_add(officer=world.longton_pc, kind=world.kinds["early"], day=today)
    client = _as(world.longton_officer)
    data = {
        "officer": str(world.longton_pc.pk),
        "reason": "training",
        "hours": "9",
        "note": "Taser course",
        **_date("day", today),
    }
    too_many = client.post("/staff/tasking/abstractions/", data)
    assert too_many.status_code == 400
    assert "enter 8 hours or fewer" in too_many.content.decode()
    assert not Abstraction.objects.exists()
    # Meir's officer is not one Longton's team may record for: not a choice on its form.
    other = client.post("/staff/tasking/abstractions/", {**data, "officer": world.meir_pc.pk})
    assert other.status_code == 400
    assert not Abstraction.objects.exists()

    assert client.post("/staff/tasking/abstractions/", {**data, "hours": "3.5"}).status_code == 302
    made = Abstraction.objects.get()
    assert (made.hours, made.recorded_by) == (3.5, world.longton_officer)
    page = client.get("/staff/tasking/abstractions/").content.decode()
    assert "Taser course" in page
    assert (
        "Taser course"
        not in _as(world.meir_officer).get("/staff/tasking/abstractions/").content.decode()
    )

    delete = f"/staff/tasking/abstractions/{made.pk}/delete/"
    assert _as(world.meir_officer).post(delete).status_code == 404
    assert _as(world.analyst).post(delete).status_code == 403
    assert client.post(delete).status_code == 302
    assert not Abstraction.objects.exists()


def test_the_sergeant_names_link_officers_and_teams_see_theirs(world: ResourcesWorld) -> None:
    url = f"/staff/tasking/links/{world.longton.pk}/"
    data = {"officer": str(world.ntt_pc.pk), "commander": str(world.longton_inspector.pk)}
    assert _as(world.longton_inspector).post(url, data).status_code == 403
    assert _as(world.cheshire_sergeant).post(url, data).status_code == 404
    wrong = _as(world.sergeant).post(url, {**data, "officer": world.longton_pc.pk})
    assert wrong.status_code == 400  # not a tasking team officer: not among the choices
    assert not LinkOfficer.objects.exists()
    assert _as(world.sergeant).post(url, data).status_code == 302
    link = LinkOfficer.objects.get()
    assert (link.officer, link.commander) == (world.ntt_pc, world.longton_inspector)
    page = _as(world.longton_inspector).get("/staff/tasking/links/").content.decode()
    assert "Priya Shah" in page
    assert "Meir" not in page
    assert _as(world.sergeant).post(url, {"officer": "", "commander": ""}).status_code == 302
    assert not LinkOfficer.objects.exists()


def test_a_superuser_chooses_the_force_first(world: ResourcesWorld) -> None:
    page = _as(world.admin).get("/staff/tasking/officers/add/").content.decode()
    assert "Which force is it for?" in page
    form = _as(world.admin).get("/staff/tasking/officers/add/?force=cheshire")
    assert "Cheshire Constabulary" in form.content.decode()
    resources.officer_deactivate(officer=world.crewe_pc)
    assert "Cat Lowe" not in _as(world.admin).get("/staff/tasking/officers/").content.decode()
    assert "Cat Lowe" in _as(world.admin).get("/staff/tasking/officers/?left=yes").content.decode()


def test_the_navigation_offers_tasking_to_exactly_those_who_may_use_it(
    world: ResourcesWorld,
) -> None:
    world.ntt_pc.user = world.partner  # a partner who is also an officer: "my plan" is theirs
    world.ntt_pc.save()
    people = [
        world.sergeant,
        world.longton_officer,
        world.longton_inspector,
        world.meir_officer,
        world.analyst,
        world.partner,
        world.cheshire_sergeant,
        world.admin,
    ]
    for user in people:
        request = RequestFactory().get("/")
        request.user = user
        shown = tasking_navigation(request)["tasking_reachable"]()
        assert shown == may_use_tasking(user=user), user.username
    assert may_use_tasking(user=world.partner)
    assert not may_use_tasking(user=world.analyst)
