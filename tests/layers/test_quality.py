"""Tests of layers.quality: sites coloured by location precision, and reference towns."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from layers.base import base_map
from layers.quality import (
    PRECISION_COLOURS,
    PRECISION_LABELS,
    add_reference_places,
    add_sites_by_precision,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def _sites() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [HOSTILE, "Town Oy", "Lost Oy"],
         "location_precision": ["exact", "town", None],
         "location_source": ["manual", "gazetteer", None]},
        geometry=[Point(26.95, 60.53), Point(26.96, 60.54), None], crs=4326)


def test_located_sites_are_drawn_with_a_legend_and_escaped_names() -> None:
    """Only located sites are drawn (and counted); the legend lists every precision; names
    are text."""
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    assert add_sites_by_precision(m, _sites()) == 2
    html = m.get_root().render()
    assert html.count('"type":"Point"') == 2
    assert PRECISION_COLOURS["town"] in html and PRECISION_COLOURS["exact"] in html
    assert all(label in html for label in PRECISION_LABELS.values())
    # a Leaflet control at the bottom right, stacked with the others: a box placed by hand
    # at the bottom left lay under the scale bar
    assert "symbiomap-legend" in html and '"bottomright"' in html
    assert "bottom:24px;left:8px" not in html
    assert HOSTILE not in html and "Lost Oy" not in html


def test_reference_towns_carry_their_attribution() -> None:
    """Towns are drawn as one layer with the GeoNames attribution; no towns draw nothing."""
    towns = gpd.GeoDataFrame({"name": ["Kotka", "Hamina"]},
                             geometry=[Point(26.94, 60.47), Point(27.19, 60.57)], crs=4326)
    m = base_map(bounds=(26.9, 60.4, 27.3, 60.6))
    assert add_reference_places(m, towns) == 2
    html = m.get_root().render()
    assert "Towns: GeoNames (CC BY 4.0)" in html and "Hamina" in html
    empty = base_map(bounds=(26.9, 60.4, 27.3, 60.6))
    assert add_reference_places(empty, towns.iloc[:0]) == 0
    assert "GeoNames" not in empty.get_root().render()


def test_many_sites_are_counted_per_hexagon_coloured_by_the_least_precise() -> None:
    """Above the cap sites are sent as counted hexagon circles, never one by one; a cell with
    one town-centroid site among exact ones is coloured as town, so poor locations show."""
    import numpy as np

    rng = np.random.default_rng(3)
    n = 3000
    lon, lat = 26.90 + rng.random(n) * 0.1, 60.50 + rng.random(n) * 0.05
    precision = np.where(np.arange(n) == 7, "town", "exact")
    sites = gpd.GeoDataFrame({"name": [f"S{i}" for i in range(n)],
                              "location_precision": precision,
                              "location_source": "test"},
                             geometry=gpd.points_from_xy(lon, lat), crs=4326)
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.55))
    assert add_sites_by_precision(m, sites, max_points=200) == n
    layer = next(c for c in m._children.values() if getattr(c, "data", None) is not None
                 and c.data.get("features") and "sites" in c.data["features"][0]["properties"])
    feats = layer.data["features"]
    assert 0 < len(feats) <= 200
    assert "S1" not in m.get_root().render()  # no site one by one
    town = [f for f in feats if f["properties"]["fill"] == PRECISION_COLOURS["town"]]
    assert len(town) == 1 and town[0]["properties"]["worst"] == "town"


def test_sites_far_outside_the_view_are_not_sent() -> None:
    """On a map fitted to one district, a site 300 km away is left out (and not counted)."""
    sites = gpd.GeoDataFrame({"name": ["Near Oy", "Far Oy"], "location_precision": "exact",
                              "location_source": "test"},
                             geometry=[Point(26.95, 60.53), Point(22.0, 60.4)], crs=4326)
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    assert add_sites_by_precision(m, sites) == 1
    html = m.get_root().render()
    assert "Near Oy" in html and "Far Oy" not in html
