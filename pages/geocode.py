"""Locate records: the geocoder chain, a quality view by precision, and manual placement."""

from __future__ import annotations

import io
from functools import partial

import pandas as pd
import streamlit as st

import ui
from geo.export import to_csv_bytes
from geo.geocode import (
    GAZETTEER_SOURCES,
    NOTES_ATTR,
    default_gazetteer,
    gazetteer_from_parks,
    geocode_frame,
)
from geo.geocode.reference import placement_bounds, places_in_bounds
from geo.importer import read_table
from geo.programme import PRECISIONS, precision_rank
from geo.uploads import TABLE_KINDS, UploadLimits, check_upload
from layers.base import add_parks
from layers.quality import add_reference_places, add_sites_by_precision
from ui import Key

ctx = ui.page_context("locate")
st.title("Locate records")
prog = ctx.programme
stored = not ctx.is_demo
sites = prog.sites
gazetteer = pd.concat([default_gazetteer(), gazetteer_from_parks(prog.parks)],
                      ignore_index=True)

tab_quality, tab_batch, tab_manual, tab_file = st.tabs(
    [":material/verified: Quality", ":material/travel_explore: Locate the programme",
     ":material/touch_app: Place by hand", ":material/upload_file: Locate a file"])

with tab_quality:
    counts = sites["location_precision"].fillna("not_found").value_counts().reindex(
        PRECISIONS, fill_value=0)
    st.bar_chart(counts, horizontal=True, height=220)
    worst = st.select_slider("Show records placed no better than", PRECISIONS,
                             value="not_found", key="gc_worst")
    shown = sites[precision_rank(sites["location_precision"].fillna("not_found"))
                  >= PRECISIONS.index(worst)]
    st.dataframe(shown.drop(columns="geometry"), hide_index=True, width="stretch")
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    drawn = add_sites_by_precision(m, sites)
    ui.show_map(m, key="gc_quality_map", height=420)
    st.caption(f"{drawn:,} of {len(sites):,} sites on the map; "
               f"{len(sites) - drawn:,} not located.")

with tab_batch:
    st.markdown("Runs the geocoder chain — coordinates in the record, the programme's "
                "gazetteer, UK postcodes, Chinese districts, world place names, then Nominatim "
                "if switched on — over every site not placed by hand. Sites placed by hand "
                "are never overwritten.")
    if not ctx.settings.nominatim:
        st.caption(":material/cloud_off: Online geocoding (Nominatim) is off: only offline "
                   "gazetteers are used. Set SYMBIOMAP_NOMINATIM=1 to allow it.")
    if not stored:
        st.info("The demo's sites are real OpenStreetMap buildings, already located. Save the "
                "demo to the database (Import page) or import your own list to geocode.")
    elif st.button("Locate the programme's sites", type="primary", key=Key.GC_RUN):
        bar = st.progress(0.0, text="Locating…")
        with ui.domain_errors():
            ctx.require_write("locate the programme's sites")
            records = pd.DataFrame(sites.drop(columns="geometry")).assign(
                lon=sites.geometry.x, lat=sites.geometry.y)
            out = geocode_frame(records, settings=ctx.settings, gazetteer=gazetteer,
                progress=lambda done, total: bar.progress(done / max(total, 1),
                                                          text=f"{done:,} of {total:,}"))
        for note in out.attrs.get(NOTES_ATTR, []):
            st.caption(f":material/info: {note}")
        changed = out[out["precision"] != sites["location_precision"]]
        for sid, row in zip(sites.loc[changed.index, "site_id"], changed.itertuples(),
                            strict=True):
            lon, lat = (None, None) if pd.isna(row.lon) else (row.lon, row.lat)
            ctx.store.update_site_location(sid, lon, lat, row.precision, row.source)
        st.success(f"{int(changed['lon'].notna().sum()):,} sites located or improved; "
                   f"{int((out['precision'] == 'not_found').sum()):,} not found.")
        st.dataframe(out[["name", "precision", "source", "candidate", "reason"]],
                     hide_index=True, width="stretch")

with tab_manual:
    if not stored:
        st.info("Manual placement edits the database: save the demo or import a list first.")
    else:
        labels = dict(zip(sites["site_id"], sites["name"], strict=True))
        sid = st.selectbox("Site to place", list(labels), key="gc_manual_site",
                           format_func=lambda s: f"{labels[s]} ({s})")
        site = sites[sites["site_id"] == sid].iloc[0]
        view = placement_bounds(site.to_dict(), ui.located_bounds(sites, prog.parks))
        st.caption("Click the map where the site is, then confirm — or type its coordinates. "
                   "Grey dots are towns (GeoNames) for orientation.")
        m = ui.base_map(ctx, bounds=view)
        add_reference_places(m, places_in_bounds(view))
        add_sites_by_precision(m, sites)
        clicked = ui.show_map(m, key="gc_manual_map", height=420,
                              returned_objects=["last_clicked"]).get("last_clicked")
        if clicked and st.button(f"Place here ({clicked['lat']:.5f}, {clicked['lng']:.5f})",
                                 key="gc_manual_go"):
            ctx.store.update_site_location(sid, clicked["lng"], clicked["lat"], "manual",
                                           "set by hand")
            st.success("Placed by hand: later batch runs will not move it.")
        c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
        lat = c1.number_input("Latitude (°N)", -90.0, 90.0, value=None, format="%.6f",
                              key=Key.GC_MANUAL_LAT)
        lon = c2.number_input("Longitude (°E)", -180.0, 180.0, value=None, format="%.6f",
                              key=Key.GC_MANUAL_LON)
        if c3.button("Place at these coordinates", key=Key.GC_MANUAL_TYPED,
                     disabled=lat is None or lon is None):
            with ui.domain_errors():
                ctx.require_write("place sites by hand")
                ctx.store.update_site_location(sid, lon, lat, "manual", "set by hand")
            st.success("Placed by hand: later batch runs will not move it.")

with tab_file:
    upload = st.file_uploader("Member list (CSV or Excel)", type=["csv", "xlsx"], key=Key.GC_FILE)
    if upload is not None and st.button("Locate the file's records", key=Key.GC_FILE_GO):
        with ui.domain_errors():
            data = upload.getvalue()
            check_upload(data, name=upload.name, accept=TABLE_KINDS,
                         limits=UploadLimits.from_megabytes(ctx.settings.max_upload_mb))
            table = read_table(io.BytesIO(data), filename=upload.name)
            bar = st.progress(0.0)
            out = geocode_frame(table, settings=ctx.settings, gazetteer=gazetteer,
                                progress=lambda d, t: bar.progress(d / max(t, 1)))
        st.dataframe(out, hide_index=True, width="stretch")
        ui.download_button("Download located records (CSV)", partial(to_csv_bytes, out),
                           file_name=f"located-{upload.name.rsplit('.', 1)[0]}.csv",
                           key=Key.GC_FILE_DL)

with st.expander("Gazetteers and their licences", icon=":material/license:"):
    st.dataframe(pd.DataFrame(GAZETTEER_SOURCES), hide_index=True, width="stretch")
