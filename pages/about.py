"""Data sources, licences and settings in force."""

from __future__ import annotations

import streamlit as st

import ui
from geo.settings import OSM_ATTRIBUTION

ctx = ui.page_context("about")
st.title("Data & licences")
st.markdown(f"""
**Map data** {OSM_ATTRIBUTION}, <https://www.openstreetmap.org/copyright>. The embedded demo
uses the OpenStreetMap extract of Karhula (Kotka, Finland) shipped in the `pyrosm` package; its
company names, contacts and quantities are illustrative.

**Waste catalogue**: the European List of Waste (Commission Decision 2000/532/EC as amended by
Decision 2014/955/EU), transcribed by the SymbioMap developers; EU legal texts may be reused
(Commission Decision 2011/833/EU).

**Conversion factors**: UK Government GHG Conversion Factors for Company Reporting (DESNZ/Defra),
Open Government Licence v3.0 — see `data/factors/ghg_factors.csv` for each figure and edition.

**Map software**: Leaflet (BSD-2-Clause) served from this machine; no script comes from a CDN.
""")
try:
    from geo.geocode import GAZETTEER_SOURCES
except ImportError:
    GAZETTEER_SOURCES = []
if GAZETTEER_SOURCES:
    st.subheader("Gazetteers")
    import pandas as pd

    st.dataframe(pd.DataFrame(GAZETTEER_SOURCES), hide_index=True, width="stretch")

st.subheader("Settings in force")
s = ctx.settings
# Server paths and database addresses only for administrators (and the one desktop user).
server_details = ctx.user_role == "administrator" or not s.server
rows = [{"setting": "mode", "value": s.mode}]
if server_details:
    from sqlalchemy.engine import make_url

    rows.append({"setting": "database",
                 "value": make_url(s.database_url).render_as_string(hide_password=True)})
st.dataframe(
    [*rows,
     {"setting": "catalogue", "value": str(s.catalogue_path.name)},
     {"setting": "tile server", "value": s.tile_url or "none — offline vector base map"},
     {"setting": "Nominatim (online geocoding)", "value": "on" if s.nominatim else "off"},
     {"setting": "OSM downloads", "value": "on" if s.online_osm else "off"},
     {"setting": "confidentiality k", "value": str(s.k_anonymity)}],
    hide_index=True, width="stretch")
st.caption("Change these with SYMBIOMAP_* environment variables (see README).")
