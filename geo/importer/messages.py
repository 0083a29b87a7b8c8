"""Human reasons for failed import checks: what was found, what is expected, how to fix it.

Each reason is one sentence in the session's language, with its value, the codes to use and
the fix as placeholders filled after translation.

:data:`MESSAGES` maps each check of :func:`geo.importer.validate.build_schema` to a template;
its order is the priority when one cell fails several checks (the first is reported).
Unknown waste codes get their own message naming the closest entries of the catalogue.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

from geo.i18n import N_, _
from geo.programme import FATES, FREQUENCIES, PROVENANCES, RESOURCE_CLASSES, UNITS

if TYPE_CHECKING:
    from geo.catalogue import Catalogue

__all__ = ["MESSAGES", "ewc_messages", "message_for", "nearest_entries"]

MESSAGES: Final[dict[str, str]] = {
    "extra_values": N_("the row has more values than the header has columns ({value!r} left "
                       "over); put quotes around values that contain the delimiter"),
    "name_missing": N_("the site name is missing; every row needs the company or site name"),
    "direction_unknown": N_("{value!r} is not have or want; write 'have' (or supply, offer, "
                            "output) for what the site gives and 'want' (or demand, need, "
                            "input) for what it takes"),
    "direction_missing": N_("have/want is missing; say whether the site has ('have') or wants "
                            "('want') this resource"),
    "ewc_unknown": N_("{value!r} is not a waste code of the catalogue"),
    "ewc_missing": N_("a material resource needs a waste code (EWC, 6 digits such as 15 01 02); "
                      "add the code, or set the resource class to energy, water or logistics"),
    "quantity_numeric": N_("quantity {value!r} is not a number; write digits only, such as "
                           "12.5 (the unit goes in the unit column or the header)"),
    "quantity_negative": N_("quantity {value} is negative; a quantity per year is 0 or more"),
    # Translators: {units} lists the unit codes the importer accepts (t/yr, m3/yr, MWh/yr).
    "unit_unknown": N_("unit {value!r} is not known; use one of {units} (also accepted: t, "
                       "tonnes, tonnes/year, tpa, m3, m³/a, MWh); convert kg, litres or "
                       "per-month figures to one of those first"),
    "unit_missing": N_("quantity {quantity} has no unit; add a unit column ({units}) or put "
                       "the unit in the header, e.g. 'Quantity (t/yr)'"),
    # Translators: {choices} lists the codes the importer accepts, e.g. material, energy.
    "resource_class_unknown": N_("resource class {value!r} is not known; use one of "
                                 "{choices}"),
    "frequency_unknown": N_("frequency {value!r} is not known; use one of {choices}"),
    "fate_unknown": N_("current fate {value!r} is not known; use one of {choices}"),
    "provenance_unknown": N_("provenance {value!r} is not known; use one of {choices}"),
    "cost_numeric": N_("disposal cost {value!r} is not a number; write digits only, such as "
                       "1500"),
    "cost_negative": N_("disposal cost {value} is negative; it must be 0 or more"),
    "lon_numeric": N_("longitude {value!r} is not a number; write decimal degrees such as "
                      "26.95"),
    "lat_numeric": N_("latitude {value!r} is not a number; write decimal degrees such as "
                      "60.47"),
    "swapped": N_("latitude {value} is outside -90…90 but longitude {lon} would fit as a "
                  "latitude: lon and lat look swapped; swap the two values (or the two "
                  "headers)"),
    "lon_range": N_("longitude {value} is outside -180…180 degrees; write decimal degrees "
                    "(WGS84)"),
    "lat_range": N_("latitude {value} is outside -90…90 degrees; write decimal degrees "
                    "(WGS84)"),
    "null_island": N_("lon 0, lat 0 is not a real site (it is what a failed geocode writes); "
                      "leave both empty when the location is unknown"),
    "lat_missing": N_("longitude is given but latitude is empty; give both or neither"),
    "lon_missing": N_("latitude is given but longitude is empty; give both or neither"),
    "date_unreadable": N_("date {value!r} is not readable; write YYYY-MM-DD (or DD/MM/YYYY), "
                          "e.g. 2026-01-15"),
    "nace_invalid": N_("sector {value!r} is not a NACE code; write it like 20.1 or C20.14 "
                       "(division, group, class)"),
}
"""Check name → message template, marked for translation and translated by
:func:`message_for` (``{value}``, ``{header}``, ``{lon}``, ``{lat}``, ``{quantity}``,
``{units}``, ``{choices}``), in priority order."""

_CHOICES: Final = {"resource_class_unknown": RESOURCE_CLASSES,
                   "frequency_unknown": FREQUENCIES, "fate_unknown": FATES,
                   "provenance_unknown": PROVENANCES}
"""The codes a vocabulary check lists (codes: the importer reads them in any language)."""


def message_for(check: str, *, value: str, header: str,
                context: Mapping[str, str] | None = None) -> str:
    """The message of a failed check for one cell, in this session's language.

    Examples
    --------
    >>> message_for("quantity_negative", value="-3", header="Qty")
    'quantity -3 is negative; a quantity per year is 0 or more'
    """
    ctx = {"lon": "", "lat": "", "quantity": "", **(context or {})}
    return _(MESSAGES[check]).format(value=value, header=header, units=", ".join(UNITS),
                                     choices=", ".join(_CHOICES.get(check, ())), **ctx)


def nearest_entries(code: str, entries: list[str], *, n: int = 3) -> list[str]:
    """Entries closest to a code: same subchapter, then chapter, by numeric distance.

    Examples
    --------
    >>> nearest_entries("020199", ["020101", "020103", "020110", "030101"])
    ['020110', '020103', '020101']
    """
    if code.isdigit() and len(code) == 6:
        target = int(code)
        for width in (4, 2):
            same = [e for e in entries if e[:width] == code[:width]]
            if same:
                return sorted(same, key=lambda e: (abs(int(e) - target), e))[:n]
    return difflib.get_close_matches(code, entries, n=n, cutoff=0.5)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def ewc_messages(values: Iterable[str], catalogue: Catalogue) -> dict[str, str]:
    """A message for each failing waste code as written, naming the closest entries."""
    levels = dict(zip(catalogue.table["code"], catalogue.table["level"], strict=True))
    entries = sorted(catalogue.entries["code"])
    out: dict[str, str] = {}
    for value in values:
        code = catalogue.normalise_code(value)
        if code is None:
            out[value] = _("{value!r} is not a waste code; write the 6 digits of the EWC entry, "
                           "e.g. 15 01 02 or 150102 (a trailing * is allowed)").format(
                value=value)
            continue
        level = levels.get(code)
        if level in ("chapter", "subchapter"):
            under = sorted(catalogue.codes_matching([code]))
            shown = ", ".join(under[:5]) + (", …" if len(under) > 5 else "")
            heading = (_("{value!r} is a chapter heading, not an entry; use one of its "
                         "entries: {entries}") if level == "chapter" else
                       _("{value!r} is a subchapter heading, not an entry; use one of its "
                         "entries: {entries}"))
            out[value] = heading.format(value=value, entries=shown)
            continue
        near = nearest_entries(code, entries)
        hint = "; ".join(f"{e} ({_short(catalogue.describe(e))})" for e in near)
        if hint:
            # Translators: {entries} lists codes with their catalogue descriptions.
            out[value] = _("unknown waste code {value!r}: not an entry of the catalogue; "
                           "closest entries: {entries}; check the code in the European Waste "
                           "Catalogue").format(value=value, entries=hint)
        else:
            out[value] = _("unknown waste code {value!r}: not an entry of the catalogue; "
                           "check the code in the European Waste Catalogue").format(value=value)
    return out
