"""The Overview page for practitioners: the programme's figures, its member sites on the map,
tonnes by catalogue chapter and by park."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.i18n import _, format_number, ngettext
from geo.programme import resources_with_sites
from geo.summary import tonnes_by_chapter
from layers.base import add_parks, add_sites
from ui.home.common import TONNES, labels
from ui.maps import base_map, show_map
from ui.widgets import column_config

if TYPE_CHECKING:
    from ui.context import PageContext

__all__ = ["overview_records"]


def other_count(n: int, direction: str, unit: str) -> str:
    """``3 haves in MWh/yr``: records of one direction in a unit other than tonnes."""
    if direction == "have":
        return ngettext("{n} have in {unit}", "{n} haves in {unit}", n).format(
            n=format_number(n), unit=unit)
    return ngettext("{n} want in {unit}", "{n} wants in {unit}", n).format(
        n=format_number(n), unit=unit)


def overview_records(ctx: PageContext) -> None:
    """Draw the practitioner's overview of ``ctx``'s programme."""
    prog = ctx.programme
    fig = prog.summary()
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(_("Member sites"), format_number(fig["members"]))
    c2.metric(_("Parks"), format_number(fig["parks"]))
    c3.metric(_("Resource records"), format_number(fig["resources"]), help=_("Haves and wants"))
    c4.metric(_("Haves (t/yr)"), format_number(fig["tonnes_have"]))
    c5.metric(_("Wants (t/yr)"), format_number(fig["tonnes_want"]))
    not_located = int(fig["members"] - fig["located"])
    if not_located:
        st.warning(ngettext("{n} member site is not located yet — locate it on the **Locate "
                            "records** page to see it on the maps.",
                            "{n} member sites are not located yet — locate them on the **Locate "
                            "records** page to see them on the maps.", not_located)
                   .format(n=format_number(not_located)), icon=":material/pin_drop:")

    left, right = st.columns([3, 2])
    with left:
        m = base_map(ctx)
        add_parks(m, prog.parks)
        _layer, drawn = add_sites(m, prog.sites, tooltip_cols=("name", "sector_nace"))
        show_map(m, key="home_map", height=560)
        # Translators: keep "© OpenStreetMap contributors" and "ODbL" exactly as they are.
        st.caption(ngettext("Showing {drawn} of {n} member site and {parks} parks. Map data "
                            "© OpenStreetMap contributors (ODbL).",
                            "Showing {drawn} of {n} member sites and {parks} parks. Map data "
                            "© OpenStreetMap contributors (ODbL).", len(prog.sites))
                   .format(drawn=format_number(drawn), n=format_number(len(prog.sites)),
                           parks=format_number(len(prog.parks))))
    with right:
        st.subheader(_("Tonnes by catalogue chapter"))
        res = resources_with_sites(prog)
        table = tonnes_by_chapter(res)
        if table.empty:
            st.info(_("No resource records with a quantity in t/yr yet — import a member list on "
                      "the **Import** page."))
        else:
            st.dataframe(table, hide_index=True, width="stretch",
                         column_config=column_config(
                             table.columns, number_formats={"have_t": "%.0f", "want_t": "%.0f"},
                             labels={"have_t": _("Haves t/yr"), "want_t": _("Wants t/yr"),
                                     **labels()}))
        other = res[res["unit"] != "t/yr"].groupby(["unit", "direction"]).size()
        if len(other):
            st.caption(_("Also recorded (not in tonnes): {counts}").format(counts=", ".join(
                other_count(int(n), str(d), str(u)) for (u, d), n in other.items())))
        st.subheader(_("Parks"))
        per_park = res.groupby("park_id", dropna=False).agg(sites=("site_id", "nunique"))
        per_park = per_park.join(res.pivot_table(index="park_id", columns="direction",
                                                 values="tonnes_per_year", aggfunc="sum")
                                 .reindex(columns=["have", "want"])
                                 .rename(columns={"have": "tonnes_have", "want": "tonnes_want"}))
        parks = prog.parks[["park_id", "name"]].merge(per_park, on="park_id", how="left")
        st.dataframe(pd.DataFrame(parks).fillna({"sites": 0, "tonnes_have": 0, "tonnes_want": 0}),
                     hide_index=True, width="stretch",
                     column_config=column_config(parks.columns, number_formats=TONNES))
