"""Tests of ``python -m geo report`` (geo.cli.report) on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli.report import main
from geo.synergies.workbook import read_workbook


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty data directory per test: no stored synergies, so the demo has an empty book."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))


def test_report_writes_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The report job writes a workbook that reopens with its sheets."""
    out = tmp_path / "r.xlsx"
    assert main(["--xlsx", str(out), "--role", "viewer", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "viewer"
    assert {"KPIs", "Totals by stream"} <= set(read_workbook(out.read_bytes()))


def test_a_workbook_name_without_xlsx_is_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``--xlsx r.txt`` would write an Excel file that no program opens as one: refused with
    the name to use, and nothing written."""
    out = tmp_path / "r.txt"
    assert main(["--xlsx", str(out)]) == 2
    assert "r.xlsx" in capsys.readouterr().err
    assert not out.exists()
