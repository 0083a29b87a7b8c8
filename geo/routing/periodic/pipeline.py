"""The periodic milk round end to end, shared by the page and ``python -m geo milk-round``.

producers (with streams, frequencies, accepted weekdays, storage) + fleet (vehicle classes,
compartments, depots, reprocessors) + horizon → places measured over the roads → the pattern
search over PyVRP (:mod:`~geo.routing.periodic.solve`) → calendar, run sheets, route summary,
workload per day, KPIs per week, route lines per day and stop points. Every producer left out
on the way is in ``left_out`` with its reason.

:func:`replan` changes some producers' frequencies and plans again from the previous plan —
the roads are not measured again and the search starts from the previous patterns and routes,
so a small change answers in a fraction of a full plan's time.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from geo.errors import RoutingError
from geo.i18n import _
from geo.routing.build import DEFAULT_MAX_SNAP_M
from geo.routing.periodic.build import assemble_problem, build_problem
from geo.routing.periodic.explain import unserved_reason
from geo.routing.periodic.geometry import route_lines, stop_points
from geo.routing.periodic.kpis import periodic_kpis
from geo.routing.periodic.plan import plan_from_solution
from geo.routing.periodic.solve import PeriodicOptions, solve_periodic
from geo.routing.periodic.tables import calendar, route_summary, run_sheet, workload

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import geopandas as gpd

    from geo.network import RoadGraph
    from geo.routing.periodic.build import PeriodicProblem
    from geo.routing.periodic.fleet import PeriodicFleet
    from geo.routing.periodic.horizon import Horizon, VisitFrequency
    from geo.routing.periodic.plan import PeriodicPlan
    from geo.routing.periodic.producers import PeriodicProducer
    from geo.routing.periodic.solution import PeriodicSolution
    from geo.routing.problem import ExcludedStop
    from geo.routing.solve import SolveProgress

__all__ = ["PeriodicResult", "plan_periodic", "replan"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicResult:
    """Everything the page and the CLI show for a periodic plan.

    Attributes
    ----------
    plan : PeriodicPlan
    calendar, run_sheet, summary, workload, kpis : DataFrame
        See :mod:`~geo.routing.periodic.tables` and :mod:`~geo.routing.periodic.kpis`.
    lines, stops : GeoDataFrame
        Route lines along the roads and numbered stops, every day (``day`` column).
    left_out : DataFrame
        ``stop_id``, ``name``, ``stage`` (selection / network / schedule / plan), ``reason``.
    timings_s : dict of str to float
        Seconds spent measuring the roads, solving and drawing.
    """

    plan: PeriodicPlan
    calendar: pd.DataFrame
    run_sheet: pd.DataFrame
    summary: pd.DataFrame
    workload: pd.DataFrame
    kpis: pd.DataFrame
    lines: gpd.GeoDataFrame
    stops: gpd.GeoDataFrame
    left_out: pd.DataFrame
    timings_s: dict[str, float]


def _reasons(problem: PeriodicProblem, solution: PeriodicSolution) -> dict[int, str]:
    """Why each unserved stop was left out, from the figures of its possible days."""
    inst = problem.instance
    unit = problem.fleet.unit.replace("m3", "m³")
    out: dict[int, str] = {}
    for s in solution.unserved:
        stop = inst.stops[s]
        days = stop.days
        dims = sorted({d for pk in stop.pickups for v in pk for d, x in enumerate(v) if x > 0})
        loaded = sum(inst.stops[st].pickups[solution.choice[st]][k][d]
                     for r in solution.routes if r.day in days
                     for st, k in zip(r.stops, r.visits, strict=True) if st >= 0
                     for d in dims) / 1000
        capacity = sum(v.count * v.capacity[d] for day in days
                       for v in (inst.vehicles[k] for k in inst.vehicles_on(day))
                       for d in dims) / 1000
        used = sum(r.duration for r in solution.routes if r.day in days)
        available = sum(v.count * (v.shift_end - v.shift_start) for d in days
                        for k in inst.vehicles_on(d) for v in [inst.vehicles[k]])
        need = min(int(inst.duration[v.start, stop.place] + inst.duration[stop.place, v.end])
                   for v in inst.vehicles) + stop.service
        visits = min(sum(v[d] for v in pk for d in dims) for pk in stop.pickups) / 1000
        out[s] = unserved_reason([inst.day_labels[d] for d in days], loaded=loaded,
                                 need=visits, capacity=capacity, unit=unit, used_s=used,
                                 available_s=available, need_s=need * stop.frequency)
    return out


def _result(problem: PeriodicProblem, solution: PeriodicSolution, graph: RoadGraph | None,
            n_upstream: int, timings: dict[str, float]) -> PeriodicResult:
    t0 = time.perf_counter()
    plan = plan_from_solution(problem, solution, _reasons(problem, solution))
    lines = route_lines(plan, graph)
    stops = stop_points(plan)
    timings = {**timings, "draw": time.perf_counter() - t0}
    rows = [(e.stop_id, e.name, "selection" if k < n_upstream else
             ("network" if e.stage == "network" else "schedule"),
             e.reason) for k, e in enumerate(problem.excluded)]
    rows += [(u.stop_id, u.name, "plan", u.reason) for u in plan.unserved]
    left_out = pd.DataFrame(rows, columns=["stop_id", "name", "stage", "reason"])
    logger.info("Periodic milk round: %d producers in %d routes over %d days; %d left out",
                len(plan.served_producers), len(plan.routes), problem.horizon.n_days,
                len(left_out))
    return PeriodicResult(plan=plan, calendar=calendar(plan), run_sheet=run_sheet(plan),
                          summary=route_summary(plan), workload=workload(plan),
                          kpis=periodic_kpis(plan), lines=lines, stops=stops,
                          left_out=left_out, timings_s=timings)


def plan_periodic(
    producers: Sequence[PeriodicProducer],
    fleet: PeriodicFleet,
    horizon: Horizon,
    *,
    graph: RoadGraph | None,
    options: PeriodicOptions | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
    excluded: Sequence[ExcludedStop] = (),
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> PeriodicResult:
    """Plan collection rounds over ``horizon`` for ``producers`` with ``fleet``.

    Parameters
    ----------
    producers : sequence of PeriodicProducer
        Stops with WGS84 coordinates, stream quantities per year, frequency, accepted
        weekdays and optional storage limit.
    fleet : PeriodicFleet
        Vehicle classes (depot, vehicles per day, compartments, costs, shift, unloading).
    horizon : Horizon
        One to four weeks of working days.
    graph : RoadGraph or None
        Road network (``None``: the labelled straight-line stand-in).
    options : PeriodicOptions, optional
        Time limit, seeds, workers.
    progress : callable, optional
        Receives :class:`~geo.routing.solve.SolveProgress` (cost in currency) when the best
        plan improves.
    excluded : sequence of ExcludedStop
        Producers left out upstream (carried into ``left_out``).

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> from geo.routing.periodic import (Horizon, PeriodicFleet, PeriodicOptions,
    ...                                   PeriodicProducer, VisitFrequency)
    >>> from geo.routing.problem import Depot, Fleet
    >>> fleet = PeriodicFleet.single(Fleet(capacity=10), Depot("D", 26.94, 60.525))
    >>> prods = [PeriodicProducer("a", "A", 26.93, 60.52, (("all", 52.0),)),
    ...          PeriodicProducer("b", "B", 26.95, 60.53, (("all", 26.0),),
    ...                           frequency=VisitFrequency("fortnightly"))]
    >>> res = plan_periodic(prods, fleet, Horizon(weeks=2), graph=demo_graph(),
    ...                     options=PeriodicOptions(time_limit_s=0.5, workers=1))
    >>> res.plan.feasible, list(res.calendar["visits"])
    (True, [2, 1])
    """
    options = options or PeriodicOptions()
    t0 = time.perf_counter()
    problem = build_problem(producers, fleet, horizon, graph=graph, max_snap_m=max_snap_m,
                            excluded=excluded)
    t1 = time.perf_counter()
    solution = solve_periodic(problem.instance, _scaled(options, problem),
                              progress=_in_currency(progress, problem.cost_scale))
    t2 = time.perf_counter()
    return _result(problem, solution, graph, len(excluded),
                   {"matrix": t1 - t0, "solve": t2 - t1})


def _scaled(options: PeriodicOptions, problem: PeriodicProblem) -> PeriodicOptions:
    """Options with the balance weight in the instance's cost units per second."""
    per_time = options.balance_per_hour * problem.cost_scale / 3600.0
    return replace(options, search=replace(options.search, balance_per_time=per_time))


def _in_currency(progress: Callable[[SolveProgress], None] | None,
                 scale: float) -> Callable[[SolveProgress], None] | None:
    if progress is None:
        return None

    def report(p: SolveProgress) -> None:
        progress(replace(p, best_cost=p.best_cost / scale))

    return report


def replan(
    previous: PeriodicResult,
    frequencies: Mapping[str, VisitFrequency],
    *,
    graph: RoadGraph | None = None,
    options: PeriodicOptions | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
) -> PeriodicResult:
    """Change some producers' frequencies (by ``stop_id``) and plan again from ``previous``.

    The places are not measured again; every other producer starts on its previous
    pattern and the routes start from the previous ones, so a quarter of the first plan's
    time is enough by default (``options`` to change it). Give ``graph`` to draw the new
    routes along the roads.

    Raises
    ------
    RoutingError
        A ``stop_id`` that is not a planned producer (or a frequency it cannot have).
    """
    old = previous.plan.problem
    known = {p.stop_id for p in old.producers}
    unknown = sorted(set(frequencies) - known)
    if unknown:
        msg = _("No planned producer with stop_id {unknown}; re-plan changes producers of"
                " the previous plan (plan from scratch to add new ones).").format(
            unknown=repr(unknown))
        raise RoutingError(msg)
    producers = [replace(p, frequency=frequencies.get(p.stop_id, p.frequency))
                 for p in old.producers]
    t0 = time.perf_counter()
    n_up = sum(1 for r in previous.left_out.itertuples() if r.stage == "selection")
    problem = assemble_problem(producers, old.fleet, old.horizon, old.matrix,
                               excluded=old.excluded)
    t1 = time.perf_counter()
    if options is None:
        options = PeriodicOptions(time_limit_s=max(2.0, previous.plan.runtime_s / 4))
    solution = solve_periodic(problem.instance, _scaled(options, problem),
                              warm=previous.plan.solution,
                              progress=_in_currency(progress, problem.cost_scale))
    t2 = time.perf_counter()
    return _result(problem, solution, graph, n_up, {"matrix": t1 - t0, "solve": t2 - t1})
