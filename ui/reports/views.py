"""The Reports page's views, one at a time: the resource-pool Sankey, the synergy network as a
map and as a graph, the gaps and the funders' workbook."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Final

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.i18n import N_, _, current_locale, format_number, ngettext
from geo.synergies import repository as repo
from geo.synergies.gaps import between_parks, gap_analysis, viewer_gaps
from geo.synergies.reports import conservation_errors, graph_layout
from geo.synergies.viewer import viewer_sankey
from geo.synergies.workbook import funder_workbook
from layers.base import add_parks
from layers.synergies import add_synergy_network, network_graph_figure, sankey_figure
from ui import Key, runs
from ui.reports.common import table
from ui.widgets import XLSX_MIME

if TYPE_CHECKING:
    from collections.abc import Callable

    from ui.reports.common import ReportsView

__all__ = ["VIEWS", "show_view"]

# The options are codes (stable across languages); their labels are translated.
VIEWS: Final = {"Resource pool": N_("Resource pool"), "Network map": N_("Network map"),
                "Network graph": N_("Network graph"), "Gaps": N_("Gaps"), "Excel": N_("Excel")}


def _links(view: ReportsView, stages: list[str]) -> Any:
    """The synergy links of the chosen stages (cached per data version and stages): site to
    site for practitioners, park to park from the protected release for viewers."""
    ctx = view.ctx
    if view.release is None:
        return runs.synergy_network(ctx.programme_ref, **view.cache_key, stages=tuple(stages),
                                    parks=ctx.parks)
    return runs.viewer_synergy_network(ctx.programme_ref, **view.cache_key, rules=ctx.rules,
                                       stages=tuple(stages), parks=ctx.parks)


def _resource_pool(view: ReportsView, _stages: list[str]) -> None:
    try:
        sankey = (runs.synergy_sankey(view.ctx.programme_ref, **view.cache_key,
                                      parks=view.ctx.parks)
                  if view.release is None else viewer_sankey(view.release))
    except ConfidentialityError as exc:
        st.info(str(exc))
        return
    st.plotly_chart(sankey_figure(sankey), key="rep_sankey", width="stretch")
    bad = conservation_errors(sankey)
    balance = (_("Flows conserve tonnes at every node.") if bad.empty else
               ngettext("{n} node does not balance — please report this.",
                        "{n} nodes do not balance — please report this.",
                        len(bad)).format(n=format_number(len(bad))))
    st.caption(" ".join([balance, *(str(n) for n in sankey.notes)]))


def _network_map(view: ReportsView, stages: list[str]) -> None:
    edges = _links(view, stages)
    m = ui.base_map(view.ctx)
    add_parks(m, view.ctx.programme.parks)
    _layer, drawn = add_synergy_network(m, edges)
    ui.show_map(m, key="rep_net_map", height=500)
    drawn_text = ngettext("{drawn} of {n} link drawn; width grows with tonnes, colour shows "
                          "the most advanced stage.",
                          "{drawn} of {n} links drawn; width grows with tonnes, colour shows "
                          "the most advanced stage.", len(edges)).format(
        drawn=format_number(drawn), n=format_number(len(edges)))
    st.caption(drawn_text + " " + (
        _("Links without located sites are not drawn.") if view.release is None else
        _("Links join parks: the released park-pair figures of the chosen stages; park pairs "
          "whose figures are withheld are not listed.")))


def _network_graph(view: ReportsView, stages: list[str]) -> None:
    edges = _links(view, stages)
    if edges.empty:
        st.info(_("No synergies in the chosen stages yet.") if view.release is None else
                _("No park-pair figure of the chosen stages can be shown to viewers."))
    else:
        st.plotly_chart(network_graph_figure(edges, graph_layout(edges)), key="rep_graph",
                        width="stretch")


def _gaps(view: ReportsView, _stages: list[str]) -> None:
    ctx = view.ctx
    st.caption(_("Haves with no want anywhere in the programme, largest first: the sectors to "
                 "recruit and the openings for new technology."))
    with ui.domain_errors():
        matcher = ctx.matcher(roads=False)
        if view.release is None:
            gaps = gap_analysis(matcher, catalogue=load_catalogue())
            parks = between_parks(matcher.all_pairs(top_k=1).table)
        else:  # a company's unplaced code and its tonnage's rank are its own business
            gaps, parks = viewer_gaps(matcher, ctx.release, k=ctx.k,
                                      catalogue=load_catalogue())
    if view.release is not None:
        st.caption(_("For viewers: the release's streams whose haves without a want come from "
                     "at least {k} companies, and the sectors to recruit for them, in "
                     "alphabetical order — no codes, quantities, counts or fates.").format(
                         k=ctx.k))
    table(gaps, "rep_gaps", width="stretch")
    st.markdown(_("**Best partners between parks** (a solution in another park first)"))
    if view.release is not None:
        st.caption(_("Park pairs with at least {k} companies giving and {k} receiving across "
                     "them.").format(k=ctx.k))
    table(parks, "rep_parks", width="stretch")


def _excel(view: ReportsView, _stages: list[str]) -> None:
    ctx, release = view.ctx, view.release
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
            config = repo.load_outcome_config(ctx.store, ctx.programme.name)
        build = partial(funder_workbook, ctx.whole_programme, view.book,
                        factors=load_factors(), config=config, role=ctx.role,
                        release=release, parks=ctx.parks)
    ui.download_button(_("Download the funders' workbook (.xlsx)"), build,
                       file_name="synergy-report.xlsx", key=Key.REP_XLSX, mime=XLSX_MIME)


_SHOW: Final[dict[str, Callable[[ReportsView, list[str]], None]]] = {
    "Resource pool": _resource_pool, "Network map": _network_map,
    "Network graph": _network_graph, "Gaps": _gaps, "Excel": _excel}


def show_view(view: ReportsView, name: str, stages: list[str]) -> None:
    """Draw the view ``name`` (a key of :data:`VIEWS`); networks show the chosen ``stages``."""
    _SHOW[name](view, stages)
