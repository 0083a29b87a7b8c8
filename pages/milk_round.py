"""Milk round: collection routes over real roads for many small producers, by day or over weeks.

*One cycle* plans the chosen days once (:mod:`ui.milk_round.cycle`); *several weeks* plans one
to four weeks with collection frequencies, visit patterns, several streams per vehicle and
unloading at reprocessors (:mod:`ui.milk_round.horizon`).
"""

from __future__ import annotations

from typing import Final

import streamlit as st

import ui
from geo.i18n import N_, _
from ui.milk_round import MilkRoundView, cycle_mode, horizon_inputs, horizon_results

MODES: Final = {"cycle": N_("One cycle"), "horizon": N_("Several weeks")}

ctx = ui.page_context("milk_round")
st.title(_("Milk round"))
ui.illustrative_note(ctx.programme)
if not ctx.practitioner and ctx.user_role != "logistics_planner":  # by design of the job
    ui.refuse(_("Not available to your role"),
              _("Run sheets and routes name the companies to visit: practitioners and "
                "logistics planners only."))

view = MilkRoundView.of(ctx)
mode = st.segmented_control(_("Plan"), list(MODES), default="cycle", key="mr_mode",
                            format_func=lambda k: _(MODES[k]))
if mode == "horizon":
    horizon_inputs(view)
    horizon_results(view)
else:
    cycle_mode(view)
