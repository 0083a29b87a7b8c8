"""The Milk round page's *one cycle* mode: the chosen days planned once for one stream and
one depot (:func:`geo.routing.plan_milk_round`)."""

from __future__ import annotations

from functools import partial
from typing import Final

import streamlit as st

import ui
from geo.i18n import N_, _, format_number, ngettext
from geo.routing import (
    WEEKDAYS,
    Fleet,
    ProducerQuery,
    SolverOptions,
    cluster_sites,
    depot_from_site,
    plan_milk_round,
    run_sheet_gpx,
    suggest_depot,
)
from geo.routing.problem import DEFAULT_CAPACITY_T
from layers.base import add_parks
from layers.routing import add_depot, add_routes, add_stops
from ui import Key
from ui.milk_round.common import (
    MilkRoundView,
    day_name,
    kpi_metrics,
    show_progress,
    show_table,
)

__all__ = ["cycle_mode"]

RECORD_FREQUENCIES: Final = {"record": N_("each record's own"), "weekly": N_("weekly"),
                             "fortnightly": N_("fortnightly"), "monthly": N_("monthly")}


def cycle_mode(view: MilkRoundView) -> None:
    """The single-cycle planner: the chosen days, one stream, one depot."""
    ctx, prog, cat, labels = view.ctx, view.programme, view.catalogue, view.labels
    site_names, park_names = view.site_names, view.park_names
    with st.form("mr_form"):
        c1, c2, c3 = st.columns(3)
        with c1:
            st.markdown(_("**Producers**"))
            stream = st.selectbox(_("Stream"), list(labels), key=Key.MR_STREAM,
                                  format_func=view.stream_label,
                                  index=list(labels).index("organics")
                                  if "organics" in labels else 0)
            parks = st.multiselect(_("Parks (all if empty)"), list(park_names), key="mr_parks",
                                   format_func=view.park_label)
            clusters = cluster_sites(prog, (st.session_state.get(Key.MR_STREAM, "organics"),),
                                     catalogue=cat)
            cluster = st.selectbox(_("Cluster (all if none)"), ["", *clusters],
                                   key="mr_cluster")
            picked = st.multiselect(_("Only these sites (hand selection)"), list(site_names),
                                    key="mr_sites", format_func=view.site_label)
            qmin, qmax = st.columns(2)
            min_t = qmin.number_input(_("Min t per collection"), 0.0, value=0.0, key="mr_min")
            max_t = qmax.number_input(_("Max t per collection"), 0.0, value=100.0, key="mr_max")
            freq = st.selectbox(_("Collection frequency (record: each record's own)"),
                                list(RECORD_FREQUENCIES), key="mr_freq",
                                format_func=lambda f: _(RECORD_FREQUENCIES[f]))
        with c2:
            st.markdown(_("**Visits**"))
            service = st.number_input(_("Minutes on site"), 1, 240, 15, key="mr_service")
            hours = st.slider(_("Opening hours"), 0, 24, (6, 18), key="mr_hours")
            accepts = st.multiselect(_("Weekdays producers accept"), WEEKDAYS,
                                     list(WEEKDAYS[:5]), key=Key.MR_ACCEPTS,
                                     format_func=day_name)
            optional = st.checkbox(_("Optional visits (skip if not worth it)"),
                                   key="mr_optional")
            value = st.number_input(_("Value of a collected t (EUR)"), 0.0, value=30.0,
                                    key="mr_value")
            days = st.multiselect(_("Days to plan"), WEEKDAYS, ["mon", "wed"], key=Key.MR_DAYS,
                                  format_func=day_name)
        with c3:
            st.markdown(_("**Depot and fleet**"))
            default = suggest_depot(prog, (stream,), catalogue=cat) or next(iter(site_names), "")
            depot_id = st.selectbox(_("Depot (reprocessor or transfer station)"),
                                    list(site_names),
                                    index=list(site_names).index(default) if default else 0,
                                    key=Key.MR_DEPOT, format_func=view.site_label)
            v1, v2 = st.columns(2)
            vehicles = v1.number_input(_("Vehicles per day"), 0, 50, 2, key=Key.MR_VEHICLES)
            capacity = v2.number_input(_("Capacity (t)"), 0.1, value=DEFAULT_CAPACITY_T,
                                       key=Key.MR_CAPACITY)
            k1, k2 = st.columns(2)
            per_km = k1.number_input(_("Cost per km"), 0.0, value=1.10, key="mr_cost_km")
            per_h = k2.number_input(_("Cost per hour"), 0.0, value=45.0, key="mr_cost_h")
            shift = st.slider(_("Shift"), 0, 24, (7, 15), key="mr_shift")
            reload = st.checkbox(_("Reload at the depot when full (multi-trip)"),
                                 key="mr_reload")
            limit = st.slider(_("Solver time (s)"), 1, 60, 5, key=Key.MR_TIME)
        submitted = st.form_submit_button(_("Plan rounds"), type="primary", key=Key.MR_SUBMIT)

    if submitted and not (accepts and days):
        st.error(_("Choose a day in both *Weekdays producers accept* and *Days to plan*."))
    elif submitted:
        with ui.domain_errors(), ui.progress_bar(_("Building the travel-time matrix…")) as bar:
            fleet = Fleet.from_factors(vehicles=int(vehicles), capacity=float(capacity),
                                       cost_per_km=per_km, cost_per_hour=per_h,
                                       shift_start_s=shift[0] * 3600,
                                       shift_end_s=shift[1] * 3600, reload=reload)
            chosen = tuple(picked) + clusters.get(cluster, ())
            query = ProducerQuery(stream=(stream,), park_ids=tuple(parks), site_ids=chosen,
                                  frequency=freq, min_per_visit=min_t, max_per_visit=max_t,
                                  service_s=int(service * 60), tw_start_s=hours[0] * 3600,
                                  tw_end_s=hours[1] * 3600, weekdays=tuple(accepts),
                                  optional=optional, value_per_unit=value)
            st.session_state["mr_result"] = plan_milk_round(
                prog, query, depot_from_site(prog, depot_id), fleet, days=tuple(days),
                graph=ctx.road_graph, options=SolverOptions(time_limit_s=float(limit)),
                progress=partial(show_progress, bar))

    if (result := st.session_state.get("mr_result")) is None:
        st.info(_("Choose producers, depot and fleet, then **Plan rounds**."))
        return
    plan = result.plan
    if plan.instance.method != "road":
        ui.straight_line_warning("distances")  # plan_milk_round's default detour factor
    if plan.relaxed:
        st.warning(ngettext(
            "Not every producer fits into the fleet's shifts: {n} left out (reasons below). "
            "Add vehicles, days or reloads to serve them.",
            "Not every producer fits into the fleet's shifts: {n} left out (reasons below). "
            "Add vehicles, days or reloads to serve them.",
            len(plan.skipped)).format(n=format_number(len(plan.skipped))))
    if not plan.served:  # nothing to compare with own trips: no figures with red arrows
        if all(p.optional for p in plan.instance.producers):
            st.warning(_("No producer was collected: each one is optional, and its value does "
                         "not pay for the detour to it. Raise the value of a collected tonne, "
                         "or turn optional visits off."), icon=":material/remove_road:")
        else:
            st.warning(_("No producer could be collected; the reasons are below."),
                       icon=":material/remove_road:")
        show_table(result.left_out)
        return
    kpi = result.kpis.set_index("metric")
    shown = [("vehicle distance", N_("Vehicle-km"), N_("{value} km"), 1),
             ("vehicle time", N_("Vehicle time"), N_("{value} h"), 1),
             ("operating cost", N_("Cost"), N_("{value} EUR"), 0),
             ("CO2e", N_("CO2e"), N_("{value} kg"), 1),
             ("trips (depot and back)", N_("Trips"), "{value}", 0)]
    kpi_metrics(kpi, shown)
    n_days = len({r.day for r in plan.routes})
    n_served = len(plan.served)
    # Translators: {collections}, {trips} and {days} are counted phrases ("3 collections",
    # "1 trip", "2 days").
    st.caption(_("{collections} in {trips} on {days} · baseline: every producer drives to the "
                 "depot and back · solver {seconds} s").format(
        collections=ngettext("{n} collection", "{n} collections", n_served).format(
            n=format_number(n_served)),
        trips=ngettext("{n} trip", "{n} trips", plan.trips).format(
            n=format_number(plan.trips)),
        days=ngettext("{n} day", "{n} days", n_days).format(n=format_number(n_days)),
        seconds=format_number(plan.runtime_s, digits=0)))

    m = ui.base_map(ctx, bounds=result.lines.total_bounds if len(result.lines) else None)
    add_parks(m, prog.parks)
    add_routes(m, result.lines)
    add_stops(m, result.stops)
    add_depot(m, plan.instance.depot)
    ui.show_map(m, key="mr_map", height=540)

    t_routes, t_sheet, t_out, t_kpi = st.tabs([
        _("Routes"), _("Run sheets"),
        _("Left out ({n})").format(n=format_number(len(result.left_out))), _("KPIs")])
    with t_routes:
        show_table(result.summary)
    with t_sheet:
        route = st.selectbox(_("Vehicle and day"), result.summary["route"].tolist(),
                             key=Key.MR_ROUTE)
        sheet = result.run_sheet
        show_table(sheet[sheet["route"] == route].drop(columns=["route", "lon", "lat"]))
        ui.download_buttons(sheet, stem="milk-round-run-sheets", key="mr_dl_sheet",
                            formats=("csv", "xlsx"))
        ui.download_button(_("GPX for drivers"), partial(run_sheet_gpx, plan, result.lines),
                           file_name="milk-round.gpx", mime="application/gpx+xml",
                           key=Key.MR_DL_GPX)
        ui.download_buttons(result.lines, stem="milk-round-routes", key="mr_dl_lines",
                            formats=("geojson", "gpkg"))
    with t_out:
        show_table(result.left_out)
    with t_kpi:
        show_table(result.kpis)
