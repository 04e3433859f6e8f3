"""Importing a fieldwork company's answers into a wave, in three steps: upload the CSV, say
what each column holds, then check every row and store them all (or none). The file waits
between steps in ``import_uploads``; the session remembers which file and mapping are whose.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from beatbook.accounts.access import staff_required
from beatbook.surveys import import_services, import_uploads
from beatbook.surveys.builder_access import posted, posted_files, show, survey_to_manage, wave_of
from beatbook.surveys.builder_forms import ImportMappingForm, ImportUploadForm
from beatbook.surveys.import_services import ImportTable, SurveyImportError
from beatbook.surveys.models import Wave, WaveStatus
from beatbook.surveys.selectors import wave_questions

# The most problems a page lists: the rest are counted.
PROBLEMS_SHOWN = 200


def _session_key(wave: Wave) -> str:
    return f"survey-import-{wave.pk}"


def _wave(request: HttpRequest, slug: str, wave_slug: str) -> Wave | HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    return wave_of(found, wave_slug)


def _waiting(request: HttpRequest, wave: Wave) -> tuple[dict[str, Any], ImportTable] | None:
    """The file waiting to be imported into ``wave`` by this user, read; None if there is
    none (never uploaded, already stored, or removed)."""
    state = request.session.get(_session_key(wave))
    content = import_uploads.upload_read(state["key"]) if state else None
    if state is None or content is None:
        return None
    try:
        return state, import_services.import_table_read(content=content)
    except SurveyImportError:
        return None


def _nothing_waiting(request: HttpRequest, wave: Wave) -> HttpResponse:
    context = {"survey": wave.survey, "wave": wave, "step": "none"}
    return show(request, "surveys/builder_import.html", context)


@staff_required
def import_upload(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    form = ImportUploadForm(posted(request), posted_files(request))
    if request.method == "POST" and found.status == WaveStatus.DRAFT:
        form.add_error(None, f"{found.name} has not opened: its questions are not fixed yet")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            import_services.import_table_read(content=content)
        except SurveyImportError as error:
            for problem in error.problems:
                form.add_error("file", problem)
        else:
            old = request.session.get(_session_key(found))
            if old:
                import_uploads.upload_drop(old["key"])
            key = import_uploads.upload_keep(content)
            request.session[_session_key(found)] = {"key": key, "name": upload.name, "mapping": {}}
            return redirect("survey_import_mapping", slug=slug, wave=found.slug)
    context = {"survey": found.survey, "wave": found, "form": form, "step": "upload"}
    return show(request, "surveys/builder_import.html", context)


@staff_required
def import_mapping(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    waiting = _waiting(request, found)
    if waiting is None:
        return _nothing_waiting(request, found)
    state, table = waiting
    guesses = state["mapping"] or import_services.import_mapping_guess(
        wave=found, columns=table.columns
    )
    form = ImportMappingForm(
        posted(request),
        columns=table.columns,
        questions=wave_questions(wave=found),
        guesses=guesses,
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        problems = import_services.import_mapping_problems(wave=found, mapping=mapping)
        for problem in problems:
            form.add_error(None, problem)
        if not problems:
            request.session[_session_key(found)] = {**state, "mapping": mapping}
            return redirect("survey_import_check", slug=slug, wave=found.slug)
    examples = [
        next((row[n] for row in table.rows if n < len(row) and row[n].strip()), "")
        for n in range(len(table.columns))
    ]
    context = {
        "survey": found.survey,
        "wave": found,
        "form": form,
        "rows": list(zip(form, examples, strict=True)),
        "name": state["name"],
        "step": "mapping",
    }
    return show(request, "surveys/builder_import.html", context)


@staff_required
def import_check(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    waiting = _waiting(request, found)
    if waiting is None or not waiting[0]["mapping"]:
        return _nothing_waiting(request, found)
    state, table = waiting
    if request.method == "POST":
        stored = _store(request, found, state)
        if stored is not None:
            return stored
    check = import_services.import_check(wave=found, table=table, mapping=state["mapping"])
    problems = check.problems
    if import_services.import_already_loaded(wave=found, sha256=table.sha256):
        problems = [f"{state['name']} is already loaded into {found.name}: it is not counted twice"]
    context = {
        "survey": found.survey,
        "wave": found,
        "name": state["name"],
        "count": len(check.answer_sets),
        "problems": problems[:PROBLEMS_SHOWN],
        "more": max(0, len(problems) - PROBLEMS_SHOWN),
        "step": "check",
    }
    return show(request, "surveys/builder_import.html", context)


def _store(request: HttpRequest, wave: Wave, state: dict[str, Any]) -> HttpResponse | None:
    """Stores the waiting file; None (the check page is shown again) if it was refused."""
    content = import_uploads.upload_read(state["key"]) or b""
    try:
        outcome = import_services.survey_import(
            wave=wave, content=content, name=state["name"], mapping=state["mapping"]
        )
    except SurveyImportError:
        return None  # the check page lists why
    import_uploads.upload_drop(state["key"])
    del request.session[_session_key(wave)]
    if outcome.already_loaded:
        messages.error(
            request, f"{state['name']} is already loaded into {wave.name}: nothing changed."
        )
    else:
        messages.success(request, f"{outcome.stored:,} answers from {state['name']} are stored.")
    return redirect("survey_wave", slug=wave.survey.slug, wave=wave.slug)
