"""What the red-team tests share: an attacker's knowledge turned into bounds on producers.

A viewer who knows where every member site is (company addresses are public) and which
producers have a stream can write each figure they recover from a view — a released total, a
cell value read back from a heat map, a cluster's centre — as a linear equation over the
producers' unknown tonnages. :func:`pinned` then asks linear programmes for each producer's
tightest interval and lists those pinned to within ±10 % (by an outsider, or by an insider
who knows their own tonnage: the attack the p % rule guards against).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix

from geo.disclosure import disclosed, producer_bounds

TOLERANCE = 0.10
"""A producer's tonnage counts as recovered when an attack bounds it within ±10 %."""


@dataclass
class Knowledge:
    """Equations an attacker has gathered over named producers' unknown tonnages.

    ``add(weights, value)`` records ``Σ weights[p] · x[p] = value``; coefficients may be any
    known numbers (for example a kernel weight of a heat-map pixel at a known site).
    """

    producers: list[str]
    rows: list[dict[int, float]] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def add(self, weights: Mapping[str, float], value: float) -> None:
        """Record one equation (producers not in the list are ignored: they are not attacked)."""
        index = {p: i for i, p in enumerate(self.producers)}
        row = {index[p]: float(w) for p, w in weights.items() if p in index and w != 0}
        if row:
            self.rows.append(row)
            self.values.append(float(value))

    def matrix(self) -> tuple[csr_matrix, np.ndarray]:
        """The equations as a sparse matrix and right-hand side."""
        r, c, v = [], [], []
        for i, row in enumerate(self.rows):
            for j, w in row.items():
                r.append(i)
                c.append(j)
                v.append(w)
        a = csr_matrix((v, (r, c)), shape=(len(self.rows), len(self.producers)))
        return a, np.asarray(self.values, dtype=float)


def pinned(knowledge: Knowledge, truth: Mapping[str, float], *, insiders: bool = True,
           tolerance: float = TOLERANCE, slack: float = 0.0) -> list[tuple[str, str]]:
    """(producer, attacker) pairs whose tonnage the equations pin within ±``tolerance``.

    ``slack`` widens each equation into ``value·(1 ± slack)`` bounds when the recovered values
    are themselves approximate (for example read back from a rounded raster).
    """
    if not knowledge.rows:
        return []
    a, b = knowledge.matrix()
    if slack:
        # x ≥ 0 with a·x = b ± slack: express as two inequalities through extra slack vars.
        n = a.shape[1]
        extra = csr_matrix(np.eye(len(b)))
        a = csr_matrix(np.hstack([a.toarray(), extra.toarray()]))
        upper = np.concatenate([np.full(n, np.inf), np.abs(b) * 2 * slack])
        b = b * (1 + slack)
    else:
        upper = None
    names = knowledge.producers
    found: list[tuple[str, str]] = []
    attackers: Sequence[str] = ["outsider", *(names if insiders else [])]
    for attacker in attackers:
        known = ({names.index(attacker): float(truth.get(attacker, 0.0))}
                 if attacker != "outsider" else None)
        targets = [i for i, p in enumerate(names) if p != attacker]
        lo, hi = producer_bounds(a, b, [np.array([i]) for i in targets], known=known,
                                 upper=upper)
        for i, lo_i, hi_i in zip(targets, lo, hi, strict=True):
            if disclosed(float(truth.get(names[i], 0.0)), float(lo_i), float(hi_i), tolerance):
                found.append((names[i], attacker))
    return found
