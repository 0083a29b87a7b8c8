"""Tests of geo.network.straight_line: great circle, detour stand-in, calibration."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import NetworkError
from geo.network import (
    RoadGraph,
    calibrate_detour_factor,
    great_circle_m,
    great_circle_matrix_m,
    straight_line_matrix,
    unit_vectors,
)


def test_one_degree_of_latitude_is_111_km() -> None:
    """One degree along a meridian is 111.19 km on the mean-radius sphere."""
    d = great_circle_m(unit_vectors(np.array([27.0]), np.array([60.0])),
                       unit_vectors(np.array([27.0]), np.array([61.0])))
    assert d[0] == pytest.approx(111_195, abs=1)


def test_short_distances_are_accurate() -> None:
    """10 m east at 60° N measures 10 m to the centimetre (no arccos cancellation)."""
    dlon = 10 / (111_195 * np.cos(np.radians(60.0)))
    d = great_circle_m(unit_vectors(np.array([27.0]), np.array([60.0])),
                       unit_vectors(np.array([27.0 + dlon]), np.array([60.0])))
    assert d[0] == pytest.approx(10.0, abs=0.1)


def test_matrix_and_pairwise_forms_agree() -> None:
    """Every cell of the block form equals the pairwise form of the same two points."""
    rng = np.random.default_rng(0)
    a = unit_vectors(rng.uniform(20, 30, 4), rng.uniform(55, 65, 4))
    b = unit_vectors(rng.uniform(20, 30, 3), rng.uniform(55, 65, 3))
    block = great_circle_matrix_m(a, b)
    pairs = great_circle_m(np.repeat(a, 3, axis=0), np.tile(b, (4, 1))).reshape(4, 3)
    np.testing.assert_allclose(block, pairs, rtol=1e-9)


def test_detour_factor_below_one_is_refused() -> None:
    """A detour factor under 1 would make roads shorter than the crow flies."""
    with pytest.raises(NetworkError, match=r"at least 1\.0"):
        straight_line_matrix(np.zeros((1, 2)), np.zeros((1, 2)), detour_factor=0.8)


def test_stand_in_times_are_at_its_speed() -> None:
    """Straight-line times are the detoured distance at 40 km/h, and the matrix says so."""
    m = straight_line_matrix(np.array([[27.0, 60.0]]), np.array([[27.0, 61.0]]),
                             detour_factor=1.2)
    assert m.method == "straight-line" and m.detour_factor == 1.2
    assert m.time_s is not None
    assert m.time_s[0, 0] == pytest.approx(m.distance_m[0, 0] / (40 / 3.6))


def test_calibrated_detour_is_plausible(demo_graph: RoadGraph) -> None:
    """Karhula's road circuity lies in the range seen for road networks (1.1–2.0)."""
    assert 1.1 <= calibrate_detour_factor(demo_graph) <= 2.0
