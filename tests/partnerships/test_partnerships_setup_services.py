"""Setting up a partnership: details, an area of local authorities from the LSOA data (across
forces, and several partnerships in one force), members and groups; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from beatbook.partnerships import partnership_services as services
from beatbook.partnerships.models import (
    Action,
    GroupKind,
    MemberStanding,
    Partnership,
    PartnershipMember,
)
from beatbook.partnerships.partnership_areas import partnership_area
from beatbook.partnerships.selectors import partnerships_for_user
from beatbook.places.models import Lsoa

from .partnerships_world_meetings import (
    CHESHIRE_EAST,
    NEWCASTLE,
    STOKE,
    MeetingWorld,
    build_meeting_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> MeetingWorld:
    return build_meeting_world()


def details(name: str, **more: str) -> services.PartnershipDetails:
    return services.PartnershipDetails(name=name, **more)


def test_a_partnership_is_made_with_a_slug_from_its_name(world: MeetingWorld) -> None:
    made = services.partnership_create(details=details("Safer Newcastle", aim="  Safer  "))

    assert made.slug == "safer-newcastle"
    assert made.aim == "Safer"


def test_its_area_is_every_lsoa_of_its_authorities(world: MeetingWorld) -> None:
    area = partnership_area(partnership=world.partnership)

    assert area.lsoa_codes == tuple(sorted(STOKE))
    assert area.force_ids == ("staffordshire",)
    assert area.population == sum(
        Lsoa.objects.filter(code__in=STOKE).values_list("population_2021", flat=True)
    )


def test_an_area_may_span_two_forces(world: MeetingWorld) -> None:
    across = services.partnership_create(details=details("Border Partnership"))

    names = services.partnership_authorities_set(
        partnership=across, names=["Newcastle-under-Lyme", "cheshire east"]
    )
    area = partnership_area(partnership=across)

    assert names == ["Newcastle-under-Lyme", "Cheshire East"]
    assert set(area.lsoa_codes or ()) == set(NEWCASTLE + CHESHIRE_EAST)
    assert area.force_ids == ("cheshire", "staffordshire")


def test_a_force_may_hold_several_partnerships(world: MeetingWorld) -> None:
    newcastle = services.partnership_create(details=details("Safer Newcastle"))
    services.partnership_authorities_set(partnership=newcastle, names=["Newcastle-under-Lyme"])
    services.partnership_member_add(
        partnership=newcastle, details=services.MemberDetails(organisation=world.police)
    )

    seen = partnerships_for_user(user=world.users["analyst"])

    assert set(seen) == {world.partnership, newcastle}
    assert set(partnership_area(partnership=newcastle).lsoa_codes or ()) == set(NEWCASTLE)
    assert partnerships_for_user(user=world.users["admin"]).get() == world.partnership


def test_an_unknown_authority_is_refused_with_close_names_and_nothing_changes(
    world: MeetingWorld,
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.partnership_authorities_set(
            partnership=world.partnership, names=["Newcastle-under-Lyme", "Stoke on Trent"]
        )

    message = refused.value.message_dict["authorities"][0]
    assert "holds no LSOAs for a local authority called 'Stoke on Trent'" in message
    assert "Did you mean Stoke-on-Trent?" in message
    assert list(world.partnership.authorities.values_list("name", flat=True)) == ["Stoke-on-Trent"]


def test_no_authority_at_all_is_refused(world: MeetingWorld) -> None:
    with pytest.raises(ValidationError, match="at least one local authority"):
        services.partnership_authorities_set(partnership=world.partnership, names=["  "])


@pytest.mark.parametrize(
    ("name", "slug", "field"),
    [
        ("", "", "name"),
        ("Another", "actions", "slug"),
        ("Stoke-on-Trent Safer City Partnership", "x", "name"),
    ],
)
def test_bad_details_are_refused(world: MeetingWorld, name: str, slug: str, field: str) -> None:
    before = Partnership.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.partnership_create(details=details(name, slug=slug))

    assert field in refused.value.message_dict
    assert Partnership.objects.count() == before


def test_a_named_member_that_is_not_an_organisation(world: MeetingWorld) -> None:
    member = services.partnership_member_add(
        partnership=world.partnership,
        details=services.MemberDetails(name="Community members", standing=MemberStanding.MEMBER),
    )

    assert member.display_name == "Community members"
    with pytest.raises(ValidationError, match="already a member"):
        services.partnership_member_add(
            partnership=world.partnership,
            details=services.MemberDetails(name="community members"),
        )


def test_an_organisation_is_a_member_once(world: MeetingWorld) -> None:
    with pytest.raises(ValidationError, match="Staffordshire Police is already a member"):
        services.partnership_member_add(
            partnership=world.partnership,
            details=services.MemberDetails(organisation=world.police),
        )


def test_a_member_needs_an_organisation_or_a_name(world: MeetingWorld) -> None:
    with pytest.raises(ValidationError, match="Choose an organisation or give"):
        services.partnership_member_add(
            partnership=world.partnership, details=services.MemberDetails()
        )


def test_a_member_with_open_actions_stays(world: MeetingWorld) -> None:
    member = world.partnership.members.get(organisation=world.fire)
    Action.objects.create(
        partnership=world.partnership,
        description="Fire safety visits",
        owner=world.fire,
        due="2026-01-31",
    )

    with pytest.raises(ValidationError, match="still owns 1 open action"):
        services.partnership_member_remove(member=member)
    assert PartnershipMember.objects.filter(pk=member.pk).exists()


def test_a_member_is_removed_and_its_representative_changed(world: MeetingWorld) -> None:
    member = world.partnership.members.get(organisation=world.fire)
    services.partnership_member_update(
        member=member,
        standing=MemberStanding.RESPONSIBLE,
        representative="Area Manager Jones",
        representative_role="Area manager",
    )
    member.refresh_from_db()
    assert member.get_standing_display() == "Responsible authority"

    services.partnership_member_remove(member=member)

    assert not world.partnership.members.filter(organisation=world.fire).exists()


def test_groups_are_named_once(world: MeetingWorld) -> None:
    with pytest.raises(ValidationError, match="already has a group called North JAG"):
        services.partnership_group_create(
            partnership=world.partnership, kind=GroupKind.JAG, name="north jag"
        )
    with pytest.raises(ValidationError, match="strategy group or a JAG"):
        services.partnership_group_create(partnership=world.partnership, kind="board", name="Board")
    assert world.partnership.groups.count() == 2
