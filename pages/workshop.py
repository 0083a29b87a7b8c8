"""Workshop: type haves, wants and proposed links fast, then create the synergies in bulk."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.i18n import _, column_label, format_number, ngettext
from geo.programme import DIRECTIONS, FREQUENCIES, UNITS
from geo.synergies import repository as repo
from geo.synergies.matching import Matcher
from geo.synergies.scoring import BASIS_LABELS, MatchParams
from geo.synergies.text import unit_label
from geo.synergies.workshop import ENTRY_COLUMNS, LINK_COLUMNS, entries_to_resources
from ui import Key

ctx = ui.page_context("workshop")
st.title(_("Workshop"))
prog = ctx.programme
st.caption(_("For a business-opportunity workshop: log haves and wants as members speak, pair "
             "them up, and create every valid pairing as a synergy at the *idea* stage in one "
             "go. Rows that break a rule are listed with the reason and kept for correction."))
who = ctx.who
# Translators: {who} is the name of the person signed in.
st.caption(_("Records and synergies are saved as {who}.").format(
    who=ui.plain(ctx.principal.shown_name)))
sites = prog.sites.sort_values("site_id")
direction_labels = {"have": _("have"), "want": _("want")}
# Translators: how often a have or a want arises.
frequency_labels = {"continuous": _("continuous"), "daily": _("daily"), "weekly": _("weekly"),
                    "fortnightly": _("fortnightly"), "monthly": _("monthly"),
                    "quarterly": _("quarterly"), "annual": _("annual"), "one-off": _("one-off")}


def _word(code: object) -> str:
    """A direction or frequency code as shown (others unchanged)."""
    return {**direction_labels, **frequency_labels}.get(str(code), str(code))


def _headers(frame: object) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names)."""
    return {str(c): st.column_config.Column(column_label(c))
            for c in getattr(frame, "columns", [])}


def _statuses(report: pd.DataFrame) -> pd.DataFrame:
    """A report with its status codes as words of this session's language."""
    words = {"ok": _("saved"), "error": _("refused")}
    return report.assign(status=[words.get(str(v), str(v)) for v in report["status"]])


def _records() -> pd.DataFrame:
    """The programme's records and those saved at this workshop that it does not show yet
    (a stored programme shows them from its next data version on; the embedded demo never)."""
    added = st.session_state.get(Key.WS_ADDED, prog.resources.iloc[:0])
    added = added[~added["resource_id"].isin(prog.resources["resource_id"])]
    return pd.concat([prog.resources, added], ignore_index=True)


st.subheader(_("1 · Haves and wants"))
blank = pd.DataFrame({c: pd.Series(dtype=float if c == "quantity" else object)
                      for c in ENTRY_COLUMNS})
Col = st.column_config
entries = st.data_editor(blank, num_rows="dynamic", key=Key.WS_ENTRIES, width="stretch",
                         column_config={
                             "site_id": Col.SelectboxColumn(_("Site"),
                                                            options=list(sites["site_id"])),
                             "direction": Col.SelectboxColumn(_("Have/want"), options=DIRECTIONS,
                                                              format_func=_word),
                             "ewc_code": Col.TextColumn(_("Waste code"),
                                                        help=_("e.g. 15 01 02")),
                             "description": Col.TextColumn(column_label("description")),
                             "quantity": Col.NumberColumn(_("Quantity"), min_value=0.0),
                             "unit": Col.SelectboxColumn(_("Unit"), options=UNITS,
                                                         format_func=unit_label),
                             "frequency": Col.SelectboxColumn(_("Frequency"),
                                                              options=FREQUENCIES,
                                                              format_func=_word)})
if st.button(_("Check and save these records"), key=Key.WS_SAVE_ENTRIES):
    with ui.domain_errors():
        ctx.require_write(_("save records"))
        new, report = entries_to_resources(entries, site_ids=sites["site_id"],
                                           taken_ids=_records()["resource_id"],
                                           catalogue=load_catalogue())
        if len(new):
            repo.ensure_programme(ctx.store, prog)
            ctx.store.add_resources(prog.name, new)
            st.session_state[Key.WS_ADDED] = pd.concat(
                [st.session_state.get(Key.WS_ADDED, new.iloc[:0]), new], ignore_index=True)
    (st.success if len(new) else st.info)(
        ngettext("{n} record saved.", "{n} records saved.", len(new)).format(
            n=format_number(len(new))))
    if (report["status"] == "error").any():
        st.warning(_("Some rows were not saved; correct them and save again:"))
        refused = _statuses(report[report["status"] == "error"])
        st.dataframe(refused, hide_index=True, key="ws_entry_report",
                     column_config=_headers(refused))
records = _records()
with st.expander(_("Records to link ({n})").format(n=format_number(len(records)))):
    listed = records[["resource_id", "site_id", "direction", "ewc_code", "description",
                      "quantity", "unit"]]
    listed = listed.assign(direction=[direction_labels.get(d, d) for d in listed["direction"]],
                           unit=[unit_label(u) for u in listed["unit"]])
    st.dataframe(listed, hide_index=True, key="ws_records", column_config=_headers(listed))

st.subheader(_("2 · Proposed links"))
site_names = sites.set_index("site_id")["name"]
attending = st.multiselect(_("Members present"), sites["site_id"], key="ws_sites",
                           format_func=lambda s: f"{s} · {site_names[s]}")
if st.button(_("Suggest links: best partner of each present member's haves"), key="ws_suggest",
             disabled=not attending):
    with ui.domain_errors():
        best = Matcher.from_programme(prog, catalogue=load_catalogue(),
                                      params=MatchParams(top_k=1)).all_pairs().table
    best = best[best["have_site_id"].isin(attending) & best["want_site_id"].isin(attending)]
    st.session_state["ws_seed"] = pd.DataFrame({
        "have_id": best["have_id"], "want_id": best["want_id"], "quantity": None,
        # Translators: the note prefilled on a suggested link; {basis} is how it was found.
        "note": [_("suggested: {basis}").format(basis=_(BASIS_LABELS[b]) if b in BASIS_LABELS
                                                else b) for b in best["basis"]]})
seed = st.session_state.get("ws_seed", pd.DataFrame({c: pd.Series(dtype=object)
                                                     for c in LINK_COLUMNS}))
haves = records.loc[records["direction"] == "have", "resource_id"].tolist()
wants = records.loc[records["direction"] == "want", "resource_id"].tolist()
links = st.data_editor(seed, num_rows="dynamic", key=Key.WS_LINKS, width="stretch",
                       column_config={"have_id": Col.SelectboxColumn(_("Have"), options=haves),
                                      "want_id": Col.SelectboxColumn(_("Want"), options=wants),
                                      "quantity": Col.NumberColumn(_("Quantity (have's unit)")),
                                      "note": Col.TextColumn(_("Note"))})
n_links = int(links["have_id"].notna().sum())
st.caption(ngettext("{n} link in the table.", "{n} links in the table.", n_links).format(
    n=format_number(n_links)))

st.subheader(_("3 · Create the synergies"))
if st.button(_("Create synergies at the idea stage"), key=Key.WS_CREATE, type="primary"):
    with ui.domain_errors():
        ctx.require_write(_("create synergies"))
        report = repo.create_synergies(ctx.store, prog, links, practitioner=who)
    ok = int((report["status"] == "ok").sum())
    (st.success if ok else st.info)(ngettext("{n} synergy created at the idea stage.",
                                             "{n} synergies created at the idea stage.",
                                             ok).format(n=format_number(ok)))
    if ok < len(report):
        refused_n = len(report) - ok
        st.warning(ngettext("{n} row was refused:", "{n} rows were refused:", refused_n).format(
            n=format_number(refused_n)))
    shown = _statuses(report)
    st.dataframe(shown, hide_index=True, width="stretch", key="ws_link_report",
                 column_config=_headers(shown))
