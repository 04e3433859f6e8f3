"""The bundled demo data files (built by ``scripts/build_demo_data.py``) and their checksum."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
FORCE_ID = "staffordshire"
# The west end of Crewe (Cheshire Constabulary), for its day of action (demo.sample_operations,
# issue 14): the 2011 LSOAs of Cheshire East whose postcodes lie mostly in the Crewe West, Crewe
# St. Barnabas or Crewe Central wards, west of the town centre. The bundle holds their
# boundaries, populations, force and postcodes, not their crime. scripts/build_demo_data.py
# checks this list against that rule when it rebuilds the bundle.
CREWE_WEST_LSOAS: tuple[str, ...] = (
    "E01018466",  # Cheshire East 036D
    "E01018467",  # Cheshire East 036E
    "E01018482",  # Cheshire East 037A
    "E01018483",  # Cheshire East 037B
    "E01018484",  # Cheshire East 037C
    "E01018485",  # Cheshire East 037D
    "E01018462",  # Cheshire East 039A
    "E01018496",  # Cheshire East 039C
    "E01018497",  # Cheshire East 039D
    "E01018498",  # Cheshire East 039E
    "E01018488",  # Cheshire East 043C
    "E01018512",  # Cheshire East 044C
)


@dataclass(frozen=True)
class DemoBundleFiles:
    crime: Path
    boundaries: Path
    population_2011: Path
    population_2021: Path
    forces: Path
    postcodes: Path

    def all(self) -> list[Path]:
        return [
            self.crime,
            self.boundaries,
            self.population_2011,
            self.population_2021,
            self.forces,
            self.postcodes,
        ]


def demo_bundle_files(directory: Path = DATA_DIR) -> DemoBundleFiles:
    geography = directory / "geography"
    return DemoBundleFiles(
        crime=directory / "policeuk" / "staffordshire-2025.zip",
        boundaries=geography / "lsoa-2011-boundaries-demo.geojson.gz",
        population_2011=geography / "lsoa-2011-population-demo.csv",
        population_2021=geography / "lsoa-2021-population-demo.csv",
        forces=geography / "lsoa-2011-police-force-lookup-demo.csv",
        postcodes=directory / "postcodes" / "codepo_demo.zip",
    )


def demo_bundle_checksum(files: DemoBundleFiles) -> str:
    """SHA-256 over the files' names and contents: a changed bundle is loaded again."""
    missing = [str(path) for path in files.all() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"The demo data is incomplete; missing: {', '.join(missing)}")
    digest = hashlib.sha256()
    for path in files.all():
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
