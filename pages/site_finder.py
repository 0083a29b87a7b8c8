"""Site finder: where to put a reprocessing plant, with transparent scores and best p sites.

Viewers' feedstock and output users come from the programme's protected release
(:mod:`geo.siting.released`); everything after that is the same code on protected figures.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

import ui
from geo import siting
from geo.i18n import N_, _, column_labels, current_locale, format_number, ngettext, use_locale
from geo.siting.catchments import plant_label
from layers import siting as lyr
from layers.base import add_parks
from ui import Key, profile_key, runs

# H3 resolution → the area of one cell (ha) and the decimals to show it with. (Comments, not
# docstrings: Streamlit's magic would write a bare string on the page.)
GRID_CELL_HA = {9: (10.0, 0), 10: (1.5, 1), 11: (0.2, 1)}
# Headers of the screening report (its columns stay codes).
REPORT_LABELS = {"rule": N_("Rule"), "checked": N_("Checked"), "removed": N_("Removed"),
                 "failing": N_("Fail it on their own"), "note": N_("Note")}
STEM_LABELS = {"plants": N_("Plants"), "flows": N_("Flows"), "catchments": N_("Catchments")}


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


ctx = ui.page_context("site_finder")
st.title(_("Site finder"))
prog, role = ctx.programme, ctx.role
ui.illustrative_note(prog)
show_names = ctx.practitioner
profiles = siting.load_profiles()


c1, c2, c3 = st.columns([2, 2, 1])
pid = c1.selectbox(_("Technology"), list(profiles), key=Key.SF_PROFILE,
                   format_func=lambda p: _(profiles[p].name))
source = c2.selectbox(_("Candidate sites"), list(siting.CANDIDATE_SOURCES), index=2,
                      key="sf_source", format_func=lambda s: _(siting.CANDIDATE_SOURCES[s]))
res = c3.select_slider(
    _("Grid cell"), [9, 10, 11], 10, key="sf_res",
    format_func=lambda r: _("{area} ha").format(
        area=format_number(GRID_CELL_HA[r][0], digits=GRID_CELL_HA[r][1])))
layer_types = ["geojson", "json", "gpkg", "zip"]
upload = (st.file_uploader(_("Candidate points or parcels (GeoJSON, GeoPackage, zipped "
                             "Shapefile)"), type=layer_types, key="sf_upload")
          if source == "user" else None)
plants = st.file_uploader(_("Existing plants of this kind (optional layer: GeoJSON, GeoPackage, "
                            "zipped Shapefile)"), type=layer_types, key="sf_plants_upload")
base = profiles[pid]
with st.expander(_("Profile: {profile} — figures and siting rules").format(
        profile=_(base.name))):
    e = st.columns(4)
    num = {"min_throughput_t": (e[0], _("Min t/yr")), "max_throughput_t": (e[0], _("Max t/yr")),
           "max_haul_km": (e[1], _("Max haul km")),
           "gate_fee_eur_per_t": (e[1], _("Gate fee EUR/t")),
           "land_ha": (e[2], _("Land ha")), "transport_cost_per_tkm": (e[2], _("EUR per t·km"))}
    edits = {f: col.number_input(label, value=float(getattr(base, f)), key=profile_key(f, pid))
             for f, (col, label) in num.items()}
    r = base.rules
    rules = {"min_residential_distance_m": e[3].number_input(
                 _("Min m from housing"), value=r.min_residential_distance_m,
                 key=profile_key("home", pid)),
             "max_main_road_distance_m": e[3].number_input(
                 _("Max m to a main road"), value=r.max_main_road_distance_m or 5000.0,
                 key=profile_key("road", pid)),
             "inside_industrial": e[3].checkbox(_("On industrial land or in a park"),
                                                r.inside_industrial, key=profile_key("ind", pid))}
    # Translators: {sources} are the profile's citations (kept in their own language).
    st.caption(_("Sources: {sources}").format(sources=" · ".join(base.sources)))
with st.expander(_("Weights of the score")):
    cols, default = st.columns(len(siting.CRITERIA)), siting.ScoreWeights()
    w = [col.slider(_(siting.CRITERION_LABELS[c]), 0.0, 1.0, getattr(default, c), 0.05,
                    key=f"sf_w_{c}") for col, c in zip(cols, siting.CRITERIA, strict=True)]

with ui.domain_errors():
    profile = base.with_changes(**edits, rules=rules)
    weights = siting.ScoreWeights(*w)
    query = runs.SiteFinderQuery.of(profile, source, resolution=res,
                                    upload=upload.getvalue() if upload else None,
                                    upload_name=upload.name if upload else "")
    screen, run = runs.site_finder_run(  # viewers: on the protected release (ctx.rules)
        ctx.programme_ref, ctx.network, query, weights=weights,
        plants=plants.getvalue() if plants else None, plants_name=plants.name if plants else "",
        release_rules=None if show_names else ctx.rules, parks=ctx.parks)
if run is None:
    st.warning(_("No candidate passes the siting rules. {screening} Relax a rule in the profile "
                 "above (e.g. the distance from housing).").format(screening=screen.explain()),
               icon=":material/rule:")
    with ui.domain_errors():
        relax_m = runs.housing_relaxation(ctx.programme_ref, ctx.network, query)
    if relax_m is not None:
        st.button(_("Try {relax} m from housing (the largest distance that leaves candidates; "
                    "the profile says {given} m)").format(
                      relax=format_number(relax_m),
                      given=format_number(profile.rules.min_residential_distance_m)),
                  key=Key.SF_RELAX, icon=":material/tune:",
                  on_click=lambda: st.session_state.update({profile_key("home", pid): relax_m}))
    m = ui.base_map(ctx)
    lyr.add_screened_candidates(m, screen.sites)
    ui.show_map(m, key="sf_screen_map", height=460)
    report = screen.report.assign(
        rule=screen.report["rule"].map(siting.rule_label),
        note=screen.report["note"].map(lambda n: _(n) if n else ""))
    st.dataframe(report.rename(columns={c: _(REPORT_LABELS.get(c, c)) for c in report.columns}),
                 hide_index=True, key="sf_report")
    st.stop()

scored = run.scored
sites = (scored.sites.assign(supplier_names=siting.suppliers_in_reach(scored, run.suppliers))
         if show_names else scored.sites)
ranking = siting.ranking_for_role(sites, role=role, released=run.released)
if scored.method != "road":
    # Translators: what is estimated, as in "… hauls are straight-line × 1.3 estimates".
    ui.straight_line_warning(_("hauls"), detour_factor=scored.haul.detour_factor)
n_sup = len(run.suppliers.sites)
if run.released:
    fed = ngettext("Feedstock from {n} hexagon", "Feedstock from {n} hexagons", n_sup)
else:
    fed = ngettext("Feedstock from {n} supplier site", "Feedstock from {n} supplier sites", n_sup)
measured = (_("hauls measured: road") if scored.method == "road" else
            _("hauls measured: straight-line"))
# Translators: {screening} explains the siting rules; {feedstock} e.g. "Feedstock from 12
# hexagons"; {measured} e.g. "hauls measured: road".
st.caption(_("{screening} {feedstock}; {measured}.").format(
    screening=screen.explain(), feedstock=fed.format(n=format_number(n_sup)), measured=measured))
for note in siting.viewer_notes(run) if run.released else ():
    st.caption(note)
sens_table, sens = siting.weight_sensitivity(scored.criteria, weights,
                                             viable=scored.sites["viable"].to_numpy(bool))
tabs = st.tabs([_("Ranking"), _("Sensitivity"), _("Best p sites"), _("Compare"),
               _("Downloads")])
with tabs[0]:
    m = ui.base_map(ctx)
    add_parks(m, prog.parks)
    lyr.add_ranked_sites(m, ranking)
    lyr.add_suppliers(m, run.suppliers.sites, show_names=show_names,
                      label=_(siting.RELEASED_SUPPLIER) if run.released else None)
    lyr.add_competitors(m, run.competitors, show_names=show_names)
    ui.show_map(m, key="sf_rank_map", height=460)
    st.plotly_chart(lyr.breakdown_figure(ranking), key="sf_breakdown")
    table_cols = ["rank", "name", "score", "status", "feedstock_t", "suppliers", "cells",
                  "mean_haul_km", "transport_cost_eur", "transport_co2e_t", "market_km",
                  "competitors", "supplier_names"]
    st.dataframe(shown(ranking[[c for c in table_cols if c in ranking]]), hide_index=True,
                 key="sf_table")
with tabs[1]:
    st.markdown(siting.describe_sensitivity(sens))
    st.dataframe(shown(pd.concat([scored.sites[["name"]].reset_index(drop=True), sens_table],
                                 axis=1).head(15)), hide_index=True, key="sf_sens")
with tabs[2]:
    b1, b2 = st.columns(2)
    p = int(b1.number_input(_("Plants"), 1, 10, 2, key="sf_p"))
    objective = b2.selectbox(_("Objective"), siting.OBJECTIVES, key=Key.SF_OBJECTIVE,
                             format_func=lambda o: _(siting.OBJECTIVE_LABELS[o]))
    with ui.domain_errors():
        best = siting.best_sites_from_scored(scored, run.suppliers, p, objective=objective)
    chosen, flows, catchments = siting.best_sites_for_role(best, role=role)
    st.caption(best.describe())
    m = ui.base_map(ctx, bounds=best.catchments.total_bounds)
    lyr.add_best_sites(m, chosen, flows, catchments, show_names=show_names, k=ctx.k)
    ui.show_map(m, key="sf_best_map", height=460)
    st.dataframe(shown(chosen.drop(columns="geometry")), hide_index=True, key="sf_plants")
    st.dataframe(shown(flows.drop(columns="geometry")), hide_index=True, key="sf_flows")
with tabs[3]:
    names = ranking.dropna(subset=["rank"]).set_index("candidate_id")["name"].astype(str)
    picked = st.multiselect(_("Compare 2–3 sites"), list(names.index), list(names.index[:3]),
                            max_selections=3, key="sf_compare", format_func=names.get)
    table = ranking.set_index("candidate_id").loc[picked].drop(columns="geometry")
    if "status" in table:
        table = table.assign(status=table["status"].map(siting.status_label))
    st.dataframe(table.T.astype(str).rename(index=column_labels(table.columns)),
                 key="sf_compare_table")
with tabs[4]:
    ui.download_buttons(ranking, stem=f"site-ranking-{pid}", key="sf_dl_rank")
    for frame, stem in ((chosen, "plants"), (flows, "flows"), (catchments, "catchments")):
        st.caption(_(STEM_LABELS[stem]))
        ui.download_buttons(frame, stem=f"site-{stem}-{pid}", key=f"sf_dl_{stem}",
                            formats=("csv", "xlsx", "gpkg"))
    blocks = partial(siting.memo_blocks, run, role=role, programme_name=prog.name,
                     illustrative=prog.illustrative, best=best, sensitivity=sens)
    d1, d2 = st.columns(2)
    with d1:  # the memo is written when a button is clicked
        ui.download_button(_("Memo (Markdown)"),
                           in_this_language(lambda: siting.memo_markdown(blocks())),
                           file_name=f"site-memo-{pid}.md", key=Key.SF_MEMO_MD)
    with d2:
        ui.download_button(_("Memo (HTML)"), in_this_language(lambda: siting.memo_html(blocks())),
                           file_name=f"site-memo-{pid}.html", key=Key.SF_MEMO_HTML)
