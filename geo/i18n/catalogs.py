"""Keeping the catalogues in step with the code: extract, update, check (Babel).

One documented command does it all: ``python -m geo i18n update`` extracts every string
marked with ``_``, ``N_`` or ``ngettext`` from ``app.py``, ``pages/``, ``ui/``, ``geo/`` and
``layers/`` into ``data/locale/symbiomap.pot`` and merges it into each language's ``.po``
(new strings appear untranslated, vanished ones are dropped). ``python -m geo i18n check``
lists what a translator still has to do — untranslated or fuzzy strings, placeholders that do
not match — and exits 1 if anything is left; the test suite runs the same check.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from geo.i18n.locale import DEFAULT_LOCALE, LOCALES
from geo.i18n.translate import DOMAIN, LOCALE_DIR, po_path
from geo.settings import PROJECT_ROOT

__all__ = ["DATA_TEXTS", "SOURCES", "Problem", "check", "data_texts", "extract", "template_path",
           "update"]

SOURCES: Final = ("app.py", "pages", "ui", "geo", "layers")
"""Where our strings live (relative to the project root)."""

DATA_TEXTS: Final = {
    "data/catalogue/streams.csv": ("label",),
    "data/matching/compatibility.csv": ("rationale",),
    "data/technologies/profiles.json": ("name", "description", "label", "output"),
}
"""Labels of ours kept in data files (file → the columns or JSON keys that users read). They
are extracted like marked strings and translated where shown (``_(label)``). Catalogue
descriptions, sources and citations stay in their own language and are not listed."""
KEYWORDS: Final = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
_PLACEHOLDER: Final = re.compile(r"\{[^{}]*\}")


def _json_texts(node: object, keys: tuple[str, ...]) -> Iterable[str]:
    """String values under ``keys`` anywhere in ``node`` (keys starting with ``_`` skipped)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str) and value.strip():
                yield value.strip()
            elif not str(key).startswith("_"):
                yield from _json_texts(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _json_texts(item, keys)


def template_path() -> Path:
    """The extracted template (``data/locale/symbiomap.pot``)."""
    return LOCALE_DIR / f"{DOMAIN}.pot"


def extract(root: Path = PROJECT_ROOT) -> Catalog:
    """Every marked string of the code, with where it is used."""
    catalog = Catalog(project="SymbioMap", domain=DOMAIN, charset="utf-8")
    for source in SOURCES:
        path = root / source
        if path.is_file():
            entries: Iterable[tuple[str, int, object, list[str], object]] = (
                (path.name, *e) for e in _extract_file(path))
            base = ""
        else:
            entries = extract_from_dir(str(path), method_map=[("**.py", "python")],
                                       keywords=KEYWORDS, comment_tags=("Translators:",),
                                       strip_comment_tags=True)
            base = source + "/"
        for filename, lineno, message, comments, _context in entries:
            catalog.add(message, locations=[(base + str(filename), lineno)],  # type: ignore[arg-type]
                        auto_comments=comments)
    for location, text in data_texts(root):
        catalog.add(text, locations=[location])
    return catalog


def data_texts(root: Path = PROJECT_ROOT) -> list[tuple[tuple[str, int], str]]:
    """The user-facing labels of :data:`DATA_TEXTS`, with (file, row or 0) for translators."""
    import csv
    import json

    out: list[tuple[tuple[str, int], str]] = []
    for name, keys in DATA_TEXTS.items():
        path = root / name
        if not path.is_file():
            continue
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as f:
                for row_no, row in enumerate(csv.DictReader(f), start=2):
                    out += [((name, row_no), row[k].strip()) for k in keys if row.get(k)]
            continue

        text = json.loads(path.read_text(encoding="utf-8"))
        out += [((name, 0), value) for value in _json_texts(text, keys)]
    return out


def _extract_file(path: Path) -> Iterable[tuple[int, object, list[str], object]]:
    from babel.messages.extract import extract

    with path.open("rb") as f:
        yield from extract("python", f, keywords=KEYWORDS, comment_tags=("Translators:",),
                           strip_comment_tags=True)


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, include_previous=False)
    path.write_bytes(buf.getvalue())


def update(root: Path = PROJECT_ROOT) -> dict[str, int]:
    """Extract, write the template, and merge it into every language's catalogue.

    Returns, per language, how many strings still need a translation.
    """
    template = extract(root)
    _write(template, template_path())
    todo: dict[str, int] = {}
    for locale in LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        path = Path(po_path(locale))
        catalog = _read(path, locale) if path.exists() else Catalog(locale=locale,
                                                                   domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write(catalog, path)
        todo[locale] = sum(1 for m in catalog if m.id and not _translated(m))
    return todo


def _translated(message: Message) -> bool:
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(bool(s) for s in strings)


@dataclass(frozen=True)
class Problem:
    """Something a translator (or a developer) still has to fix."""

    locale: str
    msgid: str
    issue: str


def check(root: Path = PROJECT_ROOT) -> list[Problem]:
    """What keeps the catalogues from being complete and in step with the code."""
    template = extract(root)
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    problems: list[Problem] = []
    for locale in LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        path = Path(po_path(locale))
        if not path.exists():
            problems.append(Problem(locale, "", f"no catalogue at {path}"))
            continue
        catalog = _read(path, locale)
        have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
        for msgid in sorted(wanted - set(have)):
            problems.append(Problem(locale, msgid, "not in the catalogue (run: python -m geo "
                                                   "i18n update)"))
        for msgid, message in have.items():
            if msgid not in wanted:
                problems.append(Problem(locale, msgid, "no longer in the code (run update)"))
            elif not _translated(message):
                problems.append(Problem(locale, msgid, "not translated"))
            else:
                problems.extend(Problem(locale, msgid, issue)
                                for issue in _placeholder_issues(message))
    return problems


def _texts(value: object) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v]


def _placeholder_issues(message: Message) -> list[str]:
    expected = set(_PLACEHOLDER.findall(_texts(message.id)[-1]))
    found = [set(_PLACEHOLDER.findall(s)) for s in _texts(message.string)]
    return [f"placeholders {sorted(f)} differ from {sorted(expected)}" for f in found
            if f != expected]
