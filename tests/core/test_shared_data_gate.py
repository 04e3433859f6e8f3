"""Under CI=true a missing ../shared/data fails the tests that need it instead of skipping them."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_folder import shared_data_folder


def test_a_folder_that_is_here_is_used_with_or_without_ci(tmp_path: Path) -> None:
    assert shared_data_folder(tmp_path, {}) == tmp_path
    assert shared_data_folder(tmp_path, {"CI": "true"}) == tmp_path


@pytest.mark.parametrize("environ", [{}, {"CI": "false"}, {"CI": ""}, {"CI": "1"}])
def test_a_missing_folder_skips_outside_ci(tmp_path: Path, environ: dict[str, str]) -> None:
    with pytest.raises(pytest.skip.Exception, match="is not here"):
        shared_data_folder(tmp_path / "data", environ)


def test_a_missing_folder_fails_under_ci_saying_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failure:
        shared_data_folder(tmp_path / "data", {"CI": "true"})
    message = str(failure.value)
    assert str(tmp_path / "data") in message
    assert "CI=true" in message
    assert "BEATBOOK_SHARED_DATA" in message
