"""Disclosure control for synergy figures: two companies behind every figure.

A synergy's figure — its tonnes per year, the landfill it diverted, the savings it made —
belongs to **two** companies: the one that gives the resource and the one that receives it.
Both know it exactly, and both would be exposed by it. So a figure over a set of synergies
may be released only when it is safe

1. with the **giving** companies as contributors (the rules of
   :class:`~geo.disclosure.DisclosureRules`: at least ``k`` of them, no dominant one),
2. with the **receiving** companies as contributors (the same rules), and
3. against **insiders**: a company that is party to several synergies of the set knows all of
   them — as giver and as receiver — which is more than the p % rule assumes of one
   contributor. For every company ``X`` in the set, what ``X`` does not know (the total minus
   the synergies ``X`` is party to) must exceed each other company's unknown part by ``p`` %;
   otherwise ``X`` could estimate that company's figure to within ``p`` %.

:func:`protect_synergy_tree` applies this to one hierarchy of totals (for example all
synergies → stage → stream → park pair): it runs :func:`geo.disclosure.protect_tree` once with
the givers and once with the receivers as producers, releases a node only where both release
it, and then checks, for both attributions and the insiders, every released node and every
remainder ``H(N)`` (the synergies under ``N`` and under no released node below it),
withdrawing nodes until all pass. The tree argument of :mod:`geo.disclosure.tree` then holds
for every attacker: all a viewer learns is the total of each ``H(N)``, and each of those
passes the rules for both attributions and every insider.

Only synergies with a positive figure count as contributors (a zero would inflate ``k``).

Examples
--------
>>> import pandas as pd
>>> recs = pd.DataFrame({"stage": ["idea"] * 3 + ["completed"] * 3,
...                      "from_site_id": ["X", "Y", "Z", "A", "B", "C"],
...                      "to_site_id": ["B1", "X", "B3", "R1", "R2", "R3"],
...                      "tonnes": [10.0, 10.0, 10.0, 10.0, 11.0, 12.0]})
>>> tree = protect_synergy_tree(recs, ["stage"], value="tonnes")
>>> tree.released()[["stage", "value"]].to_dict("records")
[{'stage': 'completed', 'value': 33.0}]

Three givers and three receivers are behind each stage, yet ``idea`` is withheld: ``X`` gives
one of its synergies and receives another, so knows two of three and would learn the third.
The total is withheld too, as it would give ``idea`` by subtraction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.disclosure import DEFAULT_RULES, DisclosureRules, protect_tree
from geo.errors import ConfidentialityError
from geo.i18n import _

__all__ = ["SynergyTree", "protect_synergy_tree", "synergy_rule_ok"]

logger = logging.getLogger(__name__)

_SEP = "\x1f"


def _attribution_ok(group: np.ndarray, who: np.ndarray, value: np.ndarray, n_groups: int,
                    rules: DisclosureRules) -> np.ndarray:
    """The rules per group with ``who`` as the contributors (vectorised)."""
    base = int(who.max()) + 1
    uniq, inv = np.unique(group * base + who, return_inverse=True)
    g = uniq // base
    v = np.bincount(inv, weights=value)
    order = np.lexsort((-v, g))
    g, v = g[order], v[order]
    first = np.r_[True, g[1:] != g[:-1]]
    starts = np.flatnonzero(first)
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    total = np.bincount(g, weights=v, minlength=n_groups)
    producers = np.bincount(g, minlength=n_groups)
    top1 = np.zeros(n_groups)
    top2 = np.zeros(n_groups)
    top1[g[rank == 0]] = v[rank == 0]
    top2[g[rank == 1]] = v[rank == 1]
    return np.asarray(rules.passes(producers, total, top1, top2), dtype=bool)


def _largest_unknown(c: np.ndarray, contributor: np.ndarray, attacker: np.ndarray,
                     shared: np.ndarray) -> np.ndarray:
    """For each attacker ``X``: the largest ``c[C] − shared(C, X)`` over companies ``C ≠ X``.

    ``shared`` holds what ``X`` knows of ``C``'s figure (their synergies together), given
    sparsely as (``contributor`` C, ``attacker`` X, amount) rows.
    """
    m = len(c)
    other = contributor != attacker
    best = np.zeros(m)
    np.maximum.at(best, attacker[other], c[contributor[other]] - shared[other])
    degree = np.bincount(attacker[other], minlength=m)
    width = min(m, int(degree.max(initial=0)) + 2)
    order = np.argsort(-c, kind="stable")[:width]
    xs = np.arange(m)
    keys = order[None, :] * m + xs[:, None]
    partners = contributor[other] * m + attacker[other]
    free = ~(np.isin(keys, partners) | (order[None, :] == xs[:, None]))
    first = np.argmax(free, axis=1)
    unshared = np.where(free.any(axis=1), c[order[first]], 0.0)
    return np.maximum(best, unshared)


def _insiders_ok(giver: np.ndarray, receiver: np.ndarray, value: np.ndarray,
                 rules: DisclosureRules) -> bool:
    """Whether no company party to some of these synergies can estimate another's figure
    to within p % (see the module docstring)."""
    n = len(value)
    _, inv = np.unique(np.concatenate([giver, receiver]), return_inverse=True)
    a, b = inv[:n], inv[n:]
    m = int(inv.max()) + 1
    total = float(value.sum())
    gives = np.bincount(a, weights=value, minlength=m)
    receives = np.bincount(b, weights=value, minlength=m)
    own = a == b
    known = gives + receives - np.bincount(a[own], weights=value[own], minlength=m)
    pair, pinv = np.unique(a * m + b, return_inverse=True)
    amount = np.bincount(pinv, weights=value)
    pg, pr = pair // m, pair % m
    unknown = np.maximum(_largest_unknown(gives, pg, pr, amount),
                         _largest_unknown(receives, pr, pg, amount))
    p = rules.p_percent / 100.0
    tol = 1e-9 * max(total, 1.0)
    rest = total - known - unknown
    top = max(float(gives.max()), float(receives.max()))
    outsider = total - top >= p * top - tol
    return bool(outsider and np.all(rest >= p * unknown - tol))


def synergy_rule_ok(group: np.ndarray, giver: np.ndarray, receiver: np.ndarray,
                    value: np.ndarray, *, n_groups: int,
                    rules: DisclosureRules = DEFAULT_RULES) -> np.ndarray:
    """Whether each group of synergies may be released (see the module docstring).

    Parameters
    ----------
    group : ndarray of int
        Group of each synergy row (-1: in no group).
    giver, receiver : ndarray
        Codes (or ids) of the giving and the receiving company of each row.
    value : ndarray of float
        The figure of each row (non-negative).
    n_groups : int
    rules : DisclosureRules

    Returns
    -------
    ndarray of bool
        One per group; an empty group passes (it reveals nothing).

    Examples
    --------
    >>> g = np.array([0, 0, 0, 1, 1, 1])
    >>> giver = np.array(["X", "Y", "Z", "A", "B", "C"])
    >>> receiver = np.array(["B1", "X", "B3", "R1", "R2", "R3"])
    >>> synergy_rule_ok(g, giver, receiver, np.full(6, 10.0), n_groups=2).tolist()
    [False, True]

    In group 0, ``X`` gives one synergy and receives another: it knows two of the three and so
    the third exactly, although three givers and three receivers each pass the rules alone.
    """
    ok = np.ones(n_groups, dtype=bool)
    sel = np.asarray(group) >= 0
    if not sel.any():
        return ok
    g = np.asarray(group)[sel].astype(np.int64)
    names = pd.concat([pd.Series(np.asarray(giver)[sel]).astype(str),
                       pd.Series(np.asarray(receiver)[sel]).astype(str)], ignore_index=True)
    codes = pd.factorize(names)[0]
    a, b = codes[:len(g)], codes[len(g):]
    v = np.asarray(value, dtype=float)[sel]
    ok &= _attribution_ok(g, a, v, n_groups, rules)
    ok &= _attribution_ok(g, b, v, n_groups, rules)
    order = np.argsort(g, kind="stable")
    g, a, b, v = g[order], a[order], b[order], v[order]
    bounds = np.flatnonzero(np.diff(g)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(g)], strict=True):
        gid = int(g[lo])
        if ok[gid]:
            ok[gid] = _insiders_ok(a[lo:hi], b[lo:hi], v[lo:hi], rules)
    return ok


@dataclass(frozen=True)
class SynergyTree:
    """One value's hierarchy of synergy totals, with what a viewer may see.

    Attributes
    ----------
    levels : tuple of str
    value : str
        The figure (a column of the records).
    nodes : DataFrame
        One row per non-empty node: the level columns (None below the node's depth), ``key``
        (the node's path), ``node``, ``depth``, ``parent``, ``value`` (the true total: never
        show it unless ``published``), ``synergies``, ``givers``, ``receivers``,
        ``published``.
    records : DataFrame
        The synergy rows with a positive value (the contributors), with ``assigned``: the
        released node whose remainder ``H`` holds the row (-1: under no released node).
    node_at : ndarray
        ``(len(levels) + 1, len(records))``: each row's node at each depth.
    rules : DisclosureRules
    """

    levels: tuple[str, ...]
    value: str
    nodes: pd.DataFrame
    records: pd.DataFrame = field(repr=False)
    node_at: np.ndarray = field(repr=False)
    rules: DisclosureRules = DEFAULT_RULES

    def released(self) -> pd.DataFrame:
        """The released nodes only."""
        return self.nodes[self.nodes["published"]]


def path_keys(frame: pd.DataFrame, levels: Sequence[str], depth: int) -> pd.Series:
    """The key of each row's node at ``depth`` (its first ``depth`` level values)."""
    if depth == 0:
        return pd.Series("", index=frame.index)
    parts = [frame[c].astype(str) for c in levels[:depth]]
    out = parts[0]
    for part in parts[1:]:
        out = out + _SEP + part
    return out


def _node_keys(nodes: pd.DataFrame, levels: Sequence[str]) -> pd.Series:
    """The path key of each node of a :class:`~geo.disclosure.ProtectedTree` frame."""
    keys = [_SEP.join(str(v) for v in row[:int(d)])
            for row, d in zip(nodes[list(levels)].itertuples(index=False), nodes["depth"],
                              strict=True)]
    return pd.Series(keys, index=nodes.index, dtype=object)


def _assign(node_at: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Each row's deepest released node (-1: none)."""
    assigned = np.full(node_at.shape[1], -1, dtype=np.int64)
    for d in range(node_at.shape[0] - 1, -1, -1):
        here = node_at[d]
        take = (assigned == -1) & published[here]
        assigned[take] = here[take]
    return assigned


def protect_synergy_tree(records: pd.DataFrame, levels: Sequence[str], *, value: str,
                         giver: str = "from_site_id", receiver: str = "to_site_id",
                         rules: DisclosureRules = DEFAULT_RULES) -> SynergyTree:
    """Decide which nodes of a hierarchy of synergy totals a viewer may see.

    Parameters
    ----------
    records : DataFrame
        One row per synergy: the ``levels`` columns (text, top first), the ``value``
        (non-negative) and the ``giver`` and ``receiver`` company ids.
    levels : sequence of str
        Level columns, top first; depth 0 is the total of all synergies.
    value, giver, receiver : str
        Column names.
    rules : DisclosureRules

    Returns
    -------
    SynergyTree
    """
    levels = tuple(levels)
    missing = [c for c in (*levels, value, giver, receiver) if c not in records.columns]
    if missing:
        msg = _("Synergy records lack the column(s) {missing} needed for the disclosure "
                "tree.").format(missing=missing)
        raise ConfidentialityError(msg)
    vals = pd.to_numeric(records[value], errors="coerce").fillna(0.0)
    if (vals < 0).any():
        msg = _("Negative {figure} cannot be protected by the rules; fix the synergies "
                "first.").format(figure=value)
        raise ConfidentialityError(msg)
    recs = records.loc[(vals > 0).to_numpy(), [*levels, giver, receiver]].astype(str)
    recs[value] = vals[vals > 0].to_numpy(float)
    recs = recs.reset_index(drop=True)
    trees = [protect_tree(recs, levels, value=value, producer=col, rules=rules)
             for col in (giver, receiver)]
    nodes = trees[0].nodes[[*levels, "node", "depth", "parent", "tonnes", "records"]].rename(
        columns={"tonnes": "value", "records": "synergies"})
    nodes["key"] = _node_keys(nodes, levels)
    published = trees[0].nodes["published"].to_numpy(bool).copy()
    key_depth = nodes["key"] + "#" + nodes["depth"].astype(str)
    other = trees[1].nodes
    other_pub = pd.Series(other["published"].to_numpy(bool),
                          index=_node_keys(other, levels) + "#" + other["depth"].astype(str))
    published &= key_depth.map(other_pub).fillna(False).to_numpy(bool)
    index = pd.Series(nodes["node"].to_numpy(np.int64), index=key_depth.to_numpy())
    node_at = np.vstack([
        index.reindex((path_keys(recs, levels, d) + f"#{d}").to_numpy()).to_numpy(np.int64)
        for d in range(len(levels) + 1)]) if len(recs) else np.zeros((len(levels) + 1, 0),
                                                                     np.int64)
    g = recs[giver].to_numpy()
    r = recs[receiver].to_numpy()
    v = recs[value].to_numpy(float)
    n_nodes = len(nodes)
    for d in range(node_at.shape[0]):
        published &= synergy_rule_ok(node_at[d], g, r, v, n_groups=n_nodes, rules=rules) | \
            (nodes["depth"].to_numpy() != d)
    published = _complementary(node_at, g, r, v, published,
                               depth=nodes["depth"].to_numpy(np.int64),
                               parent=nodes["parent"].to_numpy(np.int64),
                               totals=nodes["value"].to_numpy(float), rules=rules)
    nodes["published"] = published
    for label, col in (("givers", giver), ("receivers", receiver)):
        counts = np.zeros(n_nodes, np.int64)
        for d in range(node_at.shape[0]):
            pairs = pd.DataFrame({"n": node_at[d], "c": recs[col].to_numpy()}).drop_duplicates()
            np.add.at(counts, pairs["n"].to_numpy(np.int64), 1)
        nodes[label] = counts
    recs["assigned"] = _assign(node_at, published)
    cols = [*levels, "key", "node", "depth", "parent", "value", "synergies", "givers",
            "receivers", "published"]
    logger.info("Synergy tree of %s over %s: %d nodes, %d released", value, "/".join(levels),
                n_nodes, int(published.sum()))
    return SynergyTree(levels, value, nodes[cols].reset_index(drop=True), recs, node_at, rules)


def _complementary(node_at: np.ndarray, giver: np.ndarray, receiver: np.ndarray,
                   value: np.ndarray, published: np.ndarray, *, depth: np.ndarray,
                   parent: np.ndarray, totals: np.ndarray, rules: DisclosureRules
                   ) -> np.ndarray:
    """Withdraw nodes until every released node's remainder ``H`` passes the joint rule.

    As :func:`geo.disclosure.tree.protect_tree` does for one attribution: for a failing
    remainder, the smallest released child is withdrawn when that alone makes ``H`` pass and
    the child holds at most half of the node; otherwise the node itself is withdrawn (its
    ``H`` joins its parent's). Deepest failures first; repeated until nothing fails.
    """
    published = published.copy()
    n = len(published)
    while True:
        assigned = _assign(node_at, published)
        ok = synergy_rule_ok(assigned, giver, receiver, value, n_groups=n, rules=rules)
        bad = np.flatnonzero(published & ~ok)
        if not len(bad):
            return published
        deepest = depth[bad].max()
        for node in bad[depth[bad] == deepest]:
            kids = np.flatnonzero((parent == node) & published)
            if len(kids):
                child = int(kids[np.argmin(totals[kids])])
                rows = (assigned == node) | (assigned == child)
                joined = synergy_rule_ok(np.where(rows, 0, -1), giver, receiver, value,
                                         n_groups=1, rules=rules)[0]
                if totals[child] <= 0.5 * totals[node] and joined:
                    published[child] = False
                    continue
            published[node] = False
