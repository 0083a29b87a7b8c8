"""The language of this session or command, held in a context variable.

Streamlit runs every session in one process; a process-wide language (``gettext.install``,
``locale.setlocale``) would let two users in two languages see each other's. Instead the
language lives in a :class:`contextvars.ContextVar`: each session's script run (its own
thread) sets it at the start of every rerun (:func:`set_locale`), and everything that
translates or formats reads it (:func:`current_locale`). The command line sets it once from
``--lang`` or ``SYMBIOMAP_LANG``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Final

__all__ = ["DEFAULT_LOCALE", "LOCALES", "LOCALE_NAMES", "PSEUDO_LOCALE", "current_locale",
           "match_locale", "set_locale", "use_locale"]

DEFAULT_LOCALE: Final = "en_GB"
LOCALES: Final = ("en_GB", "zh_CN", "pt_BR")
"""The languages SymbioMap ships, in the order the picker lists them."""
LOCALE_NAMES: Final = {"en_GB": "English (UK)", "zh_CN": "简体中文", "pt_BR": "Português (Brasil)"}
PSEUDO_LOCALE: Final = "qps_PLOC"
"""A made-up language for tests: every translated string of ours is marked and accented, so a
page run in it shows at a glance any English string that escaped translation."""

_current: ContextVar[str] = ContextVar("symbiomap_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    """The language of this session or command (``en_GB`` unless set)."""
    return _current.get()


def set_locale(locale: str) -> None:
    """Use ``locale`` in this session's run (or this command) from now on."""
    _current.set(locale if locale in (*LOCALES, PSEUDO_LOCALE) else DEFAULT_LOCALE)


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Use ``locale`` inside the ``with`` block only.

    Examples
    --------
    >>> with use_locale("pt_BR"):
    ...     current_locale()
    'pt_BR'
    >>> current_locale()
    'en_GB'
    """
    token = _current.set(locale if locale in (*LOCALES, PSEUDO_LOCALE) else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def match_locale(*candidates: str | Iterable[str] | None) -> str | None:
    """The first shipped locale that one of ``candidates`` names, or None.

    Candidates are tried in order; each may be a tag (``pt-BR``, ``zh``, ``en-US``), a list of
    tags (a browser's languages), or None. A bare language picks its shipped variant.

    Examples
    --------
    >>> match_locale(None, "zh-Hans-CN"), match_locale(["fr", "pt"]), match_locale("de")
    ('zh_CN', 'pt_BR', None)
    """
    for cand in candidates:
        if cand is None:
            continue
        tags = [cand] if isinstance(cand, str) else list(cand)
        for tag in tags:
            norm = str(tag).strip().replace("-", "_")
            if not norm:
                continue
            if norm in LOCALES or norm == PSEUDO_LOCALE:
                return norm
            lang = norm.split("_")[0].lower()
            for shipped in LOCALES:
                if shipped.split("_")[0] == lang:
                    return shipped
    return None
