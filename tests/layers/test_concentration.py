"""Tests of the concentration map layers (layers.concentration): rendered HTML, no CDN."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geo.concentrations.hexagons import hexagons_for_role
from geo.concentrations.hotspots import hot_spots_from_hexagons
from geo.concentrations.raster import display_image
from geo.concentrations.selection import (
    ConcentrationQuery,
    clusters_for_selection,
    heat_for_selection,
    hexagons_for_selection,
    park_totals,
    select_resources,
)
from layers.base import base_map
from layers.concentration import (
    add_clusters,
    add_heat,
    add_hexagons,
    add_hot_spots,
    add_park_totals,
    add_resource_points,
    add_selection_points,
)

XSS = "<img src=x onerror=alert(1)>"


def _html(m) -> str:  # type: ignore[no-untyped-def]
    return str(m.get_root().render())


def _no_remote_scripts(html: str) -> None:
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("/app/static/") for s in srcs), srcs
    assert "cdn" not in " ".join(srcs).lower() and "https://" not in " ".join(srcs)


@pytest.fixture(scope="module")
def selection(demo_programme):  # type: ignore[no-untyped-def]
    """All the demo's haves."""
    return select_resources(demo_programme, ConcentrationQuery())


def _map(sel) -> object:  # type: ignore[no-untyped-def]
    return base_map(bounds=sel.located.total_bounds)


def test_heat_is_one_image_overlay_with_a_legend(selection) -> None:  # type: ignore[no-untyped-def]
    """The heat layer is one PNG data-URL overlay whose legend top is the surface maximum."""
    surf = heat_for_selection(selection, bandwidth_m=200)
    m = _map(selection)
    add_heat(m, display_image(surf))
    html = _html(m)
    assert html.count("L.imageOverlay(") == 1
    assert "data:image/png;base64," in html
    assert f"{np.nanmax(surf.values):,.0f}" in html
    assert "t/yr per km" in html  # the legend title (² is JSON-escaped)
    _no_remote_scripts(html)


def test_hexagon_tooltips_never_carry_a_suppressed_figure(selection) -> None:  # type: ignore[no-untyped-def]
    """For viewers, suppressed units show 'hidden' and their tonnes are absent from the HTML."""
    raw = hexagons_for_selection(selection, resolution=10)
    shown = hexagons_for_role(raw, role="viewer", k=3)
    m = _map(selection)
    add_hexagons(m, shown, k=3)
    html = _html(m)
    assert html.count('"fill":') == len(shown)
    assert "hidden" in html
    small = raw[raw["producers"] < 3]
    assert len(small) > 0
    for t in small["tonnes"]:
        assert f'"{t:,.0f} t/yr"' not in html or t in shown["tonnes"].tolist()
    _no_remote_scripts(html)


def test_hot_spot_layer_draws_only_significant_cells(selection) -> None:  # type: ignore[no-untyped-def]
    """Not-significant cells are left out of the layer; the count drawn is returned."""
    hot = hot_spots_from_hexagons(hexagons_for_selection(selection, resolution=9))
    m = _map(selection)
    _, drawn = add_hot_spots(m, hot)
    assert drawn == int((hot["gi_bin"] != 0).sum())
    assert _html(m).count('"fill":') == drawn


def test_cluster_names_are_escaped(selection) -> None:  # type: ignore[no-untyped-def]
    """A cluster named after a park called <img …> shows that text, not markup."""
    cl = clusters_for_selection(selection, eps_m=300, min_tonnes=500)
    assert len(cl) > 0
    cl.loc[0, "name"] = XSS
    m = _map(selection)
    add_clusters(m, cl)
    html = _html(m)
    assert "<img src=x" not in html
    assert html.count("circleMarker") >= 1 or "CircleMarker" in html


def test_park_shading_greys_suppressed_parks(demo_programme, selection) -> None:  # type: ignore[no-untyped-def]
    """Viewers see suppressed parks grey with 'hidden', not their figure."""
    sel = select_resources(demo_programme, ConcentrationQuery(selectors=("plastics",)))
    totals = park_totals(demo_programme, sel, role="viewer", k=3)
    m = _map(selection)
    add_park_totals(m, totals, k=3)
    html = _html(m)
    assert "#b0b0b0" in html and "hidden" in html


def test_few_points_are_raw_and_many_are_aggregated() -> None:
    """Up to the cap points go raw; above it at most `max_points` aggregated circles are sent."""
    rng = np.random.default_rng(0)
    n = 5000
    gdf = gpd.GeoDataFrame({
        "site_id": [f"S{i}" for i in range(n)], "site_name": [XSS] * n,
        "description": ["x"] * n, "tonnes_per_year": rng.lognormal(2, 1, n)},
        geometry=[Point(x, y) for x, y in zip(rng.normal(26.95, 0.05, n),
                                              rng.normal(60.5, 0.03, n), strict=True)],
        crs=4326)
    m = base_map(bounds=gdf.total_bounds)
    _, drawn, aggregated = add_resource_points(m, gdf.head(100))
    assert (drawn, aggregated) == (100, False)
    m2 = base_map(bounds=gdf.total_bounds)
    _, drawn2, aggregated2 = add_resource_points(m2, gdf, max_points=2000)
    assert aggregated2 and drawn2 <= 2000
    assert "<img src=x" not in _html(m) and XSS not in _html(m2)


def test_selection_points_use_prepared_cells_above_the_cap(selection) -> None:  # type: ignore[no-untyped-def]
    """A selection above the cap is aggregated from its pre-indexed cells, tonnes conserved."""
    m = _map(selection)
    _, drawn, aggregated = add_selection_points(m, selection, max_points=10)
    assert aggregated and drawn <= 10
    m2 = _map(selection)
    _, drawn2, aggregated2 = add_selection_points(m2, selection)
    assert (drawn2, aggregated2) == (selection.n_used, False)
