"""The demo's Stoke-on-Trent Safer City Partnership: as issue 16 describes it, remade from today
without piling up, and its meeting agenda built from the demo's own crime data."""

from __future__ import annotations

from datetime import date

import pytest

from beatbook.demo.sample_partnership import AIM, demo_partnership_ensure
from beatbook.partnerships.meeting_agendas import meeting_agenda, meeting_agenda_build
from beatbook.partnerships.models import ActionStatus, GroupKind, MemberStanding
from beatbook.partnerships.selectors import actions_for_user, partnerships_for_user
from beatbook.places.models import Force, Lsoa

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 16)


@pytest.fixture
def stoke_lsoas() -> None:
    force = Force.objects.get(pk="staffordshire")
    Lsoa.objects.bulk_create(
        Lsoa(code=f"E0101{n:04d}", name=f"Stoke-on-Trent {n:03d}A", census_year=2021, force=force)
        for n in range(1, 6)
    )


def test_the_partnership_is_as_the_issue_describes_it(stoke_lsoas: None) -> None:
    made = demo_partnership_ensure(today=TODAY)
    partnership = made.partnership

    assert partnership.aim == AIM
    assert partnership.sample
    assert list(partnership.authorities.values_list("name", flat=True)) == ["Stoke-on-Trent"]
    names = [m.display_name for m in partnership.members.select_related("organisation")]
    assert names[:3] == ["Community members", "Elected members", "Service users"]
    assert "Staffordshire Police" in names
    assert "Stoke-on-Trent Clinical Commissioning Group" in names
    works_with = partnership.members.filter(standing=MemberStanding.WORKS_WITH)
    assert {m.display_name for m in works_with} == {
        "Staffordshire County Council",
        "Police and Crime Commissioner",
    }
    kinds = sorted(partnership.groups.values_list("kind", flat=True))
    assert kinds == [GroupKind.JAG, GroupKind.JAG, GroupKind.STRATEGY]
    assert partnerships_for_user(user=made.partner_user).get() == partnership


def test_a_past_meeting_has_minutes_and_a_next_one_is_scheduled(stoke_lsoas: None) -> None:
    made = demo_partnership_ensure(today=TODAY)
    meetings = list(made.partnership.groups.get(kind=GroupKind.STRATEGY).meetings.all())

    upcoming, past = meetings  # newest first
    assert upcoming.minutes_saved_at is None
    assert upcoming.starts_at.date() > TODAY > past.starts_at.date()
    assert past.agenda is not None
    assert past.decisions.count() == 2
    agenda = meeting_agenda(meeting=past)
    assert agenda.kept
    statuses = dict(past.actions.values_list("owner__name", "status"))
    assert statuses["Staffordshire Fire and Rescue Service"] == ActionStatus.DONE
    # The police's action was due a week ago and is still open: overdue at the next meeting.
    overdue = meeting_agenda_build(meeting=upcoming).overdue_actions
    assert [a.owner for a in overdue] == ["Staffordshire Police"]
    council_actions = actions_for_user(user=made.partner_user)
    assert [a.owner.name for a in council_actions] == ["Stoke-on-Trent City Council"]


def test_a_second_refresh_remakes_meetings_and_actions_without_piling_up(
    stoke_lsoas: None,
) -> None:
    first = demo_partnership_ensure(today=TODAY)
    again = demo_partnership_ensure(today=date(2026, 3, 17))

    assert again.partnership == first.partnership
    assert (again.meetings, again.actions) == (first.meetings, first.actions) == (3, 4)
    assert again.partnership.members.count() == 12


@pytest.mark.slow
def test_with_the_demos_data_the_agenda_compares_the_latest_months_held() -> None:
    from beatbook.demo.loader import demo_data_load

    demo_data_load()
    made = demo_partnership_ensure(today=TODAY)
    upcoming = made.partnership.groups.get(kind=GroupKind.STRATEGY).meetings.first()
    assert upcoming is not None

    hotspots = meeting_agenda_build(meeting=upcoming).hotspots

    assert hotspots.compared
    assert hotspots.recent_months == ["2025-10", "2025-11", "2025-12"]
    assert hotspots.rows
    assert all(row.lsoa_name.startswith("Stoke-on-Trent ") for row in hotspots.rows)
