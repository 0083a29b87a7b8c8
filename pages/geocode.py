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
from geo.i18n import N_, _, format_number, ngettext
from geo.importer import read_table
from geo.programme import PRECISIONS, precision_rank
from geo.uploads import TABLE_KINDS, UploadLimits, check_upload
from layers.base import add_parks
from layers.quality import PRECISION_LABELS, add_reference_places, add_sites_by_precision
from ui import Key

# Headers of the gazetteer table that have no general column label.
GAZETTEER_LABELS = {"step": N_("Step"), "package": N_("Package"), "licence": N_("Licence"),
                    "attribution": N_("Attribution")}


def precision_label(code: object) -> str:
    """A location precision code as people read it."""
    label = PRECISION_LABELS.get(str(code))
    return _(label) if label else str(code)


ctx = ui.page_context("locate")
st.title(_("Locate records"))
prog = ctx.programme
stored = not ctx.is_demo
sites = prog.sites
gazetteer = pd.concat([default_gazetteer(), gazetteer_from_parks(prog.parks)],
                      ignore_index=True)

tab_quality, tab_batch, tab_manual, tab_file = st.tabs(
    [":material/verified: " + _("Quality"),
     ":material/travel_explore: " + _("Locate the programme"),
     ":material/touch_app: " + _("Place by hand"),
     ":material/upload_file: " + _("Locate a file")])

with tab_quality:
    counts = sites["location_precision"].fillna("not_found").value_counts().reindex(
        PRECISIONS, fill_value=0)
    # best precision first, as the slider below runs (not alphabetically by label)
    st.bar_chart(counts.rename(index=precision_label).rename(_("Sites")), horizontal=True,
                 height=220, sort=False)
    worst = st.select_slider(_("Show records placed no better than"), PRECISIONS,
                             value="not_found", key="gc_worst", format_func=precision_label)
    shown = sites[precision_rank(sites["location_precision"].fillna("not_found"))
                  >= PRECISIONS.index(worst)]
    table = shown.drop(columns="geometry")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config=ui.column_config(table.columns))
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    drawn = add_sites_by_precision(m, sites)
    ui.show_map(m, key="gc_quality_map", height=420)
    st.caption(ngettext("{drawn} of {n} site on the map; {missing} not located.",
                        "{drawn} of {n} sites on the map; {missing} not located.",
                        len(sites)).format(
        drawn=format_number(drawn), n=format_number(len(sites)),
        missing=format_number(len(sites) - drawn)))

with tab_batch:
    st.markdown(_("Runs the geocoder chain — coordinates in the record, the programme's "
                  "gazetteer, UK postcodes, Chinese districts, world place names, then "
                  "Nominatim if switched on — over every site not placed by hand. Sites placed "
                  "by hand are never overwritten."))
    if not ctx.settings.nominatim:
        st.caption(":material/cloud_off: " + _("Online geocoding (Nominatim) is off: only "
                                                "offline gazetteers are used. Set "
                                                "SYMBIOMAP_NOMINATIM=1 to allow it."))
    if not stored:
        st.info(_("The demo's sites are real OpenStreetMap buildings, already located. Save "
                  "the demo to the database (Import page) or import your own list to "
                  "geocode."))
    elif st.button(_("Locate the programme's sites"), type="primary", key=Key.GC_RUN):
        bar = st.progress(0.0, text=_("Locating…"))
        with ui.domain_errors():
            ctx.require_write(_("locate the programme's sites"))
            records = pd.DataFrame(sites.drop(columns="geometry")).assign(
                lon=sites.geometry.x, lat=sites.geometry.y)
            out = geocode_frame(records, settings=ctx.settings, gazetteer=gazetteer,
                progress=lambda done, total: bar.progress(
                    done / max(total, 1), text=_("{done} of {total}").format(
                        done=format_number(done), total=format_number(total))))
        for note in out.attrs.get(NOTES_ATTR, []):
            st.caption(f":material/info: {note}")
        changed = out[out["precision"] != sites["location_precision"]]
        for sid, row in zip(sites.loc[changed.index, "site_id"], changed.itertuples(),
                            strict=True):
            lon, lat = (None, None) if pd.isna(row.lon) else (row.lon, row.lat)
            ctx.store.update_site_location(sid, lon, lat, row.precision, row.source)
        located = int(changed["lon"].notna().sum())
        st.success(ngettext("{located} site located or improved; {missing} not found.",
                            "{located} sites located or improved; {missing} not found.",
                            located).format(
            located=format_number(located),
            missing=format_number(int((out["precision"] == "not_found").sum()))))
        result = out[["name", "precision", "source", "candidate", "reason"]]
        st.dataframe(result, hide_index=True, width="stretch",
                     column_config=ui.column_config(result.columns))

with tab_manual:
    if not stored:
        st.info(_("Manual placement edits the database: save the demo or import a list "
                  "first."))
    else:
        labels = dict(zip(sites["site_id"], sites["name"], strict=True))
        sid = st.selectbox(_("Site to place"), list(labels), key="gc_manual_site",
                           format_func=lambda s: f"{labels[s]} ({s})")
        site = sites[sites["site_id"] == sid].iloc[0]
        view = placement_bounds(site.to_dict(), ui.located_bounds(sites, prog.parks))
        st.caption(_("Click the map where the site is, then confirm — or type its "
                     "coordinates. Grey dots are towns (GeoNames) for orientation."))
        m = ui.base_map(ctx, bounds=view)
        add_reference_places(m, places_in_bounds(view))
        add_sites_by_precision(m, sites)
        clicked = ui.show_map(m, key="gc_manual_map", height=420,
                              returned_objects=["last_clicked"]).get("last_clicked")
        if clicked and st.button(_("Place here ({lat}, {lon})").format(
                lat=format_number(clicked["lat"], digits=5),
                lon=format_number(clicked["lng"], digits=5)), key="gc_manual_go"):
            ctx.store.update_site_location(sid, clicked["lng"], clicked["lat"], "manual",
                                           "set by hand")
            st.success(_("Placed by hand: later batch runs will not move it."))
        c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
        lat = c1.number_input(_("Latitude (°N)"), -90.0, 90.0, value=None, format="%.6f",
                              key=Key.GC_MANUAL_LAT)
        lon = c2.number_input(_("Longitude (°E)"), -180.0, 180.0, value=None, format="%.6f",
                              key=Key.GC_MANUAL_LON)
        if c3.button(_("Place at these coordinates"), key=Key.GC_MANUAL_TYPED,
                     disabled=lat is None or lon is None):
            with ui.domain_errors():
                ctx.require_write(_("place sites by hand"))
                ctx.store.update_site_location(sid, lon, lat, "manual", "set by hand")
            st.success(_("Placed by hand: later batch runs will not move it."))

with tab_file:
    upload = st.file_uploader(_("Member list (CSV or Excel)"), type=["csv", "xlsx"],
                              key=Key.GC_FILE)
    if upload is not None and st.button(_("Locate the file's records"), key=Key.GC_FILE_GO):
        with ui.domain_errors():
            data = upload.getvalue()
            check_upload(data, name=upload.name, accept=TABLE_KINDS,
                         limits=UploadLimits.from_megabytes(ctx.settings.max_upload_mb))
            table = read_table(io.BytesIO(data), filename=upload.name)
            bar = st.progress(0.0)
            out = geocode_frame(table, settings=ctx.settings, gazetteer=gazetteer,
                                progress=lambda d, t: bar.progress(d / max(t, 1)))
        st.dataframe(out, hide_index=True, width="stretch",
                     column_config=ui.column_config(out.columns))
        ui.download_button(_("Download located records (CSV)"), partial(to_csv_bytes, out),
                           file_name=f"located-{upload.name.rsplit('.', 1)[0]}.csv",
                           key=Key.GC_FILE_DL)

with st.expander(_("Gazetteers and their licences"), icon=":material/license:"):
    gazetteers = pd.DataFrame(GAZETTEER_SOURCES)
    st.dataframe(gazetteers, hide_index=True, width="stretch",
                 column_config=ui.column_config(gazetteers.columns, labels={
                     col: _(label) for col, label in GAZETTEER_LABELS.items()}))
