"""Tests of geo.summary: the released overview tables in the session's language."""

from __future__ import annotations

import pytest

from geo.catalogue import load_catalogue
from geo.disclosure import build_release
from geo.i18n import use_locale
from geo.programme import Programme
from geo.summary import released_parks_table, released_streams_table


@pytest.fixture(scope="module")
def release(demo_programme: Programme):
    """The demo programme's release under the default rules."""
    return build_release(demo_programme, catalogue=load_catalogue())


def test_withheld_notes_are_whole_phrases_in_the_session_language(release) -> None:
    """Each stream's withheld note is one phrase, English by default, bracketed in the
    pseudo-locale; released streams have none."""
    english = released_streams_table(release)
    assert set(english["withheld"]) <= {"", "haves", "wants", "haves and wants"}
    assert (english["withheld"] != "").any()
    with use_locale("qps_PLOC"):
        shown = released_streams_table(release)
    notes = shown.loc[shown["withheld"] != "", "withheld"]
    assert len(notes) and notes.str.startswith("⟦").all()
    assert (shown["have_t"].fillna(-1) == english["have_t"].fillna(-1)).all()


def test_outside_parks_row_is_named_in_the_session_language(release) -> None:
    """The row for records outside every park keeps its code and gets a translated name."""
    with use_locale("qps_PLOC"):
        parks = released_parks_table(release)
    outside = parks[parks["park_id"] == "(outside parks)"]
    assert outside.empty or outside["name"].iloc[0].startswith("⟦")
