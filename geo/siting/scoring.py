"""Transparent site scores: feedstock within reach, haul, supply security, market, competition.

The core works on arrays. :func:`catchment_totals` sums, for every candidate, the supply that
can reach it within the haul limit (by stream), its tonne-kilometres, the number of suppliers
and the largest one's tonnage — sorting each shared row once, so thousands of candidates on
one network node cost one sort. :func:`score_sites` turns those figures into five criteria in
[0, 1], weighs them (:class:`ScoreWeights`) and returns a table whose per-criterion
contributions **add up to the score** (0–100). :func:`weight_sensitivity` moves each weight by
±20 % and reports how the ranks hold.

Criteria (higher is better):

- ``feedstock`` — accepted tonnage within reach ÷ the plant's maximum throughput (capped at 1);
- ``haul`` — 1 − tonnage-weighted mean haul ÷ haul limit (cheaper, lower-carbon transport);
- ``security`` — 1 − the largest supplier's share (no single supplier dominates);
- ``market`` — 1 − distance to the nearest wanter of the output ÷ haul limit;
- ``competition`` — 1 ÷ (1 + existing plants of the same kind within the haul limit).

A candidate with no feedstock within reach scores 0 on feedstock, haul and security (it is
never "free to supply"); one off the network is reported as unreachable and not scored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.errors import SitingError
from geo.i18n import N_, _, format_number, ngettext

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.siting.profiles import TechnologyProfile

__all__ = [
    "CRITERIA",
    "CRITERION_LABELS",
    "STATUS_LABELS",
    "CatchmentTotals",
    "ScoreWeights",
    "ScoringParams",
    "catchment_totals",
    "describe_sensitivity",
    "rank_sites",
    "score_sites",
    "status_label",
    "weight_sensitivity",
]

logger = logging.getLogger(__name__)

CRITERIA = ("feedstock", "haul", "security", "market", "competition")
CRITERION_LABELS = {
    "feedstock": N_("Feedstock within reach"),
    "haul": N_("Short haul (cost, CO2e)"),
    "security": N_("Supplier diversity"),
    "market": N_("Near output users"),
    "competition": N_("Little competition"),
}
"""Criterion → label (marked; translate with ``_`` where shown)."""
STATUS_LABELS = {
    "viable": N_("viable"),
    "below minimum throughput": N_("below minimum throughput"),
    "no feedstock within reach": N_("no feedstock within reach"),
    "off the road network": N_("off the road network"),
}
"""A candidate's ``status`` (a stable value, kept in tables and CSV) → its label (marked)."""


def status_label(status: object) -> str:
    """The ``status`` of a candidate as the reader's language says it (unknown: as given)."""
    label = STATUS_LABELS.get(str(status))
    return _(label) if label is not None else str(status)


@dataclass(frozen=True)
class ScoreWeights:
    """Weight of each criterion (any non-negative numbers; they are normalised to sum 1)."""

    feedstock: float = 0.35
    haul: float = 0.25
    security: float = 0.10
    market: float = 0.15
    competition: float = 0.15

    def __post_init__(self) -> None:
        values = self.as_array()
        if not np.isfinite(values).all() or (values < 0).any():
            given = dict(zip(CRITERIA, values.tolist(), strict=True))
            msg = _("Score weights must be finite and ≥ 0, got {weights}; use 0 to ignore "
                    "one.").format(weights=given)
            raise SitingError(msg)
        if values.sum() <= 0:
            msg = _("At least one score weight must be above 0; all are 0.")
            raise SitingError(msg)

    def as_array(self) -> np.ndarray:
        """Raw weights in :data:`CRITERIA` order."""
        return np.array([getattr(self, c) for c in CRITERIA], dtype=float)

    def normalised(self) -> np.ndarray:
        """Weights scaled to sum 1, in :data:`CRITERIA` order."""
        w = self.as_array()
        return np.asarray(w / w.sum())

    def scaled(self, criterion: str, factor: float) -> ScoreWeights:
        """A copy with one weight multiplied by ``factor``."""
        return replace(self, **{criterion: getattr(self, criterion) * factor})


@dataclass(frozen=True)
class ScoringParams:
    """Plant figures the scores need (see :class:`TechnologyProfile` for the meaning)."""

    max_haul_m: float
    min_throughput_t: float
    max_throughput_t: float
    cost_per_tkm: float
    co2e_kg_per_tkm: float
    max_haul_s: float | None = None
    gate_fee_eur_per_t: float = 0.0
    conversion: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.max_haul_m > 0 or (self.max_haul_s is not None and not self.max_haul_s > 0):
            msg = _("The haul limit must be > 0, got {metres} m / {seconds} s.").format(
                metres=self.max_haul_m, seconds=self.max_haul_s)
            raise SitingError(msg)
        if not 0 <= self.min_throughput_t <= self.max_throughput_t or self.max_throughput_t <= 0:
            msg = _("Throughput must satisfy 0 ≤ min ≤ max and max > 0, got {low} and {high} "
                    "t/yr.").format(low=self.min_throughput_t, high=self.max_throughput_t)
            raise SitingError(msg)
        if self.cost_per_tkm < 0 or self.co2e_kg_per_tkm < 0:
            msg = _("Transport cost and CO2e per t·km cannot be negative, got {cost} and "
                    "{co2e}.").format(cost=self.cost_per_tkm, co2e=self.co2e_kg_per_tkm)
            raise SitingError(msg)

    @classmethod
    def from_profile(cls, profile: TechnologyProfile) -> ScoringParams:
        """The scoring figures of a technology profile."""
        return cls(max_haul_m=profile.max_haul_m, max_haul_s=profile.max_haul_s,
                   min_throughput_t=profile.min_throughput_t,
                   max_throughput_t=profile.max_throughput_t,
                   cost_per_tkm=profile.transport_cost_per_tkm,
                   co2e_kg_per_tkm=profile.co2e_kg_per_tkm,
                   gate_fee_eur_per_t=profile.gate_fee_eur_per_t,
                   conversion=tuple(s.conversion for s in profile.streams))


@dataclass(frozen=True)
class CatchmentTotals:
    """What reaches each candidate within the haul limit.

    Attributes
    ----------
    tonnes : ndarray, shape (n_candidates, n_streams)
        t/yr by stream.
    tkm : ndarray, shape (n_candidates,)
        Tonne-kilometres per year to bring all of it in.
    suppliers : ndarray of int
        Suppliers (producers) within reach.
    largest_t : ndarray
        Tonnage (t/yr) of the largest supply point within reach.
    nearest_m : ndarray
        Haul from the nearest supply point (m; inf if none).
    reachable : ndarray of bool
        False for candidates off the network (not scored).
    """

    tonnes: np.ndarray
    tkm: np.ndarray
    suppliers: np.ndarray
    largest_t: np.ndarray
    nearest_m: np.ndarray
    reachable: np.ndarray

    @property
    def total_t(self) -> np.ndarray:
        """t/yr within reach, all streams."""
        return np.asarray(self.tonnes.sum(axis=1))


def catchment_totals(reach: np.ndarray, supply_t: np.ndarray, *, limit: float,
                     distance_m: np.ndarray | None = None, producers: np.ndarray | None = None,
                     row_of: np.ndarray | None = None, offset: np.ndarray | None = None,
                     offset_m: np.ndarray | None = None, extra_tm: np.ndarray | None = None,
                     chunk_cells: int = 8_000_000) -> CatchmentTotals:
    """Supply within ``limit`` of each candidate.

    Parameters
    ----------
    reach : ndarray, shape (n_rows, n_groups)
        The haul measure the limit applies to (metres or seconds), ``inf`` where no route.
    supply_t : ndarray, shape (n_groups, n_streams)
        t/yr of each stream at each supply group.
    limit : float
        Haul limit in the unit of ``reach``.
    distance_m : ndarray, shape (n_rows, n_groups), optional
        Road distances for the tonne-kilometres (default ``reach``).
    producers : ndarray, shape (n_groups,), optional
        Producers in each group (default 1 each).
    row_of : ndarray, shape (n_candidates,), optional
        Candidate → row of ``reach`` (default one row per candidate).
    offset, offset_m : ndarray, shape (n_candidates,), optional
        The candidate's own access leg in the units of ``reach`` and in metres; ``inf``
        marks a candidate off the network.
    extra_tm : ndarray, shape (n_groups,), optional
        Tonne-metres to add for each group within reach (e.g. the correction of
        :meth:`geo.siting.haul.HaulMatrix.rounding_tm`).
    chunk_cells : int
        Candidates are processed in blocks of about this many candidate × group cells.
    """
    reach = np.asarray(reach, float)
    supply = np.asarray(supply_t, float)
    if supply.ndim == 1:
        supply = supply[:, None]
    n_rows, n_groups = reach.shape
    if supply.shape[0] != n_groups:
        msg = (f"supply_t must have one row per supply group ({n_groups}), got "
               f"{supply.shape[0]}.")
        raise SitingError(msg)
    if (supply < 0).any() or not np.isfinite(supply).all():
        msg = _("Supply tonnages must be finite and ≥ 0 t/yr.")
        raise SitingError(msg)
    dist = reach if distance_m is None else np.asarray(distance_m, float)
    prod = np.ones(n_groups) if producers is None else np.asarray(producers, float)
    row_of = np.arange(n_rows) if row_of is None else np.asarray(row_of, np.int64)
    nc = len(row_of)
    offset = np.zeros(nc) if offset is None else np.asarray(offset, float)
    offset_m = offset if offset_m is None else np.asarray(offset_m, float)
    extra = np.zeros(n_groups) if extra_tm is None else np.asarray(extra_tm, float)
    total = supply.sum(axis=1)
    weights = np.column_stack([supply, total, prod, extra])
    reachable = np.isfinite(offset)
    sums = np.zeros((nc, weights.shape[1]))
    tm = np.zeros(nc)
    largest = np.zeros(nc)
    row_min = dist.min(axis=1, initial=np.inf) if n_groups else np.full(n_rows, np.inf)
    nearest = row_min[row_of] + offset_m
    # Candidates sharing a row differ only by their threshold (limit − own access leg): the
    # groups each one reaches are nested. Per row, each group is binned by the first
    # candidate (in threshold order) that reaches it, and cumulative sums over the bins give
    # every candidate's totals — one pass over the row, whatever its number of candidates.
    live = np.flatnonzero(reachable)
    by_row = live[np.argsort(row_of[live], kind="stable")]
    starts = np.searchsorted(row_of[by_row], np.arange(n_rows + 1))
    for r in range(n_rows):
        members = by_row[starts[r]:starts[r + 1]]
        if len(members) == 0 or n_groups == 0:
            continue
        thresholds = limit - offset[members]
        order = np.argsort(thresholds, kind="stable")
        members, thresholds = members[order], thresholds[order]
        k_r = len(members)
        pos = np.searchsorted(thresholds, reach[r], side="left")  # k_r: reached by none
        d_t = np.where(pos < k_r, dist[r], 0.0) * total
        if k_r <= 8:  # a one-hot product is fastest for a few candidates
            onehot = (pos[None, :] == np.arange(k_r)[:, None]).astype(float)
            per_bin = onehot @ np.column_stack([weights, d_t])
        else:
            per_bin = np.column_stack([np.bincount(pos, weights=col, minlength=k_r + 1)[:k_r]
                                       for col in np.column_stack([weights, d_t]).T])
        cum = np.cumsum(per_bin, axis=0)
        sums[members] = cum[:, :-1]
        tm[members] = cum[:, -1]
        top = np.zeros(k_r + 1)
        np.maximum.at(top, pos, total)
        largest[members] = np.maximum.accumulate(top[:k_r])
    k = supply.shape[1]
    t_all = sums[:, k]
    tkm = (tm + np.where(reachable, offset_m, 0.0) * t_all + sums[:, k + 2]) / 1000.0
    tkm[~reachable] = 0.0
    return CatchmentTotals(tonnes=sums[:, :k], tkm=tkm,
                           suppliers=np.rint(sums[:, k + 1]).astype(np.int64),
                           largest_t=largest, nearest_m=np.where(reachable, nearest, np.inf),
                           reachable=reachable)


def rank_sites(score: np.ndarray, viable: np.ndarray) -> np.ndarray:
    """Rank 1 = best: viable candidates first, then by score; NaN scores are not ranked."""
    score = np.asarray(score, float)
    ok = np.isfinite(score)
    key = np.where(ok, -score - np.where(viable, 1000.0, 0.0), np.inf)
    order = np.argsort(key, kind="stable")
    rank = np.full(len(score), np.nan)
    rank[order[:int(ok.sum())]] = np.arange(1, int(ok.sum()) + 1)
    return rank


def score_sites(distance_m: np.ndarray, supply_t: np.ndarray, params: ScoringParams, *,
                weights: ScoreWeights | None = None, time_s: np.ndarray | None = None,
                producers: np.ndarray | None = None, row_of: np.ndarray | None = None,
                offset_m: np.ndarray | None = None, offset_s: np.ndarray | None = None,
                extra_tm: np.ndarray | None = None,
                market_distance_m: np.ndarray | None = None,
                competitors: np.ndarray | None = None,
                streams: Sequence[str] | None = None) -> pd.DataFrame:
    """Score every candidate; the contributions ``c_<criterion>`` add up to ``score``.

    Parameters
    ----------
    distance_m : ndarray, shape (n_rows, n_groups)
        Haul in metres from each supply group to each row (see ``row_of``); ``inf`` where
        there is no route.
    supply_t : ndarray, shape (n_groups, n_streams)
        Accepted tonnage (t/yr) by stream.
    params : ScoringParams
    weights : ScoreWeights, optional
    time_s : ndarray, optional
        Haul times (s), needed when ``params.max_haul_s`` is set (the limit then applies to
        time).
    producers, row_of, offset_m, offset_s, extra_tm
        See :func:`catchment_totals`.
    market_distance_m : ndarray, shape (n_candidates,), optional
        Haul to the nearest wanter of the output (inf or None: no wanter).
    competitors : ndarray, shape (n_candidates,), optional
        Existing plants of the same kind within the haul limit.
    streams : sequence of str, optional
        Stream names for the ``t_<stream>`` columns.

    Returns
    -------
    DataFrame
        One row per candidate, in input order: ``status``, ``rank``, ``score``,
        ``c_<criterion>`` (points out of 100), ``s_<criterion>`` (0–1), ``feedstock_t``,
        ``t_<stream>``, ``used_t``, ``viable``, ``suppliers``, ``largest_share``,
        ``mean_haul_km``, ``transport_cost_eur``, ``transport_co2e_t``, ``output``,
        ``gate_fee_eur``, ``market_km``, ``competitors``.

    Examples
    --------
    >>> p = ScoringParams(max_haul_m=10_000, min_throughput_t=50, max_throughput_t=200,
    ...                   cost_per_tkm=0.15, co2e_kg_per_tkm=0.107)
    >>> t = score_sites(np.array([[1000., 9000.], [20000., 500.]]), np.array([[100.], [60.]]), p)
    >>> adds_up = np.isclose(t.filter(like="c_").sum(axis=1), t["score"]).all()
    >>> t["feedstock_t"].tolist(), bool(adds_up)
    ([160.0, 60.0], True)
    """
    weights = weights or ScoreWeights()
    supply = np.asarray(supply_t, float)
    supply = supply[:, None] if supply.ndim == 1 else supply
    use_time = params.max_haul_s is not None
    if use_time and time_s is None:
        msg = "The profile limits the haul by time; pass time_s (the travel-time matrix)."
        raise SitingError(msg)
    reach = time_s if use_time else distance_m
    totals = catchment_totals(
        reach, supply, limit=params.max_haul_s if use_time else params.max_haul_m,  # type: ignore[arg-type]
        distance_m=distance_m, producers=producers, row_of=row_of,
        offset=(offset_s if use_time else offset_m), offset_m=offset_m, extra_tm=extra_tm)
    nc = len(totals.reachable)
    feed = totals.total_t
    has = feed > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_haul_m = np.where(has, totals.tkm * 1000.0 / np.where(has, feed, 1.0), np.nan)
        share = np.where(has, totals.largest_t / np.where(has, feed, 1.0), np.nan)
    used = np.minimum(feed, params.max_throughput_t)
    market = (np.full(nc, np.inf) if market_distance_m is None
              else np.asarray(market_distance_m, float))
    comp = np.zeros(nc) if competitors is None else np.asarray(competitors, float)
    limit_m = params.max_haul_m
    s = np.column_stack([
        np.minimum(feed / params.max_throughput_t, 1.0),
        np.where(has, 1.0 - np.minimum(np.nan_to_num(mean_haul_m) / limit_m, 1.0), 0.0),
        np.where(has, 1.0 - np.nan_to_num(share, nan=1.0), 0.0),
        np.where(np.isfinite(market), 1.0 - np.minimum(market / limit_m, 1.0), 0.0),
        1.0 / (1.0 + comp),
    ])
    s[~totals.reachable] = np.nan
    contrib = 100.0 * s * weights.normalised()[None, :]
    score = contrib.sum(axis=1)
    viable = totals.reachable & (feed >= params.min_throughput_t) & has
    conv = np.asarray(params.conversion or (1.0,) * supply.shape[1], float)
    with np.errstate(invalid="ignore", divide="ignore"):
        output = np.where(has, (totals.tonnes @ conv) * used / np.where(has, feed, 1.0), 0.0)
    status = np.where(~totals.reachable, "off the road network",
                      np.where(~has, "no feedstock within reach",
                               np.where(viable, "viable", "below minimum throughput")))
    names = (list(streams) if streams is not None
             else [f"stream_{i + 1}" for i in range(supply.shape[1])])
    table = pd.DataFrame({
        "status": status,
        "rank": rank_sites(score, viable),
        "score": score,
        **{f"c_{c}": contrib[:, i] for i, c in enumerate(CRITERIA)},
        **{f"s_{c}": s[:, i] for i, c in enumerate(CRITERIA)},
        "feedstock_t": feed,
        **{f"t_{n}": totals.tonnes[:, i] for i, n in enumerate(names)},
        "used_t": used,
        "viable": viable,
        "suppliers": totals.suppliers,
        "largest_share": share,
        "mean_haul_km": mean_haul_m / 1000.0,
        "transport_cost_eur": used * mean_haul_m / 1000.0 * params.cost_per_tkm,
        "transport_co2e_t": used * mean_haul_m / 1000.0 * params.co2e_kg_per_tkm / 1000.0,
        "output": output,
        "gate_fee_eur": used * params.gate_fee_eur_per_t,
        "market_km": np.where(np.isfinite(market), market / 1000.0, np.nan),
        "competitors": comp,
    })
    unreach = ~totals.reachable
    table.loc[unreach, ["feedstock_t", "used_t", "transport_cost_eur", "transport_co2e_t",
                        "output", "gate_fee_eur"]] = np.nan
    return table


def weight_sensitivity(criteria: np.ndarray, weights: ScoreWeights, *,
                       viable: np.ndarray | None = None, change: float = 0.2,
                       top: int = 3) -> tuple[pd.DataFrame, dict[str, float]]:
    """How ranks move when each weight goes up and down by ``change`` (one at a time).

    Parameters
    ----------
    criteria : ndarray, shape (n_candidates, 5)
        The ``s_<criterion>`` columns of :func:`score_sites` (NaN rows are not ranked).
    weights : ScoreWeights
    viable : ndarray of bool, optional
        Viable candidates rank first, as in the table.
    change : float
        Relative change of each weight (0.2 = ±20 %).
    top : int
        Size of the leading group whose stability is reported.

    Returns
    -------
    table : DataFrame
        Per candidate: ``rank_base``, ``rank_best``, ``rank_worst``, ``top_share`` (share of
        scenarios in which it is in the top ``top``).
    summary : dict
        ``scenarios``, ``leader_kept`` (scenarios with the same first site), ``top_kept``
        (scenarios with the same top set), ``max_rank_shift``.
    """
    if not 0 < change < 1:
        msg = _("The weight change must be between 0 and 1 (0.2 = ±20 %), got "
                "{change}.").format(change=change)
        raise SitingError(msg)
    crit = np.asarray(criteria, float)
    via = np.ones(len(crit), bool) if viable is None else np.asarray(viable, bool)

    def ranks(w: ScoreWeights) -> np.ndarray:
        return rank_sites(100.0 * crit @ w.normalised(), via)

    base = ranks(weights)
    scenarios = [weights.scaled(c, f) for c in [f.name for f in fields(weights)]
                 for f in (1 - change, 1 + change) if getattr(weights, c) > 0]
    all_ranks = np.column_stack([base, *[ranks(w) for w in scenarios]])
    n_top = min(top, int(np.isfinite(base).sum()))
    base_top = set(np.flatnonzero(base <= n_top))
    leader = np.flatnonzero(base == 1)
    alt = all_ranks[:, 1:]
    leader_kept = sum(int(len(leader) and alt[leader[0], j] == 1) for j in range(alt.shape[1]))
    top_kept = sum(set(np.flatnonzero(alt[:, j] <= n_top)) == base_top
                   for j in range(alt.shape[1]))
    with np.errstate(invalid="ignore"):
        table = pd.DataFrame({
            "rank_base": base,
            "rank_best": np.nanmin(all_ranks, axis=1) if len(crit) else [],
            "rank_worst": np.nanmax(all_ranks, axis=1) if len(crit) else [],
            "top_share": (all_ranks <= n_top).mean(axis=1),
        })
    shift = np.nanmax(np.abs(alt - base[:, None])) if alt.size and np.isfinite(base).any() else 0
    summary = {"scenarios": float(len(scenarios)), "leader_kept": float(leader_kept),
               "top_kept": float(top_kept), "top": float(n_top),
               "max_rank_shift": float(np.nan_to_num(shift))}
    return table, summary


def describe_sensitivity(summary: dict[str, float]) -> str:
    """One sentence on how the ranks hold, from :func:`weight_sensitivity`'s summary."""
    n = round(summary["scenarios"])
    # Translators: {n} scenarios in all; {leader} and {kept} of them; {top} sites; {shift} ranks.
    return ngettext(
        "With each weight moved by ±20 % ({n} scenario) the leading site stays first in "
        "{leader} and the top {top} stay the same in {kept}; ranks move by at most {shift}.",
        "With each weight moved by ±20 % ({n} scenarios) the leading site stays first in "
        "{leader} and the top {top} stay the same in {kept}; ranks move by at most {shift}.",
        n).format(n=format_number(n), leader=format_number(summary["leader_kept"]),
                  top=format_number(summary["top"]), kept=format_number(summary["top_kept"]),
                  shift=format_number(summary["max_rank_shift"]))
