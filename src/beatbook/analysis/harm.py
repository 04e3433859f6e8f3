"""Harm weights for the police.uk crime categories: how much a crime of each kind counts.

Two published indexes are offered because they rank the categories differently (Ashby 2018):

- the Cambridge Crime Harm Index (CCHI): days of imprisonment at the starting point of the
  sentencing guideline for a first offender;
- the ONS Crime Severity Score (CSS): average sentence severity per Home Office offence code.

Both are defined per offence, and police.uk publishes only 14 categories, so each category's
weight is a mix of its offences. The packaged table
(``data/harm-weights-police-uk-categories.csv``, see ``docs/adr/0007-hotspots-and-harm.md``)
gives, per category, the CCHI days weighted by the national 2017/18 volumes of its offence
subgroups, and the CSS weight volume-weighted where the offences could be matched (robbery,
burglary and the single-offence thefts) or else the median of the CSS weights of the category's
offence codes. Anti-social behaviour is not a notifiable crime and has no weight in either
index: it counts 0 unless a local table says otherwise.

A local table of the same shape replaces the packaged one (``HARM_WEIGHTS_FILE``); it is checked
row by row and refused, naming the problem, if anything in it is wrong.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

HarmIndexKey = Literal["cchi", "css"]

PACKAGED_TABLE = Path(__file__).resolve().parent / "data" / "harm-weights-police-uk-categories.csv"

# The 14 categories police.uk publishes street-level crime under.
POLICE_UK_CATEGORIES = (
    "anti-social-behaviour",
    "bicycle-theft",
    "burglary",
    "criminal-damage-arson",
    "drugs",
    "other-crime",
    "other-theft",
    "possession-of-weapons",
    "public-order",
    "robbery",
    "shoplifting",
    "theft-from-the-person",
    "vehicle-crime",
    "violent-crime",
)

REQUIRED_COLUMNS = ("slug", "cchi_days_volume_weighted", "css_weight_volume_weighted")
CSS_FALLBACK_COLUMN = "css_weight_offence_code_median"


@dataclass(frozen=True)
class HarmIndex:
    key: HarmIndexKey
    name: str
    unit: str
    source: str
    method: str


HARM_INDEXES: dict[HarmIndexKey, HarmIndex] = {
    "cchi": HarmIndex(
        key="cchi",
        name="Cambridge Crime Harm Index",
        unit="days of imprisonment",
        source=(
            "Sherman, Neyroud and Neyroud (2016), 'The Cambridge Crime Harm Index: measuring "
            "total harm from crime based on sentencing guidelines', Policing 10(3):171-183; "
            "CCHI 2026 update (https://cambridge-ebp.co.uk/chi), per offence subgroup as "
            "tabulated by a public TU/e 'Police Resource Allocation' dashboard."
        ),
        method=(
            "Mean of the subgroup weights within each police.uk category, weighted by the "
            "national Police Recorded Crime volumes of 2017/18 (Home Office, 44 forces)."
        ),
    ),
    "css": HarmIndex(
        key="css",
        name="ONS Crime Severity Score",
        unit="severity points",
        source=(
            "Office for National Statistics, 'Crime Severity Score (experimental statistics)' "
            "data tool (2016), weights per Home Office offence code, as copied by a public "
            "script; see Ashby (2018), Policing 12(4):439-454, on how it differs from the CCHI."
        ),
        method=(
            "Volume-weighted for robbery, burglary and the single-offence thefts; for the other "
            "categories, the median of the CSS weights of the category's offence codes (not "
            "volume-weighted, so a rough guide)."
        ),
    ),
}


@dataclass(frozen=True)
class CategoryWeight:
    slug: str
    label: str
    cchi: float
    css: float
    css_is_volume_weighted: bool
    offence_mix: str

    def weight(self, index: HarmIndexKey) -> float:
        return self.cchi if index == "cchi" else self.css


@dataclass(frozen=True)
class HarmWeights:
    """A harm-weight table and where it came from; ``version`` changes whenever its text does."""

    categories: tuple[CategoryWeight, ...]
    version: str
    origin: str

    def table(self, index: HarmIndexKey) -> dict[str, float]:
        check_index(index)
        return {row.slug: row.weight(index) for row in self.categories}

    def weights_for(
        self, categories: npt.ArrayLike, index: HarmIndexKey
    ) -> npt.NDArray[np.float64]:
        """The weight of each crime's category; a category with no weight is an error."""
        table = self.table(index)
        slugs = np.asarray(categories, dtype=object)
        unknown = sorted({str(slug) for slug in np.unique(slugs)} - table.keys())
        if unknown:
            raise ValueError(
                f"No harm weight for the crime categories {', '.join(unknown)}: add them to the "
                "harm weights table (HARM_WEIGHTS_FILE)."
            )
        return np.array([table[str(slug)] for slug in slugs], dtype=np.float64)


def check_index(index: str) -> HarmIndexKey:
    if index == "cchi":
        return "cchi"
    if index == "css":
        return "css"
    raise ValueError(
        f"Harm index must be 'cchi' (Cambridge Crime Harm Index) or 'css' (ONS Crime "
        f"Severity Score), not {index!r}."
    )


def load_harm_weights(path: Path | str | None = None) -> HarmWeights:
    """The packaged table, or the one at ``path`` (same shape), checked."""
    source = PACKAGED_TABLE if path in (None, "") else Path(str(path))
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ValueError(f"Cannot read the harm weights file {source}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"The harm weights file {source} is not UTF-8 text.") from None
    categories = parse_harm_table(text, name=str(source))
    label = "packaged" if source == PACKAGED_TABLE else "local"
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return HarmWeights(categories=categories, version=f"{label}-{digest}", origin=str(source))


def parse_harm_table(text: str, *, name: str) -> tuple[CategoryWeight, ...]:
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ValueError(f"The harm weights file {name} has no column {', '.join(missing)}.")
    rows: dict[str, CategoryWeight] = {}
    for line, record in enumerate(reader, start=2):
        row = _parse_row(record, where=f"{name}, line {line}")
        if row.slug in rows:
            raise ValueError(f"{name}, line {line}: the category {row.slug} is listed twice.")
        rows[row.slug] = row
    absent = [slug for slug in POLICE_UK_CATEGORIES if slug not in rows]
    if absent:
        raise ValueError(
            f"The harm weights file {name} has no row for {', '.join(absent)}: "
            "give every police.uk category a weight (0 is allowed)."
        )
    return tuple(rows[slug] for slug in sorted(rows))


def _parse_row(record: dict[str, str | None], *, where: str) -> CategoryWeight:
    slug = (record.get("slug") or "").strip()
    if not slug:
        raise ValueError(f"{where}: the slug is empty.")
    cchi = _weight(record.get("cchi_days_volume_weighted"), where=where, column="CCHI days")
    css = _weight(record.get("css_weight_volume_weighted"), where=where, column="CSS weight")
    fallback = _weight(record.get(CSS_FALLBACK_COLUMN), where=where, column="CSS median")
    return CategoryWeight(
        slug=slug,
        label=(record.get("police_uk_category") or slug).strip(),
        cchi=cchi if cchi is not None else 0.0,
        css=css if css is not None else (fallback if fallback is not None else 0.0),
        css_is_volume_weighted=css is not None,
        offence_mix=(record.get("subgroup_mix") or "").strip(),
    )


def _weight(raw: str | None, *, where: str, column: str) -> float | None:
    """A weight of 0 or more; None when blank (no weight given)."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: the {column} must be a number, not {text!r}.") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{where}: the {column} must be 0 or more, not {text}.")
    return value
