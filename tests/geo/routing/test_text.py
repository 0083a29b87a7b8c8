"""Tests of the milk round's labels (geo.routing.text): codes stay, labels are translated."""

from __future__ import annotations

import pandas as pd

from geo.i18n import use_locale
from geo.routing.text import for_reading, frequency_text, unit_text, weekdays_text


def test_for_reading_labels_codes_and_headers_but_keeps_the_frame() -> None:
    """Stage, metric, day and activity codes become labels; the given frame keeps its codes."""
    frame = pd.DataFrame({"metric": ["vehicle distance"], "unit": ["trips/week"],
                          "stage": ["network"], "day": ["mon"], "activity": ["collect"]})
    with use_locale("qps_PLOC"):
        shown = for_reading(frame)
    assert list(shown.iloc[0]) == ["⟦Véhîçlé dîstàñçé⟧", "⟦trîps/wéék⟧", "⟦rõàd ñétwõrk⟧",
                                   "⟦Mõñ⟧", "⟦çõlléçt⟧"]
    assert shown.columns[0] == "⟦Méàsüré⟧"
    assert frame.iloc[0, 0] == "vehicle distance"


def test_frequencies_units_and_weekday_lists() -> None:
    """Frequency phrases, per-week units and weekday lists read naturally in English."""
    assert frequency_text("3 per week") == "3 per week"
    assert frequency_text("every four weeks") == "every four weeks"
    assert unit_text("km/week") == "km/week" and unit_text("km") == "km"
    assert weekdays_text(["mon", "fri"]) == "Mon, Fri"
    with use_locale("qps_PLOC"):
        assert frequency_text("3 per week") == "⟦3 pér wéék⟧"
        assert unit_text("EUR/week") == "⟦EUR/wéék⟧"
