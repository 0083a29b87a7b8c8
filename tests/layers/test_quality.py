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
    assert all(f"</span>{label}" in html for label in PRECISION_LABELS.values())
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
