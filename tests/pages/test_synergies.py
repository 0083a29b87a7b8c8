"""AppTest tests of the Synergies page (pages/synergies.py) on the demo programme."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import open_page, table_with
from ui import Key

PAGE = "pages/synergies.py"
FREE_HAVE = "KAR-R0002"
"""A have of the demo that its illustrative synergy book does not use."""
pytestmark = pytest.mark.usefixtures("empty_data_dir")  # each test: an empty database


@pytest.fixture
def page() -> AppTest:
    """The page for a practitioner."""
    return open_page(PAGE)


def _create_new(page: AppTest) -> str:
    """Create a synergy from the best match of a have the demo book does not use yet; pick it
    on the Synergy tab; return its id."""
    before = set(table_with(page, "synergy_id", "updated_at")["synergy_id"])
    page.selectbox(key=Key.SYN_RECORD).set_value(FREE_HAVE).run()
    assert set(table_with(page, "want_id", "reasons")["have_id"]) == {FREE_HAVE}
    page.button(key=Key.SYN_CREATE).click().run()
    assert not page.exception, page.exception
    pipe = table_with(page, "synergy_id", "updated_at")
    (new,) = set(pipe["synergy_id"]) - before
    assert pipe.set_index("synergy_id").loc[new, "stage"] == "idea"
    page.selectbox(key=Key.SYN_PICK).set_value(new).run()
    return str(new)


def test_match_then_create_then_move_a_synergy(page: AppTest) -> None:
    """Matches show reasons; one click creates a synergy; a stage change adds to its history."""
    matches = table_with(page, "want_id", "reasons")
    assert len(matches) >= 1 and matches["reasons"].str.len().min() > 10
    _create_new(page)
    page.selectbox(key=Key.SYN_TO_STAGE).set_value("in progress")
    page.text_input(key=Key.SYN_NOTE).input("first meeting")
    page.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert not page.exception, page.exception
    history = table_with(page, "event_id", "to_stage")
    assert history["to_stage"].tolist() == ["idea", "in progress"]
    assert "first meeting" in history["note"].iloc[-1]


def test_going_back_without_reason_shows_the_rule(page: AppTest) -> None:
    """A backwards stage change without a reason is refused on screen, not saved; the
    outcome form and the history stay on the page (the person needs the history to write
    the reason)."""
    _create_new(page)
    page.selectbox(key=Key.SYN_TO_STAGE).set_value("implemented")
    page.button(key=Key.SYN_STAGE_SAVE).click().run()
    page.selectbox(key=Key.SYN_TO_STAGE).set_value("idea")
    page.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert any("needs a reason" in e.value for e in page.error)
    assert "syn_outcome_save" in {b.key for b in page.button}
    assert any(s.value == "History" for s in page.subheader)
    assert table_with(page, "event_id", "to_stage")["to_stage"].tolist()[-1] == "implemented"



def test_first_change_of_the_demo_is_a_stage_move(page: AppTest) -> None:
    """On a fresh database the demo is not stored yet: moving one of its illustrative
    synergies stores it first, then records the move (it was refused: no such programme)."""
    pipe = table_with(page, "synergy_id", "updated_at").set_index("synergy_id")
    sid = str(pipe.index[pipe["stage"] == "idea"][0])
    page.selectbox(key=Key.SYN_PICK).set_value(sid).run()
    page.selectbox(key=Key.SYN_TO_STAGE).set_value("identified")
    page.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert not page.exception, page.exception
    assert not page.error, [e.value for e in page.error]
    after = table_with(page, "synergy_id", "updated_at").set_index("synergy_id")
    assert after.loc[sid, "stage"] == "identified"
    assert len(after) == len(pipe)  # the other illustrative synergies were stored with it

def test_viewer_cannot_see_the_pipeline() -> None:
    """A viewer is told the page is for practitioners and sees no company table."""
    at = open_page(PAGE, role="viewer")
    assert any("viewers may not open this page" in e.value for e in at.error)
    assert not at.dataframe


def test_a_large_book_is_searched_not_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the picker's limit the Synergy tab lists a few synergies and a search box; the
    synergy found by its id opens with its description."""
    import ui.widgets
    from ui.data import _demo_book

    monkeypatch.setattr(ui.widgets, "MAX_PICK_OPTIONS", 5)
    book = _demo_book().synergies
    assert len(book) > 5
    at = open_page(PAGE)
    assert len(at.selectbox(key=Key.SYN_PICK).options) == 5
    wanted = book.iloc[-1]
    at.text_input(key=Key.SYN_PICK_FIND).input(str(wanted["synergy_id"])).run()
    assert not at.exception, at.exception
    options = at.selectbox(key=Key.SYN_PICK).options
    assert any(str(wanted["synergy_id"]) in o for o in options)
    at.selectbox(key=Key.SYN_PICK).set_value(wanted["synergy_id"]).run()
    assert at.selectbox(key=Key.SYN_PICK).value == wanted["synergy_id"]
    assert any(str(wanted["description"])[:20] in m.value.replace("\\", "")
               for m in at.markdown)


def test_a_record_search_that_finds_nothing_keeps_the_other_tabs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A search for a record no record contains says so on *Find matches*, and the Pipeline
    and Synergy tabs still show (the page once stopped at the empty search)."""
    import ui.widgets

    monkeypatch.setattr(ui.widgets, "MAX_PICK_OPTIONS", 5)
    at = open_page(PAGE, state={Key.SYN_FIND: "no such record zzz"})  # before any pick
    assert any("zzz" in c.value for c in at.caption)
    assert Key.SYN_CREATE not in {b.key for b in at.button}  # no record, no match to create
    assert len(table_with(at, "synergy_id", "updated_at")) > 0  # the pipeline
    assert at.selectbox(key=Key.SYN_PICK).value is not None  # one synergy


def test_a_change_made_meanwhile_in_another_session_is_not_overwritten() -> None:
    """Two practitioners open the same synergy; the one who saves second is refused with who
    changed it (not silently applied over the first), and keeps what they typed."""
    first, second = open_page(PAGE), open_page(PAGE)
    pipe = table_with(first, "synergy_id", "updated_at").set_index("synergy_id")
    sid = str(pipe.index[pipe["stage"] == "idea"][0])
    for at in (first, second):
        at.selectbox(key=Key.SYN_PICK).set_value(sid).run()
    first.selectbox(key=Key.SYN_TO_STAGE).set_value("identified")
    first.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert not first.error, [e.value for e in first.error]
    second.selectbox(key=Key.SYN_TO_STAGE).set_value("in progress")
    second.text_input(key=Key.SYN_NOTE).input("my note")
    second.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert not second.exception, second.exception
    errors = [e.value.replace("\\", "") for e in second.error]  # shown as plain text
    assert any(sid in e and "while you were editing" in e for e in errors), errors
    assert second.text_input(key=Key.SYN_NOTE).value == "my note"  # kept for a retry
    after = table_with(open_page(PAGE), "synergy_id", "updated_at").set_index("synergy_id")
    assert after.loc[sid, "stage"] == "identified"  # the first change stands


def test_two_changes_in_a_row_stay_on_the_synergy_shown() -> None:
    """A second stage change right after the first applies to the same synergy, and the
    note of the first is not offered again."""
    at = open_page(PAGE)
    pipe = table_with(at, "synergy_id", "updated_at").set_index("synergy_id")
    sid = str(pipe.index[pipe["stage"] == "idea"][-1])
    at.selectbox(key=Key.SYN_PICK).set_value(sid).run()
    at.selectbox(key=Key.SYN_TO_STAGE).set_value("identified")
    at.text_input(key=Key.SYN_NOTE).input("step one")
    at.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert at.selectbox(key=Key.SYN_PICK).value == sid
    assert at.text_input(key=Key.SYN_NOTE).value == ""
    at.selectbox(key=Key.SYN_TO_STAGE).set_value("in progress")
    at.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = table_with(at, "synergy_id", "updated_at").set_index("synergy_id")
    assert after.loc[sid, "stage"] == "in progress"
    others = pipe.drop(index=sid)["stage"]
    assert (after.drop(index=sid).loc[others.index, "stage"] == others).all()


def test_a_second_press_after_a_save_moves_nothing() -> None:
    """After a saved stage change no stage is chosen: pressing *Save stage change* again
    asks for a stage and leaves the synergy where it is (it used to move it on once more,
    to the stage the list then showed first)."""
    at = open_page(PAGE)
    pipe = table_with(at, "synergy_id", "updated_at").set_index("synergy_id")
    sid = str(pipe.index[pipe["stage"] == "idea"][0])
    at.selectbox(key=Key.SYN_PICK).set_value(sid).run()
    assert at.selectbox(key=Key.SYN_TO_STAGE).value is None  # nothing chosen for the person
    at.selectbox(key=Key.SYN_TO_STAGE).set_value("identified")
    at.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert at.selectbox(key=Key.SYN_TO_STAGE).value is None
    at.button(key=Key.SYN_STAGE_SAVE).click().run()
    assert not at.exception, at.exception
    assert any("Choose the stage" in w.value for w in at.warning)
    after = table_with(at, "synergy_id", "updated_at").set_index("synergy_id")
    assert after.loc[sid, "stage"] == "identified"
    assert table_with(at, "event_id", "to_stage")["to_stage"].tolist() == ["idea", "identified"]
    # a stage chosen (not saved) for one synergy is not carried to the next one picked
    at.selectbox(key=Key.SYN_TO_STAGE).set_value("in progress").run()
    other = str(pipe.index[pipe["stage"] == "identified"][0])
    at.selectbox(key=Key.SYN_PICK).set_value(other).run()
    assert at.selectbox(key=Key.SYN_TO_STAGE).value is None


def test_an_outcome_recorded_again_for_a_year_is_replaced_only_when_asked(page: AppTest) -> None:
    """A second figure for the same outcome and year is refused with the figure already
    recorded, until *Replace* is ticked; then the new figure counts. Figures are kept as the
    field shows them (two decimals), and a count must be whole."""
    sid = _create_new(page)
    page.selectbox(key=Key.SYN_TO_STAGE).set_value("implemented")
    page.button(key=Key.SYN_STAGE_SAVE).click().run()
    page.selectbox(key="syn_outcome_type").set_value("landfill_diverted_t")
    page.number_input(key="syn_outcome_value").set_value(5.0)
    page.button(key="syn_outcome_save").click().run()
    assert not page.exception and not page.error, [e.value for e in page.error]

    def landfill() -> float:
        row = table_with(page, "synergy_id", "landfill_diverted_t").set_index("synergy_id")
        return float(row.loc[sid, "landfill_diverted_t"])

    assert landfill() == 5.0
    page.number_input(key="syn_outcome_value").set_value(0.0)
    page.button(key="syn_outcome_save").click().run()
    assert any("already recorded: 5" in w.value for w in page.warning), \
        [w.value for w in page.warning]
    assert landfill() == 5.0
    page.checkbox(key="syn_outcome_replace").check()
    page.number_input(key="syn_outcome_value").set_value(3.456)
    page.button(key="syn_outcome_save").click().run()
    assert not page.error, [e.value for e in page.error]
    assert landfill() == 3.46
    from geo.demo import DEMO_NAME
    from geo.store import open_store
    from geo.synergies import repository as repo

    stored = repo.load_book(open_store(), DEMO_NAME).outcomes.query("synergy_id == @sid")
    assert stored["value"].iloc[-1] == 3.46  # stored as shown, not the 3.456 typed
    assert page.checkbox(key="syn_outcome_replace").value is False  # asked again next time
    page.selectbox(key="syn_outcome_type").set_value("jobs_created")
    page.number_input(key="syn_outcome_value").set_value(2.5)
    page.button(key="syn_outcome_save").click().run()
    assert any("whole number" in e.value for e in page.error)
