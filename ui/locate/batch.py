"""The geocoder chain over the programme's sites (written back in one transaction) or over
an uploaded member list (downloaded as CSV)."""

from __future__ import annotations

import io
from functools import partial
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

import ui
from geo.export import to_csv_bytes
from geo.geocode import NOTES_ATTR, default_gazetteer, gazetteer_from_parks, geocode_frame
from geo.i18n import _, format_number, ngettext
from geo.importer import read_table
from geo.uploads import TABLE_KINDS, UploadLimits, check_upload
from ui import Key

if TYPE_CHECKING:
    from collections.abc import Callable

    from ui.context import PageContext

__all__ = ["gazetteer", "locate_file", "locate_programme"]


def gazetteer(ctx: PageContext) -> pd.DataFrame:
    """The offline gazetteer with the programme's parks added."""
    return pd.concat([default_gazetteer(), gazetteer_from_parks(ctx.programme.parks)],
                     ignore_index=True)


def _progress(bar: Any, *, counted: bool) -> Callable[[int, int], None]:
    """A progress callback for :func:`geo.geocode.geocode_frame` moving ``bar``."""
    def show(done: int, total: int) -> None:
        text = _("{done} of {total}").format(done=format_number(done),
                                             total=format_number(total)) if counted else None
        bar.progress(done / max(total, 1), text=text)
    return show


def locate_programme(ctx: PageContext) -> None:
    """Run the chain over every site not placed by hand and store what it found (all of it
    or, on an error, none)."""
    sites = ctx.programme.sites
    st.markdown(_("Runs the geocoder chain — coordinates in the record, the programme's "
                  "gazetteer, UK postcodes, Chinese districts, world place names, then "
                  "Nominatim if switched on — over every site not placed by hand. Sites placed "
                  "by hand are never overwritten."))
    if not ctx.settings.nominatim:
        st.caption(":material/cloud_off: " + _("Online geocoding (Nominatim) is off: only "
                                                "offline gazetteers are used. Set "
                                                "SYMBIOMAP_NOMINATIM=1 to allow it."))
    if ctx.demo_unsaved:
        st.info(_("The demo's sites are real OpenStreetMap buildings, already located. Save "
                  "the demo to the database (Import page) or import your own list to "
                  "geocode."))
        return
    if not st.button(_("Locate the programme's sites"), type="primary", key=Key.GC_RUN):
        return
    with ui.domain_errors(), ui.progress_bar(_("Locating…")) as bar:
        ctx.require_write(_("locate the programme's sites"))
        records = pd.DataFrame(sites.drop(columns="geometry")).assign(
            lon=sites.geometry.x, lat=sites.geometry.y)
        out = geocode_frame(records, settings=ctx.settings, gazetteer=gazetteer(ctx),
                            progress=_progress(bar, counted=True))
        changed = out[out["precision"] != sites["location_precision"]]
        ctx.store.update_site_locations(
            ((sid, None if pd.isna(row.lon) else row.lon, None if pd.isna(row.lon) else row.lat,
              row.precision, row.source)
             for sid, row in zip(sites.loc[changed.index, "site_id"], changed.itertuples(),
                                 strict=True)),
            programme=ctx.programme.name)
    for note in out.attrs.get(NOTES_ATTR, []):
        st.caption(f":material/info: {note}")
    located = int(changed["lon"].notna().sum())
    st.success(ngettext("{located} site located or improved; {missing} not found.",
                        "{located} sites located or improved; {missing} not found.",
                        located).format(
        located=format_number(located),
        missing=format_number(int((out["precision"] == "not_found").sum()))))
    result = out[["name", "precision", "source", "candidate", "reason"]]
    st.dataframe(result, hide_index=True, width="stretch",
                 column_config=ui.column_config(result.columns))


def locate_file(ctx: PageContext) -> None:
    """Locate the records of an uploaded member list; show and download them."""
    upload = st.file_uploader(_("Member list (CSV or Excel)"), type=["csv", "xlsx"],
                              key=Key.GC_FILE)
    if upload is None or not st.button(_("Locate the file's records"), key=Key.GC_FILE_GO):
        return
    with ui.domain_errors():
        data = upload.getvalue()
        check_upload(data, name=upload.name, accept=TABLE_KINDS,
                     limits=UploadLimits.from_megabytes(ctx.settings.max_upload_mb))
        table = read_table(io.BytesIO(data), filename=upload.name)
        with ui.progress_bar() as bar:
            out = geocode_frame(table, settings=ctx.settings, gazetteer=gazetteer(ctx),
                                progress=_progress(bar, counted=False))
    st.dataframe(out, hide_index=True, width="stretch",
                 column_config=ui.column_config(out.columns))
    ui.download_button(_("Download located records (CSV)"), partial(to_csv_bytes, out),
                       file_name=f"located-{upload.name.rsplit('.', 1)[0]}.csv",
                       key=Key.GC_FILE_DL)
