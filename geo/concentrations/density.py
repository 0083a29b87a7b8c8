"""Tonnage heat surfaces: a weighted kernel density on a metric grid, in t/yr per km².

The density is computed the way GIS packages do it at scale: the records' tonnages are
*binned* onto a regular grid in a metric CRS, and the binned grid is smoothed with a Gaussian
kernel (a separable convolution, so the cost does not depend on the number of records). The
kernel is normalised on the grid, so the surface integrates exactly to the tonnes binned: a
single record of 100 t/yr gives a bump whose cells sum, times the cell area, to 100 t/yr.

Records are shared linearly between the four nearest cell centres
(:func:`geo.concentrations.grid.linear_bin_tonnes`), which keeps the result within a small
fraction of the exact kernel density. The raster result (:class:`Surface`) is shared with
:mod:`geo.concentrations.within_radius`; distances are metres in the grid's metric CRS
(:mod:`geo.concentrations.grid`).

These surfaces are of records, for practitioners. Viewers' heat maps are drawn from the
protected release's figures and classed (:mod:`geo.concentrations.viewer`).
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

from geo.concentrations.grid import (
    MAX_DISTANCE_M,
    Grid,
    check_distance_m,
    grid_for_points,
    linear_bin_tonnes,
    points_from_gdf,
)
from geo.errors import SymbiosisError
from geo.i18n import N_, _, format_number

if TYPE_CHECKING:
    import geopandas as gpd
    from affine import Affine

__all__ = [
    "DENSITY_UNITS",
    "KDEParams",
    "Surface",
    "default_bandwidth_m",
    "kde_from_gdf",
    "kde_surface",
    "method_text",
    "unit_label",
]

logger = logging.getLogger(__name__)

DENSITY_UNITS: Final = "t/yr per km²"
UNIT_LABELS: Final = {"t/yr per km²": N_("t/yr per km²"), "t/yr": N_("t/yr")}
"""The units of our surfaces as a person reads them (translated where shown)."""


def unit_label(units: str) -> str:
    """``units`` (``"t/yr per km²"``, ``"t/yr"``) in this session's language."""
    label = UNIT_LABELS.get(units)
    return _(label) if label is not None else units


def method_text(units: str, distance_m: float, cell_m: float) -> str:
    """How a surface was computed, as one sentence in this session's language.

    ``units`` tells the heat surface (``t/yr per km²``: a kernel density of bandwidth
    ``distance_m``) from the catchment (``t/yr``: tonnes within the radius ``distance_m``).
    """
    if units == DENSITY_UNITS:
        return _("Binned Gaussian kernel density, bandwidth {bandwidth_m} m, {cell_m} m "
                 "cells.").format(bandwidth_m=format_number(distance_m),
                                  cell_m=format_number(cell_m))
    return _("Sum of tonnes within {radius_m} m straight-line (disc convolution on {cell_m} m "
             "cells).").format(radius_m=format_number(distance_m),
                               cell_m=format_number(cell_m))


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
        check_distance_m(self.bandwidth_m, _("The heat bandwidth (bandwidth_m)"))
        if self.cell_m is not None:
            check_distance_m(self.cell_m, _("The grid cell size (cell_m)"))
        if not 1.0 <= self.truncate <= 6.0:
            msg = _("truncate must be between 1 and 6 bandwidths, got {value}.").format(
                value=repr(self.truncate))
            raise SymbiosisError(msg)
        if self.max_cells < 16:
            msg = _("max_cells must be at least 16, got {value}.").format(
                value=repr(self.max_cells))
            raise SymbiosisError(msg)

    @property
    def resolved_cell_m(self) -> float:
        """The requested cell size, or a third of the bandwidth (at least 5 m)."""
        return float(self.cell_m) if self.cell_m is not None else max(self.bandwidth_m / 3, 5.0)


@dataclass(frozen=True, eq=False)
class Surface:
    """A raster result (heat, or tonnes within a radius) with its grid, units and provenance.

    Attributes
    ----------
    values : ndarray of shape (ny, nx)
        The figure per cell in :attr:`units` (NaN marks a cell not shown).
    grid : Grid
        Where the cells are (metric CRS, north-up).
    units : str
        ``"t/yr per km²"`` for a heat surface, ``"t/yr"`` for tonnes within a radius.
    label : str
        What the figure is, for legends and file metadata.
    method : str
        How it was computed (binned Gaussian KDE, disc sum …).
    distance_m : float
        The kernel bandwidth or the radius, metres.
    total_tonnes : float
        Tonnes (t/yr) of the records used.
    records, producers, hidden_cells : int
        Records used, distinct producers among them, cells not shown (NaN).
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

    def caption(self) -> str:
        """How the surface was made, in this session's language (for the page).

        :attr:`method` stays English: it is file metadata (GeoTIFF tags, ``summary.json``).
        """
        return method_text(self.units, self.distance_m, self.grid.cell_m)

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


def _count_distinct(codes: np.ndarray | None) -> int:
    """Distinct values of integer codes (a bincount when they are dense, as factorised)."""
    if codes is None or len(codes) == 0:
        return 0
    c = np.asarray(codes)
    if c.dtype.kind in "iu" and c.min() >= 0 and c.max() < 4 * len(c) + 1024:
        return int(np.count_nonzero(np.bincount(c)))
    return len(pd.unique(c))


def kde_surface(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *, crs: pyproj.CRS,
                params: KDEParams | None = None, grid: Grid | None = None,
                producers: np.ndarray | None = None) -> Surface:
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
        Producer code per record (counted in :attr:`Surface.producers`).

    Returns
    -------
    Surface
        ``values`` in t/yr per km²; ``values.sum() * grid.cell_km2`` equals the tonnes binned.
    """
    params = params or KDEParams()
    x, y, w = (np.asarray(a, dtype=float) for a in (x_m, y_m, tonnes))
    if not (len(x) == len(y) == len(w)):
        msg = _("x_m, y_m and tonnes must have one value per record, got {n_x}, {n_y}, "
                "{n_w}.").format(n_x=len(x), n_y=len(y), n_w=len(w))
        raise SymbiosisError(msg)
    if len(x) == 0:
        msg = _("No records to draw a heat surface from; widen the filter.")
        raise SymbiosisError(msg)
    if np.any(w < 0):
        msg = _("Tonnages must be ≥ 0 t/yr, got {n} negative values (e.g. {example}); "
                "correct them on the Import page.").format(
                    n=int((w < 0).sum()), example=repr(float(w[w < 0][0])))
        raise SymbiosisError(msg)
    bw = params.bandwidth_m
    if grid is None:
        cell = params.resolved_cell_m
        grid = grid_for_points(x, y, cell_m=cell, pad_m=params.truncate * bw + 2 * cell,
                               crs=crs, max_cells=params.max_cells)
    bins = linear_bin_tonnes(grid, x, y, w)
    sigma_cells = bw / grid.cell_m
    smoothed = ndimage.gaussian_filter(bins, sigma=sigma_cells, mode="constant", cval=0.0,
                                       truncate=params.truncate)
    values = np.clip(smoothed, 0.0, None) / grid.cell_km2
    logger.debug("KDE %d records on %dx%d grid (%.0f m cells, h=%.0f m)", len(x), grid.nx,
                 grid.ny, grid.cell_m, bw)
    return Surface(values=values, grid=grid, units=DENSITY_UNITS,
                   label="Tonnage density", method=(
                       f"binned Gaussian kernel density, bandwidth {bw:,.0f} m, "
                       f"{grid.cell_m:,.0f} m cells"),
                   distance_m=bw, total_tonnes=float(bins.sum()), records=len(x),
                   producers=_count_distinct(producers))


def kde_from_gdf(gdf: gpd.GeoDataFrame, *, weight_col: str = "tonnes_per_year",
                 params: KDEParams | None = None, producer_col: str = "site_id") -> Surface:
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
    return kde_surface(x, y, w, crs=crs, params=params, producers=producers)
