"""Orientation for placing records by hand where no base map is available offline.

A new programme may have nothing located, no road file and no tile server: the map would be
empty. These helpers pick a sensible view (the site's country) and a layer of towns from the
shipped GeoNames data (CC BY 4.0) so a practitioner can see where to click.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np

from geo.geocode.countries import country_codes, country_extents
from geo.geocode.geonames import load_geonames

__all__ = ["FAR_KM", "km_outside", "km_to_nearest", "placement_bounds", "places_in_bounds"]

WORLD: tuple[float, float, float, float] = (-170.0, -58.0, 170.0, 75.0)
FAR_KM = 50.0
"""A placement farther than this from a programme's other sites is asked about first."""


def km_to_nearest(lon: float, lat: float, points: gpd.GeoSeries) -> float | None:
    """Great-circle km from (``lon``, ``lat``) to the nearest of ``points`` (EPSG:4326;
    empty or missing ones ignored); ``None`` when there is none.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoSeries([Point(26.95, 60.5), Point(27.95, 60.5), None], crs=4326)
    >>> round(km_to_nearest(26.95, 60.6, pts), 1)
    11.1
    """
    from geo.network.straight_line import great_circle_matrix_m, unit_vectors

    located = points[~(points.isna() | points.is_empty)]
    if located.empty:
        return None
    a = unit_vectors(np.array([lon]), np.array([lat]))
    b = unit_vectors(located.x.to_numpy(float), located.y.to_numpy(float))
    return float(great_circle_matrix_m(a, b).min()) / 1000.0


def km_outside(lon: float, lat: float, bounds: Sequence[float]) -> float:
    """Great-circle km from (``lon``, ``lat``) to the nearest point of the box ``bounds``
    (west, south, east, north; degrees); 0 inside it.

    Examples
    --------
    >>> km_outside(26.95, 60.5, (26.9, 60.45, 27.0, 60.55))
    0.0
    >>> round(km_outside(26.95, 61.55, (26.9, 60.45, 27.0, 60.55)))  # a degree north
    111
    >>> round(km_outside(60.47, 26.93, (26.9, 60.45, 27.0, 60.55)))  # lon and lat swapped
    4500
    """
    from geo.network.straight_line import great_circle_m, unit_vectors

    west, south, east, north = map(float, bounds)
    near_lon, near_lat = min(max(lon, west), east), min(max(lat, south), north)
    a = unit_vectors(np.array([lon]), np.array([lat]))
    b = unit_vectors(np.array([near_lon]), np.array([near_lat]))
    return float(great_circle_m(a, b)[0]) / 1000.0


def placement_bounds(site: Mapping[str, object],
                     fallback: Sequence[float] | None = None) -> tuple[float, float, float, float]:
    """Where to open the placement map for ``site`` (lon/lat degrees).

    Around the site's point when it has one (±0.01°), else its country's extent, else
    ``fallback`` (e.g. the programme's located sites), else the world.

    Examples
    --------
    >>> placement_bounds({"country": "FI"})[1] > 55
    True
    """
    geom = site.get("geometry")
    if geom is not None and not getattr(geom, "is_empty", True):
        x, y = float(geom.x), float(geom.y)  # type: ignore[attr-defined]
        return (x - 0.01, y - 0.005, x + 0.01, y + 0.005)
    codes, _ = country_codes([site.get("country") or ""])
    extents = country_extents()
    if codes[0] and codes[0] in extents.index:
        row = extents.loc[codes[0]]
        return (float(row["min_lon"]), float(row["min_lat"]), float(row["max_lon"]),
                float(row["max_lat"]))
    if fallback is not None and np.all(np.isfinite(np.asarray(fallback, float))):
        return tuple(float(v) for v in fallback)  # type: ignore[return-value]
    return WORLD


def places_in_bounds(bounds: Sequence[float], *, limit: int = 300) -> gpd.GeoDataFrame:
    """The largest GeoNames places inside ``bounds`` (EPSG:4326): name, country, population."""
    lon0, lat0, lon1, lat1 = map(float, bounds)
    places = load_geonames().places
    inside = places[(places["lon"] >= lon0) & (places["lon"] <= lon1)
                    & (places["lat"] >= lat0) & (places["lat"] <= lat1)]
    top = inside.nlargest(limit, "population")
    return gpd.GeoDataFrame(top[["name", "country", "population"]].reset_index(drop=True),
                            geometry=gpd.points_from_xy(top["lon"], top["lat"]), crs=4326)
