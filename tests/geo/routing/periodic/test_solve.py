"""Tests of the periodic solver (geo.routing.periodic.solve) on hand-checkable horizons."""

from __future__ import annotations

import math

import pytest

from geo.errors import RoutingError
from geo.routing.periodic.instance import PeriodicInstance, StopSpec, VehicleSpec
from geo.routing.periodic.solve import PeriodicOptions, solve_periodic
from tests.geo.routing.periodic.conftest import FAST, line_matrix


def test_the_only_optimal_patterns_are_found(cheap_even_days: PeriodicInstance) -> None:
    """Both multi-visit stops go on the cheap days 0 and 2, together: cost 40,400."""
    sol = solve_periodic(cheap_even_days, FAST)
    assert sol.feasible and not sol.unserved
    assert [sol.pattern_of(s) for s in (0, 1)] == [(0, 2), (0, 2)]
    assert sol.cost == pytest.approx(40_400)
    assert sorted(r.day for r in sol.routes) == [0, 2]


def test_weekly_and_fortnightly_over_two_days() -> None:
    """Weekly A is visited on both days; fortnightly B once, with A on the cheaper day.

    Day 0's vehicle costs 1 per metre and day 1's 3: B at 5 km beyond A at 10 km joins A on
    day 0 (2 × 15 km + 2 × 10 km × 3 = 90,000) rather than day 1 (150,000).
    """
    d, t = line_matrix([0.0, 10.0, 15.0])
    vehicles = (VehicleSpec("mon", 1, (100,), 0, 0, days=(0,)),
                VehicleSpec("tue", 1, (100,), 0, 0, days=(1,), unit_distance_cost=3))
    weekly = StopSpec("A", 1, ((0, 1),), (((5,), (5,)),))
    fortnightly = StopSpec("B", 2, ((0,), (1,)), (((9,),), ((9,),)))
    inst = PeriodicInstance(n_days=2, day_length=86_400, distance=d, duration=t,
                            vehicles=vehicles, stops=(weekly, fortnightly))
    sol = solve_periodic(inst, FAST)
    assert sol.pattern_of(0) == (0, 1) and sol.pattern_of(1) == (0,)
    assert sol.cost == pytest.approx(90_000)


def test_a_stop_with_one_pattern_gets_it() -> None:
    """A stop allowed only on days 1 and 3 is visited exactly then."""
    d, t = line_matrix([0.0, 1.0, 2.0])
    inst = PeriodicInstance(
        n_days=4, day_length=86_400, distance=d, duration=t,
        vehicles=(VehicleSpec("v", 1, (10,), 0, 0),),
        stops=(StopSpec("fixed", 1, ((1, 3),), (((1,), (1,)),)),
               StopSpec("free", 2, ((0, 2), (1, 3)), (((1,), (1,)), ((1,), (1,))))))
    sol = solve_periodic(inst, FAST)
    assert sol.pattern_of(0) == (1, 3)
    assert sorted(r.day for r in sol.routes) == [1, 3]  # the free stop joins it


def test_capacity_splits_a_day_into_routes() -> None:
    """Three pickups of 4 with vehicles of 10 on one day need two vehicles, none over 10."""
    d, t = line_matrix([0.0, 1.0, 2.0, 3.0])
    stops = tuple(StopSpec(f"s{i}", i, ((0,),), (((4,),),)) for i in (1, 2, 3))
    inst = PeriodicInstance(n_days=1, day_length=86_400, distance=d, duration=t,
                            vehicles=(VehicleSpec("v", 2, (10,), 0, 0),), stops=stops)
    sol = solve_periodic(inst, FAST)
    assert sol.feasible and len(sol.routes) == 2


def test_too_few_vehicles_leave_stops_unserved_not_dropped_silently() -> None:
    """One vehicle of 10 cannot take three pickups of 4: a relaxed plan serves two."""
    d, t = line_matrix([0.0, 1.0, 2.0, 3.0])
    stops = tuple(StopSpec(f"s{i}", i, ((0,),), (((4,),),)) for i in (1, 2, 3))
    inst = PeriodicInstance(n_days=1, day_length=86_400, distance=d, duration=t,
                            vehicles=(VehicleSpec("v", 1, (10,), 0, 0),), stops=stops)
    sol = solve_periodic(inst, PeriodicOptions(time_limit_s=0.5, seeds=(0,), workers=1))
    assert sol.relaxed and sol.feasible and len(sol.unserved) == 1
    assert len(sol.served) == 2 and math.isfinite(sol.cost)


def test_two_seeds_run_side_by_side(cheap_even_days: PeriodicInstance) -> None:
    """With two workers the second seed runs in a worker process and reports its cost."""
    sol = solve_periodic(cheap_even_days, PeriodicOptions(time_limit_s=1.0, workers=2))
    assert len(sol.seed_costs) == 2
    assert all(c == pytest.approx(40_400) for c in sol.seed_costs)


def test_warm_start_from_a_plan_of_the_same_stops(cheap_even_days: PeriodicInstance) -> None:
    """A previous plan starts the search; the plan stays optimal."""
    first = solve_periodic(cheap_even_days, FAST)
    again = solve_periodic(cheap_even_days, FAST, warm=first)
    assert again.cost == pytest.approx(40_400)


@pytest.mark.parametrize("kwargs", [{"time_limit_s": 0}, {"seeds": ()}, {"workers": 3},
                                    {"balance_per_hour": -1.0}])
def test_bad_options_are_refused(kwargs: dict[str, object]) -> None:
    """Non-positive time, no seed, three workers or a negative balance weight are refused."""
    with pytest.raises(RoutingError):
        PeriodicOptions(**kwargs)
