"""Importing a fieldwork company's answers: every problem named (unknown answer codes, unknown
neighbourhoods or ones outside the area, bad age bands, duplicate ids, ids already held), the
file stored whole or not at all, the same file never counted twice; and the staff pages' three
steps (upload, say what each column holds, check and store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from beatbook.records.models import SourceFile
from beatbook.surveys.import_services import (
    SurveyImportError,
    import_check,
    import_mapping_guess,
    import_table_read,
    survey_import,
)
from beatbook.surveys.models import Answer, Response, Wave
from beatbook.surveys.survey_services import wave_close, wave_create, wave_open

from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db

GOOD = (
    "respondent_id,neighbourhood,age_band,sex,safe-after-dark,priorities,Q_other\n"
    "R1,SOT-LONGTON,35-44,female,fairly-safe,asb;drugs,More patrols please\n"
    "R2,Meir,65-74,Male,very-unsafe,burglary,\n"
    "R3,,,,,,\n"
)


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> SurveyWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    return survey_world_make()


def _mapping(world: SurveyWorld, text: str = GOOD, **more: str) -> dict[str, str]:
    table = import_table_read(content=text.encode())
    return {**import_mapping_guess(wave=world.wave, columns=table.columns), **more}


def _snapshot() -> tuple[list[tuple[Any, ...]], ...]:
    return (
        list(Response.objects.order_by("pk").values_list()),
        list(Answer.objects.order_by("pk").values_list()),
        list(SourceFile.objects.order_by("pk").values_list("kind", "sha256", "status")),
    )


def _problems(world: SurveyWorld, text: str, **more: str) -> list[str]:
    table = import_table_read(content=text.encode())
    return import_check(
        wave=world.wave, table=table, mapping=_mapping(world, text, **more)
    ).problems


def _import(world: SurveyWorld, text: str = GOOD, **more: str) -> Any:
    return survey_import(
        wave=world.wave,
        content=text.encode(),
        name="fieldwork.csv",
        mapping=_mapping(world, text, **more),
    )


# --- the service ------------------------------------------------------------------------------


def test_columns_headed_with_a_code_or_a_usual_name_are_matched(world: SurveyWorld) -> None:
    assert _mapping(world) == {
        "respondent_id": "respondent_id",
        "neighbourhood": "neighbourhood",
        "age_band": "age_band",
        "sex": "sex",
        "safe-after-dark": "safe-after-dark",
        "priorities": "priorities",
        "Q_other": "",
    }


def test_a_good_file_is_stored_with_its_ranks_words_and_record(world: SurveyWorld) -> None:
    outcome = _import(world, Q_other="anything-else")

    assert outcome.stored == 3
    rows = Response.objects.filter(wave=world.wave).order_by("external_id")
    assert [(r.external_id, r.channel, r.age_band, r.sex) for r in rows] == [
        ("R1", "imported", "35-44", "female"),
        ("R2", "imported", "65-74", "male"),
        ("R3", "imported", "", ""),
    ]
    assert rows[0].neighbourhood == world.longton
    assert rows[1].neighbourhood == world.meir
    ranked = Answer.objects.filter(response=rows[0], question__code="priorities")
    assert [(a.option.code, a.rank) for a in ranked.order_by("rank")] == [("asb", 1), ("drugs", 2)]
    words = Answer.objects.get(response=rows[0], question__code="anything-else")
    assert words.text == "More patrols please"
    assert not Answer.objects.filter(response=rows[2]).exists()  # blank: not answered
    source = outcome.source_file
    assert (source.kind, source.status, source.rows_read, source.rows_loaded) == (
        "survey-answers",
        "loaded",
        3,
        3,
    )
    assert source.force_id == "staffordshire"
    assert all(row.source_file == source for row in rows)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("R9,Meir,35-44,female,quite-safe,,", "row 5 (R9): safe-after-dark: quite-safe is not one"),
        (
            "R9,Meir,35-44,female,,asb;nope,",
            "row 5 (R9): priorities: nope is not one of its answers",
        ),
        ("R9,Atlantis,35-44,female,,,", "row 5 (R9): 'Atlantis' is not a neighbourhood we hold"),
        ("R9,CE-CREWE,35-44,female,,,", "row 5 (R9): Crewe is outside the survey's area"),
        ("R9,Meir,35-40,female,,,", "row 5 (R9): age band '35-40' is not one of"),
        ("R9,Meir,35-44,dog,,,", "row 5 (R9): sex 'dog' is not one of"),
        ("R1,Meir,35-44,female,,,", "respondent id 'R1' is on rows 2 and 5"),
        (",Meir,35-44,female,,,", "row 5: no respondent id"),
        ("R9,Meir,35-44,female,very-safe;fairly-safe,,", "only one answer may be chosen"),
        ("R9,Meir,35-44,female,,asb;drugs;burglary;violence,", "at most 3 priorities"),
    ],
)
def test_each_problem_is_named_and_nothing_is_stored(
    world: SurveyWorld, row: str, problem: str
) -> None:
    text = GOOD + row + "\n"
    before = _snapshot()

    found = _problems(world, text)
    with pytest.raises(SurveyImportError) as refused:
        _import(world, text)

    assert any(problem in line for line in found), found
    assert refused.value.problems == found
    assert _snapshot() == before


def test_every_problem_of_a_file_is_listed_at_once(world: SurveyWorld) -> None:
    text = GOOD + "R1,Atlantis,99,female,quite-safe,,\n"

    found = _problems(world, text)

    assert len(found) == 4  # neighbourhood, answer code, age band, repeated id


def test_an_id_already_held_for_the_wave_is_refused(world: SurveyWorld) -> None:
    _import(world)
    before = _snapshot()
    again = GOOD.replace("R3,,,,,,", "R3,,,,,,\nR4,,,,,,")  # another file: R1 to R3 held

    with pytest.raises(SurveyImportError) as refused:
        _import(world, again)

    assert "respondent id 'R1' has already answered August 2023" in refused.value.problems
    assert _snapshot() == before


def test_the_same_file_loaded_again_is_not_counted_twice(world: SurveyWorld) -> None:
    _import(world)
    before = Response.objects.count()

    again = _import(world)

    assert again.already_loaded
    assert again.stored == 0
    assert Response.objects.count() == before
    assert again.source_file.status == "unchanged"


def test_the_same_file_may_go_into_another_wave(world: SurveyWorld) -> None:
    _import(world)
    wave_close(wave=world.wave)
    later = wave_create(
        survey=world.survey,
        name="Later",
        opens_on=world.wave.opens_on,
        closes_on=world.wave.closes_on,
    )
    wave_open(wave=later)
    outcome = survey_import(
        wave=later, content=GOOD.encode(), name="fieldwork.csv", mapping=_mapping(world)
    )

    assert outcome.stored == 3


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        ({"respondent_id": ""}, "Choose the column that holds the respondent id"),
        ({"sex": "safe-after-dark"}, "sex and safe-after-dark cannot both hold safe-after-dark"),
        ({"Q_other": "no-such-question"}, "'no-such-question' is not a question August 2023 asks"),
    ],
)
def test_a_mapping_that_cannot_be_used_is_named(
    world: SurveyWorld, mapping: dict[str, str], problem: str
) -> None:
    before = _snapshot()

    with pytest.raises(SurveyImportError) as refused:
        _import(world, **mapping)

    assert any(problem in line for line in refused.value.problems), refused.value.problems
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "not a CSV with a header row"),
        (b"respondent_id,safe-after-dark\n", "has a header row but no answers"),
        (b"respondent_id,,x\nR1,,\n", "Every column needs a heading of its own"),
        (b"respondent_id,x,x\nR1,a,b\n", "Every column needs a heading of its own"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused(content: bytes, problem: str) -> None:
    with pytest.raises(SurveyImportError, match=problem):
        import_table_read(content=content)


def test_a_file_saved_by_excel_on_windows_is_read(world: SurveyWorld) -> None:
    text = "respondent_id,anything-else\nR1,Caf\xe9 on the corner\n"

    table = import_table_read(content=text.encode("cp1252"))

    assert table.rows == [["R1", "Caf\xe9 on the corner"]]


def test_a_draft_wave_takes_no_file(world: SurveyWorld) -> None:
    draft = wave_create(
        survey=world.survey,
        name="Draft",
        opens_on=world.wave.opens_on,
        closes_on=world.wave.closes_on,
    )
    before = _snapshot()

    with pytest.raises(SurveyImportError, match="has not opened"):
        survey_import(wave=draft, content=GOOD.encode(), name="f.csv", mapping=_mapping(world))

    assert _snapshot() == before


def test_a_failure_while_storing_leaves_nothing_behind(
    world: SurveyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Atomic: the record of the file and the answers go together, or not at all."""
    before = _snapshot()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disc is full")

    # The answers are the last thing written, after the responses and the file's record.
    monkeypatch.setattr("beatbook.surveys.response_services.insert_columns", broken)
    with pytest.raises(RuntimeError):
        _import(world)

    assert _snapshot() == before


# --- the pages --------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _step(name: str, wave: Wave) -> str:
    return reverse(name, kwargs={"slug": wave.survey.slug, "wave": wave.slug})


def _upload(client: Client, wave: Wave, text: str = GOOD) -> Any:
    upload = SimpleUploadedFile("fieldwork.csv", text.encode(), content_type="text/csv")
    return client.post(_step("survey_import", wave), {"file": upload})


def _columns(client: Client, wave: Wave, **choices: str) -> Any:
    page = client.get(_step("survey_import_mapping", wave))
    form = page.context["form"]
    data = {name: form[name].initial for name in form.fields}
    for column, target in choices.items():
        number = form.columns.index(column)
        data[f"column_{number}"] = target
    return client.post(_step("survey_import_mapping", wave), data)


def test_the_pages_upload_map_check_and_store_a_file(world: SurveyWorld, settings: Any) -> None:
    client = _client(world.analyst)

    uploaded = _upload(client, world.wave)
    assert uploaded.status_code == 302
    mapping_page = client.get(_step("survey_import_mapping", world.wave)).content.decode()
    assert "Q_other" in mapping_page
    assert "More patrols please" in mapping_page  # the first value, to tell what it is
    mapped = _columns(client, world.wave, Q_other="anything-else")
    assert mapped["Location"] == _step("survey_import_check", world.wave)
    check = client.get(_step("survey_import_check", world.wave)).content.decode()
    assert "<strong>3</strong> answers to August 2023" in check
    assert not Response.objects.exists()

    stored = client.post(_step("survey_import_check", world.wave), follow=True)

    assert "3 answers from fieldwork.csv are stored" in stored.content.decode()
    assert Response.objects.filter(channel="imported").count() == 3
    assert not list((Path(settings.DATA_DIR) / "survey-imports").glob("*.csv"))  # removed
    again = client.get(_step("survey_import_check", world.wave)).content.decode()
    assert "No file is waiting to be imported" in again


def test_the_check_page_lists_every_problem_and_stores_nothing(world: SurveyWorld) -> None:
    client = _client(world.analyst)
    _upload(client, world.wave, GOOD + "R1,Atlantis,35-40,female,quite-safe,,\n")
    _columns(client, world.wave)
    before = _snapshot()

    page = client.get(_step("survey_import_check", world.wave)).content.decode()
    stored = client.post(_step("survey_import_check", world.wave)).content.decode()

    for problem in (
        "&#x27;Atlantis&#x27; is not a neighbourhood we hold",
        "quite-safe is not one of its answers",
        "age band &#x27;35-40&#x27; is not one of",
        "respondent id &#x27;R1&#x27; is on rows 2 and 5",
    ):
        assert problem in page
        assert problem in stored
    assert "fieldwork.csv cannot be imported" in page
    assert "Store the answers" not in page
    assert _snapshot() == before


def test_the_mapping_step_names_a_mapping_it_cannot_use(world: SurveyWorld) -> None:
    client = _client(world.analyst)
    _upload(client, world.wave)

    response = _columns(client, world.wave, respondent_id="")

    assert "Choose the column that holds the respondent id" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_the_upload_step_refuses_what_is_not_a_csv(world: SurveyWorld) -> None:
    client = _client(world.analyst)

    missing = client.post(_step("survey_import", world.wave), {})
    empty = _upload(client, world.wave, "respondent_id,sex\n")

    assert "Choose the CSV file to upload" in missing.content.decode()
    assert "has a header row but no answers" in empty.content.decode()
    no_file = client.get(_step("survey_import_mapping", world.wave)).content.decode()
    assert "No file is waiting to be imported" in no_file


def test_the_check_page_says_a_file_is_already_loaded(world: SurveyWorld) -> None:
    _import(world)
    client = _client(world.analyst)
    _upload(client, world.wave)
    _columns(client, world.wave)
    before = _snapshot()

    page = client.get(_step("survey_import_check", world.wave)).content.decode()

    assert "fieldwork.csv is already loaded into August 2023: it is not counted twice" in page
    assert _snapshot() == before


def test_the_officer_and_the_outsider_import_nothing(world: SurveyWorld) -> None:
    before = _snapshot()
    for user, status in ((world.officer, 403), (world.outsider, 404)):
        client = _client(user)
        assert _upload(client, world.wave).status_code == status
        for step in ("survey_import", "survey_import_mapping", "survey_import_check"):
            assert client.get(_step(step, world.wave)).status_code == status
        assert client.post(_step("survey_import_check", world.wave)).status_code == status
    assert _snapshot() == before
