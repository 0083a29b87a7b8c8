"""What a planner reads off a periodic plan: calendar, run sheets, route summary, workload.

All are pandas frames ready for :mod:`geo.export` (CSV, Excel) and the page:

- :func:`calendar` — one row per producer, one column per working day (``W1 Mon`` …) holding
  the route that collects it that day;
- :func:`run_sheet` — one row per activity of every route (collect, unload at a reprocessor,
  return), in driving order, with clock times, pickups per stream and the load on board;
- :func:`route_summary` — one row per vehicle and day;
- :func:`workload` — one row per working day: routes, stops, hours, km, collected, cost, and
  the day's hours against the mean day (the balance the planner sees);
- :func:`vehicle_calendar` — one row per vehicle, one column per working day: whom it collects;
- :func:`day_label`, :func:`day_headers` — a working day's label (``W1 Mon``) in the session's
  language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.i18n import N_, _
from geo.routing.periodic.plan import stream_pickups
from geo.routing.problem import format_clock
from geo.routing.text import weekday_label

if TYPE_CHECKING:
    from geo.routing.periodic.horizon import Horizon
    from geo.routing.periodic.plan import PeriodicPlan

__all__ = ["calendar", "day_headers", "day_label", "route_summary", "run_sheet",
           "vehicle_calendar", "workload"]

_ACTIVITY = {"start": N_("leave depot"), "stop": N_("collect"),
             "unload": N_("unload at reprocessor"), "reload": N_("unload at depot"),
             "end": N_("return to depot")}
"""The ``activity`` of each kind of visit: kept in English in the table (a code pages and
CSV rely on), translated where shown (:func:`geo.routing.text.for_reading`, GPX)."""


def calendar(plan: PeriodicPlan) -> pd.DataFrame:
    """Who is collected on which working day by which vehicle.

    Columns: ``stop_id``, ``name``, ``frequency``, ``streams``, ``visits``, then one column
    per working day label with the route (``truck 1``) or an empty string; unserved
    producers have ``visits`` 0 and empty days.
    """
    prob = plan.problem
    labels = prob.horizon.labels
    cells: dict[int, dict[int, list[str]]] = {}
    for r in plan.routes:
        for v in r.visits:
            if v.kind == "stop":
                i = prob.stop_producer[v.stop]
                cells.setdefault(i, {}).setdefault(r.day, []).append(
                    f"{r.class_name} {r.vehicle}")
    rows = []
    for i, p in enumerate(prob.producers):
        days = cells.get(i, {})
        row: dict[str, object] = {"stop_id": p.stop_id, "name": p.name,
                                  "frequency": p.frequency.label,
                                  "streams": ", ".join(p.streams),
                                  "visits": len(days)}
        for d, label in enumerate(labels):
            row[label] = " + ".join(sorted(set(days.get(d, []))))
        rows.append(row)
    return pd.DataFrame(rows, columns=["stop_id", "name", "frequency", "streams", "visits",
                                       *labels])


def run_sheet(plan: PeriodicPlan) -> pd.DataFrame:
    """One row per activity of every route, in driving order.

    Columns: ``day``, ``date`` (working-day label), ``vehicle``, ``route``, ``trip``, ``seq``,
    ``activity``, ``stop_id``, ``site_id``, ``name``, ``streams``, ``arrival``, ``start``,
    ``departure``, ``wait_min``, ``service_min``, one ``<stream>_<u>`` pickup column per
    stream, ``load_after_<u>`` (all compartments), ``leg_km``, ``cumulative_km``, ``lon``,
    ``lat`` (``u`` = t or m3).
    """
    prob = plan.problem
    u = prob.fleet.unit
    streams = [s.name for s in prob.fleet.streams]
    places = prob.matrix.places
    rows: list[dict[str, object]] = []
    for r in plan.routes:
        seq, cum, trip = 0, 0, 0
        for v in r.visits:
            cum += v.leg_distance_m
            pl = places[v.place]
            # an unloading or the return to the depot belongs to the trip it ends
            trip = v.trip if v.kind in ("start", "stop") else trip
            picks = stream_pickups(plan, v.stop, v.visit) if v.kind == "stop" else {}
            if v.kind == "stop":
                seq += 1
                p = prob.producers[prob.stop_producer[v.stop]]
                ident = (p.stop_id, p.site_id, p.name, p.service_s)
            else:
                ident = (pl.kind, pl.site_id, pl.name, v.departure_s - v.start_s)
            row: dict[str, object] = {
                "day": r.day + 1, "date": r.day_label, "vehicle": f"{r.class_name} {r.vehicle}",
                "route": r.label, "trip": trip + 1, "seq": seq if v.kind == "stop" else 0,
                "activity": _ACTIVITY[v.kind], "stop_id": ident[0], "site_id": ident[1],
                "name": ident[2], "streams": ", ".join(v.streams),
                "arrival": format_clock(v.arrival_s), "start": format_clock(v.start_s),
                "departure": format_clock(v.departure_s),
                "wait_min": round(max(0, v.start_s - v.arrival_s) / 60.0, 1),
                "service_min": round(float(ident[3]) / 60.0, 1)}
            for s in streams:
                row[f"{s}_{u}"] = round(picks.get(s, 0.0), 3)
            row[f"load_after_{u}"] = round(sum(v.load_after) / 1000.0, 3)
            row["leg_km"] = round(v.leg_distance_m / 1000.0, 3)
            row["cumulative_km"] = round(cum / 1000.0, 3)
            row["lon"], row["lat"] = pl.lon, pl.lat
            rows.append(row)
    cols = ["day", "date", "vehicle", "route", "trip", "seq", "activity", "stop_id", "site_id",
            "name", "streams", "arrival", "start", "departure", "wait_min", "service_min",
            *(f"{s}_{u}" for s in streams), f"load_after_{u}", "leg_km", "cumulative_km",
            "lon", "lat"]
    return pd.DataFrame(rows, columns=cols)


def route_summary(plan: PeriodicPlan) -> pd.DataFrame:
    """One row per vehicle and day: trips, stops, collected, distance, duration, times, cost."""
    u = plan.problem.fleet.unit
    rows = []
    for r in plan.routes:
        collected = sum(sum(stream_pickups(plan, v.stop, v.visit).values())
                        for v in r.visits if v.kind == "stop")
        rows.append({"day": r.day + 1, "date": r.day_label, "route": r.label,
                     "vehicle": f"{r.class_name} {r.vehicle}", "trips": r.trips,
                     "stops": len(r.stops), f"collected_{u}": round(collected, 3),
                     "distance_km": round(r.distance_m / 1000.0, 2),
                     "duration_h": round(r.duration_s / 3600.0, 2),
                     "leave": format_clock(r.visits[0].departure_s),
                     "back": format_clock(r.visits[-1].arrival_s), "cost": round(r.cost, 2)})
    return pd.DataFrame(rows, columns=["day", "date", "route", "vehicle", "trips", "stops",
                                       f"collected_{u}", "distance_km", "duration_h", "leave",
                                       "back", "cost"])


def workload(plan: PeriodicPlan) -> pd.DataFrame:
    """One row per working day: routes, stops, vehicle hours, km, collected and cost.

    ``vs_mean_pct`` is the day's vehicle hours against the mean working day (+12 means 12 %
    more work than an average day): the balance of the plan across the horizon.
    """
    prob = plan.problem
    u = prob.fleet.unit
    summary = route_summary(plan)
    rows = []
    for d, label in enumerate(prob.horizon.labels):
        day = summary[summary["day"] == d + 1]
        rows.append({"day": d + 1, "date": label, "routes": len(day),
                     "stops": int(day["stops"].sum()),
                     "vehicle_hours": round(float(day["duration_h"].sum()), 2),
                     "distance_km": round(float(day["distance_km"].sum()), 2),
                     f"collected_{u}": round(float(day[f"collected_{u}"].sum()), 3),
                     "cost": round(float(day["cost"].sum()), 2)})
    out = pd.DataFrame(rows, columns=["day", "date", "routes", "stops", "vehicle_hours",
                                      "distance_km", f"collected_{u}", "cost"])
    mean = float(out["vehicle_hours"].mean()) if len(out) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out["vs_mean_pct"] = np.where(mean > 0, 100.0 * (out["vehicle_hours"] - mean) / mean,
                                      0.0).round(1)
    return out


def day_label(week: int, weekday: str) -> str:
    """A working day's label (``W1 Mon``) in the session's language.

    Parameters
    ----------
    week : int
        The week, 0-based (shown 1-based).
    weekday : str
        A weekday code (``mon`` … ``sun``).

    Returns
    -------
    str
        The translated label, e.g. ``W1 Mon``.
    """
    return _("W{week} {weekday}").format(week=week + 1, weekday=weekday_label(weekday))


def day_headers(horizon: Horizon) -> dict[str, str]:
    """The label of each working day's column in the session's language.

    Parameters
    ----------
    horizon : Horizon
        The plan's horizon.

    Returns
    -------
    dict of str to str
        Column name of a working day (``HorizonDay.label``, in English) → :func:`day_label`.
    """
    return {d.label: day_label(d.week, d.weekday) for d in horizon.days}


def vehicle_calendar(sheet: pd.DataFrame, horizon: Horizon) -> pd.DataFrame:
    """One row per vehicle, one column per working day: the producers it collects, in order.

    Parameters
    ----------
    sheet : pandas.DataFrame
        A plan's run sheet (:func:`run_sheet`): ``activity``, ``vehicle``, ``date``, ``name``.
    horizon : Horizon
        The plan's horizon (its working days are the columns, even if empty).

    Returns
    -------
    pandas.DataFrame
        Columns ``vehicle`` (sorted), then one per working day (``W1 Mon`` …) holding the
        names of the producers collected, joined by ``" → "`` (``""`` when none).
    """
    collect = sheet[sheet["activity"] == "collect"]
    cells = collect.groupby(["vehicle", "date"], sort=False)["name"].agg(" → ".join)
    vehicles = sorted(set(collect["vehicle"]))
    out = pd.DataFrame({"vehicle": vehicles})
    for d in horizon.days:
        out[d.label] = [cells.get((v, d.label), "") for v in vehicles]
    return out
