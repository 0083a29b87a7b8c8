"""Within-radius surfaces: tonnes of a stream available within ``r`` of every point (t/yr).

This is the figure a plant's business case needs ("is there ≥ 20,000 t/yr of organics within
a 30 km haul?"); the page calls it the *Catchment* view. Records are binned onto a metric
:class:`~geo.concentrations.grid.Grid` and the grid is convolved (FFT) with a disc of radius
``r``: each cell gets the tonnes of every bin whose centre lies within ``r`` of the cell's
centre, so positions are exact to half a cell (the default cell is a tenth of the radius).

:func:`within_radius_by_group` does every stream or chapter at once: one bincount builds a
(groups × rows × columns) stack and one FFT convolution runs over it, so twenty chapters cost
little more than one.

The distance is straight-line (Euclidean in the metric CRS), labelled as such in
:attr:`Surface.method`; tonnes within a road distance need a network, see
:mod:`geo.network` (and the site finder's plant catchments, :mod:`geo.siting.catchments`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
from scipy import signal

from geo.concentrations.density import Surface
from geo.concentrations.grid import (
    Grid,
    bin_tonnes,
    check_distance_m,
    grid_for_points,
    project_lonlat,
)
from geo.errors import SymbiosisError
from geo.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pyproj

__all__ = [
    "WITHIN_RADIUS_UNITS",
    "RadiusParams",
    "SurfaceStack",
    "disc_kernel",
    "sample_surface",
    "within_radius_by_group",
    "within_radius_surface",
]

logger = logging.getLogger(__name__)

WITHIN_RADIUS_UNITS: Final = "t/yr"


@dataclass(frozen=True)
class RadiusParams:
    """Knobs of a within-radius surface.

    Attributes
    ----------
    radius_m : float
        The radius in metres (straight line); > 0 and ≤ 500 km.
    cell_m : float or None
        Grid cell size in metres; default a tenth of the radius (at least 5 m).
    max_cells : int
        Cells are enlarged if the grid would be bigger than this.
    """

    radius_m: float = 10_000.0
    cell_m: float | None = None
    max_cells: int = 1_000_000

    def __post_init__(self) -> None:
        check_distance_m(self.radius_m, _("The catchment radius (radius_m)"))
        if self.cell_m is not None:
            check_distance_m(self.cell_m, _("The grid cell size (cell_m)"))
        if self.max_cells < 16:
            msg = _("max_cells must be at least 16, got {value}.").format(
                value=repr(self.max_cells))
            raise SymbiosisError(msg)

    @property
    def resolved_cell_m(self) -> float:
        """The requested cell size, or a tenth of the radius (at least 5 m)."""
        return float(self.cell_m) if self.cell_m is not None else max(self.radius_m / 10, 5.0)


def disc_kernel(radius_m: float, cell_m: float) -> np.ndarray:
    """Ones on cells whose centre lies within ``radius_m`` of the centre cell's centre.

    Examples
    --------
    >>> disc_kernel(1.0, 1.0).astype(int).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    """
    r = math.floor(radius_m / cell_m)
    offsets = np.arange(-r, r + 1) * cell_m
    dx, dy = np.meshgrid(offsets, offsets)
    return np.asarray(np.hypot(dx, dy) <= radius_m * (1 + 1e-9), dtype=float)


@dataclass(frozen=True, eq=False)
class SurfaceStack:
    """Within-radius surfaces of several groups (streams, chapters) on one grid.

    Attributes
    ----------
    values : ndarray of shape (groups, ny, nx)
        t/yr within the radius; NaN where hidden by the confidentiality rule.
    labels : tuple of str
        The group of each layer (e.g. chapter codes).
    grid : Grid
    radius_m : float
    tonnes : ndarray
        Tonnes (t/yr) binned per group.
    """

    values: np.ndarray
    labels: tuple[str, ...]
    grid: Grid
    radius_m: float
    tonnes: np.ndarray

    def surface(self, label: str) -> Surface:
        """One group's layer as a :class:`Surface`."""
        if label not in self.labels:
            msg = _("No catchment layer {label}; layers are {labels}.").format(
                label=repr(label), labels=repr(list(self.labels)))
            raise SymbiosisError(msg)
        i = self.labels.index(label)
        vals = self.values[i]
        return Surface(values=vals, grid=self.grid, units=WITHIN_RADIUS_UNITS,
                       label=f"Tonnes within {self.radius_m / 1000:g} km ({label})",
                       method=_method(self.radius_m, self.grid), distance_m=self.radius_m,
                       total_tonnes=float(self.tonnes[i]), records=0, producers=0,
                       hidden_cells=int(np.isnan(vals).sum()))


def _method(radius_m: float, grid: Grid) -> str:
    return (f"sum of tonnes within {radius_m:,.0f} m straight-line (disc convolution on "
            f"{grid.cell_m:,.0f} m cells)")


def _convolve_stack(stack: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """FFT convolution over the last two axes, 'same' size, cleaned of round-off."""
    out = signal.fftconvolve(stack, kernel.reshape((1,) * (stack.ndim - 2) + kernel.shape),
                             mode="same", axes=(-2, -1))
    scale = max(float(np.abs(stack).max(initial=0.0)), 1.0)
    out[np.abs(out) < scale * 1e-9] = 0.0
    return np.asarray(np.clip(out, 0.0, None), dtype=float)


def within_radius_by_group(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray,
                           groups: np.ndarray, labels: Sequence[str], *, crs: pyproj.CRS,
                           params: RadiusParams | None = None, grid: Grid | None = None
                           ) -> SurfaceStack:
    """Tonnes within ``radius_m`` of every cell, for every group at once.

    Parameters
    ----------
    x_m, y_m : ndarray
        Record positions in metres in ``crs``.
    tonnes : ndarray
        t/yr per record (≥ 0).
    groups : ndarray of int
        Group of each record, ``0 … len(labels)-1`` (records with -1 are left out).
    labels : sequence of str
        Name of each group (e.g. catalogue chapter codes).
    crs : pyproj.CRS
        Projected CRS of the positions.
    params : RadiusParams, optional
    grid : Grid, optional
        Compute on this grid (e.g. the heat surface's) instead of one fitted to the points.

    Returns
    -------
    SurfaceStack
        ``values[g]`` in t/yr. A cell's value is exact for bins whose centres are within the
        radius; a record can be misplaced by at most half a cell diagonal.
    """
    params = params or RadiusParams()
    x, y, w = (np.asarray(a, dtype=float) for a in (x_m, y_m, tonnes))
    g = np.asarray(groups, dtype=np.int64)
    if not (len(x) == len(y) == len(w) == len(g)):
        msg = _("x_m, y_m, tonnes and groups must have one value per record, got {n_x}, "
                "{n_y}, {n_w}, {n_g}.").format(n_x=len(x), n_y=len(y), n_w=len(w), n_g=len(g))
        raise SymbiosisError(msg)
    if len(x) == 0:
        msg = _("No records to compute a catchment from; widen the filter.")
        raise SymbiosisError(msg)
    if np.any(w < 0):
        msg = _("Tonnages must be ≥ 0 t/yr, got {n} negative values.").format(
            n=int((w < 0).sum()))
        raise SymbiosisError(msg)
    n_groups = len(labels)
    r = params.radius_m
    if grid is None:
        cell = params.resolved_cell_m
        grid = grid_for_points(x, y, cell_m=cell, pad_m=r + cell, crs=crs,
                               max_cells=max(params.max_cells // max(n_groups, 1), 16))
    kernel = disc_kernel(r, grid.cell_m)
    stack = bin_tonnes(grid, x, y, w, groups=g, n_groups=n_groups)
    values = _convolve_stack(stack, kernel)
    logger.debug("Within r=%.0f m for %d groups on %dx%d grid", r, n_groups, grid.nx,
                 grid.ny)
    return SurfaceStack(values=values, labels=tuple(str(s) for s in labels), grid=grid,
                        radius_m=r, tonnes=stack.reshape(n_groups, -1).sum(axis=1))


def within_radius_surface(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *,
                          crs: pyproj.CRS, params: RadiusParams | None = None,
                          grid: Grid | None = None, producers: np.ndarray | None = None
                          ) -> Surface:
    """Tonnes (t/yr) of all the records within ``radius_m`` of every cell.

    See :func:`within_radius_by_group` for the parameters; this is its one-group case.
    ``producers`` (a producer code per record) only counts them in
    :attr:`Surface.producers`.

    Examples
    --------
    >>> import pyproj
    >>> s = within_radius_surface([0.0, 12000.0], [0.0, 0.0], [100.0, 50.0],
    ...                           crs=pyproj.CRS.from_epsg(32635),
    ...                           params=RadiusParams(radius_m=5000))
    >>> round(float(np.nanmax(s.values)), 6)  # no cell lies within 5 km of both
    100.0
    """
    x = np.asarray(x_m, dtype=float)
    stack = within_radius_by_group(x, y_m, tonnes, np.zeros(len(x), dtype=np.int64),
                                   ("all",), crs=crs, params=params, grid=grid)
    surf = stack.surface("all")
    n_prod = len(pd.unique(np.asarray(producers))) if producers is not None else 0
    return Surface(values=surf.values, grid=surf.grid, units=WITHIN_RADIUS_UNITS,
                   label=f"Tonnes within {stack.radius_m / 1000:g} km", method=surf.method,
                   distance_m=stack.radius_m, total_tonnes=surf.total_tonnes, records=len(x),
                   producers=n_prod, hidden_cells=surf.hidden_cells)


def sample_surface(surface: Surface, lon: Sequence[float] | np.ndarray,
                   lat: Sequence[float] | np.ndarray) -> np.ndarray:
    """The surface's value at WGS84 points (NaN outside the grid or where hidden).

    Used to ask "how many t/yr within r of this candidate site?".
    """
    x, y = project_lonlat(np.asarray(lon, float), np.asarray(lat, float), surface.crs)
    flat = surface.grid.cell_index(x, y)
    out = np.full(flat.shape, np.nan)
    inside = flat >= 0
    out[inside] = surface.values.reshape(-1)[flat[inside]]
    return out
