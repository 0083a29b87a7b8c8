"""Overview: programme figures and the map of parks and member sites.

Viewers see parks (no site points, no sectors) and the protected release's figures only:
tonnes by release stream with producers, and a park table of released haves and wants.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from geo.programme import resources_with_sites
from geo.summary import (
    released_parks_table,
    released_streams_table,
    released_totals,
    tonnes_by_chapter,
)
from layers.base import add_parks, add_sites

ctx = ui.page_context("overview")
prog = ctx.programme
st.title(prog.name)
ui.illustrative_note(prog)
TONNES = st.column_config.NumberColumn(format="%.0f")

if not ctx.practitioner:
    release = ctx.release
    totals = released_totals(release, parks=ctx.parks)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Member sites", f"{len(prog.sites):,}",
              help="In your parks" if ctx.parks else "Programme-wide")
    c2.metric("Parks", f"{len(prog.parks):,}")
    for col, d, label in ((c3, "have", "Haves (t/yr)"), (c4, "want", "Wants (t/yr)")):
        value, complete = totals[d]
        col.metric(label, "withheld" if value is None else
                   f"{value:,.0f}" + ("" if complete else " +"),
                   help=None if complete else "Part of it is withheld: a lower bound.")
    st.caption(f"Viewers see the programme's protected release: {release.rules.describe()}; "
               "figures that would not are withheld, and no member site is shown.")
    left, right = st.columns([3, 2])
    with left:
        m = ui.base_map(ctx)
        add_parks(m, prog.parks)
        ui.show_map(m, key="home_map", height=560)
        st.caption(f"{len(prog.parks):,} parks. Map data © OpenStreetMap contributors (ODbL).")
    with right:
        st.subheader("Tonnes by release stream")
        streams = released_streams_table(release, parks=ctx.parks)
        st.dataframe(streams.drop(columns="stream"), hide_index=True, width="stretch",
                     column_config={"have_t": TONNES, "want_t": TONNES})
        st.subheader("Parks")
        st.dataframe(released_parks_table(release, parks=ctx.parks), hide_index=True,
                     width="stretch", column_config={"have_t": TONNES, "want_t": TONNES})
        st.caption("A park's figure sums its released stream figures; not complete means "
                   "some stream is withheld there (the figure is then a lower bound).")
    st.stop()

fig = prog.summary()
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Member sites", f"{fig['members']:,}")
c2.metric("Parks", f"{fig['parks']:,}")
c3.metric("Resource records", f"{fig['resources']:,}", help="Haves and wants")
c4.metric("Haves (t/yr)", f"{fig['tonnes_have']:,.0f}")
c5.metric("Wants (t/yr)", f"{fig['tonnes_want']:,.0f}")
not_located = fig["members"] - fig["located"]
if not_located:
    st.warning(f"{not_located} member sites are not located yet — locate them on the "
               "**Locate records** page to see them on the maps.", icon=":material/pin_drop:")

left, right = st.columns([3, 2])
with left:
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    _, drawn = add_sites(m, prog.sites, tooltip_cols=("name", "sector_nace"))
    ui.show_map(m, key="home_map", height=560)
    st.caption(f"Showing {drawn:,} of {len(prog.sites):,} member sites and "
               f"{len(prog.parks):,} parks. Map data © OpenStreetMap contributors (ODbL).")
with right:
    st.subheader("Tonnes by catalogue chapter")
    res = resources_with_sites(prog)
    table = tonnes_by_chapter(res)
    if table.empty:
        st.info("No resource records with a quantity in t/yr yet — import a member list on "
                "the **Import** page.")
    else:
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={
                         "have_t": st.column_config.NumberColumn("Haves t/yr", format="%.0f"),
                         "want_t": st.column_config.NumberColumn("Wants t/yr", format="%.0f"),
                         "records": st.column_config.NumberColumn("Records")})
    other = res[res["unit"] != "t/yr"].groupby(["unit", "direction"]).size()
    if len(other):
        st.caption("Also recorded (not in tonnes): " + ", ".join(
            f"{n} {d}s in {u}" for (u, d), n in other.items()))
    st.subheader("Parks")
    per_park = res.groupby("park_id", dropna=False).agg(sites=("site_id", "nunique"))
    per_park = per_park.join(res.pivot_table(index="park_id", columns="direction",
                                             values="tonnes_per_year", aggfunc="sum")
                             .reindex(columns=["have", "want"])
                             .rename(columns={"have": "tonnes_have", "want": "tonnes_want"}))
    parks = prog.parks[["park_id", "name"]].merge(per_park, on="park_id", how="left")
    st.dataframe(pd.DataFrame(parks).fillna({"sites": 0, "tonnes_have": 0, "tonnes_want": 0}),
                 hide_index=True, width="stretch")
