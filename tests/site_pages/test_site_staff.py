from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood

from .conftest import make_source_file

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("staff"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/staff/"


def test_a_signed_in_user_who_is_not_staff_is_refused(client: Client, resident_user: User) -> None:
    client.force_login(resident_user)

    response = client.get(reverse("staff"))

    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_staff_see_forces_organisations_users_and_the_import_history(
    client: Client, staff_user: User, staffordshire_data: Force
) -> None:
    client.force_login(staff_user)

    page = client.get(reverse("staff")).content.decode()

    assert "2025-01/2025-01-staffordshire-street.csv" in page
    assert "in /data/staffordshire-2025.zip" in page
    assert "Street-level crime" in page
    assert '<code title="SHA-256 ' + "ab" * 32 + '">' + "ab" * 6 + "</code>" in page
    assert "1 row rejected: no month" in page
    assert "2.5 s" in page
    assert "Staffordshire Police" in page
    assert "Police force" in page
    assert "Analyst at Staffordshire Police (whole force)" in page
    assert reverse("staff-neighbourhoods", args=["staffordshire"]) in page


def test_the_import_history_is_newest_first_and_paginated(
    client: Client, staff_user: User, staffordshire: Force
) -> None:
    for minutes_ago in range(30):
        make_source_file(
            force=staffordshire,
            month="2025-01",
            name=f"file-{minutes_ago:02d}.csv",
            minutes_ago=minutes_ago,
        )
    client.force_login(staff_user)

    first = client.get(reverse("staff")).content.decode()
    second = client.get(reverse("staff"), {"imports_page": 2}).content.decode()

    assert first.index("file-00.csv") < first.index("file-01.csv")
    assert "file-24.csv" in first
    assert "file-25.csv" not in first
    assert "file-25.csv" in second
    assert "file-00.csv" not in second
    assert "?imports_page=2" in first


def test_the_staff_page_needs_the_same_few_queries_however_much_there_is(
    client: Client, staff_user: User, staffordshire_data: Force, django_assert_max_num_queries
) -> None:
    police = staff_user.memberships.get().organisation
    nbhds = list(Neighbourhood.objects.filter(force=staffordshire_data))
    for i in range(20):
        user = user_create(username=f"officer{i}", password=None)
        membership_grant(
            user=user, organisation=police, role=Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=nbhds
        )
        organisation_create(name=f"Partner {i}", kind=OrganisationKind.VOLUNTARY)
    for i in range(30):
        make_source_file(force=staffordshire_data, month="2025-03", name=f"more-{i}.csv")
    client.force_login(staff_user)

    # 17: two are the navigation's checks for the Tasking and Partnerships links
    # (tasking.tasking_nav, partnerships.partnership_nav), one this page's for the Surveys link
    # (surveys.builder_queries.surveys_reachable).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("staff"))

    assert response.status_code == 200
    assert (
        "Neighbourhood officer or PCSO at Staffordshire Police: Longton, Meir North"
        in response.content.decode()
    )


def test_staff_page_through_a_forces_neighbourhoods(
    client: Client, staff_user: User, staffordshire: Force, django_assert_max_num_queries
) -> None:
    Neighbourhood.objects.bulk_create(
        Neighbourhood(force=staffordshire, code=f"n{i:03d}", name=f"Ward {i:03d}")
        for i in range(120)
    )
    client.force_login(staff_user)
    url = reverse("staff-neighbourhoods", args=["staffordshire"])

    # 7: two are the navigation's checks for the Tasking and Partnerships links.
    with django_assert_max_num_queries(7):
        last = client.get(url, {"page": 3}).content.decode()

    assert "120 neighbourhoods" in last
    assert "Ward 119" in last
    assert "Ward 099" not in last


def test_an_unknown_force_is_not_found(client: Client, staff_user: User) -> None:
    client.force_login(staff_user)

    assert client.get(reverse("staff-neighbourhoods", args=["atlantis"])).status_code == 404


def test_staff_of_one_force_do_not_see_another_forces_people(
    client: Client, staff_user: User
) -> None:
    cheshire = Force.objects.get(pk="cheshire")
    cheshire_police = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    carol = user_create(username="carol", password="correct horse battery", is_staff=True)
    membership_grant(user=carol, organisation=cheshire_police, role=Role.ANALYST)
    client.force_login(staff_user)

    page = client.get(reverse("staff")).content.decode()

    assert "Staffordshire Police" in page
    assert "Cheshire Constabulary" not in page
    assert "carol" not in page


def test_an_administrator_sees_every_forces_people(client: Client, staff_user: User) -> None:
    cheshire_police = organisation_create(
        name="Cheshire Constabulary",
        kind=OrganisationKind.POLICE_FORCE,
        force=Force.objects.get(pk="cheshire"),
    )
    carol = user_create(username="carol", password="correct horse battery", is_staff=True)
    membership_grant(user=carol, organisation=cheshire_police, role=Role.ANALYST)
    admin = user_create(username="ada", password="correct horse battery", is_superuser=True)
    client.force_login(admin)

    page = client.get(reverse("staff")).content.decode()

    assert "Cheshire Constabulary" in page
    assert "carol" in page


def test_staff_list_only_their_own_forces_neighbourhoods_and_imports(
    client: Client, staff_user: User, staffordshire_data: Force
) -> None:
    """Finding 9 of issue 11: any member of staff could list every force's neighbourhoods
    and the whole import history."""
    cheshire = Force.objects.get(pk="cheshire")
    Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe")
    make_source_file(force=cheshire, month="2025-01", name="2025-01-cheshire-street.csv")
    make_source_file(force=None, month="", name="lsoa-boundaries-2011.geojson")
    client.force_login(staff_user)

    page = client.get(reverse("staff")).content.decode()
    other = client.get(reverse("staff-neighbourhoods", args=["cheshire"]))
    own = client.get(reverse("staff-neighbourhoods", args=["staffordshire"]))

    assert "2025-01-staffordshire-street.csv" in page
    assert "lsoa-boundaries-2011.geojson" in page  # national files serve every force
    assert "cheshire-street" not in page
    assert reverse("staff-neighbourhoods", args=["cheshire"]) not in page
    assert ">Cheshire" not in page
    assert other.status_code == 404
    assert "Crewe" not in other.content.decode()
    assert own.status_code == 200
    assert "Longton" in own.content.decode()


def test_an_administrator_lists_every_forces_neighbourhoods_and_imports(
    client: Client, staffordshire_data: Force
) -> None:
    cheshire = Force.objects.get(pk="cheshire")
    Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe")
    make_source_file(force=cheshire, month="2025-01", name="2025-01-cheshire-street.csv")
    client.force_login(user_create(username="ada", password=None, is_superuser=True))

    page = client.get(reverse("staff")).content.decode()
    other = client.get(reverse("staff-neighbourhoods", args=["cheshire"]))

    assert "2025-01-cheshire-street.csv" in page
    assert "2025-01-staffordshire-street.csv" in page
    assert reverse("staff-neighbourhoods", args=["cheshire"]) in page
    assert other.status_code == 200
    assert "Crewe" in other.content.decode()
