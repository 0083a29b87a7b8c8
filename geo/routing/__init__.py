"""Milk-round planning: collection routes over real roads for many small producers, by day.

The flow, one module per step:

- :mod:`~geo.routing.problem` — the inputs as frozen dataclasses: :class:`Fleet`,
  :class:`Producer` (a stop), :class:`Depot`, and the matrix-level :class:`RoutingInstance`.
- :mod:`~geo.routing.select` — producers and depots from a :class:`~geo.programme.Programme`.
- :mod:`~geo.routing.build` — stops + depot + fleet + graph → :class:`RoutingInstance` over
  the fastest road paths (:func:`geo.network.travel_matrix`); unreachable or unservable stops
  are reported by name and left out.
- :mod:`~geo.routing.explain` — why a stop cannot be served (never a bare "infeasible").
- :mod:`~geo.routing.solve` — a thin wrapper over PyVRP: multi-day client groups, time
  windows, reloads, prize-collecting optional stops, two seeds on two cores.
- :mod:`~geo.routing.plan` — the result types (routes, visits, skipped stops).
- :mod:`~geo.routing.runsheet`, :mod:`~geo.routing.kpis`, :mod:`~geo.routing.geometry` —
  run sheets (CSV, Excel, GPX), KPIs against every producer driving itself, and route lines.
- :mod:`~geo.routing.pipeline` — the whole job for the page and the CLI.
- :mod:`~benchmarks.formats.vrplib` — VRPLIB/Solomon benchmark instances into the same path.
- :mod:`~geo.routing.periodic` — plans over one to four weeks: collection frequencies and visit
  patterns, several streams in compartments or on dedicated vehicles, unloading at
  reprocessors, several depots (the single-cycle planner here is its one-week, one-stream
  case).

Names are imported lazily, so that solver worker processes start without geopandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "DAY_S": "problem",
    "FREQUENCIES": "problem",
    "VISITS_PER_YEAR": "problem",
    "WEEKDAYS": "problem",
    "Depot": "problem",
    "ExcludedStop": "problem",
    "Fleet": "problem",
    "Producer": "problem",
    "RoutingInstance": "problem",
    "parse_clock": "problem",
    "format_clock": "problem",
    "build_instance": "build",
    "instance_from_matrices": "build",
    "check_pickups": "explain",
    "servable_days": "explain",
    "ProducerQuery": "select",
    "ProducerSelection": "select",
    "depot_from_park": "select",
    "depot_from_site": "select",
    "producers_from_programme": "select",
    "cluster_sites": "select",
    "suggest_depot": "select",
    "SolveProgress": "solve",
    "SolverOptions": "solve",
    "solve_instance": "solve",
    "PlannedRoute": "plan",
    "RoutingPlan": "plan",
    "SkippedStop": "plan",
    "Visit": "plan",
    "run_sheet": "runsheet",
    "run_sheet_gpx": "runsheet",
    "route_summary": "runsheet",
    "baseline_own_trips": "kpis",
    "milk_round_kpis": "kpis",
    "route_lines": "geometry",
    "stop_points": "geometry",
    "MilkRoundResult": "pipeline",
    "plan_milk_round": "pipeline",
}

__all__ = [
    "DAY_S",
    "FREQUENCIES",
    "VISITS_PER_YEAR",
    "WEEKDAYS",
    "Depot",
    "ExcludedStop",
    "Fleet",
    "MilkRoundResult",
    "PlannedRoute",
    "Producer",
    "ProducerQuery",
    "ProducerSelection",
    "RoutingInstance",
    "RoutingPlan",
    "SkippedStop",
    "SolveProgress",
    "SolverOptions",
    "Visit",
    "baseline_own_trips",
    "build_instance",
    "check_pickups",
    "cluster_sites",
    "depot_from_park",
    "depot_from_site",
    "format_clock",
    "instance_from_matrices",
    "milk_round_kpis",
    "parse_clock",
    "plan_milk_round",
    "producers_from_programme",
    "route_lines",
    "route_summary",
    "run_sheet",
    "run_sheet_gpx",
    "servable_days",
    "solve_instance",
    "stop_points",
    "suggest_depot",
]


def __getattr__(name: str) -> Any:
    """Import ``name`` from its submodule on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'geo.routing' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"geo.routing.{module}"), name)
