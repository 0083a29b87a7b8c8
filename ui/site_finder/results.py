"""The Site finder's results: the screening when no candidate passes, else the ranking,
weight sensitivity, best p sites, a side-by-side comparison and the downloads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Final

import pandas as pd
import streamlit as st

import ui
from geo import siting
from geo.i18n import N_, _, column_labels, current_locale, format_number, ngettext, use_locale
from geo.siting.catchments import plant_label
from layers import siting as lyr
from layers.base import add_parks
from ui import Key, profile_key, runs

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.siting import BestSites, CandidateScreen, SiteFinderRun
    from ui.context import PageContext
    from ui.site_finder.inputs import SiteFinderInputs

__all__ = ["no_candidates", "scored_results"]

# Headers of the screening report (its columns stay codes).
REPORT_LABELS: Final = {"rule": N_("Rule"), "checked": N_("Checked"), "removed": N_("Removed"),
                        "failing": N_("Fail it on their own"), "note": N_("Note")}
STEM_LABELS: Final = {"plants": N_("Plants"), "flows": N_("Flows"),
                      "catchments": N_("Catchments")}
TABLE_COLUMNS: Final = ["rank", "name", "score", "status", "feedstock_t", "suppliers", "cells",
                        "mean_haul_km", "transport_cost_eur", "transport_co2e_t", "market_km",
                        "competitors", "supplier_names"]


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a person reads it: statuses and headers in the session's language."""
    if "status" in frame.columns:
        frame = frame.assign(status=frame["status"].map(siting.status_label))
    if "plant" in frame.columns:
        frame = frame.assign(plant=frame["plant"].map(plant_label))
    return frame.rename(columns=column_labels(frame.columns))


def in_this_language(build: Callable[[], str]) -> Callable[[], str]:
    """``build`` run in this session's language whenever the download is clicked."""
    locale = current_locale()

    def run() -> str:
        with use_locale(locale):
            return build()

    return run


def no_candidates(ctx: PageContext, inputs: SiteFinderInputs, screen: CandidateScreen) -> None:
    """Explain why no candidate passed, offer the largest housing distance that leaves some,
    and show the screened candidates and the screening report."""
    # viewers: to the parks (public), never to the member sites, whose extent's edges probe
    # points would find
    area = ctx.programme.sites if ctx.practitioner else ctx.programme.parks
    far = siting.far_from_sites(screen.sites, area)
    if far:  # relaxing a rule cannot bring them in: say what is wrong with the layer
        st.error(far, icon=":material/travel_explore:")
        return
    st.warning(_("No candidate passes the siting rules. {screening} Relax a rule in the profile "
                 "above (e.g. the distance from housing).").format(screening=screen.explain()),
               icon=":material/rule:")
    with ui.domain_errors():
        relax_m = runs.housing_relaxation(ctx.programme_ref, ctx.network, inputs.query)
    if relax_m is not None:
        key = profile_key("home", inputs.profile_id)
        st.button(_("Try {relax} m from housing (the largest distance that leaves candidates; "
                    "the profile says {given} m)").format(
                      relax=format_number(relax_m),
                      given=format_number(inputs.profile.rules.min_residential_distance_m)),
                  key=Key.SF_RELAX, icon=":material/tune:",
                  on_click=lambda: st.session_state.update({key: relax_m}))
    m = ui.base_map(ctx)
    lyr.add_screened_candidates(m, screen.sites)
    ui.show_map(m, key="sf_screen_map", height=460)
    report = screen.report.assign(
        rule=screen.report["rule"].map(siting.rule_label),
        note=screen.report["note"].map(lambda n: _(n) if n else ""))
    st.dataframe(report.rename(columns={c: _(REPORT_LABELS.get(c, c)) for c in report.columns}),
                 hide_index=True, key="sf_report")


def _caption(screen: CandidateScreen, run: SiteFinderRun) -> None:
    """How the run was made: screening, where feedstock comes from, how hauls are measured."""
    scored = run.scored
    if scored.method != "road":
        # Translators: what is estimated, as in "… hauls are straight-line × 1.3 estimates".
        ui.straight_line_warning(_("hauls"), detour_factor=scored.haul.detour_factor)
    n_sup = len(run.suppliers.sites)
    if run.released:
        fed = ngettext("Feedstock from {n} hexagon", "Feedstock from {n} hexagons", n_sup)
    else:
        fed = ngettext("Feedstock from {n} supplier site", "Feedstock from {n} supplier sites",
                       n_sup)
    measured = (_("hauls measured: road") if scored.method == "road" else
                _("hauls measured: straight-line"))
    # Translators: {screening} explains the siting rules; {feedstock} e.g. "Feedstock from 12
    # hexagons"; {measured} e.g. "hauls measured: road".
    st.caption(_("{screening} {feedstock}; {measured}.").format(
        screening=screen.explain(), feedstock=fed.format(n=format_number(n_sup)),
        measured=measured))
    for note in siting.viewer_notes(run) if run.released else ():
        st.caption(note)


def _ranking_tab(ctx: PageContext, run: SiteFinderRun, ranking: gpd.GeoDataFrame) -> None:
    show_names = ctx.practitioner
    m = ui.base_map(ctx)
    add_parks(m, ctx.programme.parks)
    lyr.add_ranked_sites(m, ranking)
    lyr.add_suppliers(m, run.suppliers.sites, show_names=show_names,
                      label=_(siting.RELEASED_SUPPLIER) if run.released else None)
    lyr.add_competitors(m, run.competitors, show_names=show_names)
    ui.show_map(m, key="sf_rank_map", height=460)
    st.plotly_chart(lyr.breakdown_figure(ranking), key="sf_breakdown")
    st.dataframe(shown(ranking[[c for c in TABLE_COLUMNS if c in ranking]]), hide_index=True,
                 key="sf_table")


def _best_sites_tab(ctx: PageContext, run: SiteFinderRun
                    ) -> tuple[BestSites, gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    b1, b2 = st.columns(2)
    p = int(b1.number_input(_("Plants"), 1, 10, 2, key="sf_p"))
    objective = b2.selectbox(_("Objective"), siting.OBJECTIVES, key=Key.SF_OBJECTIVE,
                             format_func=lambda o: _(siting.OBJECTIVE_LABELS[o]))
    with ui.domain_errors():
        best = siting.best_sites_from_scored(run.scored, run.suppliers, p, objective=objective)
    chosen, flows, catchments = siting.best_sites_for_role(best, role=ctx.role)
    (st.warning if best.short_of_minimum else st.caption)(best.describe())
    m = ui.base_map(ctx, bounds=best.catchments.total_bounds)
    lyr.add_best_sites(m, chosen, flows, catchments, show_names=ctx.practitioner, k=ctx.k)
    ui.show_map(m, key="sf_best_map", height=460)
    st.dataframe(shown(chosen.drop(columns="geometry")), hide_index=True, key="sf_plants")
    st.dataframe(shown(flows.drop(columns="geometry")), hide_index=True, key="sf_flows")
    return best, chosen, flows, catchments


def _compare_tab(ranking: gpd.GeoDataFrame) -> None:
    names = ranking.dropna(subset=["rank"]).set_index("candidate_id")["name"].astype(str)
    picked = st.multiselect(_("Compare 2–3 sites"), list(names.index), list(names.index[:3]),
                            max_selections=3, key="sf_compare", format_func=names.get)
    table = ranking.set_index("candidate_id").loc[picked].drop(columns="geometry")
    if "status" in table:
        table = table.assign(status=table["status"].map(siting.status_label))
    st.dataframe(table.T.astype(str).rename(index=column_labels(table.columns)),
                 key="sf_compare_table")


def _downloads_tab(ctx: PageContext, inputs: SiteFinderInputs, run: SiteFinderRun, *,
                   ranking: gpd.GeoDataFrame, best: BestSites,
                   frames: dict[str, gpd.GeoDataFrame], sens: dict[str, float]) -> None:
    pid, prog = inputs.profile_id, ctx.programme
    ui.download_buttons(ranking, stem=f"site-ranking-{pid}", key="sf_dl_rank")
    for stem, frame in frames.items():
        st.caption(_(STEM_LABELS[stem]))
        ui.download_buttons(frame, stem=f"site-{stem}-{pid}", key=f"sf_dl_{stem}",
                            formats=("csv", "xlsx", "gpkg"))
    blocks = partial(siting.memo_blocks, run, role=ctx.role, programme_name=prog.name,
                     illustrative=prog.illustrative, best=best, sensitivity=sens)
    d1, d2 = st.columns(2)
    with d1:  # the memo is written when a button is clicked
        ui.download_button(_("Memo (Markdown)"),
                           in_this_language(lambda: siting.memo_markdown(blocks())),
                           file_name=f"site-memo-{pid}.md", key=Key.SF_MEMO_MD)
    with d2:
        ui.download_button(_("Memo (HTML)"), in_this_language(lambda: siting.memo_html(blocks())),
                           file_name=f"site-memo-{pid}.html", key=Key.SF_MEMO_HTML)


def scored_results(ctx: PageContext, inputs: SiteFinderInputs, screen: CandidateScreen,
                   run: SiteFinderRun) -> None:
    """The scored candidates for this role: ranking, sensitivity, best p sites, comparison
    and downloads (practitioners also see which suppliers are in reach)."""
    scored = run.scored
    sites = (scored.sites.assign(supplier_names=siting.suppliers_in_reach(scored, run.suppliers))
             if ctx.practitioner else scored.sites)
    ranking = siting.ranking_for_role(sites, role=ctx.role, released=run.released)
    _caption(screen, run)
    sens_table, sens = siting.weight_sensitivity(scored.criteria, inputs.weights,
                                                 viable=scored.sites["viable"].to_numpy(bool))
    tabs = st.tabs([_("Ranking"), _("Sensitivity"), _("Best p sites"), _("Compare"),
                   _("Downloads")])
    with tabs[0]:
        _ranking_tab(ctx, run, ranking)
    with tabs[1]:
        st.markdown(siting.describe_sensitivity(sens))
        st.dataframe(shown(pd.concat([scored.sites[["name"]].reset_index(drop=True),
                                      sens_table], axis=1).head(15)),
                     hide_index=True, key="sf_sens")
    with tabs[2]:
        best, chosen, flows, catchments = _best_sites_tab(ctx, run)
    with tabs[3]:
        _compare_tab(ranking)
    with tabs[4]:
        _downloads_tab(ctx, inputs, run, ranking=ranking, best=best, sens=sens,
                       frames={"plants": chosen, "flows": flows, "catchments": catchments})
