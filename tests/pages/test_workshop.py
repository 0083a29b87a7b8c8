"""AppTest tests of the Workshop page (pages/workshop.py) on the demo programme."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import open_page, table_with
from ui import Key

pytestmark = pytest.mark.usefixtures("empty_data_dir")  # each test: an empty database


def test_workshop_saves_entries_and_creates_synergies_in_bulk() -> None:
    """Entries are saved (bad rows listed), and proposed links become idea-stage synergies."""
    at = open_page("pages/workshop.py")
    at.session_state[Key.WS_ENTRIES] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"site_id": "KAR-S001", "direction": "have", "ewc_code": "15 01 02",
         "description": "film", "quantity": 12.0, "unit": "t/yr", "frequency": "weekly"},
        {"site_id": "KAR-S002", "direction": "want", "ewc_code": "150102",
         "description": "film wanted", "quantity": 10.0, "unit": "t/yr", "frequency": "weekly"},
        {"site_id": "NOPE", "direction": "have", "ewc_code": "999999", "description": "bad",
         "quantity": 1.0, "unit": "t/yr", "frequency": "weekly"}]}
    at.run()
    at.button(key=Key.WS_SAVE_ENTRIES).click().run()
    assert not at.exception, at.exception
    assert any("2 records saved" in s.value for s in at.success)
    assert "NOPE" in table_with(at, "row", "resource_id", "message")["message"].iloc[0]
    new = at.session_state[Key.WS_ADDED]["resource_id"].tolist()
    at.session_state[Key.WS_LINKS] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"have_id": new[0], "want_id": new[1]}, {"have_id": new[1], "want_id": new[0]}]}
    at.run()
    at.button(key=Key.WS_CREATE).click().run()
    assert not at.exception, at.exception
    report = table_with(at, "row", "synergy_id", "message")
    assert report["status"].tolist() == ["saved", "refused"]  # shown as words
    assert any("1 synergy created" in s.value for s in at.success)  # ngettext: one synergy


def test_workshop_is_closed_to_viewers() -> None:
    """Workshop entry names companies: a viewer gets an explanation and no tables."""
    at = open_page("pages/workshop.py", role="viewer")
    assert any("viewers may not open this page" in e.value for e in at.error)
    assert not at.dataframe


def test_saved_count_in_the_pseudo_locale() -> None:
    """The saved-records message is one translated sentence with its count filled in (the
    singular form for one record), and the rows refused are explained in a translated
    warning."""
    from streamlit.testing.v1 import AppTest

    from geo.i18n import use_locale
    from tests.pages.support import APP

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[Key.VIEWER_ROLE] = "practitioner"
    at.query_params["lang"] = "qps_PLOC"
    at.session_state[Key.WS_ENTRIES] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"site_id": "KAR-S001", "direction": "have", "ewc_code": "15 01 02",
         "description": "film", "quantity": 12.0, "unit": "t/yr", "frequency": "weekly"},
        {"site_id": "NOPE", "direction": "have", "ewc_code": "999999", "description": "bad",
         "quantity": 1.0, "unit": "t/yr", "frequency": "weekly"}]}
    # AppTest formats widget values in this process too (format_func): same language here.
    with use_locale("qps_PLOC"):
        at.switch_page("pages/workshop.py").run()
        at.button(key=Key.WS_SAVE_ENTRIES).click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["⟦1 réçõrd sàvéd.⟧"]
    assert all(w.value.startswith("⟦") for w in at.warning)


FILM = {"site_id": "KAR-S001", "direction": "have", "ewc_code": "15 01 02",
        "description": "stretch film from the workshop", "quantity": 12.0, "unit": "t/yr",
        "frequency": "weekly"}


def _records_to_link(at: AppTest) -> str:
    return next(e.label for e in at.expander if e.label.startswith("Records to link"))


def _save_film(at: AppTest) -> None:
    at.session_state[Key.WS_ENTRIES] = {"edited_rows": {}, "deleted_rows": [],
                                        "added_rows": [FILM]}
    at.run()
    at.button(key=Key.WS_SAVE_ENTRIES).click().run()
    assert not at.exception, at.exception
    assert any("1 record saved" in s.value for s in at.success)


def test_a_record_saved_on_a_stored_programme_is_listed_once() -> None:
    """After the save the programme's next version holds the record: it is listed once, not
    once from the programme and again from the session."""
    import dataclasses

    from geo.demo import load_demo_programme
    from geo.store import open_store

    prog = dataclasses.replace(load_demo_programme(), name="Kotka members")
    open_store().save_programme(prog)
    at = open_page("pages/workshop.py", programme="Kotka members")
    _save_film(at)
    at.run()
    assert _records_to_link(at) == f"Records to link ({len(prog.resources) + 1})"


def test_records_saved_on_the_demo_stay_with_the_demo() -> None:
    """A record saved on the embedded demo is in the demo for every later session (read from
    the demo's stored copy), listed once."""
    from geo.demo import load_demo_programme

    n = len(load_demo_programme().resources)
    at = open_page("pages/workshop.py")
    assert _records_to_link(at) == f"Records to link ({n})"
    _save_film(at)
    at.run()
    assert _records_to_link(at) == f"Records to link ({n + 1})"
    later = open_page("pages/workshop.py")  # another session: nothing in its state
    assert _records_to_link(later) == f"Records to link ({n + 1})"
    browse = open_page("pages/browse.py")
    assert any("stretch film from the workshop" in str(df.value.to_dict())
               for df in browse.dataframe)


def test_saving_again_after_correcting_a_row_saves_only_that_row() -> None:
    """One row saved, one refused; the refused row corrected and the table saved again: one
    more record (not two), the first row reported as saved before, and no record listed that
    the programme does not hold (a phantom id was listed and could not be linked)."""
    from geo.demo import DEMO_NAME, load_demo_programme
    from geo.store import open_store

    n = len(load_demo_programme().resources)
    cardboard = {**FILM, "description": "cardboard offcuts", "ewc_code": "15 01 01"}
    wanted = {**FILM, "site_id": "KAR-S002", "direction": "want", "ewc_code": None,
              "description": "cardboard for pulping", "quantity": 60.0}
    at = open_page("pages/workshop.py")
    at.session_state[Key.WS_ENTRIES] = {"edited_rows": {}, "deleted_rows": [],
                                        "added_rows": [cardboard, wanted]}
    at.run()
    at.button(key=Key.WS_SAVE_ENTRIES).click().run()
    assert any("1 record saved" in s.value for s in at.success)
    at.session_state[Key.WS_ENTRIES] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        cardboard, {**wanted, "ewc_code": "15 01 01"}]}
    at.run()
    at.button(key=Key.WS_SAVE_ENTRIES).click().run()
    assert not at.exception, at.exception
    assert any("1 record saved" in s.value for s in at.success)
    assert any("1 row was saved before" in i.value for i in at.info)
    at.run()
    assert _records_to_link(at) == f"Records to link ({n + 2})"
    stored = set(open_store().load_programme(DEMO_NAME).resources["resource_id"])
    assert set(at.session_state[Key.WS_ADDED]["resource_id"]) <= stored


def test_the_entry_table_names_each_site_by_company() -> None:
    """The Site choices of the entry table read "Company (site id)", not the bare id."""
    import json

    from geo.demo import load_demo_programme

    sites = load_demo_programme().sites.set_index("site_id")["name"]
    at = open_page("pages/workshop.py")
    editor = next(d for d in at.dataframe if "site_id" in d.value.columns)
    config = json.loads(editor.proto.columns)["site_id"]["type_config"]
    labels = [o.get("label") for o in config["options"]]
    assert f"{sites['KAR-S001']} (KAR-S001)" in labels
    assert len(labels) == len(sites)
