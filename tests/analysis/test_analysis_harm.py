from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from beatbook.analysis.harm import (
    HARM_INDEXES,
    PACKAGED_TABLE,
    POLICE_UK_CATEGORIES,
    load_harm_weights,
)


def test_the_packaged_table_gives_every_category_both_weights() -> None:
    weights = load_harm_weights()
    assert {row.slug for row in weights.categories} == set(POLICE_UK_CATEGORIES)
    cchi = weights.table("cchi")
    css = weights.table("css")
    assert cchi["robbery"] == 365.0
    assert cchi["burglary"] == 247.3
    assert css["burglary"] == 358.1
    assert css["public-order"] == 365.0  # the offence-code median, not volume-weighted
    assert cchi["anti-social-behaviour"] == 0.0
    assert css["anti-social-behaviour"] == 0.0
    assert weights.version.startswith("packaged-")


def test_the_indexes_rank_categories_differently() -> None:
    weights = load_harm_weights()
    cchi, css = weights.table("cchi"), weights.table("css")
    assert cchi["violent-crime"] < cchi["robbery"]
    assert cchi["public-order"] < cchi["criminal-damage-arson"]
    assert css["public-order"] > css["criminal-damage-arson"]


def test_each_index_cites_its_source() -> None:
    assert "Sherman, Neyroud and Neyroud (2016)" in HARM_INDEXES["cchi"].source
    assert "Office for National Statistics" in HARM_INDEXES["css"].source


def test_weights_for_crimes_and_an_unknown_category() -> None:
    weights = load_harm_weights()
    got = weights.weights_for(["burglary", "shoplifting", "burglary"], "cchi")
    assert got.tolist() == [247.3, 1.0, 247.3]
    with pytest.raises(ValueError, match="No harm weight for the crime categories made-up"):
        weights.weights_for(["burglary", "made-up"], "cchi")
    with pytest.raises(ValueError, match="Harm index must be 'cchi'"):
        weights.weights_for(["burglary"], "days")  # type: ignore[arg-type]


def _rows() -> list[dict[str, str]]:
    with PACKAGED_TABLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    fields = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_local_table_replaces_the_packaged_one(tmp_path: Path) -> None:
    rows = _rows()
    for row in rows:
        if row["slug"] == "anti-social-behaviour":
            row["cchi_days_volume_weighted"] = "1"
    weights = load_harm_weights(_write(tmp_path / "local.csv", rows))
    assert weights.table("cchi")["anti-social-behaviour"] == 1.0
    assert weights.version.startswith("local-")
    assert weights.version != load_harm_weights().version
    assert np.isclose(weights.table("cchi")["robbery"], 365.0)


def test_a_local_table_may_have_only_the_required_columns(tmp_path: Path) -> None:
    columns = ["slug", "cchi_days_volume_weighted", "css_weight_volume_weighted"]
    weights = load_harm_weights(_write(tmp_path / "bare.csv", _rows(), columns))
    assert weights.table("css")["violent-crime"] == 0.0  # blank with no median to fall back on
    assert weights.table("css")["robbery"] == 746.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows.pop(), "has no row for anti-social-behaviour"),
        (lambda rows: rows.append(dict(rows[0])), "the category robbery is listed twice"),
        (
            lambda rows: rows[0].update(cchi_days_volume_weighted="lots"),
            r"line 2: the CCHI days must be a number, not 'lots'",
        ),
        (
            lambda rows: rows[2].update(css_weight_volume_weighted="-4"),
            "line 4: the CSS weight must be 0 or more",
        ),
        (lambda rows: rows[1].update(slug=""), "line 3: the slug is empty"),
    ],
)
def test_a_bad_local_table_is_refused_by_name(tmp_path: Path, change: object, message: str) -> None:
    rows = _rows()
    change(rows)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        load_harm_weights(_write(tmp_path / "bad.csv", rows))


def test_a_missing_column_or_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "cols.csv", _rows(), ["slug", "cchi_days_volume_weighted"])
    with pytest.raises(ValueError, match="has no column css_weight_volume_weighted"):
        load_harm_weights(path)
    with pytest.raises(ValueError, match="Cannot read the harm weights file"):
        load_harm_weights(tmp_path / "absent.csv")
    (tmp_path / "latin1.csv").write_bytes("slug\n\xe9\n".encode("latin-1"))
    with pytest.raises(ValueError, match="is not UTF-8 text"):
        load_harm_weights(tmp_path / "latin1.csv")
