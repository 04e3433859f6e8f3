"""Invitation links for an address-based or panel sample: a batch of single-use links, made for
one wave. Only each token's SHA-256 is kept (``surveys.tokens``), so the links exist once, in the
file handed back when the batch is made: lose it, and make a new batch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse

from beatbook.surveys.models import Invitation, Wave, WaveStatus
from beatbook.surveys.survey_services import SurveyError
from beatbook.surveys.tokens import token_hash, token_new

MOST_AT_ONCE = 20_000
BATCH_NAME_LENGTH = 80


def invitation_path(token: str) -> str:
    """The answering page's address for one invitation."""
    return reverse("survey_invitation", kwargs={"token": token})


@transaction.atomic
def invitations_make(*, wave: Wave, count: int, batch: str) -> list[str]:
    """Makes ``count`` invitations for a draft or open wave and gives back their tokens, which
    are nowhere else: the caller shows them once."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    batch = batch.strip()
    if wave.status == WaveStatus.CLOSED:
        raise SurveyError(f"{wave.name} is closed: nobody can answer an invitation to it")
    if not 1 <= count <= MOST_AT_ONCE:
        raise SurveyError(f"Make between 1 and {MOST_AT_ONCE:,} invitations at a time")
    if not batch or len(batch) > BATCH_NAME_LENGTH:
        raise SurveyError(f"Name the batch (up to {BATCH_NAME_LENGTH} characters)")
    if wave.invitations.filter(batch=batch).exists():
        # Counts of made and used links are shown by batch: two batches must not merge.
        raise SurveyError(f"{wave.name} already has a batch called {batch!r}: name this one anew")
    tokens = [token_new() for _ in range(count)]
    Invitation.objects.bulk_create(
        (Invitation(wave=wave, token_hash=token_hash(token), batch=batch) for token in tokens),
        batch_size=2000,
    )
    return tokens


def invitations_csv(*, tokens: Sequence[str], site: str) -> str:
    """The links as a CSV (``invitation_number,link``); ``site`` is e.g. ``https://host``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["invitation_number", "link"])
    for number, token in enumerate(tokens, start=1):
        writer.writerow([number, f"{site}{invitation_path(token)}"])
    return out.getvalue()
