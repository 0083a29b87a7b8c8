"""Member records as the geocoders read them: one tidy frame built from whatever the user gave.

Input columns are matched by name, case-insensitively, with a few common aliases (``Latitude``,
``lng``, ``zip``, ``Post code``, ``town`` …); where several aliases are present (an earlier
run's output has both ``location_precision`` and ``precision``), the first non-blank one wins.
The tidy frame has a ``RangeIndex`` and the columns of :data:`RECORD_COLUMNS`; text is
stripped, blanks are ``""``, coordinates are floats (NaN when missing; a decimal comma is
accepted), and ``country`` is an ISO-2 code (``""`` when unknown).
When ``country`` is blank but the last part of the address names a country (``"Ipatinga, BR"``),
that country is used.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.geocode.countries import country_codes
from geo.geocode.text import address_parts
from geo.i18n import _

__all__ = ["RECORD_COLUMNS", "records_from_frame"]

RECORD_COLUMNS: Final = ("name", "address", "postcode", "city", "country", "lon", "lat",
                         "given_precision", "given_source", "given_candidate", "note")
"""Columns of the tidy record frame. ``given_*`` are what an earlier run or the user recorded
(``location_precision``/``precision``, ``location_source``/``source``, ``candidate``); ``note``
holds warnings about the record's own data (an unrecognised country, unreadable coordinates)."""

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "name": ("name", "company", "company_name", "site_name", "member", "organisation",
             "organization"),
    "address": ("address", "street_address", "address_line", "addr", "full_address"),
    "postcode": ("postcode", "post_code", "postal_code", "postalcode", "zip", "zip_code",
                 "zipcode", "cep"),
    "city": ("city", "town", "place", "municipality", "locality"),
    "country": ("country", "country_code", "iso2", "nation"),
    "lon": ("lon", "longitude", "lng", "long", "x"),
    "lat": ("lat", "latitude", "y"),
    "given_precision": ("location_precision", "precision"),
    "given_source": ("location_source", "source"),
    "given_candidate": ("candidate",),
}
_KEY: Final = re.compile(r"[^a-z0-9]+")


def _columns_for(df: pd.DataFrame, field: str) -> list[Hashable]:
    keys = {_KEY.sub("_", str(c).strip().lower()).strip("_"): c for c in df.columns}
    return [keys[alias] for alias in _ALIASES[field] if alias in keys]


def _column_for(df: pd.DataFrame, field: str) -> Hashable | None:
    return next(iter(_columns_for(df, field)), None)


def _first_text(df: pd.DataFrame, field: str) -> np.ndarray:
    """Text of the first alias column that is not blank, row by row."""
    out = np.full(len(df), "", dtype=object)
    for column in _columns_for(df, field):
        values = _text(df, column)
        blank = out == ""
        out[blank] = values[blank]
    return out


def _text(df: pd.DataFrame, column: Hashable | None) -> np.ndarray:
    if column is None:
        return np.full(len(df), "", dtype=object)
    series = df[column]
    if pd.api.types.is_float_dtype(series.dtype):  # e.g. postcodes or names read as numbers
        series = series.map(lambda v: str(int(v)) if float(v).is_integer() else str(v),
                            na_action="ignore")
    values = series.to_numpy(dtype=object)
    try:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array([None if pd.isna(v) else str(v) for v in values], type=pa.string())
    arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, pattern=r"\s+",
                                                             replacement=" "))
    return np.array(pc.fill_null(arr, "").to_numpy(zero_copy_only=False), dtype=object)


def _number(df: pd.DataFrame, column: Hashable | None) -> tuple[np.ndarray, np.ndarray]:
    """Floats, and a mask of non-blank values that were not numbers."""
    if column is None:
        return np.full(len(df), np.nan), np.zeros(len(df), dtype=bool)
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce")
    if values.isna().any():
        text = raw.astype("string").str.strip()
        comma = text.str.fullmatch(r"[-+]?\d+,\d+").fillna(False).astype(bool)
        fixed = pd.to_numeric(text.where(comma).str.replace(",", ".", regex=False),
                              errors="coerce")
        values = values.fillna(fixed)
        bad = values.isna() & text.fillna("").ne("")
    else:
        bad = pd.Series(False, index=raw.index)
    return values.to_numpy(dtype=float), bad.to_numpy(dtype=bool)


def records_from_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The tidy record frame of a member list (see the module docstring).

    Parameters
    ----------
    df
        Any frame with some of the columns name, address, postcode, city, country (ISO-2 or a
        name), lon, lat (EPSG:4326 degrees), location_precision, location_source.

    Returns
    -------
    pandas.DataFrame
        ``RangeIndex`` (row *i* is ``df.iloc[i]``) and the columns of :data:`RECORD_COLUMNS`.

    Examples
    --------
    >>> df = pd.DataFrame({"Town": ["Ipatinga"], "Country": ["Brasil"], "Latitude": ["-19,47"]})
    >>> r = records_from_frame(df)
    >>> r.loc[0, "city"], r.loc[0, "country"], float(r.loc[0, "lat"])
    ('Ipatinga', 'BR', -19.47)
    """
    cols = {field: _column_for(df, field) for field in _ALIASES}
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for field in ("name", "address", "postcode", "city", "given_precision", "given_source",
                  "given_candidate"):
        out[field] = pd.Series(_first_text(df, field), index=out.index, dtype=object)
    out["given_precision"] = pd.Series([p.lower() for p in out["given_precision"]],
                                       index=out.index, dtype=object)
    lon, bad_lon = _number(df, cols["lon"])
    lat, bad_lat = _number(df, cols["lat"])
    out["lon"], out["lat"] = lon, lat
    raw_country = _text(df, cols["country"])
    codes, unknown = country_codes(raw_country)
    notes = np.full(len(df), "", dtype=object)
    for i in np.flatnonzero(unknown):
        notes[i] = _("country {country!r} not recognised, so not used").format(
            country=raw_country[i])
    not_numbers = _("lon/lat are not numbers")
    for i in np.flatnonzero(bad_lon | bad_lat):
        notes[i] = "; ".join(filter(None, [notes[i], not_numbers]))
    blank = (codes == "") & ~unknown
    if blank.any():
        address = out["address"].to_numpy()
        tails = [address_parts(a)[-1] if a and address_parts(a) else "" for a in address[blank]]
        inferred, _unknown = country_codes(tails)
        codes[np.flatnonzero(blank)] = inferred
    out["country"] = pd.Series(codes, index=out.index, dtype=object)
    out["note"] = pd.Series(notes, index=out.index, dtype=object)
    return out
