"""The language of this session: chosen once per rerun, kept in the URL, set for ``geo``.

The choice, first match wins: ``?lang=`` in the URL (so bookmarks keep it), the signed-in
person's profile, the browser's language (``st.context.locale``), English (UK). The sidebar's
picker writes ``?lang=`` (and, on a server, the person's profile). The language is set in a
context variable of this session's run (:func:`geo.i18n.set_locale`) — never process-wide.
"""

from __future__ import annotations

import logging

import streamlit as st

from geo.access import LOCAL_SUBJECT, Principal, set_language
from geo.errors import SymbiosisError
from geo.i18n import DEFAULT_LOCALE, LOCALE_NAMES, LOCALES, _, match_locale, set_locale
from ui.data import store as open_store

__all__ = ["LANG_PARAM", "choose_language", "language_picker"]

logger = logging.getLogger(__name__)

LANG_PARAM = "lang"
_WARNED = "_lang_warned"


def choose_language(principal: Principal | None = None) -> str:
    """Pick this session's language and set it for everything that translates or formats."""
    asked: str | None = st.query_params.get(LANG_PARAM)
    chosen = match_locale(asked) if asked else None
    if asked and chosen is None and st.session_state.get(_WARNED) != asked:
        st.session_state[_WARNED] = asked
        st.toast(_("Unknown language {asked}: showing English. Available: {available}")
                 .format(asked=repr(asked), available=", ".join(LOCALES)),
                 icon=":material/translate:")
    if chosen is None and principal is not None:
        chosen = match_locale(principal.language)
    if chosen is None:
        browser: str | None
        try:
            browser = st.context.locale
        except AttributeError:  # no browser (AppTest of a function)
            browser = None
        chosen = match_locale(browser)
    locale = chosen or DEFAULT_LOCALE
    set_locale(locale)
    return locale


def language_picker(locale: str, *, principal: Principal, database_url: str) -> None:
    """Sidebar picker of the language; keeps the choice in the URL and the person's profile."""
    options: list[str] = list(LOCALES)
    if locale not in options:  # the pseudo-locale of the tests, asked for by ?lang=
        options.append(locale)
    picked = st.selectbox(_("Language"), options, index=options.index(locale),
                          format_func=lambda code: LOCALE_NAMES.get(code, code),
                          key="ui_language")
    if picked is not None and picked != locale:
        st.query_params[LANG_PARAM] = picked
        if principal.subject != LOCAL_SUBJECT:
            try:
                set_language(open_store(database_url), principal.subject, picked)
            except SymbiosisError:
                logger.warning("could not remember the language of %s", principal.subject)
        st.rerun()
