"""No answer stores anything that identifies a person unless they gave contact details and
consented: a resident answers through the pages from a known address, with a known browser and
postcode, and then every column of every survey row written is read for them, and for a time
of day. The rest of the database, the sessions table decoded included, holds none of them
either, except the rate limiter's bucket (which holds the address, and drains away)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from beatbook.core import bucket_store
from beatbook.core.models import RateBucket
from beatbook.places.models import Postcode
from beatbook.surveys.models import Answer, Response

from .answer_support import CHECK, FULL_ANSWERS, SENT, START, about, answer_world_make

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) SurveyPrivacyProbe/9.9"
POSTCODE = "ST3 1AA"
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}(am|pm)\b", re.IGNORECASE)


def _identifying(value: Any, *, times: bool = True) -> list[str]:
    """What in one stored value could identify the resident or (``times``) when they
    answered."""
    found = []
    if times and isinstance(value, dt.datetime | dt.time):
        found.append(f"a time of day ({value!r})")
    text = str(value)
    folded = text.casefold().replace(" ", "")
    if ADDRESS in text or "203.0.113" in text:
        found.append("the IP address")
    if "st31aa" in folded:
        found.append("the postcode")
    if "surveyprivacyprobe" in folded or "mozilla" in folded:
        found.append("the user agent")
    if times and isinstance(value, str) and TIME_OF_DAY.search(value):
        found.append(f"a time of day in {value!r}")
    return found


def _row_problems(model: type[models.Model], *, times: bool = True) -> list[str]:
    problems = []
    columns = [field.attname for field in model._meta.concrete_fields]
    for row in model.objects.values(*columns):
        for column, value in row.items():
            found = _identifying(value, times=times)
            problems += [f"{model.__name__}.{column}: {what}" for what in found]
    return problems


def _send_through_the_pages(client: Client, contact: dict[str, str]) -> None:
    headers = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER}
    client.get(START, **headers)
    assert client.post(START, {"consent": "on"}, **headers).status_code == 302
    for path, data in FULL_ANSWERS:
        filled = {"answer": POSTCODE} if path == about("postcode") else data
        filled = contact if path == about("contact") else filled
        assert client.post(path, filled, **headers).status_code == 302, path
    assert client.post(CHECK, {}, **headers)["Location"] == SENT


def test_no_survey_row_holds_the_address_the_postcode_the_browser_or_a_time() -> None:
    world = answer_world_make()

    _send_through_the_pages(Client(), contact={})

    response = Response.objects.get()
    assert response.neighbourhood == world.longton  # the postcode was used, then dropped
    assert (response.contact_name, response.contact_email) == ("", "")
    assert Answer.objects.filter(response=response).count() == 8
    for model in (Response, Answer):
        kinds = {type(field) for field in model._meta.concrete_fields}
        assert not kinds & {models.DateTimeField, models.TimeField}, model
    assert _row_problems(Response) + _row_problems(Answer) == []


def test_contact_details_given_with_consent_are_all_that_is_added() -> None:
    answer_world_make()

    _send_through_the_pages(
        Client(), contact={"name": "Pat Resident", "email": "pat@example.org", "consent": "on"}
    )

    response = Response.objects.get()
    assert (response.contact_name, response.contact_email) == ("Pat Resident", "pat@example.org")
    assert _row_problems(Response) + _row_problems(Answer) == []


def _session_problems() -> list[str]:
    problems = []
    for session in Session.objects.all():
        decoded = SessionStore().decode(session.session_data)
        problems += [f"a session: {what}" for what in _identifying(repr(decoded))]
    return problems


def test_nothing_else_in_the_database_keeps_them_but_the_rate_bucket() -> None:
    """Every table of every model (the held postcodes themselves aside), and the sessions
    decoded: only the rate limiter's bucket names the address."""
    answer_world_make()

    _send_through_the_pages(Client(), contact={})

    # Other tables keep when they were changed (users, the survey itself): only the resident's
    # address, postcode and browser are looked for there.
    problems = [
        problem
        for model in apps.get_models()
        if model not in (Postcode, RateBucket, Session)
        for problem in _row_problems(model, times=model in (Response, Answer))
    ]
    assert problems + _session_problems() == []
    assert _bucket_keys() == [f"survey:{ADDRESS}"]


def _bucket_keys() -> list[str]:
    """The rate limiter's buckets: the table's rows on PostgreSQL, a file apart on SQLite."""
    path = bucket_store.bucket_file()
    if path is None:
        return list(RateBucket.objects.values_list("key", flat=True))
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute(f"SELECT key FROM {bucket_store.TABLE}")]  # noqa: S608


def test_the_probe_finds_what_it_looks_for() -> None:
    """The control: the same reading finds each of them when a row does hold it, so its
    silence above means something."""
    world = answer_world_make()
    Response.objects.create(
        wave=world.wave,
        channel="open",
        submitted_on=dt.date(2023, 8, 2),
        external_id=f"{ADDRESS} st3 1aa",
        contact_name=BROWSER,
        contact_email="pat@example.org",
        contact_consent=True,
        lsoa_code="",
    )
    Answer.objects.create(
        response=Response.objects.get(),
        question=world.survey.questions.get(code="anything-else"),
        text="Sent at 9:41",
    )

    found = " | ".join(_row_problems(Response) + _row_problems(Answer))

    assert "Response.external_id: the IP address" in found
    assert "Response.external_id: the postcode" in found
    assert "Response.contact_name: the user agent" in found
    assert "Answer.text: a time of day" in found
