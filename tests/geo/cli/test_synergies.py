"""Tests of ``python -m geo match`` and ``python -m geo report`` on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli.synergies import main_match, main_report
from geo.synergies.workbook import read_workbook


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))


def test_match_one_record_prints_ranked_partners_with_reasons(capsys) -> None:  # type: ignore[no-untyped-def]
    """The JSON output lists ranked partners by road with a reason each."""
    assert main_match(["--record", "KAR-R0012", "--json", "--top-k", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["rows"]
    assert 1 <= len(rows) <= 3
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["reasons"] and r["distance_method"] == "road" for r in rows)


def test_match_all_writes_csv_and_gaps_run(tmp_path: Path) -> None:
    """--all writes a table of every have's matches; --gaps runs on the same programme."""
    out = tmp_path / "m.csv"
    assert main_match(["--all", "--straight-line", "--top-k", "1", "--out", str(out)]) == 0
    assert out.read_text().startswith("have_id,want_id")
    assert main_match(["--gaps"]) == 0


def test_unknown_record_exits_with_1(capsys) -> None:  # type: ignore[no-untyped-def]
    """A bad id prints the error and returns 1."""
    assert main_match(["--record", "NOPE"]) == 1
    assert "No resource record" in capsys.readouterr().err


def test_report_writes_a_workbook(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The report job writes a workbook that reopens with its sheets."""
    out = tmp_path / "r.xlsx"
    assert main_report(["--xlsx", str(out), "--role", "viewer", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "viewer"
    assert {"KPIs", "Totals by stream"} <= set(read_workbook(out.read_bytes()))
