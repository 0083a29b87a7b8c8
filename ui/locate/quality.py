"""How well the programme's sites are located: counts by precision, the records placed no
better than a chosen precision, and a map coloured by precision; the gazetteers' licences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd
import streamlit as st

import ui
from geo.geocode import GAZETTEER_SOURCES
from geo.i18n import N_, _, format_number, ngettext
from geo.programme import PRECISIONS, precision_rank
from layers.base import add_parks
from layers.quality import PRECISION_LABELS, add_sites_by_precision

if TYPE_CHECKING:
    from ui.context import PageContext

__all__ = ["gazetteer_licences", "location_quality", "precision_label"]

# Headers of the gazetteer table that have no general column label.
GAZETTEER_LABELS: Final = {"step": N_("Step"), "package": N_("Package"),
                           "licence": N_("Licence"), "attribution": N_("Attribution")}


def precision_label(code: object) -> str:
    """A location precision code as people read it."""
    label = PRECISION_LABELS.get(str(code))
    return _(label) if label else str(code)


def location_quality(ctx: PageContext) -> None:
    """Counts by precision, the least precisely placed records, and the map by precision."""
    prog = ctx.programme
    sites = prog.sites
    counts = sites["location_precision"].fillna("not_found").value_counts().reindex(
        PRECISIONS, fill_value=0)
    # best precision first, as the slider below runs (not alphabetically by label)
    st.bar_chart(counts.rename(index=precision_label).rename(_("Sites")), horizontal=True,
                 height=220, sort=False)
    worst = st.select_slider(_("Show records placed no better than"), PRECISIONS,
                             value="not_found", key="gc_worst", format_func=precision_label)
    shown = sites[precision_rank(sites["location_precision"].fillna("not_found"))
                  >= PRECISIONS.index(worst)]
    table = shown.drop(columns="geometry")
    st.dataframe(table, hide_index=True, placeholder="—", width="stretch",
                 column_config=ui.column_config(table.columns))
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    drawn = add_sites_by_precision(m, sites)
    ui.show_map(m, key="gc_quality_map", height=420)
    st.caption(ngettext("{drawn} of {n} site on the map; {missing} not located.",
                        "{drawn} of {n} sites on the map; {missing} not located.",
                        len(sites)).format(
        drawn=format_number(drawn), n=format_number(len(sites)),
        missing=format_number(len(sites) - drawn)))


def gazetteer_licences() -> None:
    """The gazetteers of the chain, their packages, licences and attributions."""
    with st.expander(_("Gazetteers and their licences"), icon=":material/license:"):
        gazetteers = pd.DataFrame(GAZETTEER_SOURCES)
        st.dataframe(gazetteers, hide_index=True, width="stretch",
                     column_config=ui.column_config(gazetteers.columns, labels={
                         col: _(label) for col, label in GAZETTEER_LABELS.items()}))
