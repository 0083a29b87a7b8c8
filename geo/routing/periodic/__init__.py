"""Milk rounds over one to four weeks: frequencies, visit patterns, streams, reprocessors.

The periodic vehicle routing problem on top of the single-cycle planner (:mod:`geo.routing`),
one module per step:

- :mod:`~geo.routing.periodic.horizon` — :class:`Horizon`, :class:`VisitFrequency`, the visit
  patterns a frequency allows and the pickup per visit (from the gap since the last one);
- :mod:`~geo.routing.periodic.fleet` — :class:`Stream`, :class:`Compartment`,
  :class:`VehicleClass`, :class:`PeriodicFleet` (several streams, depots, reprocessors);
- :mod:`~geo.routing.periodic.producers` — :class:`PeriodicProducer`;
- :mod:`~geo.routing.periodic.places`, :mod:`~geo.routing.periodic.build` — places measured
  over the roads (:func:`geo.network.travel_matrix`) and the checked problem;
- :mod:`~geo.routing.periodic.instance` — the integer core the solver takes (also built by
  the benchmark reader ``benchmarks.formats.pvrp``);
- :mod:`~geo.routing.periodic.encode`, :mod:`~geo.routing.periodic.search`,
  :mod:`~geo.routing.periodic.solve`, :mod:`~geo.routing.periodic.worker` — the solver: PyVRP
  for routing inside a search over patterns, two seeds on two cores;
- :mod:`~geo.routing.periodic.plan`, :mod:`~geo.routing.periodic.tables`,
  :mod:`~geo.routing.periodic.kpis`, :mod:`~geo.routing.periodic.geometry`,
  :mod:`~geo.routing.periodic.gpx` — calendar, run sheets, workload, KPIs per week, route
  lines per day, GPX;
- :mod:`~geo.routing.periodic.pipeline` — :func:`plan_periodic` and :func:`replan`;
- :mod:`~geo.routing.periodic.inputs` — the tables a planner edits (frequencies, streams and
  compartments) and the producers and fleet they stand for.

Names are imported lazily, so that solver worker processes start without geopandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "Horizon": "horizon",
    "HorizonDay": "horizon",
    "VisitFrequency": "horizon",
    "pickups_per_visit": "horizon",
    "visit_patterns": "horizon",
    "Compartment": "fleet",
    "PeriodicFleet": "fleet",
    "Stream": "fleet",
    "VehicleClass": "fleet",
    "PeriodicProducer": "producers",
    "from_producer": "producers",
    "PeriodicProblem": "build",
    "build_problem": "build",
    "PeriodicInstance": "instance",
    "StopSpec": "instance",
    "VehicleSpec": "instance",
    "PeriodicOptions": "solve",
    "solve_periodic": "solve",
    "PeriodicSolution": "solution",
    "PeriodicPlan": "plan",
    "PeriodicRoute": "plan",
    "calendar": "tables",
    "day_headers": "tables",
    "day_label": "tables",
    "route_summary": "tables",
    "run_sheet": "tables",
    "vehicle_calendar": "tables",
    "workload": "tables",
    "FREQUENCY_CHOICES": "inputs",
    "calendar_for_reading": "inputs",
    "edited_producers": "inputs",
    "frequency_code": "inputs",
    "frequency_table": "inputs",
    "horizon_fleet": "inputs",
    "select_producers": "inputs",
    "stream_table": "inputs",
    "periodic_kpis": "kpis",
    "route_lines": "geometry",
    "stop_points": "geometry",
    "run_sheet_gpx": "gpx",
    "PeriodicResult": "pipeline",
    "plan_periodic": "pipeline",
    "replan": "pipeline",
}

__all__ = [
    "FREQUENCY_CHOICES",
    "Compartment",
    "Horizon",
    "HorizonDay",
    "PeriodicFleet",
    "PeriodicInstance",
    "PeriodicOptions",
    "PeriodicPlan",
    "PeriodicProblem",
    "PeriodicProducer",
    "PeriodicResult",
    "PeriodicRoute",
    "PeriodicSolution",
    "StopSpec",
    "Stream",
    "VehicleClass",
    "VehicleSpec",
    "VisitFrequency",
    "build_problem",
    "calendar",
    "calendar_for_reading",
    "day_headers",
    "day_label",
    "edited_producers",
    "frequency_code",
    "frequency_table",
    "from_producer",
    "horizon_fleet",
    "periodic_kpis",
    "pickups_per_visit",
    "plan_periodic",
    "replan",
    "route_lines",
    "route_summary",
    "run_sheet",
    "run_sheet_gpx",
    "select_producers",
    "solve_periodic",
    "stop_points",
    "stream_table",
    "vehicle_calendar",
    "visit_patterns",
    "workload",
]


def __getattr__(name: str) -> Any:
    """Import ``name`` from its submodule on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'geo.routing.periodic' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"geo.routing.periodic.{module}"), name)
