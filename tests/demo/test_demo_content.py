"""The demo's sample content reads as real (issue 12, item 16), on the demo's own data: events
at real, distinct public places of each neighbourhood with postcodes the event rules accept,
bios that say something, and no
"sample content" line in every text (one notice a page says it: see tests/site_pages)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from django.db import transaction

from beatbook.demo.bundle import FORCE_ID
from beatbook.demo.loader import demo_data_load
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.places.models import Neighbourhood
from beatbook.teams.models import Event, TeamMember
from beatbook.teams.venue import event_place_errors, postcode_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The demo's data and sample content, loaded once for the module in a transaction that
    is rolled back at its end, so no other test sees them."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        demo_data_load()
        demo_teams_refresh(force_id=FORCE_ID)
        yield
        transaction.set_rollback(True)


def test_every_event_is_at_a_place_the_event_rules_accept(demo: None) -> None:
    by_neighbourhood: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(sample=True).select_related("neighbourhood"):
        errors = event_place_errors(
            neighbourhood=event.neighbourhood,
            type=event.type,
            online=event.online,
            address=event.address,
            joining_details=event.joining_details,
        )
        assert errors == {}, (event.neighbourhood.name, event.address, errors)
        by_neighbourhood[event.neighbourhood_id].append(event)
    assert len(by_neighbourhood) == Neighbourhood.objects.filter(force_id=FORCE_ID).count()
    placed = 0
    for events in by_neighbourhood.values():
        in_person = [event.address for event in events if not event.online]
        # No two events of a neighbourhood at one place, and no made-up "community centre".
        assert len(set(in_person)) == len(in_person), in_person
        assert not any("community centre" in address for address in in_person)
        placed += all(postcode_in(address) for address in in_person)
    # Nearly every neighbourhood's events carry a postcode, and so show on its map.
    assert placed >= 0.95 * len(by_neighbourhood)


def test_bios_say_something(demo: None) -> None:
    bios = list(TeamMember.objects.filter(sample=True).values_list("rank", "bio"))
    assert bios
    for rank, bio in bios:
        assert len(bio) > 80, (rank, bio)
        assert "Sample content" not in bio
    assert len({bio for _, bio in bios}) > len(bios) / 3
