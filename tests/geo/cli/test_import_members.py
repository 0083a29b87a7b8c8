"""Tests of ``python -m geo import`` (geo.cli.import_members.main)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geo.cli.import_members import DEFAULT_PROGRAMME, main
from geo.store import open_store
from tests.paths import ROOT

MEMBERS = ("Company,Have/Want,EWC code,Quantity,Unit\n"
           "Acme Oy,have,150102,12.5,t\n"
           "Bad Oy,maybe,191299,-3,kg\n"
           "Beta Oy,want,030105,40,tpa\n")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory used as the database location for the test."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(folder))
    monkeypatch.delenv("SYMBIOMAP_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def members(tmp_path: Path) -> Path:
    """A member list with two good rows and one bad row (row 3)."""
    path = tmp_path / "members.csv"
    path.write_text(MEMBERS, encoding="utf-8")
    return path


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1  # one JSON object on one line
    return code, json.loads(out)


def test_json_report(data_dir: Path, members: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints rows, imported, rejected and errors with row/column/value/message."""
    code, data = run_json([str(members)], capsys)
    assert code == 0  # rows were rejected, but the file was read
    assert (data["rows"], data["imported"], data["rejected"]) == (3, 2, 1)
    assert data["programme"] == DEFAULT_PROGRAMME
    assert {e["column"] for e in data["errors"]} == {"Have/Want", "EWC code", "Quantity", "Unit"}
    for err in data["errors"]:
        assert set(err) >= {"row", "column", "value", "message"} and err["row"] == 3
    assert len(open_store().load_programme(DEFAULT_PROGRAMME).resources) == 2


def test_reimport_adds_nothing(data_dir: Path, members: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    """Running the same import twice adds no records."""
    run_json([str(members)], capsys)
    _, data = run_json([str(members)], capsys)
    assert (data["imported"], data["duplicates"], data["rejected"]) == (0, 2, 1)


def test_unreadable_file_exits_non_zero(data_dir: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A PNG named .csv, an empty file or a missing path exit 2 with a JSON error."""
    png = tmp_path / "logo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for path, words in ((png, "PNG image"), (empty, "empty"), (tmp_path / "nope.csv", "path")):
        code, data = run_json([str(path)], capsys)
        assert code == 2
        assert data["rows"] == 0 and words in data["errors"][0]["message"]


def test_dry_run_writes_nothing(data_dir: Path, members: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """--dry-run validates and counts but stores nothing."""
    code, data = run_json([str(members), "--dry-run"], capsys)
    assert code == 0 and data["dry_run"] is True and data["imported"] == 2
    assert open_store().programme_names() == []


def test_rejects_file_and_correction(data_dir: Path, members: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """--rejects writes the bad rows; the corrected file imports and resolves them."""
    out = tmp_path / "rejects.csv"
    run_json([str(members), "--programme", "Kotka", "--rejects", str(out)], capsys)
    rejects = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert rejects["_row"].tolist() == ["3"]
    rejects.loc[0, ["Have/Want", "EWC code", "Quantity", "Unit"]] = ["have", "191212", "3", "t"]
    rejects.to_csv(out, index=False, encoding="utf-8-sig")
    code, data = run_json([str(out), "--programme", "Kotka"], capsys)
    assert (code, data["imported"], data["rejected"], data["resolved"]) == (0, 1, 0, 1)
    assert open_store().rejects("Kotka").empty


def test_several_programmes_need_a_name(data_dir: Path, members: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Without --programme, a database with several programmes is an error (exit 2)."""
    store = open_store()
    store.create_programme("One")
    store.create_programme("Two")
    code, data = run_json([str(members)], capsys)
    assert code == 2 and "--programme" in data["errors"][0]["message"]


def test_human_summary(data_dir: Path, members: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json a short summary lists counts and the first errors."""
    assert main([str(members)]) == 0
    out = capsys.readouterr().out
    assert "imported 2" in out and "rejected 1" in out and "row 3" in out


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """--help prints usage and returns 0; a bad option returns 2."""
    assert main(["--help"]) == 0
    assert "--rejects" in capsys.readouterr().out
    assert main(["--bogus"]) == 2


def test_python_dash_m_geo_import(data_dir: Path, members: Path) -> None:
    """The command line `python -m geo import FILE --json` works end to end."""
    env = {**os.environ, "SYMBIOMAP_DATA_DIR": str(data_dir)}
    proc = subprocess.run([sys.executable, "-m", "geo", "import", str(members), "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["rows"], data["imported"], data["rejected"]) == (3, 2, 1)


def _run_geo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_import_json_contract(tmp_path: Path) -> None:
    """``import FILE --json`` prints rows/imported/rejected/errors; a bad row is itemised."""
    f = tmp_path / "m.csv"
    f.write_text("Company,Country,lon,lat,Have/Want,EWC code,Quantity,Unit\n"
                 "A Oy,FI,26.95,60.52,have,150101,10,t/yr\n"
                 "B Oy,FI,26.95,60.52,have,150101,-3,t/yr\n", encoding="utf-8")
    out = _run_geo("import", str(f), "--json", "--programme", "CLI test")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["rows"] == 2 and report["imported"] == 1 and report["rejected"] == 1
    err = report["errors"][0]
    assert err["row"] == 3 and err["column"].lower() == "quantity" and err["value"] == "-3"


def test_import_of_an_unreadable_file_exits_non_zero(tmp_path: Path) -> None:
    """A file that is not a table is refused with a non-zero exit code."""
    f = tmp_path / "photo.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert _run_geo("import", str(f), "--json").returncode != 0


def test_unlikely_quantities_are_listed_to_check(data_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The summary lists a stored quantity that no site is likely to have, with its row; the
    JSON report carries it under ``warnings``."""
    path = tmp_path / "big.csv"
    path.write_text("Company,Have/Want,EWC code,Quantity,Unit\nAcme Oy,have,150102,4e9,t\n",
                    encoding="utf-8")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "stored, but check (1 of 1 shown):" in out
    assert "row 2, Quantity: 4,000,000,000 t/yr is more than one site" in out
    code, data = run_json([str(path), "--programme", "Other"], capsys)
    assert code == 0 and [w["row"] for w in data["warnings"]] == [2]
