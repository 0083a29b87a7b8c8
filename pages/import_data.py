"""Import a member list (CSV or Excel): validate, store good rows, keep bad rows for correction."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from geo.export import to_csv_bytes
from geo.importer import import_file
from geo.programme import PROVENANCES
from geo.uploads import TABLE_KINDS, UploadLimits, check_upload, save_upload
from ui import Key

ctx = ui.page_context("import")
st.title("Import member records")

st.markdown("Upload a CSV or Excel (.xlsx) list of member sites and their resources: one row "
            "per resource (site name, address/postcode/country or lon/lat, have/want, waste "
            "code, quantity and unit …). Headers are matched tolerantly (`Company`, `Empresa`, "
            "`企业名称` …); UTF-8, GB18030 and Latin-1 files are read.")
store = ctx.store
existing = ui.writable_programmes(ctx)
new_choice = ["＋ new programme"] if ui.may_create_programme(ctx) else []
if not existing and not new_choice:
    ui.refuse("No programme to import into",
              "You may not write to any stored programme; ask its administrator.")
c1, c2 = st.columns(2)
target = c1.selectbox("Into programme", [*existing, *new_choice], key="imp_target")
new_name = c2.text_input("New programme name", value="My programme", key=Key.IMP_NEW_NAME,
                         disabled=target != "＋ new programme")
name = new_name.strip() if target == "＋ new programme" else target
provenance = c1.selectbox("Where the records come from", PROVENANCES, key="imp_provenance",
                          index=PROVENANCES.index("import file"))
upload = st.file_uploader("Member list", type=["csv", "xlsx", "txt"], key=Key.IMP_FILE)

if upload is not None and st.button("Validate and import", type="primary", key=Key.IMP_GO):
    data = upload.getvalue()
    with ui.domain_errors(), st.spinner("Validating…"):
        ui.require_import_target(ctx, name)
        check_upload(data, name=upload.name, accept=TABLE_KINDS,
                     limits=UploadLimits.from_megabytes(ctx.settings.max_upload_mb))
        path = save_upload(data, name=upload.name,
                           root=Path(ctx.settings.data_dir) / "uploads")
        created = name not in store.programme_names()
        report = import_file(path, store=store, programme=name, provenance=provenance)
        if created:
            ui.grant_creator(ctx, name)
    st.session_state["imp_report"] = report

report = st.session_state.get("imp_report")
if report is not None:
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Rows read", f"{report.rows:,}")
    m2.metric("Imported", f"{report.imported:,}")
    m3.metric("Already present", f"{report.duplicates:,}")
    m4.metric("Rejected", f"{report.rejected:,}")
    st.caption(f"{report.sites_added:,} new member sites · {report.contacts_added:,} new contact "
               "people (personal data: practitioners only) · read as "
               f"{report.format or 'table'}, {report.encoding or 'n/a'}.")
    if report.errors:
        st.subheader("Rows to correct")
        st.caption("Each problem with its file row number (the header is row 1). Rejected rows "
                   "are kept: download them, correct them and import the file again.")
        st.dataframe(pd.DataFrame(report.errors), hide_index=True, width="stretch")
        ui.download_button("Download rejected rows (CSV)", partial(to_csv_bytes, report.rejects),
                           file_name="rejected-rows.csv", key=Key.IMP_REJECTS_DL)
    else:
        st.success("Every row passed validation.")

if existing:
    with st.expander("Unresolved rejected rows in the database", icon=":material/rule:"):
        pick = st.selectbox("Programme", existing, key="imp_rej_prog")
        rejects = store.rejects(pick)
        st.dataframe(rejects, hide_index=True, width="stretch")
with st.expander("Start from the demo", icon=":material/science:"):
    st.caption("Copies the Karhula demo programme (illustrative figures) into the database, "
               "where it can be edited, geocoded and extended.")
    if st.button("Save the demo programme to the database", key=Key.IMP_SAVE_DEMO):
        from geo.demo import load_demo_programme

        with ui.domain_errors():
            ctx.require_write("save the demo to the database")
            store.save_programme(load_demo_programme(), replace=True)
        st.success("Saved. Pick it in the sidebar's *Programme* list.")
