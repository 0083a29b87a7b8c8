"""Validation of imported rows with a pandera schema, reported row by row.

:func:`build_schema` declares every rule as a pandera ``Check`` (vectorised over the column or
the whole frame); :func:`validate_rows` runs it with ``lazy=True`` and turns
``SchemaErrors.failure_cases`` into one error per bad cell: file row number (header = row 1),
the column as headed in the file, the value as written and a reason a person can act on.
Rows with any error are rejected whole; the others are returned typed, in the vocabulary of
:mod:`geo.programme`.

A row that gives no resource (no have/want, code, description or quantity) is a site-only
row: it adds or matches the member site and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from geo.importer.headers import FIELDS
from geo.importer.messages import MESSAGES, ewc_messages, message_for
from geo.importer.read import EXTRA_VALUES
from geo.importer.values import (
    normalise_nace,
    normalise_vocabulary,
    parse_dates,
    parse_numbers,
)

if TYPE_CHECKING:
    from geo.catalogue import Catalogue

__all__ = ["ERROR_COLUMNS", "Validation", "build_schema", "resource_rows", "validate_rows"]

ERROR_COLUMNS: Final = ["row", "column", "field", "value", "message"]
_RESOURCE_FIELDS: Final = ("direction", "ewc_code", "description", "quantity")


@dataclass(frozen=True)
class Validation:
    """Result of :func:`validate_rows`.

    Attributes
    ----------
    clean : DataFrame
        The rows without errors, typed (index = file row number): text fields, ``direction``,
        ``resource_class``, ``ewc_code`` (catalogue form, None when not given), ``hazardous``,
        ``quantity`` and ``disposal_cost_per_year`` (float), ``unit``, ``frequency``,
        ``fate``, ``provenance``, ``recorded_on`` (ISO date), ``lon``/``lat`` (degrees,
        NaN when not given), ``sector_nace``, and ``is_resource`` (False for site-only rows).
    errors : DataFrame
        One row per bad cell, columns :data:`ERROR_COLUMNS`, ordered by row.
    """

    clean: pd.DataFrame
    errors: pd.DataFrame

    @property
    def rejected_rows(self) -> pd.Index:
        """File row numbers with at least one error."""
        return pd.Index(self.errors["row"].unique(), dtype="int64", name="row")


def resource_rows(frame: pd.DataFrame) -> pd.Series:
    """Whether each row gives a resource (have/want, code, description or quantity)."""
    given = [frame[f] != "" for f in _RESOURCE_FIELDS if f in frame.columns]
    return pd.concat(given, axis=1).any(axis=1) if given else pd.Series(False, frame.index)


_NUMERIC: Final = ("quantity", "disposal_cost_per_year", "lon", "lat")
NUM: Final = "__num"
"""Suffix of the parsed-number helper columns (``quantity__num`` …) the schema checks."""


def _empty_or(test: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    return lambda s: (s == "") | test(s)


def _known(field: str) -> Callable[[pd.Series], pd.Series]:
    return _empty_or(lambda s: normalise_vocabulary(s, field).notna())


def _inferred_class(df: pd.DataFrame) -> pd.Series:
    """The resource class given, else material when a code is given, else by unit."""
    given = normalise_vocabulary(df["resource_class"], "resource_class")
    unit = normalise_vocabulary(df["unit"], "unit")
    by_unit = np.select([df["ewc_code"] != "", unit == "MWh/yr", unit == "m3/yr"],
                        ["material", "energy", "water"], "material")
    return given.where(given.notna() & (given != ""), pd.Series(by_unit, index=df.index))


def _wide_checks() -> list[pa.Check]:
    def parsed(field: str) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda df: (df[field] == "") | df[field + NUM].notna()

    def swapped(df: pd.DataFrame) -> pd.Series:
        lon, lat = df["lon" + NUM], df["lat" + NUM]
        return ~((lat.abs() > 90) & (lat.abs() <= 180) & (lon.abs() <= 90))

    def null_island(df: pd.DataFrame) -> pd.Series:
        return ~((df["lon" + NUM] == 0) & (df["lat" + NUM] == 0))

    def lat_missing(df: pd.DataFrame) -> pd.Series:
        return ~((df["lon"] != "") & (df["lat"] == ""))

    def lon_missing(df: pd.DataFrame) -> pd.Series:
        return ~((df["lat"] != "") & (df["lon"] == ""))

    def unit_missing(df: pd.DataFrame) -> pd.Series:
        return ~(df["quantity" + NUM].notna() & (df["unit"] == ""))

    def direction_missing(df: pd.DataFrame) -> pd.Series:
        return ~(resource_rows(df) & (df["direction"] == ""))

    def ewc_missing(df: pd.DataFrame) -> pd.Series:
        material = _inferred_class(df) == "material"
        return ~(resource_rows(df) & material & (df["ewc_code"] == ""))

    def extra_values(df: pd.DataFrame) -> pd.Series:
        return df[EXTRA_VALUES] == "" if EXTRA_VALUES in df.columns else df["name"].notna()

    named = [("quantity_numeric", parsed("quantity")),
             ("cost_numeric", parsed("disposal_cost_per_year")),
             ("lon_numeric", parsed("lon")), ("lat_numeric", parsed("lat"))]
    named += [(fn.__name__, fn) for fn in (swapped, null_island, lat_missing, lon_missing,
                                           unit_missing, direction_missing, ewc_missing,
                                           extra_values)]
    return [pa.Check(fn, name=name) for name, fn in named]


def _named(name: str) -> dict[str, str]:
    # Built-in checks report their ``error`` text in failure cases: make it the check's name.
    return {"name": name, "error": name}


def build_schema(catalogue: Catalogue) -> pa.DataFrameSchema:
    """The pandera schema of a canonical import frame.

    Every field is a text column; each numeric field also has a parsed ``<field>__num`` float
    column (NaN when empty or not a number) that carries the range checks. Each check is
    named after its entry in :data:`geo.importer.messages.MESSAGES`.
    """
    def col(*checks: tuple[str, Callable[[pd.Series], pd.Series]]) -> pa.Column:
        return pa.Column(str, checks=[pa.Check(fn, name=name) for name, fn in checks],
                         nullable=False)

    def num(*checks: pa.Check) -> pa.Column:
        return pa.Column(float, checks=list(checks), nullable=True)

    def ewc_known(s: pd.Series) -> pd.Series:
        return (s == "") | catalogue.entry_mask(s)

    def nace_ok(s: pd.Series) -> pd.Series:
        return normalise_nace(s).notna()

    def date_ok(s: pd.Series) -> pd.Series:
        return parse_dates(s).notna()

    columns = {
        "name": col(("name_missing", lambda s: s != "")),
        "direction": col(("direction_unknown", _known("direction"))),
        "ewc_code": col(("ewc_unknown", ewc_known)),
        "unit": col(("unit_unknown", _known("unit"))),
        "resource_class": col(("resource_class_unknown", _known("resource_class"))),
        "frequency": col(("frequency_unknown", _known("frequency"))),
        "fate": col(("fate_unknown", _known("fate"))),
        "provenance": col(("provenance_unknown", _known("provenance"))),
        "recorded_on": col(("date_unreadable", date_ok)),
        "sector_nace": col(("nace_invalid", nace_ok)),
        "quantity" + NUM: num(pa.Check.ge(0, **_named("quantity_negative"))),
        "disposal_cost_per_year" + NUM: num(pa.Check.ge(0, **_named("cost_negative"))),
        "lon" + NUM: num(pa.Check.in_range(-180, 180, name="lon_range", error="lon_range")),
        "lat" + NUM: num(pa.Check.in_range(-90, 90, name="lat_range", error="lat_range")),
    }
    return pa.DataFrameSchema(columns, checks=_wide_checks(), strict=False, coerce=False,
                              name="import rows")


_CHECK_FIELD: Final = {
    "quantity_numeric": "quantity", "cost_numeric": "disposal_cost_per_year",
    "lon_numeric": "lon", "lat_numeric": "lat", "swapped": "lat", "null_island": "lon",
    "lat_missing": "lat", "lon_missing": "lon",
    "unit_missing": "unit", "direction_missing": "direction", "ewc_missing": "ewc_code",
    "extra_values": EXTRA_VALUES,
}
_PRIORITY: Final = {name: i for i, name in enumerate(MESSAGES)}
_CONTEXT: Final = ("lon", "lat", "quantity")


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """(row, field, check) of every failed check, one per row and field, by priority."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        fc = exc.failure_cases
    else:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "field": pd.Series(dtype="str"),
                             "check": pd.Series(dtype="str")})
    fc = fc[fc["index"].notna() & fc["check"].isin(list(_PRIORITY))]
    wide = fc["check"].map(_CHECK_FIELD)
    own = wide.isna() | (fc["column"] == wide)
    fc = fc[own]
    out = pd.DataFrame({"row": fc["index"].astype("int64"),
                        "field": fc["column"].astype("str").str.removesuffix(NUM),
                        "check": fc["check"].astype("str")})
    out["priority"] = out["check"].map(_PRIORITY)
    out = out.sort_values(["row", "priority"], kind="stable")
    return out.drop_duplicates(["row", "field"]).drop(columns="priority")


def _error_frame(fails: pd.DataFrame, frame: pd.DataFrame, headers: dict[str, str],
                 catalogue: Catalogue) -> pd.DataFrame:
    if fails.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str")
                             for c in ERROR_COLUMNS})
    values_s = pd.Series("", index=fails.index, dtype=object)
    for f, group in fails.groupby("field", sort=False):
        if f in frame.columns:
            values_s[group.index] = frame.loc[group["row"].to_numpy(), f].to_numpy(dtype=object)
    values = [str(v) for v in values_s.tolist()]
    ewc_text = ewc_messages({v for v, c in zip(values, fails["check"], strict=True)
                             if c == "ewc_unknown"}, catalogue)
    messages = []
    for (row, field, check), value in zip(fails.itertuples(index=False, name=None), values,
                                          strict=True):
        if check == "ewc_unknown":
            messages.append(ewc_text[value])
            continue
        context = ({k: str(frame.at[row, k]) for k in _CONTEXT}
                   if check in ("swapped", "unit_missing") else None)
        messages.append(message_for(check, value=value, header=headers.get(field, field),
                                    context=context))
    return pd.DataFrame({
        "row": fails["row"].to_numpy(),
        "column": [headers.get(f, f) for f in fails["field"]],
        "field": fails["field"].to_numpy(), "value": values, "message": messages,
    }).astype({"row": "int64", "column": "str", "field": "str", "value": "str",
               "message": "str"})


def _typed(frame: pd.DataFrame, catalogue: Catalogue, *, provenance: str,
           today: str) -> pd.DataFrame:
    """The typed form of rows that passed validation."""
    out = pd.DataFrame(index=frame.index)
    for f in ("name", "address", "postcode", "city", "country", "description"):
        out[f] = frame[f].where(frame[f] != "").astype("str")
    out["sector_nace"] = normalise_nace(frame["sector_nace"]).replace("", np.nan).astype("str")
    out["is_resource"] = resource_rows(frame)
    out["direction"] = normalise_vocabulary(frame["direction"], "direction")
    out["resource_class"] = _inferred_class(frame)
    codes = catalogue.normalise_codes(frame["ewc_code"])
    out["ewc_code"] = codes.where(frame["ewc_code"] != "", None).astype("str")
    out["hazardous"] = catalogue.hazardous(frame["ewc_code"]) & (frame["ewc_code"] != "")
    out["quantity"] = frame["quantity" + NUM]
    for f in ("unit", "frequency", "fate", "provenance"):
        out[f] = normalise_vocabulary(frame[f], f).replace("", np.nan).astype("str")
    out["provenance"] = out["provenance"].fillna(provenance)
    out["disposal_cost_per_year"] = frame["disposal_cost_per_year" + NUM]
    dates = parse_dates(frame["recorded_on"])
    out["recorded_on"] = dates.where(dates != "", today).astype("str")
    out["lon"] = frame["lon" + NUM]
    out["lat"] = frame["lat" + NUM]
    return out


def validate_rows(frame: pd.DataFrame, *, catalogue: Catalogue,
                  headers: dict[str, str] | None = None, provenance: str = "import file",
                  today: dt.date | None = None) -> Validation:
    """Validate a canonical import frame and split it into typed good rows and errors.

    Parameters
    ----------
    frame : DataFrame
        Text columns named after :data:`geo.importer.headers.FIELDS` (missing fields are
        added empty), stripped, index = file row number; optionally :data:`EXTRA_VALUES`.
        A unit taken from a header must already be filled into ``unit``.
    catalogue : Catalogue
        The waste catalogue codes are checked against.
    headers : dict, optional
        Field → header in the file, so errors name the column as the user wrote it.
    provenance : str
        Provenance of rows that give none (one of :data:`geo.programme.PROVENANCES`).
    today : date, optional
        ``recorded_on`` of rows that give no date (default: today).
    """
    frame = frame.copy()
    for f in FIELDS:
        if f not in frame.columns:
            frame[f] = ""
    frame = frame.astype("str")
    for f in _NUMERIC:
        frame[f + NUM] = parse_numbers(frame[f])
    fails = _failures(build_schema(catalogue), frame)
    errors = _error_frame(fails, frame, headers or {}, catalogue)
    good = frame[~frame.index.isin(errors["row"])]
    day = (today or dt.date.today()).isoformat()
    return Validation(clean=_typed(good, catalogue, provenance=provenance, today=day),
                      errors=errors.sort_values("row", kind="stable").reset_index(drop=True))
