"""Tests of the milk-round map layers (layers.routing): features, labels, escaping, no CDN."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest

from geo.network import RoadGraph, snap_points
from geo.routing.build import build_instance
from geo.routing.geometry import route_lines, stop_points
from geo.routing.problem import Depot, Fleet, Producer
from geo.routing.solve import SolverOptions, solve_instance
from layers.base import base_map
from layers.routing import add_depot, add_routes, add_stops

HOSTILE = "<img src=x onerror=alert(1)>"
Rendered = tuple[Any, Any, Any, str]
"""The plan, its route lines, its stops and the rendered map's HTML."""


@pytest.fixture(scope="module")
def rendered(demo_graph: RoadGraph) -> Rendered:
    """A two-day plan on the Karhula roads drawn on an offline map, with one skipped stop."""
    rng = np.random.default_rng(5)
    # Every node snaps to a node of the connected core, and each core node to itself.
    core = np.unique(snap_points(demo_graph, demo_graph.lon, demo_graph.lat).node)
    nodes = rng.choice(core, 7, replace=False)
    prods = [Producer(f"s{i}", HOSTILE if i == 0 else f"Stop {i} Oy", float(demo_graph.lon[n]),
                      float(demo_graph.lat[n]), 52.0 * 3, weekdays=("mon", "tue"))
             for i, n in enumerate(nodes[:6])]
    prods.append(Producer("opt", "Optional Oy", float(demo_graph.lon[nodes[6]]),
                          float(demo_graph.lat[nodes[6]]), 1.0, optional=True, prize=0.0))
    inst = build_instance(prods, Depot("Depot & Co", 26.9406, 60.5228), Fleet(capacity=10),
                          days=("mon", "tue"), graph=demo_graph)
    plan = solve_instance(inst, SolverOptions(time_limit_s=0.5, seeds=(0,)))
    lines, stops = route_lines(plan, demo_graph), stop_points(plan)
    m = base_map(bounds=lines.total_bounds)
    add_routes(m, lines)
    add_stops(m, stops)
    add_depot(m, inst.depot)
    return plan, lines, stops, m.get_root().render()


def _features(html: str) -> list[dict[str, Any]]:
    """Every GeoJSON feature folium embedded in the page (its ``*_add({...})`` calls)."""
    out = []
    dec = json.JSONDecoder()
    for match in re.finditer(r"_add\(\{", html):
        data, _ = dec.raw_decode(html, match.end() - 1)
        out += data.get("features", [])
    return out


def test_one_line_per_route_and_one_circle_per_stop(rendered: Rendered) -> None:
    """The map holds one line per vehicle and day and one point per producer and the depot."""
    plan, lines, stops, html = rendered
    feats = _features(html)
    n_lines = sum(f["geometry"]["type"] == "LineString" for f in feats)
    n_points = sum(f["geometry"]["type"] == "Point" for f in feats)
    assert n_lines == len(plan.routes) == len(lines)
    assert n_points == len(stops) + 1
    assert "AwesomeMarkers" not in html and "L.Icon.Default" not in html  # no icon images


def test_served_stops_are_numbered_in_route_order(rendered: Rendered) -> None:
    """Served stops carry their number as a permanent label; the skipped one has none."""
    plan, _, stops, html = rendered
    assert "L.divIcon" in html and "stop-number" in html
    served = stops[stops["status"] == "served"]
    for route, grp in served.groupby("route"):
        assert list(grp["label"]) == [str(i) for i in range(1, len(grp) + 1)], route
    labels = {f["properties"]["stop_id"]: f["properties"].get("label")
              for f in _features(html) if "stop_id" in f["properties"]}
    assert labels["opt"] == "" and "opt" in {s.stop_id for s in plan.skipped}


def test_names_are_escaped_and_nothing_comes_from_a_cdn(rendered: Rendered) -> None:
    """A hostile company name appears only escaped; scripts and styles are local files."""
    *_, html = rendered
    assert HOSTILE not in html
    texts = [str(v) for f in _features(html) for v in f["properties"].values()]
    assert "&lt;img src=x onerror=alert(1)&gt;" in texts  # shown by the browser as text
    assert "Depot: Depot &amp; Co" in texts
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/app/static/") for s in srcs)
    assert "cdn" not in " ".join(srcs).lower()


def test_viewer_map_hides_company_names(demo_graph: RoadGraph) -> None:
    """With show_names=False the popups carry no company names."""
    prods = [Producer("a", "Secret Foods Oy", 26.93, 60.52, 52.0)]
    inst = build_instance(prods, Depot("D", 26.94, 60.525), Fleet(), graph=demo_graph)
    plan = solve_instance(inst, SolverOptions(time_limit_s=0.3, seeds=(0,)))
    m = base_map(bounds=(26.92, 60.51, 26.96, 60.53))
    add_stops(m, stop_points(plan), show_names=False)
    assert "Secret Foods Oy" not in m.get_root().render()


def test_layer_names_and_titles_in_the_pseudo_locale(demo_graph: RoadGraph) -> None:
    """Layer names, tooltip titles and the depot label follow the session's language."""
    from geo.i18n import use_locale

    prods = [Producer("a", "Foods Oy", 26.93, 60.52, 52.0)]
    inst = build_instance(prods, Depot("D", 26.94, 60.525), Fleet(), graph=demo_graph)
    plan = solve_instance(inst, SolverOptions(time_limit_s=0.3, seeds=(0,)))
    with use_locale("qps_PLOC"):
        lines, stops = route_lines(plan, demo_graph), stop_points(plan)
        m = base_map(bounds=(26.92, 60.51, 26.96, 60.53))
        routes = add_routes(m, lines)
        add_stops(m, stops)
        add_depot(m, inst.depot)
        html = m.get_root().render()
    assert routes.layer_name == "⟦Rõütés⟧"
    tips = [c for c in routes._children.values() if hasattr(c, "aliases")]
    assert tips and "⟦Dîstàñçé (km)⟧" in tips[0].aliases
    texts = {str(v) for f in _features(html) for v in f["properties"].values()}
    assert "⟦Dépõt: D⟧" in texts and "⟦rõàd⟧" in texts


def test_route_lines_are_sent_as_drawn_not_every_vertex() -> None:
    """A route with thousands of vertices a few centimetres off a straight road is sent with
    a handful, its ends kept exactly; on a map of the whole region nothing visible is lost."""
    import geopandas as gpd
    from shapely.geometry import LineString

    xs = np.linspace(26.90, 26.98, 4000)
    ys = 60.52 + 1e-7 * np.sin(np.arange(4000))  # wiggles of about 1 cm
    lines = gpd.GeoDataFrame({"route": ["1"], "stops": [3], "distance_km": [4.4],
                              "duration_h": [0.2], "colour": ["#1b9e77"]},
                             geometry=[LineString(np.column_stack([xs, ys]))], crs=4326)
    m = base_map(bounds=(26.89, 60.50, 26.99, 60.54))
    sent = add_routes(m, lines).data["features"][0]["geometry"]["coordinates"]
    assert len(sent) < 20
    assert sent[0] == [26.9, 60.52] and sent[-1] == [26.98, 60.52]
