"""Figures that pass validation but are unlikely for one member site: kept, and reported.

Two checks: a quantity above what one site plausibly has (:func:`implausible_quantities`),
and a record that the programme already holds with another quantity
(:func:`changed_quantities`: a corrected figure re-imported adds a second record, since a
record's identity includes its quantity, and the site's tonnage would count both).

A quantity of 3,000,000,000 t/yr is a valid number, and no site has it; such a figure is
usually a unit slip (kilograms written as tonnes) or a lost decimal separator, and one of them
would dominate every heat map and site score. The importer stores the row as written (nothing
is lost, the practitioner decides) and lists it in :attr:`ImportReport.warnings
<geo.importer.run.ImportReport>` with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from geo.i18n import _, format_number
from geo.store.keys import KEY_FIELDS, text_key

__all__ = ["PLAUSIBLE_MAX", "WARNING_COLUMNS", "changed_quantities", "implausible_quantities",
           "outside_their_country", "repeated_rows"]

PLAUSIBLE_MAX: Final = {"t/yr": 10_000_000.0, "m3/yr": 1_000_000_000.0, "MWh/yr": 50_000_000.0}
"""Per unit, the largest yearly quantity one site plausibly has or wants: ten million tonnes
(a large steelworks' slag and dusts are a few million), a thousand million cubic metres (the
largest waste-water plants treat a few hundred million), fifty million MWh (a large power
station's output)."""

WARNING_COLUMNS: Final = ["row", "column", "field", "value", "message"]
"""Columns of a warning, as of an error (:data:`geo.importer.validate.ERROR_COLUMNS`)."""


def implausible_quantities(clean: pd.DataFrame, *, column: str) -> list[dict[str, Any]]:
    """The rows of ``clean`` (validated rows, indexed by file row) whose quantity is above
    :data:`PLAUSIBLE_MAX` for its unit, as warnings naming the file's ``column``.

    Examples
    --------
    >>> rows = pd.DataFrame({"quantity": [12.0, 3e9, None], "unit": ["t/yr", "t/yr", "t/yr"]},
    ...                     index=[2, 3, 4])
    >>> [(w["row"], w["value"]) for w in implausible_quantities(rows, column="Quantity")]
    [(3, '3000000000')]
    """
    if clean.empty or "quantity" not in clean.columns:
        return []
    limit = clean["unit"].map(PLAUSIBLE_MAX).astype("float64")
    quantity = pd.to_numeric(clean["quantity"], errors="coerce").astype("float64")
    over = (quantity > limit).to_numpy(dtype=bool) & np.isfinite(quantity.to_numpy())
    out = []
    for row, q, unit in zip(clean.index[over], quantity[over], clean["unit"][over],
                            strict=True):
        out.append({
            "row": int(row), "column": column, "field": "quantity",
            "value": f"{q:.15g}" if q < 1e15 else f"{q:.6g}",
            # Translators: a quantity that passed the checks but is unlikely; {limit} is the
            # largest figure thought plausible for one site, in the same {unit}.
            "message": _("{value} {unit} is more than one site is likely to have (over "
                         "{limit} {unit}); stored as written — check the unit (kilograms "
                         "written as tonnes, kWh as MWh?) and the decimal separator.").format(
                value=format_number(q), unit=unit, limit=format_number(PLAUSIBLE_MAX[unit]))})
    return out


_SAME_RECORD: Final = [f for f in KEY_FIELDS if f != "quantity"]
"""The fields that say "the same record" when only the quantity differs."""


def changed_quantities(incoming: pd.DataFrame, stored: pd.DataFrame, *,
                       column: str) -> list[dict[str, Any]]:
    """The rows of ``incoming`` (resource records indexed by file row) that the programme
    holds (``stored``: :meth:`geo.store.Store.resources_of_sites`) with every field the same
    but the quantity, while this row's quantity is not among the stored ones: importing it
    adds a second record beside the old one.

    Examples
    --------
    >>> old = pd.DataFrame({"resource_id": ["R1"], "site_id": ["S1"], "direction": ["have"],
    ...                     "ewc_code": ["100101"], "quantity": [600.0], "unit": ["t/yr"]})
    >>> new = old.drop(columns="resource_id").assign(quantity=[650.0]).set_axis([7])
    >>> [(w["row"], w["value"]) for w in changed_quantities(new, old, column="Quantity")]
    [(7, '650')]
    >>> changed_quantities(new.assign(quantity=[600.0]), old, column="Quantity")
    []
    """
    if incoming.empty or stored.empty:
        return []
    held: dict[str, list[float]] = {}
    for key, q in zip(text_key(stored, _SAME_RECORD), stored["quantity"], strict=True):
        held.setdefault(str(key), [])
        if not pd.isna(q):
            held[str(key)].append(float(q))
    out = []
    keys = text_key(incoming, _SAME_RECORD)
    quantities = pd.to_numeric(incoming["quantity"], errors="coerce")
    for row, key, q in zip(incoming.index, keys, quantities, strict=True):
        before = held.get(str(key))
        if before is None or pd.isna(q) or any(abs(q - b) <= 1e-6 for b in before):
            continue
        unit = incoming.at[row, "unit"] if "unit" in incoming.columns else ""
        shown = [format_number(b) for b in before] or ["—"]
        out.append({
            "row": int(row), "column": column, "field": "quantity", "value": f"{q:.15g}",
            # Translators: {old} is the quantity (or quantities) stored for the same record,
            # {new} this row's.
            "message": _("the same record is stored with {old} {unit}; this row adds a "
                         "second record of {new} {unit} beside it. If it corrects the figure, "
                         "archive the old record on the Site page.").format(
                old=", ".join(shown), new=format_number(q), unit=unit)})
    return out


def repeated_rows(frame: pd.DataFrame, *, imported: pd.Index, column: str,
                  ignore: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The imported rows of ``frame`` (the file as read, indexed by file row) identical in
    every column to an earlier imported row: both became records, which doubles a tonnage
    when the second is an accidental copy. ``column`` is the file's name column (shown).

    Examples
    --------
    >>> f = pd.DataFrame({"Company": ["A", "A", "B"], "Qty": ["1", "1", "1"]}, index=[2, 3, 4])
    >>> [(w["row"], w["value"]) for w in repeated_rows(f, imported=f.index, column="Company")]
    [(3, 'A')]
    """
    cols = [c for c in frame.columns if c not in ignore]
    rows = frame.loc[frame.index.isin(imported), cols]
    if len(rows) < 2:
        return []
    keys = pd.util.hash_pandas_object(rows.astype("str"), index=False).to_numpy()
    first: dict[int, int] = {}
    out = []
    for row, key in zip(rows.index, keys, strict=True):
        if (earlier := first.setdefault(int(key), int(row))) == int(row):
            continue
        out.append({
            "row": int(row), "column": column, "field": "name",
            "value": str(frame.at[row, column]) if column in frame.columns else "",
            # Translators: {first} is the number of an earlier row of the same file.
            "message": _("identical to row {first} of this file: both are stored, as two "
                         "records. If it is an accidental copy, archive one of them on the "
                         "Site page.").format(first=format_number(earlier))})
    return out


def outside_their_country(clean: pd.DataFrame, *, column: str) -> list[dict[str, Any]]:
    """The rows of ``clean`` (validated rows, indexed by file row) whose coordinates lie
    outside their country's extent — most often longitude and latitude swapped where both
    fit (a Finnish site at lat 26.9, lon 60.5 lands in Iran). A warning, not a refusal: a
    real site can lie outside its country's box (an overseas territory, offshore). The
    country may be a code or a name; rows without one, or with one not known, pass.
    ``column`` is the file's latitude column (shown).
    """
    from geo.geocode.countries import country_codes, inside_country

    if clean.empty or not {"lon", "lat", "country"} <= set(clean.columns):
        return []
    lon = pd.to_numeric(clean["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(clean["lat"], errors="coerce").to_numpy(float)
    given = np.isfinite(lon) & np.isfinite(lat)
    if not given.any():
        return []
    codes, _unknown = country_codes(clean["country"].fillna("").astype(str))
    known, inside = inside_country(codes.astype(str), np.nan_to_num(lon),
                                   np.nan_to_num(lat))
    out = []
    for i in np.flatnonzero(given & known & ~inside):
        out.append({
            "row": int(clean.index[i]), "column": column, "field": "lat",
            "value": f"{lat[i]:.15g}",
            # Translators: {country} is an ISO country code such as FI.
            "message": _("lon {lon}, lat {lat} lies outside {country}; stored as written. If "
                         "longitude and latitude are swapped, swap the two values (or the "
                         "two headers) and import again; otherwise check the coordinates "
                         "and the country.").format(
                lon=f"{lon[i]:.15g}", lat=f"{lat[i]:.15g}", country=codes[i])})
    return out
