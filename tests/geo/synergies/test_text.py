"""Tests of geo.synergies.text: figures, column-wise sentences, unit labels and notes shown
in the reader's language."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from geo.i18n import use_locale
from geo.synergies.text import Note, figure, figures, fill, number_symbols, unit_label


@pytest.mark.parametrize(("locale", "expected"), [
    ("en_GB", ["12", "0.25", "12,345.68", "-1,234,567.5"]),
    ("pt_BR", ["12", "0,25", "12.345,68", "-1.234.567,5"]),
    ("zh_CN", ["12", "0.25", "12,345.68", "-1,234,567.5"]),
])
def test_figures_follow_the_language_and_agree_with_figure(locale: str,
                                                           expected: list[str]) -> None:
    """A column of numbers gets the session's decimal and grouping symbols, trailing zeros
    dropped, exactly as figure() writes each number alone."""
    values = pd.Series([12.0, 0.25, 12345.678, -1234567.5])
    with use_locale(locale):
        assert figures(values, 2).tolist() == expected
        assert [figure(v, max_digits=2) for v in values] == expected
        assert number_symbols() == (expected[1][1], expected[2][2])


def test_missing_figures_stay_missing() -> None:
    """NaN is missing in a column and a dash alone."""
    out = figures(pd.Series([np.nan, 1.5]), 1)
    assert pd.isna(out.iloc[0]) and out.iloc[1] == "1.5"
    assert figure(float("nan")) == "—"


def test_fill_writes_one_sentence_per_row_with_columns_and_constants() -> None:
    """Placeholders take a column each (aligned on the index) or one text for all rows."""
    idx = pd.Index([10, 11])
    got = fill("{km} km ({how})", idx, km=pd.Series(["3", "4,5"]), how="road")
    assert got.tolist() == ["3 km (road)", "4,5 km (road)"]
    assert list(got.index) == [10, 11]


def test_units_are_labelled_in_the_language_and_unknown_ones_kept() -> None:
    """Our unit codes are translated; a currency code stays as it is."""
    with use_locale("qps_PLOC"):
        assert unit_label("t/yr").startswith("⟦") and unit_label("EUR") == "EUR"
    assert unit_label("t/yr") == "t/yr"


def test_a_note_is_translated_when_shown_not_when_made() -> None:
    """The same note reads in each session's language, its count in the right plural form
    and its figures formatted then; it survives pickling (plain data)."""
    note = Note.ngettext("{n} record is {km} km away.", "{n} records are {km} km away.",
                         1200, km=2.5)
    assert str(note) == "1,200 records are 2.5 km away."
    with use_locale("pt_BR"):
        assert str(note) == "1.200 records are 2,5 km away."
    with use_locale("qps_PLOC"):
        shown = str(note)
    assert shown.startswith("⟦") and shown.endswith("⟧") and "1,200" in shown
    assert str(Note.ngettext("{n} record is here.", "{n} records are here.", 1)) == (
        "1 record is here.")
    assert str(pickle.loads(pickle.dumps(note))) == str(note)
