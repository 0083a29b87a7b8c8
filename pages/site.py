"""One member site: details, contacts, resources and synergies in tabs.

Reached from any table's site link (``/site?site=<site_id>``) or by picking a site here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import ui
from geo.confidentiality import redact_companies
from geo.errors import SymbiosisError
from geo.i18n import _, format_number
from geo.location_levels import DEFAULT_PRESET, level_labels, location_headers
from geo.store.locations import programme_location_preset
from layers.base import add_parks, add_sites
from layers.quality import PRECISION_LABELS
from ui import Key

ctx = ui.page_context("site")
prog = ctx.programme


try:  # the programme's names for its location levels (省 / 市 / 园区 …)
    preset = programme_location_preset(ctx.store, prog.name)
except SymbiosisError:  # the database down: the demo keeps working, with the default labels
    preset = DEFAULT_PRESET


def _headers(frame: object) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names); the park and location columns take the programme's level labels."""
    columns = [str(c) for c in getattr(frame, "columns", [])]
    return ui.column_config(columns, labels=location_headers(preset, columns))



sites = prog.sites.sort_values("name")
if sites.empty:
    st.info(_("This programme has no member sites yet — import a member list first."))
    st.stop()
labels = (sites["name"].astype(str) + " (" + sites["site_id"].astype(str) + ")").set_axis(
    sites["site_id"].to_numpy())
wanted = st.query_params.get("site")
if wanted in labels.index and Key.SITE_PICK not in st.session_state:  # a link to one site
    st.session_state[Key.SITE_PICK] = wanted
elif wanted and wanted not in labels.index:  # an old or mistyped link: say so, pick another
    # Translators: {site} is the site id from the page's address (?site=…).
    st.warning(_("This programme has no site {site}; pick one below.").format(
        site=ui.plain(str(wanted))), icon=":material/link_off:")
# A programme's thousands of sites are not all sent as options on every rerun: above
# ui.widgets.MAX_PICK_OPTIONS a search box narrows the list first.
site_id = ui.pick_record(st, _("Site"), labels, key=Key.SITE_PICK, find_key=Key.SITE_FIND,
                         find_label=_("Find a site (name or id)"))
if site_id is None:
    st.stop()
st.query_params["site"] = site_id
site = sites[sites["site_id"] == site_id].iloc[0]

st.title(ui.plain(site["name"]))
place = " ".join(str(site[c]) for c in ("address", "postcode", "city", "country") if site[c])
# Translators: {place} is the site's address as recorded, {sector} its NACE code.
st.caption(ui.plain(_("{place} · sector NACE {sector}").format(
    place=place, sector=site["sector_nace"] or "—")))
ui.illustrative_note(prog)
st.page_link("pages/browse.py", label=_("Back to all resources"), icon=":material/arrow_back:")

res = prog.resources[prog.resources["site_id"] == site_id]
contacts = prog.contacts[prog.contacts["site_id"] == site_id]
t_details, t_resources, t_contacts, t_synergies = st.tabs(
    [":material/location_on: " + _("Details"),
     ":material/inventory_2: " + _("Resources ({n})").format(n=format_number(len(res))),
     ":material/contacts: " + _("Contacts ({n})").format(n=format_number(len(contacts))),
     ":material/handshake: " + _("Synergies")])

with t_details:
    left, right = st.columns([2, 3])
    with left:
        park = prog.parks[prog.parks["park_id"] == site["park_id"]]
        levels = level_labels(preset)
        # Where the site lies, top down (region → city → park), with the programme's labels.
        place_lines = [(levels[k], park[k].iloc[0]) for k in ("region", "city")
                       if len(park) and park[k].iloc[0]]
        place_lines.append((levels["park"], park["name"].iloc[0] if len(park) else None))
        # Translators: a label and its value on a line, e.g. "**Park:** Tikankatu area".
        st.markdown("  \n".join(_("**{level}:** {value}").format(
            level=level, value=ui.plain(value) if value else _("outside any park"))
            for level, value in place_lines))
        geom = site.geometry
        if geom is None or geom.is_empty:
            st.warning(_("Not located yet — use **Locate records**."))
        else:
            precision = PRECISION_LABELS.get(str(site["location_precision"]))
            # Translators: {lat} and {lon} are decimal degrees north and east.
            st.markdown(_("**Location:** {lat} N, {lon} E").format(
                lat=format_number(geom.y, digits=5), lon=format_number(geom.x, digits=5))
                + "  \n" + _("**Precision:** {precision} ({source})").format(
                    precision=_(precision) if precision else ui.plain(site["location_precision"]),
                    source=ui.plain(site["location_source"])))
        # Translators: {date} is when the site was recorded, {provenance} where it came from.
        st.markdown(_("**Recorded:** {date} ({provenance})").format(
            date=ui.plain(site["recorded_on"]), provenance=ui.plain(site["provenance"])))
    with right:
        if geom is not None and not geom.is_empty:
            pad = 0.004
            m = ui.base_map(ctx, bounds=(geom.x - pad, geom.y - pad / 2,
                                         geom.x + pad, geom.y + pad / 2))
            add_parks(m, prog.parks)
            add_sites(m, prog.sites, colour="#9aa5ab", radius=4, name=_("Other sites"))
            add_sites(m, sites[sites["site_id"] == site_id], colour="#d7301f", radius=9,
                      name=_("This site"))
            ui.show_map(m, key="site_map", height=320)

with t_resources:
    shown_res = res.drop(columns=["site_id"])
    st.dataframe(shown_res, hide_index=True, width="stretch",
                 column_config=_headers(shown_res))
    ui.download_buttons(res, stem=f"resources-{site_id}", key="site_res_dl",
                        formats=("csv", "xlsx"))

with t_contacts:
    st.caption(_("Personal data: shown to practitioners only."))
    shown_contacts = redact_companies(contacts.drop(columns=["site_id"]), role=ctx.role)
    st.dataframe(shown_contacts, hide_index=True, width="stretch",
                 column_config=_headers(shown_contacts))

with t_synergies:
    try:
        from geo.synergies.repository import synergies_for_site
    except ImportError:
        st.info(_("Synergy tracking is not available in this installation."))
    else:
        with ui.domain_errors():
            syn = synergies_for_site(ctx.store, prog.name, site_id)
        if syn.empty:
            st.info(_("No synergies involve this site yet — find matches on **Synergies**."))
        else:
            st.dataframe(syn, hide_index=True, width="stretch", column_config=_headers(syn))
