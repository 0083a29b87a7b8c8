"""Seeded synthetic programmes for the benchmarks: a regional programme at any size.

Sites cluster in industrial areas over a Scotland-sized region (10 % scattered outside them);
each area with enough sites is a park (its outline the buffered hull of its sites); ~3 records
per site, 80 % haves, log-normal tonnages, codes from the first 20 chapters of the catalogue.
``region=`` puts the same kind of programme in another box (e.g. over a road network's
extent, :data:`LIECHTENSTEIN`). Everything is illustrative and made here; no third-party data.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.catalogue import load_catalogue
from geo.programme import (
    CONTACT_COLUMNS,
    PARK_COLUMNS,
    RESOURCE_COLUMNS,
    SITE_COLUMNS,
    Programme,
)

__all__ = ["LIECHTENSTEIN", "SCOTLAND", "regional_programme"]

Box = tuple[float, float, float, float]
SCOTLAND: Final[Box] = (-7.0, 54.8, -1.5, 58.6)
"""(west, south, east, north) of the default region, degrees."""
LIECHTENSTEIN: Final[Box] = (9.49, 47.06, 9.61, 47.24)
"""Inside the extent of ``liechtenstein-2013-08-03.osm.pbf`` (the shared road network)."""


def regional_programme(n: int, *, seed: int = 42, areas: int = 400,
                       region: Box | None = None,
                       spread_deg: tuple[float, float] = (0.02, 0.012)) -> Programme:
    """A programme of ``n`` resource records at ``n // 3`` sites in ``areas`` industrial areas.

    ``region`` (west, south, east, north) defaults to :data:`SCOTLAND`; area centres lie in
    its inner part and sites around them with standard deviations ``spread_deg`` (lon, lat).
    """
    rng = np.random.default_rng(seed)
    n_sites = max(n // 3, 1)
    if region is None:  # the original numbers, so seeded programmes stay the same
        inner: Box = (-6.5, 55.0, -2.0, 58.3)
        region = SCOTLAND
    else:
        w, s, e, nn = region
        inner = (w + 0.1 * (e - w), s + 0.1 * (nn - s), e - 0.1 * (e - w), nn - 0.1 * (nn - s))
    centres = np.column_stack([rng.uniform(inner[0], inner[2], areas),
                               rng.uniform(inner[1], inner[3], areas)])
    area = rng.integers(0, areas, n_sites)
    scattered = rng.random(n_sites) < 0.1
    lon = np.where(scattered, rng.uniform(region[0], region[2], n_sites),
                   centres[area, 0] + rng.normal(0, spread_deg[0], n_sites))
    lat = np.where(scattered, rng.uniform(region[1], region[3], n_sites),
                   centres[area, 1] + rng.normal(0, spread_deg[1], n_sites))
    park_id = np.where(scattered, None, [f"P{a:03d}" for a in area]).astype(object)
    sites = gpd.GeoDataFrame({"site_id": [f"S{i}" for i in range(n_sites)],
                              "name": [f"Site {i}" for i in range(n_sites)],
                              "park_id": park_id, "location_precision": "exact"},
                             geometry=gpd.points_from_xy(lon, lat), crs=4326)
    inside = sites[sites["park_id"].notna()]
    hulls = inside.groupby("park_id").geometry.apply(
        lambda g: shapely.convex_hull(shapely.union_all(g.to_numpy())).buffer(0.004))
    parks = gpd.GeoDataFrame({"park_id": hulls.index, "name": [f"Park {p}" for p in hulls.index]},
                             geometry=hulls.to_numpy(), crs=4326)
    entries = load_catalogue().entries
    entries = entries[entries["chapter"].isin(sorted(entries["chapter"].unique())[:20])]
    codes = entries["code"].to_numpy()
    resources = pd.DataFrame({
        "resource_id": [f"R{i}" for i in range(n)],
        "site_id": sites["site_id"].to_numpy()[rng.integers(0, n_sites, n)],
        "direction": np.where(rng.random(n) < 0.8, "have", "want"),
        "resource_class": "material",
        "ewc_code": codes[rng.integers(0, len(codes), n)],
        "quantity": np.round(rng.lognormal(3.0, 1.5, n), 2),
        "unit": "t/yr",
    })
    for frame, cols in ((sites, SITE_COLUMNS), (resources, RESOURCE_COLUMNS),
                        (parks, PARK_COLUMNS)):
        for c in cols:
            if c not in frame:
                frame[c] = None
    contacts = pd.DataFrame({c: pd.Series(dtype=object) for c in CONTACT_COLUMNS})
    return Programme(name=f"synthetic {n:,}", parks=parks[[*PARK_COLUMNS, "geometry"]],
                     sites=sites[[*SITE_COLUMNS, "geometry"]], contacts=contacts,
                     resources=resources[RESOURCE_COLUMNS])
