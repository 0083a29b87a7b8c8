"""The ``python -m geo`` dispatcher (geo.cli): every job is reachable as a command."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

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
def test_every_job_module_has_the_same_entry_point(job: str) -> None:
    """Each job's module defines ``main(argv: list[str]) -> int`` and exports only that name."""
    module = importlib.import_module(JOBS[job][0])
    params = list(inspect.signature(module.main).parameters.values())
    assert [p.name for p in params] == ["argv"]
    assert inspect.get_annotations(module.main) == {"argv": "list[str]", "return": "int"}
    assert "main" in module.__all__


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


def test_a_jobs_language_holds_for_that_call_only(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang`` translates that call's output and leaves the caller's language as it was."""
    from geo.i18n import current_locale

    assert main(["--lang", "pt_BR", "--help"]) == 0
    assert "usage" not in capsys.readouterr().out.split("\n")[0].lower()
    assert current_locale() == "en_GB"


@pytest.mark.parametrize("argv", [
    ["backup", "/nonexistent/folder/b.gz"],  # a folder that does not exist: OSError
    ["milk-round", "--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "15",
     "--weeks", "2", "--closed", "2099-13-45"],  # int() of a date: ValueError
    ["disclosure", "set", "--k", "99999999999999999999", "--p", "1000"],  # out of range
    ["site-score", "--resolution", "40"],  # argparse choices
    ["site-score", "--top", "-3"],  # printed an empty frame with exit 0
    ["milk-round", "--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "15",
     "--seeds", "-3"],  # a pyvrp TypeError
    ["milk-round", "--stream", "organics", "--depot-point", "999,999", "--capacity-t",
     "15"],  # planned a round from nowhere
    ["milk-round", "--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "15",
     "--days", "funday"],  # blamed every producer instead of the day
])
def test_a_bad_value_is_one_line_not_a_traceback(argv: list[str], tmp_path, monkeypatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever an option's value, the command ends with one error line and a non-zero code."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusal (exit code 2)
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and err.strip(), err
    assert "error" in err.splitlines()[-1]
