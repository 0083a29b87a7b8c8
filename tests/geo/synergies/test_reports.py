"""Tests of geo.synergies.reports: allocation, Sankey conservation, the viewer dispatch to the
synergy release, network, KPIs."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.catalogue import load_catalogue
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.i18n import use_locale
from geo.programme import Programme, tonnes_per_year
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import STAGES
from geo.synergies.outcomes import outcomes_wide
from geo.synergies.protected import COUNT, TONNES, SynergyRelease, build_synergy_release
from geo.synergies.reports import (
    allocate_tonnes,
    conservation_errors,
    kpis,
    network_edges,
    sankey_data,
)


@pytest.fixture(scope="module")
def demo_release(demo_programme: Programme, demo_book: SynergyBook) -> SynergyRelease:
    """The synergy release of the test book on the demo at the default rules (shared)."""
    return build_synergy_release(demo_programme, demo_book, catalogue=load_catalogue(),
                                 factors=load_factors())


def test_allocation_caps_at_the_have_and_prefers_advanced_stages() -> None:
    """Synergies over one have never take more than its tonnes; the most advanced go first."""
    haves = pd.DataFrame({"resource_id": ["R1", "R2"], "tonnes": [10.0, 5.0],
                          "fate": ["landfill", "incineration"]})
    syn = pd.DataFrame({"have_resource_id": ["R1", "R1", "R1"],
                        "stage": ["idea", "completed", "abandoned"],
                        "quantity": [8.0, 6.0, 10.0], "unit": "t/yr"})
    out = allocate_tonnes(haves, syn)
    got = out.set_index(["resource_id", "sink"])["tonnes"].to_dict()
    assert got == {("R1", "completed"): 6.0, ("R1", "idea"): 4.0,
                   ("R2", "fate:incineration"): 5.0}


def test_sankey_conserves_tonnes_at_every_node(demo_programme: Programme,
                                               demo_book: SynergyBook) -> None:
    """In = out at every stream node, and the sinks receive all the haves' tonnes."""
    s = sankey_data(demo_programme, demo_book, catalogue=load_catalogue())
    assert conservation_errors(s).empty
    res = demo_programme.resources
    total = tonnes_per_year(res)[res["direction"] == "have"].sum()
    root = s.nodes.loc[s.nodes["column"] == 0, "tonnes_out"].sum()
    sinks = s.nodes.loc[s.nodes["column"] == 2, "tonnes_in"].sum()
    assert root == pytest.approx(total)
    assert sinks == pytest.approx(total)
    live = s.nodes[s.nodes["label"].str.startswith("In synergy")]
    assert live["tonnes_in"].sum() > 0


def test_viewer_sankey_is_drawn_from_the_release(
        demo_programme: Programme, demo_book: SynergyBook, demo_release: SynergyRelease) -> None:
    """A viewer's Sankey runs all synergies → stage → stream, conserves tonnes, and its root
    is the released total of the synergies (no have, fate or company in it)."""
    s = sankey_data(demo_programme, demo_book, catalogue=load_catalogue(), role="viewer", k=3)
    assert conservation_errors(s).empty
    root = s.nodes[s.nodes["column"] == 0].iloc[0]
    assert root["label"] == "All synergies"
    assert root["tonnes_out"] == pytest.approx(demo_release.total(TONNES))
    assert not s.nodes["label"].str.contains("Not in a synergy|All haves").any()
    stages = s.nodes[s.nodes["column"] == 1]["label"]
    assert stages.str.startswith(("Stage: ", "Other stages")).all()


def test_viewer_of_a_tiny_pool_is_refused(demo_programme: Programme) -> None:
    """With no synergy at all a viewer gets an explanation, not an empty chart."""
    with pytest.raises(ConfidentialityError, match="ask a practitioner"):
        sankey_data(demo_programme, empty_book(), role="viewer", k=3)


def test_network_edges_sum_live_tonnes_and_join_parks_for_viewers(
        demo_programme: Programme, demo_book: SynergyBook, demo_release: SynergyRelease) -> None:
    """Site links carry the synergies' tonnes; viewers get park links, each the sum of the
    released park-pair figures of the chosen stages."""
    edges = network_edges(demo_book, demo_programme)
    live = demo_book.synergies[demo_book.synergies["stage"].isin(STAGES)]
    assert edges["tonnes_per_year"].sum() == pytest.approx(live["quantity"].sum())
    assert edges.crs.equals("EPSG:4326")
    viewer = network_edges(demo_book, demo_programme, role="viewer", k=3,
                           release=demo_release)
    assert set(viewer["from"]) | set(viewer["to"]) <= {*demo_programme.parks["park_id"],
                                                       "(outside parks)"}
    pairs = demo_release.figures(depth=3)
    pairs = pairs[pairs["stage"].isin(STAGES)]
    assert viewer["tonnes_per_year"].sum() == pytest.approx(pairs[TONNES].sum())
    assert not viewer["suppressed"].any()


def test_kpis_match_the_books(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """Stage counts and outcome totals on the dashboard equal those of the book."""
    f = load_factors()
    k = kpis(demo_programme, demo_book, factors=f).set_index("kpi")["value"]
    counts = demo_book.synergies["stage"].value_counts()
    for stage in STAGES:
        assert k[f"Synergies: {stage}"] == counts.get(stage, 0)
    wide = outcomes_wide(demo_book, factors=f)
    assert k["Landfill diverted (all years)"] == pytest.approx(wide["landfill_diverted_t"].sum())
    assert k["CO2e avoided (all years)"] == pytest.approx(wide["co2e_avoided_t"].sum())


def test_viewer_kpis_are_released_totals(
        demo_programme: Programme, demo_book: SynergyBook, demo_release: SynergyRelease) -> None:
    """A viewer's KPIs are the release's totals (withheld ones blank and labelled)."""
    k = kpis(demo_programme, demo_book, factors=load_factors(), role="viewer",
             release=demo_release).set_index("kpi")
    assert k.loc["Synergies (all stages)", "value"] == demo_release.total(COUNT)
    for stage in STAGES:
        got = k.loc[f"Synergies: {stage}", "value"]
        want = demo_release.total(COUNT, stages=(stage,))
        assert (pd.isna(got) and want is None) or got == want
    withheld = k[k["value"].isna()]
    assert (withheld["note"] == "withheld (disclosure rules)").all()
    assert "Haves recorded" not in k.index  # a have total is another release's figure


@pytest.mark.parametrize("k", [2, 3, 5])
def test_viewer_sankey_follows_k(demo_programme: Programme, demo_book: SynergyBook,
                                 k: int) -> None:
    """Every released link rests on at least k giving companies; a larger k releases no more."""
    s = sankey_data(demo_programme, demo_book, role="viewer", k=k)
    named = s.links[~s.nodes.set_index("node").loc[s.links["target"], "label"]
                    .str.startswith("Other").to_numpy()]
    assert (named["producers"] >= k).all()
    assert conservation_errors(s).empty


def test_sankey_and_kpis_keep_their_keys_in_every_language(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """Node and KPI keys (codes) are the same in every language; the labels of our nodes and
    of the KPIs are translated, unit codes are not."""
    f = load_factors()
    english = sankey_data(demo_programme, demo_book, catalogue=load_catalogue())
    k_en = kpis(demo_programme, demo_book, factors=f, sankey=english)
    with use_locale("qps_PLOC"):
        pseudo = sankey_data(demo_programme, demo_book, catalogue=load_catalogue())
        k_ps = kpis(demo_programme, demo_book, factors=f, sankey=pseudo)
    assert pseudo.nodes["key"].tolist() == english.nodes["key"].tolist()
    ours = pseudo.nodes[~pseudo.nodes["key"].str.startswith("stream:")]
    assert ours["label"].str.startswith("⟦").all()
    groups = pseudo.nodes.set_index("key")["label"]  # our stream groups are translated too
    assert groups["stream:Wood and biomass"].startswith("⟦")
    assert english.nodes.set_index("key").loc["stage:in progress", "label"] == (
        "In synergy: in progress")
    assert k_ps["key"].tolist() == k_en["key"].tolist()
    assert k_ps["unit"].tolist() == k_en["unit"].tolist()
    assert k_ps["kpi"].str.startswith("⟦").all()
    pd.testing.assert_series_equal(k_ps["value"], k_en["value"])
    assert k_en.set_index("key").loc["synergies:completed", "kpi"] == "Synergies: completed"
