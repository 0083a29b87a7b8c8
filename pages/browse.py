"""Browse and search resources by several criteria at once; export the result.

Viewers browse the protected release instead: direction, streams and parks → the release's
stream × park figures, the same whatever else is set (see :func:`geo.search.search_release`).
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.search import ReleaseQuery, ResourceQuery, search_release, search_resources
from layers.base import add_parks, add_sites

ctx = ui.page_context("browse")
prog = ctx.programme
cat = load_catalogue()
st.title("Browse & export")
ui.illustrative_note(prog)

groups = cat.groups()
chapters = cat.chapters()
selector_labels = {**{g: f"Group · {lbl}" for g, lbl in zip(groups["group"], groups["label"],
                                                              strict=True)},
                   **{c: f"Chapter {c} · {d[:60]}" for c, d in zip(chapters["code"],
                                                                   chapters["description"],
                                                                   strict=True)}}
park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))
if not ctx.practitioner:
    c1, c2, c3 = st.columns([1, 2, 2])
    direction = c1.segmented_control("Have or want", ["have", "want"], key=ui.Key.BR_DIRECTION,
                                     selection_mode="single") or "have"
    selectors = c2.multiselect("Streams (groups or chapters)", list(selector_labels),
                               format_func=selector_labels.get, key=ui.Key.BR_SELECTORS)
    parks = c3.multiselect("Parks", list(park_names), key="br_parks",
                           format_func=park_names.get)
    with ui.domain_errors():
        answer = search_release(ctx.release, ReleaseQuery(direction, tuple(selectors),
                                                          tuple(parks)),
                                catalogue=cat, scope_parks=ctx.parks)
    st.caption(f"Viewers see fixed protected releases ({ctx.release.rules.describe()}): "
               "figures by release stream and park, with no quantity, code, sector, hazard or "
               "distance filter. Withheld figures are marked, not shown.")
    if not answer.exact:
        labels = ctx.release.stream_labels()
        st.info("Nearest release: the streams chosen are answered with whole release streams "
                f"— {', '.join(labels[s] for s in answer.streams)} — which may hold materials "
                "not chosen.", icon=":material/info:")
    st.markdown(f"**{answer.released:,}** of {len(answer.table):,} figures released.")
    st.dataframe(answer.table, hide_index=True, width="stretch", column_config={
        "tonnes_per_year": st.column_config.NumberColumn(format="%.1f")})
    ui.download_buttons(answer.table, stem=f"release-{direction}", key="br_dl_release",
                        formats=("csv", "xlsx"))
    st.stop()

res_all = prog.resources
with st.expander("Filters", expanded=True, icon=":material/filter_alt:"):
    c1, c2, c3 = st.columns(3)
    selectors = c1.multiselect("Streams (groups or chapters)", list(selector_labels),
                               format_func=selector_labels.get, key=ui.Key.BR_SELECTORS)
    codes = c1.text_input("Catalogue codes (comma separated)", key="br_codes",
                          placeholder="e.g. 150102, 02 03 04")
    direction = c2.segmented_control("Have or want", ["have", "want"], key=ui.Key.BR_DIRECTION,
                                     selection_mode="single")
    hazardous = c2.segmented_control("Hazardous", ["hazardous", "non-hazardous"],
                                     key="br_hazardous", selection_mode="single")
    qmin, qmax = c2.columns(2)
    q_min = qmin.number_input("Min quantity", min_value=0.0, value=None, key=ui.Key.BR_QMIN)
    q_max = qmax.number_input("Max quantity", min_value=0.0, value=None, key=ui.Key.BR_QMAX)
    parks = c3.multiselect("Parks", list(park_names), key="br_parks",
                           format_func=park_names.get)
    sectors = c3.multiselect("Sectors (NACE)", sorted(prog.sites["sector_nace"].dropna().unique()),
                             key="br_sectors")
    near = st.checkbox("Only within a distance of a point", key="br_near")
    if near:
        n1, n2, n3 = st.columns(3)
        centre = prog.sites.union_all().centroid if len(prog.sites) else None
        lon = n1.number_input("Longitude", value=round(centre.x, 5) if centre else 0.0,
                              format="%.5f", key="br_lon")
        lat = n2.number_input("Latitude", value=round(centre.y, 5) if centre else 0.0,
                              format="%.5f", key="br_lat")
        radius_km = n3.number_input("Radius (km, straight line)", min_value=0.01, value=1.0,
                                    key="br_radius")

with ui.domain_errors():
    group_slugs = set(groups["group"])
    query = ResourceQuery(
        groups=tuple(x for x in selectors if x in group_slugs),
        chapters=tuple(x for x in selectors if x not in group_slugs),
        codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
        direction=direction,
        quantity_min=q_min, quantity_max=q_max,
        parks=tuple(parks), sectors=tuple(sectors),
        hazardous=None if hazardous is None else hazardous == "hazardous",
        near=(lon, lat) if near else None,
        radius_m=radius_km * 1000 if near else None,
    )
    found = search_resources(prog, query)

st.markdown(f"**{len(found):,}** of {len(res_all):,} resource records match.")
if found.empty:
    st.info("No records match these filters — widen the quantity range or remove a filter.")
    st.stop()

table = found.drop(columns="geometry").copy()
table.insert(0, "site", "/site?site=" + table["site_id"].astype(str))
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "site": st.column_config.LinkColumn("Site", display_text=r"/site\?site=(.*)"),
    "quantity": st.column_config.NumberColumn(format="%.1f")})
ui.download_buttons(found, stem="resources", key="br_dl")
m = ui.base_map(ctx)
add_parks(m, prog.parks)
sites = prog.sites[prog.sites["site_id"].isin(found["site_id"])]
add_sites(m, sites, tooltip_cols=("name", "sector_nace"))
ui.show_map(m, key="br_map", height=420)
