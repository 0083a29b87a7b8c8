"""Tonnage heat surfaces: a weighted kernel density on a metric grid, in t/yr per km².

The density is computed the way GIS packages do it at scale: the records' tonnages are
*binned* onto a regular grid in a metric CRS, and the binned grid is smoothed with a Gaussian
kernel (a separable convolution, so the cost does not depend on the number of records). The
kernel is normalised on the grid, so the surface integrates exactly to the tonnes binned: a
single record of 100 t/yr gives a bump whose cells sum, times the cell area, to 100 t/yr.

The grid (:class:`Grid`) and the raster result (:class:`Surface`) are shared with
:mod:`geo.catchment`. Distances are metres in the grid's CRS (:func:`metric_crs_for`).

For viewers who may not see individual companies, pass ``min_producers=k``: cells whose
kernel window holds fewer than ``k`` distinct producers are hidden (NaN), so no cell and no
legend extreme reveals a single company's tonnage.
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

if TYPE_CHECKING:
    import geopandas as gpd
    from affine import Affine

__all__ = [
    "MAX_DISTANCE_M",
    "Grid",
    "KDEParams",
    "Surface",
    "bin_tonnes",
    "check_distance_m",
    "default_bandwidth_m",
    "grid_for_points",
    "kde_from_gdf",
    "kde_surface",
    "metric_crs_for",
    "points_from_gdf",
    "producer_window_counts",
    "project_lonlat",
]

logger = logging.getLogger(__name__)

MAX_DISTANCE_M: Final = 500_000.0
"""Largest bandwidth or radius accepted (500 km): beyond that a 'concentration' means nothing."""
DENSITY_UNITS: Final = "t/yr per km²"


def check_distance_m(value: float, name: str) -> float:
    """Validate a bandwidth or radius in metres: finite, > 0 and ≤ 500 km (else raise)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not math.isfinite(v) or v <= 0 or v > MAX_DISTANCE_M:
        msg = (f"{name} must be more than 0 m and at most {MAX_DISTANCE_M:,.0f} m (500 km), "
               f"got {value!r}; choose a distance in that range, e.g. 2,000 m for a district "
               "or 20,000 m for a region.")
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
        msg = ("A metric CRS needs at least one located point, got none; locate records on "
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
            msg = f"Grid cell size must be a positive number of metres, got {self.cell_m!r}."
            raise SymbiosisError(msg)
        if self.nx < 1 or self.ny < 1:
            msg = f"A grid needs at least one row and column, got {self.ny!r}×{self.nx!r}."
            raise SymbiosisError(msg)
        if not pyproj.CRS(self.crs).is_projected:
            msg = (f"A density grid must be in a metric (projected) CRS, got {self.crs!r}; "
                   "use metric_crs_for(lon, lat).")
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
        msg = "A grid needs at least one located point, got none."
        raise SymbiosisError(msg)
    xmin, xmax = float(x[ok].min()) - pad_m, float(x[ok].max()) + pad_m
    ymin, ymax = float(y[ok].min()) - pad_m, float(y[ok].max()) + pad_m
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


@dataclass(frozen=True)
class KDEParams:
    """Knobs of the heat surface.

    Attributes
    ----------
    bandwidth_m : float
        Standard deviation of the Gaussian kernel in metres; > 0 and ≤ 500 km.
    cell_m : float or None
        Grid cell size in metres; default a third of the bandwidth (at least 5 m).
    truncate : float
        The kernel is cut at this many bandwidths (the margin added around the points).
    max_cells : int
        Cells are enlarged if the grid would be bigger than this.
    """

    bandwidth_m: float = 1000.0
    cell_m: float | None = None
    truncate: float = 3.0
    max_cells: int = 1_000_000

    def __post_init__(self) -> None:
        check_distance_m(self.bandwidth_m, "bandwidth_m")
        if self.cell_m is not None:
            check_distance_m(self.cell_m, "cell_m")
        if not 1.0 <= self.truncate <= 6.0:
            msg = f"truncate must be between 1 and 6 bandwidths, got {self.truncate!r}."
            raise SymbiosisError(msg)
        if self.max_cells < 16:
            msg = f"max_cells must be at least 16, got {self.max_cells!r}."
            raise SymbiosisError(msg)

    @property
    def resolved_cell_m(self) -> float:
        """The requested cell size, or a third of the bandwidth (at least 5 m)."""
        return float(self.cell_m) if self.cell_m is not None else max(self.bandwidth_m / 3, 5.0)


@dataclass(frozen=True, eq=False)
class Surface:
    """A raster result (heat or catchment) with its grid, units and provenance.

    Attributes
    ----------
    values : ndarray of shape (ny, nx)
        The figure per cell in :attr:`units`; NaN where hidden by the confidentiality rule.
    grid : Grid
        Where the cells are (metric CRS, north-up).
    units : str
        ``"t/yr per km²"`` for a heat surface, ``"t/yr"`` for a catchment.
    label : str
        What the figure is, for legends and file metadata.
    method : str
        How it was computed (binned Gaussian KDE, disc sum …).
    distance_m : float
        The kernel bandwidth or catchment radius, metres.
    total_tonnes : float
        Tonnes (t/yr) of the records used.
    records, producers, hidden_cells : int
        Records used, distinct producers among them, cells hidden by the k rule.
    """

    values: np.ndarray
    grid: Grid
    units: str
    label: str
    method: str
    distance_m: float
    total_tonnes: float
    records: int
    producers: int
    hidden_cells: int = 0

    @property
    def transform(self) -> Affine:
        """Affine transform of :attr:`values` (metres in the grid's CRS)."""
        return self.grid.transform

    @property
    def crs(self) -> pyproj.CRS:
        """The grid's metric CRS."""
        return self.grid.crs

    @property
    def bounds_wgs84(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) in degrees."""
        return self.grid.bounds_wgs84

    def value_range(self) -> tuple[float, float]:
        """(min, max) of the shown (non-hidden) cells; (0, 0) when none is shown."""
        shown = self.values[np.isfinite(self.values)]
        if shown.size == 0:
            return (0.0, 0.0)
        return (float(shown.min()), float(shown.max()))


def default_bandwidth_m(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None,
                        *, fallback_m: float = 1000.0) -> float:
    """Silverman's spatial rule of thumb (as ArcGIS Kernel Density), in metres.

    ``0.9 · min(SD, √(1/ln 2) · Dm) · n^-0.2`` with SD the (tonnage-weighted) standard
    distance and Dm the median distance to the (weighted) mean centre. One point or all
    points at one place give ``fallback_m``. Clamped to [50 m, 500 km].
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = np.ones_like(x) if weights is None else np.nan_to_num(np.asarray(weights, float))
    ok = np.isfinite(x) & np.isfinite(y) & (w > 0)
    if ok.sum() < 2:
        return fallback_m
    x, y, w = x[ok], y[ok], w[ok]
    cx, cy = np.average(x, weights=w), np.average(y, weights=w)
    d = np.hypot(x - cx, y - cy)
    sd = math.sqrt(float(np.average(d**2, weights=w)))
    dm = float(np.median(d))
    h = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * len(x) ** -0.2
    if not math.isfinite(h) or h <= 0:
        return fallback_m
    return float(min(max(h, 50.0), MAX_DISTANCE_M))


def kde_surface(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *, crs: pyproj.CRS,
                params: KDEParams | None = None, grid: Grid | None = None,
                producers: np.ndarray | None = None, min_producers: int = 1) -> Surface:
    """Weighted kernel density of tonnes (t/yr per km²) on a metric grid.

    Parameters
    ----------
    x_m, y_m : ndarray
        Record positions in metres in ``crs``.
    tonnes : ndarray
        Weight per record, t/yr (finite, ≥ 0).
    crs : pyproj.CRS
        The projected CRS of ``x_m``/``y_m``.
    params : KDEParams, optional
        Bandwidth (m), cell size, truncation.
    grid : Grid, optional
        Compute on this grid instead of one fitted to the points.
    producers : ndarray of int, optional
        Producer code per record; needed when ``min_producers > 1``.
    min_producers : int
        Hide cells whose kernel window has fewer distinct producers (the k rule).

    Returns
    -------
    Surface
        ``values`` in t/yr per km²; ``values.sum() * grid.cell_km2`` equals the tonnes binned.
    """
    params = params or KDEParams()
    x, y, w = (np.asarray(a, dtype=float) for a in (x_m, y_m, tonnes))
    if not (len(x) == len(y) == len(w)):
        msg = ("x_m, y_m and tonnes must have one value per record, got "
               f"{len(x)}, {len(y)}, {len(w)}.")
        raise SymbiosisError(msg)
    if len(x) == 0:
        msg = "No records to draw a heat surface from; widen the filter."
        raise SymbiosisError(msg)
    if np.any(w < 0):
        msg = (f"Tonnages must be ≥ 0 t/yr, got {int((w < 0).sum())} negative values "
               f"(e.g. {float(w[w < 0][0])!r}); correct them on the Import page.")
        raise SymbiosisError(msg)
    bw = params.bandwidth_m
    if grid is None:
        cell = params.resolved_cell_m
        grid = grid_for_points(x, y, cell_m=cell, pad_m=params.truncate * bw + 2 * cell,
                               crs=crs, max_cells=params.max_cells)
    bins = bin_tonnes(grid, x, y, w)
    sigma_cells = bw / grid.cell_m
    smoothed = ndimage.gaussian_filter(bins, sigma=sigma_cells, mode="constant", cval=0.0,
                                       truncate=params.truncate)
    values = np.clip(smoothed, 0.0, None) / grid.cell_km2
    hidden = 0
    n_producers = len(pd.unique(np.asarray(producers))) if producers is not None else 0
    if min_producers > 1:
        if producers is None:
            msg = "min_producers > 1 needs a producer code per record (producers=…)."
            raise SymbiosisError(msg)
        half = int(params.truncate * sigma_cells + 0.5)
        counts = producer_window_counts(grid, x, y, producers, half_width_cells=half)
        hide = counts < min_producers
        values = np.where(hide, np.nan, values)
        hidden = int(hide.sum())
    logger.debug("KDE %d records on %dx%d grid (%.0f m cells, h=%.0f m)", len(x), grid.nx,
                 grid.ny, grid.cell_m, bw)
    return Surface(values=values, grid=grid, units=DENSITY_UNITS,
                   label="Tonnage density", method=(
                       f"binned Gaussian kernel density, bandwidth {bw:,.0f} m, "
                       f"{grid.cell_m:,.0f} m cells"),
                   distance_m=bw, total_tonnes=float(bins.sum()), records=len(x),
                   producers=n_producers, hidden_cells=hidden)


def points_from_gdf(gdf: gpd.GeoDataFrame, weight_col: str
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pyproj.CRS]:
    """(x_m, y_m, weights, metric CRS) of located point records in any CRS.

    Raises if the CRS is missing, a record has no location, or a weight is missing or < 0:
    select located records first (:func:`geo.concentration.select_resources` lists the rest).
    """
    if gdf.crs is None:
        msg = ("The records have no CRS; set it with .set_crs('EPSG:4326') if the "
               "coordinates are longitudes/latitudes.")
        raise CRSError(msg)
    if weight_col not in gdf.columns:
        msg = f"No tonnage column {weight_col!r} among {list(gdf.columns)!r}."
        raise SymbiosisError(msg)
    w = np.asarray(gdf[weight_col], dtype=float)
    missing = int((gdf.geometry.isna() | gdf.geometry.is_empty).sum())
    bad = int((~np.isfinite(w) | (w < 0)).sum())
    if missing or bad:
        msg = (f"{missing} of {len(gdf)} records have no location and {bad} no tonnage ≥ 0 in "
               f"{weight_col!r}; select located records in t/yr first "
               "(geo.concentration.select_resources lists the others).")
        raise SymbiosisError(msg)
    wgs = gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs(4326)
    lon, lat = wgs.geometry.x.to_numpy(), wgs.geometry.y.to_numpy()
    crs = metric_crs_for(lon, lat)
    x, y = project_lonlat(lon, lat, crs)
    return x, y, w, crs


def kde_from_gdf(gdf: gpd.GeoDataFrame, *, weight_col: str = "tonnes_per_year",
                 params: KDEParams | None = None, producer_col: str = "site_id",
                 min_producers: int = 1) -> Surface:
    """Heat surface of located point records in any CRS (projected to a metric CRS first).

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> from geo.programme import resources_with_sites
    >>> res = resources_with_sites(load_demo_programme())
    >>> haves = res[(res["direction"] == "have") & res["tonnes_per_year"].notna()]
    >>> s = kde_from_gdf(haves, params=KDEParams(bandwidth_m=300))
    >>> round(float(s.values.sum() * s.grid.cell_km2)) == round(haves["tonnes_per_year"].sum())
    True
    """
    x, y, w, crs = points_from_gdf(gdf, weight_col)
    producers = pd.factorize(gdf[producer_col].astype(str))[0] \
        if producer_col in gdf.columns else None
    return kde_surface(x, y, w, crs=crs, params=params, producers=producers,
                       min_producers=min_producers)
