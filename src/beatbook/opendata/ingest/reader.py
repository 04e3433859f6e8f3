"""Read a police.uk CSV as strings: encoding, header, kind, name's force and month."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from beatbook.opendata.ingest import formats
from beatbook.opendata.ingest.discover import InputFile
from beatbook.opendata.ingest.results import IngestError, Rejection


@dataclass
class RawFile:
    """A file's rows as strings, before validation; ``lines`` is each row's line in the file."""

    item: InputFile
    sha256: str
    kind: str
    month: str  # from the file name; "" when the name does not say
    force_id: str  # from the file name; "" when the name does not say
    table: pa.Table
    lines: np.ndarray
    malformed: list[Rejection] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.table.num_rows) + len(self.malformed)


def file_read(*, item: InputFile, data: bytes, force_ids: set[str]) -> RawFile:
    """Parse ``data`` (the bytes of ``item``); raise ``IngestError`` for a whole-file problem."""
    sha256 = hashlib.sha256(data).hexdigest()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    header = _header(item, data)
    kind = _kind(item, header)
    month, force_id = _name_parts(item, force_ids)
    table, malformed = _parse(item, data, formats.COLUMNS[kind])
    lines = _row_lines(table.num_rows, malformed)
    return RawFile(
        item=item,
        sha256=sha256,
        kind=kind,
        month=month,
        force_id=force_id,
        table=table,
        lines=lines,
        malformed=malformed,
    )


def _header(item: InputFile, data: bytes) -> tuple[str, ...]:
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].rstrip(b"\r")
    if not first.strip():
        raise IngestError(f"{item.label}: the file is empty (no header line)")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(item, data, exc.start) from None
    return tuple(name.strip().strip('"') for name in text.split(","))


def _kind(item: InputFile, header: tuple[str, ...]) -> str:
    by_name = formats.kind_from_name(item.name)
    by_header = formats.kind_from_header(header)
    if by_name is not None and by_header != by_name:
        expected = ",".join(formats.COLUMNS[by_name])
        raise IngestError(
            f"{item.label}:1: wrong header for a police.uk {by_name} file: "
            f"expected {expected!r}, found {','.join(header)!r}"
        )
    if by_header is None:
        raise IngestError(
            f"{item.label}:1: not a police.uk street, outcomes or stop-and-search file: "
            f"the header {','.join(header)!r} matches none of them"
        )
    return by_header


def _name_parts(item: InputFile, force_ids: set[str]) -> tuple[str, str]:
    match = formats.FILE_NAME.match(item.name)
    if match is None:
        return "", ""
    month, force_id = match["month"], match["force"]
    if not formats.month_is_valid(month):
        raise IngestError(f"{item.label}: impossible month {month!r} in the file name")
    if force_id not in force_ids:
        raise IngestError(f"{item.label}: unknown police.uk force {force_id!r} in the file name")
    return month, force_id


def _parse(
    item: InputFile, data: bytes, columns: tuple[str, ...]
) -> tuple[pa.Table, list[Rejection]]:
    malformed: list[Rejection] = []

    def on_invalid_row(row: pcsv.InvalidRow) -> str:
        malformed.append(
            Rejection(
                line=int(row.number or 0),
                reason=f"expected {row.expected_columns} fields, found {row.actual_columns}",
            )
        )
        return "skip"

    def read(use_threads: bool) -> pa.Table:
        malformed.clear()
        return pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(
                column_names=list(columns), skip_rows=1, use_threads=use_threads, block_size=1 << 24
            ),
            parse_options=pcsv.ParseOptions(invalid_row_handler=on_invalid_row),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False
            ),
        )

    try:
        table = read(use_threads=True)
        if malformed:
            # Line numbers of bad rows are only known when reading on one thread.
            table = read(use_threads=False)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc):
            raise _encoding_error(item, data, _first_bad_utf8(data)) from None
        raise IngestError(f"{item.label}: cannot read it as CSV: {exc}") from None
    return table.combine_chunks(), malformed


def _row_lines(rows: int, malformed: list[Rejection]) -> np.ndarray:
    """Line numbers of the rows read: the header is line 1, and skipped bad rows leave gaps."""
    lines = np.arange(rows, dtype=np.int64) + 2
    for bad in sorted(rejection.line for rejection in malformed):
        lines[lines >= bad] += 1
    return lines


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _encoding_error(item: InputFile, data: bytes, offset: int) -> IngestError:
    line = data.count(b"\n", 0, offset) + 1
    return IngestError(
        f"{item.label}:{line}: the file is not UTF-8 text (byte 0x{data[offset]:02x}); "
        "police.uk files are UTF-8: save it as UTF-8 and try again"
    )
