"""Concentrations: where the wastes of a stream are, how much, and where they concentrate."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.concentrations import selection as conc
from geo.concentrations.clusters import clusters_for_role
from geo.concentrations.hexagons import hexagons_for_role
from geo.concentrations.hotspots import hot_spots_from_hexagons
from geo.concentrations.raster import (
    display_image,
    surface_to_geotiff_bytes,
    surface_to_png_zip_bytes,
)
from geo.programme import PRECISIONS
from layers import concentration as lc
from layers.base import add_parks
from ui import Key, runs

VIEWS = ("Heat", "Catchment", "Hexagons", "Hot spots", "Clusters", "Parks")


ctx = ui.page_context("concentrations")
prog, ref = ctx.programme, ctx.programme_ref
st.title("Concentrations")
ui.illustrative_note(prog)
k, practitioner = ctx.k, ctx.practitioner
cat = load_catalogue()
choices = conc.stream_choices(cat)
park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))

c1, c2, c3, c4, c5 = st.columns([1.1, 2.4, 1.3, 1.8, 1.1])
direction = c1.radio("Records", ["have", "want", "any"], key="conc_direction",
                     format_func={"have": "Haves", "want": "Wants", "any": "Both"}.get)
selectors = c2.multiselect("Streams, chapters", list(choices), key=Key.CONC_STREAMS,
                           format_func=choices.get, placeholder="All streams")
lo = c3.number_input("Min t/yr per record", min_value=0.0, value=0.0, key="conc_min_t")
hi = c3.number_input("Max t/yr (0 = none)", min_value=0.0, value=0.0, key="conc_max_t")
parks = c4.multiselect("Parks", list(park_names), key="conc_parks",
                       format_func=lambda p: park_names.get(p, p), placeholder="Everywhere")
precision = c5.selectbox("Least precise location", PRECISIONS[:-1], index=6,
                         key="conc_precision")
with ui.domain_errors():
    query = conc.ConcentrationQuery(direction=direction, selectors=tuple(selectors),
                                    min_tonnes=lo or None, max_tonnes=hi or None,
                                    parks=tuple(parks), min_precision=precision)
    sel = runs.selection(ref, query)

if sel.notes():
    st.warning(" ".join(sel.notes()), icon=":material/pin_drop:")
    if practitioner and sel.n_not_located:
        with st.expander(f"The {sel.n_not_located} records not located"):
            st.dataframe(sel.not_located, hide_index=True, width="stretch")
if sel.is_empty:
    st.info(sel.empty_message(), icon=":material/filter_alt_off:")
    st.stop()
total = f"{sel.total_tonnes:,.0f} t/yr" if practitioner or sel.n_producers >= k else "—"
st.caption(f"{sel.n_used:,} records from {sel.n_producers:,} producers · {total} · "
           f"{query.describe()}")

view = st.radio("Map", VIEWS, key=Key.CONC_VIEW, horizontal=True)
hide = 1 if practitioner else k
left, right = st.columns([3, 1.3])
bounds, table, m_layers, stem = None, None, [], view.lower().replace(" ", "_")
with ui.domain_errors(), right:
    if view in ("Heat", "Catchment"):
        if view == "Heat":
            st.session_state.setdefault(Key.CONC_BANDWIDTH_M, conc.bandwidth_for_selection(sel))
            dist = st.number_input("Bandwidth (m)", min_value=1.0, step=100.0,
                                   key=Key.CONC_BANDWIDTH_M, help="Up to 500,000 m.")
            surf = runs.heat_surface(ref, query, bandwidth_m=dist, min_producers=hide)
        else:
            dist = 1000 * st.number_input("Radius (km)", min_value=0.1, value=10.0,
                                          key="conc_radius_km", help="Up to 500 km.")
            surf = runs.within_radius_surface(ref, query, radius_m=dist, min_producers=hide)
        st.caption(surf.method + (f"; cells with fewer than {k} producers nearby are hidden"
                                  if hide > 1 else ""))
        m_layers.append(lambda m: lc.add_heat(m, display_image(surf), name=view,
                                              note=surf.units))
        ui.download_button("GeoTIFF", partial(surface_to_geotiff_bytes, surf),
                           file_name=f"{stem}.tif", key=Key.CONC_DL_TIF, width="stretch")
        ui.download_button("PNG + world file", partial(surface_to_png_zip_bytes, surf, stem=stem),
                           file_name=f"{stem}_png.zip", key=Key.CONC_DL_PNG, width="stretch")
    elif view in ("Hexagons", "Hot spots"):
        res = st.selectbox("Hexagon resolution", ["auto", *range(4, 11)], key=Key.CONC_H3_RES)
        raw = runs.hexagon_totals(ref, query, resolution=None if res == "auto" else int(res))
        if view == "Hexagons":
            table = hexagons_for_role(raw, role=ctx.role, k=k)
            m_layers.append(lambda m: lc.add_hexagons(m, table, k=k))
        else:
            table = hot_spots_from_hexagons(raw, show_figures=practitioner)
            m_layers.append(lambda m: lc.add_hot_spots(m, table))
            st.caption("Getis-Ord Gi* with FDR; not-significant cells are not drawn.")
        st.caption(f"H3 resolution {int(raw['resolution'].iloc[0])}, {len(raw):,} cells.")
    elif view == "Clusters":
        eps = st.number_input("Neighbourhood (m)", min_value=1.0, value=500.0, step=100.0,
                              key="conc_eps_m")
        st.session_state.setdefault(Key.CONC_MIN_CLUSTER_T,
                                    max(round(sel.total_tonnes / 20, -1), 1.0))
        min_t = st.number_input("Core tonnes (t/yr)", min_value=0.001,
                                key=Key.CONC_MIN_CLUSTER_T)
        found = runs.clusters(ref, query, eps_m=eps, min_tonnes=min_t)
        table, withheld = clusters_for_role(found, role=ctx.role, k=k)
        if withheld:
            st.caption(f"{withheld} clusters of fewer than {k} producers are not shown.")
        if len(table):
            pick = st.selectbox("Zoom to cluster", ["All", *table["name"]], key=Key.CONC_CLUSTER)
            if pick != "All":
                bounds = tuple(table.loc[table["name"] == pick].total_bounds)
            m_layers.append(lambda m: lc.add_clusters(m, table))
        else:
            st.info("No cluster at these settings: lower the core tonnes or widen the "
                    "neighbourhood.")
    else:
        table = conc.park_totals(prog, sel, role=ctx.role, k=k)
        m_layers.append(lambda m: lc.add_park_totals(m, table, k=k))

with left:
    m = ui.base_map(ctx, bounds=bounds)
    add_parks(m, prog.parks)
    for add in m_layers:
        add(m)
    if practitioner and view in ("Heat", "Catchment", "Clusters"):
        _, drawn, agg = lc.add_selection_points(m, sel)
        st.caption(f"{'Aggregated to ' if agg else 'Showing '}{drawn:,} "
                   f"{'cells' if agg else 'records'} of {sel.n_used:,}.")
    ui.show_map(m, key="conc_map", height=560)
with right:
    if table is not None and len(table):
        cols = [c for c in table.columns if c != "geometry"]
        st.dataframe(table[cols], hide_index=True, width="stretch", height=260)
        ui.download_buttons(table, stem=stem, key=f"conc_dl_{stem}")
