"""Concentrations: where the wastes of a stream are, how much, and where they concentrate.

Practitioners map records with any filter. Viewers see only figures of the programme's
protected release (:mod:`geo.concentrations.viewer`): fixed stream groups, parks and levels.
The filters, views and map are drawn by :mod:`ui.concentrations`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from layers import concentration as lc
from ui import Key
from ui.concentrations import VIEWS, filters, show_map, view_settings

ctx = ui.page_context("concentrations")
st.title(_("Concentrations"))
ui.illustrative_note(ctx.programme)
chosen = filters(ctx)
view = st.radio(_("Map"), list(VIEWS), key=Key.CONC_VIEW, horizontal=True,
                format_func=lambda v: _(VIEWS[v]))
left, right = st.columns([3, 1.3])
with right:
    shown = view_settings(chosen, view)
with left:
    show_map(chosen, shown)
with right:
    if shown.table is not None and len(shown.table):
        st.dataframe(lc.table_for_display(shown.table), hide_index=True, width="stretch",
                     height=260)
        ui.download_buttons(shown.table, stem=shown.stem, key=f"conc_dl_{shown.stem}")
