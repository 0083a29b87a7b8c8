"""One member site: details, contacts, resources and synergies in tabs.

Reached from any table's site link (``/site?site=<site_id>``) or by picking a site here.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.confidentiality import redact_companies
from layers.base import add_parks, add_sites
from ui import Key

ctx = ui.page_context("site")
prog = ctx.programme

sites = prog.sites.sort_values("name")
if sites.empty:
    st.info("This programme has no member sites yet — import a member list first.")
    st.stop()
ids = sites["site_id"].tolist()
wanted = st.query_params.get("site")
index = ids.index(wanted) if wanted in ids else 0
labels = dict(zip(sites["site_id"], sites["name"], strict=True))
site_id = st.selectbox("Site", ids, index=index, key=Key.SITE_PICK,
                       format_func=lambda s: f"{labels[s]} ({s})")
st.query_params["site"] = site_id
site = sites[sites["site_id"] == site_id].iloc[0]

st.title(ui.plain(site["name"]))
st.caption(ui.plain(f"{site['address'] or ''} {site['postcode'] or ''} {site['city'] or ''} "
                    f"{site['country'] or ''} · sector NACE {site['sector_nace'] or '—'}"))
ui.illustrative_note(prog)
st.page_link("pages/browse.py", label="Back to all resources", icon=":material/arrow_back:")

res = prog.resources[prog.resources["site_id"] == site_id]
contacts = prog.contacts[prog.contacts["site_id"] == site_id]
t_details, t_resources, t_contacts, t_synergies = st.tabs(
    [":material/location_on: Details", f":material/inventory_2: Resources ({len(res)})",
     f":material/contacts: Contacts ({len(contacts)})", ":material/handshake: Synergies"])

with t_details:
    left, right = st.columns([2, 3])
    with left:
        park = prog.parks.loc[prog.parks["park_id"] == site["park_id"], "name"]
        st.markdown(f"**Park:** {ui.plain(park.iloc[0] if len(park) else 'outside any park')}")
        geom = site.geometry
        if geom is None or geom.is_empty:
            st.warning("Not located yet — use **Locate records**.")
        else:
            st.markdown(f"**Location:** {geom.y:.5f} N, {geom.x:.5f} E  \n"
                        f"**Precision:** {ui.plain(site['location_precision'])} "
                        f"({ui.plain(site['location_source'])})")
        st.markdown(f"**Recorded:** {ui.plain(site['recorded_on'])} "
                    f"({ui.plain(site['provenance'])})")
    with right:
        if geom is not None and not geom.is_empty:
            pad = 0.004
            m = ui.base_map(ctx, bounds=(geom.x - pad, geom.y - pad / 2,
                                         geom.x + pad, geom.y + pad / 2))
            add_parks(m, prog.parks)
            add_sites(m, prog.sites, colour="#9aa5ab", radius=4, name="Other sites")
            add_sites(m, sites[sites["site_id"] == site_id], colour="#d7301f", radius=9,
                      name="This site")
            ui.show_map(m, key="site_map", height=320)

with t_resources:
    st.dataframe(res.drop(columns=["site_id"]), hide_index=True, width="stretch")
    ui.download_buttons(res, stem=f"resources-{site_id}", key="site_res_dl",
                        formats=("csv", "xlsx"))

with t_contacts:
    st.caption("Personal data: shown to practitioners only.")
    st.dataframe(redact_companies(contacts.drop(columns=["site_id"]), role=ctx.role),
                 hide_index=True, width="stretch")

with t_synergies:
    try:
        from geo.synergies.repository import synergies_for_site
    except ImportError:
        st.info("Synergy tracking is not available in this installation.")
    else:
        with ui.domain_errors():
            syn = synergies_for_site(ctx.store, prog.name, site_id)
        if syn.empty:
            st.info("No synergies involve this site yet — find matches on **Synergies**.")
        else:
            st.dataframe(syn, hide_index=True, width="stretch")
