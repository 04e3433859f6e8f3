from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from beatbook.demo.sample_teams import demo_teams_fresh, demo_teams_refresh
from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.teams import services
from beatbook.teams.models import Event, Priority, SeniorOfficer, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def force() -> Force:
    force, _ = Force.objects.update_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police", "url": "https://example.org/"}
    )
    longton = Neighbourhood.objects.create(
        force=force, code="longton", name="Longton & Meir Hay South"
    )
    Neighbourhood.objects.create(force=force, code="hanley", name="Etruria & Hanley")
    source = SourceFile.objects.create(
        kind=SourceKind.STREET,
        path="2025-12-staffordshire-street.csv",
        sha256="0" * 64,
        force=force,
        month="2025-12",
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )
    for category, count in (("shoplifting", 3), ("burglary", 1)):
        for _ in range(count):
            Crime.objects.create(
                force=force,
                month="2025-12",
                category=category,
                neighbourhood=longton,
                source=source,
            )
    return force


def test_every_neighbourhood_gets_a_sample_team_priorities_and_upcoming_events(
    force: Force,
) -> None:
    today = date(2026, 5, 4)
    summary = demo_teams_refresh(force_id="staffordshire", today=today)
    # Two priorities where the data shows two kinds of crime; one where it shows none.
    assert (summary.neighbourhoods, summary.team_members, summary.priorities) == (2, 6, 3)
    for neighbourhood in Neighbourhood.objects.all():
        events = Event.objects.filter(neighbourhood=neighbourhood)
        assert events.count() >= 2
        assert all(event.start.date() > today for event in events)
        assert all(event.sample for event in events)
        # One notice on the page says the content is sample content, not every text in it.
        assert not any("Sample content" in event.description for event in events)
        # Two events, two places.
        assert len({event.address for event in events if not event.online}) >= 2
        assert TeamMember.objects.filter(neighbourhood=neighbourhood, sample=True).count() == 3
    # Longton's first priority is its commonest crime in the data.
    first = Priority.objects.filter(neighbourhood__code="longton").order_by("id").first()
    assert first is not None
    assert first.issue.startswith("<p>Repeat shoplifting")
    assert SeniorOfficer.objects.filter(sample=True).count() == 2


def test_a_refresh_replaces_sample_rows_and_keeps_what_staff_entered(force: Force) -> None:
    longton = Neighbourhood.objects.get(code="longton")
    services.team_member_create(neighbourhood=longton, name="Real Officer", rank="PC")
    first = demo_teams_refresh(force_id="staffordshire", today=date(2026, 5, 4))
    again = demo_teams_refresh(force_id="staffordshire", today=date(2026, 6, 1))
    assert first == again
    assert TeamMember.objects.filter(sample=True).count() == 6
    assert TeamMember.objects.filter(name="Real Officer", sample=False).exists()
    assert min(Event.objects.values_list("start", flat=True)).date() > date(2026, 6, 1)


def test_the_command_names_an_unknown_force() -> None:
    with pytest.raises(CommandError, match="No force 'atlantis'"):
        call_command("demo_teams", "--force", "atlantis")


def test_sample_content_counts_as_fresh_only_on_the_day_it_was_made(force: Force) -> None:
    assert not demo_teams_fresh(force_id=force.pk)

    demo_teams_refresh(force_id=force.pk)

    today = timezone.localdate()
    assert demo_teams_fresh(force_id=force.pk, today=today)
    assert not demo_teams_fresh(force_id=force.pk, today=today + timedelta(days=1))


def test_sample_events_carry_the_postcode_nearest_the_point_inside_the_neighbourhood(
    force: Force,
) -> None:
    # The box's middle (52.99, -2.13) is not in this neighbourhood: the point inside it is.
    Neighbourhood.objects.filter(code="longton").update(
        min_lat=52.98,
        max_lat=53.00,
        min_lng=-2.14,
        max_lng=-2.12,
        centre_lat=52.982,
        centre_lng=-2.138,
    )
    Postcode.objects.create(postcode="ST3 1AA", quality=10, latitude=52.990, longitude=-2.130)
    Postcode.objects.create(postcode="ST3 9ZZ", quality=10, latitude=52.981, longitude=-2.139)
    Postcode.objects.create(postcode="ST1 1AA", quality=10, latitude=53.020, longitude=-2.180)
    demo_teams_refresh(force_id="staffordshire", today=date(2026, 5, 4))
    longton = Event.objects.filter(neighbourhood__code="longton")
    assert longton.exists()
    assert all(event.address.endswith(", ST3 9ZZ") for event in longton)
    # Hanley has no bounding box here: its events keep their plain addresses.
    hanley = Event.objects.filter(neighbourhood__code="hanley")
    assert hanley.exists()
    assert not any(event.address.endswith("AA") for event in hanley)
