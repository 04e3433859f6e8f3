"""The perception survey's pages (issue 17), against the neighbourhood page.

Loads the bundled Staffordshire 2025 data through the demo loader into a SQLite database in
BEATBOOK_DATA_DIR (skipped when already loaded), makes the demo's sample teams and its
Stoke-on-Trent Perceptions Survey as ``beatbook demo`` does (``demo_surveys_refresh``: three
waves, 2,800 and 3,000 simulated residents in the closed ones, 150 in the open one; skipped when
made today), then times the pages with Django's test client in fresh processes, one after the
other (this file again, with ``--pages``). Each first does what ``beatbook serve`` does once
before forking its workers (``BeatbookServer.load``), so it stands for a new worker.

Before the first worker the survey's kept estimates (``WaveResult``) are deleted: the state
``beatbook demo`` leaves on the first start of a day, when it has just made the survey and no
page has asked for its figures yet.

  the first worker   the process's first request (the home page), then the first request for
                     each page (the first survey page to need a wave's figures computes and
                     keeps them), then p50/p99 of ``BENCH_RUNS`` requests a page;
  the second worker  the first request for each page again, in a process started after the
                     first (the figures are kept in the database by then);
  without preload    the first request for each page in a process that skipped the preload
                     (``--pages-cold``), as a one-off command or a test run meets them;
  after an import    in each of the three processes, after its other requests: for each page
                     showing the latest closed wave's figures, one more resident's answers are
                     stored in that wave (``responses_record``, as a late fieldwork file is),
                     which makes its kept figures stale, and the page is requested once: it
                     recomputes them (``surveys.result_services.wave_estimates``).

The public pages are requested signed out: the survey's "what you told us" page and one
neighbourhood's (Longton's when the survey asks it), and the answering start page of the open
wave. The staff pages as the demo's administrator (``demo-admin``, a superuser in Staffordshire
Police, so it also sees the free-text answers): the survey's results across its waves and the
latest closed wave's results.

The baseline is Longton's neighbourhood page (signed out), in the same run. The goals: p99
under 500 ms for the public pages; under 5 s for the first request of the staff wave results
page after new answers.

    BEATBOOK_DATA_DIR=/tmp/bench-survey-pages .venv/bin/python benchmarks/survey_pages.py
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections import defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import page_times, percentile_of  # noqa: E402

from beatbook.accounts.models import User  # noqa: E402
from beatbook.demo.bundle import FORCE_ID  # noqa: E402
from beatbook.demo.loader import demo_data_load  # noqa: E402
from beatbook.demo.people import demo_admin_ensure, demo_organisations_ensure  # noqa: E402
from beatbook.demo.sample_surveys import SLUG, demo_surveys_fresh, demo_surveys_refresh  # noqa: E402
from beatbook.demo.sample_teams import demo_teams_fresh, demo_teams_refresh  # noqa: E402
from beatbook.demo.setup import demo_password_path  # noqa: E402
from beatbook.places.models import Neighbourhood  # noqa: E402
from beatbook.site.server import BeatbookServer  # noqa: E402
from beatbook.surveys import selectors  # noqa: E402
from beatbook.surveys.models import Answer, Channel, Response, Survey, WaveResult  # noqa: E402
from beatbook.surveys.response_services import AnswerSet, responses_record  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
GOAL_MS = 500.0
SLOW_GOAL_MS = 5000.0
BASELINE = "baseline: neighbourhood page"
PUBLIC = ("public: survey results", "public: neighbourhood results", "public: answering start")
WAVE_RESULTS = "staff: latest closed wave's results"
# The pages showing the latest closed wave's figures: each is requested once after new answers.
AFTER_IMPORT = (
    WAVE_RESULTS,
    "staff: survey results",
    "public: survey results",
    "public: neighbourhood results",
)
# Answers the benchmark adds to the demo's wave; removed at the start of the next run.
BENCH_ID = "bench-survey-pages-"


def demo_survey() -> Survey:
    survey = Survey.objects.get(slug=SLUG)
    Response.objects.filter(wave__survey=survey, external_id__startswith=BENCH_ID).delete()
    return survey


def pages_made(survey: Survey) -> tuple[dict[str, tuple[bool, str]], dict[str, object]]:
    """Each page's name: (whether it is a staff page, its address); and what the workers need
    to add a resident's answers to the latest closed wave."""
    wave = selectors.published_waves(survey=survey).last()
    assert wave is not None
    hoods = list(selectors.survey_neighbourhoods(survey=survey).order_by("name"))
    chosen = next((n for n in hoods if n.name.startswith("Longton")), hoods[0])
    longton = Neighbourhood.objects.filter(name__startswith="Longton").order_by("name").first()
    assert longton is not None
    slug = survey.slug
    pages = {
        "public: survey results": (False, reverse("survey_public_results", args=[slug])),
        "public: neighbourhood results": (
            False,
            reverse("survey_public_neighbourhood_results", args=[slug, chosen.code]),
        ),
        "public: answering start": (False, reverse("survey_start", args=[slug])),
        "staff: survey results": (True, reverse("survey_results", args=[slug])),
        WAVE_RESULTS: (True, reverse("survey_wave_results", args=[slug, wave.slug])),
        BASELINE: (False, f"/neighbourhoods/{longton.force_id}/{longton.code}/"),
    }
    return pages, {"wave": wave.pk, "neighbourhood": chosen.name}


def answer_set_like(wave_id: int, external_id: str) -> AnswerSet:
    """A copy of one stored resident's answers in the wave, under a new respondent id."""
    template = (
        Response.objects.filter(wave_id=wave_id)
        .exclude(external_id__startswith=BENCH_ID)
        .select_related("neighbourhood")
        .order_by("id")
        .first()
    )
    assert template is not None
    answers: dict[str, list[str] | str] = defaultdict(list)
    rows = (
        Answer.objects.filter(response=template)
        .select_related("question", "option")
        .order_by("question_id", "rank", "id")
    )
    for row in rows:
        if row.option is None:
            answers[row.question.code] = row.text
        else:
            held = answers[row.question.code]
            assert isinstance(held, list)
            held.append(row.option.code)
    return AnswerSet(
        answers=dict(answers),
        neighbourhood=template.neighbourhood,
        lsoa_code=template.lsoa_code,
        age_band=template.age_band,
        sex=template.sex,
        external_id=external_id,
    )


def after_import(
    clients: dict[bool, Client], pages: dict[str, tuple[bool, str]], wave_id: int, label: str
) -> dict[str, float]:
    """For each page showing the wave's figures: one more resident's answers, then the page."""
    from beatbook.surveys.models import Wave

    wave = Wave.objects.get(pk=wave_id)
    times = {}
    for number, name in enumerate(AFTER_IMPORT):
        answer_set = answer_set_like(wave_id, f"{BENCH_ID}{label}-{number}")
        responses_record(
            wave=wave,
            channel=Channel.IMPORTED,
            answer_sets=[answer_set],
            submitted_on=timezone.localdate(),
        )
        staff, path = pages[name]
        times[name] = page_times(clients[staff], path, 1)[0]
    return times


def worker(
    pages: dict[str, tuple[bool, str]], wave_id: int, runs: int, label: str, *, preload: bool
) -> dict[str, object]:
    """In a fresh process: the server's preload (unless ``preload`` is false), the first request
    for each page, then ``runs`` more of each, then each page once after new answers."""
    start = time.perf_counter()
    if preload:
        # What ``beatbook serve`` does once before it forks its workers; ``load`` uses nothing
        # of its instance, so gunicorn's set-up (no part of this benchmark) is skipped.
        BeatbookServer.__new__(BeatbookServer).load()
    preload_ms = (time.perf_counter() - start) * 1000
    public = Client()
    staff = Client()
    staff.force_login(User.objects.get(username="demo-admin"))
    clients = {False: public, True: staff}
    home = page_times(public, "/", 1)[0]
    first = {name: page_times(clients[s], path, 1)[0] for name, (s, path) in pages.items()}
    warm = {name: page_times(clients[s], path, runs) for name, (s, path) in pages.items()}
    imported = after_import(clients, pages, wave_id, label)
    return {
        "preload": preload_ms,
        "home": home,
        "first": first,
        "warm": warm,
        "after_import": imported,
    }


def worker_run(
    pages: dict[str, tuple[bool, str]], wave_id: int, runs: int, label: str, *, preload: bool = True
) -> dict[str, object]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--pages" if preload else "--pages-cold",
            str(runs),
            str(wave_id),
            label,
        ],
        input=json.dumps(pages),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the worker process failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(one: dict[str, object], two: dict[str, object], cold: dict[str, object]) -> None:
    first, again, unloaded = one["first"], two["first"], cold["first"]
    warm = one["warm"]
    after = [one["after_import"], two["after_import"], cold["after_import"]]
    assert isinstance(first, dict)
    assert isinstance(again, dict)
    assert isinstance(unloaded, dict)
    assert isinstance(warm, dict)
    print(
        f"the server's preload: first worker {one['preload']:.0f} ms, second worker "
        f"{two['preload']:.0f} ms (before any request; not counted below)"
    )
    print(
        f"the process's first request (home page): first worker {one['home']:.1f} ms, "
        f"second worker {two['home']:.1f} ms, a process without the preload {cold['home']:.1f} ms"
    )
    base = warm[BASELINE]
    for name, values in warm.items():
        line = (
            f"{name}: first {first[name]:.1f} ms (second worker {again[name]:.1f} ms, "
            f"without the preload {unloaded[name]:.1f} ms), "
            f"p50 {percentile_of(values, 50):.1f} ms, p99 {percentile_of(values, 99):.1f} ms"
        )
        if name != BASELINE:
            ratio = percentile_of(values, 50) / percentile_of(base, 50)
            line += f"; ratio to the baseline p50 {ratio:.2f}x"
        if name in PUBLIC:
            verdict = "meets" if percentile_of(values, 99) < GOAL_MS else "MISSES"
            line += f"; goal p99 < {GOAL_MS:,.0f} ms: {verdict}"
        print(line)
    print("the first request after one more resident's answers were stored in the wave:")
    for name in AFTER_IMPORT:
        times = [float(run[name]) for run in after]  # type: ignore[index]
        line = (
            f"  {name}: first worker {times[0]:.1f} ms, second worker {times[1]:.1f} ms, "
            f"without the preload {times[2]:.1f} ms; ratio to the baseline p50 "
            f"{max(times) / percentile_of(base, 50):.1f}x (worst)"
        )
        if name == WAVE_RESULTS:
            verdict = "meets" if max(times) < SLOW_GOAL_MS else "MISSES"
            line += f"; goal < {SLOW_GOAL_MS:,.0f} ms: {verdict}"
        print(line)


def main() -> None:
    if sys.argv[1:2] in (["--pages"], ["--pages-cold"]):
        pages = json.loads(sys.stdin.read())
        runs, wave_id, label = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        result = worker(pages, wave_id, runs, label, preload=sys.argv[1] == "--pages")
        print(json.dumps(result))
        return
    call_command("migrate", verbosity=0)
    demo_data_load()
    demo_organisations_ensure()
    demo_admin_ensure(password_file=demo_password_path())
    # As ``beatbook demo`` does: the sample priorities first (a wave links to one of them).
    if not demo_teams_fresh(force_id=FORCE_ID):
        demo_teams_refresh(force_id=FORCE_ID)
    if not demo_surveys_fresh(force_id=FORCE_ID):
        start = time.perf_counter()
        print(demo_surveys_refresh(force_id=FORCE_ID))
        print(f"  made in {time.perf_counter() - start:.1f} s")
    survey = demo_survey()
    pages, facts = pages_made(survey)
    WaveResult.objects.filter(wave__survey=survey).delete()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, SQLite, {RUNS} warm runs a page, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )
    print(f"  {survey.title}: {Response.objects.filter(wave__survey=survey).count():,} residents")
    for name, (staff, path) in pages.items():
        print(f"  {name}: {path}{' (signed in as demo-admin)' if staff else ''}")
    wave_id = int(str(facts["wave"]))
    one = worker_run(pages, wave_id, RUNS, "one")
    two = worker_run(pages, wave_id, 0, "two")
    cold = worker_run(pages, wave_id, 0, "cold", preload=False)
    report(one, two, cold)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
