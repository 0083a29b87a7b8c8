"""Row checks of a supplied National Catalogue of Hazardous Wastes table (国家危险废物名录).

:func:`check_rows` is the pure core of :func:`geo.catalogue.china.read_china_hw_list`: text
cells in, the good entries and one error per bad cell out, each error naming the file row,
the column as headed in the file, the value as written and the reason. Nothing here knows
any entry of the list: only its form (``HWnn`` categories, ``NNN-NNN-NN`` codes whose last
two digits are the category number, the hazard characteristics T, C, I, R, In). Names,
industry sources and descriptions are kept as written (white space collapsed only); codes,
the ``HW`` prefix and hazards are also read in full-width forms.

Examples
--------
>>> cells = pd.DataFrame({"category": ["HW98 虚构类别", "", "HW97"],
...                       "industry_source": ["虚构行业", "", "虚构"],
...                       "code": ["999-001-98", "999-001-98", "999-1-97"],
...                       "description": ["虚构甲", "虚构乙", "虚构丙"],
...                       "hazard": ["T", "t/in", "X"]}, index=[2, 3, 4])
>>> entries, errors = check_rows(cells, {f: f for f in CHINA_FIELDS})
>>> entries["code"].tolist()
['999-001-98']
>>> errors[["row", "field"]].values.tolist()  # row 4: bad code and hazard, HW97 unnamed
[[3, 'code'], [4, 'code'], [4, 'hazard'], [4, 'category']]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

import pandas as pd

from geo.i18n import _

__all__ = ["CHINA_FIELDS", "ENTRY_COLUMNS", "ERROR_COLUMNS", "check_rows", "normalise_hazard",
           "normalise_official_code"]

CHINA_FIELDS: Final = ("category", "industry_source", "code", "description", "hazard")
"""Fields of the official table, in its column order."""
ENTRY_COLUMNS: Final = ("row", "category", "category_name", "industry_source", "code",
                        "description", "hazard")
"""Columns of the good entries."""
ERROR_COLUMNS: Final = ("row", "column", "field", "value", "message")
"""Columns of the errors (as in :class:`geo.importer.run.ImportReport`)."""

_CATEGORY: Final = re.compile(r"^[HＨｈ][WＷｗ]\s*([0-9０-９]{2})(?:\s*[:：、.．]?\s*)(.*)$",
                               re.IGNORECASE)
_CODE: Final = re.compile(r"^\d{3}-\d{3}-\d{2}$")
_DASHES: Final = str.maketrans(dict.fromkeys("‐‑‒–—―－−", "-"))
_HAZARDS: Final = {"t": "T", "c": "C", "i": "I", "r": "R", "in": "In"}


def _nfkc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _collapse(text: str) -> str:
    return " ".join(text.split())


def normalise_official_code(text: str) -> str:
    """An official waste code with full-width digits, other dashes and spaces made plain.

    Examples
    --------
    >>> normalise_official_code(" ９９９－００１－９８ "), normalise_official_code("999 - 001 - 98")
    ('999-001-98', '999-001-98')
    """
    return "".join(_nfkc(text).translate(_DASHES).split())


def normalise_hazard(text: str) -> str | None:
    """The hazard characteristics as ``T/C/I/R/In`` joined by ``/``, or None if any is unknown.

    Separators ``/``, ``,``, ``、``, ``;`` and spaces (half- or full-width) are accepted.

    Examples
    --------
    >>> normalise_hazard("t，In"), normalise_hazard("T/C"), normalise_hazard("TX")
    ('T/In', 'T/C', None)
    """
    tokens = [t for t in re.split(r"[/,、;\s]+", _nfkc(text)) if t]
    out = [_HAZARDS.get(t.casefold()) for t in tokens]
    if not out or any(o is None for o in out):
        return None
    return "/".join(dict.fromkeys(o for o in out if o))


def check_rows(cells: pd.DataFrame, columns: Mapping[str, str]
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check the rows of the official table; carry merged category and industry cells down.

    Parameters
    ----------
    cells
        One text column per field of :data:`CHINA_FIELDS`, indexed by file row (header = 1).
    columns
        Field → the heading it was read from, for the messages.

    Returns
    -------
    entries : pandas.DataFrame
        The rows without a problem (:data:`ENTRY_COLUMNS`), in file order.
    errors : pandas.DataFrame
        One row per bad cell (:data:`ERROR_COLUMNS`), by file row.
    """
    errors: list[tuple[int, str, str, str, str]] = []
    good: list[tuple[int, str, str, str, str, str, str]] = []
    names: dict[str, tuple[str, int]] = {}
    first_code: dict[str, int] = {}
    hw = ""
    industry = ""
    for row, r in zip(cells.index.astype(int), cells.itertuples(index=False), strict=True):
        bad = len(errors)

        def fail(f: str, value: str, message: str, row: int = row) -> None:
            errors.append((row, columns.get(f, f), f, value, message))

        cat_text, ind_text = _collapse(r.category), _collapse(r.industry_source)
        if cat_text:
            m = _CATEGORY.match(cat_text)
            if m is None:
                hw = ""
                fail("category", r.category, _("expected the category as HWnn followed by its "
                                               "name as listed, e.g. 'HW12 <类别名称>'"))
            else:
                hw, name = f"HW{_nfkc(m.group(1))}", m.group(2).strip()
                known = names.get(hw)
                if name and known and known[0] and known[0] != name:
                    fail("category", r.category, _("{category} is named {name!r} on row {row}; "
                                                   "one name per category").format(
                        category=hw, name=known[0], row=known[1]))
                elif name and not (known and known[0]):
                    names[hw] = (name, row)
                else:
                    names.setdefault(hw, ("", row))
                industry = ""  # a new category cell starts a new block
        elif not hw:
            fail("category", r.category, _("empty, and no category above it to carry down; "
                                           "write the category (HWnn and its name) on the "
                                           "first row of its block"))
        if ind_text:
            industry = ind_text
        elif not industry:
            fail("industry_source", r.industry_source, _(
                "empty on the first row of its category; write the industry source (行业来源), "
                "e.g. '非特定行业'"))
        code = normalise_official_code(r.code)
        if not _CODE.match(code):
            fail("code", r.code, _("expected a waste code of the form NNN-NNN-NN (8 digits, "
                                   "the last two the category number)"))
        elif hw and code[-2:] != hw[2:]:
            fail("code", r.code, _("its last two digits {digits!r} are not its category "
                                   "{category}'s; the code's last two digits are the category "
                                   "number").format(digits=code[-2:], category=hw))
        elif code in first_code:
            fail("code", r.code, _("the same code as row {row}; each code once").format(
                row=first_code[code]))
        else:
            first_code[code] = row
        description = _collapse(r.description)
        if not description:
            fail("description", r.description, _("empty; write the waste (危险废物) as listed"))
        hazard = normalise_hazard(r.hazard)
        if hazard is None:
            fail("hazard", r.hazard, _("expected one or more of T (toxicity), C (corrosivity), "
                                       "I (ignitability), R (reactivity), In (infectivity), "
                                       "e.g. 'T/C'"))
        if len(errors) == bad:
            good.append((row, hw, "", industry, code, description, hazard or ""))
    for hw_code, (name, row) in names.items():
        if not name:
            errors.append((row, columns.get("category", "category"), "category", hw_code,
                           _("category {category} has no name in any row; write 'HWnn' and its "
                             "name in the category cell of its first row").format(
                               category=hw_code)))
    entries = pd.DataFrame(good, columns=list(ENTRY_COLUMNS))
    entries["category_name"] = entries["category"].map(lambda c: names.get(c, ("", 0))[0])
    unnamed = entries["category_name"] == ""
    entries = entries[~unnamed].reset_index(drop=True)
    err = pd.DataFrame(errors, columns=list(ERROR_COLUMNS))
    return entries, err.sort_values("row", kind="stable").reset_index(drop=True)
