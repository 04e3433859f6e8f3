"""Files shaped like the audit's attacks (issue 11), built in each test's scratch folder."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from beatbook.opendata.models import Crime
from beatbook.records.models import SourceFile

STREET_HEADER = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    b"Crime type,Last outcome category,Context"
)


def staffordshire_rows(policeuk: Path) -> list[bytes]:
    """The three data rows of the small Staffordshire 2025-06 fixture (CRLF file)."""
    lines = (policeuk / "good" / "2025-06-staffordshire-street.csv").read_bytes().split(b"\r\n")
    return [line for line in lines[1:] if line]


def write(path: Path, lines: list[bytes], end: bytes = b"\r\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(end.join(lines) + end)
    return path


def city_of_london_month(shared_data: Path, month: str) -> bytes:
    """One real monthly street file of City of London (2019-06: 922 rows, 2019-07: 866)."""
    with zipfile.ZipFile(shared_data / "policeuk" / "city-of-london-2018-2021.zip") as archive:
        return archive.read(f"{month}/{month}-city-of-london-street.csv")


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def blank_lines_zip(path: Path, member: str, megabytes: int) -> Path:
    """A header then ``megabytes`` MiB of blank lines: a few kB zipped (the audit's zip bomb)."""
    info = zipfile.ZipInfo(member)
    info.compress_type = zipfile.ZIP_DEFLATED
    block = b"\r\n" * (1 << 19)
    with zipfile.ZipFile(path, "w") as archive, archive.open(info, "w") as out:
        out.write(STREET_HEADER + b"\r\n")
        for _ in range(megabytes):
            out.write(block)
    return path


def lying_zip(path: Path, member: str, data: bytes, declared_size: int) -> Path:
    """A zip whose directory (and local header) declare ``declared_size`` bytes for ``data``."""
    zip_of(path, {member: data})
    raw = bytearray(path.read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    local = raw.find(b"PK\x03\x04")
    struct.pack_into("<I", raw, central + 24, declared_size)
    struct.pack_into("<I", raw, local + 22, declared_size)
    path.write_bytes(bytes(raw))
    return path


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every crime and every loaded source as they are: what a refused file must not change."""
    crimes = list(
        Crime.objects.order_by("id").values_list(
            "id", "source_id", "force_id", "month", "persistent_id", "location_id"
        )
    )
    loaded = list(
        SourceFile.objects.filter(status="loaded")
        .order_by("id")
        .values_list("id", "kind", "force_id", "month", "rows_loaded", "sha256")
    )
    return crimes, loaded
