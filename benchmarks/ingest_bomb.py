"""Benchmark: ``beatbook ingest`` of a zip bomb against an ordinary import (issue 11, finding 2).

Run from the repository root (needs ../shared/data for the ordinary file):

    .venv/bin/python benchmarks/ingest_bomb.py
    BENCH_BOMB_MB=1024 BENCH_OLD_SRC=/tmp/old/src .venv/bin/python benchmarks/ingest_bomb.py

It builds, in a scratch folder, a zip of one member named like City of London's 2019-06 street
file holding a header and ``BENCH_BOMB_MB`` MiB (default 1,024) of blank lines: about 1 MB
packed, the shape of the audit's attack. Each contender is a fresh ``beatbook ingest`` process
on a SQLite file that already holds the real 2019-06 (922 rows):

  ordinary   the real 2019-06 file again (``--reload``): the named baseline;
  bomb       the zip bomb, default limits;
  lifted     the zip bomb with both limits lifted, so that it is unpacked, read and refused
             as a file with no rows (the streaming path at its worst).

``BENCH_OLD_SRC`` adds the bomb run on another checkout's ``src`` (the code before a change).
For each it prints wall time and peak resident memory (from ``wait4``), the ratios to the
ordinary import, and the rows of 2019-06 left afterwards (922 means nothing was lost).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data"))
MEMBER = "2019-06/2019-06-city-of-london-street.csv"
HEADER = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    b"Crime type,Last outcome category,Context\r\n"
)
BEATBOOK = [sys.executable, "-c", "from beatbook.cli import main; main()", "ingest"]


def ordinary_zip(folder: Path) -> Path:
    path = folder / "city-of-london-2019-06.zip"
    with (
        zipfile.ZipFile(SHARED / "policeuk" / "city-of-london-2018-2021.zip") as source,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out,
    ):
        out.writestr(MEMBER, source.read(MEMBER))
    return path


def bomb_zip(folder: Path, megabytes: int) -> Path:
    path = folder / "bomb.zip"
    info = zipfile.ZipInfo(MEMBER)
    info.compress_type = zipfile.ZIP_DEFLATED
    block = b"\n" * (1 << 20)
    with zipfile.ZipFile(path, "w") as archive, archive.open(info, "w", force_zip64=True) as out:
        out.write(HEADER)
        for _ in range(megabytes):
            out.write(block)
    return path


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak resident KiB and exit code of one ``beatbook ingest`` process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*BEATBOOK, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, int(usage.ru_maxrss), process.returncode


def rows_left(database: Path) -> int:
    with sqlite3.connect(database) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM opendata_crime WHERE force_id = 'city-of-london' "
            "AND month = '2019-06'"
        ).fetchone()
    return int(count)


def main() -> None:
    megabytes = int(os.environ.get("BENCH_BOMB_MB", "1024"))
    old_src = os.environ.get("BENCH_OLD_SRC", "")
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-bomb-") as scratch:
        folder = Path(scratch)
        ordinary = ordinary_zip(folder)
        bomb = bomb_zip(folder, megabytes)
        database = folder / "bench.sqlite3"
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", BEATBOOK_DATA_DIR=str(folder))
        run([str(ordinary)], env)  # the month to protect, and the schema
        lifted = dict(env, INGEST_MAX_FILE_MB="1000000", INGEST_MAX_COMPRESSION_RATIO="1000000000")
        contenders = {
            "ordinary": ([str(ordinary), "--reload"], env),
            "bomb": ([str(bomb)], env),
            "lifted": ([str(bomb)], lifted),
        }
        if old_src:
            contenders["bomb, old code"] = ([str(bomb)], dict(env, PYTHONPATH=old_src))
        print(f"bomb: {bomb.stat().st_size:,} bytes packed, {megabytes:,} MiB of blank lines")
        results = {
            name: (*run(args, e), rows_left(database)) for name, (args, e) in contenders.items()
        }
    base_seconds, base_kib = results["ordinary"][0], results["ordinary"][1]
    print(
        f"{'contender':<16}{'seconds':>9}{'peak MiB':>10}{'exit':>6}{'2019-06 rows':>14}"
        f"{'time/ordinary':>15}{'memory/ordinary':>17}"
    )
    for name, (seconds, kib, code, left) in results.items():
        print(
            f"{name:<16}{seconds:>9.2f}{kib / 1024:>10.0f}{code:>6}{left:>14,}"
            f"{seconds / base_seconds:>14.2f}x{kib / base_kib:>16.2f}x"
        )


if __name__ == "__main__":
    main()
