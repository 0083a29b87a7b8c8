"""Tests of geo.i18n.labels: column labels per session language, fallbacks and families."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.i18n import COLUMN_LABELS, column_label, column_labels, use_locale
from geo.programme import CONTACT_COLUMNS, PARK_COLUMNS, RESOURCE_COLUMNS, SITE_COLUMNS


def test_labels_are_distinct() -> None:
    """No two columns share a label, so a renamed table never has two equal headers."""
    labels = list(COLUMN_LABELS.values())
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("columns", [PARK_COLUMNS, SITE_COLUMNS, CONTACT_COLUMNS,
                                     RESOURCE_COLUMNS])
def test_programme_columns_have_labels(columns: list[str]) -> None:
    """Every column of the programme's frames has a label."""
    assert set(columns) <= set(COLUMN_LABELS)


def test_labels_follow_the_session_language() -> None:
    """A label is translated when read (pseudo-locale: bracketed), never at import time."""
    assert column_label("tonnes_per_year") == "Tonnes per year (t/yr)"
    with use_locale("qps_PLOC"):
        assert column_label("tonnes_per_year").startswith("⟦")
    assert column_label("tonnes_per_year") == "Tonnes per year (t/yr)"


def test_unknown_columns_keep_their_name() -> None:
    """A column without a label is shown as named, in every language."""
    with use_locale("qps_PLOC"):
        assert column_label("Synergies (count)") == "Synergies (count)"
        assert column_label(7) == "7"


def test_column_families_fill_their_placeholder() -> None:
    """Names carrying a value (chapter, unit, stream) keep that value outside translation."""
    with use_locale("qps_PLOC"):
        assert column_label("tonnes_ch07") == "⟦Tõññés, çhàptér 07 (t/ýr)⟧"
        assert column_label("t_Wood chips") == "⟦Wood chips (t/ýr)⟧"
    assert column_label("pickup_m3") == "Pickup (m3)"


def test_column_labels_renames_a_frame() -> None:
    """``column_labels(frame)`` renames a frame's headers and leaves its values alone."""
    frame = pd.DataFrame({"site_id": ["S1"], "quantity": [1.5], "other": [1]})
    shown = frame.rename(columns=column_labels(frame))
    assert list(shown.columns) == ["Site ID", "Quantity", "other"]
    assert shown["Quantity"].tolist() == [1.5]


@pytest.mark.parametrize("locale", ["zh_CN", "pt_BR"])
def test_the_import_count_is_not_the_import_time(locale: str) -> None:
    """The Import page's count of imported rows and the ``imported_at`` column are different
    words (they once shared the msgid "Imported", so the count read "import time")."""
    from geo.i18n import _

    with use_locale(locale):
        assert _("Imported") != column_label("imported_at")
