"""Placing a site by hand: a click on the map or typed coordinates (a ``manual`` placement,
which later batch runs never move)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NoReturn

import streamlit as st

import ui
from geo.geocode.reference import (
    FAR_KM,
    km_outside,
    km_to_nearest,
    placement_bounds,
    places_in_bounds,
)
from geo.i18n import _, format_number
from layers.quality import add_reference_places, add_sites_by_precision
from ui import Key
from ui.maps import WORLD_BOUNDS

if TYPE_CHECKING:
    from ui.context import PageContext

__all__ = ["place_by_hand"]

PLACED: Final = "gc_placed"
"""Session key: the site just placed by hand (its confirmation is shown on the next run)."""
FAR: Final = "gc_far_placement"
"""Session key: typed coordinates far from the programme's other sites, waiting for the
practitioner to confirm them: ``(site id, lon, lat)``."""


def _km_away(ctx: PageContext, site_id: str, lon: float, lat: float) -> float | None:
    """How far (km) the point is from the nearest of the programme's other located sites
    (else from its parks), or None when it is within :data:`FAR_KM` of one or there is
    nothing located to compare with. The nearest site, not the sites' extent: one site
    already misplaced far away would widen the extent and let the next slip through."""
    sites = ctx.programme.sites
    km = km_to_nearest(lon, lat, sites.loc[sites["site_id"] != site_id].geometry)
    if km is None:
        bounds = ui.located_bounds(ctx.programme.parks)
        if bounds == WORLD_BOUNDS:  # nothing else located yet
            return None
        km = km_outside(lon, lat, bounds)
    return km if km > FAR_KM else None


def _confirm_far(ctx: PageContext, site_id: str, lon: float, lat: float, km: float) -> None:
    """Ask before placing a site far from all the others: swapped coordinates, or a typo,
    would move every distance to it without a word (a 6 km slip changed a match from 0.87 km
    to 6.19 km)."""
    swapped = _km_away(ctx, site_id, lat, lon) is None and -90 <= lon <= 90
    st.warning(_("{lat}, {lon} is {km} km from the programme's other sites. Is that where the "
                 "site is?").format(lat=format_number(lat, digits=5),
                                    lon=format_number(lon, digits=5),
                                    km=format_number(km)), icon=":material/travel_explore:")
    c1, c2 = st.columns(2)
    if swapped and c1.button(_("Swap them: latitude {lat}, longitude {lon}").format(
            lat=format_number(lon, digits=5), lon=format_number(lat, digits=5)),
            key="gc_manual_swap", type="primary"):
        st.session_state.pop(FAR, None)
        _place(ctx, site_id, lat, lon)
    if c2.button(_("Place it there anyway"), key="gc_manual_far"):
        st.session_state.pop(FAR, None)
        _place(ctx, site_id, lon, lat)


def _place(ctx: PageContext, site_id: str, lon: float, lat: float) -> NoReturn:
    """Store a placement by hand, confirm it and draw the page again with the site moved."""
    with ui.domain_errors():
        ctx.require_write(_("place sites by hand"))
        ctx.store.update_site_location(site_id, lon, lat, "manual", "set by hand",
                                       programme=ctx.programme.name)
    st.session_state[PLACED] = site_id  # said after the rerun, which draws the site moved
    st.rerun()


def place_by_hand(ctx: PageContext) -> None:
    """Pick a site; place it where the map is clicked, or at typed coordinates."""
    if ctx.demo_unsaved:
        st.info(_("Manual placement edits the database: save the demo or import a list "
                  "first."))
        return
    if st.session_state.pop(PLACED, None) is not None:
        st.success(_("Placed by hand: later batch runs will not move it."),
                   icon=":material/check:")
    sites = ctx.programme.sites
    labels = dict(zip(sites["site_id"], sites["name"], strict=True))
    sid = st.selectbox(_("Site to place"), list(labels), key="gc_manual_site",
                       format_func=lambda s: f"{labels[s]} ({s})")
    if sid is None:
        return
    site = sites[sites["site_id"] == sid].iloc[0]
    view = placement_bounds(site.to_dict(), ui.located_bounds(sites, ctx.programme.parks))
    st.caption(_("Click the map where the site is, then confirm — or type its "
                 "coordinates. Grey dots are towns (GeoNames) for orientation."))
    m = ui.base_map(ctx, bounds=view)
    add_reference_places(m, places_in_bounds(view))
    add_sites_by_precision(m, sites)
    clicked = ui.show_map(m, key="gc_manual_map", height=420,
                          returned_objects=["last_clicked"]).get("last_clicked")
    if clicked and st.button(_("Place here ({lat}, {lon})").format(
            lat=format_number(clicked["lat"], digits=5),
            lon=format_number(clicked["lng"], digits=5)), key="gc_manual_go"):
        _place(ctx, sid, clicked["lng"], clicked["lat"])
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    lat = c1.number_input(_("Latitude (°N)"), -90.0, 90.0, value=None, format="%.6f",
                          key=Key.GC_MANUAL_LAT)
    lon = c2.number_input(_("Longitude (°E)"), -180.0, 180.0, value=None, format="%.6f",
                          key=Key.GC_MANUAL_LON)
    if c3.button(_("Place at these coordinates"), key=Key.GC_MANUAL_TYPED,
                 disabled=lat is None or lon is None):
        st.session_state[FAR] = (sid, lon, lat)
    if lat is None or lon is None or st.session_state.get(FAR) != (sid, lon, lat):
        return  # not pressed, or the coordinates changed since
    km = _km_away(ctx, sid, lon, lat)
    if km is None:  # near the others: stored at once
        st.session_state.pop(FAR, None)
        _place(ctx, sid, lon, lat)
    _confirm_far(ctx, sid, lon, lat, km)  # asked until placed or the coordinates change
