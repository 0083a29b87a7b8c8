"""Words of the milk round in the session's language: weekdays, frequencies, stages, KPIs.

Tables of the milk round keep codes (``mon``, ``weekly``, ``network``, ``vehicle distance``)
so that pages and tests can select by them and CSV stays machine-readable; these labels are
what a person reads where they are shown (:func:`for_reading` renames a table for display).

Examples
--------
>>> from geo.i18n import use_locale
>>> weekday_label("mon"), kpi_label("vehicle distance"), weekdays_text(("mon", "fri"))
('Mon', 'Vehicle distance', 'Mon, Fri')
>>> with use_locale("qps_PLOC"):
...     stage_label("network")
'⟦rõàd ñétwõrk⟧'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from pandas.api.types import is_numeric_dtype

from geo.i18n import N_, _, column_labels, format_number

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ACTIVITY_LABELS", "FREQUENCY_LABELS", "KPI_LABELS", "STAGE_LABELS", "STATUS_LABELS",
           "UNIT_LABELS", "WEEKDAY_LABELS", "distances_source", "for_reading", "format_quantity",
           "frequency_label", "frequency_text", "kpi_label", "stage_label", "unit_text",
           "weekday_label", "weekdays_text"]

WEEKDAY_LABELS: Final[dict[str, str]] = {
    "mon": N_("Mon"), "tue": N_("Tue"), "wed": N_("Wed"), "thu": N_("Thu"), "fri": N_("Fri"),
    "sat": N_("Sat"), "sun": N_("Sun"),
}
"""Weekday code → short name (translate with :func:`weekday_label`)."""

FREQUENCY_LABELS: Final[dict[str, str]] = {
    # Translators: a collection frequency used as an adjective ("per weekly collection").
    "weekly": N_("weekly"), "fortnightly": N_("fortnightly"), "monthly": N_("monthly"),
    "every four weeks": N_("every four weeks"),
}
"""Collection frequency code → word (translate with :func:`frequency_label`)."""

STAGE_LABELS: Final[dict[str, str]] = {
    "selection": N_("selection"), "network": N_("road network"), "schedule": N_("schedule"),
    "plan": N_("plan"),
}
"""Where a producer was left out (the ``stage`` column of ``left_out``) → label."""

ACTIVITY_LABELS: Final[dict[str, str]] = {
    "leave depot": N_("leave depot"), "collect": N_("collect"),
    "unload at depot": N_("unload at depot"), "unload at reprocessor": N_("unload at reprocessor"),
    "return to depot": N_("return to depot"),
}
"""The ``activity`` of a run-sheet row (kept in English in the table) → label."""

STATUS_LABELS: Final[dict[str, str]] = {
    "served": N_("served"), "skipped": N_("skipped"), "unserved": N_("not served"),
    "unload": N_("unload"), "selected": N_("selected"), "left out": N_("left out"),
}
"""Status of a stop or site (``status`` columns) → label."""

KPI_LABELS: Final[dict[str, str]] = {
    "vehicle distance": N_("Vehicle distance"),
    "vehicle time": N_("Vehicle time"),
    "operating cost": N_("Operating cost"),
    "CO2e": N_("CO2e"),
    "trips (depot and back)": N_("Trips (depot and back)"),
    "trips": N_("Trips"),
    "collections per trip": N_("Collections per trip"),
    "quantity collected": N_("Quantity collected"),
}
"""KPI code (the ``metric`` column, kept as a code) → label."""


UNIT_LABELS: Final[dict[str, str]] = {
    "trips": N_("trips"), "stops/trip": N_("stops/trip"), "trips/week": N_("trips/week"),
}
"""KPI units that are words (the others are symbols: km, h, kg, t, EUR)."""


def unit_text(unit: str) -> str:
    """A KPI unit in this session's language (``trips``, ``km/week``)."""
    if unit in UNIT_LABELS:
        return _(UNIT_LABELS[unit])
    found = re.fullmatch(r"(.+)/week", unit)
    if found:
        # Translators: a unit per week, e.g. "km/week"; {unit} is a symbol such as km or EUR.
        return _("{unit}/week").format(unit=found.group(1))
    return unit


def _label(labels: dict[str, str], code: object) -> str:
    text = str(code)
    return _(labels[text]) if text in labels else text


def weekday_label(code: str) -> str:
    """Short name of weekday ``code`` (``mon`` → ``Mon``) in this session's language."""
    return _label(WEEKDAY_LABELS, code)


def weekdays_text(codes: Iterable[str]) -> str:
    """Weekday codes as a list a person reads (``Mon, Wed``)."""
    # Translators: the separator between items of a short list (weekdays, names).
    return _(", ").join(weekday_label(c) for c in codes)


def frequency_label(code: str) -> str:
    """The word of collection frequency ``code`` (``weekly``) in this session's language."""
    return _label(FREQUENCY_LABELS, code)


def frequency_text(label: str) -> str:
    """A frequency as tables write it (``weekly``, ``2 per week``, ``every four weeks``) in
    this session's language."""
    found = re.fullmatch(r"(\d+) per week", label)
    if found:
        return _("{n} per week").format(n=found.group(1))
    return _label(FREQUENCY_LABELS, label)


def stage_label(code: str) -> str:
    """Label of a ``left_out`` stage code (``network`` → ``road network``)."""
    return _label(STAGE_LABELS, code)


def kpi_label(code: str) -> str:
    """Label of a KPI ``metric`` code (``vehicle distance`` → ``Vehicle distance``)."""
    return _label(KPI_LABELS, code)


def distances_source(method: str) -> str:
    """Where a plan's distances come from, for the ``source`` of its KPIs."""
    if method == "road":
        return _("road network")
    if method == "straight-line":
        return _("straight-line distances")
    return _("{method} distances").format(method=method)


def format_quantity(value: float, unit: str) -> str:
    """A pickup or load with its unit, two decimals below 10 (``9.50 t``, ``12.5 m³``)."""
    return f"{format_number(value, digits=2 if value < 10 else 1)} {unit}"


def for_reading(frame: pd.DataFrame) -> pd.DataFrame:
    """A milk-round table as shown to a person: codes as labels, headers as column labels.

    Translates the ``stage``, ``status`` and ``metric`` codes of ``left_out``, stop and KPI
    tables; the frame given is not changed (CSV and JSON keep the codes).
    """
    out = frame.copy()
    for col, fn in (("stage", stage_label), ("metric", kpi_label), ("day", weekday_label)):
        if col in out and not is_numeric_dtype(out[col]):
            out[col] = [fn(v) for v in out[col]]
    for col, labels in (("status", STATUS_LABELS), ("activity", ACTIVITY_LABELS)):
        if col in out:
            out[col] = [_label(labels, v) for v in out[col]]
    if "unit" in out and "metric" in frame:
        out["unit"] = [unit_text(str(v)) for v in out["unit"]]
    if "frequency" in out:
        out["frequency"] = [frequency_text(str(v)) for v in out["frequency"]]
    return out.rename(columns=column_labels(out.columns))
