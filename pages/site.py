"""One member site: details, contacts, resources and synergies in tabs.

Reached from any table's site link (``/site?site=<site_id>``) or by picking a site here; the
parts are drawn by :mod:`ui.site`.
"""

from __future__ import annotations

import streamlit as st

import ui
from ui.site import SiteView, pick_site, show_site

ctx = ui.page_context("site")
view = SiteView.of(ctx)
site_id = pick_site(view)
if site_id is None:
    st.stop()
show_site(view, site_id)
