"""Site finder: where to put a reprocessing plant, with transparent scores and best p sites.

Viewers' feedstock and output users come from the programme's protected release
(:mod:`geo.siting.released`); everything after that is the same code on protected figures.
The inputs and results are drawn by :mod:`ui.site_finder`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from ui import runs
from ui.site_finder import no_candidates, scored_results, site_finder_inputs

ctx = ui.page_context("site_finder")
st.title(_("Site finder"))
ui.illustrative_note(ctx.programme)

inputs = site_finder_inputs()
plants = inputs.plants
with ui.domain_errors():
    screen, run = runs.site_finder_run(  # viewers: on the protected release (ctx.rules)
        ctx.programme_ref, ctx.network, inputs.query, weights=inputs.weights,
        plants=plants.getvalue() if plants else None, plants_name=plants.name if plants else "",
        release_rules=None if ctx.practitioner else ctx.rules, parks=ctx.parks)
if run is None:
    no_candidates(ctx, inputs, screen)
else:
    scored_results(ctx, inputs, screen, run)
