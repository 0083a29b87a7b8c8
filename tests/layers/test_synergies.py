"""Tests of the synergy drawings: network layer, graph view and Sankey figure."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.i18n import use_locale
from geo.synergies.reports import SankeyData, graph_layout
from layers.base import base_map
from layers.synergies import (
    STAGE_COLOURS,
    add_match_lines,
    add_synergy_network,
    network_graph_figure,
    sankey_figure,
    width_px,
)


def _edges() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "from": ["S1", "S2", "S3"], "to": ["S2", "S3", "S4"],
        "from_name": ["<img src=x onerror=alert(1)>", "B", "C"], "to_name": ["B", "C", "D"],
        "synergies": [1, 2, 1], "producers": [1, 1, 1], "tonnes_per_year": [10.0, 1000.0, 5.0],
        "stage": ["idea", "completed", "in progress"], "codes": ["150102", "030105", ""],
    }, geometry=[LineString([(26.90, 60.50), (26.91, 60.50)]),
                 LineString([(26.91, 60.50), (27.10, 60.50)]), None], crs=4326)


def test_network_layer_draws_one_layer_of_lines_without_cdn() -> None:
    """Located links are drawn as one GeoJson layer, width by tonnes, names escaped, no CDN."""
    m = base_map(bounds=(26.8, 60.4, 27.2, 60.6))
    layer, drawn = add_synergy_network(m, _edges())
    assert drawn == 2
    html = m.get_root().render()
    assert html.count('"type": "LineString"') + html.count('"type":"LineString"') == 2
    assert "<img src=x" not in html
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert all("cdn" not in s and not s.startswith("https://") for s in srcs)
    widths = [f["properties"]["width"] for f in layer.data["features"]]
    assert widths[1] > widths[0]


def test_suppressed_links_are_not_drawn() -> None:
    """Links blanked by the confidentiality rule stay off the map."""
    edges = _edges().assign(suppressed=[True, False, False])
    _, drawn = add_synergy_network(base_map(bounds=(26.8, 60.4, 27.2, 60.6)), edges)
    assert drawn == 1


def test_width_grows_with_square_root_of_tonnes() -> None:
    """Four times the tonnes gives twice the width above the minimum."""
    w = width_px(pd.Series([0.0, 25.0, 100.0]), min_px=0.0, max_px=10.0)
    assert w.tolist() == [0.0, 5.0, 10.0]


def test_graph_and_sankey_figures() -> None:
    """The graph view has one trace per drawn link plus the nodes; the Sankey keeps every link."""
    edges = _edges()
    fig = network_graph_figure(edges, graph_layout(edges))
    assert len(fig.data) == 3 + 1
    nodes = pd.DataFrame({"node": [0, 1, 2], "key": ["root", "stream:Plastics", "stage:idea"],
                          "label": ["All haves", "Plastics", "In synergy: idea"],
                          "column": [0, 1, 2], "tonnes_in": [0, 5, 5], "tonnes_out": [5, 5, 0],
                          "producers": [3, 3, 3]})
    links = pd.DataFrame({"source": [0, 1], "target": [1, 2], "tonnes": [5.0, 5.0]})
    s = sankey_figure(SankeyData(nodes, links))
    assert list(s.data[0].link.value) == [5.0, 5.0]
    assert json.loads(s.to_json())["data"][0]["type"] == "sankey"


def test_match_lines_join_the_two_sites_of_each_match() -> None:
    """Each located match is one dashed line from its have site to its want site."""
    sites = gpd.GeoDataFrame({"site_id": ["S1", "S2", "S3"], "name": ["A", "B", "C"],
                              "sector_nace": "1"},
                             geometry=gpd.points_from_xy([26.90, 26.91, 27.10],
                                                         [60.50, 60.50, 60.50]), crs=4326)
    matches = pd.DataFrame({"rank": [1, 2, 3], "have_site_id": ["S1", "S1", "S1"],
                            "want_site_id": ["S2", "S3", "S9"], "have_site": "A",
                            "want_site": ["B", "C", "?"], "basis": ["exact", "family", "exact"],
                            "score": [0.9, 0.8, 0.1], "distance_km": [0.7, 14.0, None]})
    m = base_map(bounds=(26.8, 60.4, 27.2, 60.6))
    assert add_match_lines(m, matches, sites) == 2
    html = m.get_root().render()
    assert html.count("LineString") == 2


def test_viewer_sankey_colours_stages_and_greys_other() -> None:
    """A viewer's Sankey colours stage nodes by stage, 'Other …' nodes grey, streams blue."""
    nodes = pd.DataFrame({"node": [0, 1, 2, 3],
                          "key": ["root", "stage:completed", "other:stages", "stream:Plastics"],
                          "label": ["All synergies", "Stage: completed", "Other stages",
                                    "Plastics"],
                          "column": [0, 1, 1, 2], "tonnes_in": [0, 5, 5, 10],
                          "tonnes_out": [10, 5, 5, 0], "producers": [3, 3, 3, 3]})
    links = pd.DataFrame({"source": [0, 0, 1, 2], "target": [1, 2, 3, 3],
                          "tonnes": [5.0, 5.0, 5.0, 5.0]})
    colours = list(sankey_figure(SankeyData(nodes, links)).data[0].node.color)
    assert colours[1] == STAGE_COLOURS["completed"]
    assert colours[2] == "#bdbdbd"
    assert colours[3] == "#7fa7b5"


def test_drawings_speak_the_session_language() -> None:
    """Layer names, tooltip titles and stage names are translated (stage codes still pick
    the colours); the Sankey writes figures with the language's separators."""
    with use_locale("qps_PLOC"):
        m = base_map(bounds=(26.8, 60.4, 27.2, 60.6))
        layer, _drawn = add_synergy_network(m, _edges())
    assert layer is not None and layer.layer_name.startswith("⟦")
    tip = next(c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip))
    assert tip.aliases[0] == "⟦Flõw⟧"
    stages = {f["properties"]["colour"]: f["properties"]["stage_shown"]
              for f in layer.data["features"]}
    assert stages == {STAGE_COLOURS["idea"]: "⟦îdéà⟧", STAGE_COLOURS["completed"]: "⟦çõmplétéd⟧"}
    nodes = pd.DataFrame({"node": [0, 1], "key": ["root", "stage:idea"],
                          "label": ["All haves", "In synergy: idea"], "column": [0, 2],
                          "tonnes_in": [0, 5], "tonnes_out": [5, 0], "producers": [3, 3]})
    links = pd.DataFrame({"source": [0], "target": [1], "tonnes": [1234.5]})
    with use_locale("pt_BR"):
        fig = sankey_figure(SankeyData(nodes, links))
    assert fig.layout.separators == ",."
    assert sankey_figure(SankeyData(nodes, links)).layout.separators == ".,"


def test_a_large_network_draws_its_largest_links_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above MAX_NETWORK_LINES the map carries the largest links by tonnes, widths still
    scaled to the largest of all; the count drawn is returned for the page's caption."""
    import layers.synergies as ls

    edges = _edges()
    monkeypatch.setattr(ls, "MAX_NETWORK_LINES", 1)
    layer, drawn = ls.add_synergy_network(base_map(bounds=(26.8, 60.4, 27.2, 60.6)), edges)
    assert drawn == 1 and layer is not None and len(layer.data["features"]) == 1
    top = edges.loc[edges["tonnes_per_year"].idxmax()]
    assert layer.data["features"][0]["properties"]["width"] == 12.0
    assert layer.data["features"][0]["properties"]["colour"] == STAGE_COLOURS[top["stage"]]
