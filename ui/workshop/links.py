"""Workshop step 2: links proposed between the records, typed or suggested for the members
present."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.catalogue import load_catalogue
from geo.i18n import _, format_number, ngettext
from geo.synergies.matching import Matcher
from geo.synergies.scoring import BASIS_LABELS, MatchParams
from geo.synergies.workshop import LINK_COLUMNS
from ui.state import Key
from ui.widgets import domain_errors

if TYPE_CHECKING:
    from ui.workshop.common import WorkshopView

__all__ = ["propose_links"]


def _suggest(view: WorkshopView, attending: list[str]) -> None:
    """The best partner of each present member's haves, among the members present, as the
    links table's starting rows."""
    with domain_errors():
        best = Matcher.from_programme(view.programme, catalogue=load_catalogue(),
                                      params=MatchParams(top_k=1)).all_pairs().table
    best = best[best["have_site_id"].isin(attending) & best["want_site_id"].isin(attending)]
    st.session_state["ws_seed"] = pd.DataFrame({
        "have_id": best["have_id"], "want_id": best["want_id"], "quantity": None,
        # Translators: the note prefilled on a suggested link; {basis} is how it was found.
        "note": [_("suggested: {basis}").format(basis=_(BASIS_LABELS[b]) if b in BASIS_LABELS
                                                else b) for b in best["basis"]]})


def propose_links(view: WorkshopView, records: pd.DataFrame) -> pd.DataFrame:
    """Step 2: the members present, the suggestion button and the links table; returns the
    links as typed."""
    st.subheader(_("2 · Proposed links"))
    site_names = view.sites.set_index("site_id")["name"]
    attending = st.multiselect(_("Members present"), view.sites["site_id"], key="ws_sites",
                               format_func=lambda s: f"{s} · {site_names[s]}")
    if st.button(_("Suggest links: best partner of each present member's haves"),
                 key="ws_suggest", disabled=not attending):
        _suggest(view, attending)
    seed = st.session_state.get("ws_seed", pd.DataFrame({c: pd.Series(dtype=object)
                                                         for c in LINK_COLUMNS}))
    haves = records.loc[records["direction"] == "have", "resource_id"].tolist()
    wants = records.loc[records["direction"] == "want", "resource_id"].tolist()
    col = st.column_config
    links = st.data_editor(seed, num_rows="dynamic", key=Key.WS_LINKS, width="stretch",
                           column_config={
                               "have_id": col.SelectboxColumn(_("Have"), options=haves),
                               "want_id": col.SelectboxColumn(_("Want"), options=wants),
                               "quantity": col.NumberColumn(_("Quantity (have's unit)")),
                               "note": col.TextColumn(_("Note"))})
    n_links = int(links["have_id"].notna().sum())
    st.caption(ngettext("{n} link in the table.", "{n} links in the table.", n_links).format(
        n=format_number(n_links)))
    return links
