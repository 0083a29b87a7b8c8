"""ui/legacy_pages.py: the workaround for Streamlit's legacy ``pages/`` mode, and what it relies on.

If a test here fails after a Streamlit upgrade, Streamlit changed its legacy multipage mode:
check whether a ``pages/`` folder still makes a fresh server run pages without ``app.py``
(``tests/browser/test_frame.py`` opens a deep link first) and adapt or delete the workaround.
"""

from __future__ import annotations

import inspect

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from tests.paths import ROOT
from ui.legacy_pages import in_legacy_pages_mode, leave_legacy_pages_mode

CHANGED = ("Streamlit changed its legacy pages/ mode, which ui/legacy_pages.py works around; "
           "see this module's docstring")


@pytest.fixture
def legacy_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process-wide flag as a fresh server has it before its first session."""
    assert hasattr(PagesManager, "uses_pages_directory"), CHANGED
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)


def test_a_pages_folder_still_switches_a_fresh_server_to_legacy_mode(legacy_flag: None) -> None:
    """The first pages manager of a process beside a pages/ folder turns the legacy mode on."""
    PagesManager(str(ROOT / "app.py"), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True, CHANGED
    assert in_legacy_pages_mode()


def test_the_script_runner_still_runs_pages_bare_in_legacy_mode() -> None:
    """While the flag is on, the script runner runs ``_mpa_v1`` (pages/ files) instead of app.py."""
    from streamlit.runtime.scriptrunner import script_runner

    assert callable(getattr(script_runner, "_mpa_v1", None)), CHANGED
    source = inspect.getsource(script_runner.ScriptRunner)
    assert "if PagesManager.uses_pages_directory:" in source, CHANGED
    assert "_mpa_v1(self._main_script_path)" in source, CHANGED


def test_st_navigation_still_turns_the_legacy_mode_off() -> None:
    """``st.navigation`` switches the flag off, so app.py's frame holds after the first rerun."""
    from streamlit.commands import navigation

    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(
        navigation.navigation), CHANGED


def test_leaving_the_legacy_mode_switches_the_flag_off(legacy_flag: None) -> None:
    """Outside a running app the workaround switches the flag off without asking for a rerun."""
    PagesManager.uses_pages_directory = True
    assert not st.runtime.exists()
    leave_legacy_pages_mode()
    assert PagesManager.uses_pages_directory is False
    assert not in_legacy_pages_mode()
    leave_legacy_pages_mode()  # already off: nothing to do
    assert PagesManager.uses_pages_directory is False


def test_only_the_workaround_touches_the_pages_manager() -> None:
    """No other module of the app, its pages or the ui package mentions ``PagesManager``."""
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]
    touching = {p.relative_to(ROOT).as_posix() for p in sources
                if "PagesManager" in p.read_text(encoding="utf-8")}
    assert touching == {"ui/legacy_pages.py"}


def test_a_run_started_by_the_legacy_runner_is_recognised_whatever_the_flag() -> None:
    """A page run by ``_mpa_v1`` is a legacy run even after another session switched the flag
    off (concurrent first sessions on a fresh server)."""
    from streamlit.runtime.scriptrunner import script_runner

    from ui.legacy_pages import in_legacy_run

    assert script_runner._mpa_v1.__code__.co_name == "_mpa_v1", CHANGED
    assert not in_legacy_run()
    seen: list[bool] = []
    # A function compiled as if it were Streamlit's legacy runner, calling a page.
    code = compile("def _mpa_v1(page):\n    page()\n", script_runner.__file__, "exec")
    namespace: dict[str, object] = {}
    exec(code, namespace)
    namespace["_mpa_v1"](lambda: seen.append(in_legacy_run()))
    assert seen == [True]
