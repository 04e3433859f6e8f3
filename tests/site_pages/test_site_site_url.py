"""E-mails and calendar feeds link to the address ``beatbook serve`` and ``beatbook demo``
really serve on (host and port), unless ``SITE_URL`` is configured."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from beatbook.enquiries.models import OutgoingEmail
from beatbook.enquiries.services import question_ask
from beatbook.places.models import Force, Neighbourhood
from beatbook.site.management.commands import serve
from beatbook.site.server import ServerOptions

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``beatbook serve`` up to the point it would serve: what the site address was then."""
    seen: dict[str, Any] = {}

    def fake_run(*, options: ServerOptions, on_ready: Any = None) -> None:
        seen["settings"] = settings.SITE_URL
        seen["environment"] = os.environ.get("SITE_URL")
        longton = Neighbourhood.objects.create(
            force=Force.objects.get(pk="staffordshire"), code="longton", name="Longton"
        )
        question = question_ask(
            neighbourhood=longton,
            kind="question",
            subject="Parking",
            body="Who checks the parking outside the school?",
            email="resident@example.org",
        )
        seen["email"] = OutgoingEmail.objects.get(question=question).body
        seen["reference"] = question.reference

    monkeypatch.setattr(serve, "server_run", fake_run)
    # Whatever the command sets is put back after the test.
    monkeypatch.setattr(settings, "SITE_URL", settings.SITE_URL)
    monkeypatch.delenv("SITE_URL", raising=False)
    return seen


def test_serve_links_e_mails_to_the_port_it_serves_on(served: dict[str, Any]) -> None:
    port = free_port()

    call_command("serve", "--port", str(port), "--workers", "1", "--no-worker")

    address = f"http://127.0.0.1:{port}"
    assert served["settings"] == address
    # The task worker is a child process that reads its settings afresh from the environment.
    assert served["environment"] == address
    assert f"{address}/questions/{served['reference']}/" in served["email"]
    assert "127.0.0.1:8000" not in served["email"]


def test_a_configured_site_url_wins(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "https://beatbook.example.org")
    monkeypatch.setattr(settings, "SITE_URL", "https://beatbook.example.org")

    call_command("serve", "--port", str(free_port()), "--workers", "1", "--no-worker")

    assert served["settings"] == "https://beatbook.example.org"
    assert f"https://beatbook.example.org/questions/{served['reference']}/" in served["email"]


def test_a_server_listening_on_every_address_links_to_this_machines_name() -> None:
    options = ServerOptions(host="0.0.0.0", port=8123)  # noqa: S104 - never bound here

    assert options.site_url == f"http://{socket.getfqdn()}:8123"
    assert ServerOptions(host="::1", port=8001).site_url == "http://[::1]:8001"
