"""Tests of the PyVRP wrapper (geo.routing.solve) on tiny hand-checkable instances."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.formats.vrplib import read_instance
from geo.routing.build import instance_from_matrices
from geo.routing.problem import Depot, Fleet, Producer
from geo.routing.solve import SolverOptions, solve_instance

FAST = SolverOptions(time_limit_s=0.5, seeds=(0,))


def _line(n: int, *, step_m: float = 1000.0, speed_mps: float = 10.0) -> tuple[np.ndarray,
                                                                                np.ndarray]:
    """Depot at 0 and stops at 1..n steps along a straight road."""
    x = np.arange(n + 1) * step_m
    d = np.abs(x[:, None] - x[None, :])
    return d, d / speed_mps


def _instance(producers, d, t, fleet=None, days=("mon",)):
    return instance_from_matrices(producers, Depot("Depot", 0, 0), fleet or Fleet(),
                                  days=days, distance_m=d, duration_s=t, method="given")


def test_line_of_stops_is_one_out_and_back() -> None:
    """Stops along a line are served in one sweep: out to the farthest and back (2 × 5 km)."""
    d, t = _line(5)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0, service_s=60) for i in range(1, 6)]
    plan = solve_instance(_instance(prods, d, t), FAST)
    assert plan.feasible and len(plan.routes) == 1
    assert plan.distance_m == 10_000
    assert sorted(plan.routes[0].stops) == [0, 1, 2, 3, 4]


def test_one_way_ring_is_served_in_driving_order() -> None:
    """On a one-way ring road of 6 km the only optimum visits the stops in ring order once."""
    x = np.arange(6) * 1000.0
    d = (x[None, :] - x[:, None]) % 6000.0  # i → j drives forward round the ring
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0, service_s=60) for i in range(1, 6)]
    plan = solve_instance(_instance(prods, d, d / 10), FAST)
    assert plan.routes[0].stops == [0, 1, 2, 3, 4]
    assert plan.distance_m == 6_000


def test_capacity_forces_two_routes() -> None:
    """Four pickups of 4 t with 10 t vehicles need two vehicles, none loaded over capacity."""
    d, t = _line(4)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 4.0 * 52, service_s=60) for i in range(1, 5)]
    plan = solve_instance(_instance(prods, d, t, Fleet(vehicles=2, capacity=10)), FAST)
    assert plan.feasible and len(plan.routes) == 2
    assert sorted(len(r.stops) for r in plan.routes) == [2, 2]
    assert max(v.load_after for r in plan.routes for v in r.visits) <= 10_000


def test_reload_lets_one_vehicle_do_two_trips() -> None:
    """With reloads allowed, one 10 t vehicle collects 16 t in two trips, unloading between."""
    d, t = _line(4)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 4.0 * 52, service_s=60) for i in range(1, 5)]
    plan = solve_instance(_instance(prods, d, t, Fleet(vehicles=1, capacity=10, reload=True)),
                          FAST)
    assert plan.feasible and len(plan.routes) == 1
    route = plan.routes[0]
    assert route.trips == 2 and len(route.stops) == 4
    assert [v.kind for v in route.visits].count("reload") == 1
    assert route.collected == 16_000
    from geo.routing.runsheet import run_sheet

    # the run sheet numbers trips 1 and 2, the unloading ending trip 1 and the return trip 2
    # (the return was "trip 3" of a two-trip day)
    sheet = run_sheet(plan)
    assert sheet["trip"].max() == 2
    kinds = dict(zip(sheet["activity"], sheet["trip"], strict=False))
    assert kinds["unload at depot"] == 1 and kinds["return to depot"] == 2
    trips = sheet.loc[sheet["activity"] == "collect", "trip"].tolist()
    assert trips == sorted(trips) and set(trips) == {1, 2}


def test_time_window_forces_the_order() -> None:
    """A stop that closes early is served first even though the other order is shorter."""
    # Depot 0, A near (1 km), B far (3 km) off to a side: cheapest is 0-A-B-0.
    d = np.array([[0, 1000, 3000], [1000, 0, 2500], [3000, 2500, 0]], float)
    t = d / 10
    a = Producer("a", "A", 0, 0, 52.0, service_s=60)
    b = Producer("b", "B", 0, 0, 52.0, service_s=60, tw_start_s=7 * 3600,
                 tw_end_s=7 * 3600 + 400)
    free = solve_instance(_instance([a, Producer("b", "B", 0, 0, 52.0, service_s=60)], d, t),
                          FAST)
    plan = solve_instance(_instance([a, b], d, t), FAST)
    assert plan.feasible
    assert plan.routes[0].stops == [1, 0]  # B (index 1) first, then A
    b_visit = next(v for v in plan.routes[0].visits if v.producer == 1)
    assert 7 * 3600 <= b_visit.start_s <= 7 * 3600 + 400
    assert plan.distance_m >= free.distance_m


def test_run_sheet_times_follow_matrix_and_service() -> None:
    """Every arrival is the previous departure plus the matrix time; service fills the stop."""
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 5000, (9, 2))
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    t = d / 8.0
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 3.0 * 52, service_s=300 + 60 * i,
                      tw_start_s=8 * 3600 if i % 2 else 0) for i in range(1, 9)]
    inst = _instance(prods, d, t, Fleet(vehicles=2, capacity=10))
    plan = solve_instance(inst, FAST)
    assert plan.feasible
    for r in plan.routes:
        for prev, v in zip(r.visits[:-1], r.visits[1:], strict=True):
            assert v.arrival_s == prev.departure_s + inst.duration_s[prev.location, v.location]
            assert v.start_s >= v.arrival_s
            if v.kind == "stop":
                p = inst.producers[v.producer]
                assert v.departure_s == v.start_s + p.service_s
                assert p.tw_start_s <= v.start_s <= p.tw_end_s
        assert sum(v.leg_distance_m for v in r.visits) == r.distance_m


def test_multi_day_serves_each_producer_once_on_an_allowed_day() -> None:
    """With weekday groups every producer is collected exactly once, on one of its own days."""
    d, t = _line(6)
    allowed = [("mon",), ("wed",), ("mon", "wed"), ("fri",), ("wed", "fri"), ("mon", "fri")]
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0 * 3, weekdays=w)
             for i, w in enumerate(allowed, start=1)]
    inst = _instance(prods, d, t, Fleet(vehicles=1, capacity=7), days=("mon", "wed", "fri"))
    plan = solve_instance(inst, FAST)
    assert plan.feasible and not plan.skipped
    day_of = plan.day_of()
    assert sorted(day_of) == list(range(6))
    for i, day in day_of.items():
        assert day in allowed[i]
    assert sum(len(r.stops) for r in plan.routes) == 6


def test_optional_stop_not_worth_the_detour_is_skipped_with_the_reason() -> None:
    """A far optional stop with a small value is skipped and the detour cost is given."""
    d, t = _line(3, step_m=10_000)
    prods = [Producer("near", "Near", 0, 0, 52.0), Producer("mid", "Mid", 0, 0, 52.0),
             Producer("far", "Far", 0, 0, 52.0, optional=True, prize=1.0)]
    plan = solve_instance(_instance(prods, d, t), FAST)
    assert [s.stop_id for s in plan.skipped] == ["far"]
    assert "does not pay for the detour" in plan.skipped[0].reason
    rich = [*prods[:2], Producer("far", "Far", 0, 0, 52.0, optional=True, prize=10_000.0)]
    assert not solve_instance(_instance(rich, d, t), FAST).skipped


def test_too_little_capacity_serves_what_fits_and_says_why() -> None:
    """When required stops cannot all fit, the plan is relaxed and each skip is explained."""
    d, t = _line(4)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 6.0 * 52) for i in range(1, 5)]
    plan = solve_instance(_instance(prods, d, t, Fleet(vehicles=1, capacity=10)), FAST)
    assert plan.relaxed and plan.feasible
    assert len(plan.served) == 1 and len(plan.skipped) == 3
    assert all("vehicles are full" in s.reason and "6.00 t" in s.reason for s in plan.skipped)


def test_two_seeds_run_side_by_side() -> None:
    """With two workers both seeds report a cost and the best one is kept."""
    d, t = _line(6)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0) for i in range(1, 7)]
    plan = solve_instance(_instance(prods, d, t),
                          SolverOptions(time_limit_s=1.0, seeds=(0, 1), workers=2,
                                        only_free_cores=False))
    assert len(plan.seed_costs) == 2
    assert plan.cost == pytest.approx(min(plan.seed_costs), rel=1e-9)


def test_second_seed_waits_for_a_free_core(monkeypatch) -> None:
    """On a machine with no idle core only the first seed runs."""
    from geo.routing import solve as solve_mod

    monkeypatch.setattr(solve_mod, "_free_cores", lambda sample_s=0.2: 0.4)
    d, t = _line(3)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0) for i in range(1, 4)]
    plan = solve_instance(_instance(prods, d, t),
                          SolverOptions(time_limit_s=0.3, seeds=(0, 1), workers=2))
    assert len(plan.seed_costs) == 1


def test_progress_is_reported_while_solving() -> None:
    """The progress callback receives growing elapsed times within the limit."""
    d, t = _line(8)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0) for i in range(1, 9)]
    seen = []
    solve_instance(_instance(prods, d, t),
                   SolverOptions(time_limit_s=1.0, seeds=(0,), progress_interval_s=0.1),
                   progress=seen.append)
    assert len(seen) >= 3
    assert all(0 <= p.fraction <= 1 for p in seen)
    assert seen[-1].elapsed_s > seen[0].elapsed_s and seen[-1].feasible


def test_known_optimum_of_a_cvrplib_instance(bench_dir) -> None:
    """A-n32-k5 is solved to its proven optimum of 784 through the app's own solver path."""
    path = bench_dir / "vrp" / "cvrp" / "A-n32-k5.vrp"
    if not path.exists():
        pytest.skip(f"{path} not found")
    bench = read_instance(path)
    plan = solve_instance(bench.instance, SolverOptions(time_limit_s=3.0, seeds=(0,),
                                                        relax_if_infeasible=False))
    assert plan.feasible and not plan.skipped
    assert bench.cost_of(plan.distance_m) == 784


def test_search_settings_reach_both_seeds(monkeypatch) -> None:
    """Each seed gets its own neighbourhood size, perturbation strength and fleet squeeze —
    the first in this process, the second in its worker process — as the options list them
    (by default the second seed tries one vehicle fewer after 30 % of the time)."""
    import pickle

    from geo.routing import solve as solve_mod
    from geo.routing import worker

    params = worker.search_params(num_neighbours=7, max_perturbations=3)
    assert params.neighbourhood.num_neighbours == 7
    assert params.perturbation.max_perturbations == 3
    assert SolverOptions().search(0) == {"num_neighbours": 50, "max_perturbations": 25,
                                         "squeeze_at": 0.0}
    assert SolverOptions().search(1) == {"num_neighbours": 30, "max_perturbations": 10,
                                         "squeeze_at": 0.3}

    seen: list[dict] = []
    real = solve_mod.search_params
    monkeypatch.setattr(solve_mod, "search_params",
                        lambda **kw: seen.append(kw) or real(**kw))
    started = solve_mod._start_workers
    jobs_in: list = []

    def start(data, seeds, deadline, searches, folder):
        jobs = started(data, seeds, deadline, searches, folder)
        jobs_in.extend(pickle.loads(f.read_bytes()) for f in sorted(folder.glob("in-*.pkl")))
        return jobs

    monkeypatch.setattr(solve_mod, "_start_workers", start)
    d, t = _line(5)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 52.0) for i in range(1, 6)]
    plan = solve_instance(_instance(prods, d, t),
                          SolverOptions(time_limit_s=0.5, seeds=(0, 1), workers=2,
                                        only_free_cores=False, searches=((4, 2), (6, 3))))
    assert len(plan.seed_costs) == 2
    assert (seen[0]["num_neighbours"], seen[0]["max_perturbations"]) == (4, 2)
    assert [(job[1], job[3]) for job in jobs_in] == [
        (1, {"num_neighbours": 6, "max_perturbations": 3, "squeeze_at": 0.3})]


@pytest.mark.parametrize("searches", [(), ((0, 10),), ((30, 0),), ((30,),), (30, 10)])
def test_search_settings_must_be_positive_pairs(searches) -> None:
    """An empty list, a zero, a lone number or one flat pair is refused with an example of
    what to give."""
    from geo.errors import RoutingError

    with pytest.raises(RoutingError, match="searches takes pairs"):
        SolverOptions(searches=searches)


def test_a_seed_that_tries_one_vehicle_fewer_still_serves_every_stop() -> None:
    """The fleet squeeze (geo.routing.worker.solve_seed): where one vehicle fewer is too
    small for the loads, the search goes back to the full fleet and still serves every
    stop; where it fits, the plan never uses more vehicles than the capacity bound needs
    plus the one it settled on. Both return feasible plans of every client."""
    import time

    from geo.routing.solve import encode
    from geo.routing.worker import fleet_bound, solve_seed

    d, t = _line(6)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 4.0 * 52, service_s=60) for i in range(1, 7)]
    for capacity in (8.0, 24.0):  # 24 t of loads: at least 3 vehicles, then at least 1
        inst = _instance(prods, d, t, Fleet(vehicles=4, capacity=capacity))
        data = encode(inst).data
        search = {"num_neighbours": 30, "max_perturbations": 10, "squeeze_at": 0.3}
        _seed, best, _iters = solve_seed(data, 0, time.time() + 1.0, search)
        assert best.is_feasible()
        served = [a.idx for r in best.routes() for a in r.schedule() if not a.is_depot()]
        assert len(served) == len(set(served)) == data.num_clients
        assert best.num_routes() >= (fleet_bound(data) or 1)


def test_a_search_settled_on_too_many_routes_is_solved_again_with_one_fewer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After the first share of its time the seed solves again with at most K − 1 vehicles
    (K the routes of its plan so far) and keeps the cheaper plan; a round of several days
    (a vehicle type per day) is searched whole, once."""
    import time

    from pyvrp import Solution

    from geo.routing import worker
    from geo.routing.solve import encode

    d, t = _line(6)
    prods = [Producer(f"s{i}", f"S{i}", 0, 0, 4.0 * 52, service_s=60) for i in range(1, 7)]
    data = encode(_instance(prods, d, t, Fleet(vehicles=4, capacity=24.0))).data
    clients = list(range(data.num_clients))
    three = Solution(data, [clients[0:2], clients[2:4], clients[4:6]])  # feasible, 3 routes
    fleets: list[int] = []
    real = worker._solve

    def spy(data_, stop, seed, search, initial=None):  # type: ignore[no-untyped-def]
        fleets.append(sum(vt.num_available for vt in data_.vehicle_types()))
        return (three, 1) if len(fleets) == 1 else real(data_, stop, seed, search, initial)

    monkeypatch.setattr(worker, "_solve", spy)
    search = {"num_neighbours": 30, "max_perturbations": 10, "squeeze_at": 0.3}
    _seed, best, _iters = worker.solve_seed(data, 0, time.time() + 1.0, search)
    assert fleets == [4, 2]  # the whole fleet, then one vehicle fewer than the 3 routes
    assert best.is_feasible() and best.num_routes() <= 2
    assert best.distance() <= three.distance()

    fleets.clear()
    days = encode(_instance(prods, d, t, Fleet(vehicles=4, capacity=24.0),
                            days=("mon", "tue"))).data
    monkeypatch.setattr(worker, "_solve", lambda *a, **k: (fleets.append(0) or real(*a, **k)))
    worker.solve_seed(days, 0, time.time() + 0.5, search)
    assert fleets == [0]  # one whole search: no split, no squeeze


def test_the_squeezed_search_gives_up_without_a_feasible_plan() -> None:
    """The stop of the search with one vehicle fewer: at the deadline always, and at the
    give-up time only while no feasible plan was found (PyVRP's cost of an infeasible one is
    the largest integer)."""
    import sys
    import time

    from geo.routing.worker import _UntilOrNoFeasible

    now = time.time()
    waiting = _UntilOrNoFeasible(deadline=now + 60, give_up=now + 30)
    assert not waiting(sys.maxsize) and not waiting(1234.0)
    given_up = _UntilOrNoFeasible(deadline=now + 60, give_up=now - 1)
    assert given_up(sys.maxsize) and not given_up(1234.0)
    assert _UntilOrNoFeasible(deadline=now - 1, give_up=now + 30)(1234.0)


@pytest.mark.parametrize("squeeze", [(), (1.0,), (-0.1, 0.3), (0.0, float("nan"))])
def test_fleet_squeeze_must_be_shares_below_one(squeeze) -> None:
    """No share, a whole time limit (nothing left for the squeezed search), a negative or a
    missing share is refused with an example."""
    from geo.errors import RoutingError

    with pytest.raises(RoutingError, match=r"fleet_squeeze takes shares.*\(0\.0, 0\.3\)"):
        SolverOptions(fleet_squeeze=squeeze)
