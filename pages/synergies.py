"""Synergies: find matches for a record, create a synergy in one action, track it to completion."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from geo.factors import load_factors
from geo.synergies import repository as repo
from geo.synergies.lifecycle import ALL_STAGES, history
from geo.synergies.outcomes import OUTCOME_TYPES, outcomes_wide
from layers.base import add_parks
from layers.synergies import add_match_lines
from ui import Key

ctx = ui.page_context("synergies")
st.title("Synergies")
prog = ctx.programme
ui.illustrative_note(prog)


def _saved(message: str) -> None:
    st.toast(message, icon=":material/check:")
    st.rerun()


with ui.domain_errors():
    book = ctx.synergy_book
    config = repo.load_outcome_config(ctx.store, prog.name)
who = ctx.who
st.caption(f"Changes are recorded as {ui.plain(who)}.")
t_find, t_pipe, t_one = st.tabs([":material/search: Find matches",
                                 ":material/view_kanban: Pipeline", ":material/timeline: Synergy"])

with t_find:
    res = prog.resources.sort_values(["direction", "resource_id"])
    names = prog.sites.set_index("site_id")["name"]
    labels = {r.resource_id: f"{r.resource_id} · {r.direction} · {names.get(r.site_id, '?')} · "
              f"{r.description}" for r in res.itertuples()}
    c1, c2, c3 = st.columns([3, 1, 1])
    record = c1.selectbox("Record (a have or a want)", list(labels), key=Key.SYN_RECORD,
                          format_func=labels.get)
    scope = c2.selectbox("Partners", ["all", "same park", "other parks"], key="syn_scope")
    top_k = c3.number_input("Show", 1, 50, 10, key="syn_top_k")
    with ui.domain_errors():
        result = ctx.matcher().for_record(record, top_k=int(top_k), scope=scope)
    table = result.table
    st.caption(" ".join(result.notes))
    if table.empty:
        st.info("No complementary record found — see the gap analysis on **Reports**.")
    else:
        cols = ["rank", "have_id", "want_id", "have_site", "want_site", "basis", "score",
                "distance_km", "distance_method", "matched_quantity", "unit",
                "transport_cost_per_year", "reasons"]
        st.dataframe(table[cols], hide_index=True, width="stretch", key="syn_matches")
        shown_sites = [*table["have_site_id"], *table["want_site_id"]]
        partners = prog.sites[prog.sites["site_id"].isin(shown_sites)]
        m = ui.base_map(ctx, bounds=partners.total_bounds)
        add_parks(m, prog.parks)
        add_match_lines(m, table, prog.sites)
        ui.show_map(m, key="syn_match_map", height=360)
        pick = st.selectbox("Match to turn into a synergy", table.index, key="syn_pick_match",
                            format_func=lambda i: f"#{table.at[i, 'rank']}: "
                            f"{table.at[i, 'have_id']} → {table.at[i, 'want_id']}")
        if st.button("Create synergy (idea)", key=Key.SYN_CREATE, type="primary"):
            row = table.loc[pick]
            with ui.domain_errors():
                ctx.require_write("change synergies")
                sid = repo.create_synergy(
                    ctx.store, prog, have_id=row["have_id"], want_id=row["want_id"],
                    practitioner=who, proposed_because=row["reasons"],
                    distance_km=row["distance_km"], distance_method=row["distance_method"])
            _saved(f"Synergy {sid} created")

with t_pipe:
    syn = book.synergies
    counts = syn["stage"].value_counts()
    for col, stage in zip(st.columns(len(ALL_STAGES)), ALL_STAGES, strict=True):
        col.metric(stage.capitalize(), int(counts.get(stage, 0)))
    stage_pick = st.multiselect("Stages", ALL_STAGES, default=list(ALL_STAGES[:-1]),
                                key="syn_pipe_stages")
    shown = syn[syn["stage"].isin(stage_pick)]
    st.dataframe(shown[["synergy_id", "stage", "description", "quantity", "unit",
                        "from_site_id", "to_site_id", "practitioner", "updated_at", "version"]],
                 hide_index=True, width="stretch", key="syn_pipe_table")

with t_one:
    if book.synergies.empty:
        st.info("No synergies yet: create one from a match.")
        st.stop()
    sid = st.selectbox("Synergy", book.synergies["synergy_id"], key="syn_pick")
    cur = book.get(sid)
    st.markdown(f"**{ui.plain(cur['description'])}** — {cur['quantity']:g} "
                f"{ui.plain(cur['unit'])} from "
                f"{ui.plain(names.get(cur['from_site_id'], cur['from_site_id']))} to "
                f"{ui.plain(names.get(cur['to_site_id'], cur['to_site_id']))} · stage "
                f"**{cur['stage']}** · {ui.plain(cur['practitioner'])} · version "
                f"{cur['version']}  \n"
                f"Proposed because: {ui.plain(cur['proposed_because'] or '—')}")
    left, right = st.columns(2)
    at = ALL_STAGES.index(cur["stage"])  # next stages first, then earlier ones, abandoned last
    moves = sorted((*ALL_STAGES[at + 1:], *ALL_STAGES[:at]), key=lambda s: s == "abandoned")
    with left.form("syn_stage_form"):
        to = st.selectbox("Move to stage", moves, key=Key.SYN_TO_STAGE)
        note = st.text_input("Note", key=Key.SYN_NOTE)
        reason = st.text_input("Reason (needed to go back or abandon)", key="syn_reason")
        if st.form_submit_button("Save stage change", key=Key.SYN_STAGE_SAVE):
            with ui.domain_errors():
                ctx.require_write("change synergies")
                repo.change_stage(ctx.store, prog.name, sid, to, note=note, reason=reason,
                                  expected_version=int(cur["version"]), practitioner=who)
            _saved(f"{sid} moved to {to}")
    with right.form("syn_outcome_form"):
        kind = st.selectbox("Outcome", config.entered(), key="syn_outcome_type",
                            format_func=lambda t: f"{OUTCOME_TYPES[t].label} "
                            f"({config.unit_of(t)})")
        value = st.number_input("Value for the year", value=0.0, key="syn_outcome_value")
        year = st.number_input("Year", 2000, 2100, pd.Timestamp.now().year, key="syn_outcome_year")
        if st.form_submit_button("Record outcome", key="syn_outcome_save"):
            with ui.domain_errors():
                ctx.require_write("change synergies")
                repo.record_outcome(ctx.store, prog.name, sid, kind, value, period=int(year),
                                    expected_version=int(cur["version"]), practitioner=who)
            _saved(f"Outcome recorded for {sid}")
    if cur["stage"] == "completed":
        case = st.text_input("Case study (link or document reference)",
                             value=cur["case_study"] or "", key="syn_case_study")
        if st.button("Attach case study", key="syn_case_save"):
            with ui.domain_errors():
                ctx.require_write("change synergies")
                repo.attach_case_study(ctx.store, prog.name, sid, case, practitioner=who,
                                       expected_version=int(cur["version"]))
            _saved(f"Case study attached to {sid}")
    mine = outcomes_wide(book, factors=load_factors(), config=config).query("synergy_id == @sid")
    if len(mine):  # CO2e carries the citation of its factors in co2e_factors
        st.dataframe(mine, hide_index=True, key="syn_outcomes")
    st.subheader("History")
    st.dataframe(history(book, sid), hide_index=True, width="stretch", key="syn_history")
