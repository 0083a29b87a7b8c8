"""Locate records: the geocoder chain, a quality view by precision, and manual placement.

The tabs are drawn by :mod:`ui.locate`.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import _
from ui.locate import (
    gazetteer_licences,
    locate_file,
    locate_programme,
    location_quality,
    place_by_hand,
)

ctx = ui.page_context("locate")
st.title(_("Locate records"))
tab_quality, tab_batch, tab_manual, tab_file = st.tabs(
    [":material/verified: " + _("Quality"),
     ":material/travel_explore: " + _("Locate the programme"),
     ":material/touch_app: " + _("Place by hand"),
     ":material/upload_file: " + _("Locate a file")])
with tab_quality:
    location_quality(ctx)
with tab_batch:
    locate_programme(ctx)
with tab_manual:
    place_by_hand(ctx)
with tab_file:
    locate_file(ctx)
gazetteer_licences()
