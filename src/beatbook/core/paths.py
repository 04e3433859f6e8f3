"""Where Beatbook keeps its files: the per-user data directory and the generated secret key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """The data directory: ``BEATBOOK_DATA_DIR`` or the platform's per-user data folder."""
    configured = os.environ.get("BEATBOOK_DATA_DIR", "").strip()
    path = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("beatbook"))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def generated_secret_key(directory: Path) -> str:
    """A secret key kept in the data directory, made on first use.

    Used only when ``SECRET_KEY`` is not set, so that a single machine (the demo, an analyst's
    laptop) keeps sessions across restarts without any set-up. Several servers must share a
    configured key instead; the check ``beatbook.W001`` says so.
    """
    path = directory / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()
