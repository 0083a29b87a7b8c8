"""Benchmark instances (CVRPLIB / VRPLIB CVRP, Solomon VRPTW) as a :class:`RoutingInstance`.

They enter the planner at the distance matrix, so a benchmark runs exactly the code the app
runs from there on (:func:`~geo.routing.build.instance_from_matrices`, then
:func:`~geo.routing.solve.solve_instance`). Rounding follows each set's convention:

- CVRP (``EDGE_WEIGHT_TYPE: EUC_2D``): Euclidean distance rounded to the nearest integer
  (TSPLIB ``nint``); demands become pickups, the fleet is unbounded (one vehicle per client).
- Solomon VRPTW: distances truncated to one decimal (the DIMACS convention) and everything
  scaled by 10 to integers — distances, times, time windows, service times — so costs are
  divided by 10 to compare with the best-known values.

The objective is distance only (cost per km 1, cost per hour 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from geo.errors import RoutingError
from geo.routing.build import instance_from_matrices
from geo.routing.problem import DAY_S, Depot, Fleet, Producer, RoutingInstance

__all__ = ["BenchmarkInstance", "read_instance"]


@dataclass(frozen=True)
class BenchmarkInstance:
    """A benchmark instance ready to solve, and how to read its cost."""

    name: str
    kind: Literal["CVRP", "VRPTW"]
    instance: RoutingInstance
    cost_divisor: float

    def cost_of(self, distance: float) -> float:
        """The instance's own cost for a plan distance (in the scaled integer units)."""
        return distance / self.cost_divisor


def _euclid(xy: np.ndarray) -> np.ndarray:
    diff = xy[:, None, :] - xy[None, :, :]
    return np.asarray(np.sqrt((diff**2).sum(-1)))


def read_instance(path: str | Path) -> BenchmarkInstance:
    """Read a ``.vrp`` (VRPLIB CVRP) or Solomon ``.txt`` instance.

    Raises
    ------
    RoutingError
        A missing file, a depot not first, or an edge weight type other than EUC_2D.
    """
    import vrplib

    path = Path(path)
    if not path.exists():
        msg = f"Instance file {str(path)!r} does not exist."
        raise RoutingError(msg)
    solomon = path.suffix.lower() == ".txt"
    raw = vrplib.read_instance(str(path), instance_format="solomon" if solomon else "vrplib",
                               compute_edge_weights=False)
    xy = np.asarray(raw["node_coord"], float)
    demand = np.asarray(raw["demand"], np.int64)
    depot_idx = 0 if solomon else int(np.asarray(raw.get("depot", [0]))[0])
    if depot_idx != 0:
        msg = f"{path.name}: only instances with the depot first are supported."
        raise RoutingError(msg)
    if solomon:
        scale = 10
        dist = np.floor(_euclid(xy) * scale + 1e-9).astype(np.int64)
        dur = dist
        tw = np.asarray(raw["time_window"], float) * scale
        service = np.asarray(raw["service_time"], float) * scale
        if tw[0, 1] > DAY_S:
            msg = f"{path.name}: horizon {tw[0, 1]:g} is longer than one day once scaled."
            raise RoutingError(msg)
        fleet = Fleet(vehicles=int(raw["vehicles"]), capacity=float(raw["capacity"]) / 1000,
                      cost_per_km=1.0, cost_per_hour=0.0, shift_start_s=int(tw[0, 0]),
                      shift_end_s=int(tw[0, 1]))
    else:
        if str(raw.get("edge_weight_type", "")).strip() != "EUC_2D":
            msg = f"{path.name}: only EUC_2D instances are supported."
            raise RoutingError(msg)
        scale = 1
        dist = np.floor(_euclid(xy) + 0.5).astype(np.int64)
        dur = np.zeros_like(dist)
        n = len(xy)
        tw = np.tile([0.0, float(DAY_S)], (n, 1))
        service = np.zeros(n)
        fleet = Fleet(vehicles=n - 1, capacity=float(raw["capacity"]) / 1000, cost_per_km=1.0,
                      cost_per_hour=0.0, shift_start_s=0, shift_end_s=DAY_S)
    producers = [Producer(stop_id=str(i), name=f"client {i}", lon=float(xy[i, 0]),
                          lat=float(xy[i, 1]), quantity_per_year=float(demand[i]) * 52 / 1000,
                          service_s=round(service[i]), tw_start_s=round(tw[i, 0]),
                          tw_end_s=round(tw[i, 1]), weekdays=("mon",))
                 for i in range(1, len(xy))]
    depot = Depot("depot", float(xy[0, 0]), float(xy[0, 1]))
    instance = instance_from_matrices(producers, depot, fleet, days=("mon",), distance_m=dist,
                                      duration_s=dur, method="given")
    if instance.excluded:
        msg = f"{path.name}: {len(instance.excluded)} clients cannot be served on their own."
        raise RoutingError(msg)
    return BenchmarkInstance(name=str(raw.get("name", path.stem)),
                             kind="VRPTW" if solomon else "CVRP", instance=instance,
                             cost_divisor=float(scale))
