"""The README's quick start stays true: CI runs exactly its test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    start = text.index("## Quick start")
    section = text[start:text.index("\n## ", start + 5)]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_two_commands() -> None:
    """The quick start gives one command to run the app and one to run the tests."""
    cmds = _commands()
    assert len(cmds) == 2
    assert "streamlit run app.py" in cmds[0] and "requirements.txt" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run contains the README's test command verbatim."""
    assert _commands()[1] in (ROOT / ".ci" / "run").read_text()


def test_requirements_files_exist_and_dev_includes_app() -> None:
    """requirements-dev.txt pulls in the app's requirements."""
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
