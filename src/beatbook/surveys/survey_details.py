"""A survey's details as staff set them on the builder's form: its title, force, purpose,
privacy notice, contact address, area and which demographic questions it asks.

``survey_services.survey_create`` makes the row; this module adds what the form holds beyond
it and changes it later. The area is fixed once a wave has opened: answers already given were
weighted to that area, and a later wave over another area could not be compared with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.models import Survey, WaveStatus
from beatbook.surveys.survey_services import SurveyError, survey_create

# Addresses the builder's own pages use under /staff/surveys/: a survey may not be called this.
# "new" is the builder's /staff/surveys/new/; "i" the residents' /surveys/i/<invitation>/.
RESERVED_SLUGS = frozenset({"new", "i"})


@dataclass(frozen=True)
class SurveyDetails:
    title: str
    purpose: str
    privacy_notice: str
    contact_email: str = ""
    neighbourhoods: Sequence[Neighbourhood] = field(default_factory=tuple)
    ask_age_band: bool = True
    ask_sex: bool = True
    ask_postcode: bool = True


def _slug_for(title: str) -> str:
    """The address made from the title, never one of the builder's own addresses; empty lets
    ``survey_create`` choose (and number) it."""
    base = slugify(title)[:70]
    return f"survey-{base}" if base in RESERVED_SLUGS else ""


def _free(slug: str) -> str:
    candidate, number = slug, 2
    while Survey.objects.filter(slug=candidate).exists():
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _flags_save(survey: Survey, details: SurveyDetails) -> None:
    survey.contact_email = details.contact_email.strip()
    survey.ask_age_band = details.ask_age_band
    survey.ask_sex = details.ask_sex
    survey.ask_postcode = details.ask_postcode


@transaction.atomic
def survey_details_create(*, force: Force, details: SurveyDetails, created_by: User) -> Survey:
    """A new survey of ``force``; ``SurveyError`` if a neighbourhood lies outside it."""
    reserved = _slug_for(details.title)
    survey = survey_create(
        force=force,
        title=details.title,
        purpose=details.purpose,
        privacy_notice=details.privacy_notice,
        neighbourhoods=details.neighbourhoods,
        created_by=created_by,
        slug=_free(reserved) if reserved else "",
    )
    _flags_save(survey, details)
    survey.save()
    return survey


def _area_changed(survey: Survey, chosen: Sequence[Neighbourhood]) -> bool:
    held = set(survey.neighbourhoods.values_list("pk", flat=True))
    return held != {neighbourhood.pk for neighbourhood in chosen}


@transaction.atomic
def survey_details_update(*, survey: Survey, details: SurveyDetails) -> Survey:
    """Changes the details; the force and the address stay. The area may change only until a
    wave opens (``SurveyError`` says why, and nothing is changed)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    outside = [n.name for n in details.neighbourhoods if n.force_id != survey.force_id]
    if outside:
        raise SurveyError(f"{', '.join(outside)} is not in {survey.force.name}")
    if _area_changed(survey, details.neighbourhoods):
        if survey.waves.exclude(status=WaveStatus.DRAFT).exists():
            raise SurveyError(
                "The area cannot change once a wave has opened: its answers were given for this "
                "area. Start a new survey for another area."
            )
        survey.neighbourhoods.set(details.neighbourhoods)
    survey.title = details.title.strip()
    survey.purpose = details.purpose.strip()
    survey.privacy_notice = details.privacy_notice.strip()
    _flags_save(survey, details)
    survey.save()
    return survey
