"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser).

They skip, saying why, where /usr/bin/chromium is missing, except under CI=true, where a
missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM = Path(os.environ.get("BEATBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The default map tiles (OpenStreetMap's) fail at once, as they do on a machine with no
    # internet: the tests never fetch them, and the maps must read well without them.
    "--host-resolver-rules=MAP tile.openstreetmap.org ~NOTFOUND",
]


# Module scope, not session: Playwright's sync API keeps an event loop running in the test
# thread while the browser is open, and later tests that use asyncio must not find it there.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but there is no chromium at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium to run browser tests)")
    from playwright.sync_api import sync_playwright

    # Django takes that running loop for async code and refuses ORM calls; the tests' own set-up
    # calls are plain synchronous ones. Allowed only while the browser is open: set for the
    # whole run, it would also fail Django's deployment check (async.E001) elsewhere.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """docs/screenshots with UPDATE_SCREENSHOTS=1, else a scratch folder (runs leave no changes)."""
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder
