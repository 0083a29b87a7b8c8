"""Hot spots: Getis-Ord Gi* on the hexagon grid, with a false-discovery-rate correction.

Which concentrations are statistically significant, not just bright? For each hexagon the
Gi* statistic compares the tonnes in the cell *and* its ``k``-ring neighbours with what the
whole study area would give at random; it is a z-score (analytic, under the normal
approximation of Getis & Ord 1992 / Ord & Getis 1995), so no permutations are needed and the
whole grid is one sparse matrix product.

Results are classed as ArcGIS's Optimized Hot Spot Analysis does (``Gi_Bin``): ±3 hot/cold
spot at 99 % confidence, ±2 at 95 %, ±1 at 90 %, 0 not significant; with the FDR correction
(Benjamini–Hochberg adjusted p-values from :func:`scipy.stats.false_discovery_control`,
compared with each confidence level) the thresholds account for testing every cell at once.

The study area is the occupied hexagons plus, by default, the empty hexagons in their
``k``-ring (tonnes 0): concentration is then judged against the surrounding empty land, not
only among the occupied cells.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse, stats

from geo.errors import SymbiosisError
from geo.hexcells import cells_to_polygons, cells_to_str, grid_disks, str_to_cells
from geo.i18n import N_, _

__all__ = [
    "BIN_LABELS",
    "HotSpotParams",
    "bin_label",
    "gi_bins",
    "gi_star",
    "hex_weights",
    "hot_spots",
    "hot_spots_from_hexagons",
]

logger = logging.getLogger(__name__)

BIN_LABELS: Final = {
    3: N_("Hot spot - 99% confidence"),
    2: N_("Hot spot - 95% confidence"),
    1: N_("Hot spot - 90% confidence"),
    0: N_("Not significant"),
    -1: N_("Cold spot - 90% confidence"),
    -2: N_("Cold spot - 95% confidence"),
    -3: N_("Cold spot - 99% confidence"),
}
"""Labels of ``gi_bin`` as ArcGIS's Optimized Hot Spot Analysis writes them (English in the
``label`` column of results and files; translate with ``_`` where shown: :func:`bin_label`)."""


def bin_label(gi_bin: int) -> str:
    """The label of a ``gi_bin`` class in this session's language."""
    return _(BIN_LABELS[int(gi_bin)])
_ALPHAS: Final = ((3, 0.01), (2, 0.05), (1, 0.10))


@dataclass(frozen=True)
class HotSpotParams:
    """Knobs of the hot-spot analysis.

    Attributes
    ----------
    k_ring : int
        Neighbourhood: the cell and every cell within ``k_ring`` steps (1 = the 6 neighbours).
    include_empty : bool
        Add the empty cells in the ``k_ring`` of occupied ones to the study area (tonnes 0).
    fdr : bool
        Apply the Benjamini–Hochberg false-discovery-rate correction.
    """

    k_ring: int = 1
    include_empty: bool = True
    fdr: bool = True

    def __post_init__(self) -> None:
        if not (isinstance(self.k_ring, int) and 1 <= self.k_ring <= 5):
            msg = _("k_ring must be an integer from 1 to 5 rings, got {value}.").format(
                value=repr(self.k_ring))
            raise SymbiosisError(msg)


def hex_weights(cells: np.ndarray, *, k_ring: int = 1,
                disks: tuple[np.ndarray, np.ndarray] | None = None) -> sparse.csr_matrix:
    """Binary spatial weights (focal cell included) of H3 cells: ``w_ij = 1`` within k rings.

    Neighbours outside ``cells`` are ignored. ``disks`` may pass the cells' k-ring disks
    already computed (:func:`geo.hexcells.grid_disks` of ``cells``, in order). Returns an
    (n, n) CSR matrix.
    """
    c = np.asarray(cells, dtype=np.int64)
    rows, neigh = disks if disks is not None else grid_disks(c, k_ring)
    cols = pd.Index(c).get_indexer(neigh)
    keep = cols >= 0
    data = np.ones(int(keep.sum()))
    return sparse.csr_matrix((data, (rows[keep], cols[keep])), shape=(len(c), len(c)))


def gi_star(values: np.ndarray, weights: sparse.spmatrix) -> np.ndarray:
    """Getis-Ord Gi* z-score of every location (the focal value included).

    ``z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n S1_i − W_i²)/(n − 1)))`` with ``W_i = Σ_j w_ij``,
    ``S1_i = Σ_j w_ij²``, ``x̄`` the mean and ``S`` the (population) standard deviation of
    ``x``. A location whose neighbourhood is the whole study area, or a constant ``x``, gets
    0 (nothing can be significant).

    Examples
    --------
    >>> w = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]], dtype=float))
    >>> np.round(gi_star(np.array([10.0, 0.0, 0.0]), w), 3).tolist()
    [0.707, 0.0, -1.414]
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    w = sparse.csr_matrix(weights, dtype=float)
    if w.shape != (n, n):
        msg = _("weights must be {n}×{n} for {n} values, got {shape}.").format(
            n=n, shape=w.shape)
        raise SymbiosisError(msg)
    if n < 3:
        return np.zeros(n)
    mean = float(x.mean())
    s = math.sqrt(max(float((x**2).mean()) - mean**2, 0.0))
    wi = np.asarray(w.sum(axis=1)).ravel()
    s1 = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    num = w @ x - mean * wi
    var = (n * s1 - wi**2) / (n - 1)
    den = s * np.sqrt(np.clip(var, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(den > 1e-12 * max(abs(mean), 1.0), num / den, 0.0)
    return np.asarray(z, dtype=float)


def gi_bins(z: np.ndarray, *, fdr: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p-values and ArcGIS ``Gi_Bin`` classes (−3 … 3) of Gi* z-scores.

    With ``fdr`` a cell is significant at level α when its Benjamini–Hochberg adjusted
    p-value (:func:`scipy.stats.false_discovery_control`, ``method="bh"``) is at most α.

    Examples
    --------
    >>> z = np.array([3.0, 2.0, 1.0, 0.0, -0.5])
    >>> gi_bins(z, fdr=False)[1].tolist(), gi_bins(z)[1].tolist()
    ([3, 2, 0, 0, 0], [2, 0, 0, 0, 0])
    """
    z = np.asarray(z, dtype=float)
    p = 2.0 * stats.norm.sf(np.abs(z))
    bins = np.zeros(len(z), dtype=np.int8)
    adjusted = stats.false_discovery_control(p, method="bh") if fdr and len(p) else p
    for level, alpha in reversed(_ALPHAS):
        bins[adjusted <= alpha] = level
    bins = np.where(z < 0, -bins, bins).astype(np.int8)
    return p, bins


def hot_spots(cells: np.ndarray, values: np.ndarray, *,
              params: HotSpotParams | None = None) -> pd.DataFrame:
    """Gi* hot and cold spots of values on H3 cells (the core, on arrays).

    Parameters
    ----------
    cells : ndarray of int64
        Occupied H3 cells (one resolution), no duplicates.
    values : ndarray
        The figure per cell (t/yr).
    params : HotSpotParams, optional

    Returns
    -------
    DataFrame
        ``cell`` (int64), ``value``, ``neighbours`` (cells in the neighbourhood, focal
        included), ``gi_z``, ``p_value``, ``gi_bin`` (−3 … 3), ``label``; the study area's
        added empty cells have value 0.
    """
    params = params or HotSpotParams()
    c = np.asarray(cells, dtype=np.int64)
    v = np.nan_to_num(np.asarray(values, dtype=float))
    if len(c) != len(v):
        msg = _("cells and values must have the same length, got {n_cells} and "
                "{n_values}.").format(n_cells=len(c), n_values=len(v))
        raise SymbiosisError(msg)
    if len(pd.unique(c)) != len(c):
        msg = _("cells must be distinct (one value per hexagon); aggregate them first.")
        raise SymbiosisError(msg)
    owner, neigh = grid_disks(c, params.k_ring)
    if params.include_empty and len(c):
        # the empty cells in the occupied cells' disks join the study area; their own disks
        # are added to the ones already computed (each cell's disk computed once)
        extra = pd.Index(pd.unique(neigh)).difference(pd.Index(c)).to_numpy(np.int64)
        extra_owner, extra_neigh = grid_disks(extra, params.k_ring)
        owner = np.concatenate([owner, extra_owner + len(c)])
        neigh = np.concatenate([neigh, extra_neigh])
        c = np.concatenate([c, extra])
        v = np.concatenate([v, np.zeros(len(extra))])
    w = hex_weights(c, k_ring=params.k_ring, disks=(owner, neigh))
    z = gi_star(v, w)
    p, bins = gi_bins(z, fdr=params.fdr)
    logger.debug("Gi* on %d cells: %d hot, %d cold", len(c), int((bins > 0).sum()),
                 int((bins < 0).sum()))
    return pd.DataFrame({
        "cell": c, "value": v, "neighbours": np.asarray(w.sum(axis=1)).ravel().astype(int),
        "gi_z": z, "p_value": p, "gi_bin": bins,
        "label": pd.Series(bins).map(BIN_LABELS).to_numpy(),
    })


def hot_spots_from_hexagons(hexes: pd.DataFrame, *, value_col: str = "tonnes",
                            params: HotSpotParams | None = None,
                            show_figures: bool = True) -> gpd.GeoDataFrame:
    """Hot spots of a hexagon-totals frame (``h3_cell`` + ``value_col``), as polygons.

    Parameters
    ----------
    hexes : DataFrame
        From :func:`geo.concentrations.hexagons.hexagon_totals_from_gdf` (unprotected: the
        test needs every cell's tonnes; only classes are shown to viewers).
    show_figures : bool
        False for viewers who may not see companies: the result then carries only the cell
        and its class (no tonnes, z or p that could be worked back to one company's figure).

    Returns
    -------
    GeoDataFrame
        EPSG:4326 with ``h3_cell``, ``gi_bin``, ``label`` (and ``tonnes``, ``gi_z``,
        ``p_value``, ``neighbours`` when ``show_figures``).
    """
    if "h3_cell" not in hexes.columns or value_col not in hexes.columns:
        msg = _("Hot spots need columns 'h3_cell' and {column}, got {columns}; use "
                "hexagon_totals_from_gdf first.").format(column=repr(value_col),
                                                         columns=repr(list(hexes.columns)))
        raise SymbiosisError(msg)
    cells = str_to_cells(hexes["h3_cell"].to_numpy(dtype=object))
    result = hot_spots(cells, hexes[value_col].to_numpy(float), params=params)
    out = pd.DataFrame({
        "h3_cell": cells_to_str(result["cell"].to_numpy()),
        "gi_bin": result["gi_bin"].astype(int), "label": result["label"]})
    if show_figures:
        out[value_col] = result["value"]
        out["gi_z"] = result["gi_z"]
        out["p_value"] = result["p_value"]
        out["neighbours"] = result["neighbours"]
    return gpd.GeoDataFrame(out, geometry=cells_to_polygons(result["cell"].to_numpy()),
                            crs="EPSG:4326")

