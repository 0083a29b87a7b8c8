"""The Site page's parts, drawn from ``pages/site.py``: the site picked (from a link's
``?site=`` or the picker) and its tabs — details with a map, resources, contacts, synergies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from geo.confidentiality import redact_companies
from geo.errors import SymbiosisError
from geo.i18n import _, format_number
from geo.location_levels import DEFAULT_PRESET, level_labels
from geo.programme import is_blank
from geo.store.locations import programme_location_preset
from geo.synergies.repository import synergies_for_site
from layers.base import add_parks, add_sites
from layers.quality import PRECISION_LABELS
from ui.maps import base_map, show_map
from ui.state import Key
from ui.widgets import (
    domain_errors,
    download_buttons,
    illustrative_note,
    location_column_config,
    pick_record,
    plain,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from ui.context import PageContext

__all__ = ["SiteView", "pick_site", "show_site"]


@dataclass(frozen=True)
class SiteView:
    """This rerun's context, the programme's sites by name and its location level labels.

    Attributes
    ----------
    ctx : PageContext
    sites : GeoDataFrame
        The programme's sites, sorted by name.
    preset : str
        The programme's location level labels (省 / 市 / 园区 …).
    """

    ctx: PageContext
    sites: gpd.GeoDataFrame
    preset: str

    @classmethod
    def of(cls, ctx: PageContext) -> SiteView:
        """The view of ``ctx``'s programme."""
        try:  # the programme's names for its location levels (省 / 市 / 园区 …)
            preset = programme_location_preset(ctx.store, ctx.programme.name)
        except SymbiosisError:  # the database down: the demo keeps working, default labels
            preset = DEFAULT_PRESET
        return cls(ctx, ctx.programme.sites.sort_values("name"), preset)

    def headers(self, frame: object) -> dict[str, Any]:
        """Column headers of a shown table in this session's language (the data keeps its
        column names); the park and location columns take the programme's level labels."""
        return location_column_config(frame, self.preset)


def pick_site(view: SiteView) -> str | None:
    """The site to show: from the page's ``?site=`` link or the picker (None: none picked,
    or the programme has no sites — said on the page)."""
    if (archived := st.session_state.pop(_ARCHIVED, None)) is not None:
        st.success(archived, icon=":material/archive:")
    sites = view.sites
    if sites.empty:
        st.info(_("This programme has no member sites yet — import a member list first."))
        return None
    labels = (sites["name"].astype(str) + " (" + sites["site_id"].astype(str) + ")").set_axis(
        sites["site_id"].to_numpy())
    wanted = st.query_params.get("site")
    if wanted in labels.index and Key.SITE_PICK not in st.session_state:  # a link to one site
        st.session_state[Key.SITE_PICK] = wanted
    elif wanted and wanted not in labels.index:  # an old or mistyped link: say so, pick another
        # Translators: {site} is the site id from the page's address (?site=…).
        st.warning(_("This programme has no site {site}; pick one below.").format(
            site=plain(str(wanted))), icon=":material/link_off:")
    # A programme's thousands of sites are not all sent as options on every rerun: above
    # ui.widgets.MAX_PICK_OPTIONS a search box narrows the list first.
    site_id = pick_record(st, _("Site"), labels, key=Key.SITE_PICK, find_key=Key.SITE_FIND,
                          find_label=_("Find a site (name or id)"))
    if site_id is None:
        return None
    st.query_params["site"] = site_id
    return str(site_id)


def _details(view: SiteView, site: pd.Series) -> None:
    ctx, prog, sites, site_id, preset = (view.ctx, view.ctx.programme, view.sites,
                                         site["site_id"], view.preset)
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
            level=level, value=plain(value) if value else _("outside any park"))
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
                    precision=_(precision) if precision else plain(site["location_precision"]),
                    source=plain(site["location_source"])))
        # Translators: {date} is when the site was recorded, {provenance} where it came from.
        st.markdown(_("**Recorded:** {date} ({provenance})").format(
            date=plain(site["recorded_on"]), provenance=plain(site["provenance"])))
    with right:
        if geom is not None and not geom.is_empty:
            pad = 0.004
            m = base_map(ctx, bounds=(geom.x - pad, geom.y - pad / 2,
                                      geom.x + pad, geom.y + pad / 2))
            add_parks(m, prog.parks)
            add_sites(m, prog.sites, colour="#9aa5ab", radius=4, name=_("Other sites"))
            add_sites(m, sites[sites["site_id"] == site_id], colour="#d7301f", radius=9,
                      name=_("This site"))
            show_map(m, key="site_map", height=320)


_ARCHIVED = "site_archived_message"  # session key: the message after an archive, for one run


def _archive_record(view: SiteView, res: pd.DataFrame) -> None:
    """Archive one of the site's records (an outdated or wrong figure, such as the old one
    beside a corrected quantity that an import added): gone from every page at the next
    rerun, kept in the database for the synergies that name it."""
    ctx = view.ctx
    with st.expander(_("Archive a record"), icon=":material/archive:"):
        labels = {str(r.resource_id): " · ".join(
            str(v) for v in (r.resource_id, r.direction, r.ewc_code, r.description,
                             f"{format_number(r.quantity)} {r.unit}" if isinstance(r.unit, str)
                             else format_number(r.quantity))
            if isinstance(v, str) and v) for r in res.itertuples()}
        pick = st.selectbox(_("Record"), list(labels), key=Key.SITE_ARCHIVE_PICK,
                            format_func=lambda r: plain(labels.get(r, r)))
        st.caption(_("The record disappears from the programme's pages, figures and exports; "
                     "the database keeps it, with the synergies that name it."))
        if st.button(_("Archive this record"), key=Key.SITE_ARCHIVE_GO, icon=":material/archive:"):
            with domain_errors():
                ctx.require_write(_("archive records"))
                ctx.store.archive_resource(ctx.programme.name, str(pick))
            # Run again at the new data version, the record gone, the message kept.
            st.session_state[_ARCHIVED] = _("Record {resource} archived.").format(
                resource=plain(str(pick)))
            st.rerun()


def _archive_site(view: SiteView, site: pd.Series) -> None:
    """Archive the site (the company has left the programme): it, its records and contacts
    leave every page at the next rerun; the database keeps them for the synergy history."""
    ctx = view.ctx
    with st.expander(_("Archive this site"), icon=":material/archive:"):
        st.caption(_("For a company that has left the programme: the site, its records and "
                     "its contacts disappear from the programme's pages, figures and exports; "
                     "the database keeps them, with the synergies that name them."))
        sure = st.checkbox(_("The company has left the programme"), key=Key.SITE_ARCHIVE_SURE)
        if st.button(_("Archive the site"), key=Key.SITE_ARCHIVE_SITE, disabled=not sure,
                     icon=":material/archive:"):
            with domain_errors():
                ctx.require_write(_("archive sites"))
                ctx.store.archive_site(str(site["site_id"]), programme=ctx.programme.name)
            st.session_state[_ARCHIVED] = _("Site {site} archived.").format(
                site=plain(f"{site['name']} ({site['site_id']})"))
            st.session_state.pop(Key.SITE_PICK, None)
            st.query_params.pop("site", None)
            st.rerun()


def site_caption(site: pd.Series) -> str:
    """The line under a site's name: its address as recorded and its sector, "—" for what is
    missing (an imported site often has no postcode or sector: never "nan")."""
    place = " ".join(str(site[c]).strip() for c in ("address", "postcode", "city", "country")
                     if not is_blank(site.get(c))) or "—"
    sector = str(site["sector_nace"]).strip() if not is_blank(site.get("sector_nace")) else "—"
    # Translators: {place} is the site's address as recorded, {sector} its NACE code.
    return _("{place} · sector NACE {sector}").format(place=place, sector=sector)


def show_site(view: SiteView, site_id: str) -> None:
    """The site's title, address, and its four tabs."""
    ctx, prog, sites = view.ctx, view.ctx.programme, view.sites
    site = sites[sites["site_id"] == site_id].iloc[0]
    st.title(plain(site["name"]))
    st.caption(plain(site_caption(site)))
    illustrative_note(prog)
    st.page_link("pages/browse.py", label=_("Back to all resources"), icon=":material/arrow_back:")
    res = prog.resources[prog.resources["site_id"] == site_id]
    contacts = prog.contacts[prog.contacts["site_id"] == site_id]
    t_details, t_resources, t_contacts, t_synergies = st.tabs(
        [":material/location_on: " + _("Details"),
         ":material/inventory_2: " + _("Resources ({n})").format(n=format_number(len(res))),
         ":material/contacts: " + _("Contacts ({n})").format(n=format_number(len(contacts))),
         ":material/handshake: " + _("Synergies")])
    with t_details:
        _details(view, site)
        if ctx.can_write:
            _archive_site(view, site)
    with t_resources:
        shown_res = res.drop(columns=["site_id"])
        st.dataframe(shown_res, hide_index=True, placeholder="—", width="stretch",
                     column_config=view.headers(shown_res))
        download_buttons(res, stem=f"resources-{site_id}", key="site_res_dl",
                         formats=("csv", "xlsx"))
        if ctx.can_write and len(res):
            _archive_record(view, res)
    with t_contacts:
        st.caption(_("Personal data: shown to practitioners only."))
        shown_contacts = redact_companies(contacts.drop(columns=["site_id"]), role=ctx.role)
        st.dataframe(shown_contacts, hide_index=True, placeholder="—", width="stretch",
                     column_config=view.headers(shown_contacts))
    with t_synergies:
        with domain_errors():
            syn = synergies_for_site(ctx.store, prog.name, site_id)
        if syn.empty:
            st.info(_("No synergies involve this site yet — find matches on **Synergies**."))
        else:
            st.dataframe(syn, hide_index=True, width="stretch", column_config=view.headers(syn))
