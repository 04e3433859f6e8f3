"""What an ingest reports: one result per file, totals, and progress events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class IngestError(Exception):
    """A whole file cannot be loaded; the message names the file (and line where there is one)."""


class IngestInputError(IngestError):
    """A path given to the ingest does not exist or cannot be read at all."""


class LoadedSource(NamedTuple):
    """The file a (kind, force, month) is loaded from now, as ``Writer.current`` finds it."""

    id: int
    sha256: str
    rows_loaded: int


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class FileResult:
    file: str
    kind: str = ""
    force: str = ""
    month: str = ""
    status: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_without_location: int = 0
    rows_replaced: int = 0
    rows_duplicate: int = 0
    outcomes_changed: int | None = None
    rejection_counts: dict[str, int] = field(default_factory=dict)
    rejection_samples: list[Rejection] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0
    source_id: int | None = None


@dataclass
class IngestSummary:
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def _total(self, name: str) -> int:
        return sum(int(getattr(result, name) or 0) for result in self.files)

    @property
    def rows_read(self) -> int:
        return self._total("rows_read")

    @property
    def rows_loaded(self) -> int:
        return self._total("rows_loaded")

    @property
    def rows_rejected(self) -> int:
        return self._total("rows_rejected")

    @property
    def rows_without_location(self) -> int:
        return self._total("rows_without_location")

    @property
    def rows_replaced(self) -> int:
        return self._total("rows_replaced")

    @property
    def rows_duplicate(self) -> int:
        return self._total("rows_duplicate")

    @property
    def outcomes_changed(self) -> int:
        return self._total("outcomes_changed")

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.files if result.status == "failed"]

    @property
    def rejection_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.files:
            for reason, count in result.rejection_counts.items():
                counts[reason] = counts.get(reason, 0) + count
        return counts

    @property
    def rows_per_second(self) -> float:
        return self.rows_loaded / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class IngestProgress:
    """Sent after each file: how far through the run we are, in bytes of CSV and rows loaded."""

    file: str
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    rows_loaded: int
