"""AppTest tests of the frame (``app.py``): navigation, the shared sidebar, every page inside it."""

from __future__ import annotations

import ast
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import APP
from tests.paths import ROOT
from ui import Key

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def test_every_page_file_is_in_the_navigation() -> None:
    """Each file of pages/ has a title and an icon in app.py's navigation, and none is missing."""
    tree = ast.parse((ROOT / "app.py").read_text())
    listed = {n.value for n in ast.walk(tree)
              if isinstance(n, ast.Constant) and isinstance(n.value, str)
              and n.value.startswith("pages/") and n.value.endswith(".py")}
    assert listed >= set(PAGES), set(PAGES) - listed


@pytest.mark.parametrize("page", PAGES)
def test_a_page_opened_first_runs_inside_the_frame(first_request: None, page: str) -> None:
    """A page that a fresh server runs first still gets app.py's sidebar.

    Streamlit's legacy ``pages/`` mode runs the page file bare on a fresh server's first
    request; the page's ``ui.page_context()`` sends it back through app.py.
    """
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key=Key.PROGRAMME_NAME).value == "__demo__"
    assert at.sidebar.radio(key=Key.VIEWER_ROLE).value == "practitioner"


def test_sidebar_role_starts_at_the_role_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """With SYMBIOMAP_ROLE=viewer the sidebar opens as a viewer, and the pages follow it."""
    monkeypatch.setenv("SYMBIOMAP_ROLE", "viewer")
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/site.py").run()
    assert not at.exception, at.exception
    assert at.sidebar.radio(key=Key.VIEWER_ROLE).value == "viewer"
    assert any("viewers may not open this page" in e.value for e in at.error)


def test_sidebar_lists_stored_programmes_and_the_demo_road_network(
        empty_data_dir: object) -> None:
    """The programme list holds the demo and every stored programme; the demo's roads are named."""
    from geo.demo import load_demo_programme
    from geo.store import open_store

    prog = load_demo_programme()
    prog.name = "Sidebar test programme"
    open_store().save_programme(prog, replace=True)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key=Key.PROGRAMME_NAME).options == [
        "Karhula demo (illustrative)", "Sidebar test programme"]
    assert any("shipped with pyrosm" in c.value for c in at.sidebar.caption)


def test_the_stored_demo_is_listed_once(empty_data_dir: object,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the demo is stored, the demo entry reads the stored copy, so the copy is not
    listed a second time under its stored name; where the demo is not offered, the stored
    copy is listed by its name."""
    from geo.demo import DEMO_NAME, load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo

    repo.ensure_programme(open_store(), load_demo_programme())
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key=Key.PROGRAMME_NAME).options == [
        "Karhula demo (illustrative)"]
    monkeypatch.setenv("SYMBIOMAP_DEMO", "0")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key=Key.PROGRAMME_NAME).options == [DEMO_NAME]


def test_a_rerun_reads_the_data_versions_and_rules_once_and_the_next_sees_a_write(
        empty_data_dir: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The frame builds its context up to three times before the page builds its own; they
    share one read of the data versions and one of the disclosure rules per rerun (each a
    transaction on the database). The next rerun reads again, so it sees another session's
    write."""
    from geo.demo import load_demo_programme
    from geo.disclosure import settings as rule_settings
    from geo.store import Store, open_store
    from geo.synergies import repository as repo

    prog = load_demo_programme()
    repo.ensure_programme(open_store(), prog)  # stored: its versions come from the database
    seen: list[int] = []
    rules_read: list[str] = []
    read_versions, read_rules = Store.data_versions, rule_settings.programme_rules

    def versions(self: Store, name: str):  # type: ignore[no-untyped-def]
        found = read_versions(self, name)
        seen.append(found.programme)
        return found

    def rules(store: Store, name: str, **kwargs):  # type: ignore[no-untyped-def]
        rules_read.append(name)
        return read_rules(store, name, **kwargs)

    monkeypatch.setattr(Store, "data_versions", versions)
    monkeypatch.setattr(rule_settings, "programme_rules", rules)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[Key.VIEWER_ROLE] = "viewer"
    at.switch_page("pages/concentrations.py").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="conc_release_streams")  # the viewers' page, on the rules
    assert len(seen) == 1 and rules_read == [prog.name]

    seen.clear()
    rules_read.clear()
    added = prog.resources.iloc[[0]].assign(resource_id="ELSEWHERE-1", quantity=5.0)
    open_store().add_resources(prog.name, added)  # another session's write
    at.run()
    assert not at.exception, at.exception
    assert len(seen) == 1 and rules_read == [prog.name]
    assert seen == [read_versions(open_store(), prog.name).programme]  # the new version


def test_pages_offer_downloads_only_through_ui() -> None:
    """No page calls st.download_button itself: ui.download_button(s) builds files on click."""
    direct = [p.name for p in (ROOT / "pages").glob("*.py")
              if re.search(r"(?<!ui)\.download_button\(", p.read_text(encoding="utf-8"))]
    assert not direct


def test_every_rerun_is_logged_with_its_page_and_seconds(
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """The frame logs one line per rerun — the page and the seconds the server spent — for
    the administrator and the server benchmark, also when the page stops early (a refusal)."""
    import logging

    caplog.set_level(logging.INFO, logger="symbiomap.rerun")
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/about.py").run()
    assert not at.exception, at.exception
    lines = [r.getMessage() for r in caplog.records if r.name == "symbiomap.rerun"]
    assert len(lines) == 1 and re.fullmatch(r"rerun page=about seconds=\d+\.\d{3}", lines[0])
    seconds = float(lines[0].rsplit("=", 1)[1])
    assert 0 < seconds < 120

    caplog.clear()
    monkeypatch.setenv("SYMBIOMAP_ROLE", "viewer")
    refused = AppTest.from_file(APP, default_timeout=120)
    refused.switch_page("pages/site.py").run()
    assert any("viewers may not open this page" in e.value for e in refused.error)
    lines = [r.getMessage() for r in caplog.records if r.name == "symbiomap.rerun"]
    assert len(lines) == 1 and lines[0].startswith("rerun page=site seconds=")


def test_the_frame_has_no_bare_string_but_its_docstring() -> None:
    """Streamlit draws every bare expression of a script (its "magic"): a string left as a
    note in app.py — say a docstring under a constant — would show on every page."""
    tree = ast.parse((ROOT / "app.py").read_text())
    bare = [n.lineno for n in tree.body[1:]
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)]
    assert not bare, f"bare strings at app.py lines {bare}"
