"""The Lagrangian branch-and-bound (geo.siting.bnb): its pruning rule for non-integer costs.

Four clients on a line at 0, 1, 3 and 6 with 0.15, 0.2, 0.05 and 0.325 tonnes (cost = distance
× tonnes, all below 1): the best two sites are the clients at 1 and 6 (0.25 by hand), the
second best those at 0 and 6 (0.35).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from geo.siting.bnb import lagrangian_bnb

X = np.array([0.0, 1.0, 3.0, 6.0])
COST = np.abs(X[:, None] - X[None, :]) * np.array([0.15, 0.2, 0.05, 0.325])[:, None]


def test_non_integer_search_beats_an_incumbent_less_than_one_above() -> None:
    """Started from the 0.35 solution, the search finds the 0.25 optimum: a node is pruned only
    when its bound reaches the incumbent, not 'incumbent − 1' as for integer costs."""
    out = lagrangian_bnb(COST, 2, np.zeros(4), forced=np.zeros(4, bool), ub=0.35,
                         ub_sites=np.array([0, 3]), integral=False,
                         deadline=time.perf_counter() + 10.0)
    assert out.complete
    assert out.objective == pytest.approx(0.25)
    assert out.sites is not None and sorted(out.sites.tolist()) == [1, 3]
    assert out.lower_bound == pytest.approx(0.25)

