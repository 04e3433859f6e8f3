"""One pass over a CSV's bytes, within the limits: its checksum, and a file to parse.

A zip member is unpacked in chunks into a temporary file, so that no file is ever held in
memory whole as bytes, and unpacking stops at the first chunk past the size limit or the
compression-ratio limit, whatever the zip's directory declared (``discover`` has already
checked what it declares). A plain CSV is read in place, in chunks, for the same checks.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from beatbook.opendata.ingest.discover import IngestLimits, InputFile
from beatbook.opendata.ingest.results import IngestError

CHUNK = 1 << 20


@dataclass(frozen=True)
class Spooled:
    """A CSV ready to parse from ``path``, which lasts as long as the ``spooled`` block."""

    path: Path
    sha256: str
    size: int
    has_nul: bool


@contextmanager
def spooled(item: InputFile, limits: IngestLimits) -> Iterator[Spooled]:
    """The CSV of ``item`` on disk, checked; raise ``IngestError`` for one past the limits."""
    if not item.member:
        with item.path.open("rb") as source:
            yield _scan(item, source, limits)
        return
    with tempfile.TemporaryDirectory(prefix="beatbook-ingest-") as folder:
        copy = Path(folder) / "member.csv"
        with copy.open("wb") as out:
            found = _unpack(item, limits, out)
        yield replace(found, path=copy)


def _unpack(item: InputFile, limits: IngestLimits, out: IO[bytes]) -> Spooled:
    try:
        with zipfile.ZipFile(item.path) as archive, archive.open(item.member) as source:
            return _scan(item, source, limits, out)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise IngestError(
            f"{item.label}: cannot unpack it from the zip (the zip is damaged, or its sizes "
            f"are not true): {exc}"
        ) from None
    except (RuntimeError, NotImplementedError) as exc:
        # Encrypted members and compression methods Python cannot unpack.
        raise IngestError(f"{item.label}: cannot unpack it from the zip: {exc}") from None


def _scan(
    item: InputFile, source: IO[bytes], limits: IngestLimits, out: IO[bytes] | None = None
) -> Spooled:
    digest = hashlib.sha256()
    size = 0
    has_nul = False
    while chunk := source.read(CHUNK):
        size += len(chunk)
        problem = limits.too_large(size, at_least=True)
        if not problem and item.member:
            problem = limits.too_compressed(size, item.packed, at_least=True)
        if problem:
            raise IngestError(f"{item.label}: {problem}")
        digest.update(chunk)
        has_nul = has_nul or b"\x00" in chunk
        if out is not None:
            out.write(chunk)
    return Spooled(path=item.path, sha256=digest.hexdigest(), size=size, has_nul=has_nul)
