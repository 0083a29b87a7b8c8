"""Browse for viewers: the protected release's stream × park figures, the same whatever else
is set (see :func:`geo.search.search_release`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

import streamlit as st

import ui
from geo.i18n import _, column_label, format_number, ngettext
from geo.search import ReleaseQuery, search_release

if TYPE_CHECKING:
    from ui.browse.common import BrowseView

__all__ = ["browse_release"]


def browse_release(view: BrowseView) -> None:
    """Pick direction, streams and parks; show and download the released figures."""
    ctx = view.ctx
    c1, c2, c3 = st.columns([1, 2, 2])
    direction = c1.segmented_control(_("Have or want"), ["have", "want"],
                                     key=ui.Key.BR_DIRECTION, selection_mode="single",
                                     format_func=view.direction_label) or "have"
    selectors = c2.multiselect(_("Streams (groups or chapters)"), list(view.selector_labels),
                               format_func=lambda s: view.selector_labels[s],
                               key=ui.Key.BR_SELECTORS)
    parks = c3.multiselect(_("Parks"), list(view.park_names), key="br_parks",
                           format_func=lambda p: view.park_names[p])
    with ui.domain_errors():
        query = ReleaseQuery(cast("Literal['have', 'want']", direction), tuple(selectors),
                             tuple(parks))
        answer = search_release(ctx.release, query,
                                catalogue=view.catalogue, scope_parks=ctx.parks)
    # Translators: {rules} is the disclosure rule as a clause ("a figure is shown only when…").
    st.caption(_("Viewers see fixed protected releases ({rules}): figures by release stream "
                 "and park, with no quantity, code, sector, hazard or distance filter. Withheld "
                 "figures are marked, not shown.").format(rules=ctx.release.rules.describe()))
    if not answer.exact:
        labels = ctx.release.stream_labels()
        # Translators: {streams} is a comma-separated list of release stream names.
        st.info(_("Nearest release: the streams chosen are answered with whole release streams "
                  "— {streams} — which may hold materials not chosen.").format(
                      streams=", ".join(labels[s] for s in answer.streams)),
                icon=":material/info:")
    total = len(answer.table)
    st.markdown(ngettext("**{released}** of {n} figure released.",
                         "**{released}** of {n} figures released.", total).format(
                             released=format_number(answer.released), n=format_number(total)))
    st.dataframe(answer.table, hide_index=True, placeholder="—", width="stretch",
                 column_order=[c for c in answer.table.columns  # codes: in the downloads
                               if c not in ("stream", "park_id")],
                 column_config=view.headers(answer.table, tonnes_per_year=st.column_config
                                            .NumberColumn(column_label("tonnes_per_year"),
                                                          format="%.1f")))
    ui.download_buttons(answer.table, stem=f"release-{direction}", key="br_dl_release",
                        formats=("csv", "xlsx"))
