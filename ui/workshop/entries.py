"""Workshop step 1: haves and wants typed as members speak, checked and saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.catalogue import load_catalogue
from geo.i18n import _, column_label, format_number, ngettext
from geo.programme import DIRECTIONS, FREQUENCIES, UNITS
from geo.store.keys import resource_import_keys
from geo.synergies import repository as repo
from geo.synergies.text import unit_label
from geo.synergies.workshop import ENTRY_COLUMNS, entries_to_resources
from ui.state import Key
from ui.widgets import column_config, domain_errors

if TYPE_CHECKING:
    from ui.workshop.common import WorkshopView

__all__ = ["enter_records"]


def _editor(view: WorkshopView) -> pd.DataFrame:
    blank = pd.DataFrame({c: pd.Series(dtype=float if c == "quantity" else object)
                          for c in ENTRY_COLUMNS})
    col = st.column_config
    return st.data_editor(blank, num_rows="dynamic", key=Key.WS_ENTRIES, width="stretch",
                          column_config={
                              "site_id": col.SelectboxColumn(
                                  _("Site"), options=list(view.sites["site_id"]),
                                  format_func=view.site_label),
                              "direction": col.SelectboxColumn(
                                  _("Have/want"), options=DIRECTIONS, format_func=view.word),
                              "ewc_code": col.TextColumn(_("Waste code"),
                                                         help=_("e.g. 15 01 02")),
                              "description": col.TextColumn(column_label("description")),
                              "quantity": col.NumberColumn(_("Quantity"), min_value=0.0),
                              "unit": col.SelectboxColumn(_("Unit"), options=UNITS,
                                                          format_func=unit_label),
                              "frequency": col.SelectboxColumn(
                                  _("Frequency"), options=FREQUENCIES,
                                  format_func=view.word)})


def _store_new(view: WorkshopView, new: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """Store the rows of ``new`` that the programme does not hold yet; returns the rows stored
    and the ids of those it held already (a row saved before, still in the entry table when
    the table is saved again after correcting another row)."""
    ctx, prog = view.ctx, view.programme
    repo.ensure_programme(ctx.store, prog)
    keys = resource_import_keys(new)
    held = ctx.store.existing_import_keys(prog.name, keys)
    fresh = (~keys.isin(list(held)) & ~keys.duplicated()).to_numpy()
    stored = new[fresh]
    added = ctx.store.add_resources(prog.name, stored) if len(stored) else 0
    if added != len(stored):  # another session saved some of them meanwhile: the programme's
        stored = stored.iloc[:0]  # next version lists them, not this session
    return stored, set(new.loc[~fresh, "resource_id"])


def _save(view: WorkshopView, entries: pd.DataFrame) -> None:
    ctx = view.ctx
    with domain_errors():
        ctx.require_write(_("save records"))
        new, report = entries_to_resources(entries, site_ids=view.sites["site_id"],
                                           taken_ids=view.records()["resource_id"],
                                           catalogue=load_catalogue())
        stored, held = _store_new(view, new) if len(new) else (new, set())
    if len(stored):
        st.session_state[Key.WS_ADDED] = pd.concat(
            [st.session_state.get(Key.WS_ADDED, stored.iloc[:0]), stored], ignore_index=True)
    (st.success if len(stored) else st.info)(
        ngettext("{n} record saved.", "{n} records saved.", len(stored)).format(
            n=format_number(len(stored))))
    if held:
        st.info(ngettext("{n} row was saved before (the same site, code, description and "
                         "quantity); it was not saved again.",
                         "{n} rows were saved before (the same site, code, description and "
                         "quantity); they were not saved again.", len(held)).format(
            n=format_number(len(held))))
    if (report["status"] == "error").any():
        st.warning(_("Some rows were not saved; correct them and save again:"))
        refused = view.statuses(report[report["status"] == "error"])
        st.dataframe(refused, hide_index=True, key="ws_entry_report",
                     column_config=column_config(refused.columns))


def enter_records(view: WorkshopView) -> pd.DataFrame:
    """Step 1: the entry table, its save button, and the records there are to link (the
    programme's and those saved here); returns those records."""
    st.subheader(_("1 · Haves and wants"))
    entries = _editor(view)
    if st.button(_("Check and save these records"), key=Key.WS_SAVE_ENTRIES):
        _save(view, entries)
    records = view.records()
    with st.expander(_("Records to link ({n})").format(n=format_number(len(records)))):
        listed = records[["resource_id", "site_id", "direction", "ewc_code", "description",
                          "quantity", "unit"]]
        listed = listed.assign(direction=[view.word(d) for d in listed["direction"]],
                               unit=[unit_label(u) for u in listed["unit"]])
        st.dataframe(listed, hide_index=True, placeholder="—", key="ws_records",
                     column_config=column_config(listed.columns))
    return records
