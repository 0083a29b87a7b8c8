"""Crosswalks between waste catalogues, so that selection and matching work across them.

Two catalogues may share a code pattern without sharing meanings: 16 01 03 is end-of-life
tyres in the EWC and end-of-life vehicles in Brazil's IBAMA list. Codes of different
catalogues are therefore **never** compared by their digits; a crosswalk says, row by row,
how a code of one catalogue relates to a code of another, and who said so.

File format (UTF-8 CSV with a header row, described in ``data/catalogue/README.md``):
:data:`CROSSWALK_COLUMNS`. ``relation`` reads "``to_code`` is ... of ``from_code``", after
the SKOS mapping properties:

- ``exact`` — the same waste;
- ``broader`` — ``to_code`` is broader: it contains ``from_code``;
- ``narrower`` — ``to_code`` is narrower: it is part of ``from_code``;
- ``related`` — they overlap or are associated; neither contains the other.

Every row also holds in the other direction with the inverse relation (:data:`INVERSE`).
``reviewed`` is ``true`` once a practitioner has checked the row against both legal texts;
unreviewed rows are candidates and are left out unless asked for (``reviewed_only=False``).

A row naming a catalogue or a code that does not exist, an unknown relation, a missing
source or a repeated pair is refused with its row number (:func:`check_crosswalk` lists them;
:func:`load_crosswalk` raises).

Examples
--------
>>> from geo.catalogue import load_catalogue
>>> from geo.catalogue.ibama import IBAMA_PATH
>>> ewc, ibama = load_catalogue(), load_catalogue(IBAMA_PATH)
>>> xw = Crosswalk.from_table(pd.DataFrame({
...     "from_catalogue": ["ewc"], "from_code": ["16 01 04"], "relation": ["exact"],
...     "to_catalogue": ["ibama_2012"], "to_code": ["16 01 03"], "reviewed": ["true"],
...     "source": ["example"], "notes": [""]}), [ewc, ibama])
>>> sorted(ewc.codes_in(ibama, ["160104"], crosswalk=xw))
['160103']
>>> sorted(ibama.codes_in(ewc, ["160103"], crosswalk=xw))
['160104']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.catalogue.fileformat import collapse_text, read_csv_table
from geo.errors import CatalogueError
from geo.i18n import N_, _, format_number, ngettext

if TYPE_CHECKING:
    from geo.catalogue.catalogue import Catalogue

__all__ = [
    "CROSSWALK_COLUMNS",
    "INVERSE",
    "KEY_SEPARATOR",
    "PROBLEM_COLUMNS",
    "RELATIONS",
    "Crosswalk",
    "check_crosswalk",
    "load_crosswalk",
    "record_keys",
    "selection_mask",
]

CROSSWALK_COLUMNS: Final = ("from_catalogue", "from_code", "relation", "to_catalogue",
                            "to_code", "reviewed", "source", "notes")
"""Columns of a crosswalk file (``notes`` may be empty, every other cell is required)."""
RELATIONS: Final = ("exact", "broader", "narrower", "related")
"""How ``to_code`` relates to ``from_code`` (SKOS exactMatch, broadMatch, narrowMatch,
relatedMatch)."""
INVERSE: Final = {"exact": "exact", "broader": "narrower", "narrower": "broader",
                  "related": "related"}
"""The relation of a row read from ``to_code`` to ``from_code``."""
PROBLEM_COLUMNS: Final = ("row", "column", "value", "message")
"""Columns of the problem table of :func:`check_crosswalk` (``row``: file row, header = 1)."""
KEY_SEPARATOR: Final = ":"
"""Between a catalogue id and a code in the key of a record of another catalogue."""

_BOOL: Final = {"true": True, "false": False}
_PAIR_COLUMNS: Final = ("from_code", "to_code", "relation", "reviewed", "source", "notes",
                        "row")


def _problem(row: int, column: str, value: str, message: str) -> dict[str, object]:
    return {"row": row, "column": column, "value": value, "message": message}


def check_crosswalk(raw: pd.DataFrame, catalogues: Iterable[Catalogue], *,
                    source: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check every row of a crosswalk table against its catalogues.

    Parameters
    ----------
    raw
        The file's rows as text with the :data:`CROSSWALK_COLUMNS` (``notes`` optional).
    catalogues
        The catalogues the rows may name (by :attr:`~geo.catalogue.Catalogue.catalogue_id`).
    source
        Where ``raw`` was read from, for messages.

    Returns
    -------
    rows : pandas.DataFrame
        The good rows: codes in their catalogue's form, ``relation`` lower case, ``reviewed``
        bool, ``row`` the file row (header = 1).
    problems : pandas.DataFrame
        One row per refused cell (:data:`PROBLEM_COLUMNS`); empty when all is well.

    Raises
    ------
    CatalogueError
        When a required column is missing (the file cannot be read row by row).
    """
    where = _crosswalk_where(source)
    missing = [c for c in CROSSWALK_COLUMNS if c != "notes" and c not in raw.columns]
    if missing:
        # Translators: {where} names the crosswalk file or table.
        msg = _("{where}: missing column(s) {missing!r}; expected {expected!r}, found {found!r}. "
                "Fix: rename or add them in the header row (see "
                "data/catalogue/README.md).").format(
            where=where, missing=missing, expected=list(CROSSWALK_COLUMNS),
            found=list(map(str, raw.columns)))
        raise CatalogueError(msg)
    cats = {c.catalogue_id: c for c in catalogues}
    known = ", ".join(map(repr, cats)) or _("none")
    df = raw.reindex(columns=list(CROSSWALK_COLUMNS))
    for col in CROSSWALK_COLUMNS:
        df[col] = [collapse_text(v) or "" for v in df[col]]
    problems: list[dict[str, object]] = []
    good: list[dict[str, object]] = []
    first: dict[tuple[str, str, str, str], int] = {}
    for i, r in enumerate(df.to_dict("records"), start=2):
        bad = len(problems)
        out: dict[str, object] = {"row": i, "source": r["source"], "notes": r["notes"]}
        for side in ("from", "to"):
            cat_id, code = r[f"{side}_catalogue"], r[f"{side}_code"]
            cat = cats.get(cat_id)
            if cat is None:
                problems.append(_problem(i, f"{side}_catalogue", cat_id, _(
                    "not a catalogue given to the crosswalk ({known}); fix the id or load that "
                    "catalogue").format(known=known)))
                continue
            norm = cat.normalise_code(code)
            if not code or norm is None or not cat.has_code(norm):
                problems.append(_problem(i, f"{side}_code", code, _(
                    "not a code of the catalogue {catalogue!r} ({name}); codes are never guessed "
                    "from another catalogue's digits: correct the code or delete the "
                    "row").format(catalogue=cat_id, name=cat.info.short_name or cat.info.name)))
            out[f"{side}_catalogue"], out[f"{side}_code"] = cat_id, norm
        if r["from_catalogue"] and r["from_catalogue"] == r["to_catalogue"]:
            problems.append(_problem(i, "to_catalogue", r["to_catalogue"], _(
                "the same catalogue on both sides; a crosswalk links two catalogues (use "
                "compatibility rules within one)")))
        relation = r["relation"].casefold()
        if relation not in RELATIONS:
            problems.append(_problem(i, "relation", r["relation"], _(
                "expected one of {choices} (how to_code relates to from_code)").format(
                choices=", ".join(RELATIONS))))
        reviewed = _BOOL.get(r["reviewed"].casefold())
        if reviewed is None:
            problems.append(_problem(i, "reviewed", r["reviewed"], _(
                "expected true (checked against both legal texts) or false (a candidate)")))
        if not r["source"]:
            problems.append(_problem(i, "source", "", _(
                "say who made the row and from what (e.g. 'comparison of the two legal texts "
                "by …')")))
        if len(problems) > bad:
            continue
        out.update(relation=relation, reviewed=reviewed)
        ends = ((str(out["from_catalogue"]), str(out["from_code"])),
                (str(out["to_catalogue"]), str(out["to_code"])))
        pair = (*min(ends), *max(ends))
        if pair in first:
            problems.append(_problem(i, "to_code", r["to_code"], _(
                "this pair of codes is already linked on row {row} (in one direction or the "
                "other); keep one row per pair").format(row=first[pair])))
            continue
        first[pair] = i
        good.append(out)
    rows = pd.DataFrame(good, columns=[*CROSSWALK_COLUMNS, "row"])
    rows["reviewed"] = rows["reviewed"].astype(bool)
    return rows, pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS))


def _crosswalk_where(source: Path | None) -> str:
    return (_("crosswalk file {file!r}").format(file=source.name) if source
            else _("crosswalk table"))


def _refusal(problems: pd.DataFrame, where: str, limit: int = 20) -> str:
    each = _("row {row}, {column} {value!r}: {message}")
    shown = "; ".join(each.format(row=p.row, column=p.column, value=p.value, message=p.message)
                      for p in problems.head(limit).itertuples(index=False))
    extra = len(problems) - limit
    if extra > 0:
        shown += ngettext("; … and {n} more", "; … and {n} more", extra).format(n=extra)
    # Translators: {where} names the crosswalk file or table.
    return ngettext("{where} refused: {n} problem — {problems}. Fix: correct or delete those "
                    "rows (check_crosswalk lists them as a table).",
                    "{where} refused: {n} problems — {problems}. Fix: correct or delete those "
                    "rows (check_crosswalk lists them as a table).", len(problems)).format(
        where=where, n=format_number(len(problems)), problems=shown)


@dataclass(frozen=True, eq=False)
class Crosswalk:
    """A validated crosswalk between catalogues; build it with :meth:`from_table` or
    :func:`load_crosswalk`.

    Attributes
    ----------
    table
        The rows as checked by :func:`check_crosswalk` (all good).
    catalogues
        The catalogues it was checked against, by id.
    source
        Where the rows were read from.
    """

    table: pd.DataFrame = field(repr=False)
    catalogues: Mapping[str, Catalogue] = field(repr=False)
    source: Path | None = None

    @classmethod
    def from_table(cls, raw: pd.DataFrame, catalogues: Iterable[Catalogue], *,
                   source: Path | None = None) -> Crosswalk:
        """Check a crosswalk table and build it; refuse it if any row is bad.

        Raises
        ------
        CatalogueError
            Listing every refused row (row, column, value, reason).
        """
        cats = list(catalogues)
        rows, problems = check_crosswalk(raw, cats, source=source)
        if len(problems):
            raise CatalogueError(_refusal(problems, _crosswalk_where(source)))
        return cls(rows, {c.catalogue_id: c for c in cats}, source)

    def pairs(self, source_id: str, target_id: str, *,
              relations: Collection[str] = RELATIONS,
              reviewed_only: bool = False) -> pd.DataFrame:
        """The rows linking two catalogues, read from ``source_id`` to ``target_id``.

        Rows written the other way round are turned (codes swapped, relation inverted).

        Returns
        -------
        pandas.DataFrame
            ``from_code``, ``to_code``, ``relation``, ``reviewed``, ``source``, ``notes``,
            ``row`` (of the file).
        """
        unknown = sorted(set(relations) - set(RELATIONS))
        if unknown:
            msg = _("relations {relations!r} are not among {choices}; e.g. "
                    "relations=('exact',).").format(relations=unknown, choices=RELATIONS)
            raise CatalogueError(msg)
        t = self.table
        ahead = t[(t["from_catalogue"] == source_id) & (t["to_catalogue"] == target_id)]
        back = t[(t["from_catalogue"] == target_id) & (t["to_catalogue"] == source_id)]
        back = back.assign(from_code=back["to_code"], to_code=back["from_code"],
                           relation=back["relation"].map(INVERSE))
        out = pd.concat([ahead[list(_PAIR_COLUMNS)], back[list(_PAIR_COLUMNS)]],
                        ignore_index=True)
        keep = out["relation"].isin(list(relations))
        if reviewed_only:
            keep &= out["reviewed"].astype(bool)
        return out[keep].reset_index(drop=True)

    def _catalogue(self, cat: Catalogue) -> Catalogue:
        if cat.catalogue_id not in self.catalogues:
            msg = _("The crosswalk does not link the catalogue {catalogue!r}; it links "
                    "{linked!r}. Fix: load a crosswalk for that catalogue.").format(
                catalogue=cat.catalogue_id, linked=sorted(self.catalogues))
            raise CatalogueError(msg)
        return cat

    def codes_in(self, selectors: Iterable[str], *, source: Catalogue, target: Catalogue,
                 relations: Collection[str] = ("exact", "narrower"),
                 reviewed_only: bool = True) -> frozenset[str]:
        """The entry codes of ``target`` that selectors of ``source`` map to.

        Parameters
        ----------
        selectors
            Codes, headings or stream groups of ``source`` (:meth:`Catalogue.codes_matching`).
        source, target
            Two catalogues of this crosswalk (the same one: its own selection).
        relations
            Which relations of a target code to a selected source code carry the selection
            over. The default, ``exact`` and ``narrower``, keeps target codes that mean the
            same or less, so a "by stream" filter never widens; add ``broader`` or
            ``related`` to see neighbours.
        reviewed_only
            Use only reviewed rows (default); False adds the candidates.

        Returns
        -------
        frozenset of str
            Target entry codes: a row whose target is a heading brings every entry under it.
            A row is used when its source code (or every entry under it) is selected.
        """
        selected = source.codes_matching(selectors)
        if source.catalogue_id == target.catalogue_id:
            return selected
        self._catalogue(source)
        self._catalogue(target)
        rows = self.pairs(source.catalogue_id, target.catalogue_id, relations=relations,
                          reviewed_only=reviewed_only)
        out: set[str] = set()
        for from_code, to_code in zip(rows["from_code"], rows["to_code"], strict=True):
            under = source.codes_matching([from_code])
            if under and under <= selected:
                out |= target.codes_matching([to_code])
        return frozenset(out)

    def matching_links(self, keys: Iterable[str], *, home: str,
                       relations: Collection[str] = ("exact", "broader"),
                       reviewed_only: bool = True) -> pd.DataFrame:
        """Which record keys of another catalogue a have's key may meet, for the matcher.

        Parameters
        ----------
        keys
            Keys of the haves (:func:`record_keys`): a code of ``home``, or
            ``"<catalogue id>:<code>"`` for a code of another catalogue.
        home
            The id of the programme's catalogue, whose codes are keys as they are.
        relations
            Relations of the want's code to the have's that make a match. The default, the
            same waste or a broader one, means the want takes what the have offers.
        reviewed_only
            Use only reviewed rows (default).

        Returns
        -------
        pandas.DataFrame
            ``have_key``, ``want_key``, ``relation``, ``reviewed``, ``source``, ``notes``,
            ``have_catalogue``, ``have_code``, ``want_catalogue``, ``want_code``, ``row`` (of
            the crosswalk file): one row per entry-to-entry link from a given key (heading
            rows are not used for matching).
        """
        wanted = set(keys)
        parts: list[pd.DataFrame] = []
        ids = sorted(self.catalogues)
        for a in ids:
            for b in ids:
                if a == b:
                    continue
                p = self.pairs(a, b, relations=relations, reviewed_only=reviewed_only)
                ca, cb = self.catalogues[a], self.catalogues[b]
                entries = [ca.is_entry(f) and cb.is_entry(t)
                           for f, t in zip(p["from_code"], p["to_code"], strict=True)]
                p = p[pd.Series(entries, index=p.index, dtype=bool)]
                p = p.assign(have_key=_key(p["from_code"], a, home),
                             want_key=_key(p["to_code"], b, home),
                             have_catalogue=a, want_catalogue=b)
                parts.append(p[p["have_key"].isin(wanted)])
        cols = ["have_key", "want_key", "relation", "reviewed", "source", "notes",
                "have_catalogue", "from_code", "want_catalogue", "to_code", "row"]
        out = pd.concat([p[cols] for p in parts], ignore_index=True) if parts else \
            pd.DataFrame(columns=cols)
        return out.rename(columns={"from_code": "have_code", "to_code": "want_code"})


def _key(codes: pd.Series, catalogue_id: str, home: str) -> pd.Series:
    if catalogue_id == home:
        return codes.astype(str)
    return catalogue_id + KEY_SEPARATOR + codes.astype(str)


def record_keys(codes: pd.Series, catalogue_ids: pd.Series | None, *, home: str) -> pd.Series:
    """Codes as matching keys: a code of ``home`` (or of no stated catalogue) as it is, a code
    of another catalogue as ``"<id>:<code>"``, so the two never meet by their digits.

    Missing codes stay missing; index and name are kept.

    Examples
    --------
    >>> record_keys(pd.Series(["160103", "160103", None]),
    ...             pd.Series(["ibama_2012", "", "ibama_2012"]), home="ewc").tolist()
    ['ibama_2012:160103', '160103', None]
    """
    out = codes.astype(object).where(codes.notna(), None)
    if catalogue_ids is None:
        return out
    ids = catalogue_ids.astype(object).where(catalogue_ids.notna(), "").astype(str).str.strip()
    foreign = (ids != "") & (ids != home) & out.notna()
    out[foreign] = ids[foreign] + KEY_SEPARATOR + out[foreign].astype(str)
    return out


def selection_mask(codes: pd.Series, catalogue_ids: pd.Series | None, *,
                   selectors: Iterable[str], source: Catalogue, crosswalk: Crosswalk | None,
                   relations: Collection[str] = ("exact", "narrower"),
                   reviewed_only: bool = True) -> pd.Series:
    """A "by stream" filter over records coded in several catalogues.

    Parameters
    ----------
    codes
        Each record's code, as written in its own catalogue.
    catalogue_ids
        Each record's catalogue id; empty, missing or None: ``source``'s.
    selectors
        Codes, headings or stream groups of ``source``.
    source
        The catalogue the selectors belong to (the programme's).
    crosswalk
        Carries the selection to the other catalogues (:meth:`Crosswalk.codes_in`); without
        one, records of other catalogues are never selected.
    relations, reviewed_only
        As for :meth:`Crosswalk.codes_in`.

    Returns
    -------
    pandas.Series
        Bool, on ``codes``' index.
    """
    items = list(selectors)
    ids = (pd.Series("", index=codes.index) if catalogue_ids is None else
           catalogue_ids.astype(object).where(catalogue_ids.notna(), "").astype(str).str.strip())
    ids = ids.where(ids != "", source.catalogue_id)
    mask = pd.Series(False, index=codes.index)
    for cat_id in ids.unique():
        rows = ids == cat_id
        if cat_id == source.catalogue_id:
            target, chosen = source, source.codes_matching(items)
        elif crosswalk is not None and cat_id in crosswalk.catalogues:
            target = crosswalk.catalogues[cat_id]
            chosen = crosswalk.codes_in(items, source=source, target=target,
                                        relations=relations, reviewed_only=reviewed_only)
        else:
            continue
        mask[rows] = target.normalise_codes(codes[rows]).isin(list(chosen)).to_numpy()
    return mask.astype(bool)


def load_crosswalk(path: Path, catalogues: Iterable[Catalogue]) -> Crosswalk:
    """Read and check a crosswalk file against its catalogues.

    Raises
    ------
    CatalogueError
        A missing or unreadable file, a missing column, or any bad row (all are listed with
        their row numbers).
    """
    path = Path(path)
    return Crosswalk.from_table(read_csv_table(path, N_("crosswalk file")), catalogues,
                                source=path)
