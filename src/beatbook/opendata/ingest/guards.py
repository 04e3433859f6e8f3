"""What keeps an ingest from losing data it already holds (issue 11).

- A file with no rows to load (a header alone, blank lines, every row rejected) never replaces
  rows already loaded for its (kind, force, month) unless the user asks for exactly that.
- One run loads each (kind, force, month) once: two files for one month are refused by name
  before anything is written, and where only the rows say so, the later file fails.
"""

from __future__ import annotations

from beatbook.opendata.ingest import formats
from beatbook.opendata.ingest.discover import InputFile
from beatbook.opendata.ingest.prepare import Prepared
from beatbook.opendata.ingest.results import IngestError, IngestInputError, LoadedSource

Key = tuple[str, str, str]  # (kind, force, month)
# Pairs of files listed when the same month is given twice, at most.
PAIRS_SHOWN = 10
ALLOW_EMPTY_REPLACE = "--allow-empty-replace"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _described(key: Key) -> str:
    kind, force, month = key
    return f"{kind} rows for {force} {month}"


def same_month_twice(items: list[InputFile]) -> None:
    """Refuse a run whose file names give one (kind, force, month) twice, naming both files."""
    first: dict[Key, InputFile] = {}
    pairs: list[str] = []
    for item in items:
        match = formats.FILE_NAME.match(item.name)
        if match is None:
            continue
        key = (match["kind"], match["force"], match["month"])
        if key in first:
            pairs.append(f"{' '.join(key)}: {first[key].label} and {item.label}")
        else:
            first[key] = item
    if not pairs:
        return
    listed = "\n".join(f"  {pair}" for pair in pairs[:PAIRS_SHOWN])
    more = f"\n  and {len(pairs) - PAIRS_SHOWN:,} more" if len(pairs) > PAIRS_SHOWN else ""
    raise IngestInputError(
        "the same force and month is given twice, and one file would silently replace the "
        "other; nothing was loaded. Give each force and month once (to load a later release "
        f"over an earlier one, run the ingest once for each, earlier first):\n{listed}{more}"
    )


def seen_check(seen: dict[Key, str], label: str, prepared: Prepared) -> None:
    """Fail a file whose rows are for a (kind, force, month) an earlier file of the run had."""
    key = (prepared.kind, prepared.force_id, prepared.month)
    earlier = seen.get(key)
    if earlier is not None:
        raise IngestError(
            f"{label}: holds {_described(key)}, which {earlier} already held earlier in this "
            "run; a run loads each force and month once, so this file was not loaded (give "
            "one of the two)"
        )
    seen[key] = label


def _why_empty(prepared: Prepared) -> str:
    errors = prepared.errors
    if not errors.count:
        return "the file has a header and no rows"
    reasons = sorted(errors.counts().items(), key=lambda item: -item[1])[:3]
    listed = "; ".join(f"{reason}: {count:,}" for reason, count in reasons)
    return f"all {_plural(errors.count, 'row')} were rejected ({listed})"


def empty_check(
    label: str, prepared: Prepared, current: LoadedSource | None, *, allow_empty_replace: bool
) -> None:
    """Refuse to replace loaded rows with none, unless asked to in so many words."""
    if prepared.rows_loaded or current is None or not current.rows_loaded:
        return
    if allow_empty_replace:
        return
    raise IngestError(
        f"{label}: no rows to load ({_why_empty(prepared)}), and {prepared.force_id} "
        f"{prepared.month} has {_plural(current.rows_loaded, 'row')} of {prepared.kind} data "
        "loaded now. Loading this file would replace them with nothing, so it was not loaded "
        "and nothing was changed. If the month really should be empty, run the ingest again "
        f"with {ALLOW_EMPTY_REPLACE}."
    )


def load_notes(prepared: Prepared, current: LoadedSource | None) -> str:
    """What the summary and the import history say about a loaded file, beyond its counts."""
    notes = []
    if not prepared.rows_loaded:
        where = f"{prepared.force_id} {prepared.month}"
        if current is None or not current.rows_loaded:
            notes.append(
                f"No rows to load ({_why_empty(prepared)}); nothing was loaded for {where} "
                "before, so nothing was replaced."
            )
        else:
            notes.append(
                f"No rows to load ({_why_empty(prepared)}); the "
                f"{_plural(current.rows_loaded, 'row')} loaded for {where} before were "
                f"replaced with nothing, as {ALLOW_EMPTY_REPLACE} asked."
            )
    copies = prepared.rows_duplicate
    if copies:
        verb = "is an exact copy" if copies == 1 else "are exact copies"
        notes.append(
            f"{_plural(copies, 'row')} {verb} of another row of the file; all were loaded "
            "(police.uk publishes identical rows, such as two reports at one snap point)."
        )
    return " ".join(notes)
