"""SymbioMap — the Streamlit frame: page config, navigation, shared sidebar, logging.

Run with ``streamlit run app.py``. Pages live in ``pages/``; logic lives in ``geo/`` and
``layers/``; the ``ui`` package holds what the pages share (state, cached runs, maps).
"""

from __future__ import annotations

import logging

import streamlit as st

import ui
from geo.settings import OSM_ATTRIBUTION, PROJECT_ROOT, ROLES
from layers.base import install_static_assets

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

ui.leave_legacy_pages_mode()
# An emoji favicon is drawn in the browser; a ":material/…" one would be fetched from Google.
st.set_page_config(page_title="SymbioMap", page_icon="♻️", layout="wide")
install_static_assets(ui.STATIC_DIR)

# (file, title, icon) per section. A page file that does not exist yet is left out.
PAGE_SPECS: dict[str, list[tuple[str, str, str]]] = {
    "Programme": [
        ("pages/home.py", "Overview", ":material/map:"),
        ("pages/site.py", "Site", ":material/factory:"),
        ("pages/browse.py", "Browse & export", ":material/manage_search:"),
        ("pages/import_data.py", "Import", ":material/upload_file:"),
        ("pages/geocode.py", "Locate records", ":material/pin_drop:"),
    ],
    "Analysis": [
        ("pages/concentrations.py", "Concentrations", ":material/local_fire_department:"),
        ("pages/site_finder.py", "Site finder", ":material/domain:"),
        ("pages/milk_round.py", "Milk round", ":material/local_shipping:"),
    ],
    "Synergies": [
        ("pages/synergies.py", "Synergies", ":material/handshake:"),
        ("pages/workshop.py", "Workshop", ":material/groups:"),
        ("pages/reports.py", "Reports", ":material/monitoring:"),
    ],
    "Help": [
        ("pages/about.py", "Data & licences", ":material/info:"),
    ],
}
PAGES = {
    section: [st.Page(path, title=title, icon=icon, default=path == "pages/home.py")
              for path, title, icon in specs if (PROJECT_ROOT / path).exists()]
    for section, specs in PAGE_SPECS.items()
}

ctx = ui.page_context()
with st.sidebar:
    st.markdown("### :material/recycling: SymbioMap")
    names = [ui.DEMO_PROGRAMME]
    try:
        names += ctx.store.programme_names()
    except Exception:  # the store is optional for the demo; say why it is unavailable
        logging.getLogger(__name__).exception("Programme database unavailable")
        st.caption(":material/warning: Programme database unavailable; showing the demo.")
    st.selectbox("Programme", names, key=ui.Key.PROGRAMME_NAME,
                 format_func=lambda n: "Karhula demo (illustrative)" if n == ui.DEMO_PROGRAMME
                 else n)
    st.session_state.setdefault(ui.Key.VIEWER_ROLE, ctx.role)  # the SYMBIOMAP_ROLE setting
    st.radio("Viewing as", ROLES, key=ui.Key.VIEWER_ROLE, horizontal=True,
             help="Viewers (park authorities, investors) see only aggregates over at least "
                  f"{ctx.k} producers, never single companies.")
    ui.road_network_panel(ctx.programme_ref, settings=ctx.settings)
    st.caption(f"Map data {OSM_ATTRIBUTION}")

st.navigation(PAGES).run()
