"""What a catalogue is: identity, edition, validity, legal source, licence and how far to trust it.

A catalogue file ``NAME.csv`` may have a description file ``NAME.meta.json`` beside it
(``data/catalogue/README.md`` lists its keys). :func:`read_catalogue_info` reads it into a
:class:`CatalogueInfo`; without one the catalogue still loads, and its info says that its
source, edition and licence are unknown. The app shows :attr:`CatalogueInfo.notice` wherever
the catalogue is named, so that a transcription is never taken for the official text.

Examples
--------
>>> from geo.settings import DATA_DIR
>>> info = read_catalogue_info(DATA_DIR / "catalogue" / "ibama_2012.csv")
>>> info.catalogue_id, info.status, info.language
('ibama_2012', 'transcription', 'pt-BR')
>>> info.counts["entries"], info.hazard_mark
(878, '(*)')
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from geo.errors import CatalogueError
from geo.i18n import _

__all__ = ["COUNT_KEYS", "META_SUFFIX", "STATUSES", "CatalogueInfo", "read_catalogue_info",
           "slug_id"]

META_SUFFIX: Final = ".meta.json"
"""A catalogue ``NAME.csv`` is described by ``NAME.meta.json`` beside it."""
STATUSES: Final = ("transcription", "supplied", "unknown")
"""``transcription``: written out from the legal text by someone other than its publisher;
``supplied``: read from the official table a programme supplied; ``unknown``: no description."""
COUNT_KEYS: Final = ("chapters", "subchapters", "entries", "hazardous_entries")
"""Keys of ``counts`` in a description file, checked against the catalogue when it loads."""

_ID: Final = re.compile(r"^[a-z][a-z0-9_]*$")


def slug_id(text: str, *, prefix: str = "") -> str:
    """A catalogue id from free text: lower-case ASCII letters, digits and ``_``.

    Examples
    --------
    >>> slug_id("ibama-2012"), slug_id("2025年版", prefix="china_hw_"), slug_id("名录")
    ('ibama_2012', 'china_hw_2025', 'catalogue')
    """
    words = re.findall(r"[0-9a-z]+", text.casefold())
    slug = prefix + "_".join(words)
    slug = slug.strip("_")
    if not slug or not slug[0].isalpha():
        slug = "catalogue" + ("_" + slug if slug else "")
    return slug


@dataclass(frozen=True)
class CatalogueInfo:
    """The description of a catalogue (from ``NAME.meta.json``, or a default without one).

    Attributes
    ----------
    catalogue_id
        Short stable id (``"ewc"``, ``"ibama_2012"``, ``"china_hw_2025"``): what crosswalks
        and records name the catalogue by.
    name, short_name
        Full and short names for people.
    version, edition
        Which text of the list this is (free text), and its edition label ("" if none).
    valid_from, valid_until
        The dates the list is in force from and until (None: not stated / still in force).
    language
        Language of the descriptions (BCP 47: ``en``, ``pt-BR``, ``zh-CN``).
    status
        One of :data:`STATUSES`.
    notice
        One or two sentences the app must show with the catalogue: what it is and how far it
        was checked.
    legal_source
        The official acts the list comes from.
    source_note, licence
        How the file was made, and on what terms it may be reused.
    counts
        Expected counts (:data:`COUNT_KEYS`), checked on load; empty when not stated.
    streams_file, streams_declared
        The stream-groups file named by the description (None: no groups) and whether the
        description names one at all (if not, the default search applies).
    hazard_mark
        How the legal list marks a hazardous entry (``*`` in the EWC, ``(*)`` in IBAMA's).
    path
        The description file read (None for a default).
    """

    catalogue_id: str
    name: str
    short_name: str = ""
    version: str = ""
    edition: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    language: str = ""
    status: str = "unknown"
    notice: str = ""
    legal_source: tuple[str, ...] = ()
    source_note: str = ""
    licence: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)
    streams_file: str | None = None
    streams_declared: bool = False
    hazard_mark: str = "*"
    path: Path | None = None

    def __post_init__(self) -> None:
        where = (_description_where(self.path) if self.path else _("catalogue info"))
        if not _ID.match(self.catalogue_id):
            # Translators: {where} names the catalogue's description file.
            msg = _("{where}: id {id!r} is not a lower-case slug; expected letters, digits and "
                    "'_' starting with a letter, like 'ibama_2012'. Fix: correct 'id'.").format(
                where=where, id=self.catalogue_id)
            raise CatalogueError(msg)
        if self.status not in STATUSES:
            msg = _("{where}: status {status!r}; expected one of {choices}. Fix: correct "
                    "'status'.").format(where=where, status=self.status, choices=STATUSES)
            raise CatalogueError(msg)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            msg = _("{where}: valid_until {end} is before valid_from {start}. Fix: swap or "
                    "correct the dates.").format(where=where, end=self.valid_until,
                                                 start=self.valid_from)
            raise CatalogueError(msg)
        bad = sorted(set(self.counts) - set(COUNT_KEYS))
        if bad:
            msg = _("{where}: unknown count(s) {counts!r}; expected among {choices}. Fix: "
                    "rename or remove them.").format(where=where, counts=bad,
                                                     choices=COUNT_KEYS)
            raise CatalogueError(msg)

    def in_force(self, on: dt.date) -> bool:
        """Whether the list is in force on a date (unstated limits do not restrict it).

        Examples
        --------
        >>> info = CatalogueInfo("x", "X", valid_from=dt.date(2025, 1, 1))
        >>> info.in_force(dt.date(2024, 12, 31)), info.in_force(dt.date(2025, 1, 1))
        (False, True)
        """
        return not ((self.valid_from and on < self.valid_from)
                    or (self.valid_until and on > self.valid_until))

    def to_dict(self) -> dict[str, Any]:
        """The info as plain JSON-ready data, in the keys of a description file."""
        return {
            "id": self.catalogue_id, "name": self.name, "short_name": self.short_name,
            "version": self.version, "edition": self.edition,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "language": self.language, "status": self.status, "notice": self.notice,
            "legal_source": list(self.legal_source), "source_note": self.source_note,
            "licence": self.licence, "counts": dict(self.counts),
            "streams_file": self.streams_file, "hazard_mark": self.hazard_mark,
        }

    def check_counts(self, actual: Mapping[str, int], *, catalogue_name: str) -> None:
        """Refuse a catalogue whose counts differ from those its description states.

        Raises
        ------
        CatalogueError
            Naming each count that differs, both values and the fix.
        """
        differ = [(k, v, actual.get(k)) for k, v in self.counts.items() if actual.get(k) != v]
        if differ:
            each = _("{count}: described {described}, found {found}")
            shown = "; ".join(each.format(count=k, described=v, found=a) for k, v, a in differ)
            # Translators: {catalogue} names the catalogue, e.g. "the catalogue 'ewc.csv'".
            msg = _("{catalogue} does not match its description {file!r} ({differences}). Fix: "
                    "restore the file's missing or extra rows, or correct 'counts' if the list "
                    "changed.").format(catalogue=catalogue_name,
                                       file=str(self.path.name) if self.path else "",
                                       differences=shown)
            raise CatalogueError(msg)


def _description_where(path: Path) -> str:
    return _("catalogue description {file!r}").format(file=str(path))


def _date(value: object, key: str, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        msg = _("{where}: {key} {value!r} is not a date; expected YYYY-MM-DD, e.g. "
                "'2025-01-01'. Fix: correct it or leave it null.").format(where=where, key=key,
                                                                         value=value)
        raise CatalogueError(msg) from None


def _text(meta: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
    value = meta.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        msg = _("{where}: {key} must be text, got {value!r}. Fix: write it as a JSON "
                "string.").format(where=where, key=key, value=value)
        raise CatalogueError(msg)
    return value


def _default_info(catalogue_path: Path) -> CatalogueInfo:
    stem = catalogue_path.stem
    return CatalogueInfo(
        catalogue_id=slug_id(stem), name=catalogue_path.name, status="unknown",
        notice=(f"No description file ({stem}{META_SUFFIX}) beside the catalogue: its source, "
                "edition and licence are not known."),
    )


def read_catalogue_info(catalogue_path: Path) -> CatalogueInfo:
    """Read the description of a catalogue file (``NAME.meta.json`` beside ``NAME.csv``).

    Parameters
    ----------
    catalogue_path
        The catalogue CSV; its description need not exist.

    Returns
    -------
    CatalogueInfo
        As described, or a default with status ``unknown`` and the file's stem as id.

    Raises
    ------
    CatalogueError
        A description that is not JSON, or has a bad id, status, date or count.
    """
    meta_path = catalogue_path.with_name(catalogue_path.stem + META_SUFFIX)
    if not meta_path.is_file():
        return _default_info(catalogue_path)
    where = _description_where(meta_path)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = _("{where} is not UTF-8 JSON ({reason}). Fix: correct the JSON syntax.").format(
            where=where, reason=exc)
        raise CatalogueError(msg) from None
    if not isinstance(meta, dict):
        msg = _("{where}: expected a JSON object, got {kind}. Fix: use {{...}}.").format(
            where=where, kind=type(meta).__name__)
        raise CatalogueError(msg)
    counts = meta.get("counts") or {}
    if not isinstance(counts, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in counts.values()):
        msg = _("{where}: counts must map names to whole numbers, got {counts!r}.").format(
            where=where, counts=counts)
        raise CatalogueError(msg)
    legal = meta.get("legal_source") or []
    legal_source = (legal,) if isinstance(legal, str) else tuple(str(x) for x in legal)
    streams = meta.get("streams_file")
    if streams is not None and (not isinstance(streams, str) or Path(streams).name != streams):
        msg = _("{where}: streams_file {file!r} must be a file name beside the catalogue (no "
                "folders) or null. Fix: correct it.").format(where=where, file=streams)
        raise CatalogueError(msg)
    return CatalogueInfo(
        catalogue_id=_text(meta, "id", where) or slug_id(catalogue_path.stem),
        name=_text(meta, "name", where, catalogue_path.name),
        short_name=_text(meta, "short_name", where),
        version=_text(meta, "version", where),
        edition=_text(meta, "edition", where),
        valid_from=_date(meta.get("valid_from"), "valid_from", where),
        valid_until=_date(meta.get("valid_until"), "valid_until", where),
        language=_text(meta, "language", where),
        status=_text(meta, "status", where, "unknown"),
        notice=_text(meta, "notice", where),
        legal_source=legal_source,
        source_note=_text(meta, "source_note", where),
        licence=_text(meta, "licence", where),
        counts={str(k): int(v) for k, v in counts.items()},
        streams_file=streams or None,
        streams_declared="streams_file" in meta,
        hazard_mark=_text(meta, "hazard_mark", where, "*") or "*",
        path=meta_path,
    )
