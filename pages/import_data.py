"""Import a member list (CSV or Excel): validate, store good rows, keep bad rows for correction."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from geo.export import to_csv_bytes
from geo.i18n import N_, _, format_number, ngettext
from geo.importer import import_file
from geo.programme import PROVENANCES
from geo.synergies import repository as repo
from geo.uploads import TABLE_KINDS, UploadLimits, check_upload, discard_upload, save_upload
from ui import Key, runs

# The *Into programme* choice that creates a programme (a code, never a programme name).
NEW_PROGRAMME = "__new__"
# Display label of each provenance code (translated with `_` where shown).
# Translators: where imported records come from (the provenance kept with each record).
PROVENANCE_LABELS = {
    "workshop": N_("workshop"), "site visit": N_("site visit"), "survey": N_("survey"),
    "public register": N_("public register"), "import file": N_("import file"),
    "demo generator": N_("demo generator"), "manual entry": N_("manual entry"),
}


def provenance_label(code: str) -> str:
    """A provenance code as people read it."""
    label = PROVENANCE_LABELS.get(code)
    return _(label) if label else code


ctx = ui.page_context("import")
st.title(_("Import member records"))

st.markdown(_("Upload a CSV or Excel (.xlsx) list of member sites and their resources: one "
              "row per resource (site name, address/postcode/country or lon/lat, have/want, "
              "waste code, quantity and unit …). Headers are matched tolerantly ({examples}); "
              "UTF-8, GB18030 and Latin-1 files are read.")
            .format(examples="`Company`, `Empresa`, `企业名称` …"))
store = ctx.store
existing = ui.writable_programmes(ctx)
new_choice = [NEW_PROGRAMME] if ui.may_create_programme(ctx) else []
if not existing and not new_choice:
    ui.refuse(_("No programme to import into"),
              _("You may not write to any stored programme; ask its administrator."))
c1, c2 = st.columns(2)
target = c1.selectbox(_("Into programme"), [*existing, *new_choice], key="imp_target",
                      format_func=lambda n: "＋ " + _("new programme") if n == NEW_PROGRAMME
                      else n)
new_name = c2.text_input(_("New programme name"), value=_("My programme"),
                         key=Key.IMP_NEW_NAME, disabled=target != NEW_PROGRAMME)
name = new_name.strip() if target == NEW_PROGRAMME else target
provenance = c1.selectbox(_("Where the records come from"), PROVENANCES, key="imp_provenance",
                          index=PROVENANCES.index("import file"), format_func=provenance_label)
upload = st.file_uploader(_("Member list"), type=["csv", "xlsx", "txt"], key=Key.IMP_FILE)

if upload is not None and st.button(_("Validate and import"), type="primary", key=Key.IMP_GO):
    data = upload.getvalue()
    with ui.domain_errors(), st.spinner(_("Validating…")):
        ui.require_import_target(ctx, name)
        check_upload(data, name=upload.name, accept=TABLE_KINDS,
                     limits=UploadLimits.from_megabytes(ctx.settings.max_upload_mb))
        path = save_upload(data, name=upload.name,
                           root=Path(ctx.settings.data_dir) / "uploads")
        created = name not in store.programme_names()
        try:
            report = import_file(path, store=store, programme=name, provenance=provenance)
        except BaseException:  # nothing landed: keep no copy of the file either
            discard_upload(path)
            raise
        if created:
            ui.grant_creator(ctx, name)
        if report.imported or report.sites_added:  # every reader needs them at the new version
            runs.warm_after_write(name, ctx.settings)
    st.session_state["imp_report"] = report

report = st.session_state.get("imp_report")
if report is not None:
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(_("Rows read"), format_number(report.rows))
    m2.metric(_("Imported"), format_number(report.imported))
    m3.metric(_("Already present"), format_number(report.duplicates))
    m4.metric(_("Rejected"), format_number(report.rejected))
    st.caption(" · ".join([
        ngettext("{n} new member site", "{n} new member sites", report.sites_added)
        .format(n=format_number(report.sites_added)),
        ngettext("{n} new contact person (personal data: practitioners only)",
                 "{n} new contact people (personal data: practitioners only)",
                 report.contacts_added).format(n=format_number(report.contacts_added)),
        # Translators: {format} is the file's format (xlsx), {sheet} the workbook's sheet read.
        _("read as {format}, sheet “{sheet}”.").format(format=report.format or _("table"),
                                                       sheet=ui.plain(report.sheet))
        if report.sheet else
        # Translators: {format} is the file's format (e.g. csv, xlsx), {encoding} its text
        # encoding (e.g. utf-8).
        _("read as {format}, {encoding}.").format(format=report.format or _("table"),
                                                  encoding=report.encoding or _("n/a")),
    ]))
    if report.errors:
        st.subheader(_("Rows to correct"))
        st.caption(_("Each problem with its file row number (the header is row 1). Rejected "
                     "rows are kept: download them, correct them and import the file again."))
        errors = pd.DataFrame(report.errors)
        st.dataframe(errors, hide_index=True, width="stretch",
                     column_config=ui.column_config(errors.columns))
        ui.download_button(_("Download rejected rows (CSV)"),
                           partial(to_csv_bytes, report.rejects),
                           file_name="rejected-rows.csv", key=Key.IMP_REJECTS_DL)
    else:
        st.success(_("Every row passed validation."))

if existing:
    with st.expander(_("Unresolved rejected rows in the database"), icon=":material/rule:"):
        pick = st.selectbox(_("Programme"), existing, key="imp_rej_prog")
        rejects = store.rejects(pick)
        st.dataframe(rejects, hide_index=True, width="stretch",
                     column_config=ui.column_config(rejects.columns))
with st.expander(_("Start from the demo"), icon=":material/science:"):
    st.caption(_("Copies the Karhula demo programme (illustrative figures) into the database, "
                 "where it can be edited, geocoded and extended."))
    if st.button(_("Save the demo programme to the database"), key=Key.IMP_SAVE_DEMO):
        from geo.demo import DEMO_NAME, load_demo_programme

        with ui.domain_errors():
            ctx.require_write(_("save the demo to the database"))
            if DEMO_NAME in store.programme_names():  # saving it again would undo its edits
                st.info(_("The demo is already in the database, with the changes made to it "
                          "since. Pick it in the sidebar's *Programme* list."))
            else:  # with its illustrative synergies, as when a first synergy stores it
                repo.ensure_programme(store, load_demo_programme())
                st.success(_("Saved. Pick it in the sidebar's *Programme* list."))
