"""Concentrations: where the wastes of a stream are, how much, and where they concentrate.

Practitioners map records with any filter. Viewers see only figures of the programme's
protected release (:mod:`geo.concentrations.viewer`): fixed stream groups, parks and levels.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.concentrations import raster
from geo.concentrations import selection as conc
from geo.concentrations import viewer as cv
from geo.concentrations.hotspots import hot_spots_from_hexagons
from geo.disclosure.release import HEX_LEVELS
from geo.programme import PRECISIONS
from layers import concentration as lc
from layers.base import add_parks
from ui import Key, runs

VIEWS = ("Heat", "Catchment", "Hexagons", "Hot spots", "Clusters", "Parks")
RELEASE_STREAMS, WIDENED = "conc_release_streams", "conc_widened"

ctx = ui.page_context("concentrations")
prog, ref, practitioner = ctx.programme, ctx.programme_ref, ctx.practitioner
st.title("Concentrations")
ui.illustrative_note(prog)
cat = load_catalogue()
park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))

c1, c2, c3, c4, c5 = st.columns([1.1, 2.4, 1.3, 1.8, 1.1])
direction = c1.radio("Records", ["have", "want", "any"], key="conc_direction",
                     format_func={"have": "Haves", "want": "Wants", "any": "Both"}.get)
parks = c4.multiselect("Parks", list(park_names), key="conc_parks",
                       format_func=lambda p: park_names.get(p, p), placeholder="Everywhere")
if practitioner:
    choices = conc.stream_choices(cat)
    selectors = c2.multiselect("Streams, chapters", list(choices), key=Key.CONC_STREAMS,
                               format_func=choices.get, placeholder="All streams")
    lo = c3.number_input("Min t/yr per record", min_value=0.0, value=0.0, key="conc_min_t")
    hi = c3.number_input("Max t/yr (0 = none)", min_value=0.0, value=0.0, key="conc_max_t")
    precision = c5.selectbox("Least precise location", PRECISIONS[:-1], index=6,
                             key="conc_precision")
    with ui.domain_errors():
        query = conc.ConcentrationQuery(direction=direction, selectors=tuple(selectors),
                                        min_tonnes=lo or None, max_tonnes=hi or None,
                                        parks=tuple(parks), min_precision=precision)
        sel = runs.selection(ref, query)
    if sel.notes():
        st.warning(" ".join(sel.notes()), icon=":material/pin_drop:")
        if sel.n_not_located:
            with st.expander(f"The {sel.n_not_located} records not located"):
                st.dataframe(sel.not_located, hide_index=True, width="stretch")
    if sel.is_empty:
        st.info(sel.empty_message(), icon=":material/filter_alt_off:")
        st.stop()
    st.caption(f"{sel.n_used:,} records from {sel.n_producers:,} producers · "
               f"{sel.total_tonnes:,.0f} t/yr · {query.describe()}")
else:
    release = ctx.release
    labels = release.stream_labels()
    if st.session_state.get(Key.CONC_STREAMS) and RELEASE_STREAMS not in st.session_state:
        near, exact = cv.nearest_streams(release, cat, st.session_state[Key.CONC_STREAMS])
        st.session_state.update({RELEASE_STREAMS: list(near), WIDENED: not exact and list(near)})
    streams = c2.multiselect("Release streams", list(labels), key=RELEASE_STREAMS,
                             format_func=labels.get, placeholder="All streams")
    if streams and st.session_state.get(WIDENED) == streams:
        st.info(cv.widened_notice(release, streams), icon=":material/zoom_out_map:")
    with ui.domain_errors():
        rq = cv.release_query(release, direction=direction, streams=streams, parks=parks,
                              grant=ctx.parks)
    st.caption(cv.caption(release, rq))
    if (empty := cv.empty_message(release, rq)) is not None:
        st.info(empty, icon=":material/visibility_off:")
        st.stop()

view = st.radio("Map", VIEWS, key=Key.CONC_VIEW, horizontal=True)
left, right = st.columns([3, 1.3])
bounds, table, image, level = None, None, None, "fine"
stem = view.lower().replace(" ", "_")
with ui.domain_errors(), right:
    if view in ("Heat", "Catchment"):
        if view == "Heat":
            st.session_state.setdefault(Key.CONC_BANDWIDTH_M, conc.bandwidth_for_selection(
                sel) if practitioner else cv.viewer_bandwidth_m(release, rq))
            dist = st.number_input("Bandwidth (m)", min_value=1.0, step=100.0,
                                   key=Key.CONC_BANDWIDTH_M, help="Up to 500,000 m.")
            surf = runs.heat_surface(ref, query, bandwidth_m=dist) \
                if practitioner else cv.viewer_heat(release, rq, bandwidth_m=dist)
        else:
            dist = 1000 * st.number_input("Radius (km)", min_value=0.1, value=10.0,
                                          key="conc_radius_km", help="Up to 500 km.")
            surf = runs.within_radius_surface(ref, query, radius_m=dist) \
                if practitioner else cv.viewer_catchment(release, rq, radius_m=dist)
        st.caption(surf.method if practitioner else surf.caption())
        image = raster.display_image(surf)
        ui.download_button("GeoTIFF", partial(raster.surface_to_geotiff_bytes, surf),
                           file_name=f"{stem}.tif", key=Key.CONC_DL_TIF, width="stretch")
        ui.download_button("PNG + world file",
                           partial(raster.surface_to_png_zip_bytes, surf, stem=stem),
                           file_name=f"{stem}_png.zip", key=Key.CONC_DL_PNG, width="stretch")
    elif view in ("Hexagons", "Hot spots") and not practitioner:
        level = "fine" if view == "Hot spots" else st.radio(
            "Hexagons", HEX_LEVELS, index=2, key="conc_level", horizontal=True)
        table = cv.viewer_cells(release, rq, level=level) if view == "Hexagons" \
            else cv.viewer_hot_spots(release, rq)
    elif view in ("Hexagons", "Hot spots"):
        res = st.selectbox("Hexagon resolution", ["auto", *range(4, 11)], key=Key.CONC_H3_RES)
        raw = runs.hexagon_totals(ref, query, resolution=None if res == "auto" else int(res))
        table = raw if view == "Hexagons" else hot_spots_from_hexagons(raw)
        if view == "Hot spots":
            st.caption("Getis-Ord Gi* with FDR; not-significant cells are not drawn.")
        st.caption(f"H3 resolution {int(raw['resolution'].iloc[0])}, {len(raw):,} cells.")
    elif view == "Clusters":
        eps = st.number_input("Neighbourhood (m)", min_value=1.0, value=500.0, step=100.0,
                              key="conc_eps_m")
        base_t = sel.total_tonnes if practitioner else \
            float(cv.viewer_cells(release, rq)["tonnes"].sum())
        st.session_state.setdefault(Key.CONC_MIN_CLUSTER_T, max(round(base_t / 20, -1), 1.0))
        min_t = st.number_input("Core tonnes (t/yr)", min_value=0.001,
                                key=Key.CONC_MIN_CLUSTER_T)
        table = runs.clusters(ref, query, eps_m=eps, min_tonnes=min_t) if practitioner \
            else cv.viewer_clusters(release, rq, eps_m=eps, min_tonnes=min_t)
        if len(table):
            pick = st.selectbox("Zoom to cluster", ["All", *table["name"]], key=Key.CONC_CLUSTER)
            if pick != "All":
                bounds = tuple(table.loc[table["name"] == pick].total_bounds)
        else:
            st.info("No cluster at these settings: lower the core tonnes or widen the "
                    "neighbourhood.")
    else:
        table = conc.park_totals(prog, sel) if practitioner else cv.viewer_parks(release, rq)
    if not practitioner and (note := cv.view_note(release, view, level=level)):
        st.caption(note)

with left:
    m = ui.base_map(ctx, bounds=bounds)
    add_parks(m, prog.parks)
    if image is not None:
        lc.add_heat(m, image, name=view, note=surf.units if practitioner else "Classes of "
                    "released figures.")
    if table is not None and len(table):
        lc.add_table_layer(m, view, table, note="" if practitioner else "From released figures.")
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
