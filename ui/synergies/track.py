"""The Synergies page's tracking tabs: the pipeline by stage, and one synergy — its stage
changes, outcomes, case study and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd
import streamlit as st

import ui
from geo.factors import load_factors
from geo.i18n import N_, _, format_number
from geo.synergies import repository as repo
from geo.synergies.lifecycle import ALL_STAGES, history, stage_label
from geo.synergies.outcomes import MAX_OUTCOME_VALUE, OUTCOME_TYPES, outcomes_wide
from geo.synergies.text import figure, unit_label
from ui import Key
from ui.synergies.common import headers, saved

if TYPE_CHECKING:
    from ui.synergies.common import SynergiesView

__all__ = ["one_synergy", "pipeline"]

SEEN: Final = "syn_seen_version"
"""Session key: (synergy id, version) drawn on the Synergy tab in the previous run."""
CLEAR_STAGE_FORM: Final = "syn_clear_stage_form"
"""Session key: the stage form's note and reason are emptied on the next run (saved)."""

PIPELINE_COLUMNS: Final = ["synergy_id", "stage", "description", "quantity", "unit",
                           "from_site_id", "to_site_id", "practitioner", "updated_at", "version"]
# Translators: what an event in a synergy's history did.
EVENT_KINDS: Final = {"created": N_("created"), "stage": N_("stage change"),
                      "outcome": N_("outcome"), "note": N_("note"), "assigned": N_("reassigned"),
                      "case study": N_("case study")}


def _capital(text: str) -> str:
    """``text`` with a capital first letter (a stage label heading a metric)."""
    return text[:1].upper() + text[1:]


def pipeline(view: SynergiesView) -> None:
    """How many synergies are at each stage, and those at the chosen stages."""
    syn = view.book.synergies
    counts = syn["stage"].value_counts()
    for col, stage in zip(st.columns(len(ALL_STAGES)), ALL_STAGES, strict=True):
        col.metric(_capital(stage_label(stage)), format_number(int(counts.get(stage, 0))))
    stage_pick = st.multiselect(_("Stages"), ALL_STAGES, default=list(ALL_STAGES[:-1]),
                                key="syn_pipe_stages", format_func=stage_label)
    table = syn.loc[syn["stage"].isin(stage_pick), PIPELINE_COLUMNS]
    table = table.assign(stage=[stage_label(s) for s in table["stage"]],
                         unit=[unit_label(u) for u in table["unit"]])
    st.dataframe(table, hide_index=True, width="stretch", key="syn_pipe_table",
                 column_config=headers(table))


def one_synergy(view: SynergiesView) -> None:
    """Pick a synergy; show it, move its stage, record outcomes, attach a case study once
    completed, and show its history."""
    book = view.book
    if book.synergies.empty:
        st.info(_("No synergies yet: create one from a match."))
        return
    syn = book.synergies
    ids = syn["synergy_id"].to_numpy()
    # the label leaves out the stage, which this tab changes (see ui.pick_record); the search
    # still finds a synergy by its stage
    syn_labels = (syn["synergy_id"].astype(str) + " · "
                  + syn["description"].fillna("").astype(str)).str.rstrip(" ·").set_axis(ids)
    search = (syn_labels + " · " + syn["stage"].map(stage_label).set_axis(ids))
    # a book of thousands of synergies is searched, not all listed (ui.pick_record)
    sid = ui.pick_record(st, _("Synergy"), syn_labels, key=Key.SYN_PICK,
                         find_key=Key.SYN_PICK_FIND, search=search,
                         find_label=_("Find a synergy (id, stage or description)"))
    if sid is None:
        return
    cur = book.get(sid)
    # A change is checked against the version the person saw when they filled the form (the
    # previous run), not the one read in this run: another practitioner's save in between
    # must be refused with who and when, not overwritten.
    seen = st.session_state.get(SEEN)
    expected = seen[1] if seen is not None and seen[0] == sid else int(cur["version"])
    st.session_state[SEEN] = (sid, int(cur["version"]))
    # Translators: one synergy: what, how much, from which site to which, its stage, the
    # practitioner responsible and the version of the record.
    st.markdown(_("**{description}** — {quantity} {unit} from {giver} to {receiver} · stage "
                  "**{stage}** · {practitioner} · version {version}").format(
                      description=ui.plain(cur["description"]),
                      quantity=figure(cur["quantity"]), unit=ui.plain(unit_label(cur["unit"])),
                      giver=ui.plain(view.site_name(cur["from_site_id"])),
                      receiver=ui.plain(view.site_name(cur["to_site_id"])),
                      stage=stage_label(cur["stage"]),
                      practitioner=ui.plain(cur["practitioner"]),
                      version=format_number(int(cur["version"])))
                + "  \n" + _("Proposed because: {reasons}").format(
                    reasons=ui.plain(cur["proposed_because"] or "—")))
    left, right = st.columns(2)
    with left:
        _stage_form(view, sid, cur, expected)
    with right:
        _outcome_form(view, sid, expected)
    if cur["stage"] == "completed":
        _case_study(view, sid, cur, expected)
    mine = outcomes_wide(book, factors=load_factors(), config=view.config
                         ).query("synergy_id == @sid")
    if len(mine):  # CO2e carries the citation of its factors in co2e_factors
        st.dataframe(mine, hide_index=True, key="syn_outcomes", column_config=headers(mine))
    st.subheader(_("History"))
    events = history(book, sid)
    events = events.assign(
        kind=[_(EVENT_KINDS[k]) if k in EVENT_KINDS else k for k in events["kind"]],
        from_stage=[None if pd.isna(x) else stage_label(x) for x in events["from_stage"]],
        to_stage=[None if pd.isna(x) else stage_label(x) for x in events["to_stage"]])
    st.dataframe(events, hide_index=True, width="stretch", key="syn_history",
                 column_config=headers(events))


def _stage_form(view: SynergiesView, sid: str, cur: pd.Series, expected: int) -> None:
    if st.session_state.pop(CLEAR_STAGE_FORM, False):  # the last change was saved: start afresh
        for key in (Key.SYN_NOTE, "syn_reason"):
            st.session_state[key] = ""
    at = ALL_STAGES.index(cur["stage"])  # next stages first, then earlier ones, abandoned last
    moves = sorted((*ALL_STAGES[at + 1:], *ALL_STAGES[:at]), key=lambda s: s == "abandoned")
    with st.form("syn_stage_form"):
        to = st.selectbox(_("Move to stage"), moves, key=Key.SYN_TO_STAGE,
                          format_func=stage_label)
        note = st.text_input(_("Note"), key=Key.SYN_NOTE)
        reason = st.text_input(_("Reason (needed to go back or abandon)"), key="syn_reason")
        if st.form_submit_button(_("Save stage change"), key=Key.SYN_STAGE_SAVE):
            with ui.domain_errors():
                view.writing()
                repo.change_stage(view.ctx.store, view.programme.name, sid, to, note=note,
                                  reason=reason, expected_version=expected,
                                  practitioner=view.who)
            st.session_state[CLEAR_STAGE_FORM] = True
            saved(_("{synergy} moved to {stage}").format(synergy=sid, stage=stage_label(to)))


def _outcome_form(view: SynergiesView, sid: str, expected: int) -> None:
    config = view.config
    with st.form("syn_outcome_form"):
        # Translators: an outcome and its unit in a pick-list, e.g. "Water saved (m3)".
        kind = st.selectbox(_("Outcome"), config.entered(), key="syn_outcome_type",
                            format_func=lambda t: _("{outcome} ({unit})").format(
                                outcome=OUTCOME_TYPES[t].shown(),
                                unit=unit_label(config.unit_of(t))))
        value = st.number_input(_("Value for the year"), min_value=0.0,
                                max_value=MAX_OUTCOME_VALUE, value=0.0, key="syn_outcome_value")
        this_year = pd.Timestamp.now(tz="UTC").year  # outcomes are achieved, not forecast
        year = st.number_input(_("Year"), 2000, this_year, this_year, key="syn_outcome_year")
        if st.form_submit_button(_("Record outcome"), key="syn_outcome_save"):
            with ui.domain_errors():
                view.writing()
                repo.record_outcome(view.ctx.store, view.programme.name, sid, kind, value,
                                    period=int(year), expected_version=expected,
                                    practitioner=view.who)
            saved(_("Outcome recorded for {synergy}").format(synergy=sid))


def _case_study(view: SynergiesView, sid: str, cur: pd.Series, expected: int) -> None:
    case = st.text_input(_("Case study (link or document reference)"),
                         value=cur["case_study"] or "", key="syn_case_study")
    if st.button(_("Attach case study"), key="syn_case_save"):
        with ui.domain_errors():
            view.writing()
            repo.attach_case_study(view.ctx.store, view.programme.name, sid, case,
                                   practitioner=view.who, expected_version=expected)
        saved(_("Case study attached to {synergy}").format(synergy=sid))
