"""Tests of geo.synergies.gaps: streams with no want anywhere, and flows between parks."""

from __future__ import annotations

import pytest

from geo.catalogue import load_catalogue
from geo.synergies.gaps import between_parks, gap_analysis, haves_without_want
from geo.synergies.matching import Matcher


def test_gap_analysis_lists_streams_with_no_want(tiny_matcher: Matcher) -> None:
    """The chemical have with no want anywhere is a gap; matched streams are not."""
    gaps = gap_analysis(tiny_matcher, catalogue=load_catalogue())
    assert "070101" in set(gaps["key"])
    assert "150102" not in set(gaps["key"])
    row = gaps.set_index("key").loc["070101"]
    assert row["quantity_without_want"] == 40.0
    assert row["share_of_stream"] == 1.0


def test_haves_without_want_marks_only_the_gap(tiny_matcher: Matcher) -> None:
    """H4 (no want anywhere) and H3 (only past synergies could link it; there are none) are
    the haves without a want; every active coded have is judged."""
    alone = haves_without_want(tiny_matcher)
    ids = tiny_matcher.records.loc[alone.index, "resource_id"]
    assert set(ids[alone]) == {"H3", "H4"}
    assert set(ids) == {"H1", "H2", "H3", "H4", "H5"}


def test_between_parks_flags_solutions_in_another_park(tiny_matcher: Matcher) -> None:
    """Best partners are summed by park pair; pairs across parks are marked other_park."""
    flows = between_parks(tiny_matcher.all_pairs().table)
    assert flows["tonnes_per_year"].sum() == pytest.approx(
        tiny_matcher.all_pairs(top_k=1).table.query("unit == 't/yr'")["matched_quantity"].sum())
    assert set(flows.loc[flows["other_park"], "from_park"]) <= {"PA", "PB", "(outside parks)"}
