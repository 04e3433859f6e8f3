"""Synthetic police.uk street files: a small made-up force for the evaluation's tests
(tests/opendata and tests/operations), loaded through the real import.

Imported by tests as ``from street_files import ...`` (this folder is on the import path).

Each month's file has ``lsoas`` LSOAs named like neighbours ("Town 001A" to "Town 001E", then
"Town 002A", ...), each with a Poisson number of crimes around a level of its own, half
burglary and half anti-social behaviour, at a point near Liverpool.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np

HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
FORCE = "merseyside"
FORCE_NAME = "Merseyside Police"
LSOAS = 60
PER_MSOA = 5


def lsoa_code(index: int) -> str:
    return f"E01{900000 + index:06d}"


def lsoa_name(index: int) -> str:
    return f"Town {index // PER_MSOA + 1:03d}{'ABCDE'[index % PER_MSOA]}"


def write_street_month(
    folder: Path,
    month: str,
    *,
    lsoas: int = LSOAS,
    seed: int = 0,
    extra: dict[int, int] | None = None,
) -> Path:
    """One month's street file for the made-up force in ``folder``; ``extra`` adds crimes to
    LSOAs by index (LSOAs past ``lsoas`` included: a place first seen this month)."""
    rng = np.random.default_rng([seed, int(month.replace("-", ""))])
    levels = np.exp(np.random.default_rng(seed).uniform(np.log(2.0), np.log(12.0), size=lsoas))
    numbers = {index: int(n) for index, n in enumerate(rng.poisson(levels))}
    for index, n in (extra or {}).items():
        numbers[index] = numbers.get(index, 0) + n
    path = folder / f"{month}-{FORCE}-street.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for index, n in sorted(numbers.items()):
            for k in range(n):
                writer.writerow(_row(month, index, k))
    return path


def _row(month: str, index: int, k: int) -> list[str]:
    burglary = k % 2 == 0
    crime_id = hashlib.sha256(f"{month}/{index}/{k}".encode()).hexdigest() if burglary else ""
    return [
        crime_id,
        month,
        FORCE_NAME,
        FORCE_NAME,
        f"{-2.98 + 0.002 * index:.6f}",
        f"{53.40 + 0.001 * (k % 7):.6f}",
        f"On or near Street {index}",
        lsoa_code(index),
        lsoa_name(index),
        "Burglary" if burglary else "Anti-social behaviour",
        "Investigation complete; no suspect identified" if burglary else "",
        "",
    ]
