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

__all__ = ["placement_bounds", "places_in_bounds"]

WORLD: tuple[float, float, float, float] = (-170.0, -58.0, 170.0, 75.0)


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
