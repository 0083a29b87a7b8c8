"""AppTest tests of the Browse & export page (pages/browse.py)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.demo import load_demo_programme
from tests.pages.support import APP, click_download, downloads, open_page, page_text
from ui import Key

PAGE = "pages/browse.py"


def _count(at: AppTest) -> int:
    line = next(m.value for m in at.markdown if "resource records match" in m.value)
    return int(line.split("**")[1].replace(",", ""))


def test_browse_filters_narrow_the_result() -> None:
    """Choosing 'have' and then the plastics group each narrow the matching records."""
    at = open_page(PAGE)
    everything = _count(at)
    at.segmented_control(key=Key.BR_DIRECTION).set_value("have").run()
    haves = _count(at)
    at.multiselect(key=Key.BR_SELECTORS).set_value(["plastics"]).run()
    plastics = _count(at)
    assert everything > haves > plastics > 0
    table = at.dataframe[0].value
    assert set(table["direction"]) == {"have"}
    assert table["site"].str.startswith("/site?site=").all()  # every row links to its site


def test_quantities_are_compared_in_one_unit_when_asked() -> None:
    """The quantity filters read each record in its own unit; a unit picked keeps only
    records in it, so that 'at least 100' means 100 t/yr and not 100 MWh/yr as well."""
    units = set(load_demo_programme().resources["unit"].dropna())
    assert len(units) > 1, "the demo mixes units"
    at = open_page(PAGE)
    at.number_input(key=Key.BR_QMIN).set_value(1.0).run()
    assert set(at.dataframe[0].value["unit"]) == units
    at.selectbox(key=Key.BR_UNIT).set_value("t/yr").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert set(shown["unit"]) == {"t/yr"} and (shown["quantity"] >= 1.0).all()


def test_browse_refuses_impossible_quantity_range() -> None:
    """A minimum above the maximum is explained, not a crash."""
    at = open_page(PAGE)
    at.number_input(key=Key.BR_QMIN).set_value(100.0)
    at.number_input(key=Key.BR_QMAX).set_value(10.0).run()
    assert not at.exception
    assert at.error, "an error message should explain the range"


def test_viewers_browse_the_release_by_stream_and_park() -> None:
    """Viewers get the release's stream × park figures: producers where released, the rest
    marked withheld and blank; no company row and no record count of their own."""
    at = open_page(PAGE, role="viewer", state={"br_parks": ["KAR-P1", "KAR-P2"]})
    table = at.dataframe[0].value
    assert "site_id" not in table and set(table["park_id"]) <= {"KAR-P1", "KAR-P2"}
    released = table[table["status"] == "released"]
    assert len(released) and (released["producers"] >= 3).all()
    withheld = table[table["status"] == "withheld"]
    assert withheld[["tonnes_per_year", "producers", "records"]].isna().all().all()
    assert not any("resource records match" in m.value for m in at.markdown)
    prog = load_demo_programme()
    text = page_text(at)
    assert not [n for n in [*prog.sites["name"], *prog.sites["site_id"]] if n in text]


def test_a_chapter_is_answered_with_the_nearest_release() -> None:
    """A catalogue chapter maps to whole release streams, and the page says so."""
    at = open_page(PAGE, role="viewer", state={Key.BR_SELECTORS: ["02"]})
    assert any("Nearest release" in i.value for i in at.info)
    exact = open_page(PAGE, role="viewer", state={Key.BR_SELECTORS: ["wood"]})
    assert not exact.info
    assert set(exact.dataframe[0].value["stream"]) == {"wood"}


def test_viewer_downloads_are_exactly_the_table() -> None:
    """The viewer's CSV (built on click) holds exactly the figures on the page."""
    at = open_page(PAGE, role="viewer")
    assert downloads(at) == {"br_dl_release_csv": True, "br_dl_release_xlsx": True}
    csv = pd.read_csv(io.BytesIO(click_download(at, "br_dl_release_csv")))
    shown = at.dataframe[0].value
    pd.testing.assert_frame_equal(csv, shown.reset_index(drop=True), check_dtype=False)


def test_table_downloads_are_built_on_click() -> None:
    """The result's CSV, Excel, GeoPackage and GeoJSON downloads are all built when clicked."""
    at = open_page(PAGE)
    assert downloads(at) == {"br_dl_csv": True, "br_dl_xlsx": True, "br_dl_gpkg": True,
                             "br_dl_geojson": True}


def _shown_headers(at: AppTest, index: int = 0) -> dict[str, str]:
    """Column name → the header a person reads, from a shown table's column config."""
    import json

    config = json.loads(at.dataframe[index].proto.columns or "{}")
    return {name.removeprefix("name:").removeprefix("col:"): c["label"]
            for name, c in config.items() if isinstance(c, dict) and c.get("label")}


def test_headers_and_count_in_the_session_language() -> None:
    """In the pseudo-locale the table's headers are labels (the data keeps its column names)
    and the count is one bracketed sentence with its figures filled in."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[Key.VIEWER_ROLE] = "practitioner"
    at.query_params["lang"] = "qps_PLOC"
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    headers = _shown_headers(at)
    assert headers["quantity"] == "⟦Qüàñtîtý⟧" and headers["site"] == "⟦Sîté⟧"
    assert "direction" in at.dataframe[0].value.columns  # data keeps the codes
    total = len(load_demo_programme().resources)
    line = next(m.value for m in at.markdown if m.value.startswith("⟦**"))
    assert line.endswith(f"{total:,} résõürçé réçõrds màtçh.⟧")


@pytest.mark.usefixtures("empty_data_dir")
def test_location_headers_follow_the_programme_levels_in_chinese() -> None:
    """A programme set to the china preset heads its location columns 省 / 市 / 园区 for a
    Chinese session; the data keeps its column names (and CSV downloads with them)."""
    from geo.demo import DEMO_NAME
    from geo.store import open_store
    from geo.store.locations import set_programme_location_preset

    set_programme_location_preset(open_store(), DEMO_NAME, "china", actor="test")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[Key.VIEWER_ROLE] = "practitioner"
    at.query_params["lang"] = "zh_CN"
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    headers = _shown_headers(at)
    assert (headers["region"], headers["city"], headers["park"]) == ("省", "市", "园区")
    assert headers["park_id"].startswith("园区")
    table = at.dataframe[0].value
    assert {"park_id", "region", "city", "park"} <= set(table.columns)
    assert set(table["region"].dropna()) == {"Kymenlaakso"}  # the park's region, as recorded


@pytest.mark.usefixtures("empty_data_dir")
def test_default_levels_in_english() -> None:
    """Without a preset the location columns read Region / City / Park."""
    headers = _shown_headers(open_page(PAGE))
    assert (headers["region"], headers["city"], headers["park"]) == ("Region", "City", "Park")


@pytest.mark.usefixtures("empty_data_dir")
def test_a_large_result_lists_a_page_of_rows_and_downloads_all() -> None:
    """Above MAX_TABLE_ROWS matching records the grid gets the first ones with a caption
    saying so, while the CSV download holds every matching record."""
    from benchmarks.synthetic import regional_programme
    from geo.store import open_store

    prog = regional_programme(3000)
    prog.name = "Large"
    open_store().save_programme(prog)
    at = open_page(PAGE, programme="Large")
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 1000
    assert any("The first 1,000 of" in c.value for c in at.caption)
    csv = click_download(at, "br_dl_csv")
    assert csv.count(b"\n") - 1 == _count(at) > 1000
