"""Route lines along the roads and numbered stop points, as GeoDataFrames (EPSG:4326).

Each leg follows the fastest road path the matrix measured (same weights, one Dijkstra call
for all legs), joined per vehicle and day into one line; the short straight walks from a stop
to the road it was snapped to are drawn too. For a straight-line instance the legs are straight
and the frame says so in ``method``.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Final

import geopandas as gpd
from shapely.geometry import LineString, Point

from geo.i18n import format_number
from geo.network import edge_shapes, leg_paths
from geo.routing.problem import WEEKDAYS, format_clock

if TYPE_CHECKING:
    from geo.network import RoadGraph
    from geo.routing.plan import RoutingPlan

__all__ = ["ROUTE_COLOURS", "route_lines", "stop_points"]

ROUTE_COLOURS: Final = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                        "#a6761d", "#1f78b4", "#b2182b", "#4d4d4d", "#01665e", "#8c510a")
"""Colour per route (vehicle and day), repeating after twelve; readable on a light base map."""


def _colours(plan: RoutingPlan) -> dict[str, str]:
    return {r.label: ROUTE_COLOURS[i % len(ROUTE_COLOURS)] for i, r in enumerate(plan.routes)}


def _xy(plan: RoutingPlan, loc: int) -> tuple[float, float]:
    if loc == 0:
        return plan.instance.depot.lon, plan.instance.depot.lat
    p = plan.instance.producers[loc - 1]
    return p.lon, p.lat


def _pickup(quantity: float, unit: str) -> str:
    return f"{format_number(quantity, digits=2)} {unit}"


def route_lines(plan: RoutingPlan, graph: RoadGraph | None = None) -> gpd.GeoDataFrame:
    """One line per vehicle and day, along the roads when the plan was made on ``graph``.

    Columns: ``route``, ``day``, ``vehicle``, ``trips``, ``stops``, ``distance_km``,
    ``duration_h``, ``colour``, ``method``; EPSG:4326.
    """
    inst = plan.instance
    along_roads = graph is not None and inst.nodes is not None and inst.method == "road"
    seqs = [[v.location for v in r.visits] for r in plan.routes]
    legs = sorted({(a, b) for s in seqs for a, b in itertools.pairwise(s)})
    leg_coords: dict[tuple[int, int], list[tuple[float, float]]] = {}
    if along_roads and legs:
        assert graph is not None and inst.nodes is not None
        node_legs = [(int(inst.nodes[a]), int(inst.nodes[b])) for a, b in legs]
        paths = leg_paths(graph, node_legs, optimise="fastest")
        shapes = edge_shapes(graph, {e for p in paths for e in itertools.pairwise(p)},
                             optimise="fastest")
        for leg, path in zip(legs, paths, strict=True):
            leg_coords[leg] = [c for e in itertools.pairwise(path) for c in shapes[e]]
    colours = _colours(plan)
    rows = []
    for r, seq in zip(plan.routes, seqs, strict=True):
        coords: list[tuple[float, float]] = [_xy(plan, seq[0])]
        for a, b in itertools.pairwise(seq):
            coords += leg_coords.get((a, b), [])
            coords.append(_xy(plan, b))
        rows.append({"route": r.label, "day": r.day, "vehicle": r.vehicle, "trips": r.trips,
                     "stops": len(r.stops), "distance_km": round(r.distance_m / 1000.0, 2),
                     "duration_h": round(r.duration_s / 3600.0, 2), "colour": colours[r.label],
                     "method": inst.method, "geometry": LineString(coords)})
    cols = ["route", "day", "vehicle", "trips", "stops", "distance_km", "duration_h", "colour",
            "method", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=4326)


def stop_points(plan: RoutingPlan) -> gpd.GeoDataFrame:
    """Served stops numbered in route order, skipped stops with their reason (EPSG:4326).

    Columns: ``label`` (the number shown on the map, empty for skipped), ``route``, ``day``,
    ``seq``, ``stop_id``, ``name``, ``arrival``, ``pickup``, ``status`` (``served`` /
    ``skipped``), ``reason``, ``colour``.
    """
    inst = plan.instance
    u = inst.fleet.capacity_unit.replace("m3", "m³")
    colours = _colours(plan)
    rows = []
    for r in plan.routes:
        seq = 0
        for v in r.visits:
            if v.kind != "stop":
                continue
            seq += 1
            p = inst.producers[v.producer]
            rows.append({"label": str(seq), "route": r.label, "day": r.day, "seq": seq,
                         "stop_id": p.stop_id, "name": p.name, "arrival": format_clock(v.arrival_s),
                         "pickup": _pickup(p.quantity_per_visit, u), "status": "served",
                         "reason": "", "colour": colours[r.label],
                         "geometry": Point(p.lon, p.lat)})
    for s in plan.skipped:
        p = inst.producers[s.producer]
        rows.append({"label": "", "route": "", "day": "", "seq": 0, "stop_id": p.stop_id,
                     "name": p.name, "arrival": "", "pickup": _pickup(p.quantity_per_visit, u),
                     "status": "skipped", "reason": s.reason, "colour": "#777777",
                     "geometry": Point(p.lon, p.lat)})
    cols = ["label", "route", "day", "seq", "stop_id", "name", "arrival", "pickup", "status",
            "reason", "colour", "geometry"]
    out = gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=4326)
    order = {d: i for i, d in enumerate(WEEKDAYS)}
    return out.sort_values(by=["status", "day", "route", "seq"],
                           key=lambda s: s.map(order) if s.name == "day" else s,
                           kind="stable").reset_index(drop=True)
