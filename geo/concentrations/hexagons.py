"""Hexagon totals on the H3 grid: tonnes, producers and records per cell.

H3 cells are equal-area enough for totals to be compared across a region (average cell area
at each resolution is in :func:`h3.average_hexagon_area`). Records are indexed once at a fine
base resolution (:data:`H3_BASE_RES`) and moved up to any coarser resolution with
:func:`parent_cells`, a vectorised bit operation, so changing the resolution is cheap.

These totals are for practitioners. Viewers' hexagons are released figures of the programme's
protected release (:func:`geo.concentrations.viewer.viewer_cells`), never totals of records.
A producer is a member site (``site_id``): it sits at one point, so producers add up across
cells.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
from h3.api import numpy_int as h3i

from geo.errors import CRSError, SymbiosisError
from geo.hexcells import cells_to_polygons, cells_to_str, latlng_to_cells
from geo.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "H3_BASE_RES",
    "cells_for_points",
    "cells_to_polygons",
    "choose_resolution",
    "hexagon_totals",
    "hexagon_totals_from_gdf",
    "hexagons_gdf",
    "parent_cells",
    "resolution_for_extent",
]

logger = logging.getLogger(__name__)

H3_BASE_RES: Final = 12
"""Resolution records are indexed at (about 300 m² per cell); coarser ones are parents."""
MIN_RES: Final = 0
TOTAL_COLUMNS: Final = ("tonnes", "producers", "records")


def cells_for_points(lon: np.ndarray, lat: np.ndarray, resolution: int = H3_BASE_RES
                     ) -> np.ndarray:
    """H3 cell (as int64) of each WGS84 point; 0 where the point is missing.

    Each distinct point is indexed once, so records sharing a site cost nothing extra.
    """
    _check_res(resolution)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.zeros(len(lon), dtype=np.int64)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return out
    codes, uniq = pd.factorize(lon[ok] + 1j * lat[ok])  # one entry per distinct point
    cells = latlng_to_cells(uniq.imag, uniq.real, int(resolution))
    out[ok] = cells[codes]
    return out


def _check_res(resolution: int) -> None:
    if not (isinstance(resolution, int | np.integer) and 0 <= int(resolution) <= 15):
        msg = _("H3 resolution must be an integer from 0 to 15, got {value}.").format(
            value=repr(resolution))
        raise SymbiosisError(msg)


def parent_cells(cells: np.ndarray, resolution: int) -> np.ndarray:
    """Vectorised ``h3.cell_to_parent``: the ancestor of each cell at a coarser resolution.

    Cells must be at ``resolution`` or finer; 0 (no cell) stays 0.

    Examples
    --------
    >>> c = h3i.latlng_to_cell(60.48, 26.95, 12)
    >>> int(parent_cells(np.array([c]), 8)[0]) == h3i.cell_to_parent(c, 8)
    True
    """
    _check_res(resolution)
    c = np.asarray(cells, dtype=np.int64).view(np.uint64)
    out = (c & ~np.uint64(0xF << 52)) | np.uint64(int(resolution) << 52)
    for r in range(int(resolution) + 1, 16):
        out |= np.uint64(7 << ((15 - r) * 3))
    out = np.where(c == 0, np.uint64(0), out)
    return out.view(np.int64)


def resolution_for_extent(bounds: Sequence[float], *, target_cells: int = 200) -> int:
    """The finest resolution at which about ``target_cells`` hexagons cover a WGS84 box.

    ``bounds`` is (min lon, min lat, max lon, max lat). A point-sized box gets resolution 10.
    """
    w, s, e, n = map(float, bounds)
    mid = math.radians((s + n) / 2)
    area_km2 = max((e - w) * 111.32 * math.cos(mid) * (n - s) * 110.57, 0.01)
    for res in range(H3_BASE_RES, MIN_RES - 1, -1):
        if area_km2 / h3.average_hexagon_area(res, unit="km^2") <= target_cells:
            return min(res, 10)
    return MIN_RES


def choose_resolution(base_cells: np.ndarray, bounds: Sequence[float], *,
                      target_cells: int = 200, max_cells: int = 2000) -> int:
    """Resolution for a view: fitted to the extent, coarsened until ≤ ``max_cells`` are occupied.

    ``base_cells`` are the records' cells at :data:`H3_BASE_RES`.
    """
    res = resolution_for_extent(bounds, target_cells=target_cells)
    cells = np.asarray(base_cells, dtype=np.int64)
    cells = pd.unique(cells[cells != 0])
    while res > MIN_RES and len(pd.unique(parent_cells(cells, res))) > max_cells:
        res -= 1
    return res


def hexagon_totals(cells: np.ndarray, tonnes: np.ndarray, producers: np.ndarray
                   ) -> pd.DataFrame:
    """Tonnes, distinct producers and records per cell (the core, on arrays).

    Parameters
    ----------
    cells : ndarray of int64
        H3 cell of each record (0 = not located: left out, count those separately).
    tonnes : ndarray
        t/yr per record (NaN counts as a record with no tonnage).
    producers : ndarray of int
        Producer code per record.

    Returns
    -------
    DataFrame
        ``cell`` (int64), ``tonnes``, ``producers``, ``records``; one row per occupied cell,
        sorted by tonnes, largest first.
    """
    c = np.asarray(cells, dtype=np.int64)
    w = np.nan_to_num(np.asarray(tonnes, dtype=float))
    p = np.asarray(producers, dtype=np.int64)
    ok = c != 0
    codes, uniq = pd.factorize(c[ok])
    n = len(uniq)
    t = np.bincount(codes, weights=w[ok], minlength=n)
    recs = np.bincount(codes, minlength=n)
    pk = p[ok] - (p[ok].min() if ok.any() else 0)
    pairs = pd.unique(pk * max(n, 1) + codes)
    prods = np.bincount(pairs % max(n, 1), minlength=n)
    out = pd.DataFrame({"cell": np.asarray(uniq, dtype=np.int64), "tonnes": t,
                        "producers": prods.astype(np.int64), "records": recs.astype(np.int64)})
    return out.sort_values("tonnes", ascending=False, kind="stable").reset_index(drop=True)


def hexagons_gdf(totals: pd.DataFrame) -> gpd.GeoDataFrame:
    """Hexagon polygons (EPSG:4326) for a :func:`hexagon_totals` frame.

    Adds ``h3_cell`` (the cell id as text, e.g. ``"891126d6bafffff"``) and ``resolution``.
    """
    cells = totals["cell"].to_numpy(dtype=np.int64)
    out = totals.drop(columns=["cell"]).copy()
    out.insert(0, "h3_cell", cells_to_str(cells))
    out.insert(1, "resolution", [h3i.get_resolution(int(c)) for c in cells])
    return gpd.GeoDataFrame(out, geometry=cells_to_polygons(cells), crs="EPSG:4326")


def hexagon_totals_from_gdf(gdf: gpd.GeoDataFrame, *, resolution: int | None = None,
                            weight_col: str = "tonnes_per_year",
                            producer_col: str = "site_id") -> gpd.GeoDataFrame:
    """Hexagon totals of point records in any CRS (located rows only).

    Parameters
    ----------
    gdf : GeoDataFrame
        Records with point geometry, ``weight_col`` (t/yr) and ``producer_col``.
    resolution : int, optional
        H3 resolution; default chosen from the extent (:func:`choose_resolution`).

    Returns
    -------
    GeoDataFrame
        EPSG:4326; ``h3_cell``, ``resolution``, ``tonnes``, ``producers``, ``records``.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> from geo.programme import resources_with_sites
    >>> res = resources_with_sites(load_demo_programme())
    >>> hexes = hexagon_totals_from_gdf(res[res["direction"] == "have"], resolution=8)
    >>> int(hexes["records"].sum()) == int((res["direction"] == "have").sum())
    True
    """
    if gdf.crs is None:
        msg = _("The records have no CRS; set it with .set_crs('EPSG:4326').")
        raise CRSError(msg)
    wgs = gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs(4326)
    geom = wgs.geometry
    located = (geom.notna() & ~geom.is_empty).to_numpy()
    lon = np.where(located, geom.x.where(located), np.nan)
    lat = np.where(located, geom.y.where(located), np.nan)
    base = cells_for_points(lon, lat, H3_BASE_RES)
    if resolution is None:
        resolution = choose_resolution(base, wgs.total_bounds) if located.any() else 8
    cells = parent_cells(base, resolution)
    producers = pd.factorize(wgs[producer_col].astype(str))[0]
    totals = hexagon_totals(cells, wgs[weight_col].to_numpy(dtype=float), producers)
    return hexagons_gdf(totals)
