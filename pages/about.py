"""Data sources, licences and settings in force."""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import N_, _, format_number

# Headers of the gazetteer table that have no general column label.
GAZETTEER_LABELS = {"step": N_("Step"), "package": N_("Package"), "licence": N_("Licence"),
                    "attribution": N_("Attribution")}


def on_off(flag: bool) -> str:
    """A switch's state as people read it."""
    return _("on") if flag else _("off")

ctx = ui.page_context("about")
st.title(_("Data & licences"))
# Translators: in these paragraphs keep "© OpenStreetMap contributors", licence names
# (ODbL 1.0, Open Government Licence v3.0, BSD-2-Clause), decision numbers and file names
# exactly as they are.
st.markdown("\n\n".join([
    _("**Map data** © OpenStreetMap contributors (ODbL 1.0), {url}. The embedded demo uses the "
      "OpenStreetMap extract of Karhula (Kotka, Finland) shipped in the `pyrosm` package; its "
      "company names, contacts and quantities are illustrative.")
    .format(url="<https://www.openstreetmap.org/copyright>"),
    _("**Waste catalogue**: the European List of Waste (Commission Decision 2000/532/EC as "
      "amended by Decision 2014/955/EU), transcribed by the SymbioMap developers; EU legal "
      "texts may be reused (Commission Decision 2011/833/EU)."),
    _("**Conversion factors**: UK Government GHG Conversion Factors for Company Reporting "
      "(DESNZ/Defra), Open Government Licence v3.0 — see {path} for each figure and edition.")
    .format(path="`data/factors/ghg_factors.csv`"),
    _("**Map software**: Leaflet (BSD-2-Clause) served from this machine; no script comes "
      "from a CDN."),
]))
try:
    from geo.geocode import GAZETTEER_SOURCES
except ImportError:
    GAZETTEER_SOURCES = []
if GAZETTEER_SOURCES:
    st.subheader(_("Gazetteers"))
    import pandas as pd

    gazetteers = pd.DataFrame(GAZETTEER_SOURCES)
    st.dataframe(gazetteers, hide_index=True, width="stretch",
                 column_config=ui.column_config(gazetteers.columns, labels={
                     col: _(label) for col, label in GAZETTEER_LABELS.items()}))

st.subheader(_("Settings in force"))
s = ctx.settings
# Server paths and database addresses only for administrators (and the one desktop user).
server_details = ctx.user_role == "administrator" or not s.server
rows = [{"setting": _("mode"), "value": s.mode}]
if server_details:
    from sqlalchemy.engine import make_url

    rows.append({"setting": _("database"),
                 "value": make_url(s.database_url).render_as_string(hide_password=True)})
st.dataframe(
    [*rows,
     {"setting": _("catalogue"), "value": str(s.catalogue_path.name)},
     {"setting": _("tile server"), "value": (s.tile_url if server_details
                                             else ui.url_host(s.tile_url))
      or _("none — offline vector base map")},
     {"setting": _("Nominatim (online geocoding)"), "value": on_off(s.nominatim)},
     {"setting": _("OSM downloads"), "value": on_off(s.online_osm)},
     {"setting": _("confidentiality k"), "value": format_number(s.k_anonymity)}],
    hide_index=True, width="stretch",
    column_config=ui.column_config(["setting", "value"],
                                   labels={"setting": _("Setting"), "value": _("Value")}))
st.caption(_("Change these with SYMBIOMAP_* environment variables (see README)."))
