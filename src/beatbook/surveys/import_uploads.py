"""Where an uploaded answers file waits between the import's steps (mapping, check, store).

It is kept as a file under the data folder (``DATA_DIR/survey-imports``), not in the session:
a fieldwork file of 20,000 answers is several megabytes, and the session is a database row read
and written on every request. The session holds only the file's random name (never a path
typed by anyone), its original name and the chosen mapping. Files left by an import never
finished are removed after a day, when the next one is uploaded.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

KEEP_SECONDS = 24 * 3600
_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "survey-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(key: str) -> Path | None:
    return _folder() / f"{key}.csv" if _KEY.match(key) else None


def _old_removed(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # removed by another request at the same moment


def upload_keep(content: bytes) -> str:
    """Keeps the file until the import is stored or abandoned; gives back its key."""
    folder = _folder()
    _old_removed(folder)
    key = secrets.token_urlsafe(24)
    (folder / f"{key}.csv").write_bytes(content)
    return key


def upload_read(key: str) -> bytes | None:
    path = _path(key)
    if path is None or not path.exists():
        return None
    return path.read_bytes()


def upload_drop(key: str) -> None:
    path = _path(key)
    if path is not None:
        path.unlink(missing_ok=True)
