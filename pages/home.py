"""Overview: programme figures and the map of parks and member sites.

Viewers see parks (no site points, no sectors) and the protected release's figures only:
tonnes by release stream with producers, and a park table of released haves and wants. The
two views are drawn by :mod:`ui.home`.
"""

from __future__ import annotations

import streamlit as st

import ui
from ui.home import overview_records, overview_release

ctx = ui.page_context("overview")
st.title(ctx.programme.name)
ui.illustrative_note(ctx.programme)
if ctx.practitioner:
    overview_records(ctx)
else:
    overview_release(ctx)
