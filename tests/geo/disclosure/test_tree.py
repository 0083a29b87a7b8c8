"""Tests of geo.disclosure.tree: what a hierarchy of totals may release, on random programmes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.disclosure import DisclosureRules, audit_tree, protect_tree
from geo.errors import ConfidentialityError

LEVELS = ["stream", "park", "cell"]


@st.composite
def programmes(draw: st.DrawFn) -> pd.DataFrame:
    """Random small programmes: producers at one cell each, records in several streams."""
    n_prod = draw(st.integers(1, 9))
    rows = []
    for p in range(n_prod):
        park = draw(st.sampled_from(["P1", "P2"]))
        cell = f"{park}-{draw(st.integers(0, 2))}"
        for stream in draw(st.lists(st.sampled_from(["plastics", "metals", "food"]),
                                    min_size=1, max_size=3, unique=True)):
            big = draw(st.booleans())
            tonnes = draw(st.floats(50, 5000) if big else st.floats(0.5, 60))
            rows.append({"stream": stream, "park": park, "cell": cell, "site_id": f"S{p}",
                         "tonnes": round(tonnes, 2)})
    return pd.DataFrame(rows)


def _h_rows(tree) -> pd.DataFrame:
    c = tree.contributions.assign(assigned=tree.assigned)
    return c[c["assigned"] >= 0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_every_released_figure_and_every_remainder_passes_the_rules(recs: pd.DataFrame) -> None:
    """Each released node and each remainder H(N) has ≥ k producers and no dominant one."""
    rules = DisclosureRules()
    tree = protect_tree(recs, LEVELS, rules=rules)
    rel = tree.released()
    assert rel["primary_ok"].all()
    h = _h_rows(tree).groupby(["assigned", "_producer"])["_value"].sum().reset_index()
    for _, grp in h.groupby("assigned"):
        v = np.sort(grp["_value"].to_numpy())[::-1]
        x1, x2 = v[0], (v[1] if len(v) > 1 else 0.0)
        assert rules.passes(np.array([len(v)]), np.array([v.sum()]), np.array([x1]),
                            np.array([x2]))[0]
    assert set(h["assigned"]) <= set(rel["node"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_no_difference_of_two_releases_isolates_fewer_than_k(recs: pd.DataFrame) -> None:
    """For released A ⊃ B, the records in A but not B come from ≥ k producers (or none)."""
    tree = protect_tree(recs, LEVELS)
    rel = tree.released()
    contrib = tree.contributions
    def rows_of(node: pd.Series) -> set[int]:
        mask = np.ones(len(contrib), bool)
        for col in LEVELS[:int(node["depth"])]:
            mask &= contrib[col].astype(str).to_numpy() == str(node[col])
        return set(np.flatnonzero(mask).tolist())
    sets = {int(n["node"]): rows_of(n) for _, n in rel.iterrows()}
    for a, ra in sets.items():
        for b, rb in sets.items():
            if a != b and rb < ra:
                diff = contrib.iloc[sorted(ra - rb)]
                assert diff["_producer"].nunique() >= tree.rules.k


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_no_producer_is_pinned_within_ten_percent_by_any_attacker(recs: pd.DataFrame) -> None:
    """Linear programmes over all released figures bound no producer's total to ±10 %."""
    tree = protect_tree(recs, LEVELS)
    assert audit_tree(tree, tolerance=0.10) == []


def test_unprotected_release_would_be_caught_by_the_audit() -> None:
    """The audit does find a disclosure when the rules are switched off (k=1, p=0)."""
    recs = pd.DataFrame({"stream": ["a"] * 3, "park": ["P"] * 3, "cell": ["c1", "c1", "c2"],
                         "site_id": ["S1", "S2", "S3"], "tonnes": [10.0, 20.0, 30.0]})
    tree = protect_tree(recs, LEVELS, rules=DisclosureRules(k=1, p_percent=0,
                                                           by_administrator=True))
    found = audit_tree(tree)
    assert {d.producer for d in found} >= {"S3"}


def test_weak_rules_are_refused_unless_set_by_an_administrator() -> None:
    """k below 3 or p below 10 % is refused unless an administrator sets it."""
    with pytest.raises(ConfidentialityError, match="only a programme administrator"):
        DisclosureRules(k=2)
    with pytest.raises(ConfidentialityError, match="only a programme administrator"):
        DisclosureRules(p_percent=5)
    assert DisclosureRules(k=2, by_administrator=True).k == 2


def test_dominant_producer_withholds_a_cell_even_with_many_producers() -> None:
    """Five producers where one holds 95 %: the cell is withheld by the dominance rule."""
    recs = pd.DataFrame({"stream": ["a"] * 5, "park": ["P"] * 5, "cell": ["c"] * 5,
                         "site_id": [f"S{i}" for i in range(5)],
                         "tonnes": [950.0, 10.0, 10.0, 10.0, 20.0]})
    tree = protect_tree(recs, LEVELS)
    assert not tree.nodes["published"].any()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes(), st.randoms(use_true_random=False))
def test_categorical_levels_protect_exactly_as_their_text(recs: pd.DataFrame, rng) -> None:
    """The release passes its hexagons, streams, parks and sites as categoricals (no text
    per row): the tree is the same as from the text, whatever order the categories are in
    and whichever of them are unused."""
    coded = recs.copy()
    for col in [*LEVELS, "site_id"]:
        cats = sorted(set(recs[col]) | {"zz-unused", "00-unused"})
        rng.shuffle(cats)
        coded[col] = pd.Categorical(recs[col], categories=cats)
    text, cat = protect_tree(recs, LEVELS), protect_tree(coded, LEVELS)
    pd.testing.assert_frame_equal(cat.nodes, text.nodes)
    np.testing.assert_array_equal(cat.assigned, text.assigned)
    pd.testing.assert_frame_equal(cat.contributions, text.contributions)


def test_contributions_are_text_rows_sorted_by_their_path() -> None:
    """``contributions`` (built on demand from the codes) holds the texts, one row per
    (leaf, producer), in the order of their path."""
    recs = pd.DataFrame({"stream": ["b", "a", "b", "a"], "park": ["P2", "P1", "P1", "P1"],
                         "cell": ["c9", "c1", "c2", "c1"], "site_id": ["s2", "s1", "s3", "s1"],
                         "tonnes": [1.0, 2.0, 3.0, 4.0]})
    c = protect_tree(recs, LEVELS).contributions
    assert c[[*LEVELS, "_producer", "_value"]].to_dict("records") == [
        {"stream": "a", "park": "P1", "cell": "c1", "_producer": "s1", "_value": 6.0},
        {"stream": "b", "park": "P1", "cell": "c2", "_producer": "s3", "_value": 3.0},
        {"stream": "b", "park": "P2", "cell": "c9", "_producer": "s2", "_value": 1.0}]
