"""``ingest_paths``: load police.uk files, each (force, month, kind) replaced in one transaction."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
from django.db import DatabaseError
from django.utils import timezone

from beatbook.opendata.ingest import guards
from beatbook.opendata.ingest.bulk import bulk_kinds
from beatbook.opendata.ingest.discover import IngestLimits, InputFile, inputs_discover
from beatbook.opendata.ingest.loaders import loader_for_connection
from beatbook.opendata.ingest.prepare import Prepared, file_prepare
from beatbook.opendata.ingest.reader import RawFile, file_read
from beatbook.opendata.ingest.results import (
    FileResult,
    IngestError,
    IngestProgress,
    IngestSummary,
    LoadedSource,
)
from beatbook.opendata.ingest.spool import spooled
from beatbook.opendata.ingest.writers import WRITE_ERRORS, Writer, writer_for_run
from beatbook.opendata.models import Crime, Outcome, StopAndSearch
from beatbook.places.models import Force
from beatbook.records.models import SourceKind, SourceStatus

# Kept importable here: tests reach the Django writer's loader class through it.
__all__ = [
    "DatabaseError",
    "force_names",
    "ingest_paths",
    "loader_for_connection",
    "outcomes_changed",
]

# Files read and validated ahead of the one being written, each on a thread of its own.
READ_AHEAD = 2
TABLES: dict[str, str] = {
    SourceKind.STREET: Crime._meta.db_table,
    SourceKind.OUTCOMES: Outcome._meta.db_table,
    SourceKind.STOP_AND_SEARCH: StopAndSearch._meta.db_table,
}


@dataclass
class _Run:
    force_ids: set[str]
    force_names: dict[str, str]
    skip_invalid_rows: bool
    reload: bool
    allow_empty_replace: bool
    limits: IngestLimits
    writer: Writer
    # Locations this run has committed: later months mostly reuse them, so skip re-inserting.
    known_locations: set[int] = field(default_factory=set)
    # Each (kind, force, month) a file of this run held, and that file: one file each.
    seen: dict[guards.Key, str] = field(default_factory=dict)


@dataclass
class _Staged:
    """A file read and validated off the main thread, or the reason it could not be."""

    item: InputFile
    started_at: datetime
    raw: RawFile | None = None
    prepared: Prepared | None = None
    error: str = ""
    seconds: float = 0.0


def ingest_paths(
    *,
    paths: list[Path],
    skip_invalid_rows: bool = False,
    reload: bool = False,
    allow_empty_replace: bool = False,
    bulk: bool | None = None,
    on_progress: Callable[[IngestProgress], None] | None = None,
    arrow_writer: bool = False,
) -> IngestSummary:
    """Load every police.uk CSV under ``paths``; a file that fails changes nothing and is reported.

    A file with no rows to load replaces rows already loaded only with ``allow_empty_replace``,
    and a run given one (kind, force, month) twice is refused (see ``ingest.guards``).

    The next file is read and validated on a worker thread (no database access there) while
    the current one is written: parsing and hashing release the GIL, and so does SQLite.
    A run at least as big as the data held loads in bulk mode (see ``ingest.bulk``): one
    transaction, indexes rebuilt at the end; ``bulk`` True or False forces the choice.
    Everything is read from Django's connection before the writes start. ``arrow_writer`` lets
    the writes on a SQLite file go through an ADBC connection of their own, which is safe only
    in a process that does nothing else with the database (see ``ingest.writers``).
    """
    started = time.perf_counter()
    items = inputs_discover(paths=paths)
    guards.same_month_twice(items)
    force_ids = set(Force.objects.values_list("id", flat=True))
    names = force_names()
    incoming: dict[str, int] = {}
    for item in items:
        kind = _kind_guess(item)
        incoming[kind] = incoming.get(kind, 0) + item.size
    kinds = bulk_kinds(incoming_bytes=incoming, bulk=bulk)
    summary = IngestSummary()
    with writer_for_run(bulk_kinds=kinds, arrow=arrow_writer) as writer, writer.bulk(kinds):
        run = _Run(
            force_ids=force_ids,
            force_names=names,
            skip_invalid_rows=skip_invalid_rows,
            reload=reload,
            allow_empty_replace=allow_empty_replace,
            limits=IngestLimits.from_settings(),
            writer=writer,
        )
        _ingest_items(items, run, summary, on_progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _ingest_items(
    items: list[InputFile],
    run: _Run,
    summary: IngestSummary,
    on_progress: Callable[[IngestProgress], None] | None,
) -> None:
    started = time.perf_counter()
    bytes_total = sum(item.size for item in items)
    bytes_done = 0
    with ThreadPoolExecutor(max_workers=READ_AHEAD, thread_name_prefix="ingest-read") as pool:
        # Two files read ahead, on two threads: validating a file takes longer than writing it.
        upcoming = deque(pool.submit(_stage, item, run) for item in items[:READ_AHEAD])
        for number, item in enumerate(items, start=1):
            staged = upcoming.popleft().result()
            if number + READ_AHEAD <= len(items):
                upcoming.append(pool.submit(_stage, items[number + READ_AHEAD - 1], run))
            summary.files.append(_ingest_staged(staged, run))
            bytes_done += item.size
            summary.seconds = time.perf_counter() - started
            if on_progress is not None:
                on_progress(
                    IngestProgress(
                        file=item.label,
                        files_done=number,
                        files_total=len(items),
                        bytes_done=bytes_done,
                        bytes_total=bytes_total,
                        rows_loaded=summary.rows_loaded,
                    )
                )


def _stage(item: InputFile, run: _Run) -> _Staged:
    staged = _Staged(item=item, started_at=timezone.now())
    clock = time.perf_counter()
    try:
        if item.problem:
            raise IngestError(item.problem)
        # The file (a zip member unpacked to a temporary file) lasts as long as this block:
        # reading and validating it, line numbers of bad rows included, happen inside.
        with spooled(item, run.limits) as local:
            staged.raw = file_read(item=item, spooled=local, force_ids=run.force_ids)
            staged.prepared = file_prepare(
                raw=staged.raw,
                force_names=run.force_names,
                skip_invalid_rows=run.skip_invalid_rows,
            )
    except (IngestError, OSError) as exc:
        staged.error = str(exc)
    staged.seconds = time.perf_counter() - clock
    return staged


def force_names() -> dict[str, str]:
    """Every spelling of a force a file may use (id, name, aliases) mapped to its police.uk id."""
    names: dict[str, str] = {}
    for force_id, name, aliases in Force.objects.values_list("id", "name", "aliases"):
        names[force_id] = force_id
        names[name] = force_id
        for alias in aliases or []:
            names[str(alias)] = force_id
    return names


def _ingest_staged(staged: _Staged, run: _Run) -> FileResult:
    clock = time.perf_counter() - staged.seconds
    result = FileResult(file=staged.item.label)
    raw, prepared = staged.raw, staged.prepared
    if raw is not None:
        _describe(result, raw, raw.force_id, raw.month)
    if prepared is not None:
        _describe(result, prepared.raw, prepared.force_id, prepared.month)
    writer = run.writer
    try:
        if staged.error:
            raise IngestError(staged.error)
        assert raw is not None
        assert prepared is not None
        guards.seen_check(run.seen, result.file, prepared)
        current = writer.current(kind=raw.kind, force_id=prepared.force_id, month=prepared.month)
        if _unchanged(raw, current, run):
            _record_unchanged(result, raw, staged.started_at, writer)
        else:
            _describe_rows(result, prepared)
            guards.empty_check(
                result.file, prepared, current, allow_empty_replace=run.allow_empty_replace
            )
            result.message = guards.load_notes(prepared, current)
            _load(result, prepared, run, staged.started_at, replacing=current is not None)
    except (IngestError, *WRITE_ERRORS) as exc:  # type: ignore[misc]
        sha256 = raw.sha256 if raw else ""
        _record_failure(result, staged.item, sha256, staged.started_at, str(exc), writer)
    result.seconds = time.perf_counter() - clock
    return result


def _describe(result: FileResult, raw: RawFile, force_id: str, month: str) -> None:
    result.kind, result.force, result.month = raw.kind, force_id, month
    result.rows_read = raw.rows_read


def _describe_rows(result: FileResult, prepared: Prepared) -> None:
    """What validation found in a file to load, reported even when it is refused."""
    errors = prepared.errors
    result.rows_rejected = errors.count
    result.rows_without_location = prepared.points.without_location
    result.rows_duplicate = prepared.rows_duplicate
    result.rejection_counts = errors.counts()
    result.rejection_samples = errors.samples()


def _unchanged(raw: RawFile, current: LoadedSource | None, run: _Run) -> bool:
    if run.reload:
        return False
    return current is not None and current.sha256 == raw.sha256


def _record_unchanged(
    result: FileResult, raw: RawFile, started_at: datetime, writer: Writer
) -> None:
    result.status = SourceStatus.UNCHANGED
    result.message = (
        "already loaded from a file with the same checksum (use --reload to load it again)"
    )
    result.source_id = writer.source_create(
        {
            "kind": raw.kind,
            "path": str(raw.item.path),
            "member": raw.item.member,
            "sha256": raw.sha256,
            "force_id": result.force,
            "month": result.month,
            "status": SourceStatus.UNCHANGED,
            "rows_read": result.rows_read,
            "message": result.message,
            "started_at": started_at,
            "finished_at": timezone.now(),
        }
    )


def _record_failure(
    result: FileResult,
    item: InputFile,
    sha256: str,
    started_at: datetime,
    message: str,
    writer: Writer,
) -> None:
    """Kept outside the rolled-back transaction so that the staff page can show what went wrong."""
    result.status = SourceStatus.FAILED
    result.message = message
    result.rows_loaded = 0
    result.source_id = writer.source_create(
        {
            "kind": result.kind or _kind_guess(item),
            "path": str(item.path),
            "member": item.member,
            "sha256": sha256,
            "force_id": result.force or None,
            "month": result.month,
            "status": SourceStatus.FAILED,
            "rows_read": result.rows_read,
            "message": message[:10_000],
            "started_at": started_at,
            "finished_at": timezone.now(),
        }
    )


def _kind_guess(item: InputFile) -> str:
    for kind in TABLES:
        if item.name.endswith(f"-{kind}.csv"):
            return kind
    return SourceKind.STREET


def _load(
    result: FileResult, prepared: Prepared, run: _Run, started_at: datetime, *, replacing: bool
) -> None:
    """Load one file in one transaction (a savepoint inside a bulk run).

    Rows for (force, month, kind) exist only under a loaded SourceFile, so when there is none
    the delete and the before-image of outcomes are skipped: they would scan for nothing.
    """
    writer = run.writer
    table = TABLES[prepared.kind]
    key = {"kind": prepared.kind, "force_id": prepared.force_id, "month": prepared.month}
    result.rows_loaded = prepared.rows_loaded
    with writer.transaction():
        source_id = writer.source_create(
            {
                **key,
                "path": str(prepared.raw.item.path),
                "member": prepared.raw.item.member,
                "sha256": prepared.raw.sha256,
                "status": SourceStatus.LOADED,
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_rejected": result.rows_rejected,
                "rows_without_location": result.rows_without_location,
                "rejections": [
                    {"line": r.line, "reason": r.reason} for r in result.rejection_samples
                ],
                "rejection_counts": result.rejection_counts,
                "message": result.message,
                "started_at": started_at,
            }
        )
        before = None
        if replacing:
            if prepared.kind == SourceKind.STREET:
                before = writer.outcomes_before(force_id=prepared.force_id, month=prepared.month)
            result.rows_replaced = writer.loader.delete(
                table=table, force_id=prepared.force_id, month=prepared.month
            )
        writer.loader.insert_locations(locations=_new_locations(prepared.points.locations, run))
        writer.loader.insert_rows(
            table=table,
            columns=_row_columns(prepared, writer),
            constants={
                "force_id": prepared.force_id,
                "month": prepared.month,
                "source_id": source_id,
            },
        )
        if replacing:
            writer.sources_replaced(**key, keep_id=source_id)
        if before is not None and result.rows_replaced:
            result.outcomes_changed = outcomes_changed(before, _outcomes_after(prepared))
        writer.source_update(
            source_id,
            {
                "rows_replaced": result.rows_replaced,
                "outcomes_changed": result.outcomes_changed,
                "finished_at": timezone.now(),
            },
        )
    result.status = SourceStatus.LOADED
    result.source_id = source_id
    run.known_locations.update(prepared.points.locations.column("id").to_pylist())


def _new_locations(locations: pa.Table, run: _Run) -> pa.Table:
    known = run.known_locations
    fresh = [location_id not in known for location_id in locations.column("id").to_pylist()]
    return locations.filter(pa.array(fresh, type=pa.bool_()))


def _row_columns(prepared: Prepared, writer: Writer) -> dict[str, pa.Array]:
    points = prepared.points
    return {
        **prepared.columns,
        "location_id": points.location_id,
        "latitude": points.latitude,
        "longitude": points.longitude,
        "easting": points.easting,
        "northing": points.northing,
        **(
            {}
            if prepared.kind == SourceKind.OUTCOMES
            else {
                "neighbourhood_id": points.neighbourhood_ids(
                    writer.neighbourhoods(prepared.force_id)
                )
            }
        ),
    }


def _outcomes_after(prepared: Prepared) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "persistent_id": prepared.columns["persistent_id"].to_pandas(),
            "outcome": prepared.columns["outcome"].to_pandas(),
        }
    )
    return frame[frame["persistent_id"] != ""]


def outcomes_changed(before: pd.DataFrame, after: pd.DataFrame) -> int:
    """Crimes (by Crime ID) in both loads whose set of outcomes differs between them."""
    before = before.drop_duplicates()
    after = after.drop_duplicates()
    both = set(before["persistent_id"]).intersection(after["persistent_id"])
    merged = before.merge(after, how="outer", on=["persistent_id", "outcome"], indicator=True)
    differing = merged.loc[merged["_merge"] != "both", "persistent_id"]
    return int(differing[differing.isin(both)].nunique())
