"""The partnerships' staff pages: who sees what, the navigation link, and the set-up and
meeting forms end to end through the views (bad input shown, nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import User
from beatbook.partnerships.models import Action, Meeting, Partnership

from .partnerships_world_meetings import STOKE, MeetingWorld, at, build_meeting_world, crimes_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> MeetingWorld:
    built = build_meeting_world()
    for month in ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"):
        crimes_add(built.staffs, month, {STOKE[0]: 3 if month < "2025-04" else 15})
    return built


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(world: MeetingWorld) -> str:
    return reverse("partnerships:partnership_detail", kwargs={"slug": world.partnership.slug})


def test_the_navigation_shows_partnerships_only_to_those_who_can_see_one(
    world: MeetingWorld,
) -> None:
    member = client_for(world.users["analyst"]).get(reverse("staff")).content.decode()
    outsider = client_for(world.users["outsider"]).get(reverse("staff")).content.decode()

    assert ">Partnerships<" in member
    assert ">Partnerships<" not in outsider


def test_the_list_and_the_overview(world: MeetingWorld) -> None:
    client = client_for(world.users["officer"])

    listed = client.get(reverse("partnerships:partnership_list")).content.decode()
    page = client.get(detail_url(world)).content.decode()

    assert "Stoke-on-Trent Safer City Partnership" in listed
    assert '<dd class="govuk-summary-list__value">12</dd>' in page  # LSOAs
    assert "Staffordshire Police" in page
    assert "North JAG" in page
    assert "18,000 (census)" in page  # residents
    assert "Change the details and area" not in page  # an officer does not set it up
    assert client_for(world.users["outsider"]).get(detail_url(world)).status_code == 404


def test_setting_up_a_partnership_refuses_an_unknown_authority(world: MeetingWorld) -> None:
    client = client_for(world.users["admin"])
    data = {"name": "Safer Newcastle", "slug": "", "authorities": "Newcastle under Lime"}

    response = client.post(reverse("partnerships:partnership_create"), data)

    assert response.status_code == 200
    assert "holds no LSOAs for a local authority called" in response.content.decode()
    assert not Partnership.objects.filter(name="Safer Newcastle").exists()

    data["authorities"] = "Newcastle-under-Lyme"
    made = client.post(reverse("partnerships:partnership_create"), data)
    assert made.status_code == 302
    assert Partnership.objects.get(slug="safer-newcastle").authorities.get().name == (
        "Newcastle-under-Lyme"
    )


def test_members_and_groups_are_added_by_an_administrator_only(world: MeetingWorld) -> None:
    slug = world.partnership.slug
    members = reverse("partnerships:partnership_members", kwargs={"slug": slug})
    data = {"organisation": "", "name": "Community members", "standing": "member"}

    assert client_for(world.users["analyst"]).post(members, data).status_code == 403
    added = client_for(world.users["admin"]).post(members, data)
    group = client_for(world.users["admin"]).post(
        reverse("partnerships:partnership_groups", kwargs={"slug": slug}),
        {"kind": "jag", "group_name": "South JAG"},
    )

    assert added.status_code == 302
    assert group.status_code == 302
    assert world.partnership.members.filter(name="Community members").exists()
    assert world.partnership.groups.filter(name="South JAG").exists()


def test_a_members_representative_is_changed_by_an_administrator_only(
    world: MeetingWorld,
) -> None:
    member = world.partnership.members.exclude(organisation=None).first()
    assert member is not None
    url = reverse(
        "partnerships:partnership_member_change",
        kwargs={"slug": world.partnership.slug, "pk": member.pk},
    )
    data = {"standing": "responsible", "representative": "Sam Lee", "representative_role": "Lead"}

    assert client_for(world.users["analyst"]).post(url, data).status_code == 403
    refused = client_for(world.users["admin"]).post(url, {**data, "standing": "boss"})
    member.refresh_from_db()
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert member.representative != "Sam Lee"

    saved = client_for(world.users["admin"]).post(url, data)
    member.refresh_from_db()
    assert saved.status_code == 302
    assert (member.standing, member.representative, member.representative_role) == (
        "responsible",
        "Sam Lee",
        "Lead",
    )
    listed = client_for(world.users["admin"]).get(
        reverse("partnerships:partnership_members", kwargs={"slug": world.partnership.slug})
    )
    assert "Sam Lee, Lead" in listed.content.decode()


def _meeting_data(world: MeetingWorld, **more: Any) -> dict[str, Any]:
    return {
        "group": world.strategy.pk,
        "meeting_date_day": "10",
        "meeting_date_month": "7",
        "meeting_date_year": "2025",
        "meeting_time": "2pm",
        "place": "Civic Centre",
        **more,
    }


def test_a_planner_schedules_a_meeting_and_records_its_minutes(world: MeetingWorld) -> None:
    client = client_for(world.users["analyst"])
    slug = world.partnership.slug

    scheduled = client.post(
        reverse("partnerships:meeting_schedule", kwargs={"slug": slug}), _meeting_data(world)
    )
    meeting = Meeting.objects.get()
    page = client.get(scheduled["Location"]).content.decode()
    minutes = client.post(
        reverse("partnerships:meeting_minutes", kwargs={"slug": slug, "pk": meeting.pk}),
        {
            "minutes": "We met.",
            "decisions": "Target the hotspot",
            "action_1_description": "Patrol it",
            "action_1_owner": world.police.pk,
            "action_1_lead": "Insp. Khan",
            "action_1_due_day": "31",
            "action_1_due_month": "7",
            "action_1_due_year": "2025",
        },
    )

    assert meeting.starts_at == at("2025-07-10", 14)
    assert "New or growing hotspots since the last meeting" in page
    assert "Stoke-on-Trent 001A" in page  # growing: 45 crimes against 9
    assert minutes.status_code == 302
    assert Action.objects.get().owner == world.police
    shown = client.get(scheduled["Location"]).content.decode()
    assert "as it stood when the minutes were saved" in shown
    assert "Target the hotspot" in shown


def test_bad_meeting_forms_say_what_is_wrong(world: MeetingWorld) -> None:
    client = client_for(world.users["analyst"])
    slug = world.partnership.slug

    response = client.post(
        reverse("partnerships:meeting_schedule", kwargs={"slug": slug}),
        _meeting_data(world, meeting_date_day="31", meeting_date_month="2"),
    )
    refused = client_for(world.users["officer"]).get(
        reverse("partnerships:meeting_schedule", kwargs={"slug": slug})
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Meeting.objects.exists()
    assert refused.status_code == 403


def test_an_action_is_updated_by_its_organisations_people(world: MeetingWorld) -> None:
    action = Action.objects.create(
        partnership=world.partnership, description="Visits", owner=world.fire, due="2025-06-30"
    )
    url = reverse("partnerships:partnership_action", kwargs={"pk": action.pk})
    firefighter = client_for(world.users["firefighter"])

    listed = firefighter.get(reverse("partnerships:partnership_actions")).content.decode()
    updated = firefighter.post(url, {"status": "in_progress", "progress_note": "Half done"})

    assert "Visits" in listed
    assert "Overdue" in listed
    assert updated.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress_note) == ("in_progress", "Half done")
    assert client_for(world.users["officer"]).post(url, {"status": "done"}).status_code == 403
    assert client_for(world.users["outsider"]).get(url).status_code == 404
