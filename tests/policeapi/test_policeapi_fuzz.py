"""A property-based fuzz run (schemathesis) against the OpenAPI document: no server errors,
and every 200 answer matches the documented police.uk shape.

Two runs: one with every parameter generated (mostly unknown forces and malformed input), one
with the force, neighbourhood, location, crime, point, month and postcode pinned to the test
world's, so that generated values for the rest reach the queries behind each route.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from police_world import CENTRE, P_THEFT, PoliceData
from pytest_django.live_server_helper import LiveServer

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
PINNED = f"""
[parameters]
"path.force" = "staffordshire"
"path.neighbourhood" = "SOT.LONGTON"
"path.persistent_id" = "{P_THEFT}"
"path.postcode" = "ST31AA"
"query.force" = "staffordshire"
"query.location_id" = "1001"
"query.lat" = "{CENTRE[0]}"
"query.lng" = "{CENTRE[1]}"
"query.date" = "2025-02"
"""


def schemathesis(live_server: LiveServer, report_dir: Path, *options: str) -> None:
    done = subprocess.run(
        [
            str(SCHEMATHESIS),
            *options,
            "run",
            f"{live_server.url}/api/openapi.json",
            "--url",
            live_server.url,
            "--checks",
            CHECKS,
            "--max-examples",
            "15",
            "--seed",
            "20260522",
            "--generation-deterministic",
            "--workers",
            "1",
            "--no-color",
            "--report-dir",
            str(report_dir),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_shape_mismatch(
    live_server: LiveServer, live_police_data: PoliceData, tmp_path: Path
) -> None:
    schemathesis(live_server, tmp_path / "free")
    config = tmp_path / "schemathesis.toml"
    config.write_text(PINNED, encoding="utf-8")
    schemathesis(live_server, tmp_path / "pinned", "--config-file", str(config))
