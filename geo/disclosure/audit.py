"""Audit a release as an attacker would: the tightest bounds the published figures allow.

A viewer who knows which producers lie in which cells (company addresses are public) can
write every released figure as a sum of unknown, non-negative producer contributions. The
tightest interval for one producer's total then follows from two linear programmes (minimise
and maximise it subject to those sums). A producer whose interval lies within ±``tolerance``
of the true value has been disclosed. An *insider* (a producer who knows their own figures)
adds their own contributions as known values — the attack the p % rule guards against.

Used by the red-team tests and the protection benchmark; it solves with HiGHS through
:func:`scipy.optimize.linprog`.

Examples
--------
>>> import numpy as np
>>> from scipy.sparse import csr_matrix
>>> a = csr_matrix(np.array([[1.0, 1.0, 1.0]]))    # one released total over three producers
>>> lo, hi = producer_bounds(a, np.array([30.0]), [np.array([0]), np.array([1])])
>>> lo.tolist(), hi.tolist()
([0.0, 0.0], [30.0, 30.0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from geo.disclosure.tree import ProtectedTree

__all__ = ["Disclosure", "audit_tree", "disclosed", "producer_bounds", "tree_equations"]


def producer_bounds(a_eq: csr_matrix, b_eq: np.ndarray, targets: Sequence[np.ndarray], *,
                    known: Mapping[int, float] | None = None,
                    upper: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest feasible value of each target sum of variables.

    Parameters
    ----------
    a_eq, b_eq : sparse matrix, ndarray
        The released figures as equations ``a_eq @ x = b_eq`` over non-negative ``x``.
    targets : sequence of ndarray of int
        For each quantity attacked, the variables it sums.
    known : mapping, optional
        Variables the attacker knows exactly (an insider's own contributions).
    upper : ndarray, optional
        Known upper bounds of the variables (default none).

    Returns
    -------
    lo, hi : ndarray
        ``hi`` is ``inf`` where the quantity is unbounded.
    """
    n = a_eq.shape[1]
    bounds = [(0.0, None if upper is None else float(upper[j])) for j in range(n)]
    for j, v in (known or {}).items():
        bounds[j] = (float(v), float(v))
    lo = np.zeros(len(targets))
    hi = np.zeros(len(targets))
    for i, idx in enumerate(targets):
        c = np.zeros(n)
        c[np.asarray(idx, dtype=np.int64)] = 1.0
        for sign, out in ((1.0, lo), (-1.0, hi)):
            res = linprog(sign * c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status == 3:  # unbounded
                out[i] = np.inf if sign < 0 else 0.0
            elif res.status != 0:
                msg = f"The audit's linear programme failed: {res.message}"
                raise RuntimeError(msg)
            else:
                out[i] = sign * res.fun
    return lo, hi


def tree_equations(tree: ProtectedTree) -> tuple[csr_matrix, np.ndarray]:
    """The released nodes of a tree as equations over its (leaf, producer) contributions."""
    contrib = tree.contributions
    released = tree.released()
    rows, cols = [], []
    keys = [contrib[c].astype(str).to_numpy() for c in tree.levels]
    for r, node in enumerate(released.itertuples(index=False)):
        mask = np.ones(len(contrib), bool)
        for d, col in enumerate(tree.levels[:int(node.depth)]):
            mask &= keys[d] == str(getattr(node, col))
        idx = np.flatnonzero(mask)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
    a = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(released), len(contrib)))
    return a, released["tonnes"].to_numpy(float)


@dataclass(frozen=True)
class Disclosure:
    """A producer whose total an attacker can pin to within the tolerance."""

    producer: str
    attacker: str
    true_value: float
    low: float
    high: float


def disclosed(true: float, lo: float, hi: float, tolerance: float) -> bool:
    """Whether the interval [lo, hi] pins ``true`` to within ±``tolerance`` (a fraction)."""
    return bool(true > 0 and lo >= (1 - tolerance) * true and hi <= (1 + tolerance) * true)


def audit_tree(tree: ProtectedTree, *, tolerance: float = 0.10, insiders: bool = True
               ) -> list[Disclosure]:
    """Every producer whose total an outsider or an insider can pin down from the release.

    Producer totals are summed over all their contributions in the tree. Insiders are the
    other producers, one at a time, each knowing their own contributions.
    """
    a, b = tree_equations(tree)
    contrib = tree.contributions
    producers = contrib["_producer"].astype(str).to_numpy()
    values = contrib["_value"].to_numpy(float)
    names = sorted(set(producers))
    targets = [np.flatnonzero(producers == p) for p in names]
    truth = np.array([values[t].sum() for t in targets])
    found: list[Disclosure] = []
    attackers: list[str] = ["outsider", *(names if insiders else [])]
    for attacker in attackers:
        known = ({int(j): float(values[j]) for j in np.flatnonzero(producers == attacker)}
                 if attacker != "outsider" else None)
        pick = [i for i, p in enumerate(names) if p != attacker]
        lo, hi = producer_bounds(a, b, [targets[i] for i in pick], known=known)
        for i, lo_i, hi_i in zip(pick, lo, hi, strict=True):
            if disclosed(float(truth[i]), float(lo_i), float(hi_i), tolerance):
                found.append(Disclosure(names[i], attacker, float(truth[i]), float(lo_i),
                                        float(hi_i)))
    return found
