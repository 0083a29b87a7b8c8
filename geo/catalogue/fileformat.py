"""The waste-catalogue file format: columns, code normalisation, reading, validation, writing.

:mod:`geo.catalogue.catalogue` builds the :class:`~geo.catalogue.Catalogue` on these functions;
this module depends on nothing of it (stream validation takes the catalogue's codes, its
pattern matcher and its display name as plain arguments). Messages name the file, the line and
the fix. ``data/catalogue/README.md`` describes the format for people.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from geo.errors import CatalogueError
from geo.i18n import _

__all__ = [
    "CATALOGUE_COLUMNS",
    "LEVELS",
    "STREAM_COLUMNS",
    "collapse_text",
    "normalise_ewc_code",
    "read_csv_table",
    "strip_ewc_separators",
    "validate_catalogue_table",
    "validate_stream_table",
    "write_catalogue_csv",
]

CATALOGUE_COLUMNS: Final = ("code", "level", "parent", "description", "hazardous")
"""Required columns of a catalogue file, in the order written."""
STREAM_COLUMNS: Final = ("group", "label", "pattern", "note")
"""Columns of a stream-groups file (``note`` is optional)."""
LEVELS: Final = ("chapter", "subchapter", "entry")
"""Levels of a catalogue row, top down."""

_EWC_DIGITS: Final = {"chapter": 2, "subchapter": 4, "entry": 6}
_EWC_STRIP: Final = str.maketrans("", "", " \t\r\n\u00a0\u2009\u202f*.-()")
_FLOAT_TEXT: Final = re.compile(r"^\s*(\d+)\.0+\s*$")
_SLUG: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE: Final = frozenset({"true", "1", "yes", "y", "t"})
_FALSE: Final = frozenset({"false", "0", "no", "n", "f"})


def strip_ewc_separators(text: str) -> str:
    """Drop the white space, asterisks, dots, hyphens and brackets people put inside EWC codes.

    The brackets are for lists that mark hazardous entries ``(*)``, like IBAMA's.

    Examples
    --------
    >>> strip_ewc_separators("01 03-04*"), strip_ewc_separators("010304(*)")
    ('010304', '010304')
    """
    return text.translate(_EWC_STRIP)


def normalise_ewc_code(value: object) -> str | None:
    """Return the digits-only form of an EWC-style code, or None when it has no such form.

    Text loses its separators (:func:`strip_ewc_separators`); a number or a ``"10304.0"``
    text that lost its leading zero gets it back. Booleans, non-integral floats, non-digits and
    more than 6 digits have no form.

    Examples
    --------
    >>> normalise_ewc_code("01 03 04*"), normalise_ewc_code(10304), normalise_ewc_code("x")
    ('010304', '010304', None)
    """
    if isinstance(value, str):
        if len(value) == 6 and value.isdigit() and value.isascii():
            return value  # already canonical: the common case, kept fast
        m = _FLOAT_TEXT.match(value) if "." in value else None
        text = m.group(1) if m else strip_ewc_separators(value)
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


def collapse_text(value: object) -> str | None:
    """Return ``value`` as text with white space trimmed and collapsed, or None if empty/missing.

    Examples
    --------
    >>> collapse_text("  HW98  999-001-98 "), collapse_text(float("nan")), collapse_text(" ")
    ('HW98 999-001-98', None, None)
    """
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    text = " ".join(str(value).split())
    return text or None


def _where(source: Path | None, line: int | None = None, code: str | None = None) -> str:
    """Where a problem is, in this session's language (file or table, line, code)."""
    values = {"file": str(source), "line": line, "code": code}
    if line is None:
        text = _("catalogue file {file!r}") if source else _("catalogue table")
    elif code is None:
        text = (_("catalogue file {file!r} line {line}") if source
                else _("catalogue table line {line}"))
    else:
        text = (_("catalogue file {file!r} line {line} (code {code!r})") if source
                else _("catalogue table line {line} (code {code!r})"))
    return text.format(**values)


def _require_columns(df: pd.DataFrame, required: Iterable[str], source: Path | None) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        # Translators: {where} names the file or table (a translated phrase).
        msg = _("{where}: missing column(s) {missing!r}; expected columns {expected!r}, found "
                "{found!r}. Fix: rename or add them in the header row (see "
                "data/catalogue/README.md).").format(
            where=_where(source), missing=missing, expected=list(required),
            found=list(map(str, df.columns)))
        raise CatalogueError(msg)


def validate_catalogue_table(raw: pd.DataFrame, source: Path | None) -> pd.DataFrame:
    """Check a catalogue table and return it indexed by code with chapter/subchapter columns.

    Parameters
    ----------
    raw
        The file's rows as text, with at least the columns of :data:`CATALOGUE_COLUMNS`.
    source
        Where ``raw`` was read from, for the messages (None: "catalogue table").

    Returns
    -------
    pandas.DataFrame
        The :data:`CATALOGUE_COLUMNS` with white space collapsed, ``hazardous`` as bool and
        ``chapter`` and ``subchapter`` (empty for none) added, indexed by code in file order.

    Raises
    ------
    CatalogueError
        For the first broken row: missing columns, empty or duplicate codes, unknown levels or
        parents, EWC codes of the wrong length, bad hazardous marks, no entries.
    """
    _require_columns(raw, CATALOGUE_COLUMNS, source)
    df = raw[list(CATALOGUE_COLUMNS)].copy()
    for col in CATALOGUE_COLUMNS:
        df[col] = [collapse_text(v) or "" for v in df[col]]
    df["line"] = np.arange(len(df)) + 2  # header is line 1
    if df.empty:
        raise CatalogueError(_("{where} has no rows; expected chapters and entries.").format(
            where=_where(source)))
    first_line: dict[str, int] = {}
    for code, line in zip(df["code"], df["line"], strict=True):
        if not code:
            where = _where(source, line)
            msg = _("{where}: empty code; expected a code. Fix: fill it in or delete the "
                    "row.").format(where=where)
            raise CatalogueError(msg)
        if code in first_line:
            msg = _("{where}: duplicate code, first on line {first}; expected each code once. "
                    "Fix: delete or renumber one of the rows.").format(
                where=_where(source, line, code), first=first_line[code])
            raise CatalogueError(msg)
        first_line[code] = line
    df.index = pd.Index(df["code"], name=None)
    ewc = all(c.isascii() and c.isdigit() for c in df["code"])
    level_of = dict(zip(df["code"], df["level"], strict=True))
    hazardous: list[bool] = []
    for row in df.itertuples(index=False):
        where = _where(source, row.line, row.code)
        if row.level not in LEVELS:
            msg = _("{where}: level {level!r}; expected one of {choices}. Fix: correct the "
                    "level.").format(where=where, level=row.level, choices=", ".join(LEVELS))
            raise CatalogueError(msg)
        if not row.description:
            msg = _("{where}: empty description; expected the legal wording. Fix: fill it "
                    "in.").format(where=where)
            raise CatalogueError(msg)
        allowed = {"chapter": ("",), "subchapter": ("chapter",), "entry": ("subchapter", "chapter")}
        parent_level = level_of.get(row.parent, "") if row.parent else ""
        if row.parent and row.parent not in level_of:
            # Translators: {levels} are level codes of the file (chapter, subchapter).
            msg = _("{where}: parent {parent!r} is not a code in the file; expected the code of "
                    "its {levels}. Fix: add a row for {parent!r} or correct the parent.").format(
                where=where, parent=row.parent, levels=" / ".join(allowed[row.level]))
            raise CatalogueError(msg)
        if parent_level not in allowed[row.level]:
            # Translators: {level} and {levels} are level codes of the file (chapter,
            # subchapter, entry); {parent_level} is one too, or "none".
            msg = (_("{where}: a {level} with parent {parent!r} ({parent_level}); expected an "
                     "empty parent. Fix: correct the level or the parent.")
                   if row.level == "chapter" else
                   _("{where}: a {level} with parent {parent!r} ({parent_level}); expected a "
                     "parent of level {levels}. Fix: correct the level or the parent.")).format(
                where=where, level=row.level, parent=row.parent,
                parent_level=parent_level or "none", levels=" / ".join(allowed[row.level]))
            raise CatalogueError(msg)
        if ewc and (len(row.code) != _EWC_DIGITS[row.level] or not row.code.startswith(row.parent)):
            msg = _("{where}: a {level} of an EWC-style (digits-only) catalogue must have "
                    "{digits} digits and start with its parent {parent!r}. Fix: store codes as "
                    "text with leading zeros (a spreadsheet may have dropped them).").format(
                where=where, level=row.level, digits=_EWC_DIGITS[row.level], parent=row.parent)
            raise CatalogueError(msg)
        flag = row.hazardous.casefold()
        if flag in _TRUE and row.level != "entry":
            msg = _("{where}: a {level} marked hazardous; only entries can be. Fix: set "
                    "false.").format(where=where, level=row.level)
            raise CatalogueError(msg)
        if flag not in _TRUE | _FALSE and not (flag == "" and row.level != "entry"):
            msg = _("{where}: hazardous is {value!r}; expected true or false. Fix: write true "
                    "for entries marked with an asterisk in the legal list, else false.").format(
                where=where, value=row.hazardous)
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
        raise CatalogueError(_("{where} has no entry rows; expected level 'entry' rows.").format(
            where=_where(source)))
    return df.drop(columns="line")


def validate_stream_table(
    raw: pd.DataFrame,
    *,
    codes: Collection[str],
    pattern_codes: Callable[[str], frozenset[str]],
    catalogue_name: str,
    source: Path | None,
) -> pd.DataFrame:
    """Check stream groups against a catalogue; return them with a ``note`` column.

    Parameters
    ----------
    raw
        The stream-groups file's rows as text (columns :data:`STREAM_COLUMNS`, ``note``
        optional); a frame without rows or columns means "no groups".
    codes
        Every code of the catalogue (a group slug must not be one).
    pattern_codes
        The entry codes a pattern selects in the catalogue (empty: the pattern is refused).
    catalogue_name
        How messages name the catalogue (``"the catalogue 'ewc.csv'"``).
    source
        Where ``raw`` was read from, for the messages.

    Raises
    ------
    CatalogueError
        For the first bad row: a slug that is not one or is a code, labels that differ within
        a group, a repeated row, a pattern that selects nothing.
    """
    where0 = (_("stream groups file {file!r}").format(file=str(source)) if source
              else _("stream groups table"))
    if raw.empty and not len(raw.columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in STREAM_COLUMNS})
    missing = [c for c in STREAM_COLUMNS[:3] if c not in raw.columns]
    if missing:
        msg = _("{where}: missing column(s) {missing!r}; expected {expected!r}, found {found!r}. "
                "Fix: rename or add them in the header row.").format(
            where=where0, missing=missing, expected=list(STREAM_COLUMNS),
            found=list(map(str, raw.columns)))
        raise CatalogueError(msg)
    df = raw.reindex(columns=list(STREAM_COLUMNS))
    for col in STREAM_COLUMNS:
        df[col] = [collapse_text(v) or "" for v in df[col]]
    labels: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    codes_folded = {c.casefold() for c in codes}
    for i, row in enumerate(df.itertuples(index=False), start=2):
        # Translators: {where} names the stream groups file or table.
        where = _("{where} line {line} (group {group!r}, pattern {pattern!r})").format(
            where=where0, line=i, group=row.group, pattern=row.pattern)
        if not _SLUG.match(row.group) or row.group in codes_folded:
            msg = _("{where}: group must be a lower-case slug that is not a code, like "
                    "'plastics' or 'paper_cardboard', got {group!r}. Fix: rename the "
                    "group.").format(where=where, group=row.group)
            raise CatalogueError(msg)
        if not row.label or labels.setdefault(row.group, row.label) != row.label:
            msg = _("{where}: label {label!r}; expected one non-empty label per group "
                    "({first!r}). Fix: use the same label on every row of the group.").format(
                where=where, label=row.label, first=labels.get(row.group))
            raise CatalogueError(msg)
        if (row.group, row.pattern) in seen:
            raise CatalogueError(_("{where}: repeated row. Fix: delete it.").format(where=where))
        seen.add((row.group, row.pattern))
        if not row.pattern or not pattern_codes(row.pattern):
            # Translators: {catalogue} names the catalogue, e.g. "the catalogue 'ewc.csv'".
            msg = _("{where}: pattern matches no entry of {catalogue}; expected a code or code "
                    "prefix of that catalogue. Fix: correct the pattern, or give this catalogue "
                    "its own stream file (load_catalogue(path, streams_path=...), or "
                    "'<name>.streams.csv' beside it).").format(where=where,
                                                               catalogue=catalogue_name)
            raise CatalogueError(msg)
    return df.reset_index(drop=True)


def read_csv_table(path: Path, what: str) -> pd.DataFrame:
    """Read a catalogue or stream-groups CSV as text (UTF-8, BOM allowed, no NA guessing).

    ``what`` names the file in messages (``N_("catalogue file")``: marked, translated here).

    Raises
    ------
    CatalogueError
        When the file is missing or is not a readable UTF-8 CSV.
    """
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        # Translators: {what} says which file, e.g. "catalogue file".
        msg = _("{what} {path!r} does not exist; expected a CSV file. Fix: check the path or "
                "SYMBIOMAP_CATALOGUE (default data/catalogue/ewc.csv).").format(
            what=_(what), path=str(path))
        raise CatalogueError(msg) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        msg = _("{what} {path!r} cannot be read as a UTF-8 CSV ({reason}). Fix: save it as "
                "comma-separated UTF-8 and quote fields that contain commas.").format(
            what=_(what), path=str(path), reason=exc)
        raise CatalogueError(msg) from None


def write_catalogue_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a catalogue table as the shipped files are written: UTF-8, ``\\n``, minimal quoting.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = write_catalogue_csv(pd.DataFrame({"code": ["01"], "description": ["a, b"]}), out)
    >>> out.read_text(encoding="utf-8")
    'code,description\\n01,"a, b"\\n'
    """
    text = table.to_csv(index=False, lineterminator="\n")
    path.write_text(re.sub(r"\r\n?", "\n", text), encoding="utf-8", newline="")
    return path
