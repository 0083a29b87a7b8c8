"""The Lagrangian relaxation of the p-median, evaluated on each row's cheapest entries only.

Relaxing the assignment constraints ``Σ_j x_ij = 1`` with multipliers ``λ`` leaves

    L(λ) = Σ_i λ_i + Σ_{j ∈ C} ρ_j,    ρ_j = Σ_i min(0, c_ij − λ_i),

with ``C`` the ``p`` sites of smallest ``ρ`` (sites forced open first, banned sites never).
Every ``λ`` gives a lower bound on the optimum; its maximum is the LP bound. Only the entries
``c_ij < λ_i`` contribute to ``ρ``, and with each row sorted once they are a prefix of the row:
a few per cent of the matrix for the multipliers of interest. :class:`LagrangianRelaxation`
finds each row's prefix exactly (costs coded as integers, one ``searchsorted`` over the rows)
and sums only those entries, so that a subgradient step costs a fraction of a dense pass.
:func:`ascend` is the subgradient search used at the root and at each branch-and-bound node.

References
----------
Beasley, J.E. (1993) Lagrangean heuristics for location problems. *EJOR* 65: 383–399.
Polyak, B.T. (1969) Minimization of unsmooth functionals. *USSR Comput. Math. Math. Phys.*
9: 14–29 (the step length ``θ (target − L) / ‖g‖²``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LagrangianPoint", "LagrangianRelaxation", "ascend"]


@dataclass(frozen=True)
class LagrangianPoint:
    """One evaluation of the relaxation.

    Attributes
    ----------
    bound : float
        ``L(λ)``, a lower bound on the optimum of the (restricted) problem.
    lam : ndarray, shape (n,)
        The multipliers.
    rho : ndarray, shape (c,)
        Each site's reduced cost ``ρ_j``.
    chosen : ndarray of int
        The relaxed solution: forced sites, then the cheapest free ones (``p`` in all).
    grad : ndarray, shape (n,)
        The subgradient ``1 − #{j ∈ C: c_ij < λ_i}``; all zeros means the relaxed solution is
        feasible and optimal for the restricted problem.
    """

    bound: float
    lam: np.ndarray
    rho: np.ndarray
    chosen: np.ndarray
    grad: np.ndarray

    @property
    def feasible(self) -> bool:
        """Every row is covered exactly once: the bound is the relaxed solution's cost."""
        return not self.grad.any()


class LagrangianRelaxation:
    """A cost matrix prepared for fast evaluations of ``L(λ)``.

    Parameters
    ----------
    cost : ndarray, shape (n, c)
        Finite, non-negative (weighted) assignment costs.
    order, sorted_cost : ndarray, shape (n, c), optional
        Each row's column order by cost and the sorted costs, when the caller has them.
    """

    def __init__(self, cost: np.ndarray, *, order: np.ndarray | None = None,
                 sorted_cost: np.ndarray | None = None) -> None:
        self.cost = cost
        self.n, self.c = cost.shape
        if order is None or sorted_cost is None:
            order = np.argsort(cost, axis=1, kind="stable")
            sorted_cost = np.take_along_axis(cost, order, axis=1)
        self._order = np.ascontiguousarray(order).ravel().astype(np.intp, copy=False)
        self._sorted = np.ascontiguousarray(sorted_cost).ravel()
        rank = np.empty((self.n, self.c), np.int32)
        np.put_along_axis(rank, np.asarray(order),
                          np.broadcast_to(np.arange(self.c, dtype=np.int32), (self.n, self.c)),
                          axis=1)
        self._rank = rank
        # Exact prefix lengths: costs coded by their position among the distinct values, rows
        # laid end to end (row i's codes offset by i · span), so one searchsorted finds every
        # row's count of entries below its multiplier.
        self._values = np.unique(self._sorted)
        span = len(self._values) + 1
        codes = np.searchsorted(self._values, self._sorted).astype(np.int64)
        self._row_key = np.arange(self.n, dtype=np.int64) * span
        self._keys = codes + np.repeat(self._row_key, self.c)
        self._row_start = np.arange(self.n, dtype=np.intp) * self.c

    def counts(self, lam: np.ndarray) -> np.ndarray:
        """Number of entries ``c_ij < λ_i`` in each row."""
        below = np.searchsorted(self._values, lam, side="left")
        ends: np.ndarray = np.searchsorted(self._keys, self._row_key + below, side="left")
        counts: np.ndarray = ends - self._row_start
        return counts

    def reduced_costs(self, lam: np.ndarray, k: np.ndarray) -> np.ndarray:
        """``ρ_j = Σ_i min(0, c_ij − λ_i)`` from each row's first ``k_i`` sorted entries."""
        total = int(k.sum())
        if total == 0:
            return np.zeros(self.c)
        offset = self._row_start - (np.cumsum(k) - k)
        idx = np.arange(total) + np.repeat(offset, k)
        return np.bincount(self._order[idx], weights=self._sorted[idx] - np.repeat(lam, k),
                           minlength=self.c)

    def evaluate(self, lam: np.ndarray, p: int, *, forced: np.ndarray,
                 free: np.ndarray) -> LagrangianPoint:
        """``L(λ)`` with the sites ``forced`` (indices) open and ``p − len(forced)`` of ``free``.

        ``lam`` must not be modified afterwards (the point keeps it).
        """
        k = self.counts(lam)
        rho = self.reduced_costs(lam, k)
        need = p - len(forced)
        if 0 < need < len(free):
            pick = free[np.argpartition(rho[free], need - 1)[:need]]
        else:
            pick = free[:max(need, 0)]
        chosen = np.concatenate([forced, pick])
        bound = float(lam.sum() + rho[chosen].sum())
        grad = 1.0 - (self._rank[:, chosen] < k[:, None]).sum(axis=1)
        return LagrangianPoint(bound=bound, lam=lam, rho=rho, chosen=chosen, grad=grad)


def ascend(relax: LagrangianRelaxation, p: int, lam: np.ndarray, *, forced: np.ndarray,
           free: np.ndarray, lam_cap: np.ndarray | None, target: float, cutoff: float,
           iterations: int, step: float, patience: int = 6, stall_ratio: float = 0.0
           ) -> tuple[LagrangianPoint, int]:
    """Subgradient ascent of ``L`` from ``lam``: the best point and the iterations used.

    Parameters
    ----------
    relax : LagrangianRelaxation
    p : int
    lam : ndarray, shape (n,)
        Starting multipliers (e.g. the parent node's).
    forced, free : ndarray of int
        Sites forced open, and the sites that may be chosen besides them.
    lam_cap : ndarray, shape (n,), optional
        Upper limits on the multipliers. With a site forced open, capping ``λ_i`` at the cost
        of row ``i`` to it loses nothing (beyond it ``L`` cannot grow along ``λ_i``) and keeps
        the search in the region that matters.
    target : float
        The objective the step aims at (Polyak), typically the incumbent's.
    cutoff : float
        Stop as soon as the bound reaches it (the node is pruned).
    iterations : int
        At most this many evaluations.
    step : float
        Initial step factor θ; halved after ``patience`` evaluations without a better bound.
    stall_ratio : float
        If positive, give up (to branch) once the distance to ``cutoff`` exceeds
        ``stall_ratio`` times the bound's gain over the last five evaluations.
    """
    if lam_cap is not None:
        lam = np.minimum(lam, lam_cap)
    best: LagrangianPoint | None = None
    history: list[float] = []
    stall = 0
    used = 0
    for used in range(1, iterations + 1):  # noqa: B007 - used after the loop
        point = relax.evaluate(lam, p, forced=forced, free=free)
        if best is None or point.bound > best.bound:
            best, stall = point, 0
        else:
            stall += 1
            if stall >= patience:
                step, stall = step / 2, 0
        if best.bound >= cutoff or point.feasible or step < 1e-3:
            break
        history.append(best.bound)
        if (stall_ratio > 0 and len(history) > 5
                and cutoff - best.bound > stall_ratio * (best.bound - history[-6])):
            break
        norm = float(point.grad @ point.grad)
        lam = np.maximum(lam + step * max(target - point.bound, 1e-9) / norm * point.grad, 0.0)
        if lam_cap is not None:
            np.minimum(lam, lam_cap, out=lam)
    assert best is not None
    return best, used
