"""Import a member list (CSV or Excel): validate, store good rows, keep bad rows for correction.

The form and the results are drawn by :mod:`ui.import_data`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from ui.import_data import choose_import, run_import, show_report, show_stored

ctx = ui.page_context("import")
st.title(_("Import member records"))
st.markdown(_("Upload a CSV or Excel (.xlsx) list of member sites and their resources: one "
              "row per resource (site name, address/postcode/country or lon/lat, have/want, "
              "waste code, quantity and unit …). Headers are matched tolerantly ({examples}); "
              "UTF-8, GB18030 and Latin-1 files are read.")
            .format(examples="`Company`, `Empresa`, `企业名称` …"))
choice = choose_import(ctx)
run_import(ctx, choice)
if (report := st.session_state.get("imp_report")) is not None:
    show_report(report)
show_stored(ctx, choice.writable)
