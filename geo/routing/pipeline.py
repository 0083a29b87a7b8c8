"""The milk-round job end to end, shared by the page and ``python -m geo milk-round``.

programme + query → producers → matrix over the road graph → PyVRP → run sheets, KPIs,
route lines and stop points. Every producer left out on the way is in ``left_out`` with its
reason.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from geo.routing.build import DEFAULT_MAX_SNAP_M, build_instance
from geo.routing.geometry import route_lines, stop_points
from geo.routing.kpis import milk_round_kpis
from geo.routing.runsheet import route_summary, run_sheet
from geo.routing.select import producers_from_programme
from geo.routing.solve import SolverOptions, solve_instance

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import geopandas as gpd

    from geo.catalogue import Catalogue
    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.routing.plan import RoutingPlan
    from geo.routing.problem import Depot, ExcludedStop, Fleet, Producer
    from geo.routing.select import ProducerQuery
    from geo.routing.solve import SolveProgress

__all__ = ["MilkRoundResult", "plan_from_producers", "plan_milk_round"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MilkRoundResult:
    """Everything the page and the CLI show.

    Attributes
    ----------
    plan : RoutingPlan
    run_sheet, summary, kpis : DataFrame
        See :func:`~geo.routing.runsheet.run_sheet`, :func:`~geo.routing.runsheet.route_summary`
        and :func:`~geo.routing.kpis.milk_round_kpis`.
    lines, stops : GeoDataFrame
        Route lines along the roads and numbered stops (EPSG:4326).
    left_out : DataFrame
        ``stop_id``, ``name``, ``stage`` (selection / network / schedule / plan), ``reason``.
    selection_report : DataFrame or None
        Every site considered by the query (when planned from a programme).
    timings_s : dict of str to float
        Seconds spent building the matrix, solving and drawing.
    """

    plan: RoutingPlan
    run_sheet: pd.DataFrame
    summary: pd.DataFrame
    kpis: pd.DataFrame
    lines: gpd.GeoDataFrame
    stops: gpd.GeoDataFrame
    left_out: pd.DataFrame
    selection_report: pd.DataFrame | None
    timings_s: dict[str, float]


def plan_from_producers(
    producers: Sequence[Producer],
    depot: Depot,
    fleet: Fleet,
    *,
    days: Sequence[str],
    graph: RoadGraph | None,
    options: SolverOptions | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
    excluded: Sequence[ExcludedStop] = (),
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    selection_report: pd.DataFrame | None = None,
) -> MilkRoundResult:
    """Plan rounds for given producers (see :func:`plan_milk_round` for the parameters)."""
    t0 = time.perf_counter()
    n_upstream = len(excluded)
    instance = build_instance(producers, depot, fleet, days=days, graph=graph,
                              max_snap_m=max_snap_m, excluded=excluded)
    t1 = time.perf_counter()
    plan = solve_instance(instance, options or SolverOptions(), progress=progress)
    t2 = time.perf_counter()
    lines = route_lines(plan, graph)
    stops = stop_points(plan)
    t3 = time.perf_counter()
    rows = [(e.stop_id, e.name, "selection" if k < n_upstream else
             ("network" if e.stage == "network" else "schedule"),
             e.reason) for k, e in enumerate(instance.excluded)]
    rows += [(s.stop_id, s.name, "plan", s.reason) for s in plan.skipped]
    left_out = pd.DataFrame(rows, columns=["stop_id", "name", "stage", "reason"])
    logger.info("Milk round: %d stops served in %d routes; %d left out (%.1f s)",
                len(plan.served), len(plan.routes), len(left_out), t3 - t0)
    return MilkRoundResult(plan=plan, run_sheet=run_sheet(plan), summary=route_summary(plan),
                           kpis=milk_round_kpis(plan), lines=lines, stops=stops,
                           left_out=left_out, selection_report=selection_report,
                           timings_s={"matrix": t1 - t0, "solve": t2 - t1, "draw": t3 - t2})


def plan_milk_round(
    programme: Programme,
    query: ProducerQuery,
    depot: Depot,
    fleet: Fleet,
    *,
    days: Sequence[str] = ("mon",),
    graph: RoadGraph | None,
    options: SolverOptions | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
    catalogue: Catalogue | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> MilkRoundResult:
    """Select the producers of ``query`` in ``programme`` and plan their collection rounds.

    Parameters
    ----------
    programme : Programme
        Sites and resources (EPSG:4326).
    query : ProducerQuery
        Stream, parks, sites, quantity range, frequency, service time, opening hours,
        weekdays, optional visits. Its unit is set to the fleet's; the depot's own site is
        never collected from.
    depot : Depot
    fleet : Fleet
    days : sequence of str
        Weekdays to plan (each producer is collected on one of its allowed days).
    graph : RoadGraph or None
        Road network (``None``: the labelled straight-line stand-in).
    options : SolverOptions, optional
        Time limit and seeds.
    progress : callable, optional
        Receives :class:`~geo.routing.solve.SolveProgress` while solving.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> from geo.network import demo_graph
    >>> from geo.routing import Fleet, ProducerQuery, SolverOptions, depot_from_site
    >>> prog = load_demo_programme()
    >>> depot = depot_from_site(prog, prog.sites.query("sector_nace == '38.2'").site_id.iloc[0])
    >>> res = plan_milk_round(prog, ProducerQuery(stream=("organics",)), depot,
    ...                       Fleet(capacity=15), graph=demo_graph(),
    ...                       options=SolverOptions(time_limit_s=1, seeds=(0,)))
    >>> res.plan.feasible and len(res.plan.served) > 5
    True
    """
    query = replace(query, unit=fleet.capacity_unit,
                    exclude_site_ids=(*query.exclude_site_ids, depot.site_id)
                    if depot.site_id else query.exclude_site_ids)
    selection = producers_from_programme(programme, query, catalogue=catalogue)
    return plan_from_producers(selection.producers, depot, fleet, days=days, graph=graph,
                               options=options, progress=progress,
                               excluded=selection.excluded, max_snap_m=max_snap_m,
                               selection_report=selection.report)
