"""Brazil's IBAMA list (Lista Brasileira de Resíduos Sólidos, IN IBAMA nº 13/2012) as a catalogue.

``data/catalogue/ibama_2012.csv`` is the transcription described in
``data/catalogue/ibama_2012.SOURCE.md``, converted by :func:`catalogue_table_from_ibama` into
the catalogue file format (``data/catalogue/README.md``): its chapter and subchapter columns
become heading rows, codes lose their spaces (``01 03 04`` → ``010304``, the EWC's digit form,
so that people may type them either way), and ``code_in_source`` is kept as an extra column.
Nothing else changes: descriptions are verbatim, footnote markers included.

The codes follow the EWC's pattern but not always its meanings (16 01 03 is end-of-life
vehicles here, end-of-life tyres in the EWC): never compare them with EWC codes by their
digits; use a crosswalk (:mod:`geo.catalogue.crosswalk`).

Examples
--------
>>> raw = pd.DataFrame({"code": ["16 01 03"], "hazardous": ["true"],
...     "description_pt_br": ["Veículos em fim de vida"], "chapter": ["16"],
...     "chapter_title_pt_br": ["Resíduos não especificados em outros capítulos desta Lista"],
...     "subchapter": ["16 01"], "subchapter_title_pt_br": ["Veículos em fim de vida (...)"],
...     "code_in_source": ["160103(*)"]})
>>> catalogue_table_from_ibama(raw)[["code", "level", "parent", "hazardous"]].values.tolist()
[['16', 'chapter', '', 'false'], ['1601', 'subchapter', '16', 'false'], \
['160103', 'entry', '1601', 'true']]
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from geo.catalogue.fileformat import CATALOGUE_COLUMNS
from geo.errors import CatalogueError
from geo.settings import DATA_DIR

__all__ = ["IBAMA_PATH", "IBAMA_SOURCE_COLUMNS", "catalogue_table_from_ibama"]

IBAMA_PATH: Final = DATA_DIR / "catalogue" / "ibama_2012.csv"
"""The shipped IBAMA catalogue (load it with ``load_catalogue(IBAMA_PATH)``)."""
IBAMA_SOURCE_COLUMNS: Final = ("code", "hazardous", "description_pt_br", "chapter",
                               "chapter_title_pt_br", "subchapter", "subchapter_title_pt_br",
                               "code_in_source")
"""Columns of the transcription (``../shared/catalogues/ibama_2012.csv``)."""

_PATTERNS: Final = {"code": r"\d\d \d\d \d\d", "chapter": r"\d\d", "subchapter": r"\d\d \d\d",
                    "hazardous": r"true|false"}


def _check(raw: pd.DataFrame) -> None:
    missing = [c for c in IBAMA_SOURCE_COLUMNS if c not in raw.columns]
    if missing:
        msg = (f"IBAMA transcription: missing column(s) {missing!r}; expected "
               f"{list(IBAMA_SOURCE_COLUMNS)!r}. Fix: use the file described in "
               "ibama_2012.SOURCE.md.")
        raise CatalogueError(msg)
    for col, pattern in _PATTERNS.items():
        bad = raw.loc[~raw[col].str.fullmatch(pattern), col]
        if len(bad):
            line = int(bad.index[0]) + 2
            msg = (f"IBAMA transcription line {line}: {col} {bad.iloc[0]!r} does not match "
                   f"{pattern!r}. Fix: correct the transcription.")
            raise CatalogueError(msg)
    nested = (raw["subchapter"].str[:2] == raw["chapter"]) & (
        raw["code"].str[:5] == raw["subchapter"])
    if not nested.all():
        line = int(nested.idxmin()) + 2
        msg = (f"IBAMA transcription line {line}: code {raw.at[nested.idxmin(), 'code']!r} does "
               "not nest under its subchapter and chapter. Fix: correct the transcription.")
        raise CatalogueError(msg)


def catalogue_table_from_ibama(raw: pd.DataFrame) -> pd.DataFrame:
    """Convert the IBAMA transcription to the catalogue file format, headings first.

    Parameters
    ----------
    raw
        The transcription's rows as text (columns :data:`IBAMA_SOURCE_COLUMNS`), one per entry.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~geo.catalogue.fileformat.CATALOGUE_COLUMNS` plus ``code_in_source``
        (empty on heading rows), as text: each chapter, then each of its subchapters followed
        by their entries, in the transcription's order.

    Raises
    ------
    CatalogueError
        A missing column, a code of the wrong shape, or a code outside its own subchapter.
    """
    _check(raw)
    rows: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for r in raw.itertuples(index=False):
        chapter, sub = r.chapter, r.subchapter.replace(" ", "")
        if chapter not in seen:
            seen.add(chapter)
            rows.append((chapter, "chapter", "", r.chapter_title_pt_br, "false", ""))
        if sub not in seen:
            seen.add(sub)
            rows.append((sub, "subchapter", chapter, r.subchapter_title_pt_br, "false", ""))
        rows.append((r.code.replace(" ", ""), "entry", sub, r.description_pt_br, r.hazardous,
                     r.code_in_source))
    return pd.DataFrame(rows, columns=[*CATALOGUE_COLUMNS, "code_in_source"])
