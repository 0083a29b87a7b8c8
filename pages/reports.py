"""Reports: the resource-pool Sankey, the synergy network, KPIs, gaps and the funders' workbook.

Viewers (park authorities, investors) see the same views drawn from the programme's synergy
release only (``geo.synergies.protected``): every figure a released node or a sum of them.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.errors import ConfidentialityError
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
from geo.synergies.viewer import park_points, viewer_kpis, viewer_network_edges, viewer_sankey
from geo.synergies.workbook import funder_workbook
from layers.base import add_parks
from layers.synergies import add_synergy_network, network_graph_figure, sankey_figure
from ui import Key, runs
from ui.widgets import XLSX_MIME

ctx = ui.page_context("reports")
st.title("Reports")
prog = ctx.programme
ui.illustrative_note(prog)

with ui.domain_errors():
    book = ctx.synergy_book
    config = repo.load_outcome_config(ctx.store, prog.name)
    if ctx.practitioner:
        release = None
        figures = kpis(prog, book, factors=load_factors(), config=config)
    else:  # one release of the whole programme for every viewer; a park authority reads its part
        release = ctx.synergy_release
        figures = viewer_kpis(release, member_sites=len(prog.sites))
if release is not None:
    st.caption(f":material/lock: Viewing as {ctx.role}: only figures that pass the disclosure "
               f"rules — {ctx.rules.describe()}, for the giving and for the receiving "
               "companies. A blank figure is withheld.")
shown = figures.set_index("kpi")["value"]
headline = {"Haves recorded": "Haves, t/yr", "Haves in live synergies": "In synergies, t/yr",
            "Synergies: completed": "Completed synergies",
            "Landfill diverted (all years)": "Landfill diverted, t",
            "CO2e avoided (all years)": "CO2e avoided, t"}
headline = {k: v for k, v in headline.items() if k in shown.index}
for col, (name, label) in zip(st.columns(len(headline)), headline.items(), strict=True):
    col.metric(label, "withheld" if pd.isna(shown[name]) else f"{shown[name]:,.0f}")
with st.expander("All KPIs"):
    st.dataframe(figures, hide_index=True, width="stretch", key="rep_kpis")
if release is not None:
    with st.expander("Released figures by stage, stream and park pair"):
        st.dataframe(release.figures(parks=ctx.parks).drop(columns=["from_park", "to_park"]),
                     hide_index=True, width="stretch", key="rep_released")

# One view at a time (a map drawn in a hidden tab would be fitted to a zero-size frame).
view = st.radio("View", ["Resource pool", "Network map", "Network graph", "Gaps", "Excel"],
                horizontal=True, key=Key.REP_VIEW, label_visibility="collapsed")
stages = st.multiselect("Stages shown in the network", STAGES, default=list(STAGES),
                        key="rep_net_stages") if view.startswith("Network") else list(STAGES)
if release is None:
    edges = network_edges(book, prog, stages=tuple(stages))
else:
    edges = viewer_network_edges(release, park_points(ctx.whole_programme), stages=tuple(stages),
                                 parks=ctx.parks)
if view == "Resource pool":
    try:
        sankey = (sankey_data(prog, book, catalogue=load_catalogue()) if release is None
                  else viewer_sankey(release))
    except ConfidentialityError as exc:
        st.info(str(exc))
        st.stop()
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
               "most advanced stage. " + (
                   "Links without located sites are not drawn." if release is None else
                   "Links join parks: the released park-pair figures of the chosen stages; "
                   "park pairs whose figures are withheld are not listed."))
elif view == "Network graph":
    if edges.empty:
        st.info("No synergies in the chosen stages yet." if release is None else
                "No park-pair figure of the chosen stages can be shown to viewers.")
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
    if release is not None:  # which codes lack a want, and where partners lie: no figures
        st.caption("For viewers without quantities, counts or fates.")
        gaps = gaps[["key", "stream", "unit", "recruit_sectors"]]
        parks = parks[["from_park", "to_park", "other_park"]]
    st.dataframe(gaps, hide_index=True, width="stretch", key="rep_gaps")
    st.markdown("**Best partners between parks** (a solution in another park first)")
    st.dataframe(parks, hide_index=True, width="stretch", key="rep_parks")
else:
    st.write("Synergies, outcomes and totals by park, year, sector and stream, with the "
             "conversion factors cited." if release is None else
             "The released figures by stage, stream and park pair, their totals and the KPIs, "
             "with the conversion factors cited.")
    build = (partial(runs.funder_workbook, ctx.programme_ref,
                     synergy_version=ctx.versions.synergies, role=ctx.role, k=ctx.k)
             if release is None else
             partial(funder_workbook, ctx.whole_programme, book, factors=load_factors(),
                     config=config, role=ctx.role, release=release, parks=ctx.parks))
    ui.download_button("Download the funders' workbook (.xlsx)", build,
                       file_name="synergy-report.xlsx", key=Key.REP_XLSX, mime=XLSX_MIME)
