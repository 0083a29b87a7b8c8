"""Tests of the Cordeau PVRP reader, re-costing, checker and .res files.

(benchmarks.formats.pvrp)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.formats.pvrp import (
    PvrpData,
    PvrpRoute,
    check,
    combination_days,
    read_pvrp,
    read_res,
    recost,
    to_instance,
    write_res,
)

TINY = """1 1 2 2
0 10
0 10
 0 0 0 0 0 0 0
 1 3 0 1 4 1 2 1 2
 2 0 4 0 5 2 1 3
"""
"""Two days, one vehicle of capacity 10; customer 1 at (3, 0), 1 time unit of service, once on
either day; customer 2 at (0, 4) on both days (combination 3 = 0b11)."""


@pytest.fixture
def tiny(tmp_path: Path) -> PvrpData:
    """The hand-made instance above, read from a file."""
    path = tmp_path / "tiny.txt"
    path.write_text(TINY)
    return read_pvrp(path)


def test_combination_bits_read_left_to_right() -> None:
    """The leftmost of t binary digits is day 1 (p01's dummy customer fits only so)."""
    assert combination_days(2, 2) == (0,)
    assert combination_days(1, 2) == (1,)
    assert combination_days(10, 4) == (0, 2)
    assert combination_days(63, 6) == (0, 1, 2, 3, 4, 5)


def test_reader_gives_days_frequencies_and_patterns(tiny: PvrpData) -> None:
    """The tiny file reads as 2 customers over 2 days with their combinations."""
    assert (tiny.vehicles, tiny.n_days, tiny.n_customers) == (1, 2, 2)
    assert tiny.patterns[1] == ((1,), (0,)) and tiny.patterns[2] == ((0, 1),)
    assert list(tiny.frequency) == [0, 1, 2]


def test_recost_is_euclidean_and_unrounded(tiny: PvrpData) -> None:
    """0→1→2→0 is 3 + 5 + 4 = 12; 0→2→0 is 8: 20 in all."""
    routes = [PvrpRoute(0, 1, (1, 2)), PvrpRoute(1, 1, (2,))]
    assert recost(tiny, routes) == pytest.approx(20.0)
    assert check(tiny, routes) == []


def test_checker_catches_a_customer_visited_too_often(tiny: PvrpData) -> None:
    """Customer 1 (frequency 1) visited on both days is reported."""
    routes = [PvrpRoute(0, 1, (1, 2)), PvrpRoute(1, 1, (1, 2))]
    problems = check(tiny, routes)
    assert any("customer 1: visited 2 time(s), frequency 1" in p for p in problems)


def test_checker_catches_wrong_days_capacity_and_vehicles(tiny: PvrpData) -> None:
    """Twice on one day, an overloaded route and too many routes on a day are each reported."""
    problems = check(tiny, [PvrpRoute(0, 1, (2, 2, 1)), PvrpRoute(0, 2, ())])
    assert any("visited twice on one day" in p for p in problems)
    assert any("load 14 > capacity 10" in p for p in problems)
    assert any("2 routes > 1 vehicles" in p for p in problems)


def test_checker_catches_a_combination_not_allowed(tmp_path: Path) -> None:
    """A customer whose only combination is day 1 but is served on day 2 is reported."""
    path = tmp_path / "fixed.txt"
    path.write_text(TINY.replace(" 1 3 0 1 4 1 2 1 2", " 1 3 0 1 4 1 1 2"))
    data = read_pvrp(path)
    problems = check(data, [PvrpRoute(1, 1, (1, 2)), PvrpRoute(0, 1, (2,))])
    assert problems == ["customer 1: days [2] are not an allowed combination"]


def test_checker_catches_a_duration_over_the_limit(tmp_path: Path) -> None:
    """Route duration counts service time: 12 km + 2 × 1 service > a limit of 13."""
    path = tmp_path / "dur.txt"
    text = TINY.replace("0 10\n0 10", "13 10\n13 10")
    path.write_text(text.replace(" 2 0 4 0 5", " 2 0 4 1 5"))
    data = read_pvrp(path)
    problems = check(data, [PvrpRoute(0, 1, (1, 2)), PvrpRoute(1, 1, (2,))])
    assert problems == ["day 1 vehicle 1: duration 14.0000 > limit 13"]


def test_res_round_trip(tiny: PvrpData, tmp_path: Path) -> None:
    """A written .res file reads back with the same routes and the re-costed total first."""
    routes = [PvrpRoute(0, 1, (1, 2)), PvrpRoute(1, 1, (2,))]
    path = tmp_path / "tiny.res"
    write_res(path, tiny, routes)
    stated, back = read_res(path)
    assert stated == pytest.approx(20.0)
    assert back == routes
    # day, vehicle, duration (12 driven + 1 service at customer 1), load
    assert path.read_text().splitlines()[1].split()[:4] == ["1", "1", "13.00", "9"]


def test_instance_for_the_planner_is_scaled_and_rounded_up(tiny: PvrpData) -> None:
    """Distances ×1000 rounded, durations rounded up, one vehicle class per day."""
    inst = to_instance(tiny)
    assert inst.distance[0, 1] == 3000 and inst.duration[1, 2] == 5000
    assert [v.days for v in inst.vehicles] == [(0,), (1,)]
    assert inst.stops[1].patterns == ((0, 1),)
    assert inst.stops[0].pickups == (((4000,),), ((4000,),))


def test_shared_bks_files_verify(bench_dir: Path) -> None:
    """The distributed p02 and p14 solutions re-cost to their best-known values and check."""
    for name, bks in (("p02", 1322.87), ("p14", 954.81)):
        data = read_pvrp(bench_dir / "pvrp" / f"{name}.txt")
        _, routes = read_res(bench_dir / "pvrp" / f"{name}.res")
        assert check(data, routes) == []
        assert recost(data, routes) == pytest.approx(bks, abs=0.005)


def test_p01_dummy_customer_is_reported_missing(bench_dir: Path) -> None:
    """p01's distributed routes leave out its dummy customer 51 (SOURCE.md)."""
    data = read_pvrp(bench_dir / "pvrp" / "p01.txt")
    _, routes = read_res(bench_dir / "pvrp" / "p01.res")
    assert check(data, routes) == ["customer 51: visited 0 time(s), frequency 1"]
    assert np.isclose(data.demand[51], 160.0)
