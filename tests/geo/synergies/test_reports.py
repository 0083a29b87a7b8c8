"""Tests of geo.synergies.reports: allocation, Sankey conservation, confidentiality, network,
KPIs."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.catalogue import load_catalogue
from geo.demo import load_demo_programme
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.programme import Programme, tonnes_per_year
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import STAGES
from geo.synergies.outcomes import outcomes_wide
from geo.synergies.reports import (
    allocate_tonnes,
    conservation_errors,
    kpis,
    network_edges,
    sankey_data,
)


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


@pytest.mark.parametrize("role", ["practitioner", "viewer"])
def test_sankey_conserves_tonnes_at_every_node(demo_programme: Programme, demo_book: SynergyBook,
                                               role: str) -> None:
    """In = out at every stream node, and the sinks receive all the haves' tonnes."""
    s = sankey_data(demo_programme, demo_book, catalogue=load_catalogue(), role=role, k=3)
    assert conservation_errors(s).empty
    res = demo_programme.resources
    total = tonnes_per_year(res)[res["direction"] == "have"].sum()
    root = s.nodes.loc[s.nodes["column"] == 0, "tonnes_out"].sum()
    sinks = s.nodes.loc[s.nodes["column"] == 2, "tonnes_in"].sum()
    assert root == pytest.approx(total)
    assert sinks == pytest.approx(total)
    live = s.nodes[s.nodes["label"].str.startswith("In synergy")]
    assert live["tonnes_in"].sum() > 0


def test_viewer_sankey_merges_groups_below_k(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """For a viewer every node rests on at least k producing sites."""
    s = sankey_data(demo_programme, demo_book, catalogue=load_catalogue(), role="viewer", k=3)
    assert (s.nodes["producers"] >= 3).all()
    full = sankey_data(demo_programme, demo_book, catalogue=load_catalogue())
    assert (full.nodes["producers"] < 3).any()


def test_viewer_of_a_tiny_pool_is_refused(demo_programme: Programme) -> None:
    """With fewer than k producers in the whole pool a viewer gets no breakdown."""
    prog = demo_programme
    tiny = prog.resources[prog.resources["site_id"].isin(prog.sites["site_id"].iloc[:2])]
    small = type(prog)(name="t", parks=prog.parks, sites=prog.sites, contacts=prog.contacts,
                       resources=tiny)
    with pytest.raises(ConfidentialityError, match="fewer than 3 producers"):
        sankey_data(small, empty_book(), role="viewer", k=3)


def test_network_edges_sum_live_tonnes_and_hide_small_groups(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """Site links carry the synergies' tonnes; viewers get park links with the k rule applied."""
    edges = network_edges(demo_book, demo_programme)
    live = demo_book.synergies[demo_book.synergies["stage"].isin(STAGES)]
    assert edges["tonnes_per_year"].sum() == pytest.approx(live["quantity"].sum())
    assert edges.crs.equals("EPSG:4326")
    viewer = network_edges(demo_book, demo_programme, role="viewer", k=3)
    assert "from_name" in viewer.columns
    assert set(viewer["from"]) <= {*demo_programme.parks["park_id"], "(outside parks)"}
    hidden = viewer[viewer["suppressed"]]
    assert hidden["tonnes_per_year"].isna().all()
    assert (viewer.loc[~viewer["suppressed"], "producers"] >= 3).all()


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


def test_viewer_sankey_links_each_rest_on_k_producers() -> None:
    """Every link a viewer sees sums at least k producers (a link can be one company's even
    when both its nodes have many); fates keep their detail and tonnes are conserved."""
    prog = load_demo_programme()
    for k in (2, 3, 5):
        viewer = sankey_data(prog, empty_book(), role="viewer", k=k)
        assert (viewer.links["producers"] >= k).all(), viewer.links
        assert (viewer.nodes["producers"] >= k).all()
        assert conservation_errors(viewer).empty
        assert viewer.nodes["label"].str.contains("landfill").any()  # fate detail kept
    practitioner = sankey_data(prog, empty_book(), role="practitioner", k=3)
    assert (practitioner.links["producers"] < 3).any()  # the rule is what removes them
