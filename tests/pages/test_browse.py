"""AppTest tests of the Browse & export page (pages/browse.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.support import downloads, open_page
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


def test_browse_refuses_impossible_quantity_range() -> None:
    """A minimum above the maximum is explained, not a crash."""
    at = open_page(PAGE)
    at.number_input(key=Key.BR_QMIN).set_value(100.0)
    at.number_input(key=Key.BR_QMAX).set_value(10.0).run()
    assert not at.exception
    assert at.error, "an error message should explain the range"


def test_browse_for_viewers_shows_only_k_safe_totals() -> None:
    """Viewers get totals by chapter and park with small groups blanked, no company rows."""
    at = open_page(PAGE, role="viewer")
    table = at.dataframe[0].value
    assert "site_id" not in table.columns and "suppressed" in table.columns
    shown = table[~table["suppressed"]]
    assert (shown["producers"] >= 3).all()


def test_table_downloads_are_built_on_click() -> None:
    """The result's CSV, Excel, GeoPackage and GeoJSON downloads are all built when clicked."""
    at = open_page(PAGE)
    assert downloads(at) == {"br_dl_csv": True, "br_dl_xlsx": True, "br_dl_gpkg": True,
                             "br_dl_geojson": True}
