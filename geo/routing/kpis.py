"""KPIs of a milk round against the baseline of every producer driving its own load.

The baseline: each served producer takes its collection to the depot and drives back, with
the same vehicle costs and emission factor as the fleet (a conservative comparison: own
vehicles are often smaller and dearer per tonne). Figures cover one collection cycle (each
producer collected once), the period the plan covers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.i18n import _
from geo.routing.text import distances_source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.routing.plan import RoutingPlan
    from geo.routing.problem import RoutingInstance

__all__ = ["KPI_COLUMNS", "baseline_own_trips", "milk_round_kpis"]

KPI_COLUMNS = ["metric", "unit", "milk_round", "own_trips", "saving", "saving_pct", "source"]


def baseline_own_trips(instance: RoutingInstance, producers: Sequence[int]) -> pd.DataFrame:
    """Each producer's own round trip to the depot: metres, seconds (with service), cost, CO2e.

    Examples
    --------
    >>> import numpy as np
    >>> from geo.routing.problem import Depot, Fleet, Producer, RoutingInstance
    >>> d = np.array([[0, 1000], [1200, 0]])
    >>> inst = RoutingInstance(Depot("D", 0, 0), (Producer("a", "A", 0, 0, 52, service_s=600),),
    ...                        Fleet(), ("mon",), d, d // 10)
    >>> int(baseline_own_trips(inst, [0])["distance_m"].iloc[0])
    2200
    """
    f = instance.fleet
    idx = np.asarray(list(producers), np.int64)
    loc = idx + 1
    dist = instance.distance_m[loc, 0] + instance.distance_m[0, loc]
    dur = instance.duration_s[loc, 0] + instance.duration_s[0, loc] + np.array(
        [instance.producers[i].service_s for i in idx], np.int64)
    return pd.DataFrame({
        "stop_id": [instance.producers[i].stop_id for i in idx],
        "distance_m": dist.astype(np.int64),
        "duration_s": dur.astype(np.int64),
        "cost": f.cost_per_km * dist / 1000.0 + f.cost_per_hour * dur / 3600.0,
        "co2e_kg": f.co2e_kg_per_km * dist / 1000.0,
    })


def milk_round_kpis(plan: RoutingPlan) -> pd.DataFrame:
    """The plan against every served producer's own trip: km, hours, cost, CO2e, trips.

    Returns a frame with :data:`KPI_COLUMNS`; ``saving`` is own trips minus milk round and
    ``source`` cites the factor behind the row.
    """
    inst = plan.instance
    f = inst.fleet
    served = plan.served
    base = baseline_own_trips(inst, served)
    km, base_km = plan.distance_m / 1000.0, float(base["distance_m"].sum()) / 1000.0
    hours, base_h = plan.duration_s / 3600.0, float(base["duration_s"].sum()) / 3600.0
    cost = f.cost_per_km * km + f.cost_per_hour * hours
    co2, base_co2 = f.co2e_kg_per_km * km, float(base["co2e_kg"].sum())
    collected = sum(inst.producers[i].quantity_per_visit for i in served)
    unit = f.capacity_unit.replace("m3", "m³")
    rows = [
        ("vehicle distance", "km", km, base_km, distances_source(inst.method)),
        ("vehicle time", "h", hours, base_h, _("driving, waiting and time on site")),
        ("operating cost", f.currency, cost, float(base["cost"].sum()),
         f.cost_source or f"{f.cost_per_km:g} {f.currency}/km, {f.cost_per_hour:g} "
                          f"{f.currency}/h"),
        ("CO2e", "kg", co2, base_co2, f.co2e_source or f"{f.co2e_kg_per_km:g} kg CO2e/km"),
        ("trips (depot and back)", "trips", float(plan.trips), float(len(served)),
         _("each own trip carries one collection")),
        ("collections per trip", "stops/trip", len(served) / plan.trips if plan.trips else 0.0,
         1.0, _("collections combined into one trip")),
        ("quantity collected", unit, collected, collected, _("per collection cycle")),
    ]
    out = pd.DataFrame(rows, columns=["metric", "unit", "milk_round", "own_trips", "source"])
    out["saving"] = out["own_trips"] - out["milk_round"]
    out.loc[out["metric"].isin(["collections per trip", "quantity collected"]), "saving"] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        out["saving_pct"] = np.where(out["own_trips"] > 0,
                                     100.0 * out["saving"] / out["own_trips"], np.nan)
    return out[KPI_COLUMNS].round({"milk_round": 2, "own_trips": 2, "saving": 2,
                                   "saving_pct": 1})
