"""The Lagrangian branch-and-bound (geo.siting.bnb): its pruning rule for non-integer costs,
and a tree shared with a second process.

Four clients on a line at 0, 1, 3 and 6 with 0.15, 0.2, 0.05 and 0.325 tonnes (cost = distance
× tonnes, all below 1): the best two sites are the clients at 1 and 6 (0.25 by hand), the
second best those at 0 and 6 (0.35).
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import numpy as np
import pytest

from geo.siting import bnb
from geo.siting.bnb import lagrangian_bnb
from geo.siting.pmedian import PMedianParams, solve_pmedian

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



# Uniform random costs leave the Lagrangian bound a gap, so the tree has hundreds of nodes.
RANDOM = np.random.default_rng(0).integers(0, 100, (60, 60)).astype(float)
TWO = PMedianParams(workers=2, split_after_s=0.0, only_free_cores=False)


def brute_force(cost: np.ndarray, p: int) -> float:
    """The optimum by trying every set of ``p`` sites."""
    sets = np.array(list(itertools.combinations(range(cost.shape[1]), p)))
    return min(float(cost[:, chunk].min(axis=2).sum(axis=0).min())
               for chunk in np.array_split(sets, max(1, len(sets) // 40_000)))


def test_two_processes_find_and_prove_the_same_optimum_as_one_and_as_enumeration() -> None:
    """The tree shared with a worker process from its first branching gives the optimum that
    one process and trying all 487,635 sets give, proven; both processes' nodes are counted."""
    one = solve_pmedian(RANDOM, 4, params=PMedianParams(workers=1))
    two = solve_pmedian(RANDOM, 4, params=TWO)
    assert one.log["nodes"] > 50 and one.log["bnb_processes"] == 1
    assert two.log["bnb_processes"] == 2 and two.log["nodes"] > 50
    assert two.proven_optimal and one.proven_optimal
    assert two.objective == one.objective == brute_force(RANDOM, 4)
    assert RANDOM[:, two.facilities].min(axis=1).sum() == two.objective


def test_a_worker_that_dies_hands_its_nodes_back(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker process that exits at once: the nodes it was handed come back and the search
    goes on alone, to the same proven optimum."""
    broken = tmp_path / "worker.py"
    broken.write_text("raise SystemExit(3)\n")
    monkeypatch.setattr(bnb, "_WORKER", broken)
    optimum = solve_pmedian(RANDOM, 4, params=PMedianParams(workers=1)).objective
    res = solve_pmedian(RANDOM, 4, params=TWO)
    assert res.log["bnb_processes"] == 2
    assert res.proven_optimal and res.objective == optimum


def test_a_shared_tree_stopped_by_the_deadline_keeps_a_valid_bound() -> None:
    """Out of time with both processes busy: the bound covers the open nodes of both sides."""
    cost = np.random.default_rng(3).integers(0, 100, (100, 100)).astype(float)
    optimum = solve_pmedian(cost, 8, params=PMedianParams(workers=1, time_limit_s=30)).objective
    res = solve_pmedian(cost, 8, params=PMedianParams(
        workers=2, split_after_s=0.0, only_free_cores=False, time_limit_s=0.4))
    assert not res.proven_optimal
    assert res.lower_bound < optimum <= res.objective


def test_the_second_process_waits_for_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a busy machine the tree stays in one process (and is still proven)."""
    monkeypatch.setattr(bnb, "free_cores", lambda sample_s=0.2: 0.6)
    res = solve_pmedian(RANDOM, 4, params=PMedianParams(workers=2, split_after_s=0.0))
    assert res.proven_optimal and res.log["bnb_processes"] == 1


def test_nodes_answered_after_the_deadline_stay_in_the_bound() -> None:
    """A worker's answer to a last 'give' arrives after the parent stopped: its nodes join the
    parent's open nodes (so their bounds stay in the lower bound), and a better solution it sent
    is kept, before its final outcome is read."""
    search = bnb.Search(COST, 2, ub=0.35, ub_sites=np.array([0, 3]), integral=False,
                        rel_tol=1e-9)
    node = (0.1, 7, np.zeros(4, bool).tobytes(), np.zeros(4, bool).tobytes(), np.zeros(4))
    done = bnb.BnbOutcome(sites=None, objective=0.35, lower_bound=0.35, complete=True, nodes=3)
    read, write = os.pipe()
    try:
        bnb.send(write, ("nodes", [node]))
        bnb.send(write, ("incumbent", 0.25, np.array([1, 3])))
        bnb.send(write, ("done", done))
        final = bnb._final(search, read, timeout=5.0)
    finally:
        os.close(read)
        os.close(write)
    assert final == done
    assert search.best_obj == pytest.approx(0.25)
    assert search.open_bounds() == [0.1]
    out = search.outcome(not search.heap)
    assert not out.complete and out.lower_bound == pytest.approx(0.1)
