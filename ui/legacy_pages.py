"""Keep every page inside ``app.py``'s frame although the pages live in a ``pages/`` folder.

Streamlit (1.67) treats a ``pages/`` folder beside the entry script as a legacy multipage
app until ``st.navigation`` has run once in the process: the class attribute
``streamlit.runtime.pages_manager.PagesManager.uses_pages_directory`` is set when the first
session starts, and while it is true the script runner runs ``_mpa_v1`` — every file of
``pages/`` as a bare page — instead of ``app.py``. On a freshly started server, a deep link
such as ``/reports`` as the very first request would therefore run ``pages/reports.py``
without the sidebar, the viewer role or the local map assets.

Streamlit offers no supported switch for this (``client.showSidebarNavigation`` only hides
the menu), and ``pages/`` stays where users expect it. So ``app.py`` and every page (through
:func:`ui.page_context`) call :func:`leave_legacy_pages_mode`, which turns the legacy mode
off and reruns; the rerun goes through ``app.py``, whose ``st.navigation`` opens the linked
page. This module is the only place that touches ``PagesManager``;
``tests/ui/test_legacy_pages.py`` fails when Streamlit changes what this relies on.

The flag alone does not tell whether *this* run is a legacy one: when several sessions open
at once on a fresh server, one session's run may already have started ``_mpa_v1`` when
another session's run switches the flag off, and the first would then render its page bare.
So a run is recognised as legacy by ``_mpa_v1`` on its call stack, and rerun through
``app.py`` whatever the flag says (found by the server benchmark's concurrent sessions).
"""

from __future__ import annotations

import sys

import streamlit as st

_LEGACY_RUNNER = "_mpa_v1"
"""Streamlit's function that runs ``pages/`` files bare (``script_runner._mpa_v1``)."""


def in_legacy_pages_mode() -> bool:
    """Whether Streamlit would run ``pages/`` files as bare legacy pages in this process."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def in_legacy_run() -> bool:
    """Whether the running script was started by Streamlit's legacy ``pages/`` runner."""
    frame = sys._getframe(1)
    while frame is not None:
        if (frame.f_code.co_name == _LEGACY_RUNNER
                and frame.f_code.co_filename.endswith("script_runner.py")):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def leave_legacy_pages_mode() -> None:
    """Turn the legacy ``pages/`` mode off and rerun through ``app.py`` if it was on, or if
    this run is a legacy one (another session may have switched the flag off meanwhile)."""
    legacy_run = in_legacy_run()
    if not in_legacy_pages_mode() and not legacy_run:
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    if st.runtime.exists():
        st.rerun()
