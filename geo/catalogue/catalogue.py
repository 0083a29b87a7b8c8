"""The waste catalogue: codes, chapters, hazardous marks and named stream groups.

Every capability that filters "by stream" goes through a :class:`Catalogue`. The default one is
the European Waste Catalogue (List of Waste, Commission Decision 2000/532/EC as amended by
2014/955/EU) shipped in ``data/catalogue/ewc.csv``; ``SYMBIOMAP_CATALOGUE`` (see
:mod:`geo.settings`) points at another file of the same shape, such as Brazil's IBAMA list
(``data/catalogue/ibama_2012.csv``) or a Chinese programme's National Catalogue of Hazardous
Wastes converted by :mod:`geo.catalogue.china`. ``data/catalogue/README.md`` describes the file
format. A description file ``NAME.meta.json`` beside a catalogue gives its id, edition, status
and the notice the app shows with it (:attr:`Catalogue.info`, :mod:`geo.catalogue.info`).

Two kinds of catalogue are told apart on load:

- *EWC-shaped*: every code is digits only, 2 for a chapter, 4 for a subchapter, 6 for an entry.
  User input is normalised by form: ``"01 03 04*"``, ``"01.03.04"``, ``10304`` (a number that lost
  its leading zero) and ``10304.0`` all become ``"010304"``; anything else becomes ``None``.
- *Opaque*: any other catalogue. Codes are compared as written, after trimming and collapsing
  white space, case-insensitively; an entry may also be given by its last word when that word is
  unique (``"999-001-98"`` for ``"HW98 999-001-98"``).

Scalar look-ups (:meth:`Catalogue.describe`, :meth:`Catalogue.is_hazardous`, ...) raise
:class:`~geo.errors.CatalogueError` for a code that is not in the catalogue; the vectorised ones
(:meth:`Catalogue.normalise_codes`, :meth:`Catalogue.entry_mask`, :meth:`Catalogue.hazardous`)
never raise on bad input, so a column typed by people can be checked in one call.

Examples
--------
>>> cat = load_catalogue()
>>> cat.normalise_code("01 03 04*"), cat.is_hazardous("130205"), cat.describe(200301)
('010304', True, 'mixed municipal waste')
>>> sorted(cat.codes_matching(["0203"]))[:2]
['020301', '020302']
"""

from __future__ import annotations

import difflib
import functools
import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.catalogue.fileformat import (
    CATALOGUE_COLUMNS,
    LEVELS,
    STREAM_COLUMNS,
    collapse_text,
    normalise_ewc_code,
    read_csv_table,
    strip_ewc_separators,
    validate_catalogue_table,
    validate_stream_table,
)
from geo.catalogue.info import CatalogueInfo, read_catalogue_info
from geo.errors import CatalogueError
from geo.i18n import N_, _
from geo.settings import get_settings

if TYPE_CHECKING:
    from geo.catalogue.crosswalk import Crosswalk

__all__ = ["CATALOGUE_COLUMNS", "LEVELS", "STREAM_COLUMNS", "Catalogue", "load_catalogue"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """A validated waste catalogue and its stream groups; build it with :func:`load_catalogue`.

    Parameters
    ----------
    table
        One row per code with the columns of :data:`CATALOGUE_COLUMNS` (strings; ``hazardous``
        as ``true``/``false``), in file order. Validated on construction, then kept with
        ``hazardous`` as bool and ``chapter``/``subchapter`` columns added.
    streams
        Stream groups with the columns of :data:`STREAM_COLUMNS`; may be empty.
    source
        Where ``table`` was read from, used in error messages.
    streams_source
        Where ``streams`` was read from, used in error messages.
    meta
        The catalogue's description (:attr:`info`); default one with status ``unknown`` named
        after ``source``. Counts it states are checked against ``table``.
    """

    table: pd.DataFrame = field(repr=False)
    streams: pd.DataFrame = field(repr=False)
    source: Path | None = None
    streams_source: Path | None = None
    meta: InitVar[CatalogueInfo | None] = None
    ewc_shaped: bool = field(init=False)
    _info: CatalogueInfo = field(init=False, repr=False)
    _level: dict[str, str] = field(init=False, repr=False)
    _description: dict[str, str] = field(init=False, repr=False)
    _chapter: dict[str, str] = field(init=False, repr=False)
    _under: dict[str, frozenset[str]] = field(init=False, repr=False)
    _entries: frozenset[str] = field(init=False, repr=False)
    _hazardous: frozenset[str] = field(init=False, repr=False)
    _lookup: dict[str, str] = field(init=False, repr=False)
    _groups: dict[str, tuple[str, frozenset[str]]] = field(init=False, repr=False)

    def __post_init__(self, meta: CatalogueInfo | None) -> None:
        table = validate_catalogue_table(self.table, self.source)
        if meta is None:
            meta = read_catalogue_info(self.source) if self.source else CatalogueInfo(
                "catalogue", "catalogue table", notice="A catalogue built in memory.")
        levels = table["level"].value_counts()
        meta.check_counts({"chapters": int(levels.get("chapter", 0)),
                           "subchapters": int(levels.get("subchapter", 0)),
                           "entries": int(levels.get("entry", 0)),
                           "hazardous_entries": int(table["hazardous"].sum())},
                          catalogue_name=self._name())
        codes = table["code"].tolist()
        ewc = all(c.isascii() and c.isdigit() for c in codes)
        under: dict[str, set[str]] = {c: set() for c in codes}
        for code, chapter, sub in zip(codes, table["chapter"], table["subchapter"], strict=True):
            if table.at[code, "level"] == "entry":
                for key in (code, chapter, sub):
                    if key:
                        under[key].add(code)
        lookup: dict[str, str] = {}
        if not ewc:
            last: dict[str, list[str]] = {}
            for code in codes:
                last.setdefault(code.split()[-1].casefold(), []).append(code)
            lookup = {k: v[0] for k, v in last.items() if len(v) == 1}
            lookup.update({code.casefold(): code for code in codes})
        set_ = object.__setattr__
        set_(self, "table", table.reset_index(drop=True))
        set_(self, "ewc_shaped", ewc)
        set_(self, "_info", meta)
        set_(self, "_level", dict(zip(codes, table["level"], strict=True)))
        set_(self, "_description", dict(zip(codes, table["description"], strict=True)))
        set_(self, "_chapter", dict(zip(codes, table["chapter"], strict=True)))
        set_(self, "_under", {k: frozenset(v) for k, v in under.items()})
        set_(self, "_entries", frozenset(table.index[table["level"] == "entry"]))
        set_(self, "_hazardous", frozenset(table.index[table["hazardous"]]))
        set_(self, "_lookup", lookup)
        set_(self, "streams", validate_stream_table(
            self.streams, codes=self._level.keys(), pattern_codes=self._pattern_codes,
            catalogue_name=self._name(), source=self.streams_source))
        groups: dict[str, tuple[str, frozenset[str]]] = {}
        for slug, rows in self.streams.groupby("group", sort=False):
            matched = frozenset().union(*(self._pattern_codes(p) for p in rows["pattern"]))
            groups[str(slug)] = (str(rows["label"].iloc[0]), matched)
        set_(self, "_groups", groups)

    # -- identity --------------------------------------------------------------------------------

    @property
    def info(self) -> CatalogueInfo:
        """What this catalogue is: id, names, edition, validity, status, notice, licence."""
        return self._info

    @property
    def catalogue_id(self) -> str:
        """The catalogue's short id (``"ewc"``, ``"ibama_2012"``), as crosswalks name it."""
        return self._info.catalogue_id

    # -- normalisation -------------------------------------------------------------------------

    def normalise_code(self, code: object) -> str | None:
        """Return the catalogue form of one code as typed by a person, or None if it has none.

        For an EWC-shaped catalogue only the form is fixed (``"01 03 04*"`` → ``"010304"``,
        ``10304`` → ``"010304"``); whether the code exists is :meth:`is_entry`'s question. For an
        opaque catalogue white space is collapsed and a known code is matched case-insensitively
        or by its unique last word; an unknown text is returned collapsed.
        """
        if self.ewc_shaped:
            return normalise_ewc_code(code)
        text = collapse_text(code)
        if text is None:
            return None
        return self._lookup.get(text.casefold(), text)

    def normalise_codes(self, s: pd.Series) -> pd.Series:
        """Vectorised :meth:`normalise_code`: same index and name, object dtype, None if invalid."""
        return self._map_unique(s, self._normaliser(), None)

    def format_code(self, code: object) -> str:
        """Return a known code as printed in the legal list (``"01 03 04*"`` for EWC entries,
        ``"01 03 04(*)"`` in IBAMA's: the mark is :attr:`CatalogueInfo.hazard_mark`)."""
        key = self._known(code)
        if not self.ewc_shaped:
            return key
        spaced = " ".join(key[i : i + 2] for i in range(0, len(key), 2))
        return spaced + (self._info.hazard_mark if key in self._hazardous else "")

    # -- membership and look-ups -----------------------------------------------------------------

    def is_entry(self, code: object) -> bool:
        """Whether ``code`` is an entry (a 6-digit code in the EWC) of this catalogue."""
        return self.normalise_code(code) in self._entries

    def has_code(self, code: object) -> bool:
        """Whether ``code`` is a chapter, subchapter or entry of this catalogue."""
        return self.normalise_code(code) in self._level

    def level_of(self, code: object) -> str:
        """Return ``chapter``, ``subchapter`` or ``entry`` for a known code."""
        return self._level[self._known(code)]

    def entry_mask(self, s: pd.Series) -> pd.Series:
        """Vectorised :meth:`is_entry`: a bool Series on the same index, False for bad input."""
        entries, norm = self._entries, self._normaliser()
        return self._map_unique(s, lambda v: norm(v) in entries, False).astype(bool)

    def is_hazardous(self, code: object) -> bool:
        """Whether a known code is marked hazardous (an asterisk in the EWC); chapters are not."""
        return self._known(code) in self._hazardous

    def hazardous(self, s: pd.Series) -> pd.Series:
        """Vectorised :meth:`is_hazardous`: bool Series, False for unknown codes (pair with
        :meth:`entry_mask` to tell unknown from non-hazardous)."""
        haz, norm = self._hazardous, self._normaliser()
        return self._map_unique(s, lambda v: norm(v) in haz, False).astype(bool)

    def describe(self, code: object) -> str:
        """Return the legal description of a known chapter, subchapter or entry code."""
        return self._description[self._known(code)]

    def chapter_of(self, code: object) -> str:
        """Return the chapter code a known code belongs to (a chapter belongs to itself)."""
        return self._chapter[self._known(code)]

    def chapter_label(self, chapter: object) -> str:
        """Return ``"<code> <title>"`` for a chapter, for legends and pick-lists."""
        key = self._known(chapter)
        if self._level[key] != "chapter":
            msg = _("Expected a chapter code, got {code!r} (a {level}); use "
                    "chapter_label(chapter_of({code!r})) = {chapter!r}.").format(
                code=chapter, level=self._level[key], chapter=self._chapter[key])
            raise CatalogueError(msg)
        return f"{key} {self._description[key]}"

    def chapters(self) -> pd.DataFrame:
        """Return the chapters in catalogue order: columns ``code``, ``description``."""
        rows = self.table[self.table["level"] == "chapter"]
        return rows[["code", "description"]].reset_index(drop=True)

    @property
    def entries(self) -> pd.DataFrame:
        """Entries (codes that resources are coded with) in catalogue order: columns ``code``,
        ``chapter``, ``subchapter`` (empty for a two-level catalogue), ``description``,
        ``hazardous`` (bool). A new frame on every call."""
        rows = self.table[self.table["level"] == "entry"]
        cols = ["code", "chapter", "subchapter", "description", "hazardous"]
        return rows[cols].reset_index(drop=True)

    # -- selection by stream ---------------------------------------------------------------------

    def codes_matching(self, selectors: Iterable[str]) -> frozenset[str]:
        """Return the entry codes selected by chapters, subchapters, entries or stream groups.

        Parameters
        ----------
        selectors
            Entry codes (``"150102"``), chapters (``"02"``), subchapters (``"0203"``) or stream
            group slugs (``"plastics"``), in any mix; the union is returned. A single string is
            taken as one selector. No selector selects nothing.

        Raises
        ------
        CatalogueError
            For any unknown selector, naming close matches.
        """
        items = [selectors] if isinstance(selectors, str) else list(selectors)
        matched: set[str] = set()
        unknown: list[str] = []
        for sel in items:
            slug = str(sel).strip().casefold()
            if slug in self._groups:
                matched |= self._groups[slug][1]
                continue
            key = self.normalise_code(sel)
            if key is not None and key in self._under:
                matched |= self._under[key]
            else:
                unknown.append(str(sel))
        if unknown:
            raise CatalogueError(self._unknown_selector_message(unknown))
        return frozenset(matched)

    def codes_in(
        self,
        target: Catalogue,
        selectors: Iterable[str],
        *,
        crosswalk: Crosswalk,
        relations: Collection[str] = ("exact", "narrower"),
        reviewed_only: bool = True,
    ) -> frozenset[str]:
        """Return the entry codes of another catalogue that selectors of this one map to.

        The selectors are resolved here (:meth:`codes_matching`: codes, headings, stream
        groups), then translated row by row through ``crosswalk``, never by their digits.
        See :meth:`geo.catalogue.crosswalk.Crosswalk.codes_in` for ``relations`` (by default
        the target codes that mean the same or less, so a "by stream" filter does not widen)
        and ``reviewed_only``. With ``target`` this catalogue it is :meth:`codes_matching`.
        """
        return crosswalk.codes_in(selectors, source=self, target=target, relations=relations,
                                  reviewed_only=reviewed_only)

    def groups_of(self, code: object) -> list[str]:
        """Return the stream groups (file order) that contain every entry under a known code."""
        under = self._under[self._known(code)]
        return [g for g, (_, codes) in self._groups.items() if under and under <= codes]

    def groups(self) -> pd.DataFrame:
        """Return the stream groups in file order: columns ``group``, ``label``, ``n_codes``."""
        rows = [(g, label, len(codes)) for g, (label, codes) in self._groups.items()]
        return pd.DataFrame(rows, columns=["group", "label", "n_codes"])

    def search(
        self, text: str, limit: int | None = 20, *, levels: Iterable[str] = ("entry",)
    ) -> pd.DataFrame:
        """Find codes for a pick-list by case-insensitive substring of code or description.

        Parameters
        ----------
        text
            What the user typed; for EWC codes spaces and asterisks are ignored (``"01 03"``).
            Empty text lists everything.
        limit
            Most rows returned; None for all.
        levels
            Which levels to search (default entries only).

        Returns
        -------
        pandas.DataFrame
            Columns ``code``, ``level``, ``description``, ``hazardous``: codes starting with the
            text first, then other matches, each in catalogue order.
        """
        wanted = set(levels)
        if bad := wanted - set(LEVELS):
            msg = _("levels must be among {choices}, got {levels!r}; e.g. "
                    "levels=('entry',).").format(choices=LEVELS, levels=sorted(bad))
            raise CatalogueError(msg)
        rows = self.table[self.table["level"].isin(wanted)]
        needle = " ".join(str(text).split()).casefold()
        code_needle = strip_ewc_separators(needle) if self.ewc_shaped else needle
        codes = rows["code"].str.casefold()
        starts = codes.str.startswith(code_needle) if code_needle else codes.str.len() >= 0
        hit = starts | codes.str.contains(needle, regex=False)
        hit |= rows["description"].str.casefold().str.contains(needle, regex=False)
        order = np.lexsort((np.arange(len(rows)), ~starts.to_numpy()))
        found = rows.iloc[order][hit.to_numpy()[order]]
        cols = ["code", "level", "description", "hazardous"]
        return found[cols].head(limit if limit is not None else len(found)).reset_index(drop=True)

    # -- helpers ---------------------------------------------------------------------------------

    def _known(self, code: object) -> str:
        key = self.normalise_code(code)
        if key is not None and key in self._level:
            return key
        close = self._close_matches(str(key or code), list(self._level))
        example = "'150102'" if self.ewc_shaped else repr(next(iter(self._entries), ""))
        if close:
            # Translators: {catalogue} names the catalogue, e.g. "the catalogue 'ewc.csv'".
            msg = _("Unknown waste code {code!r}: expected a code of {catalogue} such as "
                    "{example}; close matches: {close}. Fix: correct the code, or look it up by "
                    "words in the catalogue (Browse page, or "
                    "geo.catalogue.load_catalogue().search(text)).")
        else:
            msg = _("Unknown waste code {code!r}: expected a code of {catalogue} such as "
                    "{example}. Fix: correct the code, or look it up by words in the catalogue "
                    "(Browse page, or geo.catalogue.load_catalogue().search(text)).")
        msg = msg.format(code=code, catalogue=self._name(), example=example,
                         close=", ".join(map(repr, close)))
        raise CatalogueError(msg)

    def _name(self) -> str:
        # The file's name, not its server path: messages are shown to users.
        return (_("the catalogue {file!r}").format(file=self.source.name) if self.source
                else _("the catalogue"))

    def _unknown_selector_message(self, unknown: list[str]) -> str:
        candidates = list(self._groups) + list(self._level)
        hints = []
        for sel in unknown:
            probe = (normalise_ewc_code(sel) if self.ewc_shaped else None) or sel.strip().casefold()
            close = self._close_matches(probe, candidates)
            hints.append(_("{selector!r} (close matches: {close})").format(
                selector=sel, close=", ".join(map(repr, close)) or _("none")))
        groups = ", ".join(self._groups) or _("none defined")
        return _("Unknown waste selector(s) {hints}: expected an entry code (e.g. '150102'), a "
                 "chapter ('02'), a subchapter ('0203') or a stream group ({groups}) of "
                 "{catalogue}. Fix: use one of those (a code may be written with spaces, e.g. "
                 "'15 01 02').").format(hints="; ".join(hints), groups=groups,
                                        catalogue=self._name())

    def _normaliser(self) -> Callable[[object], str | None]:
        return normalise_ewc_code if self.ewc_shaped else self.normalise_code

    def _close_matches(self, probe: str, candidates: list[str]) -> list[str]:
        """Up to five candidates like ``probe``: for EWC digits, same-length codes sharing the
        longest prefix (``'0299'`` → ``'0201'``, ...); otherwise by :mod:`difflib` similarity."""
        if self.ewc_shaped and probe.isdigit():
            same = [c for c in candidates if len(c) == len(probe) and c.isdigit()]
            for k in range(len(probe) - 1, 0, -1):
                near = [c for c in same if c[:k] == probe[:k]]
                if near:
                    return near[:5]
        return difflib.get_close_matches(probe, candidates, n=5, cutoff=0.6)

    def _pattern_codes(self, pattern: str) -> frozenset[str]:
        key = self.normalise_code(pattern)
        if key is not None and key in self._under:
            return self._under[key]
        prefix = key if key is not None else pattern
        return frozenset(c for c in self._entries if c.startswith(prefix))

    @staticmethod
    def _map_unique(s: pd.Series, func: Callable[[object], object], missing: object) -> pd.Series:
        """Apply ``func`` once per distinct value of ``s`` and broadcast (index preserved)."""
        series = s if isinstance(s, pd.Series) else pd.Series(s)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = np.empty(len(uniques) + 1, dtype=object)
        values[:-1] = [func(u) for u in uniques]
        values[-1] = missing
        return pd.Series(values[codes], index=series.index, name=series.name, dtype=object)


_Stamp = tuple[int, int] | None


def _stamp(path: Path | None) -> _Stamp:
    if path is None or not path.is_file():
        return None
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _load_cached(
    path: Path,
    streams_path: Path | None,
    _stamps: tuple[_Stamp, _Stamp, _Stamp],
) -> Catalogue:
    table = read_csv_table(path, N_("catalogue file"))
    info = read_catalogue_info(path)
    streams = (read_csv_table(streams_path, N_("stream groups file")) if streams_path
               else pd.DataFrame())
    cat = Catalogue(table, streams, source=path, streams_source=streams_path, meta=info)
    logger.debug("loaded %s: %d entries, %d groups", path, len(cat._entries), len(cat._groups))
    return cat


def load_catalogue(path: Path | None = None, *, streams_path: Path | None = None) -> Catalogue:
    """Load, validate and cache a waste catalogue and its stream groups.

    Parameters
    ----------
    path
        Catalogue CSV (columns :data:`CATALOGUE_COLUMNS`); default
        ``get_settings().catalogue_path`` (``SYMBIOMAP_CATALOGUE``, else the shipped EWC).
    streams_path
        Stream-groups CSV (columns :data:`STREAM_COLUMNS`); default the ``streams_file``
        named in the catalogue's description ``<name>.meta.json`` (null: no groups), else
        ``<name>.streams.csv`` beside the catalogue, else ``streams.csv`` beside it, else none.

    Returns
    -------
    Catalogue
        Cached per path and file modification time: do not mutate its frames.

    Raises
    ------
    CatalogueError
        When a file is missing or malformed; the message names the line and the fix.
    """
    cat_path = Path(path if path is not None else get_settings().catalogue_path)
    cat_path = cat_path.expanduser().resolve()
    info = read_catalogue_info(cat_path)
    if streams_path is None and info.streams_declared:
        streams_path = cat_path.with_name(info.streams_file) if info.streams_file else None
    elif streams_path is None:
        for candidate in (
            cat_path.with_name(cat_path.stem + ".streams.csv"),
            cat_path.with_name("streams.csv"),
        ):
            if candidate.is_file():
                streams_path = candidate
                break
    streams = Path(streams_path).expanduser().resolve() if streams_path is not None else None
    meta_stamp = _stamp(info.path)
    return _load_cached(cat_path, streams, (_stamp(cat_path), _stamp(streams), meta_stamp))
