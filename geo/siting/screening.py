"""National screening: a 1 km grid scored for a technology, and well-separated proposals.

Where no road network covers the study area (a whole country), every cell of a metric grid is
scored from straight-line distances: the supply whose straight-line distance × detour factor
is within the haul limit (a disc of radius ``limit / detour``), and the tonne-kilometres to
bring it in — two FFT convolutions of the binned tonnage (with a disc and with a
distance-weighted disc, :func:`geo.concentrations.within_radius.disc_kernel`). Positions are
exact to half a cell. The figures are labelled ``method="straight-line"``.

Top cells bunch together (neighbours of a good cell are good too), so
:func:`separated_top_cells` proposes sites at least a minimum distance apart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyproj
from scipy import signal
from scipy.spatial import cKDTree

from geo.concentrations.grid import Grid, bin_tonnes, grid_for_points
from geo.concentrations.within_radius import disc_kernel
from geo.errors import SitingError
from geo.network import DEFAULT_DETOUR_FACTOR

__all__ = ["ScreeningGrid", "screen_grid", "separated_top_cells"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class ScreeningGrid:
    """Per-cell screening figures on a metric grid (row 0 = north).

    Attributes
    ----------
    grid : Grid
    tonnes : ndarray, shape (ny, nx)
        t/yr within the haul limit (straight line × detour).
    mean_haul_km : ndarray
        Tonnage-weighted mean haul (km, road-equivalent); NaN where no supply.
    score : ndarray
        0–100: ``w_feed · min(tonnes / max_throughput, 1) + w_haul · (1 − haul / limit)``.
    method : str
        How distances were measured (for the page and exports).
    """

    grid: Grid
    tonnes: np.ndarray
    mean_haul_km: np.ndarray
    score: np.ndarray
    method: str


def _convolve(stack: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    out = signal.fftconvolve(stack, kernel, mode="same")
    scale = max(float(np.abs(stack).max(initial=0.0)), 1.0)
    out[np.abs(out) < scale * 1e-9] = 0.0
    return np.asarray(np.clip(out, 0.0, None))


def screen_grid(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *, crs: pyproj.CRS,
                max_haul_m: float, max_throughput_t: float, cell_m: float = 1000.0,
                detour_factor: float = DEFAULT_DETOUR_FACTOR, feedstock_weight: float = 0.6,
                haul_weight: float = 0.4, grid: Grid | None = None,
                max_cells: int = 2_000_000) -> ScreeningGrid:
    """Score every cell of a grid for a plant, from straight-line distances.

    Parameters
    ----------
    x_m, y_m : ndarray
        Supply record positions (metres, ``crs``).
    tonnes : ndarray
        t/yr per record (≥ 0).
    crs : pyproj.CRS
        A projected CRS (e.g. the national grid).
    max_haul_m : float
        Road haul limit (m); the disc radius is ``max_haul_m / detour_factor``.
    max_throughput_t : float
        The plant's capacity, which caps the feedstock criterion.
    cell_m : float
        Cell size (default 1 km).
    detour_factor : float
        Road ÷ straight-line distance (≥ 1).
    feedstock_weight, haul_weight : float
        Weights of the two criteria (≥ 0, not both 0).
    grid : Grid, optional
        Score this grid instead of one fitted to the records.
    max_cells : int
        Refuse grids larger than this.
    """
    x, y, w = (np.asarray(a, float) for a in (x_m, y_m, tonnes))
    if not len(x) == len(y) == len(w) or len(x) == 0:
        msg = ("Screening needs one x, y and tonnage per record and at least one record, "
               f"got {len(x)}.")
        raise SitingError(msg)
    if (w < 0).any() or not np.isfinite(w).all():
        msg = "Screening tonnages must be finite and ≥ 0 t/yr."
        raise SitingError(msg)
    if detour_factor < 1 or max_haul_m <= 0 or max_throughput_t <= 0:
        msg = (f"Need detour_factor ≥ 1, max_haul_m > 0 and max_throughput_t > 0, got "
               f"{detour_factor!r}, {max_haul_m!r}, {max_throughput_t!r}.")
        raise SitingError(msg)
    if feedstock_weight < 0 or haul_weight < 0 or feedstock_weight + haul_weight <= 0:
        msg = "Screening weights must be ≥ 0 and not both 0."
        raise SitingError(msg)
    radius = max_haul_m / detour_factor
    if grid is None:
        grid = grid_for_points(x, y, cell_m=cell_m, pad_m=cell_m, crs=crs, max_cells=max_cells)
    if grid.nx * grid.ny > max_cells:
        msg = (f"The grid has {grid.nx * grid.ny:,} cells, more than {max_cells:,}; use larger "
               "cells.")
        raise SitingError(msg)
    stack = bin_tonnes(grid, x, y, w)
    disc = disc_kernel(radius, grid.cell_m)
    r = disc.shape[0] // 2
    off = np.arange(-r, r + 1) * grid.cell_m
    dist_km = np.hypot(*np.meshgrid(off, off)) / 1000.0 * detour_factor
    within = _convolve(stack, disc)
    tkm = _convolve(stack, disc * dist_km)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_haul = np.where(within > 0, tkm / within, np.nan)
    wf, wh = feedstock_weight, haul_weight
    feed_s = np.minimum(within / max_throughput_t, 1.0)
    haul_s = np.where(within > 0, 1.0 - np.minimum(np.nan_to_num(mean_haul) * 1000 / max_haul_m,
                                                  1.0), 0.0)
    score = 100.0 * (wf * feed_s + wh * haul_s) / (wf + wh)
    method = (f"straight-line × {detour_factor:g} on {grid.cell_m:,.0f} m cells "
              f"(disc of {radius / 1000:,.1f} km)")
    logger.debug("Screened %d×%d grid: %s", grid.ny, grid.nx, method)
    return ScreeningGrid(grid=grid, tonnes=within, mean_haul_km=mean_haul, score=score,
                         method=method)


def separated_top_cells(screen: ScreeningGrid, *, n: int = 10,
                        min_separation_m: float = 20_000.0, pool: int = 20_000) -> pd.DataFrame:
    """The best ``n`` cells at least ``min_separation_m`` apart (greedy, best first).

    Returns ``x``, ``y`` (metres), ``lon``, ``lat``, ``score``, ``tonnes``, ``mean_haul_km``.
    """
    if n < 1 or min_separation_m < 0:
        msg = (f"Ask for at least 1 site and a separation ≥ 0 m, got {n!r} and "
               f"{min_separation_m!r}.")
        raise SitingError(msg)
    flat = screen.score.ravel()
    k = min(pool, flat.size)
    top = np.argpartition(-flat, k - 1)[:k]
    top = top[np.argsort(-flat[top], kind="stable")]
    g = screen.grid
    rows, cols = np.divmod(top, g.nx)
    xs = g.x0 + (cols + 0.5) * g.cell_m
    ys = g.y1 - (rows + 0.5) * g.cell_m
    tree = cKDTree(np.column_stack([xs, ys]))
    taken = np.zeros(len(top), bool)
    blocked = np.zeros(len(top), bool)
    for i in range(len(top)):
        if blocked[i] or flat[top[i]] <= 0:
            continue
        taken[i] = True
        if taken.sum() >= n:
            break
        blocked[tree.query_ball_point([xs[i], ys[i]], r=min_separation_m)] = True
    idx = np.flatnonzero(taken)
    tr = pyproj.Transformer.from_crs(g.crs, "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(xs[idx], ys[idx])
    r_, c_ = rows[idx], cols[idx]
    return pd.DataFrame({"x": xs[idx], "y": ys[idx], "lon": lon, "lat": lat,
                         "score": flat[top[idx]], "tonnes": screen.tonnes[r_, c_],
                         "mean_haul_km": screen.mean_haul_km[r_, c_]})
