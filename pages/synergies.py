"""Synergies: find matches for a record, create a synergy in one action, track it to completion."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import ui
from geo.factors import load_factors
from geo.i18n import _, column_label, format_number
from geo.synergies import repository as repo
from geo.synergies.lifecycle import ALL_STAGES, history, stage_label
from geo.synergies.outcomes import OUTCOME_TYPES, outcomes_wide
from geo.synergies.scoring import BASIS_LABELS, SCOPE_LABELS
from geo.synergies.text import figure, unit_label
from layers.base import add_parks
from layers.synergies import add_match_lines
from ui import Key, runs

ctx = ui.page_context("synergies")
st.title(_("Synergies"))
prog = ctx.programme
ui.illustrative_note(prog)


def _headers(frame: object) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names)."""
    history_labels = {"event_id": _("Event"), "kind": _("What happened"),
                      "from_stage": _("From stage"), "to_stage": _("To stage")}
    return {str(c): st.column_config.Column(history_labels.get(str(c)) or column_label(c))
            for c in getattr(frame, "columns", [])}


def _capital(text: str) -> str:
    """``text`` with a capital first letter (a stage label heading a metric)."""
    return text[:1].upper() + text[1:]


def _saved(message: str) -> None:
    st.toast(message, icon=":material/check:")
    st.rerun()


with ui.domain_errors():
    book = ctx.synergy_book
    config = repo.load_outcome_config(ctx.store, prog.name)
who = ctx.who
# Translators: {who} is the name of the person signed in.
st.caption(_("Changes are recorded as {who}.").format(who=ui.plain(who)))
t_find, t_pipe, t_one = st.tabs([":material/search: " + _("Find matches"),
                                 ":material/view_kanban: " + _("Pipeline"),
                                 ":material/timeline: " + _("Synergy")])


def _writing() -> None:
    """Check that this person may change synergies, and store the programme before its first
    change (the embedded demo is stored with its illustrative synergies, which the changes
    below then update)."""
    ctx.require_write(_("change synergies"))
    repo.ensure_programme(ctx.store, prog)


direction_labels = {"have": _("have"), "want": _("want")}
names = prog.sites.set_index("site_id")["name"]

with t_find:
    labels = runs.record_labels(ctx.programme_ref, parks=ctx.parks, **direction_labels)
    c1, c2, c3 = st.columns([3, 1, 1])
    record = ui.pick_record(c1, _("Record (a have or a want)"), labels, key=Key.SYN_RECORD,
                            find_key=Key.SYN_FIND)
    if record is None:
        st.stop()
    scope = c2.selectbox(_("Partners"), list(SCOPE_LABELS), key="syn_scope",
                         format_func=lambda s: _(SCOPE_LABELS[s]))
    top_k = c3.number_input(_("Show"), 1, 50, 10, key="syn_top_k")
    with ui.domain_errors():
        result = ctx.matcher().for_record(record, top_k=int(top_k), scope=scope)
    table = result.table
    st.caption(" ".join(str(n) for n in result.notes))
    if table.empty:
        st.info(_("No complementary record found — see the gap analysis on **Reports**."))
    else:
        cols = ["rank", "have_id", "want_id", "have_site", "want_site", "basis", "score",
                "distance_km", "distance_method", "matched_quantity", "unit",
                "transport_cost_per_year", "reasons"]
        shown_matches = table[cols].assign(  # codes shown as words; the table keeps codes
            basis=[_(BASIS_LABELS[b]) if b in BASIS_LABELS else b for b in table["basis"]],
            unit=[unit_label(u) for u in table["unit"]])
        st.dataframe(shown_matches, hide_index=True, width="stretch", key="syn_matches",
                     column_config=_headers(shown_matches))
        shown_sites = [*table["have_site_id"], *table["want_site_id"]]
        partners = prog.sites[prog.sites["site_id"].isin(shown_sites)]
        m = ui.base_map(ctx, bounds=partners.total_bounds)
        add_parks(m, prog.parks)
        add_match_lines(m, table, prog.sites)
        ui.show_map(m, key="syn_match_map", height=360)
        pick = st.selectbox(_("Match to turn into a synergy"), table.index,
                            key="syn_pick_match",
                            format_func=lambda i: f"#{table.at[i, 'rank']}: "
                            f"{table.at[i, 'have_id']} → {table.at[i, 'want_id']}")
        if st.button(_("Create synergy (idea)"), key=Key.SYN_CREATE, type="primary"):
            row = table.loc[pick]
            with ui.domain_errors():
                ctx.require_write(_("change synergies"))
                sid = repo.create_synergy(
                    ctx.store, prog, have_id=row["have_id"], want_id=row["want_id"],
                    practitioner=who, proposed_because=row["reasons"],
                    distance_km=row["distance_km"], distance_method=row["distance_method"])
            _saved(_("Synergy {synergy} created").format(synergy=sid))

with t_pipe:
    syn = book.synergies
    counts = syn["stage"].value_counts()
    for col, stage in zip(st.columns(len(ALL_STAGES)), ALL_STAGES, strict=True):
        col.metric(_capital(stage_label(stage)), format_number(int(counts.get(stage, 0))))
    stage_pick = st.multiselect(_("Stages"), ALL_STAGES, default=list(ALL_STAGES[:-1]),
                                key="syn_pipe_stages", format_func=stage_label)
    shown = syn[syn["stage"].isin(stage_pick)]
    pipeline = shown[["synergy_id", "stage", "description", "quantity", "unit", "from_site_id",
                      "to_site_id", "practitioner", "updated_at", "version"]]
    pipeline = pipeline.assign(stage=[stage_label(s) for s in pipeline["stage"]],
                               unit=[unit_label(u) for u in pipeline["unit"]])
    st.dataframe(pipeline, hide_index=True, width="stretch", key="syn_pipe_table",
                 column_config=_headers(pipeline))

with t_one:
    if book.synergies.empty:
        st.info(_("No synergies yet: create one from a match."))
        st.stop()
    syn_labels = (book.synergies["synergy_id"].astype(str) + " · "
                  + book.synergies["stage"].map(stage_label) + " · "
                  + book.synergies["description"].fillna("").astype(str)
                  ).str.rstrip(" ·").set_axis(book.synergies["synergy_id"].to_numpy())
    # a book of thousands of synergies is searched, not all listed (ui.pick_record)
    sid = ui.pick_record(st, _("Synergy"), syn_labels, key=Key.SYN_PICK,
                         find_key=Key.SYN_PICK_FIND,
                         find_label=_("Find a synergy (id, stage or description)"))
    if sid is None:
        st.stop()
    cur = book.get(sid)
    # Translators: one synergy: what, how much, from which site to which, its stage, the
    # practitioner responsible and the version of the record.
    st.markdown(_("**{description}** — {quantity} {unit} from {giver} to {receiver} · stage "
                  "**{stage}** · {practitioner} · version {version}").format(
                      description=ui.plain(cur["description"]),
                      quantity=figure(cur["quantity"]), unit=ui.plain(unit_label(cur["unit"])),
                      giver=ui.plain(names.get(cur["from_site_id"], cur["from_site_id"])),
                      receiver=ui.plain(names.get(cur["to_site_id"], cur["to_site_id"])),
                      stage=stage_label(cur["stage"]),
                      practitioner=ui.plain(cur["practitioner"]),
                      version=format_number(int(cur["version"])))
                + "  \n" + _("Proposed because: {reasons}").format(
                    reasons=ui.plain(cur["proposed_because"] or "—")))
    left, right = st.columns(2)
    at = ALL_STAGES.index(cur["stage"])  # next stages first, then earlier ones, abandoned last
    moves = sorted((*ALL_STAGES[at + 1:], *ALL_STAGES[:at]), key=lambda s: s == "abandoned")
    with left.form("syn_stage_form"):
        to = st.selectbox(_("Move to stage"), moves, key=Key.SYN_TO_STAGE,
                          format_func=stage_label)
        note = st.text_input(_("Note"), key=Key.SYN_NOTE)
        reason = st.text_input(_("Reason (needed to go back or abandon)"), key="syn_reason")
        if st.form_submit_button(_("Save stage change"), key=Key.SYN_STAGE_SAVE):
            with ui.domain_errors():
                _writing()
                repo.change_stage(ctx.store, prog.name, sid, to, note=note, reason=reason,
                                  expected_version=int(cur["version"]), practitioner=who)
            _saved(_("{synergy} moved to {stage}").format(synergy=sid, stage=stage_label(to)))
    with right.form("syn_outcome_form"):
        # Translators: an outcome and its unit in a pick-list, e.g. "Water saved (m3)".
        kind = st.selectbox(_("Outcome"), config.entered(), key="syn_outcome_type",
                            format_func=lambda t: _("{outcome} ({unit})").format(
                                outcome=OUTCOME_TYPES[t].shown(),
                                unit=unit_label(config.unit_of(t))))
        value = st.number_input(_("Value for the year"), value=0.0, key="syn_outcome_value")
        year = st.number_input(_("Year"), 2000, 2100, pd.Timestamp.now().year,
                               key="syn_outcome_year")
        if st.form_submit_button(_("Record outcome"), key="syn_outcome_save"):
            with ui.domain_errors():
                _writing()
                repo.record_outcome(ctx.store, prog.name, sid, kind, value, period=int(year),
                                    expected_version=int(cur["version"]), practitioner=who)
            _saved(_("Outcome recorded for {synergy}").format(synergy=sid))
    if cur["stage"] == "completed":
        case = st.text_input(_("Case study (link or document reference)"),
                             value=cur["case_study"] or "", key="syn_case_study")
        if st.button(_("Attach case study"), key="syn_case_save"):
            with ui.domain_errors():
                _writing()
                repo.attach_case_study(ctx.store, prog.name, sid, case, practitioner=who,
                                       expected_version=int(cur["version"]))
            _saved(_("Case study attached to {synergy}").format(synergy=sid))
    mine = outcomes_wide(book, factors=load_factors(), config=config).query("synergy_id == @sid")
    if len(mine):  # CO2e carries the citation of its factors in co2e_factors
        st.dataframe(mine, hide_index=True, key="syn_outcomes", column_config=_headers(mine))
    st.subheader(_("History"))
    events = history(book, sid)
    # Translators: what an event in a synergy's history did.
    event_kinds = {"created": _("created"), "stage": _("stage change"),
                   "outcome": _("outcome"), "note": _("note"), "assigned": _("reassigned"),
                   "case study": _("case study")}
    events = events.assign(
        kind=[event_kinds.get(k, k) for k in events["kind"]],
        from_stage=[None if pd.isna(x) else stage_label(x) for x in events["from_stage"]],
        to_stage=[None if pd.isna(x) else stage_label(x) for x in events["to_stage"]])
    st.dataframe(events, hide_index=True, width="stretch", key="syn_history",
                 column_config=_headers(events))
