from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import User
from beatbook.accounts.services import user_create
from beatbook.opendata.models import Crime, Location, Outcome, StopAndSearch
from beatbook.places.models import Force
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db

READ_ONLY = [SourceFile, Crime, Outcome, StopAndSearch, Location]


@pytest.fixture
def superuser() -> User:
    return user_create(username="root", password="correct horse battery staple", is_superuser=True)


def test_every_beatbook_model_is_in_the_admin() -> None:
    registered = {model._meta.label for model in admin.site._registry}

    for label in [
        "accounts.User",
        "accounts.Organisation",
        "accounts.Membership",
        "places.Force",
        "places.Lsoa",
        "places.Neighbourhood",
        "places.Postcode",
        "places.AreaName",
        "records.SourceFile",
        "opendata.Crime",
        "opendata.Outcome",
        "opendata.StopAndSearch",
        "opendata.Location",
    ]:
        assert label in registered, label


def test_every_change_list_opens(
    client: Client, superuser: User, staffordshire_data: Force
) -> None:
    client.force_login(superuser)

    for model in admin.site._registry:
        if model._meta.app_label not in {"accounts", "places", "opendata"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", READ_ONLY)
def test_imported_data_cannot_be_added_changed_or_deleted_in_the_admin(
    rf, superuser: User, model: type
) -> None:
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = superuser

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_the_import_history_is_viewable_in_the_admin(
    client: Client, superuser: User, staffordshire_data: Force
) -> None:
    client.force_login(superuser)
    source = SourceFile.objects.first()
    assert source is not None

    page = client.get(reverse("admin:records_sourcefile_change", args=[source.pk])).content.decode()

    assert source.sha256 in page
    assert "Save" not in page


def test_a_users_memberships_are_edited_on_the_user_page(
    client: Client, superuser: User, staff_user: User
) -> None:
    client.force_login(superuser)

    page = client.get(reverse("admin:accounts_user_change", args=[staff_user.pk])).content.decode()

    assert "Memberships" in page
    assert "Staffordshire Police" in page
