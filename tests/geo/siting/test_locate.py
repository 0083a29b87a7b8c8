"""Best p sites: p-median, maximal covering and the capacitated variant, on known answers."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import SitingError
from geo.siting.locate import solve_best_sites


def _two_clusters() -> tuple[np.ndarray, np.ndarray]:
    """Suppliers at x = 0, 1, 2 km and 20, 21 km; candidates at x = 1, 10, 20.5 km."""
    sup = np.array([0.0, 1.0, 2.0, 20.0, 21.0]) * 1000
    cand = np.array([1.0, 10.0, 20.5]) * 1000
    return np.abs(sup[:, None] - cand[None, :]), np.array([100.0, 200.0, 100.0, 300.0, 300.0])


def test_p_median_puts_one_plant_in_each_cluster() -> None:
    """Two plants go to the two clusters; each supplier goes to its own cluster's plant."""
    d, t = _two_clusters()
    a = solve_best_sites(d, t, 2, objective="p-median", cost_per_tkm=0.1)
    assert a.sites.tolist() == [0, 2]
    flows = a.flows.sort_values("supplier")
    assert flows["site"].tolist() == [0, 0, 0, 2, 2]
    expected = 0.1 * (100 * 1 + 100 * 1 + 300 * 0.5 + 300 * 0.5)
    assert a.value == pytest.approx(expected) and a.proven_optimal


def test_max_cover_prefers_the_bigger_cluster_with_one_plant() -> None:
    """With one plant and a 3 km limit, the 600 t cluster beats the 400 t one."""
    d, t = _two_clusters()
    a = solve_best_sites(d, t, 1, objective="max-cover", max_haul_m=3000)
    assert a.sites.tolist() == [2]
    assert a.value == 600.0 and a.proven_optimal
    assert sorted(a.unserved.tolist()) == [0, 1, 2]


def _one_cluster() -> tuple[np.ndarray, np.ndarray]:
    """A 1,500 t/yr cluster within 600 m; two candidates in it and one 30 km away."""
    sup = np.array([0.0, 0.2, 0.4, 0.6]) * 1000
    cand = np.array([0.3, 0.5, 30.0]) * 1000
    return np.abs(sup[:, None] - cand[None, :]), np.array([400.0, 400.0, 400.0, 300.0])


def test_capacity_forces_a_second_plant() -> None:
    """A 2,000 t plant takes the whole cluster alone; at 1,000 t one plant leaves 500 t and a
    second plant is needed to serve it all."""
    d, t = _one_cluster()
    kw = {"objective": "capacitated", "max_haul_m": 50_000.0, "cost_per_tkm": 0.1}
    assert solve_best_sites(d, t, 1, capacity_t=2000, **kw).unserved.size == 0
    one = solve_best_sites(d, t, 1, capacity_t=1000, **kw)
    assert one.plant_tonnes().sum() == pytest.approx(1000)
    two = solve_best_sites(d, t, 2, capacity_t=1000, **kw)
    assert len(two.sites) == 2 and two.unserved.size == 0
    assert two.plant_tonnes().max() <= 1000 + 1e-6
    assert two.plant_tonnes().sum() == pytest.approx(1500)


def test_minimum_throughput_stops_an_unviable_second_plant() -> None:
    """Asked for two plants of at least 1,200 t on 1,500 t of supply, only one opens."""
    d, t = _one_cluster()
    a = solve_best_sites(d, t, 2, objective="capacitated", capacity_t=2000,
                         min_throughput_t=1200, max_haul_m=50_000)
    assert len(a.sites) == 1 and a.unserved.size == 0


def test_capacitated_leaves_unserved_what_no_plant_can_take() -> None:
    """Supply beyond every plant's capacity is reported unserved, not dropped."""
    d = np.array([[100.0], [200.0]])
    a = solve_best_sites(d, np.array([800.0, 800.0]), 1, objective="capacitated",
                         capacity_t=1000, max_haul_m=10_000)
    assert a.plant_tonnes().sum() == pytest.approx(1000)
    assert a.unserved.size == 1


def test_p_median_skips_suppliers_no_candidate_reaches() -> None:
    """A supplier with no route to any candidate is unserved and the rest still solved."""
    d = np.array([[1000.0, 5000.0], [np.inf, np.inf], [4000.0, 200.0]])
    a = solve_best_sites(d, np.array([10.0, 10.0, 10.0]), 1, objective="p-median")
    assert a.unserved.tolist() == [1]
    assert a.sites.tolist() == [0]


def test_more_plants_than_candidates_is_refused() -> None:
    """p above the number of candidates names both numbers."""
    d, t = _two_clusters()
    with pytest.raises(SitingError, match="Cannot choose 4 plants from 3"):
        solve_best_sites(d, t, 4)
