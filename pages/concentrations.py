"""Concentrations: where the wastes of a stream are, how much, and where they concentrate.

Practitioners map records with any filter. Viewers see only figures of the programme's
protected release (:mod:`geo.concentrations.viewer`): fixed stream groups, parks and levels.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.concentrations import picture, raster
from geo.concentrations import selection as conc
from geo.concentrations import viewer as cv
from geo.concentrations.clusters import cluster_display_name
from geo.concentrations.density import unit_label
from geo.concentrations.hotspots import hot_spots_from_hexagons
from geo.disclosure.release import HEX_LEVELS
from geo.i18n import N_, _, current_locale, format_number, format_tonnes, ngettext
from geo.programme import PRECISIONS
from layers import concentration as lc
from layers.base import Overlays
from layers.quality import PRECISION_LABELS
from ui import Key, runs

VIEWS = {"Heat": N_("Heat"), "Catchment": N_("Catchment"), "Hexagons": N_("Hexagons"),
         "Hot spots": N_("Hot spots"), "Clusters": N_("Clusters"), "Parks": N_("Parks")}
DIRECTIONS = {"have": N_("Haves"), "want": N_("Wants"), "any": N_("Both")}
RELEASE_STREAMS, WIDENED = "conc_release_streams", "conc_widened"

ctx = ui.page_context("concentrations")
prog, ref, practitioner = ctx.programme, ctx.programme_ref, ctx.practitioner
st.title(_("Concentrations"))
ui.illustrative_note(prog)
cat = load_catalogue()
park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))

c1, c2, c3, c4, c5 = st.columns([1.1, 2.4, 1.3, 1.8, 1.1])
direction = c1.radio(_("Records"), list(DIRECTIONS), key="conc_direction",
                     format_func=lambda d: _(DIRECTIONS[d]))
parks = c4.multiselect(_("Parks"), list(park_names), key="conc_parks",
                       format_func=lambda p: park_names.get(p, p), placeholder=_("Everywhere"))
if practitioner:
    choices = conc.stream_choices(cat)
    selectors = c2.multiselect(_("Streams, chapters"), list(choices), key=Key.CONC_STREAMS,
                               format_func=choices.get, placeholder=_("All streams"))
    lo = c3.number_input(_("Min t/yr per record"), min_value=0.0, value=0.0, key="conc_min_t")
    hi = c3.number_input(_("Max t/yr (0 = none)"), min_value=0.0, value=0.0, key="conc_max_t")
    precision = c5.selectbox(_("Least precise location"), PRECISIONS[:-1], index=6,
                             key="conc_precision",
                             format_func=lambda c: _(PRECISION_LABELS.get(c, c)))
    with ui.domain_errors():
        query = conc.ConcentrationQuery(direction=direction, selectors=tuple(selectors),
                                        min_tonnes=lo or None, max_tonnes=hi or None,
                                        parks=tuple(parks), min_precision=precision)
        sel = runs.selection(ref, query)
    if sel.notes():
        st.warning(" ".join(sel.notes()), icon=":material/pin_drop:")
        if sel.n_not_located:
            with st.expander(ngettext("The {n} record not located", "The {n} records not located",
                                      sel.n_not_located).format(n=sel.n_not_located)):
                st.dataframe(lc.table_for_display(sel.not_located), hide_index=True,
                             width="stretch")
    if sel.is_empty:
        st.info(sel.empty_message(), icon=":material/filter_alt_off:")
        st.stop()
    # Translators: {records} is "12 records", {producers} "3 producers".
    st.caption(_("{records} from {producers} · {tonnes} · {query}").format(
        records=ngettext("{n} record", "{n} records", sel.n_used).format(
            n=format_number(sel.n_used)),
        producers=ngettext("{n} producer", "{n} producers", sel.n_producers).format(
            n=format_number(sel.n_producers)),
        tonnes=format_tonnes(sel.total_tonnes, digits=0, per_year=True), query=query.describe()))
else:
    release = ctx.release
    labels = release.stream_labels()
    if st.session_state.get(Key.CONC_STREAMS) and RELEASE_STREAMS not in st.session_state:
        near, exact = cv.nearest_streams(release, cat, st.session_state[Key.CONC_STREAMS])
        st.session_state.update({RELEASE_STREAMS: list(near), WIDENED: not exact and list(near)})
    streams = c2.multiselect(_("Release streams"), list(labels), key=RELEASE_STREAMS,
                             format_func=labels.get, placeholder=_("All streams"))
    if streams and st.session_state.get(WIDENED) == streams:
        st.info(cv.widened_notice(release, streams), icon=":material/zoom_out_map:")
    with ui.domain_errors():
        rq = cv.release_query(release, direction=direction, streams=streams, parks=parks,
                              grant=ctx.parks)
    st.caption(cv.caption(release, rq))
    if (empty := cv.empty_message(release, rq)) is not None:
        st.info(empty, icon=":material/visibility_off:")
        st.stop()

view = st.radio(_("Map"), list(VIEWS), key=Key.CONC_VIEW, horizontal=True,
                format_func=lambda v: _(VIEWS[v]))
left, right = st.columns([3, 1.3])
bounds, table, image, level = None, None, None, "fine"
stem = view.lower().replace(" ", "_")
with ui.domain_errors(), right:
    if view in ("Heat", "Catchment"):
        if view == "Heat":
            st.session_state.setdefault(Key.CONC_BANDWIDTH_M, conc.bandwidth_for_selection(
                sel) if practitioner else cv.viewer_bandwidth_m(release, rq))
            dist = st.number_input(_("Bandwidth (m)"), min_value=1.0, step=100.0,
                                   key=Key.CONC_BANDWIDTH_M, help=_("Up to {max_m} m.").format(
                                       max_m=format_number(500_000)))
            surf = runs.heat_surface(ref, query, bandwidth_m=dist) \
                if practitioner else cv.viewer_heat(release, rq, bandwidth_m=dist)
        else:
            dist = 1000 * st.number_input(_("Radius (km)"), min_value=0.1, value=10.0,
                                          key="conc_radius_km", help=_("Up to {max_km} km.")
                                          .format(max_km=format_number(500)))
            surf = runs.within_radius_surface(ref, query, radius_m=dist) \
                if practitioner else cv.viewer_catchment(release, rq, radius_m=dist)
        st.caption(surf.caption())
        image = raster.display_image(surf)
        ui.download_button("GeoTIFF", partial(raster.surface_to_geotiff_bytes, surf),
                           file_name=f"{stem}.tif", key=Key.CONC_DL_TIF, width="stretch")
        ui.download_button(_("PNG + world file"),
                           partial(raster.surface_to_png_zip_bytes, surf, stem=stem),
                           file_name=f"{stem}_png.zip", key=Key.CONC_DL_PNG, width="stretch")
        described = query.describe() if practitioner else rq.describe(release)
        for warning in picture.programme_picture_warnings(prog, view=stem, selection=described):
            st.warning(warning, icon=":material/font_download_off:")
        ui.download_button(_("Map picture (PNG)"), partial(
            picture.programme_picture_png, surf, prog, view=stem, selection=described,
            locale=current_locale()), file_name=f"{stem}_map.png", key="conc_dl_picture",
            mime="image/png", width="stretch")
    elif view in ("Hexagons", "Hot spots") and not practitioner:
        level = "fine" if view == "Hot spots" else st.radio(
            _("Hexagons"), HEX_LEVELS, index=2, key="conc_level", horizontal=True,
            format_func=lambda lv: _(cv.LEVEL_TEXT[lv]))
        table = cv.viewer_cells(release, rq, level=level) if view == "Hexagons" \
            else cv.viewer_hot_spots(release, rq)
    elif view in ("Hexagons", "Hot spots"):
        res = st.selectbox(_("Hexagon resolution"), ["auto", *range(4, 11)], key=Key.CONC_H3_RES,
                           format_func=lambda r: _("auto") if r == "auto" else str(r))
        raw = runs.hexagon_totals(ref, query, resolution=None if res == "auto" else int(res))
        table = raw if view == "Hexagons" else hot_spots_from_hexagons(raw)
        if view == "Hot spots":
            st.caption(_("Getis-Ord Gi* with FDR; not-significant cells are not drawn."))
        st.caption(ngettext("H3 resolution {resolution}, {n} cell.",
                            "H3 resolution {resolution}, {n} cells.", len(raw)).format(
                                resolution=int(raw["resolution"].iloc[0]),
                                n=format_number(len(raw))))
    elif view == "Clusters":
        eps = st.number_input(_("Neighbourhood (m)"), min_value=1.0, value=500.0, step=100.0,
                              key="conc_eps_m")
        base_t = sel.total_tonnes if practitioner else \
            float(cv.viewer_cells(release, rq)["tonnes"].sum())
        st.session_state.setdefault(Key.CONC_MIN_CLUSTER_T, max(round(base_t / 20, -1), 1.0))
        min_t = st.number_input(_("Core tonnes (t/yr)"), min_value=0.001,
                                key=Key.CONC_MIN_CLUSTER_T)
        table = runs.clusters(ref, query, eps_m=eps, min_tonnes=min_t) if practitioner \
            else cv.viewer_clusters(release, rq, eps_m=eps, min_tonnes=min_t)
        if len(table):
            pick = st.selectbox(_("Zoom to cluster"), ["All", *table["name"]], key=Key.CONC_CLUSTER,
                                format_func=lambda c: _("All") if c == "All"
                                else cluster_display_name(c))
            if pick != "All":
                bounds = tuple(table.loc[table["name"] == pick].total_bounds)
        else:
            st.info(_("No cluster at these settings: lower the core tonnes or widen the "
                      "neighbourhood."))
    else:
        table = conc.park_totals(prog, sel) if practitioner else cv.viewer_parks(release, rq)
    if not practitioner and (note := cv.view_note(release, view, level=level)):
        st.caption(note)

with left:
    m = ui.base_map(ctx, bounds=bounds)
    overlays = Overlays(m)  # a filter change swaps these in the browser, keeping the map
    points = practitioner and view in ("Heat", "Catchment", "Clusters")
    drawn_points = lc.add_view_layers(
        overlays, view, parks=prog.parks, image=image, image_name=_(VIEWS[view]),
        image_note="" if image is None else unit_label(surf.units) if practitioner
        else _(picture.CLASSES_NOTE),
        table=table, table_note="" if practitioner else _("From released figures."),
        selection=sel if points else None)
    if drawn_points is not None:
        drawn, agg = drawn_points
        st.caption((ngettext("Aggregated to {n} cell of {total} records.",
                             "Aggregated to {n} cells of {total} records.", drawn) if agg else
                    ngettext("Showing {n} record of {total}.", "Showing {n} records of {total}.",
                             drawn)).format(n=format_number(drawn),
                                            total=format_number(sel.n_used)))
    ui.show_map(m, key="conc_map", height=560, overlays=overlays)
with right:
    if table is not None and len(table):
        st.dataframe(lc.table_for_display(table), hide_index=True, width="stretch",
                     height=260)
        ui.download_buttons(table, stem=stem, key=f"conc_dl_{stem}")
