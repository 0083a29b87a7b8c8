"""Reports: the resource-pool Sankey, the synergy network, KPIs, gaps and the funders' workbook."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.confidentiality import can_see_companies, suppress_small_groups
from geo.factors import load_factors
from geo.synergies import repository as repo
from geo.synergies.gaps import between_parks, gap_analysis
from geo.synergies.lifecycle import STAGES
from geo.synergies.reports import (
    conservation_errors,
    graph_layout,
    kpis,
    network_edges,
    sankey_data,
)
from layers.base import add_parks
from layers.synergies import add_synergy_network, network_graph_figure, sankey_figure
from ui import Key, runs
from ui.widgets import XLSX_MIME

ctx = ui.page_context("reports")
st.title("Reports")
prog = ctx.programme
ui.illustrative_note(prog)
role, k = ctx.role, ctx.k

with ui.domain_errors():
    book = ctx.synergy_book
    config = repo.load_outcome_config(ctx.store, prog.name)
    sankey = sankey_data(prog, book, catalogue=load_catalogue(), role=role, k=k)
    figures = kpis(prog, book, factors=load_factors(), config=config, role=role, k=k)
if not can_see_companies(role):
    st.caption(f":material/lock: Viewing as {role}: groups of fewer than {k} producing sites "
               "are merged or blanked.")
shown = figures.set_index("kpi")["value"]
headline = {"Haves recorded": "Haves, t/yr", "Haves in live synergies": "In synergies, t/yr",
            "Synergies: completed": "Completed synergies",
            "Landfill diverted (all years)": "Landfill diverted, t",
            "CO2e avoided (all years)": "CO2e avoided, t"}
for col, (name, label) in zip(st.columns(len(headline)), headline.items(), strict=True):
    if name in shown.index:
        col.metric(label, "suppressed" if pd.isna(shown[name]) else f"{shown[name]:,.0f}")
with st.expander("All KPIs"):
    st.dataframe(figures, hide_index=True, width="stretch", key="rep_kpis")

# One view at a time (a map drawn in a hidden tab would be fitted to a zero-size frame).
view = st.radio("View", ["Resource pool", "Network map", "Network graph", "Gaps", "Excel"],
                horizontal=True, key=Key.REP_VIEW, label_visibility="collapsed")
stages = st.multiselect("Stages shown in the network", STAGES, default=list(STAGES),
                        key="rep_net_stages") if view.startswith("Network") else list(STAGES)
edges = network_edges(book, prog, role=role, k=k, stages=tuple(stages))
if view == "Resource pool":
    st.plotly_chart(sankey_figure(sankey), key="rep_sankey", width="stretch")
    bad = conservation_errors(sankey)
    st.caption(("Flows conserve tonnes at every node. " if bad.empty else
                f"{len(bad)} nodes do not balance — please report this. ") + " ".join(sankey.notes))
elif view == "Network map":
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    _, drawn = add_synergy_network(m, edges)
    ui.show_map(m, key="rep_net_map", height=500)
    st.caption(f"{drawn} of {len(edges)} links drawn; width grows with tonnes, colour shows the "
               "most advanced stage. Links without located sites"
               + ("" if can_see_companies(role) else f" or with fewer than {k} producers")
               + " are not drawn.")
elif view == "Network graph":
    if edges.empty:
        st.info("No synergies in the chosen stages yet.")
    else:
        st.plotly_chart(network_graph_figure(edges, graph_layout(edges)), key="rep_graph",
                        width="stretch")
elif view == "Gaps":
    st.caption("Haves with no want anywhere in the programme, largest first: the sectors to "
               "recruit and the openings for new technology.")
    with ui.domain_errors():
        matcher = ctx.matcher(roads=False)
        gaps = gap_analysis(matcher, catalogue=load_catalogue())
        parks = between_parks(matcher.all_pairs(top_k=1).table)
    if not can_see_companies(role):
        gaps = suppress_small_groups(gaps.drop(columns=["description"]), producers_col="producers",
                                     k=k, value_cols=["haves", "quantity_without_want",
                                                      "share_of_stream"])
        parks = suppress_small_groups(parks, producers_col="producers", k=k,
                                      value_cols=["haves", "tonnes_per_year"])
    st.dataframe(gaps, hide_index=True, width="stretch", key="rep_gaps")
    st.markdown("**Best partners between parks** (a solution in another park first)")
    st.dataframe(parks, hide_index=True, width="stretch", key="rep_parks")
else:
    st.write("Synergies, outcomes and totals by park, year, sector and stream, with the "
             "conversion factors cited" + ("" if can_see_companies(role) else
                                           f" — aggregated for viewers (k = {k})") + ".")
    ui.download_button("Download the funders' workbook (.xlsx)",
                       partial(runs.funder_workbook, ctx.programme_ref,
                               synergy_version=ctx.versions.synergies, role=role, k=k),
                       file_name="synergy-report.xlsx", key=Key.REP_XLSX, mime=XLSX_MIME)
