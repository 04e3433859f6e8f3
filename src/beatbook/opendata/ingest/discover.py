"""Turn the paths given to ``beatbook ingest`` into the CSV files (or zip members) to load."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from beatbook.opendata.ingest.results import IngestError, IngestInputError


@dataclass(frozen=True)
class InputFile:
    """One CSV to load: a file on disk, or a member of a zip. ``problem`` marks a bad member."""

    path: Path
    member: str = ""
    size: int = 0
    problem: str = ""

    @property
    def name(self) -> str:
        return PurePosixPath(self.member).name if self.member else self.path.name

    @property
    def label(self) -> str:
        return f"{self.path}:{self.member}" if self.member else str(self.path)

    def read_bytes(self) -> bytes:
        if not self.member:
            return self.path.read_bytes()
        try:
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(self.member)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise IngestError(f"{self.label}: cannot read it from the zip: {exc}") from exc


def inputs_discover(*, paths: list[Path]) -> list[InputFile]:
    """Every CSV under the given paths, in a stable order; raise at once for a missing path."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise IngestInputError(f"no such file or folder: {', '.join(missing)}")
    found: list[InputFile] = []
    for path in paths:
        found.extend(_inputs_of(path))
    return found


def _inputs_of(path: Path) -> list[InputFile]:
    if path.is_dir():
        found: list[InputFile] = []
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in {".csv", ".zip"}:
                found.extend(_inputs_of(child))
        return found
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return _zip_members(path)
    return [InputFile(path=path, size=path.stat().st_size)]


def _zip_members(path: Path) -> list[InputFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        return [InputFile(path=path, problem=f"{path}: not a readable zip file ({exc})")]
    junk = [info.filename for info in infos if not info.filename.lower().endswith(".csv")]
    if junk:
        # Something else in the archive means it is not what we think it is: load none of it.
        return [
            InputFile(
                path=path,
                problem=(
                    f"{path}: the zip holds {junk[0]!r}, which is not a police.uk CSV (expected "
                    "YYYY-MM/YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv); "
                    "nothing in this zip was loaded"
                ),
            )
        ]
    return [
        InputFile(path=path, member=info.filename, size=info.file_size)
        for info in sorted(infos, key=lambda info: info.filename)
    ]
