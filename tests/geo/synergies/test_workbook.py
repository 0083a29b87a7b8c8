"""Tests of geo.synergies.workbook: the funders' Excel round trip, viewers, formula injection."""

from __future__ import annotations

import io

import numpy as np
from openpyxl import load_workbook

from geo.catalogue import load_catalogue
from geo.factors import load_factors
from geo.programme import Programme
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import create_synergy
from geo.synergies.outcomes import outcome_totals
from geo.synergies.reports import synergy_attributes
from geo.synergies.workbook import funder_sheets, funder_workbook, read_workbook


def test_excel_reopens_with_the_same_figures(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
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


def test_viewer_workbook_has_no_company_columns(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """A viewer's workbook holds aggregates only: no site ids or names, small groups blanked."""
    data = funder_workbook(demo_programme, demo_book, factors=load_factors(),
                           catalogue=load_catalogue(), role="viewer", k=3)
    book = read_workbook(data)
    text = " ".join(" ".join(map(str, f.columns)) + f.to_string() for f in book.values())
    assert "KAR-S0" not in text and "site_id" not in text
    syn = book["Synergies"]
    assert syn.loc[syn["suppressed"], "tonnes_per_year"].isna().all()


def test_formula_like_text_is_written_as_text(demo_programme: Programme) -> None:
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
