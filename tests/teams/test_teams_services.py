from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from beatbook.places.models import Force, Neighbourhood
from beatbook.teams import services
from beatbook.teams.models import Event, Priority, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def longton() -> Neighbourhood:
    force, _ = Force.objects.get_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    return Neighbourhood.objects.create(force=force, code="SOT-LONGTON", name="Longton")


def test_it_keeps_a_team_member_with_contact_details_in_police_uk_order(
    longton: Neighbourhood,
) -> None:
    member = services.team_member_create(
        neighbourhood=longton,
        name="Sam Patel",
        rank="PC 1234",
        contact_details={"twitter": "https://x.com/longtonpolice", "email": "longton@example.org"},
    )
    member.refresh_from_db()
    assert member.contact_details == {
        "twitter": "https://x.com/longtonpolice",
        "email": "longton@example.org",
    }
    assert list(TeamMember.objects.filter(neighbourhood=longton)) == [member]


def test_it_rejects_an_unknown_contact_channel_and_saves_nothing(longton: Neighbourhood) -> None:
    with pytest.raises(ValidationError, match="Unknown contact channel"):
        services.team_member_create(
            neighbourhood=longton, name="Sam Patel", rank="PC", contact_details={"pager": "123"}
        )
    assert not TeamMember.objects.exists()


def test_it_rejects_an_empty_contact_value(longton: Neighbourhood) -> None:
    with pytest.raises(ValidationError, match="Give a text value for: telephone"):
        services.neighbourhood_contact_set(
            neighbourhood=longton, contact_details={"telephone": " "}
        )


def test_it_rejects_an_event_that_ends_before_it_starts(longton: Neighbourhood) -> None:
    with pytest.raises(ValidationError):
        services.event_create(
            neighbourhood=longton,
            title="Street surgery",
            start=datetime(2026, 5, 2, 14, tzinfo=UTC),
            end=datetime(2026, 5, 2, 12, tzinfo=UTC),
        )
    assert not Event.objects.exists()


def test_it_records_what_was_done_about_a_priority(longton: Neighbourhood) -> None:
    priority = services.priority_create(
        neighbourhood=longton,
        issue="<p>Speeding on Uttoxeter Road</p>",
        issue_date=datetime(2026, 3, 1, tzinfo=UTC),
    )
    services.priority_record_action(
        priority=priority,
        action="<p>Speed checks on six days</p>",
        action_date=datetime(2026, 4, 1, tzinfo=UTC),
        outcome="41 drivers warned",
    )
    stored = Priority.objects.get()
    assert (stored.action, stored.outcome) == (
        "<p>Speed checks on six days</p>",
        "41 drivers warned",
    )


def test_staff_can_open_every_teams_admin_page(
    admin_client: Client, longton: Neighbourhood
) -> None:
    services.team_member_create(neighbourhood=longton, name="Sam Patel", rank="PC")
    for model in (
        "neighbourhoodcontact",
        "teammember",
        "priority",
        "event",
        "neighbourhoodlink",
        "neighbourhoodlocation",
        "seniorofficer",
        "engagementmethod",
    ):
        for url in (f"/admin/teams/{model}/", f"/admin/teams/{model}/add/"):
            response = admin_client.get(url)
            assert response.status_code == 200, url
