"""The ``python -m geo`` dispatcher: every job is reachable as a command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import JOBS, main
from tests.paths import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_help_lists_every_job() -> None:
    """``python -m geo --help`` names every registered job."""
    out = _run("--help")
    assert out.returncode == 0
    for job in JOBS:
        assert job in out.stdout


@pytest.mark.parametrize("job", sorted(JOBS))
def test_every_job_has_its_own_help(job: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each job's module imports and answers --help with exit code 0."""
    try:
        code = main([job, "--help"])
    except SystemExit as exc:  # argparse's own exit
        code = exc.code
    assert code in (0, None)
    assert "usage" in capsys.readouterr().out.lower()


def test_unknown_job_is_refused_with_the_list() -> None:
    """A typo gets exit code 2 and the list of jobs."""
    out = _run("imprt")
    assert out.returncode == 2
    assert "import" in out.stderr


def test_import_json_contract(tmp_path: Path) -> None:
    """``import FILE --json`` prints rows/imported/rejected/errors; a bad row is itemised."""
    f = tmp_path / "m.csv"
    f.write_text("Company,Country,lon,lat,Have/Want,EWC code,Quantity,Unit\n"
                 "A Oy,FI,26.95,60.52,have,150101,10,t/yr\n"
                 "B Oy,FI,26.95,60.52,have,150101,-3,t/yr\n", encoding="utf-8")
    out = _run("import", str(f), "--json", "--programme", "CLI test")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["rows"] == 2 and report["imported"] == 1 and report["rejected"] == 1
    err = report["errors"][0]
    assert err["row"] == 3 and err["column"].lower() == "quantity" and err["value"] == "-3"


def test_import_of_an_unreadable_file_exits_non_zero(tmp_path: Path) -> None:
    """A file that is not a table is refused with a non-zero exit code."""
    f = tmp_path / "photo.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert _run("import", str(f), "--json").returncode != 0


def test_demo_job_prints_figures() -> None:
    """``demo --json`` reports the embedded programme, labelled illustrative."""
    out = _run("demo", "--json")
    data = json.loads(out.stdout)
    assert data["illustrative"] is True and data["members"] > 40
