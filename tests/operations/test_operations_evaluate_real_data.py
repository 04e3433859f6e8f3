"""``beatbook evaluate`` on Merseyside's real street files (2018-01 to 2021-09; police.uk's
archive has no July 2019), loaded through the real import: nine neighbouring LSOAs of Knowsley
(010A to 011D), with nothing but the street files in the database."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from beatbook.analysis.evaluation import NO_CHANGE, TOO_EARLY
from beatbook.opendata.services import ingest_paths

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

KNOWSLEY = [
    "E01006440",
    "E01006442",
    "E01006443",
    "E01006444",
    "E01006445",
    "E01006465",
    "E01006482",
    "E01006483",
    "E01006484",
]


def _evaluate(**options: Any) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "evaluate", force="merseyside", lsoas=",".join(KNOWSLEY), json=True, stdout=out, **options
    )
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_merseyside_knowsley_from_march_2020(shared_data: Path) -> None:
    summary = ingest_paths(paths=[shared_data / "policeuk" / "merseyside-2018-2021.zip"])
    assert [result.status for result in summary.files] == ["loaded"] * 44

    for category in (None, "burglary", "violent-crime"):
        result = _evaluate(start="2020-03", category=category)

        assert list(result) == [
            "estimate",
            "ci_low",
            "ci_high",
            "p_value",
            "verdict",
            "comparison",
            "months_before",
            "months_after",
            "method",
        ]
        assert -1 < result["ci_low"] <= result["estimate"] <= result["ci_high"]
        assert 0 < result["p_value"] <= 1
        assert (result["months_before"], result["months_after"]) == (12, 3)
        assert result["verdict"] == NO_CHANGE or result["verdict"].startswith(("rose", "fell"))
        assert (result["p_value"] < 0.05) == (result["verdict"] != NO_CHANGE)
        comparison = set(result["comparison"])
        assert 5 <= len(comparison) <= 5 * len(KNOWSLEY)
        assert all(code.startswith("E01") for code in comparison)
        assert not comparison & set(KNOWSLEY)
        assert "100 placebo areas of 9 neighbouring LSOAs" in result["method"]

    early = _evaluate(start="2021-08")
    assert early["verdict"] == TOO_EARLY
    assert early["estimate"] is None

    with pytest.raises(CommandError, match="police.uk published no data for July 2019"):
        _evaluate(start="2019-06")
