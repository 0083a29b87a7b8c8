"""Tests of report data: Sankey conservation, confidentiality, network, KPIs, Excel round trip."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from geo.catalogue import load_catalogue
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.programme import tonnes_per_year
from geo.synergies.lifecycle import STAGES, change_stage, create_synergy, empty_book
from geo.synergies.matching import Matcher
from geo.synergies.outcomes import outcome_totals, outcomes_wide, record_outcome
from geo.synergies.reports import (
    allocate_tonnes,
    conservation_errors,
    kpis,
    network_edges,
    sankey_data,
    synergy_attributes,
)
from geo.synergies.workbook import funder_sheets, funder_workbook, read_workbook


@pytest.fixture(scope="module")
def demo_book(demo_programme):  # type: ignore[no-untyped-def]
    """30 synergies on the demo from its best matches, over every stage, with outcomes; two
    synergies share one have and together exceed its quantity."""
    m = Matcher.from_programme(demo_programme, catalogue=load_catalogue())
    table = m.all_pairs(top_k=2).table
    res = demo_programme.resources.set_index("resource_id")
    book = empty_book()
    picks = table[table["unit"] == "t/yr"].head(40)
    for i, row in enumerate(picks.itertuples()):
        have = res.loc[row.have_id].to_dict() | {"resource_id": row.have_id}
        want = res.loc[row.want_id].to_dict() | {"resource_id": row.want_id}
        book, sid = create_synergy(book, have=have, want=want, practitioner="Aino",
                                   distance_km=row.distance_km)
        stage = [*STAGES, "abandoned"][i % 6]
        if stage == "abandoned":
            book = change_stage(book, sid, stage, expected_version=1, practitioner="Aino",
                                reason="test")
        elif stage != "idea":
            book = change_stage(book, sid, stage, expected_version=1, practitioner="Aino")
        if stage in ("implemented", "completed"):
            book = record_outcome(book, sid, "landfill_diverted_t", have["quantity"] / 2,
                                  period=2025 + i % 2, have=have, expected_version=2,
                                  practitioner="Aino")
    return book


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
def test_sankey_conserves_tonnes_at_every_node(demo_programme, demo_book, role) -> None:  # type: ignore[no-untyped-def]
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


def test_viewer_sankey_merges_groups_below_k(demo_programme, demo_book) -> None:  # type: ignore[no-untyped-def]
    """For a viewer every node rests on at least k producing sites."""
    s = sankey_data(demo_programme, demo_book, catalogue=load_catalogue(), role="viewer", k=3)
    assert (s.nodes["producers"] >= 3).all()
    full = sankey_data(demo_programme, demo_book, catalogue=load_catalogue())
    assert (full.nodes["producers"] < 3).any()


def test_viewer_of_a_tiny_pool_is_refused(demo_programme) -> None:  # type: ignore[no-untyped-def]
    """With fewer than k producers in the whole pool a viewer gets no breakdown."""
    prog = demo_programme
    tiny = prog.resources[prog.resources["site_id"].isin(prog.sites["site_id"].iloc[:2])]
    small = type(prog)(name="t", parks=prog.parks, sites=prog.sites, contacts=prog.contacts,
                       resources=tiny)
    with pytest.raises(ConfidentialityError, match="fewer than 3 producers"):
        sankey_data(small, empty_book(), role="viewer", k=3)


def test_network_edges_sum_live_tonnes_and_hide_small_groups(demo_programme, demo_book) -> None:  # type: ignore[no-untyped-def]
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


def test_kpis_match_the_books(demo_programme, demo_book) -> None:  # type: ignore[no-untyped-def]
    """Stage counts and outcome totals on the dashboard equal those of the book."""
    f = load_factors()
    k = kpis(demo_programme, demo_book, factors=f).set_index("kpi")["value"]
    counts = demo_book.synergies["stage"].value_counts()
    for stage in STAGES:
        assert k[f"Synergies: {stage}"] == counts.get(stage, 0)
    wide = outcomes_wide(demo_book, factors=f)
    assert k["Landfill diverted (all years)"] == pytest.approx(wide["landfill_diverted_t"].sum())
    assert k["CO2e avoided (all years)"] == pytest.approx(wide["co2e_avoided_t"].sum())


def test_excel_reopens_with_the_same_figures(demo_programme, demo_book) -> None:  # type: ignore[no-untyped-def]
    """The workbook's totals, outcomes and KPIs read back equal to the computed ones."""
    f = load_factors()
    cat = load_catalogue()
    data = funder_workbook(demo_programme, demo_book, factors=f, catalogue=cat)
    book = read_workbook(data)
    assert {"About", "KPIs", "Synergies", "Outcomes", "Totals by park", "Totals by year",
            "Totals by sector", "Totals by stream", "Factors"} <= set(book)
    attrs = synergy_attributes(demo_book, demo_programme, cat)
    expected = outcome_totals(demo_book, attrs, by="stream", factors=f)
    got = book["Totals by stream"]
    np.testing.assert_allclose(got["landfill_diverted_t"], expected["landfill_diverted_t"])
    np.testing.assert_allclose(got["co2e_avoided_t"], expected["co2e_avoided_t"])
    assert len(book["Synergies"]) == len(demo_book.synergies)
    assert set(book["Factors"]["name"]) >= {"landfill_co2e_kg_per_t", "hgv_co2e_kg_per_tkm"}
    sheets = funder_sheets(demo_programme, demo_book, factors=f, catalogue=cat)
    np.testing.assert_allclose(book["KPIs"]["value"].astype(float),
                               sheets["KPIs"]["value"].astype(float))


def test_viewer_workbook_has_no_company_columns(demo_programme, demo_book) -> None:  # type: ignore[no-untyped-def]
    """A viewer's workbook holds aggregates only: no site ids or names, small groups blanked."""
    data = funder_workbook(demo_programme, demo_book, factors=load_factors(),
                           catalogue=load_catalogue(), role="viewer", k=3)
    book = read_workbook(data)
    text = " ".join(" ".join(map(str, f.columns)) + f.to_string() for f in book.values())
    assert "KAR-S0" not in text and "site_id" not in text
    syn = book["Synergies"]
    assert syn.loc[syn["suppressed"], "tonnes_per_year"].isna().all()


def test_formula_like_text_is_written_as_text(demo_programme) -> None:  # type: ignore[no-untyped-def]
    """A description starting with '=' cannot run as a formula in the workbook."""
    res = demo_programme.resources.set_index("resource_id")
    hid = res.index[(res["direction"] == "have") & (res["unit"] == "t/yr")][0]
    wid = res.index[(res["direction"] == "want") & (res["site_id"] != res.at[hid, "site_id"])][0]
    have = res.loc[hid].to_dict() | {"resource_id": hid, "description": "=HYPERLINK(\"x\")"}
    want = res.loc[wid].to_dict() | {"resource_id": wid}
    book, _ = create_synergy(empty_book(), have=have, want=want, practitioner="Aino",
                             quantity=1.0)
    wb = load_workbook(io.BytesIO(funder_workbook(demo_programme, book,
                                                  factors=load_factors())))
    values = [c.value for row in wb["Synergies"].iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)


def test_viewer_sankey_links_each_rest_on_k_producers() -> None:
    """Every link a viewer sees sums at least k producers (a link can be one company's even
    when both its nodes have many); fates keep their detail and tonnes are conserved."""
    from geo.demo import load_demo_programme
    from geo.synergies.lifecycle import empty_book
    from geo.synergies.reports import conservation_errors, sankey_data

    prog = load_demo_programme()
    for k in (2, 3, 5):
        viewer = sankey_data(prog, empty_book(), role="viewer", k=k)
        assert (viewer.links["producers"] >= k).all(), viewer.links
        assert (viewer.nodes["producers"] >= k).all()
        assert conservation_errors(viewer).empty
        assert viewer.nodes["label"].str.contains("landfill").any()  # fate detail kept
    practitioner = sankey_data(prog, empty_book(), role="practitioner", k=3)
    assert (practitioner.links["producers"] < 3).any()  # the rule is what removes them
