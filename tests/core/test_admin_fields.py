from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test import RequestFactory

from beatbook.places.models import Force, Neighbourhood
from beatbook.teams.models import EngagementMethod, NeighbourhoodLink


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Force, "url"),
        (Neighbourhood, "url_force"),
        (EngagementMethod, "url"),
        (NeighbourhoodLink, "url"),
    ],
)
def test_the_admin_reads_a_web_address_without_a_scheme_as_https(
    model: type[models.Model], field: str
) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    form = admin.site._registry[model].get_form(request)
    url_field = form.base_fields[field]
    assert url_field.clean("www.staffordshire.police.uk") == "https://www.staffordshire.police.uk"
