"""Tests of the p-median benchmark's helpers (benchmarks/pmedian_reference.py) on hand-made cases.

The weighted case: four clients on a line at 0, 1, 3 and 6 with 1.5, 2, 0.5 and 3.25 tonnes,
every client a candidate site, cost = distance × tonnes. By hand, one site costs 23.0, 18.75,
18.25 or 20.5 (best: the client at 3); two sites cost 17.25 {0, 1}, 11.75 {0, 3}, 3.5 {0, 6},
11.25 {1, 3}, 2.5 {1, 6} and 8.5 {3, 6} (best: the clients at 1 and 6).
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.pmedian_reference import (
    Spread,
    bound_proves,
    demand_weights,
    gap_pct,
    highs_reference,
    is_integral,
    select_instances,
)
from geo.siting.pmedian import solve_pmedian

X = np.array([0.0, 1.0, 3.0, 6.0])
TONNES = np.array([1.5, 2.0, 0.5, 3.25])
DIST = np.abs(X[:, None] - X[None, :])
HAND = {1: (18.25, [2]), 2: (2.5, [1, 3])}


@pytest.mark.parametrize("p", [1, 2])
def test_highs_reference_finds_the_hand_optimum(p: int) -> None:
    """HiGHS with its defaults solves the weighted 4-client instance to the optimum by hand."""
    run = highs_reference(DIST * TONNES[:, None], p, time_limit_s=10.0)
    assert run.optimal and run.status == "Optimal"
    assert run.objective == pytest.approx(HAND[p][0])
    assert run.bound == pytest.approx(HAND[p][0])
    assert run.mip_gap == pytest.approx(0.0, abs=1e-9) and run.time_s > 0


@pytest.mark.parametrize("p", [1, 2])
def test_weighted_solve_matches_the_hand_optimum(p: int) -> None:
    """The solver, given the tonnes as weights as the benchmark does, returns the hand optimum
    with a bound that proves it under the non-integer rule."""
    res = solve_pmedian(DIST, p, weights=TONNES)
    assert res.objective == pytest.approx(HAND[p][0])
    assert res.facilities.tolist() == HAND[p][1]
    assert not is_integral(DIST * TONNES[:, None])
    assert bound_proves(res.objective, res.lower_bound, integral=False)


def test_sub_unit_costs_are_not_pruned_as_integers() -> None:
    """With every cost below 1 (the instance in tenths), the optimum 0.25 is still found and
    proven: pruning at 'incumbent − 1' would accept anything."""
    res = solve_pmedian(DIST / 10, 2, weights=TONNES)
    assert res.objective == pytest.approx(0.25) and res.facilities.tolist() == [1, 3]
    assert res.proven_optimal and res.lower_bound == pytest.approx(0.25)


@pytest.mark.parametrize(("objective", "bound", "integral", "proves"), [
    (10.0, 10.0, False, True),           # the bound meets the objective
    (10.0, 10.0 - 1e-12, False, True),   # within the 1e-9 relative tolerance
    (10.0, 9.99, False, False),          # a real gap for non-integer costs
    (10.0, 9.2, True, True),             # integer optimum > 9.2 → ≥ 10
    (10.0, 9.0, True, False),            # 9 itself could be the optimum
    (10.0, float("-inf"), True, False),  # no bound
    (float("nan"), 5.0, False, False),   # no solution
])
def test_bound_proves(objective: float, bound: float, integral: bool, proves: bool) -> None:
    """Only a bound close enough to the objective (or above objective − 1 for integer costs)
    counts as a proof."""
    assert bound_proves(objective, bound, integral=integral) is proves


def test_gap_pct() -> None:
    """The gap is relative to the reference, in per cent."""
    assert gap_pct(101.0, 100.0) == pytest.approx(1.0)
    assert gap_pct(0.0, 0.0) == 0.0


def test_demand_weights_are_reproducible_and_not_integers() -> None:
    """The same seed gives the same tonnes, another seed others; tonnes are positive fractions."""
    a, b = demand_weights(200, seed=7), demand_weights(200, seed=7)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, demand_weights(200, seed=8))
    assert (a > 0).all() and not is_integral(a)
    assert 10 < np.median(a) < 40  # lognormal(3, 1): median e^3 ≈ 20 t


@pytest.mark.parametrize(("spec", "expected"), [
    ("pmed2-3,pmed9", ["pmed2", "pmed3", "pmed9"]),
    ("pmed3-pmed4", ["pmed3", "pmed4"]),
    ("pmed9,pmed1", ["pmed1", "pmed9"]),
    ("all", ["pmed1", "pmed2", "pmed3", "pmed4", "pmed9"]),
    ("none", []),
    ("", []),
    ("pmed7", []),
])
def test_select_instances(spec: str, expected: list[str]) -> None:
    """Names and ranges pick instances in the listed order; unknown names pick nothing."""
    assert select_instances(spec, ["pmed1", "pmed2", "pmed3", "pmed4", "pmed9"]) == expected


def test_spread() -> None:
    """A spread is the median with min and max, printed as 'median [min–max]'."""
    s = Spread.of([3.0, 1.0, 2.0, 10.0])
    assert (s.median, s.low, s.high) == (2.5, 1.0, 10.0)
    assert str(Spread.of([0.5, 0.25, 1.0])) == "0.50 [0.25–1.00]"
