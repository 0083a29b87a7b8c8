"""Best sites for several plants at once, and which suppliers feed which plant.

Three objectives on a supplier × candidate haul matrix (the core, on arrays):

- ``"p-median"`` — minimise total transport cost (t·km × €/t·km) with ``p`` plants
  (:func:`geo.siting.pmedian.solve_pmedian`: heuristic + Lagrangian bound + exact search);
- ``"max-cover"`` — maximise the tonnage within the haul limit of one of ``p`` plants
  (maximal covering location, Church & ReVelle 1974; MILP by HiGHS);
- ``"capacitated"`` — at most ``p`` plants, each taking between the profile's minimum and
  maximum throughput from suppliers within the haul limit; minimise transport cost plus a
  penalty per tonne left unserved (MILP by HiGHS; a supplier's tonnage may be split).

Each returns an :class:`Allocation`: the chosen sites, each supplier's plant and share, the
tonnage per plant, the objective, and a proven bound with its gap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from geo.errors import SitingError
from geo.i18n import N_, _, format_number, ngettext
from geo.siting.milp import MilpModel, solve_milp
from geo.siting.pmedian import PMedianParams, solve_pmedian

__all__ = ["METHOD_LABELS", "OBJECTIVES", "OBJECTIVE_LABELS", "Allocation", "method_label",
           "solve_best_sites"]

logger = logging.getLogger(__name__)

Objective = Literal["p-median", "max-cover", "capacitated"]
OBJECTIVES: tuple[Objective, ...] = ("p-median", "max-cover", "capacitated")
# Translators: the models that choose the best sites (names of methods; p-median is a term).
OBJECTIVE_LABELS: dict[str, str] = {"p-median": N_("p-median"), "max-cover": N_("max-cover"),
                                    "capacitated": N_("capacitated")}
"""Objective (a stable value) → its label (marked; translate with ``_`` where shown)."""
# Translators: how the best sites were found (a model and the stage that solved it).
METHOD_LABELS: dict[str, str] = {
    "p-median (enumeration)": N_("p-median (enumeration)"),
    "p-median (lagrangian)": N_("p-median (lagrangian)"),
    "p-median (milp)": N_("p-median (milp)"),
    "p-median (heuristic)": N_("p-median (heuristic)"),
    "maximal covering (HiGHS MILP)": N_("maximal covering (HiGHS MILP)"),
    "capacitated p-median (HiGHS MILP)": N_("capacitated p-median (HiGHS MILP)"),
}
""":attr:`Allocation.method` (kept in English in results) → its label (marked)."""


def method_label(method: str) -> str:
    """How the sites were found, in the reader's language (unknown methods as given)."""
    label = METHOD_LABELS.get(method)
    return _(label) if label is not None else method



@dataclass(frozen=True)
class Allocation:
    """Chosen sites and the supplier → plant flows.

    Attributes
    ----------
    objective : str
        Which problem was solved.
    sites : ndarray of int
        Column indices of the chosen candidates.
    flows : DataFrame
        One row per (supplier, plant) flow: ``supplier`` (row index), ``site`` (column
        index), ``tonnes``, ``distance_m``, ``within_haul``.
    unserved : ndarray of int
        Suppliers (row indices) whose tonnage goes to no plant (out of reach or over
        capacity).
    value : float
        The objective's value: EUR/yr of transport (p-median, capacitated, the latter with
        its unserved penalty) or t/yr covered (max-cover).
    bound : float
        A proven bound on the optimum (lower for costs, upper for max-cover).
    proven_optimal : bool
    method : str
    """

    objective: str
    sites: np.ndarray
    flows: pd.DataFrame
    unserved: np.ndarray
    value: float
    bound: float
    proven_optimal: bool
    method: str

    @property
    def gap(self) -> float:
        """Proven relative gap between ``value`` and ``bound`` (0 when optimal)."""
        if self.value == 0:
            return 0.0
        return abs(self.value - self.bound) / abs(self.value)

    def plant_tonnes(self) -> pd.Series:
        """Tonnes per year received by each chosen site (indexed by column index)."""
        t = self.flows.groupby("site")["tonnes"].sum()
        return t.reindex(self.sites, fill_value=0.0)


def _validate(distance_m: np.ndarray, tonnes: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(distance_m, float)
    t = np.asarray(tonnes, float)
    if d.ndim != 2 or d.shape[0] != len(t):
        msg = (f"The haul matrix must have one row per supplier ({len(t)}), got shape "
               f"{d.shape!r}.")
        raise SitingError(msg)
    if d.shape[1] == 0:
        msg = _("There are no candidate sites to choose from.")
        raise SitingError(msg)
    if not 1 <= int(p) <= d.shape[1]:
        msg = ngettext("Cannot choose {p} plants from {m} candidate site; ask for between 1 "
                       "and {m}, or add candidates.",
                       "Cannot choose {p} plants from {m} candidate sites; ask for between 1 "
                       "and {m}, or add candidates.", d.shape[1]).format(
            p=p, m=format_number(d.shape[1]))
        raise SitingError(msg)
    if (t < 0).any() or not np.isfinite(t).all():
        msg = _("Supplier tonnages must be finite and ≥ 0 t/yr.")
        raise SitingError(msg)
    return d, t


def _flows(d: np.ndarray, t: np.ndarray, share: np.ndarray, limit_m: float) -> pd.DataFrame:
    rows, cols = np.nonzero(share > 1e-9)
    return pd.DataFrame({"supplier": rows, "site": cols, "tonnes": t[rows] * share[rows, cols],
                         "distance_m": d[rows, cols], "within_haul": d[rows, cols] <= limit_m})


def _nearest_open(d: np.ndarray, sites: np.ndarray, limit_m: float | None) -> np.ndarray:
    """Share matrix assigning each supplier wholly to its nearest chosen site."""
    share = np.zeros_like(d)
    sub = d[:, sites]
    best = np.argmin(sub, axis=1)
    ok = np.isfinite(sub[np.arange(len(d)), best])
    if limit_m is not None:
        ok &= sub[np.arange(len(d)), best] <= limit_m
    share[np.flatnonzero(ok), sites[best[ok]]] = 1.0
    return share


def solve_best_sites(
    distance_m: np.ndarray,
    tonnes: np.ndarray,
    p: int,
    *,
    objective: Objective = "p-median",
    max_haul_m: float = np.inf,
    cost_per_tkm: float = 1.0,
    capacity_t: float = np.inf,
    min_throughput_t: float = 0.0,
    unserved_penalty_per_t: float | None = None,
    site_preference: np.ndarray | None = None,
    time_limit_s: float = 10.0,
) -> Allocation:
    """Choose ``p`` sites (columns) for the suppliers (rows).

    Parameters
    ----------
    distance_m : ndarray, shape (n_suppliers, n_candidates)
        Road haul in metres; ``inf`` where no route.
    tonnes : ndarray, shape (n_suppliers,)
        t/yr at each supplier.
    p : int
        Plants to open (at most ``p`` for ``"capacitated"``).
    objective : {"p-median", "max-cover", "capacitated"}
    max_haul_m : float
        The haul limit: what max-cover covers, what capacitated may use; p-median flags
        flows beyond it.
    cost_per_tkm : float
        EUR per tonne-km.
    capacity_t, min_throughput_t : float
        Per-plant maximum and minimum t/yr (capacitated).
    unserved_penalty_per_t : float, optional
        EUR per unserved tonne (capacitated); default ten times the cost of a full-limit haul.
    site_preference : ndarray, shape (n_candidates,), optional
        Breaks ties of max-cover (e.g. the sites' scores): among sites covering the same
        tonnage, preferred ones are chosen; never traded against covered tonnage.
    time_limit_s : float
        Solver time limit (seconds).
    """
    d, t = _validate(distance_m, tonnes, p)
    p = int(p)
    if objective not in OBJECTIVES:
        msg = f"objective must be one of {OBJECTIVES}, got {objective!r}."
        raise SitingError(msg)
    if objective == "p-median":
        return _p_median(d, t, p, limit=max_haul_m, cost_per_tkm=cost_per_tkm,
                         time_limit_s=time_limit_s)
    if not np.isfinite(max_haul_m):
        finite = d[np.isfinite(d)]
        max_haul_m = float(finite.max()) if finite.size else 1.0
    if objective == "max-cover":
        return _max_cover(d, t, p, max_haul_m, time_limit_s=time_limit_s,
                          preference=site_preference)
    return _capacitated(d, t, p, limit=max_haul_m, cost_per_tkm=cost_per_tkm,
                        capacity=capacity_t, minimum=min_throughput_t,
                        penalty=unserved_penalty_per_t, time_limit_s=time_limit_s)


def _p_median(d: np.ndarray, t: np.ndarray, p: int, *, limit: float, cost_per_tkm: float,
              time_limit_s: float) -> Allocation:
    reach = np.isfinite(d).any(axis=1) & (t > 0)
    if not reach.any():
        msg = _("No supplier can reach any candidate site over the network, so there is "
                "nothing to allocate; check the candidates and the suppliers' locations.")
        raise SitingError(msg)
    sub = d[reach]
    finite_max = float(sub[np.isfinite(sub)].max())
    penalty = 10.0 * max(finite_max, 1.0)
    cost = np.where(np.isfinite(sub), sub, penalty) / 1000.0 * cost_per_tkm
    res = solve_pmedian(cost, p, weights=t[reach],
                        params=PMedianParams(time_limit_s=time_limit_s))
    sites = res.facilities
    share = np.zeros_like(d)
    rows = np.flatnonzero(reach)
    share[rows, res.assignment] = 1.0
    share[~np.isfinite(d)] = 0.0
    unserved = np.flatnonzero(share.sum(axis=1) == 0)
    return Allocation(objective="p-median", sites=sites, flows=_flows(d, t, share, limit),
                      unserved=unserved, value=res.objective, bound=res.lower_bound,
                      proven_optimal=res.proven_optimal, method=f"p-median ({res.method})")


def _max_cover(d: np.ndarray, t: np.ndarray, p: int, limit: float, *,
               time_limit_s: float, preference: np.ndarray | None) -> Allocation:
    n, m = d.shape
    tie = np.zeros(m)
    if preference is not None and (t > 0).any():
        pref = np.nan_to_num(np.asarray(preference, float))
        pref = pref - pref.min()
        if pref.max() > 0:
            tie = 1e-3 * float(t[t > 0].min()) / p * pref / pref.max()
    cover = d <= limit
    rows, cols = np.nonzero(cover)
    # Columns: y_0..y_{m-1} (binary), z_0..z_{n-1} (covered, continuous).
    # Rows: z_i - Σ_{j covers i} y_j ≤ 0 (n rows), Σ y = p.
    ri = np.concatenate([np.arange(n), rows, np.full(m, n)])
    ci = np.concatenate([m + np.arange(n), cols, np.arange(m)])
    vi = np.concatenate([np.ones(n), -np.ones(len(rows)), np.ones(m)])
    model = MilpModel(cost=np.r_[tie, t], col_lower=np.zeros(m + n),
                      col_upper=np.ones(m + n), integer=np.arange(m + n) < m,
                      rows=(ri, ci, vi), row_lower=np.r_[np.full(n, -np.inf), p],
                      row_upper=np.r_[np.zeros(n), p], maximise=True)
    sol = solve_milp(model, time_limit_s=time_limit_s, mip_abs_gap=float(tie.sum()) + 1e-6)
    if sol.x is None:
        msg = _("The maximal covering model found no solution within {seconds} s.").format(
            seconds=format_number(time_limit_s))
        raise SitingError(msg)
    sites = np.flatnonzero(sol.x[:m] > 0.5)
    share = _nearest_open(d, sites, limit)
    covered = float(t[share.sum(axis=1) > 0].sum())
    return Allocation(objective="max-cover", sites=sites, flows=_flows(d, t, share, limit),
                      unserved=np.flatnonzero(share.sum(axis=1) == 0), value=covered,
                      bound=max(sol.bound - float(tie.sum()), covered),
                      proven_optimal=sol.optimal,
                      method="maximal covering (HiGHS MILP)")


def _capacitated(d: np.ndarray, t: np.ndarray, p: int, *, limit: float, cost_per_tkm: float,
                 capacity: float, minimum: float, penalty: float | None,
                 time_limit_s: float) -> Allocation:
    n, m = d.shape
    if not capacity > 0 or minimum < 0 or minimum > capacity:
        msg = _("Plant capacity must be > 0 and at least the minimum throughput, got "
                "{capacity} and {minimum} t/yr.").format(capacity=capacity, minimum=minimum)
        raise SitingError(msg)
    if penalty is None:
        penalty = 10.0 * limit / 1000.0 * cost_per_tkm
    cap = min(capacity, float(t.sum()) + 1.0)
    rows, cols = np.nonzero(d <= limit)
    nx = len(rows)
    # Columns: y (m, binary) | x (nx, share of supplier i sent to j) | u (n, unserved share).
    xc = m + np.arange(nx)
    uc = m + nx + np.arange(n)
    cost = np.r_[np.zeros(m), t[rows] * d[rows, cols] / 1000.0 * cost_per_tkm, t * penalty]
    r_assign = np.r_[rows, np.arange(n)]          # Σ_j x_ij + u_i = 1        (rows 0..n-1)
    c_assign = np.r_[xc, uc]
    r_link = n + np.arange(nx)                    # x_ij − y_j ≤ 0            (n..n+nx-1)
    r_cap = n + nx + cols                         # Σ_i t_i x_ij − cap·y_j ≤ 0
    r_min = n + nx + m + cols                     # Σ_i t_i x_ij − min·y_j ≥ 0
    r_p = n + nx + 2 * m                          # Σ y ≤ p
    ri = np.concatenate([r_assign, r_link, r_link, r_cap, n + nx + np.arange(m), r_min,
                         n + nx + m + np.arange(m), np.full(m, r_p)])
    ci = np.concatenate([c_assign, xc, cols, xc, np.arange(m), xc, np.arange(m), np.arange(m)])
    vi = np.concatenate([np.ones(nx + n), np.ones(nx), -np.ones(nx), t[rows], -np.full(m, cap),
                         t[rows], -np.full(m, minimum), np.ones(m)])
    n_rows = n + nx + 2 * m + 1
    lower = np.r_[np.ones(n), np.full(nx, -np.inf), np.full(m, -np.inf), np.zeros(m), 0.0]
    upper = np.r_[np.ones(n), np.zeros(nx), np.zeros(m), np.full(m, np.inf), p]
    model = MilpModel(cost=cost, col_lower=np.zeros(m + nx + n), col_upper=np.ones(m + nx + n),
                      integer=np.arange(m + nx + n) < m, rows=(ri, ci, vi),
                      row_lower=lower[:n_rows], row_upper=upper[:n_rows])
    sol = solve_milp(model, time_limit_s=time_limit_s, mip_rel_gap=1e-6)
    if sol.x is None:
        msg = _("The capacitated model found no solution within {seconds} s.").format(
            seconds=format_number(time_limit_s))
        raise SitingError(msg)
    sites = np.flatnonzero(sol.x[:m] > 0.5)
    share = np.zeros_like(d)
    share[rows, cols] = np.clip(sol.x[xc], 0.0, 1.0)
    served = share.sum(axis=1)
    unserved = np.flatnonzero(served < 1.0 - 1e-6)
    return Allocation(objective="capacitated", sites=sites, flows=_flows(d, t, share, limit),
                      unserved=unserved, value=sol.objective, bound=sol.bound,
                      proven_optimal=sol.optimal, method="capacitated p-median (HiGHS MILP)")
