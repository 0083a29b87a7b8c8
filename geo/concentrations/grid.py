"""A metric raster grid for concentration surfaces: CRS choice, cells, binning.

Shared by :mod:`geo.concentrations.density` (heat) and
:mod:`geo.concentrations.within_radius` (tonnes within a radius). Points are projected from WGS84
to a metric CRS (:func:`metric_crs_for`: the UTM zone of a regional programme, an equal-area
azimuthal projection for a continental one); degrees are never used as metres. Tonnages are
binned onto a north-up :class:`Grid` with one ``bincount`` — to the containing cell
(:func:`bin_tonnes`) or shared linearly between the four nearest cell centres
(:func:`linear_bin_tonnes`, the binning of Wand 1994 that keeps a binned kernel density within
a fraction of a percent of the exact one).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import pyproj
from scipy import ndimage

from geo.errors import CRSError, SymbiosisError
from geo.i18n import _, format_number

if TYPE_CHECKING:
    import geopandas as gpd
    from affine import Affine

__all__ = [
    "MAX_DISTANCE_M",
    "Grid",
    "bin_tonnes",
    "check_distance_m",
    "grid_for_points",
    "linear_bin_tonnes",
    "metric_crs_for",
    "points_from_gdf",
    "producer_window_counts",
    "project_lonlat",
]

logger = logging.getLogger(__name__)

MAX_DISTANCE_M: Final = 500_000.0
"""Largest bandwidth or radius accepted (500 km): beyond that a 'concentration' means nothing."""


def check_distance_m(value: float, name: str) -> float:
    """Validate a bandwidth or radius in metres: finite, > 0 and ≤ 500 km (else raise).

    ``name`` starts the error message: a translated label naming the setting and its
    parameter, e.g. ``_("The heat bandwidth (bandwidth_m)")``.
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not math.isfinite(v) or v <= 0 or v > MAX_DISTANCE_M:
        msg = _("{name} must be more than 0 m and at most {max_m} m ({max_km} km), got "
                "{value}; choose a distance in that range, e.g. {district_m} m for a district "
                "or {region_m} m for a region.").format(
                    name=name, max_m=format_number(MAX_DISTANCE_M),
                    max_km=format_number(MAX_DISTANCE_M / 1000),
                    value=format_number(v) if math.isfinite(v) else repr(value),
                    district_m=format_number(2000), region_m=format_number(20000))
        raise SymbiosisError(msg)
    return v


def metric_crs_for(lon: np.ndarray, lat: np.ndarray) -> pyproj.CRS:
    """A metric CRS for points in WGS84: their UTM zone, or an equal-area one if they are wide.

    Points spanning at most 12° of longitude get the UTM zone of their centre (what
    ``GeoDataFrame.estimate_utm_crs()`` picks); wider extents get a Lambert azimuthal
    equal-area projection centred on them, so areas (t/yr per km²) stay true.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        msg = _("A metric CRS needs at least one located point, got none; locate records on "
                "the 'Locate records' page first.")
        raise CRSError(msg)
    lon, lat = lon[ok], lat[ok]
    w, e, s, n = float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())
    if e - w <= 12.0 and max(abs(s), abs(n)) < 84.0:
        zone = min(int(((w + e) / 2 + 180) // 6) + 1, 60)
        return pyproj.CRS.from_epsg((32600 if (s + n) / 2 >= 0 else 32700) + zone)
    return pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={(s + n) / 2:.4f} +lon_0={(w + e) / 2:.4f} +datum=WGS84 +units=m")


def project_lonlat(lon: np.ndarray, lat: np.ndarray,
                   crs: pyproj.CRS) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 longitudes/latitudes (degrees) to ``crs`` (metres); NaN stays NaN."""
    tr = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid in a metric CRS.

    Attributes
    ----------
    x0, y1 : float
        Left and top edges in metres (``crs``).
    cell_m : float
        Cell size in metres (square cells).
    nx, ny : int
        Columns and rows; row 0 is the northernmost.
    crs : pyproj.CRS
        The metric CRS of the grid.
    """

    x0: float
    y1: float
    cell_m: float
    nx: int
    ny: int
    crs: pyproj.CRS

    def __post_init__(self) -> None:
        if not (self.cell_m > 0 and math.isfinite(self.cell_m)):
            msg = _("Grid cell size must be a positive number of metres, got {value}.").format(
                value=repr(self.cell_m))
            raise SymbiosisError(msg)
        if self.nx < 1 or self.ny < 1:
            msg = _("A grid needs at least one row and column, got {ny}×{nx}.").format(
                ny=repr(self.ny), nx=repr(self.nx))
            raise SymbiosisError(msg)
        if not pyproj.CRS(self.crs).is_projected:
            msg = _("A density grid must be in a metric (projected) CRS, got {crs}; use "
                    "metric_crs_for(lon, lat).").format(crs=repr(self.crs))
            raise CRSError(msg)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (self.ny, self.nx)

    @property
    def cell_km2(self) -> float:
        """Area of one cell in km²."""
        return (self.cell_m / 1000.0) ** 2

    @property
    def bounds_m(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in metres in :attr:`crs`."""
        return (self.x0, self.y1 - self.ny * self.cell_m, self.x0 + self.nx * self.cell_m,
                self.y1)

    @property
    def bounds_wgs84(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) enclosing the grid, degrees."""
        tr = pyproj.Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        b: tuple[float, float, float, float] = tr.transform_bounds(*self.bounds_m,
                                                                   densify_pts=21)
        return b

    @property
    def transform(self) -> Affine:
        """The rasterio/GDAL affine transform (pixel → metres)."""
        from affine import Affine

        return Affine(self.cell_m, 0.0, self.x0, 0.0, -self.cell_m, self.y1)

    def cell_index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Flat cell index (row·nx + col) of each point; -1 outside the grid or NaN."""
        with np.errstate(invalid="ignore"):
            col = np.floor((np.asarray(x, dtype=float) - self.x0) / self.cell_m)
            row = np.floor((self.y1 - np.asarray(y, dtype=float)) / self.cell_m)
            inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        flat = np.full(col.shape, -1, dtype=np.int64)
        flat[inside] = row[inside].astype(np.int64) * self.nx + col[inside].astype(np.int64)
        return flat

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Metric x and y of every cell centre, each of shape (ny, nx)."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell_m
        ys = self.y1 - (np.arange(self.ny) + 0.5) * self.cell_m
        return np.meshgrid(xs, ys)


def grid_for_points(x: np.ndarray, y: np.ndarray, *, cell_m: float, pad_m: float,
                    crs: pyproj.CRS, max_cells: int = 1_000_000) -> Grid:
    """The grid covering points (metres) plus a margin, with cells of about ``cell_m``.

    When the extent would need more than ``max_cells`` cells the cells are enlarged (the
    chosen size is :attr:`Grid.cell_m`). One point, or all points at one place, give a
    grid of ``2·pad_m`` across centred on it.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        msg = _("A grid needs at least one located point, got none.")
        raise SymbiosisError(msg)
    if not ok.all():
        x, y = x[ok], y[ok]
    xmin, xmax = float(x.min()) - pad_m, float(x.max()) + pad_m
    ymin, ymax = float(y.min()) - pad_m, float(y.max()) + pad_m
    width, height = max(xmax - xmin, cell_m), max(ymax - ymin, cell_m)
    cell = float(cell_m)
    if math.ceil(width / cell) * math.ceil(height / cell) > max_cells:
        cell = max(cell, math.sqrt(width * height / max_cells))
        while math.ceil(width / cell) * math.ceil(height / cell) > max_cells:
            cell *= 1.01
        logger.info("Grid enlarged to %.0f m cells to stay under %d cells", cell, max_cells)
    nx, ny = max(1, math.ceil(width / cell)), max(1, math.ceil(height / cell))
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return Grid(x0=cx - nx * cell / 2, y1=cy + ny * cell / 2, cell_m=cell, nx=nx, ny=ny,
                crs=pyproj.CRS(crs))


def bin_tonnes(grid: Grid, x: np.ndarray, y: np.ndarray, tonnes: np.ndarray, *,
               groups: np.ndarray | None = None, n_groups: int = 1) -> np.ndarray:
    """Sum of tonnes per grid cell (one bincount), optionally per group.

    Returns an array of shape (ny, nx), or (n_groups, ny, nx) when ``groups`` (integers in
    ``0 … n_groups-1``) is given. Points outside the grid, NaN weights and negative groups
    are not binned.
    """
    flat = grid.cell_index(x, y)
    w = np.asarray(tonnes, dtype=float)
    ok = (flat >= 0) & np.isfinite(w)
    n = grid.nx * grid.ny
    if groups is None:
        return np.bincount(flat[ok], weights=w[ok], minlength=n).reshape(grid.shape)
    g = np.asarray(groups, dtype=np.int64)
    ok &= (g >= 0) & (g < n_groups)
    out = np.bincount(g[ok] * n + flat[ok], weights=w[ok], minlength=n_groups * n)
    return out.reshape(n_groups, grid.ny, grid.nx)


def linear_bin_tonnes(grid: Grid, x: np.ndarray, y: np.ndarray, tonnes: np.ndarray
                      ) -> np.ndarray:
    """Tonnes shared between the four cell centres around each point (linear binning).

    Each record's weight goes to the surrounding cell centres in proportion to its nearness
    (bilinear weights), so the binned mass has the record's exact centre of gravity. Weights
    falling outside the grid are lost (grids from :func:`grid_for_points` have a margin).
    """
    fx = (np.asarray(x, dtype=float) - grid.x0) / grid.cell_m - 0.5
    fy = (grid.y1 - np.asarray(y, dtype=float)) / grid.cell_m - 0.5
    w = np.asarray(tonnes, dtype=float)
    ok = np.isfinite(fx) & np.isfinite(fy) & np.isfinite(w)
    fx, fy, w = fx[ok], fy[ok], w[ok]
    if len(fx) and fx.min() >= 0 and fy.min() >= 0:  # truncation is floor: one pass less
        c0, r0 = fx.astype(np.int64), fy.astype(np.int64)
    else:
        c0, r0 = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    dx, dy = fx - c0, fy - r0
    n, nx = grid.nx * grid.ny, grid.nx
    right = w * dx
    left = w - right
    shares = (left * (1 - dy), right * (1 - dy), left * dy, right * dy)
    offsets = ((0, 0), (1, 0), (0, 1), (1, 1))
    out = np.zeros(n)
    if (len(c0) and c0.min() >= 0 and c0.max() + 1 < nx and r0.min() >= 0
            and r0.max() + 1 < grid.ny):  # the usual case: no corner off the grid
        base = r0 * nx + c0
        for (oc, orow), share in zip(offsets, shares, strict=True):
            out += np.bincount(base + (oc + orow * nx), weights=share, minlength=n)
        return out.reshape(grid.shape)
    for (oc, orow), share in zip(offsets, shares, strict=True):
        c, r = c0 + oc, r0 + orow
        inside = (c >= 0) & (c < nx) & (r >= 0) & (r < grid.ny)
        out += np.bincount(r[inside] * nx + c[inside], weights=share[inside], minlength=n)
    return out.reshape(grid.shape)


def producer_window_counts(grid: Grid, x: np.ndarray, y: np.ndarray, producers: np.ndarray,
                           *, half_width_cells: int) -> np.ndarray:
    """Distinct producers within a square window of ±``half_width_cells`` around each cell.

    A producer (an integer code per record, e.g. factorised ``site_id``) is counted once per
    cell it has records in, so a site with many records counts once.
    """
    flat = grid.cell_index(x, y)
    p = np.asarray(producers, dtype=np.int64)
    ok = flat >= 0
    n_cells = grid.nx * grid.ny
    p_ok = p[ok] - (p[ok].min() if ok.any() else 0)
    cells = pd.unique(p_ok * n_cells + flat[ok]) % n_cells  # one entry per (producer, cell)
    presence = np.bincount(cells, minlength=n_cells).astype(float)
    presence = presence.reshape(grid.shape)
    size = 2 * int(half_width_cells) + 1
    ones = np.ones(size)
    counts = ndimage.convolve1d(presence, ones, axis=0, mode="constant")
    counts = ndimage.convolve1d(counts, ones, axis=1, mode="constant")
    return np.asarray(np.rint(counts), dtype=np.int64)


def points_from_gdf(gdf: gpd.GeoDataFrame, weight_col: str
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pyproj.CRS]:
    """(x_m, y_m, weights, metric CRS) of located point records in any CRS.

    Raises if the CRS is missing, a record has no location, or a weight is missing or < 0:
    select located records first (:func:`geo.concentrations.selection.select_resources` lists
    the rest).
    """
    if gdf.crs is None:
        msg = _("The records have no CRS; set it with .set_crs('EPSG:4326') if the "
                "coordinates are longitudes/latitudes.")
        raise CRSError(msg)
    if weight_col not in gdf.columns:
        msg = _("No tonnage column {column} among {columns}.").format(
            column=repr(weight_col), columns=repr(list(gdf.columns)))
        raise SymbiosisError(msg)
    w = np.asarray(gdf[weight_col], dtype=float)
    missing = int((gdf.geometry.isna() | gdf.geometry.is_empty).sum())
    bad = int((~np.isfinite(w) | (w < 0)).sum())
    if missing or bad:
        msg = _("{missing} of {n} records have no location and {bad} no tonnage ≥ 0 in "
                "{column}; select located records in t/yr first "
                "(geo.concentrations.selection.select_resources lists the others).").format(
                    missing=missing, n=len(gdf), bad=bad, column=repr(weight_col))
        raise SymbiosisError(msg)
    wgs = gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs(4326)
    lon, lat = wgs.geometry.x.to_numpy(), wgs.geometry.y.to_numpy()
    crs = metric_crs_for(lon, lat)
    x, y = project_lonlat(lon, lat, crs)
    return x, y, w, crs
