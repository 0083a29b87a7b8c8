"""The Concentrations page's filters: practitioners select records with any filter; viewers
choose among the release's fixed stream groups and parks (:mod:`geo.concentrations.viewer`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, cast

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.concentrations import selection as conc
from geo.concentrations import viewer as cv
from geo.i18n import N_, _, format_number, format_tonnes, ngettext
from geo.programme import PRECISIONS
from layers import concentration as lc
from layers.quality import PRECISION_LABELS
from ui import Key, runs

if TYPE_CHECKING:
    from geo.concentrations.selection import ConcentrationQuery, Direction, Selection
    from geo.concentrations.viewer import ReleaseQuery
    from geo.disclosure import ProgrammeRelease
    from ui.context import PageContext

__all__ = ["Filtered", "Records", "Released", "filters"]

DIRECTIONS: Final = {"have": N_("Haves"), "want": N_("Wants"), "any": N_("Both")}
RELEASE_STREAMS: Final = "conc_release_streams"
WIDENED: Final = "conc_widened"


@dataclass(frozen=True)
class Records:
    """A practitioner's filter and the records it selects.

    Attributes
    ----------
    ctx : PageContext
    query : ConcentrationQuery
    selection : Selection
    """

    ctx: PageContext
    query: ConcentrationQuery
    selection: Selection

    def describe(self) -> str:
        """The filter in words (titles of pictures and downloads)."""
        return self.query.describe()


@dataclass(frozen=True)
class Released:
    """A viewer's choice among the figures of the protected release.

    Attributes
    ----------
    ctx : PageContext
    release : ProgrammeRelease
    query : ReleaseQuery
    """

    ctx: PageContext
    release: ProgrammeRelease
    query: ReleaseQuery

    def describe(self) -> str:
        """The choice in words (titles of pictures and downloads)."""
        return self.query.describe(self.release)


Filtered = Records | Released
"""What the filters chose: records (practitioners) or released figures (viewers)."""


def filters(ctx: PageContext) -> Filtered:
    """Draw the filters of this role and read them; say what they select, and stop the page
    (with the reason) when they select nothing."""
    prog = ctx.programme
    park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))
    c1, c2, c3, c4, c5 = st.columns([1.1, 2.4, 1.3, 1.8, 1.1])
    direction = c1.radio(_("Records"), list(DIRECTIONS), key="conc_direction",
                         format_func=lambda d: _(DIRECTIONS[d]))
    parks = c4.multiselect(_("Parks"), list(park_names), key="conc_parks",
                           format_func=lambda p: park_names.get(p, p),
                           placeholder=_("Everywhere"))
    if not ctx.practitioner:
        return _viewer_filters(ctx, c2, direction=direction, parks=parks)
    choices = conc.stream_choices(load_catalogue())
    selectors = c2.multiselect(_("Streams, chapters"), list(choices), key=Key.CONC_STREAMS,
                               format_func=lambda c: choices.get(c, c),
                               placeholder=_("All streams"))
    lo = c3.number_input(_("Min t/yr per record"), min_value=0.0, value=0.0, key="conc_min_t")
    hi = c3.number_input(_("Max t/yr (0 = none)"), min_value=0.0, value=0.0, key="conc_max_t")
    precision = c5.selectbox(_("Least precise location"), PRECISIONS[:-1], index=6,
                             key="conc_precision",
                             format_func=lambda c: _(str(PRECISION_LABELS.get(c, c))))
    with ui.domain_errors():
        query = conc.ConcentrationQuery(direction=cast("Direction", direction),
                                        selectors=tuple(selectors), min_tonnes=lo or None,
                                        max_tonnes=hi or None, parks=tuple(parks),
                                        min_precision=str(precision))
        sel = runs.selection(ctx.programme_ref, query)
    if sel.notes():
        st.warning(" ".join(sel.notes()), icon=":material/pin_drop:")
        if sel.n_not_located:
            with st.expander(ngettext("The {n} record not located",
                                      "The {n} records not located",
                                      sel.n_not_located).format(n=sel.n_not_located)):
                st.dataframe(lc.table_for_display(sel.not_located), hide_index=True,
                             width="stretch")
    if sel.is_empty:
        st.info(sel.empty_message(), icon=":material/filter_alt_off:")
        st.stop()
    # Translators: {records} is "12 records", {producers} "3 producers".
    st.caption(_("{records} from {producers} · {tonnes} · {query}").format(
        records=ngettext("{n} record", "{n} records", sel.n_used).format(
            n=format_number(sel.n_used)),
        producers=ngettext("{n} producer", "{n} producers", sel.n_producers).format(
            n=format_number(sel.n_producers)),
        tonnes=format_tonnes(sel.total_tonnes, digits=0, per_year=True),
        query=query.describe()))
    return Records(ctx, query, sel)


def _viewer_filters(ctx: PageContext, column: st.delta_generator.DeltaGenerator, *,
                    direction: str, parks: list[str]) -> Filtered:
    release = ctx.release
    labels = release.stream_labels()
    if st.session_state.get(Key.CONC_STREAMS) and RELEASE_STREAMS not in st.session_state:
        # a practitioner's streams, previewed as a viewer: the release's nearest groups
        near, exact = cv.nearest_streams(release, load_catalogue(),
                                         st.session_state[Key.CONC_STREAMS])
        st.session_state.update({RELEASE_STREAMS: list(near), WIDENED: not exact and list(near)})
    streams = column.multiselect(_("Release streams"), list(labels), key=RELEASE_STREAMS,
                                 format_func=lambda s: labels.get(s, s),
                                 placeholder=_("All streams"))
    if streams and st.session_state.get(WIDENED) == streams:
        st.info(cv.widened_notice(release, streams), icon=":material/zoom_out_map:")
    with ui.domain_errors():
        rq = cv.release_query(release, direction=direction, streams=streams, parks=parks,
                              grant=ctx.parks)
    st.caption(cv.caption(release, rq))
    if (empty := cv.empty_message(release, rq)) is not None:
        st.info(empty, icon=":material/visibility_off:")
        st.stop()
    return Released(ctx, release, rq)
