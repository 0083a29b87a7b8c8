"""The Synergies page's tracking tabs: the pipeline by stage, and one synergy — its stage
changes, outcomes, case study and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd
import streamlit as st

import ui
from geo.factors import load_factors
from geo.i18n import N_, _, format_date, format_number
from geo.synergies import repository as repo
from geo.synergies.lifecycle import ALL_STAGES, history, stage_label
from geo.synergies.outcomes import (
    MAX_OUTCOME_VALUE,
    OUTCOME_TYPES,
    effective_outcomes,
    outcomes_wide,
)
from geo.synergies.text import figure, unit_label
from ui import Key
from ui.synergies.common import headers, saved

if TYPE_CHECKING:
    from ui.synergies.common import SynergiesView

__all__ = ["one_synergy", "pipeline"]

SEEN: Final = "syn_seen_version"
"""Session key: (synergy id, version) drawn on the Synergy tab in the previous run."""
CLEAR_STAGE_FORM: Final = "syn_clear_stage_form"
"""Session key: the stage form's stage, note and reason are emptied on the next run (saved,
or another synergy picked)."""
CLEAR_OUTCOME_FORM: Final = "syn_clear_outcome_form"
"""Session key: the outcome form's *Replace* box is unticked on the next run (saved, or
another synergy picked), so a later figure for a recorded year is asked about again."""

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
    if seen is not None and seen[0] != sid:  # another synergy: its forms start empty, so a
        st.session_state[CLEAR_STAGE_FORM] = True  # stage chosen for the last one cannot
        st.session_state[CLEAR_OUTCOME_FORM] = True  # move this one with a single press
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
        mine = mine.round(2)  # CO2e is computed to many digits; entries have at most two
        st.dataframe(mine, hide_index=True, key="syn_outcomes", column_config=headers(mine),
                     placeholder="")
    st.subheader(_("History"))
    events = history(book, sid)
    events = events.assign(
        kind=[_(EVENT_KINDS[k]) if k in EVENT_KINDS else k for k in events["kind"]],
        from_stage=[None if pd.isna(x) else stage_label(x) for x in events["from_stage"]],
        to_stage=[None if pd.isna(x) else stage_label(x) for x in events["to_stage"]])
    st.dataframe(events, hide_index=True, width="stretch", key="syn_history", placeholder="",
                 column_config=headers(events))


def _stage_form(view: SynergiesView, sid: str, cur: pd.Series, expected: int) -> None:
    if st.session_state.pop(CLEAR_STAGE_FORM, False):  # the last change was saved: start afresh
        for key in (Key.SYN_NOTE, "syn_reason"):
            st.session_state[key] = ""
        st.session_state[Key.SYN_TO_STAGE] = None
    at = ALL_STAGES.index(cur["stage"])  # next stages first, then earlier ones, abandoned last
    moves = sorted((*ALL_STAGES[at + 1:], *ALL_STAGES[:at]), key=lambda s: s == "abandoned")
    if st.session_state.get(Key.SYN_TO_STAGE) not in (None, *moves):
        st.session_state[Key.SYN_TO_STAGE] = None  # chosen for another synergy or stage
    # No stage is chosen for the person, and Enter in a text field does not save: a change
    # is saved only when a stage was picked and the button pressed (a second press after a
    # save used to move the synergy on once more, to the stage the list then showed first).
    with st.form("syn_stage_form", enter_to_submit=False):
        to = st.selectbox(_("Move to stage"), moves, index=None, key=Key.SYN_TO_STAGE,
                          format_func=stage_label, placeholder=_("Choose a stage"))
        note = st.text_input(_("Note"), key=Key.SYN_NOTE)
        reason = st.text_input(_("Reason (needed to go back or abandon)"), key="syn_reason")
        if not st.form_submit_button(_("Save stage change"), key=Key.SYN_STAGE_SAVE):
            return
        if to is None:
            st.warning(_("Choose the stage to move {synergy} to.").format(synergy=sid))
            return
        with ui.domain_errors(stop=False):  # a refusal leaves the rest of the tab in view
            view.writing()
            repo.change_stage(view.ctx.store, view.programme.name, sid, to, note=note,
                              reason=reason, expected_version=expected,
                              practitioner=view.who)
            st.session_state[CLEAR_STAGE_FORM] = True
            saved(_("{synergy} moved to {stage}").format(synergy=sid, stage=stage_label(to)))


def _recorded(view: SynergiesView, sid: str, kind: str, year: int) -> pd.Series | None:
    """The figure that counts now for ``sid``'s outcome ``kind`` in ``year``, if any."""
    eff = effective_outcomes(view.book.outcomes)
    found = eff[(eff["synergy_id"] == sid) & (eff["outcome_type"] == kind)
                & (eff["period"].astype(int) == int(year))]
    return None if found.empty else found.iloc[-1]


def _outcome_form(view: SynergiesView, sid: str, expected: int) -> None:
    config = view.config
    if st.session_state.pop(CLEAR_OUTCOME_FORM, False):
        st.session_state["syn_outcome_replace"] = False
    with st.form("syn_outcome_form", enter_to_submit=False):
        # Translators: an outcome and its unit in a pick-list, e.g. "Water saved (m3)".
        kind = st.selectbox(_("Outcome"), config.entered(), key="syn_outcome_type",
                            format_func=lambda t: _("{outcome} ({unit})").format(
                                outcome=OUTCOME_TYPES[t].shown(),
                                unit=unit_label(config.unit_of(t))))
        value = st.number_input(_("Value for the year"), min_value=0.0,
                                max_value=MAX_OUTCOME_VALUE, value=0.0, key="syn_outcome_value")
        this_year = pd.Timestamp.now(tz="UTC").year  # outcomes are achieved, not forecast
        year = st.number_input(_("Year"), 2000, this_year, this_year, key="syn_outcome_year")
        replace = st.checkbox(_("Replace a figure already recorded for that year"),
                              key="syn_outcome_replace")
        if not st.form_submit_button(_("Record outcome"), key="syn_outcome_save"):
            return
        earlier = _recorded(view, sid, kind, int(year))
        if earlier is not None and not replace:
            # Translators: {outcome} e.g. "Landfill diverted"; {value} the figure with its unit.
            st.warning(_("{outcome} for {year} is already recorded: {value} ({who}, {when}). "
                         "Tick “Replace a figure already recorded for that year” and record "
                         "again to replace it.").format(
                outcome=OUTCOME_TYPES[kind].shown(), year=int(year),
                value=f"{figure(float(earlier['value']))} {unit_label(config.unit_of(kind))}",
                who=ui.plain(str(earlier["practitioner"])),
                when=format_date(earlier["recorded_at"])))
            return
        with ui.domain_errors(stop=False):  # a refusal leaves the rest of the tab in view
            view.writing()
            # the figure as the field shows it (two decimals), not the digits typed beyond
            repo.record_outcome(view.ctx.store, view.programme.name, sid, kind,
                                round(float(value), 2), period=int(year),
                                expected_version=expected, practitioner=view.who)
            st.session_state[CLEAR_OUTCOME_FORM] = True
            saved(_("Outcome recorded for {synergy}").format(synergy=sid))


def _case_study(view: SynergiesView, sid: str, cur: pd.Series, expected: int) -> None:
    case = st.text_input(_("Case study (link or document reference)"),
                         value=cur["case_study"] or "", key="syn_case_study")
    if st.button(_("Attach case study"), key="syn_case_save"):
        with ui.domain_errors(stop=False):
            view.writing()
            repo.attach_case_study(view.ctx.store, view.programme.name, sid, case,
                                   practitioner=view.who, expected_version=expected)
            saved(_("Case study attached to {synergy}").format(synergy=sid))
