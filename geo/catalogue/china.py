"""China's National Catalogue of Hazardous Wastes (国家危险废物名录) read from the official table.

No machine-readable copy of the list ships with SymbioMap, and none is written from memory:
a Chinese programme supplies the table of the edition it works under (CSV or ``.xlsx``, as
converted from the list published by the Ministry of Ecology and Environment), with the
official columns :data:`CHINA_HEADERS`:

- 废物类别 (``category``): ``HWnn`` followed by the category's name as listed;
- 行业来源 (``industry_source``): not empty;
- 废物代码 (``code``): ``NNN-NNN-NN``, unique, its last two digits the category's number;
- 危险废物 (``description``): not empty;
- 危险特性 (``hazard``): one or more of T, C, I, R, In (``T/C``, ``T,I``).

English headers (the field names, e.g. ``industry source``) are accepted too. Category and
industry-source cells that the official table merges over several rows may be empty below
their first row: they are carried down (an industry source only within its category).
Full-width digits and dashes are read as ASCII. Rows repeating the header (page breaks of a
converted PDF) and blank rows are skipped.

:func:`read_china_hw_list` checks every row like an import and returns a
:class:`ChinaListReport`: bad rows are reported with their file row, column, value and reason
and kept (:meth:`ChinaListReport.write_rejects`); a list with any bad row is refused as a
whole until they are corrected. A good list keeps its edition and validity dates and is
written as a catalogue file pair (:meth:`ChinaListReport.write`) that
:func:`~geo.catalogue.load_catalogue` and ``SYMBIOMAP_CATALOGUE`` take. Entries are coded
``HWnn NNN-NNN-NN`` under the chapter ``HWnn`` (``data/catalogue/README.md``); members may
write the official ``NNN-NNN-NN`` alone.

Examples
--------
>>> import io
>>> table = ("废物类别,行业来源,废物代码,危险废物,危险特性\\n"
...          "HW98 虚构类别（测试用）,虚构行业,999-001-98,虚构废物甲（非名录内容）,T/In\\n"
...          ",,999-002-98,虚构废物乙（非名录内容）,C\\n")
>>> report = read_china_hw_list(io.BytesIO(table.encode()), filename="fictitious.csv",
...                             edition="虚构 2099", valid_from="2099-01-01")
>>> report.ok, report.entries["code"].tolist(), report.entries["hazard"].tolist()
(True, ['999-001-98', '999-002-98'], ['T/In', 'C'])
>>> report.catalogue().normalise_code("999-002-98")
'HW98 999-002-98'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import pandas as pd

from geo.catalogue.china_rows import CHINA_FIELDS, check_rows
from geo.catalogue.fileformat import CATALOGUE_COLUMNS, write_catalogue_csv
from geo.catalogue.info import CatalogueInfo, slug_id
from geo.errors import CatalogueError, ImportFileError, UploadError
from geo.i18n import _, format_number, ngettext

if TYPE_CHECKING:
    from geo.catalogue.catalogue import Catalogue
    from geo.uploads import UploadLimits

__all__ = ["CHINA_HEADERS", "HAZARD_CHARACTERISTICS", "ChinaListReport", "read_china_hw_list"]

CHINA_HEADERS: Final = {"category": "废物类别", "industry_source": "行业来源", "code": "废物代码",
                        "description": "危险废物", "hazard": "危险特性"}
"""Field → the official column heading."""
HAZARD_CHARACTERISTICS: Final = {"T": "toxicity (毒性)", "C": "corrosivity (腐蚀性)",
                                 "I": "ignitability (易燃性)", "R": "reactivity (反应性)",
                                 "In": "infectivity (感染性)"}
"""The hazard characteristics a row may carry, with their meanings."""

_HEADER_ALIASES: Final = {
    **{h: f for f, h in CHINA_HEADERS.items()},
    "category": "category", "industrysource": "industry_source", "code": "code",
    "description": "description", "hazard": "hazard",
}


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text)).casefold()


def _date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        # Translators: {name} is a parameter name: valid_from or valid_until.
        msg = _("{name} {value!r} is not a date; expected YYYY-MM-DD, e.g. '2025-01-01' (the "
                "date the edition came into force). Fix: correct the date.").format(
            name=name, value=value)
        raise CatalogueError(msg) from None


@dataclass(frozen=True, eq=False)
class ChinaListReport:
    """What reading a supplied National Catalogue of Hazardous Wastes found, row by row.

    Attributes
    ----------
    file_name, sha256
        The file read and the SHA-256 of its bytes.
    edition, valid_from, valid_until
        The edition (e.g. ``"2025年版"``) and the dates it is in force (``valid_until`` None:
        still in force), as given by the programme.
    catalogue_id
        Id of the catalogue it makes (default ``china_hw_<edition digits>``).
    rows
        Data rows read (blank rows and repeated header rows not counted).
    entries
        The good rows: ``row``, ``category`` (``HWnn``), ``category_name``,
        ``industry_source``, ``code`` (``NNN-NNN-NN``), ``description``, ``hazard``
        (``T/C``…).
    errors
        One row per refused cell: ``row`` (file row, header = 1), ``column`` (as headed in
        the file), ``field``, ``value`` (as written) and ``message``.
    rejects
        The refused rows as written plus ``_row`` and ``_errors``: correct them in the list
        and read the whole list again.
    columns
        Field → header it was read from; ``ignored_columns`` match no field.
    repeated_headers
        Rows that repeated the header and were skipped.
    """

    file_name: str
    sha256: str
    edition: str
    valid_from: dt.date
    valid_until: dt.date | None
    catalogue_id: str
    rows: int
    entries: pd.DataFrame = field(repr=False)
    errors: pd.DataFrame = field(repr=False)
    rejects: pd.DataFrame = field(repr=False)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()
    repeated_headers: int = 0

    @property
    def ok(self) -> bool:
        """True when every row passed and there is at least one entry."""
        return self.errors.empty and not self.entries.empty

    def _require_ok(self) -> None:
        if self.ok:
            return
        if self.errors.empty:
            msg = _("{file!r} has no entry rows; expected the rows of the official list under "
                    "its header. Fix: check that the right sheet or file was given.").format(
                file=self.file_name)
            raise CatalogueError(msg)
        # Translators: one bad row: its number, the column, the value as written, the reason.
        each = _("row {row}, {column} {value!r}: {message}")
        shown = "; ".join(each.format(row=e.row, column=e.column or e.field, value=e.value,
                                      message=e.message)
                          for e in self.errors.head(10).itertuples(index=False))
        extra = len(self.errors) - 10
        if extra > 0:
            shown += ngettext("; … and {n} more", "; … and {n} more", extra).format(n=extra)
        msg = ngettext("{file!r} refused: {bad} of {n} row has problems — {problems}. Fix: "
                       "correct those rows in the list (write_rejects saves them with their "
                       "reasons) and read the whole list again.",
                       "{file!r} refused: {bad} of {n} rows have problems — {problems}. Fix: "
                       "correct those rows in the list (write_rejects saves them with their "
                       "reasons) and read the whole list again.", self.rows).format(
            file=self.file_name, bad=format_number(len(self.rejects)),
            n=format_number(self.rows), problems=shown)
        raise CatalogueError(msg)

    def info(self) -> CatalogueInfo:
        """The description of the catalogue this list makes (edition, validity, notice)."""
        self._require_ok()
        categories = self.entries["category"].nunique()
        until = f" until {self.valid_until}" if self.valid_until else ""
        return CatalogueInfo(
            catalogue_id=self.catalogue_id,
            name="国家危险废物名录 (National Catalogue of Hazardous Wastes)",
            short_name=f"名录 {self.edition}", version=self.edition, edition=self.edition,
            valid_from=self.valid_from, valid_until=self.valid_until, language="zh-CN",
            status="supplied",
            notice=(f"Read from the table the programme supplied ({self.file_name}, SHA-256 "
                    f"{self.sha256[:12]}…), edition {self.edition}, in force from "
                    f"{self.valid_from}{until}. Every row passed SymbioMap's format checks; "
                    "SymbioMap did not compare it with the list as published by the Ministry "
                    "of Ecology and Environment."),
            legal_source=(f"国家危险废物名录 (National Catalogue of Hazardous Wastes), "
                          f"{self.edition}, Ministry of Ecology and Environment of the People's "
                          "Republic of China",),
            source_note=(f"Converted by geo.catalogue.china from {self.file_name} (SHA-256 "
                         f"{self.sha256}); categories (HWnn) became chapters, each waste code "
                         "an entry 'HWnn NNN-NNN-NN' under its category; industry source and "
                         "hazard characteristics kept as extra columns."),
            licence=("Supplied by the programme from the official list; SymbioMap did not "
                     "assess its reuse terms."),
            counts={"chapters": int(categories), "subchapters": 0,
                    "entries": len(self.entries), "hazardous_entries": len(self.entries)},
            streams_file=None, streams_declared=True, hazard_mark="",
        )

    def catalogue_table(self) -> pd.DataFrame:
        """The list in the catalogue file format: one chapter per HW category, then entries.

        Extra columns ``official_code``, ``industry_source`` and ``hazard`` keep what the
        format has no column for.

        Raises
        ------
        CatalogueError
            When the list was refused (bad rows, or no entries).
        """
        self._require_ok()
        rows: list[tuple[str, ...]] = []
        for (cat, name), group in self.entries.groupby(["category", "category_name"],
                                                      sort=False):
            rows.append((str(cat), "chapter", "", str(name), "false", "", "", ""))
            rows.extend((f"{cat} {g.code}", "entry", str(cat), g.description, "true", g.code,
                         g.industry_source, g.hazard) for g in group.itertuples(index=False))
        cols = [*CATALOGUE_COLUMNS, "official_code", "industry_source", "hazard"]
        return pd.DataFrame(rows, columns=cols)

    def catalogue(self) -> Catalogue:
        """The list as a :class:`~geo.catalogue.Catalogue` in memory (no stream groups)."""
        from geo.catalogue.catalogue import Catalogue

        return Catalogue(self.catalogue_table(), pd.DataFrame(), meta=self.info())

    def write(self, folder: Path) -> Path:
        """Write ``<catalogue_id>.csv`` and its description ``<catalogue_id>.meta.json``.

        Returns
        -------
        Path
            The catalogue CSV: point ``SYMBIOMAP_CATALOGUE`` at it, or give it to
            :func:`~geo.catalogue.load_catalogue`.

        Raises
        ------
        CatalogueError
            When the list was refused.
        """
        table, info = self.catalogue_table(), self.info()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.catalogue_id}.csv"
        meta: dict[str, Any] = {
            **info.to_dict(), "file": path.name, "source_file": self.file_name,
            "source_sha256": self.sha256, "hazard_characteristics": HAZARD_CHARACTERISTICS,
            "columns": {
                "code": "'HWnn NNN-NNN-NN' for an entry, 'HWnn' for a category.",
                "level": "chapter (a category) or entry.",
                "parent": "The category of an entry, empty for a category.",
                "description": "危险废物 / the category name, as supplied.",
                "hazardous": "true for every entry (all are hazardous wastes).",
                "official_code": "废物代码 as in the list, NNN-NNN-NN.",
                "industry_source": "行业来源 as in the list.",
                "hazard": "危险特性: T, C, I, R and/or In, joined by '/'.",
            },
        }
        write_catalogue_csv(table, path)
        meta_path = path.with_name(f"{self.catalogue_id}.meta.json")
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
        return path

    def write_rejects(self, path: Path) -> Path:
        """Write the refused rows (as written, plus ``_row`` and ``_errors``) as UTF-8 CSV."""
        from geo.export import neutralise_formulas

        out = Path(path)
        data = neutralise_formulas(self.rejects.reset_index(drop=True))
        data.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (without the frames' rows beyond the errors)."""
        return {"file": self.file_name, "sha256": self.sha256, "edition": self.edition,
                "valid_from": self.valid_from.isoformat(),
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "catalogue_id": self.catalogue_id, "rows": self.rows,
                "entries": len(self.entries), "rejected": len(self.rejects),
                "errors": self.errors.to_dict("records"), "columns": self.columns,
                "ignored_columns": list(self.ignored_columns),
                "repeated_headers": self.repeated_headers}


def _read(source: str | Path | IO[bytes], filename: str | None,
          limits: UploadLimits | None) -> tuple[pd.DataFrame, str, str]:
    # Lazy: the importer package pulls in the store; the catalogue must stay light.
    from geo.importer.read import read_table, source_bytes
    from geo.uploads import TABLE_KINDS, check_upload

    try:
        data, name = source_bytes(source, filename)
        check_upload(data, name=name, accept=TABLE_KINDS, limits=limits)
        frame = read_table(io.BytesIO(data), filename=name)
    except (ImportFileError, UploadError) as exc:
        raise CatalogueError(str(exc)) from exc
    return frame, name, hashlib.sha256(data).hexdigest()


def read_china_hw_list(
    source: str | Path | IO[bytes],
    *,
    edition: str,
    valid_from: dt.date | str,
    valid_until: dt.date | str | None = None,
    filename: str | None = None,
    catalogue_id: str | None = None,
    limits: UploadLimits | None = None,
) -> ChinaListReport:
    """Read and check the official table of China's National Catalogue of Hazardous Wastes.

    Parameters
    ----------
    source
        A CSV (UTF-8, GB18030 …) or ``.xlsx`` file: a path or an open binary file (upload).
        Its content is checked by :func:`geo.uploads.check_upload` before it is parsed.
    edition
        The edition, as the programme names it (``"2025年版"``).
    valid_from, valid_until
        The date the edition came into force, and the date it ceased to be (None: in force).
    filename
        The name for messages (default the path's or upload's).
    catalogue_id
        Id of the catalogue (default ``china_hw_`` + the edition's digits and letters).
    limits
        Upload limits (default :class:`geo.uploads.UploadLimits`).

    Returns
    -------
    ChinaListReport
        Every row's verdict; :attr:`ChinaListReport.ok` says whether the list can be used.

    Raises
    ------
    CatalogueError
        A file that is not a readable table, a missing column, an empty edition or a bad
        date (problems of single rows are reported, not raised).
    """
    edition = " ".join(str(edition).split())
    if not edition:
        msg = _("The edition of the list is empty; expected how the programme names it, e.g. "
                "'2025年版'. Fix: give edition=.")
        raise CatalogueError(msg)
    start = _date(valid_from, "valid_from")
    if start is None:
        msg = _("valid_from is empty; expected the date the edition came into force "
                "(YYYY-MM-DD).")
        raise CatalogueError(msg)
    end = _date(valid_until, "valid_until")
    if end is not None and end < start:
        msg = _("valid_until {end} is before valid_from {start}. Fix: swap or correct the "
                "dates.").format(end=end, start=start)
        raise CatalogueError(msg)
    frame, name, sha = _read(source, filename, limits)
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for header in frame.columns:
        f = _HEADER_ALIASES.get(_header_key(str(header)))
        if f is None or f in columns:
            ignored.append(str(header))
        else:
            columns[f] = str(header)
    missing = [CHINA_HEADERS[f] for f in CHINA_FIELDS if f not in columns]
    if missing:
        msg = _("{file!r}: missing column(s) {missing!r}; expected the official headings "
                "{expected!r} (or {fields!r}), found {found!r}. Fix: rename the headings in the "
                "first row.").format(file=name, missing=missing,
                                     expected=list(CHINA_HEADERS.values()),
                                     fields=list(CHINA_FIELDS), found=list(map(str, frame.columns)))
        raise CatalogueError(msg)
    cells = pd.DataFrame({f: frame[columns[f]].astype(str) for f in CHINA_FIELDS},
                         index=frame.index)
    is_header = pd.Series(True, index=frame.index)
    for f in CHINA_FIELDS:
        is_header &= cells[f].map(_header_key).map(_HEADER_ALIASES.get) == f
    body = cells[~is_header]
    entries, errors = check_rows(body, columns)
    bad_rows = pd.Index(errors["row"].unique())
    rejects = frame.loc[bad_rows].astype(str).copy()
    each = _("{column}: {message}")
    texts = [each.format(column=c, message=m)
             for c, m in zip(errors["column"].tolist(), errors["message"].tolist(), strict=True)]
    joined = errors.assign(text=pd.Series(texts, index=errors.index, dtype="str")).groupby(
        "row", sort=False)["text"].agg("; ".join)
    rejects["_row"] = bad_rows.to_numpy()
    rejects["_errors"] = joined.reindex(bad_rows).to_numpy()
    return ChinaListReport(
        file_name=name, sha256=sha, edition=edition, valid_from=start, valid_until=end,
        catalogue_id=catalogue_id or slug_id(edition, prefix="china_hw_"), rows=len(body),
        entries=entries, errors=errors, rejects=rejects.reset_index(drop=True),
        columns=columns, ignored_columns=tuple(ignored),
        repeated_headers=int(is_header.sum()))
