"""The Overview page for viewers: parks (no site points, no sectors) and the protected
release's figures only — tonnes by release stream with producers, and a park table of
released haves and wants."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from geo.i18n import N_, _, format_number, ngettext
from geo.summary import released_parks_table, released_streams_table, released_totals
from layers.base import add_parks
from ui.home.common import TONNES, labels
from ui.maps import base_map, show_map
from ui.widgets import column_config

if TYPE_CHECKING:
    from ui.context import PageContext

__all__ = ["overview_release"]


def overview_release(ctx: PageContext) -> None:
    """Draw the viewer's overview of ``ctx``'s programme from its release."""
    prog = ctx.programme
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
                   help=None if complete else _("The sum of the released stream figures; "
                                                "the others are withheld or have no record "
                                                "(viewers are not told which), so this is a "
                                                "lower bound."))
    # Translators: {rules} is a sentence such as "a figure is shown only when it comes from at
    # least 3 producers and …".
    st.caption(_("Viewers see the programme's protected release: {rules}; figures that would "
                 "not are withheld, and no member site is shown.")
               .format(rules=release.rules.describe()))
    left, right = st.columns([3, 2])
    with left:
        m = base_map(ctx)
        add_parks(m, prog.parks)
        show_map(m, key="home_map", height=560)
        # Translators: keep "© OpenStreetMap contributors" and "ODbL" exactly as they are.
        st.caption(ngettext("{n} park. Map data © OpenStreetMap contributors (ODbL).",
                            "{n} parks. Map data © OpenStreetMap contributors (ODbL).",
                            len(prog.parks)).format(n=format_number(len(prog.parks))))
    with right:
        st.subheader(_("Tonnes by release stream"))
        streams = released_streams_table(release, parks=ctx.parks).drop(columns="stream")
        streams["label"] = streams["label"].map(lambda t: _(t) if isinstance(t, str) else t)
        st.dataframe(streams, hide_index=True, placeholder="—", width="stretch",
                     column_config=column_config(streams.columns, labels=labels(),
                                                    number_formats=TONNES))
        st.subheader(_("Parks"))
        park_table = released_parks_table(release, parks=ctx.parks)
        st.dataframe(park_table, hide_index=True, placeholder="—", width="stretch",
                     column_config=column_config(park_table.columns, labels=labels(),
                                                    number_formats=TONNES))
        st.caption(_("A park's figure sums its released stream figures; not complete means "
                     "some stream's figure there is not released — withheld, or no record: "
                     "viewers are not told which — so the figure may be a lower bound."))
