"""What every places import shares: errors, results, provenance rows, file reading."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from beatbook.records.models import SourceFile, SourceKind, SourceStatus


class PlacesImportError(Exception):
    """Bad input to an import: the message names the file, and the line or feature."""


@dataclass(frozen=True)
class Loaded:
    """What one import's loader did, per input file (for its provenance row)."""

    rows_read: int
    rows_loaded: int
    message: str = ""
    member: str = ""


@dataclass(frozen=True)
class ImportResult:
    """The outcome of a whole import: totals, a one-line summary and the provenance rows."""

    kind: str
    paths: tuple[Path, ...]
    rows_read: int
    rows_loaded: int
    message: str
    source_file_ids: tuple[int, ...]
    seconds: float
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.paths[0]


def run_import(
    *,
    kind: SourceKind,
    paths: Sequence[Path],
    load: Callable[[], dict[Path, Loaded]],
    force_id: str | None = None,
) -> ImportResult:
    """Run ``load`` in one transaction and record a ``SourceFile`` row per input file.

    A failure rolls everything back and then records the attempt as failed, with the reason, so
    staff can see it; the data is as it was.
    """
    started = timezone.now()
    clock = time.perf_counter()
    digests = {path: file_sha256(path) for path in paths if path.is_file()}
    try:
        with transaction.atomic():
            loaded = load()
            ids = tuple(
                _record(kind, path, digests.get(path, ""), force_id, started, loaded[path]).pk
                for path in paths
            )
    except Exception as error:
        try:
            for path in paths:
                _record_failure(kind, path, digests.get(path, ""), force_id, started, error)
        except DatabaseError:
            pass  # the database itself failed: the original error below says how
        raise
    return ImportResult(
        kind=str(kind),
        paths=tuple(paths),
        rows_read=sum(item.rows_read for item in loaded.values()),
        rows_loaded=sum(item.rows_loaded for item in loaded.values()),
        message="; ".join(item.message for item in loaded.values() if item.message),
        source_file_ids=ids,
        seconds=time.perf_counter() - clock,
    )


def _record(
    kind: SourceKind,
    path: Path,
    sha256: str,
    force_id: str | None,
    started: datetime,
    loaded: Loaded,
) -> SourceFile:
    # An earlier load of the same file name for the same force is superseded by this one.
    SourceFile.objects.filter(
        kind=kind,
        force_id=force_id,
        path__endswith=path.name,
        member=loaded.member,
        status=SourceStatus.LOADED,
    ).update(status=SourceStatus.REPLACED)
    return SourceFile.objects.create(
        kind=kind,
        path=str(path)[:500],
        member=loaded.member[:300],
        sha256=sha256,
        force_id=force_id,
        status=SourceStatus.LOADED,
        rows_read=loaded.rows_read,
        rows_loaded=loaded.rows_loaded,
        message=loaded.message,
        started_at=started,
        finished_at=timezone.now(),
    )


def _record_failure(
    kind: SourceKind,
    path: Path,
    sha256: str,
    force_id: str | None,
    started: datetime,
    error: Exception,
) -> None:
    message = (
        str(error) if isinstance(error, PlacesImportError) else f"{type(error).__name__}: {error}"
    )
    SourceFile.objects.create(
        kind=kind,
        path=str(path)[:500],
        sha256=sha256,
        force_id=force_id,
        status=SourceStatus.FAILED,
        message=message,
        started_at=started,
        finished_at=timezone.now(),
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def require_file(path: Path) -> None:
    if not path.is_file():
        raise PlacesImportError(f"{path}: no such file")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped if it is gzip (whatever its name says)."""
    require_file(path)
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise PlacesImportError(f"{path}: not a readable gzip file ({error})") from error
    return data


def decode_text(data: bytes, *, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlacesImportError(
            f"{name}: not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from error


def csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the (line number, row) pairs of a CSV file, plain or gzipped."""
    text = decode_text(read_bytes(path), name=str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise PlacesImportError(f"{path}: the file is empty") from None
    except csv.Error as error:
        raise PlacesImportError(f"{path}, line 1: {error}") from error
    return header, _numbered(path, reader)


def _numbered(path: Path, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    line = 1
    try:
        for row in reader:
            line += 1
            if any(cell.strip() for cell in row):
                yield line, row
    except csv.Error as error:
        raise PlacesImportError(f"{path}, line {line + 1}: {error}") from error


def column_index(header: list[str], name: str, *, path: Path) -> int:
    try:
        return header.index(name)
    except ValueError:
        raise PlacesImportError(f"{path}: no column {name!r} in the header") from None


def parse_count(text: str, *, path: Path, line: int, column: str) -> int | None:
    """A whole number as census tables print it ("1,563"), or None for an empty cell."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        value = int(cleaned)
    except ValueError:
        raise PlacesImportError(
            f"{path}, line {line}: {column} {text!r} is not a whole number"
        ) from None
    if value < 0:
        raise PlacesImportError(f"{path}, line {line}: {column} {text!r} is negative")
    return value


def parse_float(text: str, *, path: Path, line: int, column: str) -> float | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise PlacesImportError(f"{path}, line {line}: {column} {text!r} is not a number") from None
