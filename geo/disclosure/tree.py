"""Primary and complementary suppression on a hierarchy of totals.

Every figure a viewer sees is a node of **one** tree of totals (for example direction → stream
→ park → coarse hexagon → fine hexagon), or a sum of such nodes. Because the tree is one
hierarchy, what a viewer can work out is exactly this: for each released node ``N``, the total
of ``H(N)`` — the records under ``N`` that lie under no released node below it — obtained as
``N`` minus its highest released descendants; nothing finer (other than that figures are not
negative). The sets ``H(N)`` of different released nodes are disjoint. So the release is safe
when:

1. every released node passes the rules on its own (primary suppression), and
2. every non-empty ``H(N)`` passes the rules (complementary suppression): where it does not,
   released children of ``N`` are withdrawn, smallest first, until it does, and where even that
   is not enough ``N`` is withdrawn itself (its ``H`` then joins its parent's, checked there).

It follows that any difference of two released figures ``A ⊃ B`` covers at least one
non-empty ``H`` set, hence at least ``k`` producers, and no producer dominates it: nested
filters, margins and "total minus what is shown" isolate nobody.

Examples
--------
>>> import pandas as pd
>>> recs = pd.DataFrame({"park": ["A"] * 4 + ["B"], "cell": ["a1", "a1", "a1", "a2", "b1"],
...                      "site": ["s1", "s2", "s3", "s4", "s5"],
...                      "tonnes": [10.0, 11.0, 12.0, 9.0, 50.0]})
>>> tree = protect_tree(recs, ["park", "cell"], value="tonnes", producer="site")
>>> tree.nodes.loc[tree.nodes["published"], ["depth", "tonnes"]].to_dict("records")
[{'depth': 0, 'tonnes': 92.0}]

Cell a2 (one producer) and park B (one) are withheld. Park A passes, but A − a1 would be a2's
figure, so cell a1 is withdrawn with it; at the top, the total minus park A would be park B's
one producer, so park A is withdrawn too. The programme total (5 producers, no dominant one)
is what remains.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.disclosure.rules import DEFAULT_RULES, DisclosureRules
from geo.errors import ConfidentialityError
from geo.i18n import _
from geo.lazy import cached_property

__all__ = ["NODE_COLUMNS", "ProtectedTree", "protect_tree"]

logger = logging.getLogger(__name__)

MAX_WITHDRAWN_SHARE = 1.0
"""Most of a node's tonnes that complementary suppression may withdraw in its children
before it withdraws the node instead. 1.0 (keep the coarser figure whenever its children can
protect it) releases the most at park level: on a 100,000-record synthetic programme, 74 % of
have tonnage at park level against 63 % with 0.5 (``benchmarks/disclosure_bench.py``); the
withdrawn cells' tonnage still reaches the maps through their parents' remainders."""

NODE_COLUMNS = ("node", "depth", "parent", "tonnes", "producers", "records", "primary_ok",
                "published", "hidden_tonnes", "hidden_producers")
"""Columns of :attr:`ProtectedTree.nodes` besides the level columns."""


@dataclass(frozen=True)
class _Stats:
    """Per-node totals, distinct producers and the two largest producer contributions."""

    total: np.ndarray
    producers: np.ndarray
    top1: np.ndarray
    top2: np.ndarray


def _stats(node: np.ndarray, producer: np.ndarray, value: np.ndarray, n_nodes: int) -> _Stats:
    """Aggregate (node, producer) contributions per node, vectorised."""
    total = np.zeros(n_nodes)
    producers = np.zeros(n_nodes, dtype=np.int64)
    top1 = np.zeros(n_nodes)
    top2 = np.zeros(n_nodes)
    if len(node) == 0:
        return _Stats(total, producers, top1, top2)
    key = node.astype(np.int64) * (int(producer.max()) + 1) + producer.astype(np.int64)
    uniq, inv = np.unique(key, return_inverse=True)
    contrib = np.bincount(inv, weights=value, minlength=len(uniq))
    c_node = uniq // (int(producer.max()) + 1)
    np.add.at(total, c_node, contrib)
    np.add.at(producers, c_node, 1)
    order = np.lexsort((-contrib, c_node))
    c_node, contrib = c_node[order], contrib[order]
    first = np.ones(len(c_node), bool)
    first[1:] = c_node[1:] != c_node[:-1]
    top1[c_node[first]] = contrib[first]
    second = np.zeros(len(c_node), bool)
    second[1:] = first[:-1] & ~first[1:]
    top2[c_node[second]] = contrib[second]
    return _Stats(total, producers, top1, top2)


@dataclass(frozen=True)
class ProtectedTree:
    """A hierarchy of totals with what may be released.

    Attributes
    ----------
    levels : tuple of str
        The level columns, top first.
    nodes : DataFrame
        One row per non-empty node: the level columns (None below the node's depth), then
        :data:`NODE_COLUMNS`. ``published`` says whether a viewer may see the node;
        ``hidden_tonnes`` / ``hidden_producers`` describe ``H(N)`` of a released node (what
        lies under no released node below it); 0 for withheld nodes.
    rules : DisclosureRules
    assigned : ndarray of int
        For each (leaf, producer) contribution row, the released node whose ``H`` holds it
        (-1: under no released node). Used by audits and tests.
    coded : DataFrame
        The (leaf, producer) contribution rows ``assigned`` refers to, with each level and the
        producer as integer codes into ``uniques`` (see :attr:`contributions`).
    uniques : dict
        Level or ``_producer`` → its distinct text values, sorted (the codes' meaning).
    """

    levels: tuple[str, ...]
    nodes: pd.DataFrame
    rules: DisclosureRules
    assigned: np.ndarray = field(repr=False)
    coded: pd.DataFrame = field(repr=False)
    uniques: dict[str, np.ndarray] = field(repr=False)

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """The (leaf, producer) contribution rows ``assigned`` refers to, as text: the level
        columns, ``_producer`` and ``_value``. Built when first asked for (audits and tests):
        the release itself needs only the codes."""
        out = self.coded.copy()
        for col, values in self.uniques.items():
            out[col] = values[out[col].to_numpy(np.int64)]
        return out

    def released(self) -> pd.DataFrame:
        """The released nodes only."""
        return self.nodes[self.nodes["published"]]

    def node_of(self, depth: int, *values: str) -> pd.Series | None:
        """The node at ``depth`` with these level values (None if empty or not a node)."""
        nodes = self.nodes[self.nodes["depth"] == depth]
        for col, val in zip(self.levels[:depth], values, strict=True):
            nodes = nodes[nodes[col] == val]
        return None if nodes.empty else nodes.iloc[0]

    def share_released(self, depth: int) -> float:
        """Share of all tonnes that lies in released nodes at ``depth`` (0–1)."""
        total = float(self.nodes.loc[self.nodes["depth"] == 0, "tonnes"].sum())
        at = self.nodes[(self.nodes["depth"] == depth) & self.nodes["published"]]
        return float(at["tonnes"].sum()) / total if total > 0 else 0.0


def protect_tree(records: pd.DataFrame, levels: Sequence[str], *, value: str = "tonnes",
                 producer: str = "site_id", rules: DisclosureRules = DEFAULT_RULES,
                 children_share: Sequence[float] | None = None) -> ProtectedTree:
    """Decide which nodes of a hierarchy of totals a viewer may see.

    Parameters
    ----------
    records : DataFrame
        One row per record: the ``levels`` columns (the record's path, top first; text), the
        ``value`` (non-negative) and the ``producer`` (who contributed it).
    levels : sequence of str
        Level columns, top first. Depth 0 is the total of all records.
    value, producer : str
        Column names.
    rules : DisclosureRules
    children_share : sequence of float, optional
        Per depth (0 = the total), the most of a node's tonnes that complementary suppression
        may withdraw in its children before withdrawing the node instead (default
        :data:`MAX_WITHDRAWN_SHARE` at every depth). 0 at a depth keeps that depth's children
        and gives up the node whenever its remainder fails.

    Returns
    -------
    ProtectedTree
    """
    levels = tuple(levels)
    missing = [c for c in (*levels, value, producer) if c not in records.columns]
    if missing:
        msg = _("Records lack the column(s) {missing} needed for the disclosure tree.").format(
            missing=missing)
        raise ConfidentialityError(msg)
    vals = pd.to_numeric(records[value], errors="coerce").fillna(0.0)
    if (vals < 0).any():
        # Translators: {value} is a column name, e.g. tonnes_per_year.
        msg = _("Negative {value} cannot be protected by the rules; fix the records "
                "first.").format(value=value)
        raise ConfidentialityError(msg)
    # Group on integer codes of the text values (sorted, so the codes sort as the text does):
    # contributions come out sorted by their path, as grouping the text would give them.
    columns = [*levels, "_producer"]
    uniques: dict[str, np.ndarray] = {}
    coded: dict[str, np.ndarray] = {}
    for col, source in zip(columns, [*levels, producer], strict=True):
        coded[col], uniques[col] = _sorted_codes(records[source])
    frame = pd.DataFrame({**coded, "_value": vals.to_numpy(float), "_n": 1})
    contrib = (frame.groupby(columns, sort=True)
               .agg(_value=("_value", "sum"), _n=("_n", "sum")).reset_index())
    m = len(contrib)
    prod_codes = pd.factorize(contrib["_producer"])[0].astype(np.int64)
    value_arr = contrib["_value"].to_numpy(float)
    depth_count = len(levels) + 1
    node_at: list[np.ndarray] = []
    offsets: list[int] = []
    n_total = 0
    # a row starts a new node at depth d when its path's first d levels differ from the row
    # before (rows of one node are contiguous): node ids in order of first appearance
    starts = np.zeros(m, dtype=bool)
    for d in range(depth_count):
        if d:
            level_codes = contrib[levels[d - 1]].to_numpy(np.int64)
            starts[1:] |= level_codes[1:] != level_codes[:-1]
        local = np.cumsum(starts) if m else np.zeros(0, np.int64)
        offsets.append(n_total)
        node_at.append(local.astype(np.int64) + n_total)
        n_total += int(local.max()) + 1 if m else 0
    depth_of = np.zeros(n_total, dtype=np.int64)
    parent = np.full(n_total, -1, dtype=np.int64)
    for d in range(depth_count):
        depth_of[node_at[d]] = d
        if d:
            parent[node_at[d]] = node_at[d - 1]
    full = _stats(np.concatenate(node_at), np.tile(prod_codes, depth_count),
                  np.tile(value_arr, depth_count), n_total)
    records_n = np.zeros(n_total, dtype=np.int64)
    for d in range(depth_count):
        np.add.at(records_n, node_at[d], contrib["_n"].to_numpy(np.int64))
    primary_ok = rules.passes(full.producers, full.total, full.top1, full.top2)
    published = primary_ok.copy()
    assigned = np.full(m, -1, dtype=np.int64)

    # Rows of a node are contiguous (contributions are sorted by their path).
    first = np.full(n_total, m, dtype=np.int64)
    last = np.zeros(n_total, dtype=np.int64)
    rows_idx = np.arange(m, dtype=np.int64)
    for d in range(depth_count):
        np.minimum.at(first, node_at[d], rows_idx)
        np.maximum.at(last, node_at[d], rows_idx + 1)
    for d in range(depth_count - 1, -1, -1):
        here = node_at[d]
        pend = assigned == -1
        e = _stats(here[pend], prod_codes[pend], value_arr[pend], n_total)
        at_depth = np.unique(here)
        ok = rules.passes(e.producers[at_depth], e.total[at_depth], e.top1[at_depth],
                          e.top2[at_depth])
        for node in at_depth[published[at_depth] & ~ok]:
            lo, hi = int(first[node]), int(last[node])
            below = [np.unique(node_at[dd][lo:hi]) for dd in range(d + 1, depth_count)]
            share = (children_share[d] if children_share is not None and d < len(children_share)
                     else MAX_WITHDRAWN_SHARE)
            _repair(int(node), below, slice(lo, hi), assigned=assigned, published=published,
                    parent=parent, prod_codes=prod_codes, value_arr=value_arr,
                    totals=full.total, rules=rules, max_share=share)
        rows = (assigned == -1) & published[here]
        assigned[rows] = here[rows]

    hidden = _stats(assigned[assigned >= 0], prod_codes[assigned >= 0],
                    value_arr[assigned >= 0], n_total)
    first_row = np.full(n_total, -1, dtype=np.int64)
    for d in range(depth_count):
        first_row[node_at[d][::-1]] = np.arange(m)[::-1]
    level_values = {}
    for d, col in enumerate(levels, start=1):
        colvals = uniques[col][contrib[col].to_numpy(np.int64)[first_row]]
        level_values[col] = np.where(depth_of >= d, colvals, None)
    nodes = pd.DataFrame({**level_values, "node": np.arange(n_total), "depth": depth_of,
                          "parent": parent, "tonnes": full.total, "producers": full.producers,
                          "records": records_n, "primary_ok": primary_ok,
                          "published": published, "hidden_tonnes": hidden.total,
                          "hidden_producers": hidden.producers})
    logger.info("Disclosure tree over %s: %d nodes, %d released (%s)", "/".join(levels),
                n_total, int(published.sum()), rules.describe())
    return ProtectedTree(levels, nodes, rules, assigned, contrib.drop(columns="_n"), uniques)


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column's text values, numbered in the text's sorted order, and
    those distinct texts (an object array): ``pd.factorize(values.astype(str), sort=True)``.

    A categorical column is coded from its categories (no text per row is made): the release
    passes its hexagon ids so, a hundred thousand rows at a time.
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.isna().any():
        codes = values.cat.codes.to_numpy(np.int64)
        used = np.unique(codes)
        texts = np.asarray(values.cat.categories.astype(str), dtype=object)[used]
        order = np.argsort(texts, kind="stable")
        renumber = np.zeros(len(values.cat.categories), dtype=np.int64)
        renumber[used[order]] = np.arange(len(used))
        return renumber[codes], texts[order]
    codes, distinct = pd.factorize(values.astype(str), sort=True)
    return codes.astype(np.int64), np.asarray(distinct, dtype=object)


def _highest_released(node: int, below: list[np.ndarray], published: np.ndarray,
                      parent: np.ndarray) -> list[int]:
    """Released nodes under ``node`` with no released node between them and ``node``."""
    blocked = {node}
    out: list[int] = []
    for ids in below:  # shallowest first: a node is highest if its parent is not released
        for x in ids:
            px = int(parent[x])
            if px in blocked or not published[px]:
                if published[x]:
                    out.append(int(x))
                else:
                    blocked.add(int(x))
    return out


def _repair(node: int, below: list[np.ndarray], span: slice, *, assigned: np.ndarray,
            published: np.ndarray, parent: np.ndarray, prod_codes: np.ndarray,
            value_arr: np.ndarray, totals: np.ndarray, rules: DisclosureRules,
            max_share: float) -> None:
    """Make ``H(node)`` pass by withdrawing released figures below it, or withdraw the node.

    The highest released figures below the node (its released children, or, under a withheld
    child, that child's highest released descendants) are withdrawn smallest first — each
    one's ``H`` joins the node's, and its own released children become candidates — until the
    node's remainder passes, as long as the withdrawn figures hold at most ``max_share`` of
    the node's tonnes; otherwise the node itself is withdrawn (its ``H`` then joins its
    parent's, checked there).
    """
    seg = assigned[span]
    budget = max_share * totals[node]
    spent = 0.0
    taken: list[int] = []
    while spent <= budget:
        candidates = _highest_released(node, below, published, parent)
        if not candidates:
            break
        child = min(candidates, key=lambda x: totals[x])
        spent += float(totals[child])
        if spent > budget:
            break
        published[child] = False
        taken.append(child)
        rows = (seg == -1) | np.isin(seg, taken)
        s = _stats(np.zeros(int(rows.sum()), np.int64), prod_codes[span][rows],
                   value_arr[span][rows], 1)
        if rules.passes(s.producers, s.total, s.top1, s.top2)[0]:
            seg[np.isin(seg, taken)] = -1  # a view of ``assigned``: their H join the node's
            return
    published[taken] = True  # give the figures back: the node goes instead
    published[node] = False
