"""Overview: programme figures and the map of parks and member sites.

Viewers see parks (no site points, no sectors) and the protected release's figures only:
tonnes by release stream with producers, and a park table of released haves and wants.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from geo.i18n import N_, _, format_number, ngettext
from geo.programme import resources_with_sites
from geo.summary import (
    released_parks_table,
    released_streams_table,
    released_totals,
    tonnes_by_chapter,
)
from layers.base import add_parks, add_sites


def other_count(n: int, direction: str, unit: str) -> str:
    """``3 haves in MWh/yr``: records of one direction in a unit other than tonnes."""
    if direction == "have":
        return ngettext("{n} have in {unit}", "{n} haves in {unit}", n).format(
            n=format_number(n), unit=unit)
    return ngettext("{n} want in {unit}", "{n} wants in {unit}", n).format(
        n=format_number(n), unit=unit)


ctx = ui.page_context("overview")
prog = ctx.programme
st.title(prog.name)
ui.illustrative_note(prog)
# Number formats of the tonnage columns of this page's tables.
TONNES = {"have_t": "%.0f", "want_t": "%.0f", "tonnes_have": "%.0f", "tonnes_want": "%.0f"}
# Headers of this page's columns that have no general label.
LABELS = {"title": N_("Title"), "have_producers": N_("Producers of haves"),
          "want_producers": N_("Producers of wants")}


def labels() -> dict[str, str]:
    """:data:`LABELS` in this session's language."""
    return {col: _(label) for col, label in LABELS.items()}


if not ctx.practitioner:
    release = ctx.release
    totals = released_totals(release, parks=ctx.parks)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Member sites"), format_number(len(prog.sites)),
              help=_("In your parks") if ctx.parks else _("Programme-wide"))
    c2.metric(_("Parks"), format_number(len(prog.parks)))
    for col, d, label in ((c3, "have", N_("Haves (t/yr)")), (c4, "want", N_("Wants (t/yr)"))):
        value, complete = totals[d]
        col.metric(_(label), _("withheld") if value is None else
                   format_number(value) + ("" if complete else " +"),
                   help=None if complete else _("Part of it is withheld: a lower bound."))
    # Translators: {rules} is a sentence such as "a figure is shown only when it comes from at
    # least 3 producers and …".
    st.caption(_("Viewers see the programme's protected release: {rules}; figures that would "
                 "not are withheld, and no member site is shown.")
               .format(rules=release.rules.describe()))
    left, right = st.columns([3, 2])
    with left:
        m = ui.base_map(ctx)
        add_parks(m, prog.parks)
        ui.show_map(m, key="home_map", height=560)
        # Translators: keep "© OpenStreetMap contributors" and "ODbL" exactly as they are.
        st.caption(ngettext("{n} park. Map data © OpenStreetMap contributors (ODbL).",
                            "{n} parks. Map data © OpenStreetMap contributors (ODbL).",
                            len(prog.parks)).format(n=format_number(len(prog.parks))))
    with right:
        st.subheader(_("Tonnes by release stream"))
        streams = released_streams_table(release, parks=ctx.parks).drop(columns="stream")
        streams["label"] = streams["label"].map(lambda t: _(t) if isinstance(t, str) else t)
        st.dataframe(streams, hide_index=True, width="stretch",
                     column_config=ui.column_config(streams.columns, labels=labels(),
                                                    number_formats=TONNES))
        st.subheader(_("Parks"))
        park_table = released_parks_table(release, parks=ctx.parks)
        st.dataframe(park_table, hide_index=True, width="stretch",
                     column_config=ui.column_config(park_table.columns, labels=labels(),
                                                    number_formats=TONNES))
        st.caption(_("A park's figure sums its released stream figures; not complete means "
                     "some stream is withheld there (the figure is then a lower bound)."))
    st.stop()

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
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    _layer, drawn = add_sites(m, prog.sites, tooltip_cols=("name", "sector_nace"))
    ui.show_map(m, key="home_map", height=560)
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
                     column_config=ui.column_config(
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
                 column_config=ui.column_config(parks.columns, number_formats=TONNES))
