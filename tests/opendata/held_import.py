"""An import held open part-way, in a process of its own (``test_ingest_readers_served.py``).

    python held_import.py REACHED RELEASE BULK PATH...

With DATABASE_URL naming the test database, it reloads PATH... as ``beatbook ingest`` does (on
a SQLite file through the ADBC writer, ADR 6). When the first file's rows are written, still
inside the run's transaction, it creates the file REACHED and waits until RELEASE exists. BULK
is ``size`` (the run counts as at least as big as the data held, like a reload of a whole
archive), ``yes`` or ``no`` (``ingest_paths``'s ``bulk``). Prints the run's files as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Long enough for a busy machine, short enough that a test whose reader never lets go ends.
HOLD_AT_MOST_SECONDS = 120


def _paused(real: Callable[..., None], reached: Path, release: Path) -> Callable[..., None]:
    def source_update(self: Any, source_id: int, fields: dict[str, object]) -> None:
        real(self, source_id, fields)
        if reached.exists():
            return
        reached.touch()
        deadline = time.monotonic() + HOLD_AT_MOST_SECONDS
        while not release.exists():
            if time.monotonic() > deadline:
                raise SystemExit("held_import: never released")
            time.sleep(0.02)

    return source_update


def main(arguments: list[str]) -> None:
    reached, release, bulk, *paths = arguments
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
    import django

    django.setup()
    from beatbook.opendata.ingest import bulk as bulk_module
    from beatbook.opendata.ingest.adbc_sqlite import AdbcSqliteWriter
    from beatbook.opendata.ingest.writers import DjangoWriter
    from beatbook.opendata.services import ingest_paths

    for writer in (DjangoWriter, AdbcSqliteWriter):
        paused = _paused(writer.source_update, Path(reached), Path(release))
        writer.source_update = paused  # type: ignore[method-assign]
    if bulk == "size":
        # As for a reload of a whole archive: as many rows coming as held, and plenty of them.
        bulk_module.BULK_MINIMUM_ROWS = 0
        bulk_module.BYTES_PER_ROW = 1
    choice = {"size": None, "yes": True, "no": False}[bulk]
    summary = ingest_paths(
        paths=[Path(path) for path in paths], reload=True, bulk=choice, arrow_writer=True
    )
    print(
        json.dumps(
            [
                {"status": result.status, "rows": result.rows_loaded, "message": result.message}
                for result in summary.files
            ]
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
