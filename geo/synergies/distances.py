"""Haul distances between member sites for matching: over roads, or a labelled stand-in.

Distances are looked up per (origin site, destination site) pair from a site-level table
built once: shortest road distances from :func:`geo.network.travel_matrix_for_points` where a
road graph exists and the programme is small enough for a site × site matrix, otherwise
great-circle distance (:mod:`geo.network.straight_line`) × a detour factor, flagged
``straight-line``. Pairs the road network cannot connect fall back to the stand-in and say so;
sites without a location have no distance (``unlocated``) and are kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

import numpy as np

from geo.i18n import N_
from geo.lazy import cached_property
from geo.network import (
    DEFAULT_DETOUR_FACTOR,
    RoadGraph,
    great_circle_m,
    great_circle_matrix_m,
    travel_matrix_for_points,
    unit_vectors,
)

__all__ = ["METHODS", "METHOD_LABELS", "SiteDistances"]

logger = logging.getLogger(__name__)

METHODS: Final = ("road", "straight-line", "unlocated")
"""Labels of the ``method`` codes 0, 1, 2 returned by :meth:`SiteDistances.pairs`."""
# Translators: how the distance between two sites was measured: over the road network, as
# the straight line times a detour factor, or not at all (a site has no location).
METHOD_LABELS: Final = {"road": N_("road"), "straight-line": N_("straight-line"),
                        "unlocated": N_("unlocated")}
"""Display label of each method (the match table's ``distance_method`` holds the codes)."""


@dataclass(frozen=True)
class SiteDistances:
    """Distances between the sites of a programme (km), road where possible.

    Attributes
    ----------
    lon, lat : ndarray
        WGS84 position of each site (NaN where not located).
    road_km : ndarray or None
        Road distance from ``road_rows`` sites (rows) to every site (columns), km; ``inf``
        where unreachable. None when no road graph is used.
    road_row_of : ndarray of int
        For each site, its row in ``road_km`` (-1 if none).
    road_to_km : ndarray or None
        Road distance from every site to one destination site (``road_to_site``), km.
    detour_factor : float
        Applied to straight-line distances.
    note : str
        Why the stand-in is used, when it is.
    """

    lon: np.ndarray
    lat: np.ndarray
    road_km: np.ndarray | None = None
    road_row_of: np.ndarray | None = None
    road_to_km: np.ndarray | None = None
    road_to_site: int = -1
    detour_factor: float = DEFAULT_DETOUR_FACTOR
    note: str = ""

    @property
    def located(self) -> np.ndarray:
        """Boolean per site: has coordinates."""
        return np.asarray(np.isfinite(self.lon) & np.isfinite(self.lat))

    @cached_property
    def _xyz(self) -> np.ndarray:
        return unit_vectors(self.lon, self.lat)

    @classmethod
    def straight_line(cls, lon: np.ndarray, lat: np.ndarray, *,
                      detour_factor: float = DEFAULT_DETOUR_FACTOR,
                      note: str = "no road network") -> SiteDistances:
        """Great-circle distance × detour factor for every pair."""
        return cls(np.asarray(lon, float), np.asarray(lat, float),
                   detour_factor=detour_factor, note=note)

    @classmethod
    def by_road(cls, graph: RoadGraph, lon: np.ndarray, lat: np.ndarray, *,
                origins: np.ndarray, detour_factor: float = DEFAULT_DETOUR_FACTOR
                ) -> SiteDistances:
        """Shortest road distances from the ``origins`` sites to all located sites.

        Parameters
        ----------
        graph : RoadGraph
            The region's drivable network.
        lon, lat : ndarray
            WGS84 positions of all sites (NaN for unlocated ones).
        origins : ndarray of int
            Site positions to compute rows for (unlocated ones are skipped).
        """
        lon = np.asarray(lon, float)
        lat = np.asarray(lat, float)
        ok = np.isfinite(lon) & np.isfinite(lat)
        rows = np.unique(np.asarray(origins, np.int64))
        rows = rows[ok[rows]]
        cols = np.flatnonzero(ok)
        road = np.full((len(rows), len(lon)), np.inf)
        if len(rows) and len(cols):
            tm = travel_matrix_for_points(
                graph, np.column_stack([lon[rows], lat[rows]]),
                np.column_stack([lon[cols], lat[cols]]), with_time=False)
            road[:, cols] = tm.distance_m / 1000.0
        row_of = np.full(len(lon), -1, np.int64)
        row_of[rows] = np.arange(len(rows))
        return cls(lon, lat, road_km=road, road_row_of=row_of, detour_factor=detour_factor)

    @classmethod
    def by_road_to(cls, graph: RoadGraph, lon: np.ndarray, lat: np.ndarray, *,
                   destination: int, detour_factor: float = DEFAULT_DETOUR_FACTOR
                   ) -> SiteDistances:
        """Shortest road distances from every located site to one destination site.

        The network searches backward from the one destination (one-way streets respected),
        not once per origin.
        """
        lon = np.asarray(lon, float)
        lat = np.asarray(lat, float)
        ok = np.isfinite(lon) & np.isfinite(lat)
        to_km = np.full(len(lon), np.inf)
        if ok[destination] and ok.any():
            cols = np.flatnonzero(ok)
            tm = travel_matrix_for_points(
                graph, np.column_stack([lon[cols], lat[cols]]),
                np.column_stack([lon[[destination]], lat[[destination]]]), with_time=False)
            to_km[cols] = tm.distance_m[:, 0] / 1000.0
        return cls(lon, lat, road_to_km=to_km, road_to_site=int(destination),
                   detour_factor=detour_factor)

    def pairs(self, origin: np.ndarray, destination: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
        """Distance (km) and method code (see :data:`METHODS`) for each site pair.

        Road distances are used where known and finite; other located pairs get the
        straight-line stand-in; pairs with an unlocated site get NaN and code 2.
        """
        o = np.asarray(origin, np.int64)
        d = np.asarray(destination, np.int64)
        dist = great_circle_m(self._xyz[o], self._xyz[d]) / 1000.0 * self.detour_factor
        method = np.ones(len(o), np.int8)
        road = np.full(len(o), np.inf)
        if self.road_km is not None and self.road_row_of is not None:
            r = self.road_row_of[o]
            has = r >= 0
            road[has] = self.road_km[r[has], d[has]]
        if self.road_to_km is not None:
            has = d == self.road_to_site
            road[has] = self.road_to_km[o[has]]
        use_road = np.isfinite(road)
        dist[use_road] = road[use_road]
        method[use_road] = 0
        unloc = ~(self.located[o] & self.located[d])
        dist[unloc] = np.nan
        method[unloc] = 2
        return dist, method

    def block(self, origin: np.ndarray, destination: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
        """Like :meth:`pairs` for every origin × destination: matrices (n_o, n_d).

        The straight-line part is one matrix product of unit vectors (no per-pair gathers).
        """
        o = np.asarray(origin, np.int64)
        d = np.asarray(destination, np.int64)
        dist = great_circle_matrix_m(self._xyz[o], self._xyz[d]) * (self.detour_factor / 1000.0)
        method = np.ones(dist.shape, np.int8)
        road: np.ndarray | None = None
        if self.road_km is not None and self.road_row_of is not None:
            r = self.road_row_of[o]
            road = np.full(dist.shape, np.inf)
            has = r >= 0
            road[has] = self.road_km[np.ix_(r[has], d)]
        if self.road_to_km is not None:
            road = np.full(dist.shape, np.inf) if road is None else road
            cols = d == self.road_to_site
            road[:, cols] = self.road_to_km[o][:, None]
        if road is not None:
            use = np.isfinite(road)
            dist[use] = road[use]
            method[use] = 0
        unloc = ~(self.located[o][:, None] & self.located[d][None, :])
        if unloc.any():
            dist[unloc] = np.nan
            method[unloc] = 2
        return dist, method
