"""Running a wave beyond opening and closing it (``survey_services``): publishing its results
on the public pages, and deleting a draft made by mistake."""

from __future__ import annotations

from django.db import transaction

from beatbook.surveys.models import Wave, WaveStatus
from beatbook.surveys.survey_services import SurveyError


@transaction.atomic
def wave_results_publish(*, wave: Wave, published: bool) -> Wave:
    """Shows (or stops showing) a closed wave's results on the public pages. An open wave's
    answers are still coming in: its figures would change under the residents reading them."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if published and wave.status != WaveStatus.CLOSED:
        raise SurveyError(f"{wave.name} must be closed before its results are published")
    wave.results_published = published
    wave.save(update_fields=["results_published", "updated_at"])
    return wave


@transaction.atomic
def wave_delete(*, wave: Wave) -> None:
    """Deletes a draft wave; one that has opened keeps its answers and cannot be deleted."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status != WaveStatus.DRAFT:
        raise SurveyError(f"{wave.name} has opened, so it is kept with its answers")
    wave.delete()
