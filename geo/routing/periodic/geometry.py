"""Route lines along the roads and numbered stops of a periodic plan, per working day (EPSG:4326).

Each leg follows the fastest road path the matrix measured (:func:`geo.network.leg_paths`,
one Dijkstra call for all legs of the plan), joined per vehicle and day into one line; every
frame carries ``day`` and ``date`` so a page can show one day at a time. Unloading stops at
reprocessors are drawn as part of the line (and listed in :func:`stop_points` with their
streams). A straight-line plan draws straight legs and says so in ``method``.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import geopandas as gpd
from shapely.geometry import LineString, Point

from geo.network import edge_shapes, leg_paths
from geo.routing.geometry import ROUTE_COLOURS
from geo.routing.problem import format_clock

if TYPE_CHECKING:
    from geo.network import RoadGraph
    from geo.routing.periodic.plan import PeriodicPlan

__all__ = ["route_lines", "stop_points"]


def _colours(plan: PeriodicPlan) -> dict[str, str]:
    """One colour per vehicle (same colour on every day), repeating after twelve."""
    names = sorted({f"{r.class_name} {r.vehicle}" for r in plan.routes})
    return {n: ROUTE_COLOURS[i % len(ROUTE_COLOURS)] for i, n in enumerate(names)}


def route_lines(plan: PeriodicPlan, graph: RoadGraph | None = None, *,
                day: int | None = None) -> gpd.GeoDataFrame:
    """One line per vehicle and working day (only ``day`` when given), along the roads.

    Columns: ``route``, ``day`` (1-based), ``date``, ``vehicle``, ``trips``, ``stops``,
    ``distance_km``, ``duration_h``, ``colour``, ``method``; EPSG:4326.
    """
    prob = plan.problem
    m = prob.matrix
    routes = [r for r in plan.routes if day is None or r.day == day]
    seqs = [[v.place for v in r.visits] for r in routes]
    legs = sorted({(a, b) for s in seqs for a, b in itertools.pairwise(s) if a != b})
    leg_coords: dict[tuple[int, int], list[tuple[float, float]]] = {}
    if graph is not None and m.nodes is not None and prob.method == "road" and legs:
        node_legs = [(int(m.nodes[a]), int(m.nodes[b])) for a, b in legs]
        paths = leg_paths(graph, node_legs, optimise="fastest")
        shapes = edge_shapes(graph, {e for p in paths for e in itertools.pairwise(p)},
                             optimise="fastest")
        for leg, path in zip(legs, paths, strict=True):
            leg_coords[leg] = [c for e in itertools.pairwise(path) for c in shapes[e]]
    colours = _colours(plan)
    rows = []
    for r, seq in zip(routes, seqs, strict=True):
        first = m.places[seq[0]]
        coords: list[tuple[float, float]] = [(first.lon, first.lat)]
        for a, b in itertools.pairwise(seq):
            coords += leg_coords.get((a, b), [])
            coords.append((m.places[b].lon, m.places[b].lat))
        if len(coords) < 2:
            coords.append(coords[0])
        rows.append({"route": r.label, "day": r.day + 1, "date": r.day_label,
                     "vehicle": f"{r.class_name} {r.vehicle}", "trips": r.trips,
                     "stops": len(r.stops), "distance_km": round(r.distance_m / 1000.0, 2),
                     "duration_h": round(r.duration_s / 3600.0, 2),
                     "colour": colours[f"{r.class_name} {r.vehicle}"], "method": prob.method,
                     "geometry": LineString(coords)})
    cols = ["route", "day", "date", "vehicle", "trips", "stops", "distance_km", "duration_h",
            "colour", "method", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=4326)


def stop_points(plan: PeriodicPlan, *, day: int | None = None) -> gpd.GeoDataFrame:
    """Collections numbered in route order (and unloading stops), unserved producers with why.

    Columns: ``label`` (the number on the map; empty for unloading and unserved), ``route``,
    ``day`` (1-based; 0 for unserved), ``date``, ``seq``, ``stop_id``, ``name``, ``streams``,
    ``arrival``, ``status`` (``served`` / ``unload`` / ``unserved``), ``reason``, ``colour``.
    """
    prob = plan.problem
    m = prob.matrix
    colours = _colours(plan)
    rows = []
    for r in plan.routes:
        if day is not None and r.day != day:
            continue
        seq = 0
        for v in r.visits:
            if v.kind not in ("stop", "unload"):
                continue
            pl = m.places[v.place]
            if v.kind == "stop":
                seq += 1
                p = prob.producers[prob.stop_producer[v.stop]]
                ident, label, status = (p.stop_id, p.name), str(seq), "served"
            else:
                ident, label, status = (pl.site_id, pl.name), "", "unload"
            rows.append({"label": label, "route": r.label, "day": r.day + 1,
                         "date": r.day_label, "seq": seq if v.kind == "stop" else 0,
                         "stop_id": ident[0], "name": ident[1], "streams": ", ".join(v.streams),
                         "arrival": format_clock(v.arrival_s), "status": status, "reason": "",
                         "colour": colours[f"{r.class_name} {r.vehicle}"],
                         "geometry": Point(pl.lon, pl.lat)})
    for u in plan.unserved:
        p = prob.producers[u.producer]
        rows.append({"label": "", "route": "", "day": 0, "date": "", "seq": 0,
                     "stop_id": p.stop_id, "name": p.name, "streams": ", ".join(p.streams),
                     "arrival": "", "status": "unserved", "reason": u.reason,
                     "colour": "#777777", "geometry": Point(p.lon, p.lat)})
    cols = ["label", "route", "day", "date", "seq", "stop_id", "name", "streams", "arrival",
            "status", "reason", "colour", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=4326)
