"""Workshop: type haves, wants and proposed links fast, then create the synergies in bulk.

The three steps are drawn by :mod:`ui.workshop`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from ui.workshop import WorkshopView, create_synergies, enter_records, propose_links

ctx = ui.page_context("workshop")
st.title(_("Workshop"))
st.caption(_("For a business-opportunity workshop: log haves and wants as members speak, pair "
             "them up, and create every valid pairing as a synergy at the *idea* stage in one "
             "go. Rows that break a rule are listed with the reason and kept for correction."))
# Translators: {who} is the name of the person signed in.
st.caption(_("Records and synergies are saved as {who}.").format(
    who=ui.plain(ctx.principal.shown_name)))
view = WorkshopView.of(ctx)
records = enter_records(view)
links = propose_links(view, records)
create_synergies(view, links)
