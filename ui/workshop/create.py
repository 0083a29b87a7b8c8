"""Workshop step 3: every valid link created as a synergy at the idea stage, in one go."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.i18n import _, format_number, ngettext
from geo.synergies import repository as repo
from ui.state import Key
from ui.widgets import column_config, domain_errors

if TYPE_CHECKING:
    from ui.workshop.common import WorkshopView

__all__ = ["create_synergies"]


def create_synergies(view: WorkshopView, links: pd.DataFrame) -> None:
    """Step 3: the create button and, once pressed, what was created and what refused."""
    st.subheader(_("3 · Create the synergies"))
    if not st.button(_("Create synergies at the idea stage"), key=Key.WS_CREATE,
                     type="primary"):
        return
    ctx = view.ctx
    with domain_errors():
        ctx.require_write(_("create synergies"))
        report = repo.create_synergies(ctx.store, view.programme, links,
                                       practitioner=ctx.who)
    ok = int((report["status"] == "ok").sum())
    (st.success if ok else st.info)(ngettext("{n} synergy created at the idea stage.",
                                             "{n} synergies created at the idea stage.",
                                             ok).format(n=format_number(ok)))
    if ok < len(report):
        refused_n = len(report) - ok
        st.warning(ngettext("{n} row was refused:", "{n} rows were refused:", refused_n).format(
            n=format_number(refused_n)))
    shown = view.statuses(report)
    st.dataframe(shown, hide_index=True, width="stretch", key="ws_link_report",
                 column_config=column_config(shown.columns))
