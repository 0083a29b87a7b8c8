"""The Synergies page's *Find matches* tab: a record's complementary records, ranked, on a
map, and a synergy created from one of them in one action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, cast

import streamlit as st

import ui
from geo.i18n import _
from geo.synergies import repository as repo
from geo.synergies.distances import METHOD_LABELS
from geo.synergies.scoring import BASIS_LABELS, SCOPE_LABELS
from geo.synergies.text import unit_label
from layers.base import add_parks
from layers.synergies import add_match_lines
from ui import Key, runs
from ui.synergies.common import headers, saved

if TYPE_CHECKING:
    import pandas as pd

    from geo.synergies.scoring import Scope
    from ui.synergies.common import SynergiesView

__all__ = ["find_matches"]

MATCH_COLUMNS: Final = ["rank", "have_id", "want_id", "have_site", "want_site", "basis", "score",
                        "distance_km", "distance_method", "matched_quantity", "unit",
                        "transport_cost_per_year", "reasons"]


def find_matches(view: SynergiesView) -> None:
    """Pick a record; show its matches (table and map) and create a synergy from one."""
    ctx, prog = view.ctx, view.programme
    labels = runs.record_labels(ctx.programme_ref, parks=ctx.parks, have=_("have"),
                                want=_("want"))
    c1, c2, c3 = st.columns([3, 1, 1])
    record = ui.pick_record(c1, _("Record (a have or a want)"), labels, key=Key.SYN_RECORD,
                            find_key=Key.SYN_FIND)
    if record is None:
        return
    scope = c2.selectbox(_("Partners"), list(SCOPE_LABELS), key="syn_scope",
                         format_func=lambda s: _(SCOPE_LABELS[s]))
    top_k = c3.number_input(_("Show"), 1, 50, 10, key="syn_top_k")
    with ui.domain_errors():
        result = ctx.matcher().for_record(record, top_k=int(top_k),
                                          scope=cast("Scope", scope))
    table = result.table
    st.caption(" ".join(str(n) for n in result.notes))
    if table.empty:
        st.info(_("No complementary record found — see the gap analysis on **Reports**."))
        return
    shown = table[MATCH_COLUMNS].assign(  # codes shown as words; the table keeps codes
        basis=[_(BASIS_LABELS[b]) if b in BASIS_LABELS else b for b in table["basis"]],
        distance_method=[_(METHOD_LABELS[m]) if m in METHOD_LABELS else m
                         for m in table["distance_method"]],
        unit=[unit_label(u) for u in table["unit"]])
    st.dataframe(shown, hide_index=True, width="stretch", key="syn_matches",
                 column_config=headers(shown))
    partners = prog.sites[prog.sites["site_id"].isin([*table["have_site_id"],
                                                      *table["want_site_id"]])]
    m = ui.base_map(ctx, bounds=partners.total_bounds)
    add_parks(m, prog.parks)
    add_match_lines(m, table, prog.sites)
    ui.show_map(m, key="syn_match_map", height=360)
    pick = st.selectbox(_("Match to turn into a synergy"), table.index, key="syn_pick_match",
                        format_func=lambda i: f"#{table.at[i, 'rank']}: "
                        f"{table.at[i, 'have_id']} → {table.at[i, 'want_id']}")
    if st.button(_("Create synergy (idea)"), key=Key.SYN_CREATE, type="primary"):
        _create(view, table.loc[pick])


def _create(view: SynergiesView, row: pd.Series) -> None:
    with ui.domain_errors():
        view.ctx.require_write(_("change synergies"))
        sid = repo.create_synergy(
            view.ctx.store, view.programme, have_id=row["have_id"], want_id=row["want_id"],
            practitioner=view.who, proposed_because=row["reasons"],
            distance_km=row["distance_km"], distance_method=row["distance_method"])
    saved(_("Synergy {synergy} created").format(synergy=sid))
