"""The p-median solver: brute-force optima on small instances, certificates, OR-Library pmed1."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from benchmarks.formats.orlib import read_orlib_pmed
from geo.errors import SitingError
from geo.siting.pmedian import PMedianParams, solve_pmedian


def _brute_force(cost: np.ndarray, p: int) -> float:
    """The exact optimum by trying every set of p columns."""
    return min(float(cost[:, list(s)].min(axis=1).sum())
               for s in itertools.combinations(range(cost.shape[1]), p))


def _instance(seed: int, n: int = 14) -> np.ndarray:
    """Integer road-like distances between random points (demand = candidates)."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, size=(n, 2))
    return np.rint(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) * 1.3)


@pytest.mark.parametrize("exact", ["branch-and-bound", "milp"])
@pytest.mark.parametrize(("seed", "p"), [(0, 2), (1, 3), (2, 4), (3, 5), (10, 5), (11, 3)])
def test_matches_brute_force_optimum(seed: int, p: int, exact: str) -> None:
    """On a hand-made 14-point instance the solver returns the enumerated optimum, proven."""
    cost = _instance(seed)
    res = solve_pmedian(cost, p, params=PMedianParams(exact=exact))
    assert res.objective == pytest.approx(_brute_force(cost, p))
    assert res.proven_optimal
    assert res.lower_bound == pytest.approx(res.objective)
    assert len(res.facilities) == p


@pytest.mark.parametrize("exact", ["branch-and-bound", "milp"])
def test_gap_left_by_the_bound_is_closed_by_the_exact_stage(exact: str) -> None:
    """Where the Lagrangian bound leaves a gap, the exact stage proves the enumerated optimum."""
    cost = _instance(11)
    res = solve_pmedian(cost, 3, params=PMedianParams(exact=exact))
    assert res.method == exact
    assert res.log["subgradient_lb"] < res.objective - 1
    assert res.objective == pytest.approx(_brute_force(cost, 3)) and res.proven_optimal


def test_tiny_hand_instance_known_answer() -> None:
    """Two clusters, two medians: one site per cluster, objective the within-cluster costs."""
    cost = np.array([[0, 1, 9, 9], [1, 0, 9, 9], [9, 9, 0, 2], [9, 9, 2, 0]], float)
    res = solve_pmedian(cost, 2)
    assert res.objective == 3.0
    assert set(res.assignment[:2]) <= {0, 1} and set(res.assignment[2:]) <= {2, 3}


def test_lower_bound_never_exceeds_optimum_without_exact_stage() -> None:
    """With the exact stage off, the Lagrangian bound is still a valid bound on the optimum."""
    for seed in range(4):
        cost = _instance(seed, n=16)
        res = solve_pmedian(cost, 3, params=PMedianParams(exact="none"))
        assert res.lower_bound <= _brute_force(cost, 3) + 1e-9
        assert res.objective >= _brute_force(cost, 3) - 1e-9


def test_weights_scale_rows() -> None:
    """Weighted demand pulls the median towards the heavy row."""
    cost = np.array([[0.0, 10.0], [10.0, 0.0]])
    res = solve_pmedian(cost, 1, weights=np.array([1.0, 5.0]))
    assert res.facilities.tolist() == [1]
    assert res.objective == 10.0


def test_non_integer_costs_are_certified() -> None:
    """Fractional costs are solved and certified with the relative tolerance."""
    cost = _instance(5) / 7.0
    res = solve_pmedian(cost, 3)
    assert res.objective == pytest.approx(_brute_force(cost, 3))
    assert res.proven_optimal


@pytest.mark.parametrize(("p", "match"), [(0, "between 1"), (9, "between 1")])
def test_bad_p_is_refused(p: int, match: str) -> None:
    """Asking for more medians than candidates (or none) says how many are possible."""
    with pytest.raises(SitingError, match=match):
        solve_pmedian(np.ones((3, 3)), p)


def test_infinite_costs_are_refused() -> None:
    """Unreachable pairs must be handled by the caller, with a message saying so."""
    cost = np.array([[0.0, np.inf], [1.0, 0.0]])
    with pytest.raises(SitingError, match="finite"):
        solve_pmedian(cost, 1)


def test_orlib_last_duplicate_edge_counts(tmp_path: Path) -> None:
    """A repeated edge takes its last cost, as the OR-Library optima require."""
    f = tmp_path / "tiny.txt"
    f.write_text("3 3 1\n1 2 5\n2 3 4\n1 2 9\n")
    dist, p = read_orlib_pmed(f)
    assert p == 1
    assert dist[0, 1] == 9 and dist[0, 2] == 13


def test_pmed1_optimum(bench_dir: Path) -> None:
    """OR-Library pmed1 is solved to its published optimum 5819, with a proof."""
    path = bench_dir / "pmed" / "pmed1.txt"
    if not path.exists():
        pytest.skip("pmed1.txt not in the shared benchmark data")
    dist, p = read_orlib_pmed(path)
    res = solve_pmedian(dist, p)
    assert res.objective == 5819
    assert res.proven_optimal and res.lower_bound == 5819
