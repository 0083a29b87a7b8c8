"""Score candidate (have, want) pairs: quantity and frequency fit, nearness, weighted score.

The array core of matching (:mod:`geo.synergies.matching` is the adapter over a programme):

- :func:`quantity_fit`, :func:`frequency_fit` and :func:`score_pairs` work on broadcastable
  arrays; :class:`MatchParams` holds the weights and every other knob of the matcher;
- :func:`score_block` scores the linked pairs of many haves at once. Haves are grouped by
  matching key; all haves of a key share the same candidate wants (the links of that key), so
  each group is scored as one dense block of ``haves × wants`` arrays, chunked to
  ``MatchParams.block_cells``, and only the best ``top_k`` per have are kept.

Distances are kilometres (by road, or straight line × detour; see
:class:`~geo.synergies.distances.SiteDistances`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd

from geo.errors import SynergyError
from geo.i18n import N_, _
from geo.network import DEFAULT_DETOUR_FACTOR
from geo.programme import FREQUENCIES

if TYPE_CHECKING:
    from geo.synergies.distances import SiteDistances

__all__ = [
    "BASIS_BITS",
    "BASIS_LABELS",
    "SCOPE_LABELS",
    "MatchParams",
    "Scope",
    "frequency_fit",
    "quantity_fit",
    "score_block",
    "score_pairs",
]

logger = logging.getLogger(__name__)

BASIS_BITS: Final = {"exact": 1, "family": 2, "sector": 4, "knowledge": 8, "class": 16}
"""Bit of each basis in the ``bases`` mask of a link."""
# Translators: the basis on which a have was matched to a want.
BASIS_LABELS: Final = {"exact": N_("same code"), "family": N_("code family rule"),
                       "sector": N_("receiving sector rule"), "knowledge": N_("knowledge base"),
                       "class": N_("resource class rule")}
"""Display label of each basis code (the match table's ``basis`` holds the codes; translate
the label with ``_`` where shown)."""
Scope = Literal["all", "same park", "other parks"]
"""Where partners may be: anywhere, in the have's own park, or in other parks."""
# Translators: where a have's partners may be: anywhere, in its own park, in other parks.
SCOPE_LABELS: Final = {"all": N_("all"), "same park": N_("same park"),
                       "other parks": N_("other parks")}
"""Display label of each :data:`Scope` value (the values are the widget options)."""


@dataclass(frozen=True)
class MatchParams:
    """Knobs of the matcher.

    Attributes
    ----------
    top_k : int
        Matches kept per record.
    scope : {"all", "same park", "other parks"}
        Where partners may be ("other parks" looks for a solution in another park).
    max_distance_km : float or None
        Drop pairs farther apart than this (km); pairs of unlocated sites are kept.
    distance_scale_km : float
        Nearness is ``exp(-distance / scale)``.
    weight_basis, weight_quantity, weight_frequency, weight_distance : float
        Relative weights of the score terms (normalised to sum 1).
    exact_strength : float
        Basis strength of a same-code match (rules carry their own).
    kb_strength, kb_step, kb_max : float
        Knowledge-base strength: ``min(kb_strength + kb_step·(n−1), kb_max)`` for a sector
        that completed ``n`` synergies with the code.
    detour_factor : float
        Road ÷ straight-line distance for the stand-in (≥ 1).
    cost_per_tkm : float or None
        Transport cost per tonne-km; None uses the factor ``transport_cost_per_tkm``.
    road_max_sites : int
        All-pairs matching uses road distances when at most this many sites have haves
        (one Dijkstra row each); beyond it the labelled stand-in is used.
    block_cells : int
        Pairs scored at once (memory bound).
    """

    top_k: int = 10
    scope: Scope = "all"
    max_distance_km: float | None = None
    distance_scale_km: float = 25.0
    weight_basis: float = 0.4
    weight_quantity: float = 0.2
    weight_frequency: float = 0.1
    weight_distance: float = 0.3
    exact_strength: float = 1.0
    kb_strength: float = 0.6
    kb_step: float = 0.1
    kb_max: float = 0.9
    detour_factor: float = DEFAULT_DETOUR_FACTOR
    cost_per_tkm: float | None = None
    road_max_sites: int = 2000
    block_cells: int = 1_000_000

    def __post_init__(self) -> None:
        if self.top_k < 1:
            msg = _("top_k must be at least 1, got {value}.").format(value=repr(self.top_k))
            raise SynergyError(msg)
        if self.scope not in ("all", "same park", "other parks"):
            msg = _("scope must be 'all', 'same park' or 'other parks', got {value}.").format(
                value=repr(self.scope))
            raise SynergyError(msg)
        if self.max_distance_km is not None and self.max_distance_km <= 0:
            msg = _("max_distance_km must be positive or None, got {value}.").format(
                value=repr(self.max_distance_km))
            raise SynergyError(msg)
        if self.distance_scale_km <= 0:
            msg = _("distance_scale_km must be positive, got {value}.").format(
                value=repr(self.distance_scale_km))
            raise SynergyError(msg)
        weights = (self.weight_basis, self.weight_quantity, self.weight_frequency,
                   self.weight_distance)
        if min(weights) < 0 or sum(weights) <= 0:
            msg = _("Score weights must be ≥ 0 and not all 0, got {value}.").format(
                value=repr(weights))
            raise SynergyError(msg)
        for name in ("exact_strength", "kb_strength", "kb_max"):
            if not 0 < getattr(self, name) <= 1:
                msg = _("{name} must be in (0, 1], got {value}.").format(
                    name=name, value=repr(getattr(self, name)))
                raise SynergyError(msg)
        if self.detour_factor < 1:
            msg = _("detour_factor must be at least 1 (roads are never shorter), got "
                    "{value}.").format(value=repr(self.detour_factor))
            raise SynergyError(msg)
        if self.cost_per_tkm is not None and self.cost_per_tkm < 0:
            msg = _("cost_per_tkm must be ≥ 0, got {value}.").format(
                value=repr(self.cost_per_tkm))
            raise SynergyError(msg)
        if self.block_cells < 1000:
            msg = _("block_cells must be at least 1000, got {value}.").format(
                value=repr(self.block_cells))
            raise SynergyError(msg)


def quantity_fit(q_have: np.ndarray, q_want: np.ndarray, same_unit: np.ndarray) -> np.ndarray:
    """``min/max`` of the two quantities (1 = equal); 0.5 where units differ or one is unknown.

    Arrays broadcast (a column of haves against a row of wants gives a matrix).

    Examples
    --------
    >>> quantity_fit(np.array([10.0, 10.0, 5.0]), np.array([40.0, 10.0, np.nan]),
    ...              np.array([True, False, True])).tolist()
    [0.25, 0.5, 0.5]
    """
    qh = np.asarray(q_have, float)
    qw = np.asarray(q_want, float)
    ok = np.asarray(same_unit, bool) & np.isfinite(qh) & np.isfinite(qw) & (qh > 0) & (qw > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.minimum(qh, qw) / np.maximum(qh, qw)
    return np.asarray(np.where(ok, ratio, 0.5))


def frequency_fit(rank_have: np.ndarray, rank_want: np.ndarray) -> np.ndarray:
    """1 for the same frequency, falling linearly to 0 from ``continuous`` to ``one-off``.

    Ranks are positions in :data:`geo.programme.FREQUENCIES`; -1 (unknown) gives 0.5.
    Arrays broadcast.
    """
    rh = np.asarray(rank_have, float)
    rw = np.asarray(rank_want, float)
    fit = 1.0 - np.abs(rh - rw) / (len(FREQUENCIES) - 1)
    return np.asarray(np.where((rh < 0) | (rw < 0), 0.5, fit))


def score_pairs(strength: np.ndarray, q_fit: np.ndarray, f_fit: np.ndarray,
                distance_km: np.ndarray, params: MatchParams) -> np.ndarray:
    """Match score in [0, 1]: weighted basis strength, quantity and frequency fit, nearness.

    A pair with unknown distance (an unlocated site) scores 0 on nearness. Arrays broadcast.

    Examples
    --------
    >>> p = MatchParams()
    >>> near, far = score_pairs(np.ones(2), np.ones(2), np.ones(2), np.array([0.0, 100.0]), p)
    >>> near, round(far, 3)
    (np.float64(1.0), np.float64(0.705))
    """
    w = np.array([params.weight_basis, params.weight_quantity, params.weight_frequency,
                  params.weight_distance])
    w = w / w.sum()
    near = np.exp(-np.nan_to_num(np.asarray(distance_km, float), nan=np.inf)
                  / params.distance_scale_km)
    return np.asarray(w[0] * strength + w[1] * q_fit + w[2] * f_fit + w[3] * near)



def score_block(records: pd.DataFrame, have_rows: np.ndarray, links: pd.DataFrame,
                wants: pd.DataFrame, dist: SiteDistances, *, params: MatchParams,
                top_k: int | None) -> pd.DataFrame:
    """Score every linked pair of the given haves; keep the best ``top_k`` per have.

    Parameters
    ----------
    records : DataFrame
        The matcher's record table (:func:`geo.synergies.records.prepare_records`);
        ``have_rows`` are positions in it.
    links : DataFrame
        :func:`geo.synergies.matching.build_links` of the haves' keys against ``wants``.
    wants : DataFrame
        The candidate wants (rows of ``records``); ``links["want"]`` are positions in it.
    dist : SiteDistances
        Distances between the sites of ``records`` (km).
    params : MatchParams
        Weights, scope, distance limit and block size.
    top_k : int or None
        Pairs kept per have (None: all).

    Returns
    -------
    DataFrame
        ``have`` (record position), ``want`` (position in ``wants``), ``link`` (row of
        ``links``), ``score``, ``q_fit``, ``f_fit``, ``distance_km``, ``method``.
    """
    rec = records
    p = params
    cols = ("have", "want", "link", "score", "q_fit", "f_fit", "distance_km", "method")
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
    if len(have_rows) == 0 or links.empty:
        return empty
    h_key = rec["key"].to_numpy()[have_rows]
    order = np.argsort(h_key, kind="stable")
    have_rows = np.asarray(have_rows)[order]
    h_key = h_key[order]
    keys, h_start, h_count = np.unique(h_key, return_index=True, return_counts=True)
    l_key = links["key"].to_numpy()
    l_keys, l_start, l_count = np.unique(l_key, return_index=True, return_counts=True)
    l_at = {k: (int(s), int(c)) for k, s, c in zip(l_keys, l_start, l_count, strict=True)}
    l_want = links["want"].to_numpy(np.int64)
    l_strength = links["strength"].to_numpy(float)

    r_site, r_park = rec["site"].to_numpy(), rec["park_code"].to_numpy()
    r_q, r_unit, r_freq = (rec["quantity"].to_numpy(float), rec["unit_code"].to_numpy(),
                           rec["freq"].to_numpy())
    w_site, w_park = wants["site"].to_numpy(), wants["park_code"].to_numpy()
    w_q, w_unit, w_freq = (wants["quantity"].to_numpy(float), wants["unit_code"].to_numpy(),
                           wants["freq"].to_numpy())

    out: list[tuple[np.ndarray, ...]] = []
    for key, hs, hc in zip(keys, h_start, h_count, strict=True):
        if key not in l_at:
            continue
        ls, lc = l_at[key]
        lw = l_want[ls:ls + lc]
        ws, wq, wu, wf, wp = w_site[lw], w_q[lw], w_unit[lw], w_freq[lw], w_park[lw]
        strength = l_strength[ls:ls + lc][None, :]
        rows_per = max(1, p.block_cells // lc)
        for c0 in range(hs, hs + hc, rows_per):
            chunk = have_rows[c0:min(c0 + rows_per, hs + hc)]
            nh = len(chunk)
            hsite, hq = r_site[chunk], r_q[chunk]
            d_km, meth = dist.block(hsite, ws)
            q_fit = quantity_fit(hq[:, None], wq[None, :],
                                 r_unit[chunk][:, None] == wu[None, :])
            f_fit = frequency_fit(r_freq[chunk][:, None], wf[None, :])
            score = score_pairs(strength, q_fit, f_fit, d_km, p)
            invalid = hsite[:, None] == ws[None, :]
            if p.scope != "all":
                same = (r_park[chunk][:, None] == wp[None, :]) & (wp[None, :] >= 0)
                invalid |= ~same if p.scope == "same park" else same
            if p.max_distance_km is not None:
                invalid |= d_km > p.max_distance_km
            score[invalid] = -np.inf
            if top_k is not None and lc > top_k:
                best = np.argpartition(-score, top_k - 1, axis=1)[:, :top_k]
                ri = np.repeat(np.arange(nh), top_k)
                ci = best.ravel()
            else:
                ri, ci = np.divmod(np.arange(nh * lc), lc)
            keep = np.isfinite(score[ri, ci])
            ri, ci = ri[keep], ci[keep]
            out.append((chunk[ri], lw[ci], ls + ci, score[ri, ci], q_fit[ri, ci], f_fit[ri, ci],
                        d_km[ri, ci], meth[ri, ci]))
    if not out:
        return empty
    arrays = [np.concatenate(parts) for parts in zip(*out, strict=True)]
    return pd.DataFrame(dict(zip(cols, arrays, strict=True)))
