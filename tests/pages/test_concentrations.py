"""AppTest tests of the Concentrations page (pages/concentrations.py), driving widgets by key."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import click_download, downloads, open_page
from ui import Key

PAGE = "pages/concentrations.py"
VIEWS = ["Heat", "Catchment", "Hexagons", "Hot spots", "Clusters", "Parks"]


def _records(at: AppTest) -> int:
    for c in at.caption:
        m = re.match(r"([\d,]+) records from", c.value)
        if m:
            return int(m.group(1).replace(",", ""))
    raise AssertionError([c.value for c in at.caption])


@pytest.fixture
def page(empty_data_dir: Path) -> AppTest:
    """The page on the demo programme, run once with the default filter."""
    return open_page(PAGE, timeout=60)


def test_default_view_shows_the_heat_map_and_the_illustrative_note(page: AppTest) -> None:
    """The page opens on the heat map of all haves, labelled illustrative, with downloads."""
    assert any("illustrative" in c.value for c in page.caption)
    assert _records(page) > 100
    assert any("Gaussian kernel density" in c.value for c in page.caption)
    labels = [b.label for b in page.get("download_button")]
    assert "GeoTIFF" in labels and "PNG + world file" in labels


def test_surface_downloads_are_built_on_click(page: AppTest) -> None:
    """GeoTIFF and PNG + world file are built when clicked, not on each rerun, and are valid."""
    assert downloads(page) == {Key.CONC_DL_TIF: True, Key.CONC_DL_PNG: True}
    assert click_download(page, Key.CONC_DL_TIF)[:4] in (b"II*\x00", b"MM\x00*")
    with zipfile.ZipFile(io.BytesIO(click_download(page, Key.CONC_DL_PNG))) as z:
        assert {Path(n).suffix for n in z.namelist()} >= {".png", ".pgw"}


def test_stream_filter_changes_the_records_drawn(page: AppTest) -> None:
    """Picking 'plastics' draws fewer records than all streams."""
    everything = _records(page)
    page.multiselect(key=Key.CONC_STREAMS).set_value(["plastics"]).run()
    assert not page.exception, page.exception
    assert 0 < _records(page) < everything


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders(page: AppTest, view: str) -> None:
    """Each map (heat, catchment, hexagons, hot spots, clusters, parks) renders without error."""
    page.radio(key=Key.CONC_VIEW).set_value(view).run()
    assert not page.exception, page.exception
    assert not page.error, [e.value for e in page.error]
    assert all(downloads(page).values())  # every table download is built on click


def test_no_match_shows_an_empty_state(page: AppTest) -> None:
    """A stream with no records gives an explanation, not an exception."""
    page.multiselect(key=Key.CONC_STREAMS).set_value(["asbestos"]).run()
    assert not page.exception
    assert any("Widen the filter" in i.value for i in page.info)


def test_absurd_bandwidth_is_refused_with_the_range(page: AppTest) -> None:
    """A 600 km bandwidth shows the allowed range instead of a map."""
    page.number_input(key=Key.CONC_BANDWIDTH_M).set_value(600_000.0).run()
    assert not page.exception
    assert any("500 km" in e.value for e in page.error)


def test_viewer_sees_no_hexagon_under_k_producers(page: AppTest) -> None:
    """A viewer's hexagon table shows figures only for units of at least k producers."""
    page.session_state[Key.VIEWER_ROLE] = "viewer"
    page.radio(key=Key.CONC_VIEW).set_value("Hexagons").run()
    assert not page.exception, page.exception
    table = page.dataframe[0].value
    shown = table[~table["suppressed"]]
    assert (shown["producers"] >= 3).all()
    assert table.loc[table["suppressed"], "tonnes"].isna().all()


def test_cluster_pick_zooms_and_table_is_sorted_by_tonnes(page: AppTest) -> None:
    """The cluster table is sorted by tonnes and picking a cluster keeps the page working."""
    page.radio(key=Key.CONC_VIEW).set_value("Clusters").run()
    page.number_input(key=Key.CONC_MIN_CLUSTER_T).set_value(500.0).run()
    table = page.dataframe[0].value
    assert table["tonnes"].is_monotonic_decreasing and len(table) >= 1
    page.selectbox(key=Key.CONC_CLUSTER).set_value(table["name"].iloc[0]).run()
    assert not page.exception, page.exception


def test_hot_spots_with_nothing_significant_render(page: AppTest) -> None:
    """At a coarse resolution no cell is significant: the map draws, no exception."""
    page.radio(key=Key.CONC_VIEW).set_value("Hot spots").run()
    page.selectbox(key=Key.CONC_H3_RES).set_value(4).run()
    assert not page.exception, page.exception
