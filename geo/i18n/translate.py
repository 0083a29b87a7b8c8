"""Translating our strings: ``_``, ``ngettext`` and ``N_`` in the session's language.

Catalogues are gettext ``.po`` files in ``data/locale/<locale>/LC_MESSAGES/symbiomap.po``,
read with Babel once per process and compiled in memory (no ``.mo`` files to keep in step).
English (UK) is the source language. Each call looks the string up in the catalogue of
:func:`~geo.i18n.locale.current_locale` — a read-only table shared by all sessions; the
language itself is per session.

Placeholders are named (``{n}``, ``{name}``) and filled after translation, so translators can
move them: ``_("{n} records from {p} producers").format(n=..., p=...)``.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import re
from pathlib import Path
from typing import Final

from geo.i18n.locale import DEFAULT_LOCALE, PSEUDO_LOCALE, current_locale
from geo.settings import DATA_DIR

__all__ = ["DOMAIN", "LOCALE_DIR", "N_", "_", "gettext", "ngettext", "po_path", "translations"]

DOMAIN: Final = "symbiomap"
LOCALE_DIR: Final = DATA_DIR / "locale"

_PLACEHOLDER: Final = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdif]|\\n")
_ACCENTS: Final = str.maketrans("aeiouyAEIOUYcnCN", "àéîõüýÀÉÎÕÜÝçñÇÑ")


def po_path(locale: str) -> str:
    """Where the catalogue of ``locale`` lives."""
    return str(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po")


class _Pseudo(_gettext.NullTranslations):
    """The pseudo-locale: ``⟦Ìmpõrtéd {n} réçõrds⟧`` — accented, bracketed, placeholders kept."""

    @staticmethod
    def _mark(text: str) -> str:
        parts, last = [], 0
        for m in _PLACEHOLDER.finditer(text):
            parts.append(text[last:m.start()].translate(_ACCENTS))
            parts.append(m.group(0))
            last = m.end()
        parts.append(text[last:].translate(_ACCENTS))
        return "⟦" + "".join(parts) + "⟧"

    def gettext(self, message: str) -> str:
        return self._mark(message) if message else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._mark(msgid1 if n == 1 else msgid2)


@functools.lru_cache(maxsize=8)
def translations(locale: str) -> _gettext.NullTranslations:
    """The catalogue of ``locale`` (read once; identity for English or a missing catalogue)."""
    if locale == PSEUDO_LOCALE:
        return _Pseudo()
    if locale == DEFAULT_LOCALE:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        with Path(po_path(locale)).open("rb") as f:
            catalog = read_po(f, locale=locale, domain=DOMAIN)
    except FileNotFoundError:
        return _gettext.NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def gettext(message: str) -> str:
    """``message`` in the language of this session or command.

    Examples
    --------
    >>> from geo.i18n.locale import use_locale
    >>> with use_locale("qps_PLOC"):
    ...     gettext("{n} records")
    '⟦{n} réçõrds⟧'
    """
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in this session's language."""
    return translations(current_locale()).ngettext(singular, plural, n)


_ = gettext
"""Shorthand used at every call site (the keyword the extractor looks for)."""


def N_(message: str) -> str:  # noqa: N802 — the conventional gettext name
    """Mark ``message`` for extraction without translating it now (module-level labels);
    translate it with ``_`` where it is shown."""
    return message
