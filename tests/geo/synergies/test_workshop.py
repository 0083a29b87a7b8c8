"""Tests of workshop entry: row-by-row checks of haves and wants, bulk links at the idea stage."""

from __future__ import annotations

import pandas as pd

from geo.catalogue import load_catalogue
from geo.programme import Programme
from geo.synergies.book import empty_book
from geo.synergies.workshop import entries_to_resources, links_to_synergies


def test_entries_are_checked_row_by_row_and_codes_normalised(tiny_programme: Programme) -> None:
    """Good rows become resources (codes normalised); bad rows are reported, not dropped."""
    prog = tiny_programme
    entries = pd.DataFrame([
        {"site_id": "S1", "direction": "have", "ewc_code": "15 01 02*", "description": "film",
         "quantity": 12, "unit": "t/yr", "frequency": "weekly"},
        {"site_id": "S9", "direction": "give", "ewc_code": "999999", "description": "x",
         "quantity": -3, "unit": "kg", "frequency": "sometimes"},
        {"site_id": None, "direction": None, "ewc_code": None, "description": None,
         "quantity": None, "unit": None, "frequency": None},
        {"site_id": "S2", "direction": "want", "ewc_code": None, "description": "steam",
         "quantity": 500, "unit": "MWh/yr", "frequency": "continuous"},
    ])
    new, report = entries_to_resources(entries, site_ids=prog.sites["site_id"],
                                       taken_ids=prog.resources["resource_id"],
                                       catalogue=load_catalogue())
    assert report["status"].tolist() == ["ok", "error", "ok"]
    assert report["row"].tolist() == [1, 2, 4]
    bad = report["message"].iloc[1]
    for part in ("S9", "direction", "999999", "unit", "quantity", "frequency"):
        assert part in bad
    assert new["ewc_code"].iloc[0] == "150102" and pd.isna(new["ewc_code"].iloc[1])
    assert new["resource_class"].tolist() == ["material", "energy"]
    assert new["resource_id"].is_unique and not new["resource_id"].isin(
        prog.resources["resource_id"]).any()
    assert (new["provenance"] == "workshop").all()


def test_three_hundred_links_in_one_step() -> None:
    """300 proposed links over distinct pairs all become idea-stage synergies with history."""
    n = 300
    res = pd.DataFrame({
        "resource_id": [f"H{i}" for i in range(n)] + [f"W{i}" for i in range(n)],
        "site_id": [f"A{i}" for i in range(n)] + [f"B{i}" for i in range(n)],
        "direction": ["have"] * n + ["want"] * n, "quantity": 10.0, "unit": "t/yr",
        "resource_class": "material", "ewc_code": "150102", "description": "x"})
    links = pd.DataFrame({"have_id": [f"H{i}" for i in range(n)],
                          "want_id": [f"W{i}" for i in range(n)]})
    book, report = links_to_synergies(empty_book(), links, res, practitioner="Facilitator")
    assert (report["status"] == "ok").all()
    assert len(book.synergies) == n and book.synergies["synergy_id"].is_unique
    assert (book.synergies["stage"] == "idea").all()
    assert (book.events["kind"] == "created").sum() == n


def test_an_empty_cell_is_named_as_empty_and_a_half_link_is_reported(
        tiny_programme: Programme) -> None:
    """A missing site or quantity reads "(empty)", not 'nan' or 'None'; a link row with a
    note but neither record is reported, not dropped."""
    from geo.synergies.book import empty_book
    from geo.synergies.workshop import links_to_synergies

    prog = tiny_programme
    entries = pd.DataFrame([{"site_id": None, "direction": "have", "ewc_code": "150102",
                             "description": "film", "quantity": None, "unit": "t/yr",
                             "frequency": None}])
    _new, report = entries_to_resources(entries, site_ids=prog.sites["site_id"],
                                        taken_ids=prog.resources["resource_id"],
                                        catalogue=load_catalogue())
    message = report["message"].iloc[0]
    assert "(empty)" in message and "nan" not in message and "None" not in message
    links = pd.DataFrame([{"have_id": None, "want_id": None, "quantity": None,
                           "note": "the bakery's bread"}])
    _book, done = links_to_synergies(empty_book(), links, prog.resources, practitioner="Ana")
    assert done["status"].tolist() == ["error"]
    assert "have and a want" in done["message"].iloc[0]
