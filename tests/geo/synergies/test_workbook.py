"""Tests of geo.synergies.workbook: the funders' Excel round trip, viewers, formula injection."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from geo.catalogue import load_catalogue
from geo.disclosure import DisclosureRules
from geo.factors import load_factors
from geo.programme import Programme
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import create_synergy
from geo.synergies.outcomes import outcome_totals
from geo.synergies.protected import TONNES, build_synergy_release
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


VIEWER_SHEETS = {"About", "KPIs", "Totals by stage", "By stage and stream", "By park pair",
                 "Totals by stream", "Totals by park pair", "Factors"}


def test_viewer_workbook_has_no_company_columns(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """A viewer's workbook holds the release's sheets only: no site ids or names, no
    synergy rows, no grouping outside the tree (year, sector)."""
    data = funder_workbook(demo_programme, demo_book, factors=load_factors(),
                           catalogue=load_catalogue(), role="viewer", k=3)
    book = read_workbook(data)
    assert set(book) == VIEWER_SHEETS
    text = " ".join(" ".join(map(str, f.columns)) + f.to_string() for f in book.values())
    names = demo_programme.sites["name"]
    assert "KAR-S0" not in text and "site_id" not in text
    assert not any(n in text for n in names)


def test_viewer_workbook_figures_are_the_release(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """Each stage figure of the viewer's workbook is the released one (blank: withheld), and a
    stream total is shown only when every one of its stage figures is."""
    rules = DisclosureRules(k=4, p_percent=20)
    release = build_synergy_release(demo_programme, demo_book, catalogue=load_catalogue(),
                                    factors=load_factors(), rules=rules)
    book = read_workbook(funder_workbook(demo_programme, demo_book, factors=load_factors(),
                                         role="viewer", release=release))
    stages = book["Totals by stage"].set_index("stage")["Tonnes per year (t/yr)"]
    want = release.figures(depth=1).set_index("stage")[TONNES]
    pd.testing.assert_series_equal(stages, want, check_names=False)
    streams = book["Totals by stream"].set_index("stream")["Tonnes per year (t/yr)"]
    by_stage = release.figures(depth=2)
    for label, total in streams.dropna().items():
        part = by_stage[by_stage["stream_label"] == label]
        assert total == pytest.approx(part[TONNES].sum())
    about = book["About"].set_index("item")["value"]
    assert "at least 4 producers" in about["Disclosure rules"]


def test_viewer_workbook_of_a_park_authority_lists_its_park_pairs_only(
        demo_programme: Programme, demo_book: SynergyBook) -> None:
    """With ``parks``, the park-pair sheets keep pairs touching those parks only."""
    rules = DisclosureRules(k=1, p_percent=0, by_administrator=True)  # release everything
    sheets = funder_sheets(demo_programme, demo_book, factors=load_factors(), role="viewer",
                           rules=rules, parks=("KAR-P3",))
    p3 = demo_programme.parks.set_index("park_id").at["KAR-P3", "name"]
    for name in ("By park pair", "Totals by park pair"):
        frame = sheets[name]
        assert len(frame)
        assert ((frame["from_park"] == p3) | (frame["to_park"] == p3)).all()


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
