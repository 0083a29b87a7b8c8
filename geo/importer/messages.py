"""Human reasons for failed import checks: what was found, what is expected, how to fix it.

:data:`MESSAGES` maps each check of :func:`geo.importer.validate.build_schema` to a template;
its order is the priority when one cell fails several checks (the first is reported).
Unknown waste codes get their own message naming the closest entries of the catalogue.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

from geo.programme import FATES, FREQUENCIES, PROVENANCES, RESOURCE_CLASSES, UNITS

if TYPE_CHECKING:
    from geo.catalogue import Catalogue

__all__ = ["MESSAGES", "ewc_messages", "message_for", "nearest_entries"]

_UNITS = ", ".join(UNITS)

MESSAGES: Final[dict[str, str]] = {
    "extra_values": ("the row has more values than the header has columns ({value!r} left "
                     "over); put quotes around values that contain the delimiter"),
    "name_missing": "the site name is missing; every row needs the company or site name",
    "direction_unknown": ("{value!r} is not have or want; write 'have' (or supply, offer, "
                          "output) for what the site gives and 'want' (or demand, need, input) "
                          "for what it takes"),
    "direction_missing": ("have/want is missing; say whether the site has ('have') or wants "
                          "('want') this resource"),
    "ewc_unknown": "{value!r} is not a waste code of the catalogue",
    "ewc_missing": ("a material resource needs a waste code (EWC, 6 digits such as 15 01 02); "
                    "add the code, or set the resource class to energy, water or logistics"),
    "quantity_numeric": ("quantity {value!r} is not a number; write digits only, such as 12.5 "
                         "(the unit goes in the unit column or the header)"),
    "quantity_negative": "quantity {value} is negative; a quantity per year is 0 or more",
    "unit_unknown": ("unit {value!r} is not known; use one of " + _UNITS + " (also accepted: "
                     "t, tonnes, tonnes/year, tpa, m3, m³/a, MWh); convert kg, litres or "
                     "per-month figures to one of those first"),
    "unit_missing": ("quantity {quantity} has no unit; add a unit column (" + _UNITS + ") or "
                     "put the unit in the header, e.g. 'Quantity (t/yr)'"),
    "resource_class_unknown": ("resource class {value!r} is not known; use one of "
                               + ", ".join(RESOURCE_CLASSES)),
    "frequency_unknown": "frequency {value!r} is not known; use one of " + ", ".join(FREQUENCIES),
    "fate_unknown": "current fate {value!r} is not known; use one of " + ", ".join(FATES),
    "provenance_unknown": ("provenance {value!r} is not known; use one of "
                           + ", ".join(PROVENANCES)),
    "cost_numeric": "disposal cost {value!r} is not a number; write digits only, such as 1500",
    "cost_negative": "disposal cost {value} is negative; it must be 0 or more",
    "lon_numeric": "longitude {value!r} is not a number; write decimal degrees such as 26.95",
    "lat_numeric": "latitude {value!r} is not a number; write decimal degrees such as 60.47",
    "swapped": ("latitude {value} is outside -90…90 but longitude {lon} would fit as a latitude: "
                "lon and lat look swapped; swap the two values (or the two headers)"),
    "lon_range": "longitude {value} is outside -180…180 degrees; write decimal degrees (WGS84)",
    "lat_range": "latitude {value} is outside -90…90 degrees; write decimal degrees (WGS84)",
    "null_island": ("lon 0, lat 0 is not a real site (it is what a failed geocode writes); "
                    "leave both empty when the location is unknown"),
    "lat_missing": "longitude is given but latitude is empty; give both or neither",
    "lon_missing": "latitude is given but longitude is empty; give both or neither",
    "date_unreadable": ("date {value!r} is not readable; write YYYY-MM-DD (or DD/MM/YYYY), "
                        "e.g. 2026-01-15"),
    "nace_invalid": ("sector {value!r} is not a NACE code; write it like 20.1 or C20.14 "
                     "(division, group, class)"),
}
"""Check name → message template (``{value}``, ``{header}``, ``{lon}``, ``{lat}``,
``{quantity}``), in priority order."""


def message_for(check: str, *, value: str, header: str,
                context: Mapping[str, str] | None = None) -> str:
    """The message of a failed check for one cell."""
    ctx = {"lon": "", "lat": "", "quantity": "", **(context or {})}
    return MESSAGES[check].format(value=value, header=header, **ctx)


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
            out[value] = (f"{value!r} is not a waste code; write the 6 digits of the EWC entry, "
                          "e.g. 15 01 02 or 150102 (a trailing * is allowed)")
            continue
        level = levels.get(code)
        if level in ("chapter", "subchapter"):
            under = sorted(catalogue.codes_matching([code]))
            shown = ", ".join(under[:5]) + (", …" if len(under) > 5 else "")
            out[value] = (f"{value!r} is a {level} heading, not an entry; use one of its "
                          f"entries: {shown}")
            continue
        near = nearest_entries(code, entries)
        hint = "; ".join(f"{e} ({_short(catalogue.describe(e))})" for e in near)
        out[value] = (f"unknown waste code {value!r}: not an entry of the catalogue"
                      + (f"; closest entries: {hint}" if hint else "")
                      + "; check the code in the European Waste Catalogue")
    return out
