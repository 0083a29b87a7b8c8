"""Reports: the resource-pool Sankey, the synergy network, KPIs, gaps and the funders' workbook.

Viewers (park authorities, investors) see the same views drawn from the programme's synergy
release only (``geo.synergies.protected``): every figure a released node or a sum of them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.i18n import _, column_label, current_locale, format_number, ngettext
from geo.synergies import repository as repo
from geo.synergies.gaps import between_parks, gap_analysis
from geo.synergies.lifecycle import STAGES, stage_label
from geo.synergies.reports import (
    conservation_errors,
    graph_layout,
)
from geo.synergies.text import unit_label
from geo.synergies.viewer import viewer_sankey
from geo.synergies.workbook import funder_workbook
from layers.base import add_parks
from layers.synergies import add_synergy_network, network_graph_figure, sankey_figure
from ui import Key, runs
from ui.widgets import XLSX_MIME

ctx = ui.page_context("reports")
st.title(_("Reports"))
prog = ctx.programme
ui.illustrative_note(prog)


def _headers(frame: object) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names)."""
    # Columns of the gaps and park-partner tables without a shared label (yet).
    own = {"key": _("Code or class"), "median_distance_km": _("Median distance (km)")}
    return {str(c): st.column_config.Column(own.get(str(c)) or column_label(c))
            for c in getattr(frame, "columns", [])}


def _table(frame: pd.DataFrame, key: str, **kwargs: Any) -> None:
    """Show ``frame`` with its headers (and any stage or unit codes) in this session's
    language."""
    shown = frame.copy()
    for col in ("stage", "unit"):
        if col in shown.columns:
            label = stage_label if col == "stage" else unit_label
            shown[col] = [None if pd.isna(v) else label(v) for v in shown[col]]
    st.dataframe(shown, hide_index=True, key=key, column_config=_headers(shown), **kwargs)


# The cached reports are kept per synergy version and per language (they carry labels).
cache_key: dict[str, Any] = {"synergy_version": ctx.versions.synergies,
                             "locale": current_locale()}
with ui.domain_errors():
    book = ctx.synergy_book
    if ctx.practitioner:
        release = None
        figures = runs.synergy_kpis(ctx.programme_ref, **cache_key, parks=ctx.parks)
    else:  # one release of the whole programme for every viewer; a park authority reads its part
        release = ctx.synergy_release
        figures = runs.viewer_synergy_kpis(ctx.programme_ref, **cache_key, rules=ctx.rules,
                                           member_sites=len(prog.sites))
if release is not None:
    audience = {"viewer": _("viewer"), "practitioner": _("practitioner")}
    # Translators: {audience} is "viewer"; {rules} the disclosure rule as a clause ("a figure
    # is shown only when…").
    st.caption(":material/lock: " + _("Viewing as {audience}: only figures that pass the "
                                      "disclosure rules — {rules}, for the giving and for the "
                                      "receiving companies. A blank figure is withheld.").format(
        audience=audience.get(ctx.role, ctx.role), rules=ctx.rules.describe()))
shown = figures.set_index("key")["value"]  # by KPI code: the kpi column is a label
headline = {"haves_recorded": _("Haves, t/yr"), "haves_in_live_synergies": _("In synergies, t/yr"),
            "synergies:completed": _("Completed synergies"),
            "outcome:landfill_diverted_t": _("Landfill diverted, t"),
            "outcome:co2e_avoided_t": _("CO2e avoided, t")}
headline = {k: v for k, v in headline.items() if k in shown.index}
for col, (name, label) in zip(st.columns(len(headline)), headline.items(), strict=True):
    col.metric(label, _("withheld") if pd.isna(shown[name]) else format_number(shown[name]))
with st.expander(_("All KPIs")):
    _table(figures.drop(columns="key"), "rep_kpis", width="stretch")
if release is not None:
    with st.expander(_("Released figures by stage, stream and park pair")):
        _table(release.figures(parks=ctx.parks).drop(columns=["from_park", "to_park"]),
               "rep_released", width="stretch")

# One view at a time (a map drawn in a hidden tab would be fitted to a zero-size frame).
# The options are codes (stable across languages); their labels are translated.
views = {"Resource pool": _("Resource pool"), "Network map": _("Network map"),
         "Network graph": _("Network graph"), "Gaps": _("Gaps"), "Excel": _("Excel")}
view = st.radio(_("View"), list(views), horizontal=True, key=Key.REP_VIEW,
                label_visibility="collapsed", format_func=lambda v: views[v])
stages = st.multiselect(_("Stages shown in the network"), STAGES, default=list(STAGES),
                        key="rep_net_stages", format_func=stage_label,
                        ) if view.startswith("Network") else list(STAGES)


def _links() -> Any:
    """The synergy links of the chosen stages (cached per data version and stages): site to
    site for practitioners, park to park from the protected release for viewers."""
    if release is None:
        return runs.synergy_network(ctx.programme_ref, **cache_key, stages=tuple(stages),
                                    parks=ctx.parks)
    return runs.viewer_synergy_network(ctx.programme_ref, **cache_key, rules=ctx.rules,
                                       stages=tuple(stages), parks=ctx.parks)


if view == "Resource pool":
    try:
        sankey = (runs.synergy_sankey(ctx.programme_ref, **cache_key, parks=ctx.parks)
                  if release is None
                  else viewer_sankey(release))
    except ConfidentialityError as exc:
        st.info(str(exc))
        st.stop()
    st.plotly_chart(sankey_figure(sankey), key="rep_sankey", width="stretch")
    bad = conservation_errors(sankey)
    balance = (_("Flows conserve tonnes at every node.") if bad.empty else
               ngettext("{n} node does not balance — please report this.",
                        "{n} nodes do not balance — please report this.",
                        len(bad)).format(n=format_number(len(bad))))
    st.caption(" ".join([balance, *(str(n) for n in sankey.notes)]))
elif view == "Network map":
    edges = _links()
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    _layer, drawn = add_synergy_network(m, edges)
    ui.show_map(m, key="rep_net_map", height=500)
    drawn_text = ngettext("{drawn} of {n} link drawn; width grows with tonnes, colour shows "
                          "the most advanced stage.",
                          "{drawn} of {n} links drawn; width grows with tonnes, colour shows "
                          "the most advanced stage.", len(edges)).format(
        drawn=format_number(drawn), n=format_number(len(edges)))
    st.caption(drawn_text + " " + (
        _("Links without located sites are not drawn.") if release is None else
        _("Links join parks: the released park-pair figures of the chosen stages; park pairs "
          "whose figures are withheld are not listed.")))
elif view == "Network graph":
    edges = _links()
    if edges.empty:
        st.info(_("No synergies in the chosen stages yet.") if release is None else
                _("No park-pair figure of the chosen stages can be shown to viewers."))
    else:
        st.plotly_chart(network_graph_figure(edges, graph_layout(edges)), key="rep_graph",
                        width="stretch")
elif view == "Gaps":
    st.caption(_("Haves with no want anywhere in the programme, largest first: the sectors to "
                 "recruit and the openings for new technology."))
    with ui.domain_errors():
        matcher = ctx.matcher(roads=False)
        gaps = gap_analysis(matcher, catalogue=load_catalogue())
        parks = between_parks(matcher.all_pairs(top_k=1).table)
    if release is not None:  # which codes lack a want, and where partners lie: no figures
        st.caption(_("For viewers without quantities, counts or fates."))
        gaps = gaps[["key", "stream", "unit", "recruit_sectors"]]
        parks = parks[["from_park", "to_park", "other_park"]]
    _table(gaps, "rep_gaps", width="stretch")
    st.markdown(_("**Best partners between parks** (a solution in another park first)"))
    _table(parks, "rep_parks", width="stretch")
else:
    st.write(_("Synergies, outcomes and totals by park, year, sector and stream, with the "
               "conversion factors cited.") if release is None else
             _("The released figures by stage, stream and park pair, their totals and the KPIs, "
               "with the conversion factors cited."))
    if release is None:
        build = partial(runs.funder_workbook, ctx.programme_ref,
                        synergy_version=ctx.versions.synergies, locale=current_locale(),
                        role=ctx.role, k=ctx.k)
    else:
        with ui.domain_errors():
            config = repo.load_outcome_config(ctx.store, prog.name)
        build = partial(funder_workbook, ctx.whole_programme, book, factors=load_factors(),
                        config=config, role=ctx.role, release=release, parks=ctx.parks)
    ui.download_button(_("Download the funders' workbook (.xlsx)"), build,
                       file_name="synergy-report.xlsx", key=Key.REP_XLSX, mime=XLSX_MIME)
