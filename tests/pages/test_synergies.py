"""AppTest tests of the Synergies, Reports and Workshop pages on the demo programme."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

PAGES = ROOT / "pages"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own empty programme database."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))


def _page(name: str, role: str = "practitioner") -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=120)
    at.session_state["viewer_role"] = role
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, *columns: str):  # type: ignore[no-untyped-def]
    """The first table showing all of ``columns`` (display tables carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_match_then_create_then_move_a_synergy() -> None:
    """Matches show reasons; one click creates a synergy; a stage change adds to its history."""
    at = _page("synergies.py")
    matches = _table(at, "want_id", "reasons")
    assert len(matches) >= 1 and matches["reasons"].str.len().min() > 10
    at.selectbox(key="syn_record").set_value("KAR-R0012").run()
    assert set(_table(at, "want_id", "reasons")["have_id"]) == {"KAR-R0012"}
    at.button(key="syn_create").click().run()
    assert not at.exception, at.exception
    pipe = _table(at, "synergy_id", "updated_at")
    assert pipe["stage"].tolist() == ["idea"]
    at.selectbox(key="syn_to_stage").set_value("in progress")
    at.text_input(key="syn_note").input("first meeting")
    at.button(key="syn_stage_save").click().run()
    assert not at.exception, at.exception
    history = _table(at, "event_id", "to_stage")
    assert history["to_stage"].tolist() == ["idea", "in progress"]
    assert "first meeting" in history["note"].iloc[-1]


def test_going_back_without_reason_shows_the_rule() -> None:
    """A backwards stage change without a reason is refused on screen, not saved."""
    at = _page("synergies.py")
    at.button(key="syn_create").click().run()
    at.selectbox(key="syn_to_stage").set_value("implemented")
    at.button(key="syn_stage_save").click().run()
    at.selectbox(key="syn_to_stage").set_value("idea")
    at.button(key="syn_stage_save").click().run()
    assert any("needs a reason" in e.value for e in at.error)


def test_viewer_cannot_see_the_pipeline() -> None:
    """A viewer is told the page is for practitioners and sees no company table."""
    at = _page("synergies.py", role="viewer")
    assert any("practitioners only" in i.value for i in at.info)
    assert not at.dataframe


def test_reports_show_sankey_kpis_and_workbook() -> None:
    """The report draws the Sankey, says flows balance, and offers the Excel download."""
    at = _page("reports.py")
    charts = at.get("plotly_chart")
    assert len(charts) >= 1
    assert '"sankey"' in charts[0].proto.spec
    assert any("conserve tonnes at every node" in c.value for c in at.caption)
    assert {m.label for m in at.metric} >= {"Haves, t/yr", "Completed synergies"}
    at.radio(key="rep_view").set_value("Excel").run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 1
    at.radio(key="rep_view").set_value("Network map").run()
    assert not at.exception, at.exception
    assert any("links drawn" in c.value for c in at.caption)


def test_reports_for_a_viewer_blank_small_groups() -> None:
    """A viewer gets the lock note and the gaps table with suppressed groups."""
    at = _page("reports.py", role="viewer")
    assert any("Viewing as viewer" in c.value for c in at.caption)
    at.radio(key="rep_view").set_value("Gaps").run()
    assert not at.exception, at.exception
    gaps = _table(at, "quantity_without_want")
    assert gaps["suppressed"].any()
    assert gaps.loc[gaps["suppressed"], "quantity_without_want"].isna().all()


def test_workshop_saves_entries_and_creates_synergies_in_bulk() -> None:
    """Entries are saved (bad rows listed), and proposed links become idea-stage synergies."""
    at = _page("workshop.py")
    at.session_state["ws_entries"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"site_id": "KAR-S001", "direction": "have", "ewc_code": "15 01 02",
         "description": "film", "quantity": 12.0, "unit": "t/yr", "frequency": "weekly"},
        {"site_id": "KAR-S002", "direction": "want", "ewc_code": "150102",
         "description": "film wanted", "quantity": 10.0, "unit": "t/yr", "frequency": "weekly"},
        {"site_id": "NOPE", "direction": "have", "ewc_code": "999999", "description": "bad",
         "quantity": 1.0, "unit": "t/yr", "frequency": "weekly"}]}
    at.run()
    at.button(key="ws_save_entries").click().run()
    assert not at.exception, at.exception
    assert any("2 records saved" in s.value for s in at.success)
    assert "NOPE" in _table(at, "row", "resource_id", "message")["message"].iloc[0]
    new = at.session_state["ws_added"]["resource_id"].tolist()
    at.session_state["ws_links"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"have_id": new[0], "want_id": new[1]}, {"have_id": new[1], "want_id": new[0]}]}
    at.run()
    at.button(key="ws_create").click().run()
    assert not at.exception, at.exception
    report = _table(at, "row", "synergy_id", "message")
    assert report["status"].tolist() == ["ok", "error"]
    assert any("1 synergies created" in s.value for s in at.success)
