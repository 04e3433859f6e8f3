"""The staff's operation pages and the public operation page, as each person meets them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .operations_world import PASSWORD, OperationsWorld


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_sergeant_sees_the_week_with_its_enforcement(world: OperationsWorld) -> None:
    page = _client("sergeant").get(reverse("operations:detail", args=[world.week.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.enforcement.title in text
    assert "Never published" in text


def test_a_partner_sees_the_week_but_not_the_police_enforcement(world: OperationsWorld) -> None:
    page = _client("coordinator").get(reverse("operations:detail", args=[world.week.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.mobile_station.title in text
    assert world.enforcement.title not in text


def test_another_force_gets_not_found(world: OperationsWorld) -> None:
    client = _client("cheshire")
    assert client.get(reverse("operations:detail", args=[world.week.pk])).status_code == 404
    assert world.week.name not in client.get(reverse("operations:list")).content.decode()


def test_the_public_page_shows_public_activities_only(world: OperationsWorld) -> None:
    page = Client().get(reverse("operations:public", args=[world.week.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.mobile_station.title in text
    assert world.enforcement.title not in text
    assert "Hidden Close" not in text


def test_an_unpublished_operation_has_no_public_page(world: OperationsWorld) -> None:
    world.week.public = False
    world.week.save()
    assert Client().get(reverse("operations:public", args=[world.week.pk])).status_code == 404
