"""ui/maps.py: bounds of located features and the offline base map of a programme."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from geo.settings import Settings
from ui import maps
from ui.context import PageContext
from ui.maps import STATIC_DIR, WORLD_BOUNDS, base_map, basemap_url, located_bounds
from ui.network import DEMO_NETWORK, NO_NETWORK
from ui.state import DEMO_PROGRAMME, DataVersions


def _frame(*geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=list(geoms), crs="EPSG:4326")


def test_bounds_cover_every_located_feature_of_every_frame() -> None:
    """Points and polygons of several frames give one box; empty and missing ones are skipped."""
    points = _frame(Point(26.9, 60.4), None, Point())
    parks = _frame(Polygon([(26.8, 60.45), (27.0, 60.45), (27.0, 60.5)]))
    assert located_bounds(points, parks) == (26.8, 60.4, 27.0, 60.5)


def test_nothing_located_shows_the_world() -> None:
    """With no located feature the bounds are the whole world."""
    assert located_bounds(_frame(None, Point())) == WORLD_BOUNDS
    assert located_bounds() == WORLD_BOUNDS


@pytest.fixture
def static_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A static folder of this test's own (base map files are written there)."""
    folder = tmp_path / "static"
    monkeypatch.setattr(maps, "STATIC_DIR", folder)
    maps._basemap_file.clear()
    return folder


def test_demo_base_map_fetches_the_region_from_the_static_folder(
        settings: Settings, static_dir: Path) -> None:
    """The demo's map carries no road: it fetches the region's file, written once to the
    static folder and served at /app/static; the file holds the roads and land use."""
    ctx = PageContext(DEMO_PROGRAMME, "practitioner", settings, DataVersions())
    html = base_map(ctx).get_root().render()
    assert "tileLayer" not in html and '"highway"' not in html
    files = list((static_dir / "basemaps").glob("*.geojson"))
    assert len(files) == 1
    assert f'fetch("/app/static/basemaps/{files[0].name}"' in html
    props = [f["properties"] for f in json.loads(files[0].read_bytes())["features"]]
    assert sum("highway" in p for p in props) > 100 and any("landuse" in p for p in props)
    assert base_map(ctx).get_root().render().count("/app/static/basemaps/") == 1


def test_a_removed_base_map_file_is_written_again(static_dir: Path) -> None:
    """Clearing the folder while the app runs does not leave maps pointing at nothing."""
    url = basemap_url(DEMO_NETWORK)
    assert url is not None
    path = static_dir / url.removeprefix("/app/static/")
    path.unlink()
    assert basemap_url(DEMO_NETWORK) == url and path.is_file()


def test_no_road_network_no_base_map_file(static_dir: Path) -> None:
    """A programme without a road network gets no file (the map has its background only)."""
    assert basemap_url(NO_NETWORK) is None
    assert not (static_dir / "basemaps").exists()


def test_static_assets_live_in_the_served_folder() -> None:
    """Map assets are served from ./static (Streamlit's static folder beside app.py)."""
    assert STATIC_DIR.name == "static" and (STATIC_DIR.parent / "app.py").is_file()


def _two_renderings() -> None:
    import geopandas as gpd
    from shapely.geometry import Polygon
    from streamlit_folium import st_folium

    from layers.base import add_parks, base_map
    from layers.concentration import add_legend
    from ui.maps import show_map

    def build():
        m = base_map(bounds=(26.9, 60.5, 27.0, 60.6), basemap_url="/app/static/basemaps/x.geojson")
        add_parks(m, gpd.GeoDataFrame({"name": ["P"]}, geometry=[Polygon(
            [(26.91, 60.51), (26.95, 60.51), (26.95, 60.55)])], crs=4326))
        add_legend(m, "Legend", [("#ff0000", "red")])
        return m

    show_map(build(), key="fast")
    st_folium(build(), key="full", height=520, width="stretch", returned_objects=[])


def test_show_map_sends_what_a_full_rendering_sends() -> None:
    """Skipping st_folium's first whole-page rendering changes nothing the browser receives:
    the script, header and HTML equal those of a full rendering (random ids aside)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_two_renderings).run()
    assert not at.exception, at.exception
    ids = re.compile(r"[0-9a-f]{32}")
    fast, full = (json.loads(c.proto.json_args) for c in at.get("component_instance"))
    for part in ("script", "header", "html", "js_links", "css_links"):
        assert ids.sub("ID", json.dumps(fast[part])) == ids.sub("ID", json.dumps(full[part]))
    assert "symbiomapBasemap" in fast["script"] and "Legend" in fast["script"] + fast["html"]
