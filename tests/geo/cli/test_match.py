"""Tests of ``python -m geo match`` (geo.cli.match) on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli.match import main
from geo.i18n import use_locale


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty data directory per test: no stored synergies, so the demo has an empty book."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))


def test_match_one_record_prints_ranked_partners_with_reasons(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON output lists ranked partners by road with a reason each."""
    assert main(["--record", "KAR-R0012", "--json", "--top-k", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["rows"]
    assert 1 <= len(rows) <= 3
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["reasons"] and r["distance_method"] == "road" for r in rows)


def test_match_all_writes_csv_and_gaps_run(tmp_path: Path) -> None:
    """--all writes a table of every have's matches; --gaps runs on the same programme."""
    out = tmp_path / "m.csv"
    assert main(["--all", "--straight-line", "--top-k", "1", "--out", str(out)]) == 0
    assert out.read_text().startswith("have_id,want_id")
    assert main(["--gaps"]) == 0


def test_unknown_record_exits_with_1(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad id prints the error and returns 1."""
    assert main(["--record", "NOPE"]) == 1
    assert "No resource record" in capsys.readouterr().err


def test_people_read_their_language_and_machines_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In another language the printed summary, notes and reasons are translated, while the
    CSV and the JSON keep English reasons and notes (machine-readable)."""
    out = tmp_path / "m.csv"
    with use_locale("qps_PLOC"):
        assert main(["--record", "KAR-R0012", "--straight-line", "--top-k", "2",
                     "--out", str(out)]) == 0
        printed = capsys.readouterr().out
        assert main(["--record", "KAR-R0012", "--straight-line", "--top-k", "2",
                     "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
    first, *rest = printed.splitlines()
    assert first.startswith("⟦") and "2" in first and str(out) in first
    assert any("⟦Dîstàñçés" in line for line in rest)
    assert "⟦sàmé çàtàlõgüé çõdé" in printed
    assert "same catalogue code" in out.read_text(encoding="utf-8")
    assert "⟦" not in out.read_text(encoding="utf-8")
    assert not any("⟦" in n for n in data["notes"])
    assert all("⟦" not in r["reasons"] for r in data["rows"])
