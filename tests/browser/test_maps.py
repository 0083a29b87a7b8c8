"""Real-browser tests of the maps themselves (layers.base), as standalone HTML files."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

from layers.base import add_sites, base_map
from layers.basemap import install_static_assets


def test_a_map_of_sites_at_one_address_draws_around_them(browser, tmp_path: Path) -> None:
    """Two sites at the same coordinates (a one-site import, or a shared postcode): the map
    is fitted to their surroundings at a street-level zoom and draws them — once a map with
    nothing to limit its zoom was fitted to a point and stayed blank."""
    vendor = install_static_assets(tmp_path / "static")
    sites = gpd.GeoDataFrame({"name": ["Oy A", "Oy B"], "sector_nace": ["20.1", "16.1"]},
                             geometry=[Point(26.9, 60.5), Point(26.9, 60.5)], crs=4326)
    m = base_map(bounds=tuple(sites.total_bounds), asset_prefix=vendor.as_uri())
    add_sites(m, sites)
    html = tmp_path / "map.html"
    m.save(str(html))
    pg = browser.new_page()
    try:
        pg.goto(html.as_uri())
        pg.wait_for_selector(".leaflet-container", timeout=30_000)
        zoom = pg.evaluate(f"() => {m.get_name()}.getZoom()")
        assert isinstance(zoom, int | float) and math.isfinite(zoom) and 12 <= zoom <= 19
        centre = pg.evaluate(f"() => {m.get_name()}.getCenter()")
        assert abs(centre["lat"] - 60.5) < 1e-3 and abs(centre["lng"] - 26.9) < 1e-3
        drawn = pg.evaluate(
            f"() => Object.values({m.get_name()}._layers).filter(l => l.feature).length")
        assert drawn == 2
    finally:
        pg.close()
