"""Tests of geo.siting.haul: haul matrices from supply groups to candidate sites."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import SitingError
from geo.network import RoadGraph, straight_line_matrix, travel_matrix_for_points
from geo.siting.haul import HaulMatrix, haul_matrix


@pytest.fixture(scope="module")
def points(demo_graph: RoadGraph) -> tuple[np.ndarray, np.ndarray]:
    """12 candidate sites and 60 supply points scattered around Karhula nodes (lon, lat)."""
    rng = np.random.default_rng(11)
    at = rng.choice(demo_graph.core_nodes, 72, replace=False)
    ll = np.column_stack([demo_graph.lon[at], demo_graph.lat[at]])
    ll += rng.normal(0, 0.002, ll.shape)
    return ll[:12], ll[12:]


def _full(h: HaulMatrix, what: np.ndarray) -> np.ndarray:
    """Supply × candidate figures of a haul matrix, with the candidates' offsets."""
    return np.asarray(what[h.row_of][:, h.group_of].T + h.offset_m[None, :])


def test_road_haul_is_the_network_distance_with_legs_rounded_up(
        demo_graph: RoadGraph, points: tuple[np.ndarray, np.ndarray]) -> None:
    """Each haul is the shortest road distance with exact access legs, plus at most the
    25 m rounding of the supplier's leg (never less)."""
    cand, sup = points
    h = haul_matrix(demo_graph, cand, sup)
    exact = travel_matrix_for_points(demo_graph, sup, cand, with_time=False).distance_m
    full = _full(h, h.distance_m)
    assert h.method == "road" and h.time_s is None
    assert np.all(full >= exact - 1e-6) and np.all(full <= exact + 25.0 + 1e-6)
    assert h.n_groups <= len(sup)


def test_rounding_correction_makes_tonne_metres_exact(
        demo_graph: RoadGraph, points: tuple[np.ndarray, np.ndarray]) -> None:
    """Group tonne-metres plus rounding_tm equal the tonne-metres over exact access legs."""
    cand, sup = points
    h = haul_matrix(demo_graph, cand, sup)
    tonnes = np.linspace(1.0, 60.0, len(sup))
    exact = travel_matrix_for_points(demo_graph, sup, cand, with_time=False).distance_m
    grouped = h.group_sum(tonnes) @ h.distance_m[h.row_of].T + tonnes.sum() * h.offset_m
    corrected = grouped + h.rounding_tm(tonnes).sum()
    np.testing.assert_allclose(corrected, tonnes @ exact, rtol=1e-9)


def test_points_far_from_the_network_are_off_it(demo_graph: RoadGraph) -> None:
    """A supplier or candidate over max_access_m from the roads has an infinite haul."""
    near, far = [26.94, 60.53], [27.9, 60.53]
    h = haul_matrix(demo_graph, np.array([near, far]), np.array([near, far]))
    full = _full(h, h.distance_m)
    assert np.isfinite(full[0, 0])
    assert np.isinf(full[1]).all() and np.isinf(full[:, 1]).all()


def test_times_are_fastest_times_with_access_at_30_kmh(
        demo_graph: RoadGraph, points: tuple[np.ndarray, np.ndarray]) -> None:
    """With with_time, hauls in seconds are the network's fastest times (rounded legs)."""
    cand, sup = points
    h = haul_matrix(demo_graph, cand, sup, with_time=True)
    assert h.time_s is not None
    exact = travel_matrix_for_points(demo_graph, sup, cand).time_s
    assert exact is not None
    full = np.asarray(h.time_s[h.row_of][:, h.group_of].T + h.offset_s[None, :])
    assert np.all(full >= exact - 1e-6) and np.all(full <= exact + 25.0 / (30 / 3.6) + 1e-6)


def test_limit_leaves_hauls_within_it_unchanged(
        demo_graph: RoadGraph, points: tuple[np.ndarray, np.ndarray]) -> None:
    """A 3 km search limit keeps every road haul under 3 km and makes longer ones inf."""
    cand, sup = points
    full = haul_matrix(demo_graph, cand, sup)
    cut = haul_matrix(demo_graph, cand, sup, limit_m=3000.0)
    road = full.distance_m - full.group_access_m[None, :]
    within = road <= 3000.0
    assert within.any() and (~within).any()
    assert np.array_equal(cut.distance_m[within], full.distance_m[within])
    assert np.isinf(cut.distance_m[~within]).all()


def test_without_a_network_the_straight_line_stands_in(
        points: tuple[np.ndarray, np.ndarray]) -> None:
    """With no graph, hauls are great-circle × detour, one row per candidate, labelled."""
    cand, sup = points
    h = haul_matrix(None, cand, sup, detour_factor=1.25, with_time=True)
    ref = straight_line_matrix(sup, cand, detour_factor=1.25)
    assert h.method == "straight-line" and h.detour_factor == 1.25
    assert np.array_equal(h.distance_m, ref.distance_m.T)
    assert h.time_s is not None and ref.time_s is not None
    assert np.array_equal(h.time_s, ref.time_s.T)


def test_bad_resolution_is_refused(points: tuple[np.ndarray, np.ndarray]) -> None:
    """A grouping resolution of 0 m is refused with the value given."""
    cand, sup = points
    with pytest.raises(SitingError, match="access_resolution_m"):
        haul_matrix(None, cand, sup, access_resolution_m=0.0)
