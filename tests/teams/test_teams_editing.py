"""Keeping the team, priorities and events current through the staff pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.teams import services
from beatbook.teams.models import Event, NeighbourhoodContact, Priority, TeamMember
from team_world import World

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def officer_client(client: Client, world: World) -> Client:
    client.force_login(world.officer)
    return client


def _date(prefix: str, day: datetime) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _next_summer() -> datetime:
    """1 July next year: British Summer Time, an hour ahead of UTC."""
    return datetime(timezone.now().year + 1, 7, 1, tzinfo=LONDON)


def _event_post(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Mobile police station",
        "type": "mobile-police-station",
        "description": "Come and talk to us.\n\nTea & biscuits <provided>.",
        "attendance": "in-person",
        "address": "Meir Park shops",
        "postcode": "st3 7aa",
        **_date("start_date", _next_summer()),
        "start_time": "2:30pm",
        "end_time": "16:00",
    }
    data.update(overrides)
    return data


# --- The team -------------------------------------------------------------------------------


def test_adding_a_team_member_with_contact_details(officer_client: Client, world: World) -> None:
    response = officer_client.post(
        reverse("teams:team-member-add", args=[world.meir.pk]),
        {
            "name": "Priya Khan",
            "rank": "PC 4321",
            "bio": "Priya grew up in Meir.\n\nShe runs the youth club <b>football</b> team.",
            "email": "priya.khan@example.police.uk",
            "telephone": "01782 234567",
            "order": "2",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:team", args=[world.meir.pk])
    member = TeamMember.objects.get(name="Priya Khan")
    assert member.neighbourhood == world.meir
    assert member.contact_details == {
        "email": "priya.khan@example.police.uk",
        "telephone": "01782 234567",
    }
    # Staff typed HTML on purpose (<b>), so it is kept as HTML and cleaned when shown.
    assert member.bio == ("Priya grew up in Meir.\n\nShe runs the youth club <b>football</b> team.")
    page = officer_client.get(response["Location"]).content.decode()
    assert "Team member added" in page
    assert "Priya Khan" in page


def test_plain_text_becomes_escaped_paragraphs(officer_client: Client, world: World) -> None:
    officer_client.post(
        reverse("teams:team-member-add", args=[world.meir.pk]),
        {"name": "Tom Lowe", "rank": "PCSO", "bio": "Line one\nline two\n\n1 < 2", "order": "0"},
    )
    member = TeamMember.objects.get(name="Tom Lowe")
    assert member.bio == "<p>Line one<br>line two</p><p>1 &lt; 2</p>"
    edit = officer_client.get(reverse("teams:team-member-edit", args=[member.pk]))
    # Back to plain text for editing: nobody meets <p> they did not type.
    assert "Line one\nline two\n\n1 &lt; 2</textarea>" in edit.content.decode()


def test_a_script_in_a_bio_is_never_run(officer_client: Client, world: World) -> None:
    services.team_member_update(
        member=world.longton_sergeant,
        name="Jo Bloggs",
        rank="Sergeant",
        bio='<p onclick="steal()">Hi</p><script>alert(1)</script><a href="javascript:x()">x</a>',
        contact_details=world.longton_sergeant.contact_details,
        order=1,
    )
    page = officer_client.get(reverse("teams:team", args=[world.longton.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "steal()" not in page
    assert "javascript:" not in page
    assert "<p>Hi</p>" in page


def test_editing_a_member_keeps_other_contact_channels(
    officer_client: Client, world: World
) -> None:
    sergeant = world.longton_sergeant
    sergeant.contact_details = {"email": "old@example.police.uk", "twitter": "https://x.com/l"}
    sergeant.save()
    response = officer_client.post(
        reverse("teams:team-member-edit", args=[sergeant.pk]),
        {"name": "Jo Bloggs", "rank": "Inspector", "email": "", "telephone": "101", "order": "1"},
    )
    assert response.status_code == 302
    sergeant.refresh_from_db()
    assert sergeant.rank == "Inspector"
    assert sergeant.contact_details == {"twitter": "https://x.com/l", "telephone": "101"}


def test_bad_team_member_input_gets_govuk_errors_and_changes_nothing(
    officer_client: Client, world: World
) -> None:
    response = officer_client.post(
        reverse("teams:team-member-add", args=[world.longton.pk]),
        {
            "name": "",
            "rank": "PC",
            "email": "not-an-address",
            "telephone": "call me",
            "order": "-1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_name">Enter the person&#x27;s name</a>' in page
    assert "Enter an email address like name@example.police.uk" in page
    assert "Enter the telephone number using numbers only, like 101 or 01782 234567" in page
    assert "The position in the list must be 0 or more" in page
    assert "govuk-input--error" in page
    assert response.context["form"].errors
    assert TeamMember.objects.filter(neighbourhood=world.longton).count() == 1


def test_deleting_a_member_asks_first(officer_client: Client, world: World) -> None:
    url = reverse("teams:team-member-delete", args=[world.longton_sergeant.pk])
    confirm = officer_client.get(url)
    assert "Are you sure you want to delete Sergeant Jo Bloggs?" in confirm.content.decode()
    assert TeamMember.objects.filter(pk=world.longton_sergeant.pk).exists()
    response = officer_client.post(url)
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=world.longton_sergeant.pk).exists()


def test_the_teams_shared_contact_details(officer_client: Client, world: World) -> None:
    url = reverse("teams:team-contact", args=[world.meir.pk])
    response = officer_client.post(url, {"email": "meir.npt@example.police.uk", "telephone": ""})
    assert response.status_code == 302
    contact = NeighbourhoodContact.objects.get(neighbourhood=world.meir)
    assert contact.contact_details == {"email": "meir.npt@example.police.uk"}
    bad = officer_client.post(url, {"email": "meir", "telephone": "x"})
    assert bad.status_code == 400
    contact.refresh_from_db()
    assert contact.contact_details == {"email": "meir.npt@example.police.uk"}


# --- Priorities -----------------------------------------------------------------------------


def test_a_priority_from_issue_to_action_and_outcome(officer_client: Client, world: World) -> None:
    add = reverse("teams:priority-add", args=[world.longton.pk])
    response = officer_client.post(
        add,
        {"issue": "Speeding on Uttoxeter Road", **_date("issue_date", datetime(2026, 3, 2))},
    )
    assert response.status_code == 302
    priority = Priority.objects.get(neighbourhood=world.longton)
    assert priority.issue == "<p>Speeding on Uttoxeter Road</p>"
    # Midnight in London on 2 March (GMT) is midnight UTC.
    assert priority.issue_date == datetime(2026, 3, 2, tzinfo=UTC)
    assert priority.action == ""
    assert priority.action_date is None

    response = officer_client.post(
        reverse("teams:priority-edit", args=[priority.pk]),
        {
            "issue": "Speeding on Uttoxeter Road",
            **_date("issue_date", datetime(2026, 3, 2)),
            "action": "Speed checks on six days",
            **_date("action_date", datetime(2026, 6, 10)),
            "outcome": "41 drivers warned",
        },
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.action == "<p>Speed checks on six days</p>"
    # 10 June is in British Summer Time: midnight in London is 23:00 UTC the day before.
    assert priority.action_date == datetime(2026, 6, 9, 23, tzinfo=UTC)
    assert priority.outcome == "<p>41 drivers warned</p>"
    page = officer_client.get(response["Location"]).content.decode()
    assert "Speed checks on six days" in page
    assert "41 drivers warned" in page


def test_bad_priority_input_is_refused(officer_client: Client, world: World) -> None:
    add = reverse("teams:priority-add", args=[world.longton.pk])
    cases = [
        ({"issue": ""}, "Enter the issue"),
        ({"issue": "x", "issue_date_day": "31", "issue_date_month": "2"}, "must include a year"),
        (
            {
                "issue": "x",
                **_date("issue_date", datetime(2026, 1, 1)),
                "issue_date_day": "31",
                "issue_date_month": "2",
            },
            "The date the issue was raised must be a real date",
        ),
        (
            {"issue": "x", **_date("issue_date", timezone.now() + timedelta(days=40))},
            "The date the issue was raised must be today or in the past",
        ),
        (
            {"issue": "x", **_date("issue_date", datetime(2026, 3, 2)), "action": "Patrols"},
            "Enter the date of the action",
        ),
        (
            {
                "issue": "x",
                **_date("issue_date", datetime(2026, 3, 2)),
                "action": "Patrols",
                **_date("action_date", datetime(2026, 2, 1)),
            },
            "The date of the action must be the same as or after the date the issue was raised",
        ),
    ]
    for data, message in cases:
        response = officer_client.post(add, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), message
    assert not Priority.objects.filter(neighbourhood=world.longton).exists()


def test_marking_a_priority_reviewed_moves_its_update_time(
    officer_client: Client, world: World
) -> None:
    priority = services.priority_create(
        neighbourhood=world.longton, issue="<p>ASB</p>", issue_date=datetime(2026, 1, 5, tzinfo=UTC)
    )
    long_ago = timezone.now() - timedelta(days=120)
    Priority.objects.filter(pk=priority.pk).update(updated_at=long_ago)
    listing = officer_client.get(reverse("teams:priorities", args=[world.longton.pk]))
    assert "Due for review" in listing.content.decode()

    response = officer_client.post(
        reverse("teams:priority-review", args=[priority.pk]), {"next": "dashboard"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:dashboard")
    priority.refresh_from_db()
    assert priority.updated_at > timezone.now() - timedelta(minutes=1)
    assert priority.issue == "<p>ASB</p>"


def test_deleting_a_priority_asks_first(officer_client: Client, world: World) -> None:
    priority = services.priority_create(
        neighbourhood=world.longton, issue="<p>ASB</p>", issue_date=datetime(2026, 1, 5, tzinfo=UTC)
    )
    url = reverse("teams:priority-delete", args=[priority.pk])
    assert "Are you sure" in officer_client.get(url).content.decode()
    assert Priority.objects.filter(pk=priority.pk).exists()
    assert officer_client.post(url).status_code == 302
    assert not Priority.objects.filter(pk=priority.pk).exists()


# --- Events ---------------------------------------------------------------------------------


def test_an_event_in_london_time_is_stored_in_utc(officer_client: Client, world: World) -> None:
    response = officer_client.post(reverse("teams:event-add", args=[world.meir.pk]), _event_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(neighbourhood=world.meir)
    summer = _next_summer()
    assert event.start == datetime(summer.year, 7, 1, 13, 30, tzinfo=UTC)
    assert event.end == datetime(summer.year, 7, 1, 15, 0, tzinfo=UTC)
    assert event.address == "Meir Park shops, ST3 7AA"
    assert (
        event.description
        == "<p>Come and talk to us.</p><p>Tea &amp; biscuits &lt;provided&gt;.</p>"
    )

    edit = officer_client.get(reverse("teams:event-edit", args=[event.pk])).content.decode()
    assert 'value="14:30"' in edit
    assert 'value="16:00"' in edit
    assert 'value="Meir Park shops"' in edit
    assert 'value="ST3 7AA"' in edit


def test_editing_an_event(officer_client: Client, world: World) -> None:
    officer_client.post(reverse("teams:event-add", args=[world.meir.pk]), _event_post())
    event = Event.objects.get(neighbourhood=world.meir)
    # Changed to an online surgery: the address and postcode still in their (hidden) boxes
    # are not kept, and how to join is.
    response = officer_client.post(
        reverse("teams:event-edit", args=[event.pk]),
        _event_post(
            title="Online surgery",
            type="online-surgery",
            attendance="online",
            joining_details="Join at https://meet.example.police.uk/meir",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.title, event.type, event.address, event.online) == (
        "Online surgery",
        "online-surgery",
        "",
        True,
    )
    assert event.joining_details == "Join at https://meet.example.police.uk/meir"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the title of the event"),
        ({"type": "rave"}, "Select the type of event from the list"),
        ({"address": ""}, "Enter where the event is"),
        ({"attendance": ""}, "Select whether the event is in person or online"),
        ({"attendance": "online"}, "Say how residents join the online event"),
        ({"type": "online-surgery"}, "An online surgery is held online"),
        ({"postcode": "ST99"}, "Enter a real postcode, like ST3 1HH"),
        ({"start_time": "25:00"}, "The time it starts must be a real time, like 14:30"),
        ({"start_time": "teatime"}, "Enter the time it starts like 14:30 or 2:30pm"),
        ({"end_time": ""}, "Enter the time it ends"),
        ({"end_time": "13:00"}, "The event must end after it starts"),
        ({"start_date_month": "13"}, "The date it starts must be a real date"),
        ({"start_date_year": "2020"}, "The event must start in the future"),
    ],
)
def test_bad_event_input_is_refused(
    officer_client: Client, world: World, overrides: dict[str, str], message: str
) -> None:
    response = officer_client.post(
        reverse("teams:event-add", args=[world.meir.pk]), _event_post(**overrides)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not Event.objects.filter(neighbourhood=world.meir).exists()


def test_a_past_event_can_still_be_edited_but_not_moved_into_the_past(
    officer_client: Client, world: World
) -> None:
    past_start = (timezone.now() - timedelta(days=10)).replace(second=0, microsecond=0)
    event = services.event_create(
        neighbourhood=world.meir,
        title="Last month's surgery",
        start=past_start,
        end=past_start + timedelta(hours=1),
    )
    local = timezone.localtime(past_start)
    local_end = timezone.localtime(past_start + timedelta(hours=1))
    same_time = _event_post(
        title="Last month's surgery (notes added)",
        postcode="",
        **_date("start_date", local),
        start_time=local.strftime("%H:%M"),
        end_time=local_end.strftime("%H:%M"),
    )
    if local_end.date() != local.date():
        same_time.update(_date("end_date", local_end))
    response = officer_client.post(reverse("teams:event-edit", args=[event.pk]), same_time)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.title == "Last month's surgery (notes added)"

    earlier = dict(same_time, **_date("start_date", local - timedelta(days=1)))
    earlier.update(_date("end_date", local_end - timedelta(days=1)))
    response = officer_client.post(reverse("teams:event-edit", args=[event.pk]), earlier)
    assert response.status_code == 400
    assert "The event must start in the future" in response.content.decode()


def test_deleting_an_event_asks_first(officer_client: Client, world: World) -> None:
    officer_client.post(reverse("teams:event-add", args=[world.meir.pk]), _event_post())
    event = Event.objects.get(neighbourhood=world.meir)
    url = reverse("teams:event-delete", args=[event.pk])
    assert "Are you sure you want to delete the event" in officer_client.get(url).content.decode()
    assert officer_client.post(url).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
