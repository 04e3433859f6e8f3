"""Read a police.uk CSV as strings: encoding, header, kind, name's force and month, row lines."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from beatbook.common.months import is_month
from beatbook.opendata.ingest import formats
from beatbook.opendata.ingest.discover import InputFile
from beatbook.opendata.ingest.results import IngestError, Rejection
from beatbook.opendata.ingest.spool import CHUNK, Spooled

# The header is looked for in the first 64 KiB; a police.uk header is under 300 bytes.
HEAD_BYTES = 1 << 16
# Characters of a header (or of pyarrow's message) quoted in an error, at most.
SHOWN = 200
# pyarrow parses a file in blocks of this size, on several threads.
BLOCK_SIZE = 1 << 24


@dataclass
class RawFile:
    """A file's rows as strings, before validation.

    ``records`` is each row's record number (the header is record 1); ``line_map`` turns
    record numbers into the lines they start on, reading the spooled file, so it is used only
    while that file exists.
    """

    item: InputFile
    sha256: str
    kind: str
    month: str  # from the file name; "" when the name does not say
    force_id: str  # from the file name; "" when the name does not say
    table: pa.Table
    records: np.ndarray
    malformed: list[Rejection] = field(default_factory=list)
    has_nul: bool = False
    line_map: Callable[[np.ndarray], np.ndarray] | None = None

    @property
    def rows_read(self) -> int:
        return int(self.table.num_rows) + len(self.malformed)

    def lines_of(self, rows: np.ndarray) -> np.ndarray:
        """The line of the file each of ``rows`` (indexes into ``table``) starts on."""
        records = self.records[rows]
        return records if self.line_map is None else self.line_map(records)


def file_read(*, item: InputFile, spooled: Spooled, force_ids: set[str]) -> RawFile:
    """Parse the spooled ``item``; raise ``IngestError`` for a whole-file problem."""
    header = _header(item, spooled.path)
    kind = _kind(item, header)
    month, force_id = _name_parts(item, force_ids)
    table, malformed = _parse(item, spooled.path, formats.COLUMNS[kind])
    records = _record_numbers(table.num_rows, malformed)
    line_map = RecordLines(spooled.path, records=1 + table.num_rows + len(malformed))
    if malformed:
        found = line_map(np.array([bad.line for bad in malformed], dtype=np.int64))
        malformed = [
            Rejection(line=int(line), reason=bad.reason)
            for line, bad in zip(found.tolist(), malformed, strict=True)
        ]
    return RawFile(
        item=item,
        sha256=spooled.sha256,
        kind=kind,
        month=month,
        force_id=force_id,
        table=table,
        records=records,
        malformed=malformed,
        has_nul=spooled.has_nul,
        line_map=line_map,
    )


def _header(item: InputFile, path: Path) -> tuple[str, ...]:
    with path.open("rb") as source:
        head = source.read(HEAD_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    ends = [end for end in (head.find(b"\r"), head.find(b"\n")) if end >= 0]
    first = head[: min(ends)] if ends else head
    if not first.strip():
        if not head:
            raise IngestError(f"{item.label}: the file is empty (no header line)")
        raise IngestError(
            f"{item.label}:1: the first line is blank; a police.uk file starts with its header"
        )
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        if ends or exc.reason != "unexpected end of data":
            raise _encoding_error(item, path) from None
        text = first[: exc.start].decode("utf-8")  # a long first line cut mid-character
    return tuple(name.strip().strip('"') for name in text.split(","))


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}…"


def _kind(item: InputFile, header: tuple[str, ...]) -> str:
    by_name = formats.kind_from_name(item.name)
    by_header = formats.kind_from_header(header)
    found = _shown(",".join(header))
    if by_name is not None and by_header != by_name:
        expected = ",".join(formats.COLUMNS[by_name])
        raise IngestError(
            f"{item.label}:1: wrong header for a police.uk {by_name} file: "
            f"expected {expected!r}, found {found!r}"
        )
    if by_header is None:
        raise IngestError(
            f"{item.label}:1: not a police.uk street, outcomes or stop-and-search file: "
            f"the header {found!r} matches none of them"
        )
    return by_header


def _name_parts(item: InputFile, force_ids: set[str]) -> tuple[str, str]:
    match = formats.FILE_NAME.match(item.name)
    if match is None:
        return "", ""
    month, force_id = match["month"], match["force"]
    if not is_month(month):
        raise IngestError(f"{item.label}: impossible month {month!r} in the file name")
    if force_id not in force_ids:
        raise IngestError(f"{item.label}: unknown police.uk force {force_id!r} in the file name")
    return month, force_id


def _parse(
    item: InputFile, path: Path, columns: tuple[str, ...]
) -> tuple[pa.Table, list[Rejection]]:
    malformed: list[Rejection] = []

    def on_invalid_row(row: pcsv.InvalidRow) -> str:
        # ``number`` counts records (the header is 1; blank lines are not records).
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
            str(path),
            read_options=pcsv.ReadOptions(
                column_names=list(columns),
                skip_rows=1,
                use_threads=use_threads,
                block_size=BLOCK_SIZE,
            ),
            # A quoted field may hold a line end; without this a block boundary can split it.
            parse_options=pcsv.ParseOptions(
                invalid_row_handler=on_invalid_row, newlines_in_values=True
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False
            ),
        )

    try:
        table = read(use_threads=True)
        if malformed:
            # Record numbers of bad rows are only known when reading on one thread.
            table = read(use_threads=False)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc):
            raise _encoding_error(item, path) from None
        raise IngestError(f"{item.label}: cannot read it as CSV: {_shown(str(exc))}") from None
    return table.combine_chunks(), malformed


def _record_numbers(rows: int, malformed: list[Rejection]) -> np.ndarray:
    """Record numbers of the rows read: the header is 1, and skipped bad rows leave gaps."""
    records = np.arange(rows, dtype=np.int64) + 2
    for bad in sorted(rejection.line for rejection in malformed):
        records[records >= bad] += 1
    return records


class LineEnds:
    """Counts line ends as pyarrow and Python's csv module see them: LF, CRLF or a lone CR."""

    def __init__(self) -> None:
        self.count = 0
        self._last = b""

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.count += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
        if self._last == b"\r" and chunk[:1] == b"\n":
            self.count -= 1  # a CRLF split between two chunks
        self._last = chunk[-1:]

    @property
    def lines(self) -> int:
        """Lines in all that was fed, a last line without a line end included."""
        return self.count + (0 if self._last in (b"", b"\n", b"\r") else 1)


def _lines_in(path: Path) -> int:
    ends = LineEnds()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            ends.feed(chunk)
    return ends.lines


class RecordLines:
    """Record numbers to the lines they start on; worked out only when a line is asked for.

    In most files each line is a record, and the two are the same. Where the file has more
    lines than records (blank lines, line ends inside quoted fields), Python's csv module
    counts lines as pyarrow splits records (LF, CRLF or CR; quotes; blank lines skipped), one
    record at a time: slow, so the file is read only as far as the last record asked for.
    """

    def __init__(self, path: Path, *, records: int) -> None:
        self._path = path
        self._records = records
        self._simple: bool | None = None
        self._starts: list[int] = [0, 1]  # index = record number

    def __call__(self, records: np.ndarray) -> np.ndarray:
        if len(records) == 0:
            return records
        if self._simple is None:
            self._simple = _lines_in(self._path) == self._records
        if self._simple:
            return records
        self._scan(int(records.max()))
        starts = np.asarray(self._starts, dtype=np.int64)
        known = records < len(starts)
        return np.where(known, starts[np.minimum(records, len(starts) - 1)], records)

    def _scan(self, last: int) -> None:
        if len(self._starts) > last:
            return
        starts = [0]
        with self._path.open(encoding="utf-8", errors="replace", newline="") as text:
            reader = csv.reader(text)
            end = 0
            try:
                for fields in reader:
                    start, end = end + 1, reader.line_num
                    if fields:
                        starts.append(start)
                        if len(starts) > last:
                            break
            except csv.Error:
                pass  # a field past csv's size limit: later records keep their numbers
        self._starts = starts


def _first_bad_utf8(path: Path) -> tuple[int, int]:
    """The first byte that is not UTF-8 and its line, read in chunks; (0, 0) if none."""
    ends = LineEnds()
    carry = b""
    with path.open("rb") as source:
        while True:
            block = source.read(CHUNK)
            data = carry + block
            if not data:
                return 0, 0
            try:
                data.decode("utf-8")
                good, carry = data, b""
            except UnicodeDecodeError as exc:
                if not block or exc.reason != "unexpected end of data":
                    ends.feed(data[: exc.start])
                    return data[exc.start], ends.count + 1
                good, carry = data[: exc.start], data[exc.start :]  # a character cut in two
            ends.feed(good)


def _encoding_error(item: InputFile, path: Path) -> IngestError:
    byte, line = _first_bad_utf8(path)
    return IngestError(
        f"{item.label}:{line}: the file is not UTF-8 text (byte 0x{byte:02x}); "
        "police.uk files are UTF-8: save it as UTF-8 and try again"
    )
