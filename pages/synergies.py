"""Synergies: find matches for a record, create a synergy in one action, track it to completion.

The tabs are drawn by :mod:`ui.synergies`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from ui.synergies import SynergiesView, find_matches, one_synergy, pipeline

ctx = ui.page_context("synergies")
st.title(_("Synergies"))
ui.illustrative_note(ctx.programme)
view = SynergiesView.of(ctx)
# Translators: {who} is the name of the person signed in.
st.caption(_("Changes are recorded as {who}.").format(who=ui.plain(ctx.principal.shown_name)))
t_find, t_pipe, t_one = st.tabs([":material/search: " + _("Find matches"),
                                 ":material/view_kanban: " + _("Pipeline"),
                                 ":material/timeline: " + _("Synergy")])
with t_find:
    find_matches(view)
with t_pipe:
    pipeline(view)
with t_one:
    one_synergy(view)
