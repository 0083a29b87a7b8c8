"""The Import page's results: the last import's report with the rows to correct, the
programmes' unresolved rejected rows, and the demo copied into the database."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.export import to_csv_bytes
from geo.i18n import _, format_number, ngettext
from geo.synergies import repository as repo
from ui.data import stored_rejects
from ui.state import Key
from ui.widgets import column_config, domain_errors, download_button, plain

if TYPE_CHECKING:
    from geo.importer import ImportReport
    from ui.context import PageContext

__all__ = ["show_report", "show_stored"]


def show_report(report: ImportReport) -> None:
    """The figures of an import, how its file was read, and its rows to correct."""
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
                                                       sheet=plain(report.sheet))
        if report.sheet else
        # Translators: {format} is the file's format (e.g. csv, xlsx), {encoding} its text
        # encoding (e.g. utf-8).
        _("read as {format}, {encoding}.").format(format=report.format or _("table"),
                                                  encoding=report.encoding or _("n/a")),
    ]))
    if report.warnings:
        st.warning(ngettext("{n} row was stored with a figure to check:",
                            "{n} rows were stored with a figure to check:",
                            len(report.warnings)).format(n=format_number(len(report.warnings))),
                   icon=":material/warning:")
        checks = pd.DataFrame(report.warnings)
        st.dataframe(checks, hide_index=True, width="stretch", key="imp_warnings",
                     column_config=column_config(checks.columns))
    if report.errors:
        st.subheader(_("Rows to correct"))
        st.caption(_("Each problem with its file row number (the header is row 1). Rejected "
                     "rows are kept: download them, correct them and import the file again."))
        errors = pd.DataFrame(report.errors)
        st.dataframe(errors, hide_index=True, width="stretch",
                     column_config=column_config(errors.columns))
        download_button(_("Download rejected rows (CSV)"),
                        partial(to_csv_bytes, report.rejects),
                        file_name="rejected-rows.csv", key=Key.IMP_REJECTS_DL)
    else:
        st.success(_("Every row passed validation."))


def _stored_rejects_csv(stored: pd.DataFrame) -> bytes:
    from geo.importer.run import stored_rejects_file

    return to_csv_bytes(stored_rejects_file(stored))


def readable_rejects(rejects: pd.DataFrame) -> pd.DataFrame:
    """Stored rejected rows as people read them: the file, when, the row, its problems in
    words and the row as read (``Header: value · …``), without the internal ids, keys and the
    problems' structured form.

    Examples
    --------
    >>> rejects = pd.DataFrame({"reject_id": [1], "batch_id": [1], "file_name": ["m.csv"],
    ...     "imported_at": [pd.Timestamp("2026-12-07", tz="UTC")], "row": [9],
    ...     "raw": [{"Company": "Acme Oy", "Quantity": "lots"}],
    ...     "errors": [[{"column": "Quantity", "message": "write digits only"}]],
    ...     "message": ["Quantity: write digits only"], "reject_key": ["k"],
    ...     "resolved": [False]})
    >>> readable_rejects(rejects).iloc[0].to_dict()["raw"]
    'Company: Acme Oy · Quantity: lots'
    >>> list(readable_rejects(rejects).columns)
    ['file_name', 'imported_at', 'row', 'message', 'raw']
    """
    raw = [" · ".join(f"{k}: {v}" for k, v in r.items() if v not in (None, ""))
           if isinstance(r, dict) else str(r) for r in rejects["raw"]]
    return rejects[["file_name", "imported_at", "row", "message"]].assign(raw=raw)


@st.cache_resource(show_spinner=False, max_entries=8)
def readable_stored_rejects(database_url: str, name: str, version: int) -> pd.DataFrame:
    """:func:`readable_rejects` of :func:`ui.data.stored_rejects`, once per data version (the
    page shows them on every rerun while their expander is open). A shared object: do not
    change it."""
    return readable_rejects(stored_rejects(database_url, name, version))


def show_stored(ctx: PageContext, writable: list[str]) -> None:
    """The unresolved rejected rows of the programmes this person may write to, and the
    button that copies the demo into the database."""
    box = st.expander(_("Unresolved rejected rows in the database"), icon=":material/rule:",
                      key=Key.IMP_STORED_REJECTS, on_change="rerun") if writable else None
    if box is not None and box.open:  # read only when opened: thousands of rows, per rerun
        with box, domain_errors():  # the database down mid-session: said in words
            pick = st.selectbox(_("Programme"), writable, key="imp_rej_prog")
            version = ctx.store.data_versions(pick).programme  # read now: after an import too
            stored = stored_rejects(ctx.settings.database_url, pick, version)
            shown = readable_stored_rejects(ctx.settings.database_url, pick, version)
            st.dataframe(shown, hide_index=True, width="stretch",
                         column_config=column_config(shown))
            if len(stored):
                st.caption(_("Download them, correct them in the file and import it again: "
                             "each corrected row resolves its reject."))
                # one file per imported file: their headers differ, and a merged file would
                # not import again
                files = list(dict.fromkeys(stored["file_name"].astype(str)))
                for i, source in enumerate(files):
                    label = _("Download these rows to correct (CSV)") if len(files) == 1 else \
                        _("Download the rows of {file} to correct (CSV)").format(file=source)
                    stem = re.sub(r"[^\w.-]+", "_", Path(source).stem).strip("._") or "rows"
                    download_button(label, partial(_stored_rejects_csv,
                                                   stored[stored["file_name"].astype(str)
                                                          == source]),
                                    file_name=f"{stem}-rejected.csv",
                                    key=Key.IMP_STORED_REJECTS_DL if i == 0
                                    else f"{Key.IMP_STORED_REJECTS_DL}_{i}")
    with st.expander(_("Start from the demo"), icon=":material/science:"):
        st.caption(_("Copies the Karhula demo programme (illustrative figures) into the database, "
                     "where it can be edited, geocoded and extended."))
        if st.button(_("Save the demo programme to the database"), key=Key.IMP_SAVE_DEMO):
            from geo.demo import DEMO_NAME, load_demo_programme

            with domain_errors():
                ctx.require_write(_("save the demo to the database"))
                store = ctx.store
                if DEMO_NAME in store.programme_names():  # saving it again would undo its edits
                    st.info(_("The demo is already in the database, with the changes made to it "
                              "since: the sidebar's demo programme shows that copy."))
                else:  # with its illustrative synergies, as when a first synergy stores it
                    repo.ensure_programme(store, load_demo_programme())
                    st.success(_("Saved. The sidebar's demo programme now shows the copy in the "
                                 "database, which can be edited, located and extended."))
