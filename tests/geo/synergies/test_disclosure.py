"""Tests of geo.synergies.disclosure: the joint rule (givers, receivers, insiders) and the tree."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.disclosure import DisclosureRules
from geo.errors import ConfidentialityError
from geo.synergies.disclosure import protect_synergy_tree, synergy_rule_ok

RULES = DisclosureRules()


def _one(giver: list[str], receiver: list[str], value: list[float],
         rules: DisclosureRules = RULES) -> bool:
    n = len(value)
    return bool(synergy_rule_ok(np.zeros(n, np.int64), np.array(giver), np.array(receiver),
                                np.array(value, float), n_groups=1, rules=rules)[0])


def _brute_force_ok(giver: list[str], receiver: list[str], value: list[float],
                    rules: DisclosureRules) -> bool:
    """The joint rule written out plainly: both attributions, every insider, every target."""
    v = np.array(value, float)
    total = v.sum()
    p = rules.p_percent / 100
    tol = 1e-9 * max(total, 1.0)
    for who in (giver, receiver):
        c = pd.Series(v).groupby(pd.Series(who)).sum().sort_values(ascending=False)
        top2 = c.iloc[1] if len(c) > 1 else 0.0
        if not rules.passes(np.array([len(c)]), np.array([total]), np.array([c.iloc[0]]),
                            np.array([top2]))[0]:
            return False
    companies = sorted(set(giver) | set(receiver))
    for x in ["(outsider)", *companies]:
        knows = np.array([g == x or r == x for g, r in zip(giver, receiver, strict=True)])
        for c_, role in itertools.product(companies, (giver, receiver)):
            if c_ == x:
                continue
            u = v[(np.array(role) == c_) & ~knows].sum()
            if total - v[knows].sum() - u < p * u - tol:
                return False
    return True


def test_an_insider_in_two_synergies_withholds_the_third() -> None:
    """X gives one synergy and receives another of three: the figure is withheld, although
    three givers and three receivers pass the rules each."""
    assert not _one(["X", "Y", "Z"], ["B1", "X", "B3"], [10.0, 10.0, 10.0])
    assert _one(["A", "B", "C"], ["R1", "R2", "R3"], [10.0, 10.0, 10.0])


def test_few_receivers_or_a_dominant_giver_withhold() -> None:
    """Three givers to two receivers fail k; a giver holding 90 % fails the p % rule."""
    assert not _one(["A", "B", "C"], ["R1", "R1", "R2"], [10.0, 10.0, 10.0])
    assert not _one(["A", "B", "C", "D"], ["R1", "R2", "R3", "R4"], [90.0, 4.0, 3.0, 3.0])


def test_what_an_insider_already_knows_does_not_withhold() -> None:
    """A large synergy that its receiver knows anyway does not count against that receiver:
    the rule asks about what each company does *not* know."""
    giver = ["A", "C", "E", "G"]
    receiver = ["B", "D", "F", "H"]
    assert _one(giver, receiver, [100.0, 40.0, 40.0, 40.0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5),
                          st.floats(0.5, 500, allow_nan=False)), min_size=1, max_size=9))
def test_the_vectorised_rule_equals_the_rule_written_out(
        rows: list[tuple[int, int, float]]) -> None:
    """On random sets of synergies the fast rule agrees with the plain definition."""
    rows = [(a, b, v) for a, b, v in rows if a != b] or [(0, 1, 1.0)]
    giver = [f"C{a}" for a, _, _ in rows]
    receiver = [f"C{b}" for _, b, _ in rows]
    value = [round(v, 2) for _, _, v in rows]
    assert _one(giver, receiver, value) == _brute_force_ok(giver, receiver, value, RULES)


def test_groups_are_judged_apart_and_empty_ones_pass() -> None:
    """Each group gets its own verdict; a group with no row passes; -1 rows are ignored."""
    g = np.array([0, 0, 0, 2, 2, 2, -1])
    giver = np.array(["A", "B", "C", "X", "Y", "Z", "Q"])
    receiver = np.array(["R1", "R2", "R3", "B1", "X", "B3", "Q2"])
    ok = synergy_rule_ok(g, giver, receiver, np.full(7, 10.0), n_groups=3)
    assert ok.tolist() == [True, True, False]


def test_tree_releases_only_nodes_and_remainders_that_pass() -> None:
    """Released nodes and every remainder H(N) pass the joint rule (complementary
    suppression); zero figures are not contributors (they would inflate k)."""
    recs = pd.DataFrame({
        "stage": ["idea"] * 3 + ["completed"] * 4,
        "stream": ["a", "a", "b", "a", "a", "b", "b"],
        "from_site_id": ["A", "B", "C", "D", "E", "F", "G"],
        "to_site_id": ["R1", "R2", "R3", "R4", "R5", "R6", "R7"],
        "tonnes": [10.0, 12.0, 11.0, 9.0, 8.0, 0.0, 60.0]})
    tree = protect_synergy_tree(recs, ["stage", "stream"], value="tonnes")
    assert len(tree.records) == 6  # the zero row is no contributor
    rel = tree.released()
    # completed: one giver dominates; idea passes alone, but the total less idea would be
    # completed's figure, so idea is withheld and the total stands.
    assert rel["depth"].tolist() == [0]
    assert tree.nodes.loc[tree.nodes["key"] == "idea", "published"].tolist() == [False]
    assigned = tree.records["assigned"].to_numpy()
    ok = synergy_rule_ok(assigned, tree.records["from_site_id"].to_numpy(),
                         tree.records["to_site_id"].to_numpy(),
                         tree.records["tonnes"].to_numpy(), n_groups=len(tree.nodes))
    assert ok[rel["node"].to_numpy()].all()


def test_bad_records_are_refused() -> None:
    """Missing columns and negative figures are refused with the fix in the message."""
    recs = pd.DataFrame({"stage": ["a"], "from_site_id": ["A"], "to_site_id": ["B"],
                         "tonnes": [-1.0]})
    with pytest.raises(ConfidentialityError, match="Negative tonnes"):
        protect_synergy_tree(recs, ["stage"], value="tonnes")
    with pytest.raises(ConfidentialityError, match="lack the column"):
        protect_synergy_tree(recs, ["stream"], value="tonnes")
