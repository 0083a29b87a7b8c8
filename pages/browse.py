"""Browse and search resources by several criteria at once; export the result.

Viewers browse the protected release instead: direction, streams and parks → the release's
stream × park figures, the same whatever else is set (see :func:`geo.search.search_release`).
The two views are drawn by :mod:`ui.browse`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from ui.browse import BrowseView, browse_records, browse_release

ctx = ui.page_context("browse")
st.title(_("Browse & export"))
ui.illustrative_note(ctx.programme)
view = BrowseView.of(ctx)
if ctx.practitioner:
    browse_records(view)
else:
    browse_release(view)
