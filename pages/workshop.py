"""Workshop: type haves, wants and proposed links fast, then create the synergies in bulk."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.programme import DIRECTIONS, FREQUENCIES, UNITS
from geo.synergies import repository as repo
from geo.synergies.matching import Matcher
from geo.synergies.scoring import MatchParams
from geo.synergies.workshop import ENTRY_COLUMNS, LINK_COLUMNS, entries_to_resources
from ui import Key

ctx = ui.page_context("workshop")
st.title("Workshop")
prog = ctx.programme
st.caption("For a business-opportunity workshop: log haves and wants as members speak, pair "
           "them up, and create every valid pairing as a synergy at the *idea* stage in one "
           "go. Rows that break a rule are listed with the reason and kept for correction.")
who = ctx.who
st.caption(f"Records and synergies are saved as {ui.plain(who)}.")
sites = prog.sites.sort_values("site_id")


def _records() -> pd.DataFrame:
    """The programme's records and those saved at this workshop."""
    added = st.session_state.get(Key.WS_ADDED, prog.resources.iloc[:0])
    return pd.concat([prog.resources, added], ignore_index=True)


st.subheader("1 · Haves and wants")
blank = pd.DataFrame({c: pd.Series(dtype=float if c == "quantity" else object)
                      for c in ENTRY_COLUMNS})
Col = st.column_config
entries = st.data_editor(blank, num_rows="dynamic", key=Key.WS_ENTRIES, width="stretch",
                         column_config={
                             "site_id": Col.SelectboxColumn("Site", options=list(sites["site_id"])),
                             "direction": Col.SelectboxColumn("Have/want", options=DIRECTIONS),
                             "ewc_code": Col.TextColumn("Waste code", help="e.g. 15 01 02"),
                             "quantity": Col.NumberColumn("Quantity", min_value=0.0),
                             "unit": Col.SelectboxColumn("Unit", options=UNITS),
                             "frequency": Col.SelectboxColumn("Frequency", options=FREQUENCIES)})
if st.button("Check and save these records", key=Key.WS_SAVE_ENTRIES):
    with ui.domain_errors():
        ctx.require_write("save records")
        new, report = entries_to_resources(entries, site_ids=sites["site_id"],
                                           taken_ids=_records()["resource_id"],
                                           catalogue=load_catalogue())
        if len(new):
            repo.ensure_programme(ctx.store, prog)
            ctx.store.add_resources(prog.name, new)
            st.session_state[Key.WS_ADDED] = pd.concat(
                [st.session_state.get(Key.WS_ADDED, new.iloc[:0]), new], ignore_index=True)
    st.success(f"{len(new)} records saved.")
    if (report["status"] == "error").any():
        st.warning("Some rows were not saved; correct them and save again:")
        st.dataframe(report[report["status"] == "error"], hide_index=True, key="ws_entry_report")
records = _records()
with st.expander(f"Records to link ({len(records)})"):
    st.dataframe(records[["resource_id", "site_id", "direction", "ewc_code", "description",
                          "quantity", "unit"]], hide_index=True, key="ws_records")

st.subheader("2 · Proposed links")
site_names = sites.set_index("site_id")["name"]
attending = st.multiselect("Members present", sites["site_id"], key="ws_sites",
                           format_func=lambda s: f"{s} · {site_names[s]}")
if st.button("Suggest links: best partner of each present member's haves", key="ws_suggest",
             disabled=not attending):
    with ui.domain_errors():
        best = Matcher.from_programme(prog, catalogue=load_catalogue(),
                                      params=MatchParams(top_k=1)).all_pairs().table
    best = best[best["have_site_id"].isin(attending) & best["want_site_id"].isin(attending)]
    st.session_state["ws_seed"] = pd.DataFrame({
        "have_id": best["have_id"], "want_id": best["want_id"], "quantity": None,
        "note": "suggested: " + best["basis"].astype(str)})
seed = st.session_state.get("ws_seed", pd.DataFrame({c: pd.Series(dtype=object)
                                                     for c in LINK_COLUMNS}))
haves = records.loc[records["direction"] == "have", "resource_id"].tolist()
wants = records.loc[records["direction"] == "want", "resource_id"].tolist()
links = st.data_editor(seed, num_rows="dynamic", key=Key.WS_LINKS, width="stretch",
                       column_config={"have_id": Col.SelectboxColumn("Have", options=haves),
                                      "want_id": Col.SelectboxColumn("Want", options=wants),
                                      "quantity": Col.NumberColumn("Quantity (have's unit)"),
                                      "note": Col.TextColumn("Note")})
st.caption(f"{int(links['have_id'].notna().sum())} links in the table.")

st.subheader("3 · Create the synergies")
if st.button("Create synergies at the idea stage", key=Key.WS_CREATE, type="primary"):
    with ui.domain_errors():
        ctx.require_write("create synergies")
        report = repo.create_synergies(ctx.store, prog, links, practitioner=who)
    ok = int((report["status"] == "ok").sum())
    st.success(f"{ok} synergies created at the idea stage.")
    if ok < len(report):
        st.warning(f"{len(report) - ok} rows were refused:")
    st.dataframe(report, hide_index=True, width="stretch", key="ws_link_report")
