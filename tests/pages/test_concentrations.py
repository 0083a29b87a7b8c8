"""AppTest tests of the Concentrations page (pages/concentrations.py), driving widgets by key."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from rasterio.io import MemoryFile
from streamlit.testing.v1 import AppTest

from geo.i18n import column_label
from tests.pages.support import click_download, downloads, open_page
from ui import Key

PAGE = "pages/concentrations.py"
VIEWS = ["Heat", "Catchment", "Hexagons", "Hot spots", "Clusters", "Parks"]
RELEASE_STREAMS = "conc_release_streams"


def _records(at: AppTest) -> int:
    for c in at.caption:
        m = re.match(r"([\d,]+) records from", c.value)
        if m:
            return int(m.group(1).replace(",", ""))
    raise AssertionError([c.value for c in at.caption])


def _keys(at: AppTest) -> set[str]:
    """Keys of every widget on the page."""
    return {str(w.key) for kind in ("number_input", "selectbox", "multiselect", "radio",
                                    "slider", "text_input") for w in at.get(kind)}


@pytest.fixture
def page(empty_data_dir: Path) -> AppTest:
    """The page on the demo programme, run once with the default filter."""
    return open_page(PAGE, timeout=60)


@pytest.fixture
def viewer(empty_data_dir: Path) -> AppTest:
    """The page as a viewer sees it (a practitioner previewing "Viewing as: viewer")."""
    return open_page(PAGE, role="viewer", timeout=60)


def test_default_view_shows_the_heat_map_and_the_illustrative_note(page: AppTest) -> None:
    """The page opens on the heat map of all haves, labelled illustrative, with downloads."""
    assert any("illustrative" in c.value for c in page.caption)
    assert _records(page) > 100
    assert any("Gaussian kernel density" in c.value for c in page.caption)
    labels = [b.label for b in page.get("download_button")]
    assert "GeoTIFF" in labels and "PNG + world file" in labels


def _saturated_colours(png: bytes) -> int:
    """Distinct coloured (not grey) pixels' colours of a picture: the map and legend colours."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    coloured = rgb[(rgb.max(axis=1) - rgb.min(axis=1)) > 30]
    return len(np.unique(coloured, axis=0))


def test_surface_downloads_are_built_on_click(page: AppTest) -> None:
    """GeoTIFF, PNG + world file and the map picture are built when clicked, not on each
    rerun, and are valid; the practitioner's picture shows the ramp of figures."""
    assert downloads(page) == {Key.CONC_DL_TIF: True, Key.CONC_DL_PNG: True,
                               "conc_dl_picture": True}
    picture = click_download(page, "conc_dl_picture")
    assert picture[:8] == b"\x89PNG\r\n\x1a\n" and _saturated_colours(picture) > 40
    assert click_download(page, Key.CONC_DL_TIF)[:4] in (b"II*\x00", b"MM\x00*")
    with zipfile.ZipFile(io.BytesIO(click_download(page, Key.CONC_DL_PNG))) as z:
        assert {Path(n).suffix for n in z.namelist()} >= {".png", ".pgw"}


def test_stream_filter_changes_the_records_drawn(page: AppTest) -> None:
    """Picking 'plastics' draws fewer records than all streams."""
    everything = _records(page)
    page.multiselect(key=Key.CONC_STREAMS).set_value(["plastics"]).run()
    assert not page.exception, page.exception
    assert 0 < _records(page) < everything


def _map_component(at: AppTest) -> tuple[str, dict[str, object]]:
    """The map component's element id and arguments after the last run."""
    (map_el,) = [c for c in at.get("component_instance")
                 if c.proto.component_name == "streamlit_folium.st_folium"]
    return map_el.proto.id, json.loads(map_el.proto.json_args)


def test_a_filter_change_keeps_the_map_and_sends_new_overlays(page: AppTest) -> None:
    """Between two filters the map component keeps its identity (the browser keeps the map,
    its base layer and the user's zoom) and only its overlays differ: the heat image and its
    legend travel in the overlays, not in the map's own script."""
    before_id, before = _map_component(page)
    page.multiselect(key=Key.CONC_STREAMS).set_value(["plastics"]).run()
    after_id, after = _map_component(page)
    assert before_id == after_id
    assert before["feature_group"] != after["feature_group"]
    for args in (before, after):
        assert "L.imageOverlay(" in str(args["feature_group"])
        assert "symbiomap-legend" in str(args["feature_group"])
        assert "L.imageOverlay(" not in str(args["script"])
        # the tooltips' table style, which folium adds only when it renders a tooltip,
        # comes with the map (the overlays' own header is never sent)
        assert ".foliumtooltip th" in str(args["header"])


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


def test_distances_cannot_be_set_beyond_the_range(page: AppTest) -> None:
    """Bandwidth, catchment radius and cluster neighbourhood stop at 500 km in the widgets
    themselves (the analysis refuses more with the range: tests/geo/concentrations)."""
    assert page.number_input(key=Key.CONC_BANDWIDTH_M).max == 500_000
    page.radio(key=Key.CONC_VIEW).set_value("Catchment").run()
    assert page.number_input(key="conc_radius_km").max == 500
    page.radio(key=Key.CONC_VIEW).set_value("Clusters").run()
    assert page.number_input(key="conc_eps_m").max == 500_000
    assert not page.exception


def test_cluster_pick_zooms_and_table_is_sorted_by_tonnes(page: AppTest) -> None:
    """The cluster table is sorted by tonnes and picking a cluster keeps the page working."""
    page.radio(key=Key.CONC_VIEW).set_value("Clusters").run()
    page.number_input(key=Key.CONC_MIN_CLUSTER_T).set_value(500.0).run()
    table = page.dataframe[0].value
    assert table[column_label("tonnes")].is_monotonic_decreasing and len(table) >= 1
    page.selectbox(key=Key.CONC_CLUSTER).set_value(table[column_label("name")].iloc[0]).run()
    assert not page.exception, page.exception


def test_hot_spots_with_nothing_significant_render(page: AppTest) -> None:
    """At a coarse resolution no cell is significant: the map draws, no exception."""
    page.radio(key=Key.CONC_VIEW).set_value("Hot spots").run()
    page.selectbox(key=Key.CONC_H3_RES).set_value(4).run()
    assert not page.exception, page.exception


# -- viewers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("direction", ["have", "any"])
def test_every_view_renders_for_a_viewer(viewer: AppTest, view: str, direction: str) -> None:
    """Each view renders for a viewer from the release, haves or both, downloads on click."""
    viewer.radio(key="conc_direction").set_value(direction).run()
    viewer.radio(key=Key.CONC_VIEW).set_value(view).run()
    assert not viewer.exception, viewer.exception
    assert not viewer.error, [e.value for e in viewer.error]
    assert downloads(viewer) and all(downloads(viewer).values())
    assert not any(re.search(r"records from", c.value) for c in viewer.caption)


def test_viewer_has_no_quantity_precision_code_or_resolution_control(viewer: AppTest) -> None:
    """A viewer picks direction, release streams, parks and a view; nothing finer."""
    keys = _keys(viewer)
    assert {"conc_direction", RELEASE_STREAMS, "conc_parks", Key.CONC_VIEW} <= keys
    assert not {"conc_min_t", "conc_max_t", "conc_precision", Key.CONC_STREAMS,
                Key.CONC_H3_RES} & keys
    assert any("fixed protected releases" in c.value for c in viewer.caption)
    viewer.radio(key=Key.CONC_VIEW).set_value("Hexagons").run()
    assert viewer.radio(key="conc_level").options == ["coarse", "middle", "fine"]
    assert Key.CONC_H3_RES not in _keys(viewer)


def test_viewer_geotiff_holds_classes_and_no_float_figures(viewer: AppTest) -> None:
    """The viewer's GeoTIFF is class numbers (uint8, a few values) described in its tags."""
    data = click_download(viewer, Key.CONC_DL_TIF)
    with MemoryFile(data) as mem, mem.open() as src:
        band = src.read(1)
        tags = src.tags()
    assert band.dtype.name == "uint8" and set(band.ravel().tolist()) <= set(range(8))
    assert "class numbers" in tags["values"] and "classes" in tags


def test_viewer_picture_shows_the_classes_only(viewer: AppTest) -> None:
    """The viewer's map picture is drawn from the classed surface: a few flat class colours
    (map and legend), not a ramp of figures."""
    picture = click_download(viewer, "conc_dl_picture")
    assert picture[:8] == b"\x89PNG\r\n\x1a\n"
    assert _saturated_colours(picture) <= 2 * 8 + 2


def test_viewer_hexagons_are_released_figures(viewer: AppTest) -> None:
    """The viewer's hexagon table lists released cells only, each a sum of released figures."""
    viewer.radio(key=Key.CONC_VIEW).set_value("Hexagons").run()
    table = viewer.dataframe[0].value
    assert {column_label(c) for c in ("h3_cell", "tonnes", "figures")} <= set(table.columns)
    assert column_label("records") not in table.columns
    assert table[column_label("tonnes")].notna().all()


def test_a_code_from_the_practitioner_view_is_widened_to_its_release_stream(
        empty_data_dir: Path) -> None:
    """A code chosen before switching to the viewer's view becomes its release stream, said."""
    at = open_page(PAGE, role="viewer", state={Key.CONC_STREAMS: ["150102"]}, timeout=60)
    assert at.multiselect(key=RELEASE_STREAMS).value == ["plastics"]
    assert any("nearest release streams" in i.value for i in at.info)


def test_viewer_selection_with_nothing_released_is_explained(viewer: AppTest) -> None:
    """A selection of which nothing is released shows an explanation, not an empty map."""
    viewer.radio(key="conc_direction").set_value("want").run()
    viewer.multiselect(key=RELEASE_STREAMS).set_value(["asbestos"]).run()
    assert not viewer.exception, viewer.exception
    assert any("disclosure rules" in i.value for i in viewer.info)


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 40,
        "client_id": "symbiomap", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def test_park_authority_reads_only_its_parks_figures(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed in as a park authority of one park (server mode), every view shows only that
    park's released figures: its park row alone, no control for another park."""
    from geo.access import add_user, grant
    from geo.demo import DEMO_NAME
    from geo.store import open_store
    from tests.pages.support import APP

    monkeypatch.setenv("SYMBIOMAP_MODE", "server")
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    store = open_store()
    add_user(store, "sub-pa", email="pa@example.org", name="Pa", actor="test")
    grant(store, "sub-pa", "park_authority", programme=DEMO_NAME, available=[DEMO_NAME],
          parks=("KAR-P1",), actor="test")
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "sub": "sub-pa", "email": "pa@example.org",
               "iat": int(time.time())}
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="conc_parks").options == ["Suurniitynkatu industrial area"]
    for view in VIEWS:
        at.radio(key=Key.CONC_VIEW).set_value(view).run()
        assert not at.exception, (view, at.exception)
    assert at.dataframe[0].value[column_label("park_id")].tolist() == ["KAR-P1"]
