"""AppTest tests of the data pages: browse & export, import, locate records."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

APP = str(ROOT / "app.py")


def _page(path: str, *, role: str = "practitioner") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["viewer_role"] = role
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def _count(at: AppTest) -> int:
    line = next(m.value for m in at.markdown if "resource records match" in m.value)
    return int(line.split("**")[1].replace(",", ""))


def test_browse_filters_narrow_the_result() -> None:
    """Choosing 'have' and then the plastics group each narrow the matching records."""
    at = _page("pages/browse.py")
    everything = _count(at)
    at.segmented_control(key="br_direction").set_value("have").run()
    haves = _count(at)
    at.multiselect(key="br_selectors").set_value(["plastics"]).run()
    plastics = _count(at)
    assert everything > haves > plastics > 0
    table = at.dataframe[0].value
    assert set(table["direction"]) == {"have"}
    assert table["site"].str.startswith("/site?site=").all()  # every row links to its site


def test_browse_refuses_impossible_quantity_range() -> None:
    """A minimum above the maximum is explained, not a crash."""
    at = _page("pages/browse.py")
    at.number_input(key="br_qmin").set_value(100.0)
    at.number_input(key="br_qmax").set_value(10.0).run()
    assert not at.exception
    assert at.error, "an error message should explain the range"


def test_browse_for_viewers_shows_only_k_safe_totals() -> None:
    """Viewers get totals by chapter and park with small groups blanked, no company rows."""
    at = _page("pages/browse.py", role="viewer")
    table = at.dataframe[0].value
    assert "site_id" not in table.columns and "suppressed" in table.columns
    shown = table[~table["suppressed"]]
    assert (shown["producers"] >= 3).all()


def test_import_page_reports_rows_and_rejects(tmp_path: Path) -> None:
    """Importing a small file with one bad row stores the good rows and lists the bad one."""
    at = _page("pages/import_data.py")
    assert not at.exception
    assert at.button(key="imp_save_demo")  # the page rendered its actions


def test_geocode_page_shows_quality_view() -> None:
    """The locate page shows every demo site by precision and the gazetteer licences."""
    at = _page("pages/geocode.py")
    assert not at.exception
    assert any("of 69 sites on the map" in c.value or "sites on the map" in c.value
               for c in at.caption)
    assert len(at.dataframe) >= 2


@pytest.mark.parametrize("path", ["pages/import_data.py", "pages/geocode.py"])
def test_practitioner_pages_are_closed_to_viewers(path: str) -> None:
    """Import and geocoding are practitioner jobs; viewers get an explanation."""
    at = _page(path, role="viewer")
    assert any("practitioners" in i.value for i in at.info)


def test_imported_programme_is_located_on_the_geocode_page(tmp_path: Path) -> None:
    """A stored programme imported without coordinates gets located by the page's batch run."""
    from geo.importer import import_file
    from geo.store import open_store

    csv = tmp_path / "members.csv"
    csv.write_text(
        "Company,Postcode,City,Country,Have/Want,EWC code,Quantity,Unit\n"
        "Brum Metals,B4 7DA,Birmingham,GB,have,120101,40,t/yr\n"
        "Karhula Timber,,Kotka,FI,have,030105,300,t/yr\n"
        "Nowhere Ltd,,Qwzxv,GB,have,150101,5,t/yr\n"
        "Bad Row Ltd,,Kotka,FI,have,999999,5,t/yr\n", encoding="utf-8")
    store = open_store()
    report = import_file(csv, store=store, programme="Geocode test", provenance="import file")
    assert report.imported == 3 and report.rejected == 1

    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["viewer_role"] = "practitioner"
    at.session_state["programme_name"] = "Geocode test"
    at.switch_page("pages/geocode.py").run()
    assert not at.exception, at.exception
    at.button(key="gc_run").click().run()
    assert not at.exception, at.exception
    sites = store.load_programme("Geocode test").sites.set_index("name")
    assert sites.loc["Brum Metals", "location_precision"] == "postcode"
    assert abs(sites.loc["Brum Metals"].geometry.y - 52.4856) < 0.001
    assert sites.loc["Karhula Timber", "location_precision"] in {"town", "district"}
    assert sites.loc["Nowhere Ltd", "location_precision"] == "not_found"


def test_typed_placement_is_manual_and_survives_a_batch_run(tmp_path: Path) -> None:
    """Coordinates typed on the page place the site 'by hand'; a later batch run keeps them."""
    from geo.importer import import_file
    from geo.store import open_store

    csv = tmp_path / "m.csv"
    csv.write_text("Company,City,Country,Have/Want,EWC code,Quantity,Unit\n"
                   "Typed Place Oy,Kotka,FI,have,150101,12,t/yr\n", encoding="utf-8")
    store = open_store()
    assert import_file(csv, store=store, programme="Typed test").imported == 1

    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["viewer_role"] = "practitioner"
    at.session_state["programme_name"] = "Typed test"
    at.switch_page("pages/geocode.py").run()
    assert not at.exception, at.exception
    at.number_input(key="gc_manual_lat").set_value(60.5012)
    at.number_input(key="gc_manual_lon").set_value(26.9123).run()
    at.button(key="gc_manual_typed").click().run()
    assert not at.exception, at.exception
    site = store.load_programme("Typed test").sites.iloc[0]
    assert site["location_precision"] == "manual"
    assert (round(site.geometry.x, 4), round(site.geometry.y, 4)) == (26.9123, 60.5012)

    at.button(key="gc_run").click().run()  # the batch finds "Kotka" as a town…
    assert not at.exception, at.exception
    site = store.load_programme("Typed test").sites.iloc[0]
    assert site["location_precision"] == "manual"  # …but never moves a hand placement
    assert round(site.geometry.x, 4) == 26.9123
