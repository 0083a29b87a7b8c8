"""Site-finder map layers: one GeoJson per kind, escaped text, no CDN, role-aware tooltips."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from layers.base import base_map
from layers.siting import (
    add_best_sites,
    add_competitors,
    add_ranked_sites,
    add_screened_candidates,
    breakdown_figure,
)

EVIL = "<img src=x onerror=alert(1)>"


def _render(m: folium.Map) -> str:
    return m.get_root().render()


def _no_cdn(html: str) -> None:
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert srcs, "Leaflet must be loaded from a local file"
    assert not [s for s in srcs if s.startswith("http") or "cdn" in s]


@pytest.fixture
def ranked() -> gpd.GeoDataFrame:
    """Three ranked candidates and one unranked, one with a hostile name."""
    return gpd.GeoDataFrame({
        "candidate_id": ["A", "B", "C", "D"], "name": [EVIL, "B", "C", "D"],
        "rank": [1.0, 2.0, 3.0, float("nan")], "score": [70.0, 60.0, 50.0, float("nan")],
        "feedstock_t": [900.0, 800.0, 700.0, float("nan")], "suppliers": [5, 4, 3, 0],
        "status": ["viable"] * 3 + ["off the road network"], "failed_rule": ["", "", "land", ""],
        **{f"c_{c}": [10.0, 10.0, 10.0, float("nan")]
           for c in ("feedstock", "haul", "security", "market", "competition")},
    }, geometry=[Point(26.94 + i / 100, 60.53) for i in range(4)], crs=4326)


def test_ranked_sites_one_layer_escaped(ranked: gpd.GeoDataFrame) -> None:
    """Ranked sites draw as one GeoJson of ranked rows only, with the name escaped."""
    m = base_map(bounds=(26.93, 60.52, 26.99, 60.54))
    _, n = add_ranked_sites(m, ranked)
    html = _render(m)
    assert n == 3
    assert EVIL not in html
    assert "&lt;img" in html or "\\u0026lt;img" in html
    _no_cdn(html)


def test_screened_candidates_coloured_by_rule(ranked: gpd.GeoDataFrame) -> None:
    """Candidates failing a rule carry that rule in their tooltip text."""
    m = base_map(bounds=(26.93, 60.52, 26.99, 60.54))
    layer, n = add_screened_candidates(m, ranked)
    assert n == 4
    outcomes = [f["properties"]["outcome"] for f in layer.data["features"]]
    assert outcomes.count("passes") == 3 and "removed by the land rule" in outcomes


def test_best_sites_draw_catchments_flows_and_plants_without_names_for_viewers() -> None:
    """Viewers see flows without supplier names; plants below k show no tonnage."""
    plants = gpd.GeoDataFrame({"plant": ["Plant 1"], "name": ["site"], "suppliers": [2],
                               "tonnes_per_year": [500.0]}, geometry=[Point(26.95, 60.53)],
                              crs=4326)
    flows = gpd.GeoDataFrame({"supplier": [EVIL], "plant": ["Plant 1"],
                              "tonnes_per_year": [200.0], "haul_km": [1.2]},
                             geometry=[LineString([(26.94, 60.52), (26.95, 60.53)])], crs=4326)
    catch = gpd.GeoDataFrame({"plant": ["Plant 1"], "tonnes_per_year": [500.0],
                              "suppliers": [2]},
                             geometry=[Point(26.95, 60.53).buffer(0.01)], crs=4326)
    m = base_map(bounds=(26.93, 60.52, 26.99, 60.54))
    layers = add_best_sites(m, plants, flows, catch, show_names=False, k=3)
    assert [type(x).__name__ for x in layers] == ["GeoJson"] * 3
    flow_props = layers[1].data["features"][0]["properties"]
    assert "supplier" not in flow_props and "tonnes_per_year" not in flow_props
    assert layers[2].data["features"][0]["properties"]["t_yr"] is None
    html = _render(m)
    assert "img src=x" not in html
    _no_cdn(html)
    shown = add_best_sites(base_map(bounds=(26.93, 60.52, 26.99, 60.54)), plants, flows, catch,
                           show_names=True)
    assert shown[1].data["features"][0]["properties"]["supplier"].startswith("&lt;img")


def test_viewer_frames_count_released_hexagons() -> None:
    """A viewer's frames (hexagons in ``cells``, banded tonnes) label their tooltips right."""
    ranked = gpd.GeoDataFrame({"candidate_id": ["A"], "name": ["A"], "rank": [1.0],
                               "score": [40.0], "feedstock_t": [3700.0], "cells": [2],
                               "status": ["viable"]}, geometry=[Point(26.95, 60.53)], crs=4326)
    m = base_map(bounds=(26.93, 60.52, 26.99, 60.54))
    layer, _ = add_ranked_sites(m, ranked)
    tip = next(c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip))
    aliases = dict(zip(tip.fields, tip.aliases, strict=True))
    assert aliases["cells"] == "Released hexagons" and aliases["status"] == "Status"
    plants = ranked.assign(plant="Plant 1", tonnes_per_year=3700.0)
    flows = gpd.GeoDataFrame({"plant": ["Plant 1"], "haul_km": [1.2]},
                             geometry=[LineString([(26.94, 60.52), (26.95, 60.53)])], crs=4326)
    catch = plants[["plant", "tonnes_per_year", "cells", "geometry"]]
    drawn = add_best_sites(m, plants, flows, catch, show_names=False, k=3)
    assert drawn[2].data["features"][0]["properties"]["t_yr"] == 3700.0  # banded already


def test_competitor_names_hidden_for_viewers() -> None:
    """Existing plants are labelled generically for viewers."""
    comp = gpd.GeoDataFrame({"name": ["Acme Biogas Oy"], "source": ["member site"]},
                            geometry=[Point(26.95, 60.53)], crs=4326)
    m = base_map(bounds=(26.93, 60.52, 26.99, 60.54))
    layer = add_competitors(m, comp, show_names=False)
    assert layer is not None
    assert layer.data["features"][0]["properties"]["name"] == "Existing plant"


def test_breakdown_bars_add_up_to_the_score(ranked: gpd.GeoDataFrame) -> None:
    """The stacked bars of a site sum to its score (five criteria, ranked rows only)."""
    fig = breakdown_figure(ranked)
    assert len(fig.data) == 5
    assert sum(trace.x[0] for trace in fig.data) == pytest.approx(50.0)
    assert len(fig.data[0].y) == 3
    # the legend stands above the plot area, so it covers no bar (it covered the first one)
    legend = fig.layout.legend
    assert legend.yanchor == "bottom" and legend.y >= 1.0


def test_layers_speak_the_session_language(ranked: gpd.GeoDataFrame) -> None:
    """In the pseudo-locale layer names, tooltips, outcomes, statuses and the chart are ours
    (bracketed); rule names fill their placeholder; names (data) stay as recorded."""
    from geo.i18n import use_locale

    m = base_map(bounds=(26.93, 60.52, 26.99, 60.54))
    with use_locale("qps_PLOC"):
        screened, _ = add_screened_candidates(m, ranked)
        layer, _ = add_ranked_sites(m, ranked)
        fig = breakdown_figure(ranked)
    outcomes = {f["properties"]["outcome"] for f in screened.data["features"]}
    assert outcomes == {"⟦pàssés⟧", "⟦rémõvéd bý thé ⟦làñd⟧ rülé⟧"}
    assert layer.layer_name.startswith("⟦") and screened.layer_name.startswith("⟦")
    statuses = {f["properties"]["status"] for f in layer.data["features"]}
    assert statuses == {"⟦vîàblé⟧"}
    assert fig.layout.xaxis.title.text.startswith("⟦")
    assert all(bar.name.startswith("⟦") for bar in fig.data)
    assert "%{x:.1f}" in fig.data[0].hovertemplate


def test_many_flows_draw_the_largest_and_many_suppliers_are_counted_per_hexagon() -> None:
    """Above the caps the map gets the largest flows (its name says so) and suppliers counted
    per hexagon; each supplier is in exactly one circle, names never sent."""
    import numpy as np

    from layers.siting import MAX_FLOW_LINES, MAX_POINTS, add_suppliers

    rng = np.random.default_rng(2)
    n = 3 * MAX_POINTS
    lon, lat = 26.90 + rng.random(n) * 0.1, 60.50 + rng.random(n) * 0.05
    tonnes = rng.lognormal(3, 1, n)
    plants = gpd.GeoDataFrame({"plant": ["Plant 1"], "name": ["site"], "suppliers": [n],
                               "tonnes_per_year": [tonnes.sum()]},
                              geometry=[Point(26.95, 60.52)], crs=4326)
    flows = gpd.GeoDataFrame({"supplier": [f"S{i}" for i in range(n)], "plant": "Plant 1",
                              "tonnes_per_year": tonnes, "haul_km": 1.0},
                             geometry=[LineString([(x, y), (26.95, 60.52)])
                                       for x, y in zip(lon, lat, strict=True)], crs=4326)
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.55))
    layers = add_best_sites(m, plants, flows, flows.iloc[:0], show_names=True)
    sent = [f["properties"]["tonnes_per_year"] for f in layers[0].data["features"]]
    assert len(sent) == MAX_FLOW_LINES
    assert min(sent) >= np.sort(tonnes)[-MAX_FLOW_LINES] - 1e-9
    assert f"the largest {MAX_FLOW_LINES} flows" in layers[0].layer_name
    sup = gpd.GeoDataFrame({"site_name": [f"S{i}" for i in range(n)],
                            "tonnes_per_year": tonnes},
                           geometry=gpd.points_from_xy(lon, lat), crs=4326)
    layer = add_suppliers(base_map(bounds=(26.9, 60.5, 27.0, 60.55)), sup, show_names=True)
    feats = layer.data["features"]
    assert len(feats) <= MAX_POINTS
    assert sum(int(f["properties"]["suppliers"].split()[0].replace(",", "")) for f in feats) == n
    assert abs(sum(f["properties"]["t_yr"] for f in feats) - tonnes.sum()) < len(feats)
    assert "S1" not in str(layer.data)
