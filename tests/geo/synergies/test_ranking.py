"""Tests of geo.synergies.ranking: the ranked match table and its reasons, from plain frames."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.i18n import use_locale
from geo.programme import Programme
from geo.synergies.distances import SiteDistances
from geo.synergies.matching import build_links
from geo.synergies.ranking import match_table
from geo.synergies.records import prepare_records
from geo.synergies.rules import expand_rules, load_rules
from geo.synergies.scoring import MatchParams, score_block

OPTIONS = {"descriptions": {"150102": "plastic packaging"}, "cost_per_tkm": 0.15,
           "co2e_kg_per_tkm": 0.107, "detour_factor": 1.3}


@pytest.fixture
def h1_table(tiny_programme: Programme) -> pd.DataFrame:
    """H1's scored pairs on the tiny programme written as the match table."""
    records, lon, lat, _ = prepare_records(tiny_programme)
    wants = records[records["direction"] == "want"]
    rules = load_rules()
    expanded = expand_rules(rules, codes=records["code"].dropna().unique().tolist(),
                            sectors=records["sector"].dropna().unique())
    links = build_links(pd.Index(["150102"]), wants, expanded, pd.DataFrame(), MatchParams())
    h1 = records.index[records["resource_id"] == "H1"].to_numpy()
    dist = SiteDistances.straight_line(lon, lat, detour_factor=1.3)
    pairs = score_block(records, h1, links, wants, dist, params=MatchParams(), top_k=None)
    return match_table(records, pairs, links, wants, rules=rules, **OPTIONS)


def test_rows_are_ranked_best_first_with_costs(h1_table: pd.DataFrame) -> None:
    """H1's partners are ranked 1.. by score; cost is tonnes × km × cost per tonne-km."""
    t = h1_table
    assert t["rank"].tolist() == list(range(1, len(t) + 1))
    assert t["score"].is_monotonic_decreasing
    assert set(t["want_id"]) == {"W1", "W2", "W3"}
    w2 = t.set_index("want_id").loc["W2"]
    assert w2["transport_cost_per_year"] == pytest.approx(
        round(100.0 * w2["distance_km"] * 0.15), abs=1.0)
    assert w2["transport_co2e_t_per_year"] == pytest.approx(
        100.0 * w2["distance_km"] * 0.107 / 1000, abs=1e-3)


def test_reasons_name_the_basis_fit_distance_and_park(h1_table: pd.DataFrame) -> None:
    """Reasons say the same code with its description, the rule, the stand-in distance and a
    partner in another park."""
    t = h1_table.set_index("want_id")
    assert t.loc["W1", "reasons"].startswith("same catalogue code 150102 (plastic packaging)")
    assert "straight line × 1.3" in t.loc["W1", "reasons"]
    assert "rule F03 (family)" in t.loc["W3", "reasons"]
    assert "a solution in another park (PB)" in t.loc["W2", "reasons"]
    assert "another park" not in t.loc["W1", "reasons"]


def test_no_pairs_give_an_empty_table(tiny_programme: Programme) -> None:
    """Without pairs the table is empty but has its columns."""
    records, _, _, _ = prepare_records(tiny_programme)
    pairs = pd.DataFrame({c: pd.Series(dtype=float) for c in (
        "have", "want", "link", "score", "q_fit", "f_fit", "distance_km", "method")})
    links = pd.DataFrame({"key": pd.Series(dtype=object), "want": pd.Series(dtype=int),
                          "strength": pd.Series(dtype=float), "bases": pd.Series(dtype=int),
                          "rule_id": pd.Series(dtype=object), "kb_n": pd.Series(dtype=int)})
    t = match_table(records, pairs, links, records.iloc[:0], rules=load_rules(), **OPTIONS)
    assert t.empty and {"have_id", "want_id", "rank", "reasons", "score"} <= set(t.columns)


def test_reasons_are_sentences_of_the_session_language(tiny_programme: Programme) -> None:
    """In the pseudo-locale every clause of a reason is one bracketed sentence with its
    placeholders filled (data such as codes and descriptions inside); in Portuguese the
    figures take the decimal comma."""
    records, lon, lat, _notes = prepare_records(tiny_programme)
    wants = records[records["direction"] == "want"]
    rules = load_rules()
    expanded = expand_rules(rules, codes=records["code"].dropna().unique().tolist(),
                            sectors=records["sector"].dropna().unique())
    links = build_links(pd.Index(["150102"]), wants, expanded, pd.DataFrame(), MatchParams())
    h1 = records.index[records["resource_id"] == "H1"].to_numpy()
    dist = SiteDistances.straight_line(lon, lat, detour_factor=1.3)
    pairs = score_block(records, h1, links, wants, dist, params=MatchParams(), top_k=None)
    with use_locale("qps_PLOC"):
        t = match_table(records, pairs, links, wants, rules=rules, **OPTIONS)
    clauses = t.set_index("want_id").loc["W1", "reasons"].split("; ")
    assert all(c.startswith("⟦") and c.endswith("⟧") for c in clauses)
    assert "150102 (plastic packaging)" in clauses[0]
    assert not any("{" in c for c in clauses)
    with use_locale("pt_BR"):
        t = match_table(records, pairs, links, wants, rules=rules, **OPTIONS)
    assert "× 1,3" in t.set_index("want_id").loc["W1", "reasons"]
