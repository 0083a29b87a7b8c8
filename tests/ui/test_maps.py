"""ui/maps.py: bounds of located features and the offline base map of a programme."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point, Polygon

from geo.settings import Settings
from ui.context import PageContext
from ui.maps import STATIC_DIR, WORLD_BOUNDS, base_map, located_bounds
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


def test_demo_base_map_draws_roads_and_land_use_offline(settings: Settings) -> None:
    """The demo's base map has the region's roads and land use and no tile layer."""
    ctx = PageContext(DEMO_PROGRAMME, "practitioner", settings, DataVersions())
    html = base_map(ctx).get_root().render()
    assert "tileLayer" not in html
    assert html.count('"highway"') > 100 and '"landuse"' in html


def test_static_assets_live_in_the_served_folder() -> None:
    """Map assets are served from ./static (Streamlit's static folder beside app.py)."""
    assert STATIC_DIR.name == "static" and (STATIC_DIR.parent / "app.py").is_file()
