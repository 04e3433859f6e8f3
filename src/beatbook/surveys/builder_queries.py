"""The reads the builder's staff pages make: a survey's waves with their answers counted by
channel, a wave's invitation batches, and the residents who asked to be contacted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Membership, User
from beatbook.surveys.models import Channel, Invitation, Response, Survey, Wave
from beatbook.surveys.selectors import SURVEY_ROLES


@dataclass(frozen=True)
class WaveCounts:
    wave: Wave
    invitation: int
    open_link: int
    imported: int

    @property
    def total(self) -> int:
        return self.invitation + self.open_link + self.imported


def _by_channel(channel: str) -> Count:
    return Count("responses", filter=Q(responses__channel=channel))


def _counted(waves: QuerySet[Wave]) -> list[WaveCounts]:
    waves = waves.annotate(
        by_invitation=_by_channel(Channel.INVITATION),
        by_open_link=_by_channel(Channel.OPEN_LINK),
        by_import=_by_channel(Channel.IMPORTED),
    ).order_by("opens_on", "id")
    return [
        WaveCounts(
            wave=wave,
            invitation=wave.by_invitation,
            open_link=wave.by_open_link,
            imported=wave.by_import,
        )
        for wave in waves
    ]


def survey_wave_counts(*, survey: Survey) -> list[WaveCounts]:
    """Each wave, oldest first, with how many answered by each channel (one query)."""
    return _counted(survey.waves.all())


def wave_counts(*, wave: Wave) -> WaveCounts:
    return _counted(Wave.objects.filter(pk=wave.pk))[0]


@dataclass(frozen=True)
class BatchSummary:
    batch: str
    made: int
    used: int
    first_made: object


def invitation_batches(*, wave: Wave) -> list[BatchSummary]:
    """Each batch of invitations of the wave: how many were made and how many used."""
    rows = (
        Invitation.objects.filter(wave=wave)
        .values("batch")
        .annotate(
            made=Count("id"),
            used=Count("id", filter=Q(used_on__isnull=False)),
            first_made=Min("created_at"),
        )
        .order_by("first_made", "batch")
    )
    return [
        BatchSummary(
            batch=row["batch"], made=row["made"], used=row["used"], first_made=row["first_made"]
        )
        for row in rows
    ]


def contact_requests(*, wave: Wave) -> QuerySet[Response]:
    """The residents who answered ``wave`` and asked to be contacted, with their consent."""
    return (
        Response.objects.filter(wave=wave, contact_consent=True)
        .exclude(contact_email="", contact_name="")
        .select_related("neighbourhood")
        .order_by("neighbourhood__name", "contact_name", "id")
    )


def surveys_reachable(*, user: User) -> bool:
    """Whether the staff page links to the surveys: ``user`` may see a survey or start one
    (``selectors.surveys_for_user`` or ``may_create_survey``), asked in one query."""
    if not is_staff_member(user):
        return False
    if user.is_superuser:
        return True
    runs_or_sees = Q(role__in=SURVEY_ROLES) | Q(force__surveys__isnull=False)
    return Membership.objects.filter(user=user).exclude(force=None).filter(runs_or_sees).exists()
