"""Reports: the resource-pool Sankey, the synergy network, KPIs, gaps and the funders' workbook.

Viewers (park authorities, investors) see the same views drawn from the programme's synergy
release only (``geo.synergies.protected``): every figure a released node or a sum of them.
The parts are drawn by :mod:`ui.reports`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from geo.synergies.lifecycle import STAGES, stage_label
from ui import Key
from ui.reports import VIEWS, ReportsView, kpis, show_view

ctx = ui.page_context("reports")
st.title(_("Reports"))
ui.illustrative_note(ctx.programme)
view = ReportsView.of(ctx)
kpis(view)
# One view at a time (a map drawn in a hidden tab would be fitted to a zero-size frame).
name = st.radio(_("View"), list(VIEWS), horizontal=True, key=Key.REP_VIEW,
                label_visibility="collapsed", format_func=lambda v: _(VIEWS[v]))
stages = st.multiselect(_("Stages shown in the network"), STAGES, default=list(STAGES),
                        key="rep_net_stages", format_func=stage_label,
                        ) if name.startswith("Network") else list(STAGES)
show_view(view, name, stages)
