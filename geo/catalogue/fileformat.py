"""The waste-catalogue file format: columns, code normalisation, reading and validation.

Private to :mod:`geo.catalogue`, which holds the :class:`~geo.catalogue.Catalogue` itself.
Messages name the file, the line and the fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from geo.errors import CatalogueError

if TYPE_CHECKING:
    from geo.catalogue import Catalogue

CATALOGUE_COLUMNS: Final = ("code", "level", "parent", "description", "hazardous")
"""Required columns of a catalogue file, in the order written."""
STREAM_COLUMNS: Final = ("group", "label", "pattern", "note")
"""Columns of a stream-groups file (``note`` is optional)."""
LEVELS: Final = ("chapter", "subchapter", "entry")
"""Levels of a catalogue row, top down."""

_EWC_DIGITS: Final = {"chapter": 2, "subchapter": 4, "entry": 6}
_EWC_STRIP: Final = str.maketrans("", "", " \t\r\n\u00a0\u2009\u202f*.-")
_FLOAT_TEXT: Final = re.compile(r"^\s*(\d+)\.0+\s*$")
_SLUG: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE: Final = frozenset({"true", "1", "yes", "y", "t"})
_FALSE: Final = frozenset({"false", "0", "no", "n", "f"})


def _normalise_ewc(value: object) -> str | None:
    """Return the digits-only form of an EWC-style code, or None when it has no such form."""
    if isinstance(value, str):
        if len(value) == 6 and value.isdigit() and value.isascii():
            return value  # already canonical: the common case, kept fast
        m = _FLOAT_TEXT.match(value) if "." in value else None
        text = m.group(1) if m else value.translate(_EWC_STRIP)
    elif isinstance(value, bool | np.bool_) or value is None:
        return None
    elif isinstance(value, int | np.integer):
        text = str(int(value))
    elif isinstance(value, float | np.floating):
        if not math.isfinite(value) or value != int(value):
            return None
        text = str(int(value))
    else:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    return "0" + text if len(text) % 2 else text


def _collapse(value: object) -> str | None:
    """Return ``value`` as text with white space trimmed and collapsed, or None if empty/missing."""
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    text = " ".join(str(value).split())
    return text or None


def _where(source: Path | None, line: int | None = None, code: str | None = None) -> str:
    place = f"catalogue file {str(source)!r}" if source else "catalogue table"
    if line is not None:
        place += f" line {line}"
    if code is not None:
        place += f" (code {code!r})"
    return place


def _require_columns(df: pd.DataFrame, required: Iterable[str], source: Path | None) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        msg = (
            f"{_where(source)}: missing column(s) {missing!r}; expected columns "
            f"{list(required)!r}, found {list(map(str, df.columns))!r}. Fix: rename or add them "
            "in the header row (see data/catalogue/README.md)."
        )
        raise CatalogueError(msg)


def _validate_table(raw: pd.DataFrame, source: Path | None) -> pd.DataFrame:
    """Check a catalogue table and return it indexed by code with chapter/subchapter columns."""
    _require_columns(raw, CATALOGUE_COLUMNS, source)
    df = raw[list(CATALOGUE_COLUMNS)].copy()
    for col in CATALOGUE_COLUMNS:
        df[col] = [_collapse(v) or "" for v in df[col]]
    df["line"] = np.arange(len(df)) + 2  # header is line 1
    if df.empty:
        raise CatalogueError(f"{_where(source)} has no rows; expected chapters and entries.")
    first_line: dict[str, int] = {}
    for code, line in zip(df["code"], df["line"], strict=True):
        if not code:
            where = _where(source, line)
            msg = f"{where}: empty code; expected a code. Fix: fill it in or delete the row."
            raise CatalogueError(msg)
        if code in first_line:
            msg = (
                f"{_where(source, line, code)}: duplicate code, first on line {first_line[code]}; "
                "expected each code once. Fix: delete or renumber one of the rows."
            )
            raise CatalogueError(msg)
        first_line[code] = line
    df.index = pd.Index(df["code"], name=None)
    ewc = all(c.isascii() and c.isdigit() for c in df["code"])
    level_of = dict(zip(df["code"], df["level"], strict=True))
    hazardous: list[bool] = []
    for row in df.itertuples(index=False):
        where = _where(source, row.line, row.code)
        if row.level not in LEVELS:
            msg = f"{where}: level {row.level!r}; expected one of {LEVELS}. Fix: correct the level."
            raise CatalogueError(msg)
        if not row.description:
            msg = f"{where}: empty description; expected the legal wording. Fix: fill it in."
            raise CatalogueError(msg)
        allowed = {"chapter": ("",), "subchapter": ("chapter",), "entry": ("subchapter", "chapter")}
        parent_level = level_of.get(row.parent, "") if row.parent else ""
        if row.parent and row.parent not in level_of:
            msg = (
                f"{where}: parent {row.parent!r} is not a code in the file; expected the code of "
                f"its {' or '.join(allowed[row.level])}. Fix: add a row for {row.parent!r} or "
                "correct the parent."
            )
            raise CatalogueError(msg)
        if parent_level not in allowed[row.level]:
            expected = (
                "an empty parent"
                if row.level == "chapter"
                else (f"a parent of level {' or '.join(allowed[row.level])}")
            )
            msg = (
                f"{where}: a {row.level} with parent {row.parent!r} ({parent_level or 'none'}); "
                f"expected {expected}. Fix: correct the level or the parent."
            )
            raise CatalogueError(msg)
        if ewc and (len(row.code) != _EWC_DIGITS[row.level] or not row.code.startswith(row.parent)):
            msg = (
                f"{where}: a {row.level} of an EWC-style (digits-only) catalogue must have "
                f"{_EWC_DIGITS[row.level]} digits and start with its parent {row.parent!r}. Fix: "
                "store codes as text with leading zeros (a spreadsheet may have dropped them)."
            )
            raise CatalogueError(msg)
        flag = row.hazardous.casefold()
        if flag in _TRUE and row.level != "entry":
            msg = f"{where}: a {row.level} marked hazardous; only entries can be. Fix: set false."
            raise CatalogueError(msg)
        if flag not in _TRUE | _FALSE and not (flag == "" and row.level != "entry"):
            msg = (
                f"{where}: hazardous is {row.hazardous!r}; expected true or false. Fix: write "
                "true for entries marked with an asterisk in the legal list, else false."
            )
            raise CatalogueError(msg)
        hazardous.append(flag in _TRUE)
    df["hazardous"] = hazardous
    parent_of = dict(zip(df["code"], df["parent"], strict=True))
    pairs: list[tuple[str, str]] = []  # (chapter, subchapter) of each row
    for code, level, parent in zip(df["code"], df["level"], df["parent"], strict=True):
        if level == "chapter":
            pairs.append((code, ""))
        elif level == "subchapter":
            pairs.append((parent, code))
        elif level_of[parent] == "subchapter":
            pairs.append((parent_of[parent], parent))
        else:
            pairs.append((parent, ""))
    df["chapter"] = [c for c, _ in pairs]
    df["subchapter"] = [s for _, s in pairs]
    if not (df["level"] == "entry").any():
        raise CatalogueError(f"{_where(source)} has no entry rows; expected level 'entry' rows.")
    return df.drop(columns="line")


def _validate_streams(raw: pd.DataFrame, cat: Catalogue, source: Path | None) -> pd.DataFrame:
    """Check stream groups against a catalogue; return them with a ``note`` column."""
    where0 = f"stream groups file {str(source)!r}" if source else "stream groups table"
    if raw.empty and not len(raw.columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in STREAM_COLUMNS})
    missing = [c for c in STREAM_COLUMNS[:3] if c not in raw.columns]
    if missing:
        msg = (
            f"{where0}: missing column(s) {missing!r}; expected {list(STREAM_COLUMNS)!r}, found "
            f"{list(map(str, raw.columns))!r}. Fix: rename or add them in the header row."
        )
        raise CatalogueError(msg)
    df = raw.reindex(columns=list(STREAM_COLUMNS))
    for col in STREAM_COLUMNS:
        df[col] = [_collapse(v) or "" for v in df[col]]
    labels: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    codes_folded = {c.casefold() for c in cat._level}
    for i, row in enumerate(df.itertuples(index=False), start=2):
        where = f"{where0} line {i} (group {row.group!r}, pattern {row.pattern!r})"
        if not _SLUG.match(row.group) or row.group in codes_folded:
            msg = (
                f"{where}: group must be a lower-case slug that is not a code, like 'plastics' or "
                f"'paper_cardboard', got {row.group!r}. Fix: rename the group."
            )
            raise CatalogueError(msg)
        if not row.label or labels.setdefault(row.group, row.label) != row.label:
            msg = (
                f"{where}: label {row.label!r}; expected one non-empty label per group "
                f"({labels.get(row.group)!r}). Fix: use the same label on every row of the group."
            )
            raise CatalogueError(msg)
        if (row.group, row.pattern) in seen:
            raise CatalogueError(f"{where}: repeated row. Fix: delete it.")
        seen.add((row.group, row.pattern))
        if not row.pattern or not cat._pattern_codes(row.pattern):
            msg = (
                f"{where}: pattern matches no entry of {cat._name()}; expected a code or code "
                "prefix of that catalogue. Fix: correct the pattern, or give this catalogue its "
                "own stream file (load_catalogue(path, streams_path=...), or '<name>.streams.csv' "
                "beside it)."
            )
            raise CatalogueError(msg)
    return df.reset_index(drop=True)


def _read_csv(path: Path, what: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        msg = (
            f"{what} {str(path)!r} does not exist; expected a CSV file. Fix: check the path or "
            "SYMBIOMAP_CATALOGUE (default data/catalogue/ewc.csv)."
        )
        raise CatalogueError(msg) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        msg = (
            f"{what} {str(path)!r} cannot be read as a UTF-8 CSV ({exc}). Fix: save it as "
            "comma-separated UTF-8 and quote fields that contain commas."
        )
        raise CatalogueError(msg) from None
