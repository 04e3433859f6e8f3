"""Turn the paths given to ``beatbook ingest`` into the CSV files (or zip members) to load.

What a file may expand to is checked here first, from sizes on disk and the sizes a zip's
directory declares, before anything is read; ``spool`` enforces the same limits again while it
unpacks, since a zip's directory can lie.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from beatbook.opendata.ingest.results import IngestInputError

MB = 1_000_000
# Below this a member cannot hurt, however well it compresses; above it, a compression ratio
# past the limit is refused. police.uk's files compress 5 to 26 times.
RATIO_APPLIES_ABOVE = 1 << 20


@dataclass(frozen=True)
class IngestLimits:
    """How large one CSV may be, and how far a zip member may expand past its packed size."""

    max_bytes: int
    max_ratio: float

    @classmethod
    def from_settings(cls) -> IngestLimits:
        return cls(
            max_bytes=int(settings.INGEST_MAX_FILE_MB) * MB,
            max_ratio=float(settings.INGEST_MAX_COMPRESSION_RATIO),
        )

    def too_large(self, size: int, *, at_least: bool = False) -> str:
        """Why ``size`` bytes is refused, or "" when it is within the limit."""
        if size <= self.max_bytes:
            return ""
        holds = f"{'at least ' if at_least else ''}{_megabytes(size)}"
        return (
            f"the file holds {holds}, more than the limit of {_megabytes(self.max_bytes)} "
            "(INGEST_MAX_FILE_MB); nothing was loaded from it"
        )

    def too_compressed(self, size: int, packed: int, *, at_least: bool = False) -> str:
        """Why ``size`` bytes unpacked from ``packed`` is refused, or "" when it is not."""
        if size <= RATIO_APPLIES_ABOVE or size <= self.max_ratio * max(packed, 1):
            return ""
        ratio = f"{'at least ' if at_least else ''}{size / max(packed, 1):,.0f}"
        return (
            f"it expands {ratio} times ({_megabytes(packed)} to {_megabytes(size)}), past the "
            f"compression ratio limit of {self.max_ratio:,.0f} (INGEST_MAX_COMPRESSION_RATIO): "
            "a real police.uk file is never packed so tightly; "
            "nothing was loaded from it"
        )


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size < 10 * MB and size % MB else f"{size // MB:,} MB"


@dataclass(frozen=True)
class InputFile:
    """One CSV to load: a file on disk, or a member of a zip. ``problem`` marks a bad one.

    ``size`` is the size on disk, or the unpacked size the zip's directory declares;
    ``packed`` a member's compressed size.
    """

    path: Path
    member: str = ""
    size: int = 0
    packed: int = 0
    problem: str = ""

    @property
    def name(self) -> str:
        return PurePosixPath(self.member).name if self.member else self.path.name

    @property
    def label(self) -> str:
        return f"{self.path}:{self.member}" if self.member else str(self.path)


def inputs_discover(*, paths: list[Path]) -> list[InputFile]:
    """Every CSV under the given paths, in a stable order; raise at once for a missing path."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise IngestInputError(f"no such file or folder: {', '.join(missing)}")
    limits = IngestLimits.from_settings()
    found: list[InputFile] = []
    for path in paths:
        found.extend(_inputs_of(path, limits))
    return found


def _inputs_of(path: Path, limits: IngestLimits) -> list[InputFile]:
    if path.is_dir():
        children = [
            child
            for child in sorted(path.rglob("*"))
            if child.is_file() and child.suffix.lower() in {".csv", ".zip"}
        ]
        if not children:
            raise IngestInputError(
                f"no police.uk CSV or zip files in {path} "
                "(expected YYYY-MM-<force>-street.csv and the like, or police.uk archive zips)"
            )
        return [found for child in children for found in _inputs_of(child, limits)]
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return _zip_members(path, limits)
    size = path.stat().st_size
    problem = limits.too_large(size)
    return [InputFile(path=path, size=size, problem=f"{path}: {problem}" if problem else "")]


def _zip_members(path: Path, limits: IngestLimits) -> list[InputFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        return [InputFile(path=path, problem=f"{path}: not a readable zip file ({exc})")]
    if not infos:
        return [
            InputFile(
                path=path,
                problem=(
                    f"{path}: the zip holds no files, so there is nothing to load (expected "
                    "YYYY-MM/YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv)"
                ),
            )
        ]
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
    return [_member(path, info, limits) for info in sorted(infos, key=lambda info: info.filename)]


def _member(path: Path, info: zipfile.ZipInfo, limits: IngestLimits) -> InputFile:
    problem = limits.too_large(info.file_size) or limits.too_compressed(
        info.file_size, info.compress_size
    )
    if problem:
        # Sized 0: a refused member must not count towards the run's size (bulk mode).
        return InputFile(
            path=path, member=info.filename, problem=f"{path}:{info.filename}: {problem}"
        )
    return InputFile(
        path=path, member=info.filename, size=info.file_size, packed=info.compress_size
    )
