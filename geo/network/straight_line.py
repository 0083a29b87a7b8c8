"""Straight-line distances: the great circle, and the labelled stand-in where no roads exist.

- :func:`unit_vectors`, :func:`great_circle_m`, :func:`great_circle_matrix_m` — great-circle
  distance on a sphere of radius :data:`EARTH_RADIUS_M`, from points on the unit sphere
  (convert once, measure often; a block of pairs is one matrix product).
- :func:`straight_line_matrix` — great-circle distance × a detour factor and time at
  :data:`STRAIGHT_LINE_SPEED_KMH`, marked ``method="straight-line"`` so the UI says so.
- :data:`DEFAULT_DETOUR_FACTOR` and :func:`calibrate_detour_factor` — how much longer roads
  are than the straight line, by default and as measured on a graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from geo.errors import NetworkError
from geo.i18n import _
from geo.network.matrix import TravelMatrix, travel_matrix

if TYPE_CHECKING:
    from geo.network.graph import RoadGraph

__all__ = [
    "DEFAULT_DETOUR_FACTOR",
    "EARTH_RADIUS_M",
    "STRAIGHT_LINE_SPEED_KMH",
    "calibrate_detour_factor",
    "great_circle_m",
    "great_circle_matrix_m",
    "straight_line_matrix",
    "unit_vectors",
]

DEFAULT_DETOUR_FACTOR: Final = 1.3
"""Road distance ÷ straight-line distance used where no network exists. 1.3 is the usual
circuity of road networks (Ballou et al. 2002, *Transportation Research A* 36: 843–848,
found 1.12–1.40 by region); calibrate it per region with :func:`calibrate_detour_factor`."""

EARTH_RADIUS_M: Final = 6_371_008.8
"""Mean Earth radius (IUGG), metres."""

STRAIGHT_LINE_SPEED_KMH: Final = 40.0
"""Average speed assumed along a straight-line stand-in (km/h)."""


def unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """WGS84 lon/lat (degrees) as points on the unit sphere, shape (n, 3); NaN rows stay NaN."""
    lam, phi = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _arc_m(dot: np.ndarray) -> np.ndarray:
    """Great-circle metres from dot products of unit vectors, via the chord (unlike
    ``arccos``, well conditioned at short range: ~0.1 m at worst)."""
    chord = np.sqrt(np.clip(2.0 - 2.0 * dot, 0.0, 4.0))
    return np.asarray(2.0 * EARTH_RADIUS_M * np.arcsin(chord / 2.0))


def great_circle_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance (m) between row ``i`` of ``a`` and row ``i`` of ``b``.

    Parameters
    ----------
    a, b : ndarray, shape (n, 3)
        Points from :func:`unit_vectors`.

    Examples
    --------
    >>> a, b = unit_vectors([27.0], [60.0]), unit_vectors([27.0], [61.0])
    >>> round(float(great_circle_m(a, b)[0]))  # one degree of latitude
    111195
    """
    return _arc_m(np.einsum("ij,ij->i", a, b))


def great_circle_matrix_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance (m) from every row of ``a`` to every row of ``b``, (n_a, n_b).

    One matrix product of the unit vectors (:func:`unit_vectors`), so large blocks are cheap.
    """
    return _arc_m(a @ b.T)


def straight_line_matrix(
    origins_lonlat: np.ndarray,
    destinations_lonlat: np.ndarray,
    *,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    speed_kmh: float = STRAIGHT_LINE_SPEED_KMH,
) -> TravelMatrix:
    """Great-circle distance × detour factor, and time at an average speed.

    A labelled stand-in where no road network exists (``method="straight-line"``).

    Parameters
    ----------
    origins_lonlat, destinations_lonlat : ndarray, shape (n, 2)
        WGS84 lon/lat.
    detour_factor : float
        Road ÷ straight-line distance (≥ 1).
    speed_kmh : float
        Average speed for the times.

    Raises
    ------
    NetworkError
        A detour factor below 1.

    Examples
    --------
    >>> m = straight_line_matrix(np.array([[27.0, 60.0]]), np.array([[27.0, 61.0]]))
    >>> m.method, round(float(m.distance_m[0, 0]) / 1000, 1), round(float(m.time_s[0, 0]))
    ('straight-line', 144.6, 13010)
    """
    if detour_factor < 1.0:
        msg = _("detour_factor must be at least 1.0 (roads are never shorter), got "
                "{value}.").format(value=repr(detour_factor))
        raise NetworkError(msg)
    o = np.asarray(origins_lonlat, float).reshape(-1, 2)
    d = np.asarray(destinations_lonlat, float).reshape(-1, 2)
    dist = great_circle_matrix_m(unit_vectors(o[:, 0], o[:, 1]),
                                 unit_vectors(d[:, 0], d[:, 1])) * detour_factor
    return TravelMatrix(distance_m=dist, time_s=dist / (speed_kmh / 3.6),
                        method="straight-line", detour_factor=detour_factor)


def calibrate_detour_factor(graph: RoadGraph, *, n_pairs: int = 400, seed: int = 0) -> float:
    """Median road ÷ straight-line distance over random node pairs of ``graph``.

    Use it to set the straight-line stand-in's detour factor for a region where part of the
    area has a network. Pairs closer than 500 m (in the graph's metric CRS) are skipped
    (snapping noise dominates).

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> 1.1 <= calibrate_detour_factor(demo_graph()) <= 2.0
    True
    """
    rng = np.random.default_rng(seed)
    core = graph.core_nodes
    if len(core) < 3:
        return DEFAULT_DETOUR_FACTOR
    a = rng.choice(core, size=min(n_pairs, len(core)), replace=False)
    b = rng.choice(core, size=min(20, len(core)), replace=False)
    road = travel_matrix(graph, a, b, with_time=False).distance_m
    crow = np.hypot(graph.x[a][:, None] - graph.x[b][None, :],
                    graph.y[a][:, None] - graph.y[b][None, :])
    ok = np.isfinite(road) & (crow > 500)
    if not ok.any():
        return DEFAULT_DETOUR_FACTOR
    return float(np.median(road[ok] / crow[ok]))
