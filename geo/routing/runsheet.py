"""Run sheets per vehicle and day: stop order, times, load, distance — as tables and GPX.

The tables go to CSV and Excel through :mod:`geo.export` (which defends against formula
injection); GPX 1.1 is written by hand with every name escaped, one ``<rte>`` per vehicle and
day (stops in order, for drivers' navigation apps) and, when route lines are given, one
``<trk>`` following the roads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from xml.sax.saxutils import escape

import pandas as pd

from geo.i18n import N_, _
from geo.routing.problem import format_clock
from geo.routing.text import format_quantity

if TYPE_CHECKING:
    from collections.abc import Iterable

    import geopandas as gpd

    from geo.routing.plan import RoutingPlan

__all__ = ["gpx_document", "route_summary", "run_sheet", "run_sheet_gpx"]

_KIND_LABEL: Final = {"start": N_("leave depot"), "stop": N_("collect"),
                      "reload": N_("unload at depot"), "end": N_("return to depot")}
"""The ``activity`` of each kind of visit: kept in English in the table (a code pages and
CSV rely on), translated where shown (:func:`geo.routing.text.for_reading`, GPX)."""


def run_sheet(plan: RoutingPlan) -> pd.DataFrame:
    """One row per activity of every route, in driving order.

    Columns: ``day``, ``vehicle``, ``route``, ``trip`` (1-based; an unloading or the return
    to the depot belongs to the trip it ends), ``seq`` (stop number within
    the route, 0 at the depot), ``activity``, ``stop_id``, ``site_id``, ``name``, ``arrival``,
    ``start``, ``departure`` (``HH:MM``), ``wait_min``, ``service_min``, ``pickup_<u>``,
    ``load_after_<u>`` (``u`` = t or m3), ``leg_km``, ``cumulative_km``, ``lon``, ``lat``.
    """
    inst = plan.instance
    u = inst.fleet.capacity_unit
    rows: list[dict[str, object]] = []
    for r in plan.routes:
        seq, cum, trip = 0, 0, 0
        for v in r.visits:
            # an unloading or the return to the depot ends the trip of the stops before it
            # (PyVRP numbers it with the trip that would follow: "trip 3" of a 2-trip day)
            trip = v.trip if v.kind in ("start", "stop") else trip
            cum += v.leg_distance_m
            if v.kind == "stop":
                seq += 1
                p = inst.producers[v.producer]
                ident = (p.stop_id, p.site_id, p.name, p.lon, p.lat, p.load, p.service_s)
            else:
                d = inst.depot
                ident = ("depot", d.site_id, d.name, d.lon, d.lat, 0, v.departure_s - v.start_s)
            rows.append({
                "day": r.day, "vehicle": r.vehicle, "route": r.label, "trip": trip + 1,
                "seq": seq if v.kind == "stop" else 0, "activity": _KIND_LABEL[v.kind],
                "stop_id": ident[0], "site_id": ident[1], "name": ident[2],
                "arrival": format_clock(v.arrival_s), "start": format_clock(v.start_s),
                "departure": format_clock(v.departure_s),
                "wait_min": round(max(0, v.start_s - v.arrival_s) / 60.0, 1),
                "service_min": round(float(ident[6]) / 60.0, 1),
                f"pickup_{u}": round(float(ident[5]) / 1000.0, 3),
                f"load_after_{u}": round(v.load_after / 1000.0, 3),
                "leg_km": round(v.leg_distance_m / 1000.0, 3),
                "cumulative_km": round(cum / 1000.0, 3),
                "lon": ident[3], "lat": ident[4],
            })
    cols = ["day", "vehicle", "route", "trip", "seq", "activity", "stop_id", "site_id", "name",
            "arrival", "start", "departure", "wait_min", "service_min", f"pickup_{u}",
            f"load_after_{u}", "leg_km", "cumulative_km", "lon", "lat"]
    return pd.DataFrame(rows, columns=cols)


def route_summary(plan: RoutingPlan) -> pd.DataFrame:
    """One row per vehicle and day: trips, stops, collected, distance, duration, times, cost."""
    f = plan.instance.fleet
    u = f.capacity_unit
    rows = []
    for r in plan.routes:
        cost = f.cost_per_km * r.distance_m / 1000.0 + f.cost_per_hour * r.duration_s / 3600.0
        rows.append({
            "day": r.day, "vehicle": r.vehicle, "route": r.label, "trips": r.trips,
            "stops": len(r.stops), f"collected_{u}": round(r.collected / 1000.0, 3),
            "distance_km": round(r.distance_m / 1000.0, 2),
            "duration_h": round(r.duration_s / 3600.0, 2),
            "leave": format_clock(r.visits[0].departure_s),
            "back": format_clock(r.visits[-1].arrival_s),
            "cost": round(cost, 2),
        })
    return pd.DataFrame(rows, columns=["day", "vehicle", "route", "trips", "stops",
                                       f"collected_{u}", "distance_km", "duration_h", "leave",
                                       "back", "cost"])


def _pt(tag: str, lon: float, lat: float, name: str = "", desc: str = "") -> str:
    inner = (f"<name>{escape(name)}</name>" if name else "") + (
        f"<desc>{escape(desc)}</desc>" if desc else "")
    return f'<{tag} lat="{lat:.7f}" lon="{lon:.7f}">{inner}</{tag}>'


def gpx_document(
    title: str,
    waypoints: Iterable[tuple[float, float, str, str]],
    routes: Iterable[tuple[str, Iterable[tuple[float, float, str]]]],
    tracks: Iterable[tuple[str, Iterable[tuple[float, float]]]] = (),
) -> bytes:
    """A GPX 1.1 document; every name and description is escaped.

    Parameters
    ----------
    title : str
        The document's name.
    waypoints : iterable of (lon, lat, name, description)
    routes : iterable of (name, points)
        Each becomes a ``<rte>``; points are (lon, lat, name).
    tracks : iterable of (name, coordinates)
        Each becomes a ``<trk>`` with one segment of (lon, lat) points.

    Examples
    --------
    >>> doc = gpx_document("R & D", [(1.0, 2.0, "a<b", "")], [("r", [(1.0, 2.0, "x")])])
    >>> b"R &amp; D" in doc and b"a&lt;b" in doc
    True
    """
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<gpx version="1.1" creator="SymbioMap" xmlns="http://www.topografix.com/GPX/1/1">',
             f"<metadata><name>{escape(title)}</name></metadata>"]
    parts += [_pt("wpt", lon, lat, name, desc) for lon, lat, name, desc in waypoints]
    for name, pts in routes:
        inner = "".join(_pt("rtept", lon, lat, label) for lon, lat, label in pts)
        parts.append(f"<rte><name>{escape(name)}</name>{inner}</rte>")
    for name, coords in tracks:
        seg = "".join(f'<trkpt lat="{y:.7f}" lon="{x:.7f}"/>' for x, y in coords)
        parts.append(f"<trk><name>{escape(name)}</name><trkseg>{seg}</trkseg></trk>")
    parts.append("</gpx>")
    return "\n".join(parts).encode("utf-8")


def run_sheet_gpx(plan: RoutingPlan, lines: gpd.GeoDataFrame | None = None) -> bytes:
    """GPX 1.1: waypoints for the stops, a route per vehicle and day, tracks along the roads.

    Parameters
    ----------
    plan : RoutingPlan
    lines : GeoDataFrame, optional
        EPSG:4326 route lines from :func:`geo.routing.geometry.route_lines` (``route`` column);
        each becomes a ``<trk>`` that follows the roads.

    Returns
    -------
    bytes
        UTF-8 XML; names and descriptions are escaped (``<`` and ``&`` stay text).
    """
    sheet = run_sheet(plan)
    u = plan.instance.fleet.capacity_unit
    d = plan.instance.depot
    waypoints = [(d.lon, d.lat, _("Depot: {name}").format(name=d.name), "")]
    stops = sheet[sheet["activity"] == "collect"]
    # Translators: a stop's description in a GPS app; {quantity} has its unit (2.50 t).
    waypoints += [(float(s.lon), float(s.lat), f"{s.route} · {s.seq}. {s.name}",
                   _("arrive {arrival}, collect {quantity}").format(
                       arrival=s.arrival, quantity=format_quantity(
                           float(getattr(s, f"pickup_{u}")), u)))
                  for s in stops.itertuples()]
    routes = [(str(route), [(float(r.lon), float(r.lat),
                             f"{r.seq}. {r.name}" if r.activity == "collect" else _(r.activity))
                            for r in grp.itertuples()])
              for route, grp in sheet.groupby("route", sort=False)]
    tracks = [] if lines is None else [(str(row.route), list(row.geometry.coords))
                                       for row in lines.itertuples()]
    return gpx_document(_("Milk round — {depot}").format(depot=d.name), waypoints, routes,
                        tracks)
