"""Tests of the periodic benchmark's helpers (benchmarks.periodic_bench); the benchmark itself
stays out of the test suite."""

from __future__ import annotations

import math

from benchmarks.formats.pvrp import PvrpRoute
from benchmarks.periodic_bench import Row, pvrp_routes, summary_line
from geo.routing.periodic.encode import DecodedRoute
from geo.routing.periodic.solution import PeriodicSolution


def _row(name: str, cost: float, bks: float, *, feasible: bool = True,
         verified: bool = True) -> Row:
    return Row(name, cost, bks, feasible, verified, () if feasible else ("x",), 1.0)


def test_summary_leaves_out_infeasible_and_unverified() -> None:
    """The mean and max gap count feasible instances with a verified BKS; N/M counts all."""
    rows = [_row("a", 102.0, 100.0), _row("b", 100.0, 100.0), _row("c", 1.0, 100.0,
                                                                      feasible=False),
            _row("d", 50.0, 100.0, verified=False)]
    assert summary_line(rows) == "mean gap 1.00 % · max gap 2.00 % · feasible 3/4"


def test_gap_of_an_infeasible_plan_is_infinite() -> None:
    """An infeasible plan has no gap."""
    assert math.isinf(_row("c", 1.0, 100.0, feasible=False).gap)


def test_routes_are_numbered_per_day() -> None:
    """Routes become (day, vehicle number within the day, customers) with depots dropped."""
    def route(day: int, places: tuple[int, ...]) -> DecodedRoute:
        stops = tuple(-1 if p == 0 else p - 1 for p in places)
        return DecodedRoute(day, 0, places, stops, tuple(0 for _ in places),
                            tuple(0 for _ in places), tuple(0 for _ in places), 0, 0)

    sol = PeriodicSolution(instance=None, choice=(), route_lists=[], unserved=(),
                           routes=(route(0, (0, 2, 0)), route(0, (0, 1, 3, 0)),
                                   route(1, (0, 3, 0))),
                           cost=0.0, feasible=True, relaxed=False, runtime_s=0.0)
    assert pvrp_routes(sol) == [PvrpRoute(0, 1, (2,)), PvrpRoute(0, 2, (1, 3)),
                                PvrpRoute(1, 1, (3,))]
