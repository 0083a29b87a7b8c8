"""Tests of geo.synergies.matching: known matches on the tiny programme, ranking, reasons,
all pairs, and the Matcher on the demo with roads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.catalogue import load_catalogue
from geo.errors import SynergyError
from geo.i18n import use_locale
from geo.network import RoadGraph
from geo.programme import Programme
from geo.synergies.matching import Matcher
from geo.synergies.rules import load_rules
from geo.synergies.scoring import MatchParams


def _partners(m: Matcher, rid: str) -> pd.DataFrame:
    return m.for_record(rid).table.set_index("want_id")


def test_exact_code_match_and_never_the_same_site(tiny_matcher: Matcher) -> None:
    """A have finds the wants of its own code at other sites, never the want at its own site."""
    t = _partners(tiny_matcher, "H1")
    assert {"W1", "W2"} <= set(t.index)
    assert t.loc["W1", "basis"] == "exact"
    assert "WS" not in t.index


def test_family_rule_match_names_the_rule(tiny_matcher: Matcher) -> None:
    """Plastic packaging meets a regrind want through family rule F03, and says so."""
    t = _partners(tiny_matcher, "H1")
    assert t.loc["W3", "basis"] == "family"
    assert t.loc["W3", "rule_id"] == "F03"
    assert "rule F03" in t.loc["W3", "reasons"]


def test_sector_rule_match(tiny_matcher: Matcher) -> None:
    """Ash meets a concrete works' want of another code only through sector rule S05."""
    t = _partners(tiny_matcher, "H2")
    assert list(t.index) == ["W4"]
    assert t.loc["W4", "basis"] == "sector"
    assert t.loc["W4", "rule_id"] == "S05"
    assert "receiver is sector 23.6" in t.loc["W4", "reasons"]


def test_knowledge_base_match_appears_once_a_synergy_completed(
        tiny_programme: Programme, feed_synergy: pd.DataFrame) -> None:
    """Food waste meets a feed maker's want only after a 020304 synergy to sector 10.9 completed."""
    prog = tiny_programme
    before = Matcher.from_programme(prog, catalogue=load_catalogue())
    assert "W7" not in set(before.for_record("H3").table["want_id"])
    after = Matcher.from_programme(prog, synergies=feed_synergy,
                                   catalogue=load_catalogue())
    t = after.for_record("H3").table.set_index("want_id")
    assert t.loc["W7", "basis"] == "knowledge"
    assert t.loc["W7", "kb_completed"] == 1
    assert "knowledge base: sector 10.9 completed 1" in t.loc["W7", "reasons"]


def test_class_rule_matches_uncoded_energy(tiny_matcher: Matcher) -> None:
    """Surplus heat meets a heat demand through class rule C01 and has no transport cost."""
    t = _partners(tiny_matcher, "H5")
    assert list(t.index) == ["W5"]
    assert t.loc["W5", "rule_id"] == "C01"
    assert np.isnan(t.loc["W5", "transport_cost_per_year"])


def test_nearer_partner_ranks_first_when_all_else_is_equal(tiny_matcher: Matcher) -> None:
    """W1 and W2 differ only in distance; the nearer W1 ranks above the far W2."""
    t = _partners(tiny_matcher, "H1")
    assert t.loc["W1", "distance_km"] < t.loc["W2", "distance_km"]
    assert t.loc["W1", "rank"] < t.loc["W2", "rank"]
    assert t.loc["W1", "score"] > t.loc["W2", "score"]


def test_without_network_distances_are_flagged_straight_line(tiny_matcher: Matcher) -> None:
    """Without roads the distance is great-circle × detour, labelled straight-line, in metres."""
    t = _partners(tiny_matcher, "H1")
    # S1 → S2 is 0.01° of longitude at 60.5° N: about 548 m.
    expected_km = 0.01 * np.pi / 180 * 6371.0088 * np.cos(np.radians(60.5)) * 1.3
    assert t.loc["W1", "distance_km"] == pytest.approx(expected_km, abs=0.01)
    assert t.loc["W1", "distance_method"] == "straight-line"
    assert "straight line × 1.3" in t.loc["W1", "reasons"]


def test_transport_cost_uses_the_cost_per_tonne_km(tiny_matcher: Matcher) -> None:
    """Transport cost per year = matched tonnes × km × the factor's cost per tonne-km."""
    row = _partners(tiny_matcher, "H1").loc["W2"]
    assert row["transport_cost_per_year"] == pytest.approx(
        round(100.0 * row["distance_km"] * 0.15), abs=1.0)


def test_want_query_returns_haves(tiny_matcher: Matcher) -> None:
    """For a want, the matcher ranks the haves that can meet it."""
    result = tiny_matcher.for_record("W3")
    assert result.query == "want"
    assert list(result.table["have_id"]) == ["H1"]


def test_scope_other_parks_finds_solutions_elsewhere(tiny_matcher: Matcher) -> None:
    """'other parks' keeps only partners outside the have's park, 'same park' only inside."""
    other = set(tiny_matcher.for_record("H1", scope="other parks").table["want_id"])
    same = set(tiny_matcher.for_record("H1", scope="same park").table["want_id"])
    assert other == {"W2", "W3"}
    assert same == {"W1"}


def test_unknown_record_is_refused_with_the_fix(tiny_matcher: Matcher) -> None:
    """An unknown id raises a SynergyError saying where to pick ids."""
    with pytest.raises(SynergyError, match="pick an id"):
        tiny_matcher.for_record("NOPE")


def test_all_pairs_agrees_with_single_record_queries(tiny_matcher: Matcher) -> None:
    """The all-pairs table holds, for every have, exactly its single-record ranking."""
    everything = tiny_matcher.all_pairs().table
    for have in everything["have_id"].unique():
        single = tiny_matcher.for_record(have).table
        mine = everything[everything["have_id"] == have]
        assert list(mine["want_id"]) == list(single["want_id"])
        np.testing.assert_allclose(mine["score"], single["score"])


def test_all_pairs_with_road_network_agrees_and_roads_are_longer(
        demo_programme: Programme, demo_graph: RoadGraph) -> None:
    """On the demo, road distances are never shorter than straight lines, and the all-pairs
    table equals per-record queries."""
    m = Matcher.from_programme(demo_programme, graph=demo_graph, catalogue=load_catalogue())
    table = m.all_pairs(top_k=3).table
    assert (table["distance_method"] == "road").all()
    crow = Matcher.from_programme(demo_programme, catalogue=load_catalogue(),
                                  params=MatchParams(detour_factor=1.0))
    both = table.merge(crow.all_pairs(top_k=100).table, on=["have_id", "want_id"])
    assert (both["distance_km_x"] >= both["distance_km_y"] - 0.05).all()
    for have in table["have_id"].unique()[:15]:
        single = m.for_record(have, top_k=3).table
        assert list(single["want_id"]) == list(table.loc[table["have_id"] == have, "want_id"])


def test_vectorised_candidates_equal_a_naive_cross_merge(tiny_programme: Programme) -> None:
    """With rules off, the candidate pairs are exactly the same-code pairs of different sites."""
    rng = np.random.default_rng(3)
    prog = tiny_programme
    n = 300
    codes = rng.choice(["150102", "150101", "170107", "020304"], n)
    res = pd.DataFrame({
        "resource_id": [f"R{i}" for i in range(n)],
        "site_id": rng.choice(prog.sites["site_id"], n),
        "direction": rng.choice(["have", "want"], n), "resource_class": "material",
        "ewc_code": codes, "hazardous": False, "description": "x",
        "quantity": rng.uniform(1, 100, n), "unit": "t/yr", "frequency": "weekly",
        "fate": "landfill", "disposal_cost_per_year": None, "provenance": "survey",
        "recorded_on": "2026-01-01"})
    prog.resources = res
    m = Matcher.from_programme(prog, rules=load_rules().iloc[:0],
                               params=MatchParams(top_k=10_000))
    got = set(zip(*m.all_pairs().table[["have_id", "want_id"]].to_numpy().T, strict=True))
    h, w = res[res["direction"] == "have"], res[res["direction"] == "want"]
    cross = h.merge(w, on="ewc_code", suffixes=("_h", "_w"))
    cross = cross[cross["site_id_h"] != cross["site_id_w"]]
    assert got == set(zip(cross["resource_id_h"], cross["resource_id_w"], strict=True))


def test_a_shared_matcher_speaks_each_session_language(tiny_matcher: Matcher) -> None:
    """One matcher (cached for every session) gives notes and errors in the language of the
    session that asks: the notes are kept untranslated and translated when read."""
    english = tiny_matcher.for_record("H1").notes
    assert any("straight-line × 1.3" in n for n in english)
    with use_locale("qps_PLOC"):
        notes = tiny_matcher.for_record("H1").notes
        assert notes == tiny_matcher.notes
        with pytest.raises(SynergyError, match=r"^⟦.*'NOPE'.*⟧$"):
            tiny_matcher.for_record("NOPE")
    assert notes and all(n.startswith("⟦") and n.endswith("⟧") for n in notes)
    assert tiny_matcher.for_record("H1").notes == english
