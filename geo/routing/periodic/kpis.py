"""KPIs of a periodic plan per week, against every producer driving its own collections.

The baseline: at every visit of its pattern, each served producer takes each stream to where
the fleet would unload it — the stream's reprocessor when the fleet unloads at reprocessors,
else the nearest depot — and drives back, with the vehicle costs and emission factor of the
plan's first vehicle class (a conservative comparison: own vehicles are often smaller and
dearer per tonne). Figures are the horizon's totals divided by its weeks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from geo.i18n import _
from geo.routing.periodic.plan import stream_pickups
from geo.routing.text import distances_source

if TYPE_CHECKING:
    from geo.routing.periodic.plan import PeriodicPlan

__all__ = ["PERIODIC_KPI_COLUMNS", "own_trips", "periodic_kpis"]

PERIODIC_KPI_COLUMNS: Final = ["metric", "unit", "milk_round", "own_trips", "saving",
                               "saving_pct", "horizon_milk_round", "horizon_own_trips",
                               "source"]


def own_trips(plan: PeriodicPlan) -> pd.DataFrame:
    """Every served visit as the producer's own round trips: metres, seconds, destinations.

    One row per visit and destination: ``stop_id``, ``day``, ``destination``,
    ``distance_m``, ``duration_s`` (driving there and back plus the time on site).
    """
    prob = plan.problem
    m = prob.matrix
    depots = [i for i, p in enumerate(m.places) if p.kind == "depot"]
    unload_at_reprocessors = any(c.unload == "reprocessor" for c in prob.fleet.classes)
    rows = []
    for r in plan.routes:
        for v in r.visits:
            if v.kind != "stop":
                continue
            p = prob.producers[prob.stop_producer[v.stop]]
            dests: set[int] = set()
            for s in v.streams:
                rep = prob.fleet.stream(s).reprocessor
                if unload_at_reprocessors and rep is not None:
                    dests.add(m.place_of("reprocessor", rep.name, rep.lon, rep.lat))
                else:
                    dests.add(min(depots, key=lambda d: int(m.distance_m[v.place, d]
                                                            + m.distance_m[d, v.place])))
            for d in sorted(dests):
                rows.append({"stop_id": p.stop_id, "day": r.day, "destination": m.places[d].name,
                             "distance_m": int(m.distance_m[v.place, d]
                                               + m.distance_m[d, v.place]),
                             "duration_s": int(m.duration_s[v.place, d]
                                               + m.duration_s[d, v.place] + p.service_s)})
    return pd.DataFrame(rows, columns=["stop_id", "day", "destination", "distance_m",
                                       "duration_s"])


def periodic_kpis(plan: PeriodicPlan) -> pd.DataFrame:
    """The plan against own trips, per week: km, hours, cost, CO2e, trips, quantity.

    Returns a frame with :data:`PERIODIC_KPI_COLUMNS`; ``saving`` is own trips minus milk
    round (per week), ``horizon_*`` the totals over the whole horizon.
    """
    prob = plan.problem
    f = prob.fleet.classes[0].fleet
    weeks = prob.horizon.weeks
    base = own_trips(plan)
    rates = {c.name: c.fleet for c in prob.fleet.classes}
    km = plan.distance_m / 1000.0
    hours = plan.duration_s / 3600.0
    co2 = sum(rates[r.class_name].co2e_kg_per_km * r.distance_m / 1000.0 for r in plan.routes)
    base_km = float(base["distance_m"].sum()) / 1000.0
    base_h = float(base["duration_s"].sum()) / 3600.0
    base_cost = f.cost_per_km * base_km + f.cost_per_hour * base_h
    collected = sum(sum(stream_pickups(plan, v.stop, v.visit).values())
                    for r in plan.routes for v in r.visits if v.kind == "stop")
    trips = sum(r.trips for r in plan.routes)
    visits = sum(len(r.stops) for r in plan.routes)
    unit = prob.fleet.unit.replace("m3", "m³")
    rows = [
        ("vehicle distance", "km/week", km, base_km, distances_source(prob.method)),
        ("vehicle time", "h/week", hours, base_h,
         _("driving, waiting, unloading and time on site")),
        ("operating cost", f"{f.currency}/week", plan.cost, base_cost,
         f.cost_source or f"{f.cost_per_km:g} {f.currency}/km, {f.cost_per_hour:g} "
                          f"{f.currency}/h"),
        ("CO2e", "kg/week", co2, f.co2e_kg_per_km * base_km,
         f.co2e_source or f"{f.co2e_kg_per_km:g} kg CO2e/km"),
        ("trips", "trips/week", float(trips), float(len(base)),
         _("each own trip carries one visit's stream(s) to one destination")),
        ("collections per trip", "stops/trip", visits / trips if trips else 0.0, 1.0,
         _("collections combined into one trip")),
        ("quantity collected", f"{unit}/week", collected, collected, _("all streams")),
    ]
    out = pd.DataFrame(rows, columns=["metric", "unit", "horizon_milk_round",
                                      "horizon_own_trips", "source"])
    per_week = ~out["metric"].isin(["collections per trip"])
    out["milk_round"] = np.where(per_week, out["horizon_milk_round"] / weeks,
                                 out["horizon_milk_round"])
    out["own_trips"] = np.where(per_week, out["horizon_own_trips"] / weeks,
                                out["horizon_own_trips"])
    out["saving"] = out["own_trips"] - out["milk_round"]
    out.loc[out["metric"].isin(["collections per trip", "quantity collected"]), "saving"] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        out["saving_pct"] = np.where(out["own_trips"] > 0,
                                     100.0 * out["saving"] / out["own_trips"], np.nan)
    return out[PERIODIC_KPI_COLUMNS].round({"milk_round": 2, "own_trips": 2, "saving": 2,
                                            "saving_pct": 1, "horizon_milk_round": 2,
                                            "horizon_own_trips": 2})
