"""Tests of the independent CVRP/VRPTW re-costing, checks and .sol files.

(benchmarks.formats.checks)
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

from benchmarks.formats.checks import (
    CheckInstance,
    check_solution,
    edge_units,
    format_solution,
    read_check_instance,
    read_solution,
    write_solution,
)

TINY_VRP = """NAME : tiny
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 0
3 3 4
4 0 4
DEMAND_SECTION
1 0
2 4
3 4
4 4
DEPOT_SECTION
1
-1
EOF
"""
"""A depot at the origin and three clients at the corners of a 3 × 4 rectangle, demand 4 each,
capacity 10 (so at most two clients per route)."""

TINY_SOLOMON = """tiny

VEHICLE
NUMBER     CAPACITY
  2         10

CUSTOMER
CUST NO.   XCOORD.    YCOORD.    DEMAND   READY TIME   DUE DATE   SERVICE TIME

    0          0          0          0          0        100          0
    1          3          0          4         10         20          5
    2          3          4          4          0         20          5
    3          1          1          4          0         50          0
"""
"""Solomon layout: depot at the origin, horizon 100, two vehicles of capacity 10; client 1
opens at 10 (a vehicle arriving at 3 waits), client 2 closes at 20, client 3 sits at (1, 1)."""


@pytest.fixture
def tiny_cvrp(tmp_path: Path) -> CheckInstance:
    """The hand-made CVRP above, read from a file."""
    path = tmp_path / "tiny.vrp"
    path.write_text(TINY_VRP)
    return read_check_instance(path)


@pytest.fixture
def tiny_vrptw(tmp_path: Path) -> CheckInstance:
    """The hand-made Solomon instance above, read from a file."""
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_SOLOMON)
    return read_check_instance(path)


@pytest.mark.parametrize(("b", "nint", "tenths"), [
    ((3, 4), 5, 50),      # exact
    ((1, 1), 1, 14),      # √2 = 1.414…
    ((1, 2), 2, 22),      # √5 = 2.236…
    ((3, 3), 4, 42),      # √18 = 4.243…
    ((2, 3), 4, 36),      # √13 = 3.606… rounds up
    ((7, 7), 10, 98),     # √98 = 9.899… rounds up, truncates down
    ((0, 0), 0, 0),
])
def test_edge_units_round_and_truncate_as_the_sets_do(b: tuple[int, int], nint: int,
                                                      tenths: int) -> None:
    """CVRP rounds the Euclidean distance to the nearest integer; Solomon truncates to tenths."""
    assert edge_units("CVRP", (0, 0), b) == nint
    assert edge_units("VRPTW", (0, 0), b) == tenths


def test_edge_units_of_fractional_coordinates_follow_the_same_rules() -> None:
    """Non-integer coordinates fall back to floating point with the same rounding."""
    assert edge_units("CVRP", (0.0, 0.0), (0.5, 0.0)) == 1
    assert edge_units("VRPTW", (0.0, 0.0), (0.25, 0.0)) == 2


def test_vrplib_reader_keeps_depot_first(tiny_cvrp: CheckInstance) -> None:
    """The reader numbers the depot 0 and clients 1..n with their demands and the capacity."""
    assert tiny_cvrp.kind == "CVRP" and tiny_cvrp.n_clients == 3
    assert tiny_cvrp.demand.tolist() == [0, 4, 4, 4] and tiny_cvrp.capacity == 10
    assert tiny_cvrp.vehicles is None


def test_cvrp_routes_are_recosted_by_hand(tiny_cvrp: CheckInstance) -> None:
    """0→1→2→0 costs 3 + 4 + 5 and 0→3→0 costs 4 + 4: 20 in all."""
    check = check_solution(tiny_cvrp, [[1, 2], [3]])
    assert check.feasible and check.problems == ()
    assert check.cost == 20.0 and check.n_routes == 2


def test_capacity_is_checked(tiny_cvrp: CheckInstance) -> None:
    """Three clients of 4 on one vehicle of 10 is refused with the load and the capacity."""
    check = check_solution(tiny_cvrp, [[1, 2, 3]])
    assert not check.feasible
    assert check.problems == ("route 1 carries 12, over the capacity 10",)


def test_missing_duplicate_and_unknown_clients_are_reported(tiny_cvrp: CheckInstance) -> None:
    """A client left out, one served twice and a number outside 1..n each make it infeasible."""
    check = check_solution(tiny_cvrp, [[1], [1, 2], [7]])
    assert not check.feasible
    assert any("unknown clients [7]" in p for p in check.problems)
    assert any("1 clients not visited, e.g. [3]" in p for p in check.problems)
    assert any("visited more than once, e.g. [1]" in p for p in check.problems)


def test_empty_routes_are_ignored(tiny_cvrp: CheckInstance) -> None:
    """Empty routes cost nothing and are not counted."""
    assert check_solution(tiny_cvrp, [[], [1, 2], [], [3]]).n_routes == 2


def test_solomon_reader_keeps_times_in_tenths(tiny_vrptw: CheckInstance) -> None:
    """Windows and service times are read in tenths; fleet size and capacity from VEHICLE."""
    assert tiny_vrptw.kind == "VRPTW" and tiny_vrptw.vehicles == 2
    assert tiny_vrptw.capacity == 10
    assert tiny_vrptw.ready is not None and tiny_vrptw.ready.tolist() == [0, 100, 0, 0]
    assert tiny_vrptw.due is not None and tiny_vrptw.due.tolist() == [1000, 200, 200, 500]
    assert tiny_vrptw.service is not None and tiny_vrptw.service.tolist() == [0, 50, 50, 0]


def test_solomon_waits_for_a_window_to_open(tiny_vrptw: CheckInstance) -> None:
    """0→1 arrives at 3, waits until 10, serves to 15, reaches 2 at 19 (≤ 20): feasible.

    Cost 3 + 4 + 5 = 12 for that route and 1.4 + 1.4 for 0→3→0: 14.8.
    """
    check = check_solution(tiny_vrptw, [[1, 2], [3]])
    assert check.feasible, check.problems
    assert check.cost == pytest.approx(14.8)


def test_solomon_late_arrival_is_reported(tiny_vrptw: CheckInstance, tmp_path: Path) -> None:
    """0→2→1 is on time (2 at 5, 1 at 14); with 2 closing at 18, 0→1→2 (2 at 19) is late."""
    assert check_solution(tiny_vrptw, [[2, 1], [3]]).feasible
    path = tmp_path / "tight.txt"
    path.write_text(TINY_SOLOMON.replace("0         20          5\n    3",
                                         "0         18          5\n    3"))
    check = check_solution(read_check_instance(path), [[1, 2], [3]])
    assert check.problems == ("route 1 reaches client 2 at 19, after its due time 18",)


def test_solomon_depot_due_time_and_fleet_size(tmp_path: Path) -> None:
    """A return after the depot closes, and more routes than vehicles, are both reported."""
    path = tmp_path / "late.txt"
    path.write_text(TINY_SOLOMON.replace("0        100          0", "0         16          0"))
    inst = read_check_instance(path)
    problems = check_solution(inst, [[1], [2], [3]]).problems
    assert "route 1 reaches the depot at 18, after its due time 16" in problems
    assert "3 routes, more than the 2 vehicles" in problems


def test_sol_files_round_trip(tmp_path: Path) -> None:
    """Written routes are numbered from 1 with empty ones left out, and read back the same."""
    path = write_solution(tmp_path / "a" / "x.sol", "CVRP", [[3, 1], [], [2]], 20.0)
    assert path.read_text() == "Route #1: 3 1\nRoute #2: 2\nCost 20\n"
    assert read_solution(path) == ([[3, 1], [2]], 20.0)
    assert format_solution("VRPTW", [[1]], 14.8) == "Route #1: 1\nCost 14.8\n"


def test_instance_built_in_code_checks_like_one_read() -> None:
    """A CheckInstance made in code needs no file (the docstring's two-client case)."""
    inst = CheckInstance("t", "CVRP", np.array([[0, 0], [3, 0], [0, 4]]), np.array([0, 3, 3]),
                         capacity=6)
    assert check_solution(inst, [[1, 2]]).cost == 12.0


BENCH = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                            Path(__file__).resolve().parents[3] / "shared" / "bench")) / "vrp"


@pytest.mark.skipif(not (BENCH / "bks.csv").exists(), reason="benchmark data not present")
def test_published_solutions_recost_to_their_best_known_values() -> None:
    """Every shipped .sol re-costs to bks.csv, feasible — except B-n50-k8, whose file is flawed.

    B-n50-k8.sol serves client 2 twice and never client 3 (bks.csv notes 1319 for its routes
    against the published optimum 1312).
    """
    bks = {r["instance"]: float(r["bks"]) for r in csv.DictReader((BENCH / "bks.csv").open())}
    paths = sorted(BENCH.glob("cvrp/*.vrp")) + sorted(BENCH.glob("vrptw/*.txt"))
    assert len(paths) == len(bks)
    for p in paths:
        routes, stated = read_solution(p.with_suffix(".sol"))
        check = check_solution(read_check_instance(p), routes)
        if p.stem == "B-n50-k8":
            assert check.cost == 1319 and not check.feasible
            continue
        assert check.feasible, (p.stem, check.problems)
        assert check.cost == pytest.approx(bks[p.stem]) == stated
