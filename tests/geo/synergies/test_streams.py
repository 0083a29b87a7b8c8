"""Tests of geo.synergies.streams: the stream label of each resource for tables and charts."""

from __future__ import annotations

import pandas as pd

from geo.catalogue import load_catalogue
from geo.synergies.streams import stream_labels


def test_labels_come_from_groups_chapters_or_classes() -> None:
    """A grouped code gets its group's label, uncoded records their class, index kept."""
    codes = pd.Series(["150102", None, None, "150102"], index=[10, 11, 12, 13])
    classes = pd.Series(["material", "water", "material", "material"], index=[10, 11, 12, 13])
    got = stream_labels(codes, classes, load_catalogue())
    assert got.to_dict() == {10: "Plastics", 11: "Water", 12: "Uncoded material",
                             13: "Plastics"}


def test_without_a_catalogue_or_for_unknown_codes_the_chapter_is_named() -> None:
    """Without a catalogue a code's chapter is named; an unknown code says it is not listed."""
    codes, classes = pd.Series(["150102", "999999"]), pd.Series(["material", "material"])
    assert stream_labels(codes, classes, None).tolist() == ["Chapter 15", "Chapter 99"]
    assert stream_labels(codes, classes, load_catalogue()).tolist()[1] == (
        "Chapter 99 (code not in the catalogue)")
