"""Tests of geo.synergies.knowledge: completed synergies counted by code and receiving sector."""

from __future__ import annotations

import pandas as pd

from geo.programme import Programme
from geo.synergies.knowledge import KB_COLUMNS, knowledge_base, sectors_that_used


def test_completed_synergies_teach_the_receiving_sector(tiny_programme: Programme,
                                                        feed_synergy: pd.DataFrame) -> None:
    """A completed 020304 synergy into S6 teaches that sector 10.9 used 020304, with its case."""
    kb = knowledge_base(feed_synergy, tiny_programme.sites)
    assert list(kb.columns) == KB_COLUMNS
    assert kb[["ewc_code", "sector_nace", "completed"]].values.tolist() == [
        ["020304", "10.9", 1]]
    assert kb.loc[0, "case_studies"] == "https://example.org/feed-case"
    assert sectors_that_used(kb, "020304")["sector_nace"].tolist() == ["10.9"]
    assert sectors_that_used(kb, "150102").empty


def test_unfinished_synergies_and_unknown_sectors(tiny_programme: Programme,
                                                  feed_synergy: pd.DataFrame) -> None:
    """Only completed synergies count; a receiver of unknown sector counts as '(unknown)'."""
    idea = feed_synergy.assign(stage="idea")
    assert knowledge_base(idea, tiny_programme.sites).empty
    elsewhere = feed_synergy.assign(to_site_id="S-gone")
    kb = knowledge_base(elsewhere, tiny_programme.sites)
    assert kb["sector_nace"].tolist() == ["(unknown)"]
