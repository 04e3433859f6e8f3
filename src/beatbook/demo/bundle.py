"""The bundled demo data files (built by ``scripts/build_demo_data.py``) and their checksum."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
FORCE_ID = "staffordshire"
# The LSOAs of Crewe's west end, for its day of action (demo.sample_operations): none until the
# bundle holds them.
CREWE_WEST_LSOAS: tuple[str, ...] = ()


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
        boundaries=geography / "lsoa-2011-boundaries-staffordshire.geojson.gz",
        population_2011=geography / "lsoa-2011-population-staffordshire.csv",
        population_2021=geography / "lsoa-2021-population-staffordshire.csv",
        forces=geography / "lsoa-2011-police-force-lookup-staffordshire.csv",
        postcodes=directory / "postcodes" / "codepo_staffordshire.zip",
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
