"""Milk round: collection routes over real roads for many small producers, by day or over weeks.

*One cycle* plans the chosen days once (:func:`geo.routing.plan_milk_round`); *several weeks*
plans one to four weeks with collection frequencies, visit patterns, several streams per
vehicle and unloading at reprocessors (:func:`geo.routing.periodic.plan_periodic`, built the
way ``python -m geo milk-round --weeks`` builds it).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Final

import pandas as pd
import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.i18n import N_, _, column_label, format_number, format_percent, ngettext
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
from geo.routing.periodic.inputs import (
    FREQUENCY_CHOICES,
    calendar_for_reading,
    edited_producers,
    frequency_table,
    horizon_fleet,
    select_producers,
    stream_table,
)
from geo.routing.periodic.tables import day_headers, day_label, vehicle_calendar
from layers.base import add_parks
from layers.routing import add_depot, add_routes, add_stops
from ui import Key

if TYPE_CHECKING:
    from geo.routing.periodic import PeriodicResult

# Session keys of the several-weeks mode (to move to ui.state.Key; the plan to ui.runs).
H_RESULT: Final = "mr_horizon_result"
H_SETUP: Final = "mr_horizon_setup"  # what the plan was made from, but the frequencies
H_REPLANNED: Final = "mr_horizon_replanned"  # producers whose frequency changed (re-plan)
H_MODE: Final = "mr_mode"
H_WEEKS: Final = "mr_h_weeks"
H_WORKDAYS: Final = "mr_h_workdays"
H_STREAMS: Final = "mr_h_streams"
H_PRODUCERS: Final = "mr_h_producers"
H_FLEET: Final = "mr_h_fleet"
H_UNLOAD: Final = "mr_h_unload"
H_DEPOT: Final = "mr_h_depot"
H_VEHICLES: Final = "mr_h_vehicles"
H_TIME: Final = "mr_h_time"
H_SUBMIT: Final = "mr_h_submit"
H_DAY: Final = "mr_h_day"
H_ROUTE: Final = "mr_h_route"

MODES: Final = {"cycle": N_("One cycle"), "horizon": N_("Several weeks")}
DAY_NAMES: Final = {"mon": N_("Monday"), "tue": N_("Tuesday"), "wed": N_("Wednesday"),
                    "thu": N_("Thursday"), "fri": N_("Friday"), "sat": N_("Saturday"),
                    "sun": N_("Sunday")}
DAY_SHORT: Final = {"mon": N_("Mon"), "tue": N_("Tue"), "wed": N_("Wed"), "thu": N_("Thu"),
                    "fri": N_("Fri"), "sat": N_("Sat"), "sun": N_("Sun")}
RECORD_FREQUENCIES: Final = {"record": N_("each record's own"), "weekly": N_("weekly"),
                             "fortnightly": N_("fortnightly"), "monthly": N_("monthly")}
UNLOAD: Final = {"depot": N_("Back at the depot"),
                 "reprocessor": N_("Unload each stream at its reprocessor")}
CALENDAR_ROWS: Final = {"producer": N_("producer"), "vehicle": N_("vehicle")}
STAGES: Final = {"selection": N_("selection"), "network": N_("road network"),
                 "schedule": N_("schedule"), "plan": N_("plan")}

ctx = ui.page_context("milk_round")
st.title(_("Milk round"))
prog = ctx.programme
ui.illustrative_note(prog)
if not ctx.practitioner and ctx.user_role != "logistics_planner":  # by design of the job
    ui.refuse(_("Not available to your role"),
              _("Run sheets and routes name the companies to visit: practitioners and "
                "logistics planners only."))

cat = load_catalogue()
labels = {g: _(label) for g, label in zip(cat.groups()["group"], cat.groups()["label"],
                                          strict=True)}
sites = prog.sites.sort_values("name")
site_names = dict(zip(sites["site_id"], sites["name"], strict=True))
park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))


def stream_label(code: str) -> str:
    """A catalogue group's label (catalogue text: not translated)."""
    return str(labels.get(code, code))


def site_label(site_id: str) -> str:
    """A site's name as recorded."""
    return str(site_names.get(site_id, site_id))


def park_label(park_id: str) -> str:
    """A park's name as recorded."""
    return str(park_names.get(park_id, park_id))


def day_name(code: str) -> str:
    """The weekday ``code`` in the session's language."""
    return _(DAY_NAMES[code])


def show_table(frame: pd.DataFrame, *, headers: dict[str, str] | None = None) -> None:
    """A table with its headers in the session's language; the frame keeps its column names
    (``headers`` gives labels of columns :func:`~geo.i18n.column_label` does not know)."""
    labels_of = {**{str(c): column_label(c) for c in frame.columns}, **(headers or {})}
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={c: st.column_config.Column(label) for c, label in
                                labels_of.items()})


# --- One cycle ------------------------------------------------------------------------------

def cycle_mode() -> None:
    """The single-cycle planner: the chosen days, one stream, one depot."""
    with st.form("mr_form"):
        c1, c2, c3 = st.columns(3)
        with c1:
            st.markdown(_("**Producers**"))
            stream = st.selectbox(_("Stream"), list(labels), key=Key.MR_STREAM,
                                  format_func=stream_label,
                                  index=list(labels).index("organics")
                                  if "organics" in labels else 0)
            parks = st.multiselect(_("Parks (all if empty)"), list(park_names), key="mr_parks",
                                   format_func=park_label)
            clusters = cluster_sites(prog, (st.session_state.get(Key.MR_STREAM, "organics"),),
                                     catalogue=cat)
            cluster = st.selectbox(_("Cluster (all if none)"), ["", *clusters],
                                   key="mr_cluster")
            picked = st.multiselect(_("Only these sites (hand selection)"), list(site_names),
                                    key="mr_sites", format_func=site_label)
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
                                    key=Key.MR_DEPOT, format_func=site_label)
            v1, v2 = st.columns(2)
            vehicles = v1.number_input(_("Vehicles per day"), 0, 50, 2, key=Key.MR_VEHICLES)
            capacity = v2.number_input(_("Capacity (t)"), 0.1, value=15.0, key=Key.MR_CAPACITY)
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
        bar = st.progress(0.0, text=_("Building the travel-time matrix…"))
        with ui.domain_errors():
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
                progress=partial(_progress, bar))
        bar.empty()

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
    kpi = result.kpis.set_index("metric")
    shown = [("vehicle distance", N_("Vehicle-km"), N_("{value} km"), 1),
             ("vehicle time", N_("Vehicle time"), N_("{value} h"), 1),
             ("operating cost", N_("Cost"), N_("{value} EUR"), 0),
             ("CO2e", N_("CO2e"), N_("{value} kg"), 1),
             ("trips (depot and back)", N_("Trips"), "{value}", 0)]
    _kpi_metrics(kpi, shown)
    n_days = len({r.day for r in plan.routes})
    st.caption(_("{collections} collections in {trips} trips on {days} day(s) · baseline: every "
                 "producer drives to the depot and back · solver {seconds} s").format(
        collections=format_number(len(plan.served)), trips=format_number(plan.trips),
        days=format_number(n_days), seconds=format_number(plan.runtime_s, digits=0)))

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


def _signed_pct(value: float) -> str:
    """``+12 %``-style change in the session's number format."""
    if pd.isna(value):
        return "—"
    sign = "+" if value >= 0 else "-"  # ASCII: Streamlit reads the arrow's direction from it
    return sign + format_percent(abs(value) / 100.0, digits=0)


def _kpi_metrics(kpi: pd.DataFrame, shown: list[tuple[str, str, str, int]]) -> None:
    """One metric per ``(metric, label, format, digits)`` of ``shown``: the milk round's
    figure with its saving against every producer driving its own trips as the delta."""
    for col, (metric, label, fmt, digits) in zip(st.columns(len(shown)), shown, strict=True):
        row = kpi.loc[metric]
        col.metric(_(label), _(fmt).format(value=format_number(row["milk_round"],
                                                               digits=digits)),
                   delta=_("{pct} vs own trips").format(pct=_signed_pct(-row["saving_pct"])),
                   delta_color="inverse")


def _progress(bar: Any, p: Any) -> None:
    """Show the solver's progress on ``bar``."""
    if p.feasible:
        text = _("Planning ({phase}): {elapsed} of {limit} s · best cost {cost} EUR").format(
            phase=p.phase, elapsed=format_number(p.elapsed_s, digits=0),
            limit=format_number(p.time_limit_s, digits=0),
            cost=format_number(p.best_cost, digits=0))
    else:
        text = _("Planning ({phase}): {elapsed} s, no feasible plan yet").format(
            phase=p.phase, elapsed=format_number(p.elapsed_s, digits=0))
    bar.progress(min(max(p.fraction, 0.0), 1.0), text=text)


# --- Several weeks --------------------------------------------------------------------------

def horizon_inputs() -> None:
    """The horizon's inputs and the Plan button (the plan runs only when it is clicked)."""
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown(_("**Horizon**"))
        weeks = st.number_input(_("Weeks"), 1, 4, 2, key=H_WEEKS)
        workdays = st.multiselect(_("Working weekdays"), WEEKDAYS, list(WEEKDAYS[:5]),
                                  key=H_WORKDAYS, format_func=day_name)
        limit = st.slider(_("Solver time (s)"), 1, 60, 10, key=H_TIME)
    with c2:
        st.markdown(_("**Producers**"))
        streams = st.multiselect(_("Streams"), list(labels),
                                 ["organics"] if "organics" in labels else [],
                                 key=H_STREAMS, format_func=stream_label)
        parks = st.multiselect(_("Parks (all if empty)"), list(park_names), key="mr_h_parks",
                               format_func=park_label)
    with c3:
        st.markdown(_("**Depot and fleet**"))
        default = (suggest_depot(prog, tuple(streams[:1]), catalogue=cat) if streams else None
                   ) or next(iter(site_names), "")
        depot_id = st.selectbox(_("Depot (reprocessor or transfer station)"), list(site_names),
                                index=list(site_names).index(default) if default else 0,
                                key=H_DEPOT, format_func=site_label)
        vehicles = st.number_input(_("Vehicles per day (shared compartments)"), 0, 50, 2,
                                   key=H_VEHICLES)
        shift = st.slider(_("Shift"), 0, 24, (7, 15), key="mr_h_shift")
    if not streams:
        st.info(_("Choose at least one stream to collect."))
        return
    with ui.domain_errors():
        sel = select_producers(prog, streams, parks, depot_id, catalogue=cat)
    st.markdown(_("**How often each producer is collected, and on which weekdays**"))
    base = frequency_table(sel.producers, stream_label=stream_label)
    day_cols: dict[str, Any] = {d: st.column_config.CheckboxColumn(_(DAY_SHORT[d]),
                                                                   width="small")
                                for d in WEEKDAYS}
    edited = st.data_editor(
        base, key=H_PRODUCERS, hide_index=True, width="stretch", num_rows="fixed",
        disabled=["stop_id", "name", "streams"],
        column_config={
            "stop_id": st.column_config.TextColumn(_("Stop")),
            "name": st.column_config.TextColumn(_("Producer")),
            "streams": st.column_config.TextColumn(_("Streams")),
            "frequency": st.column_config.SelectboxColumn(
                _("Frequency"), options=list(FREQUENCY_CHOICES), required=True,
                format_func=lambda f: _(FREQUENCY_CHOICES.get(str(f), str(f)))),
            **day_cols})
    st.markdown(_("**Streams, compartments and unloading**"))
    st.caption(_("Streams with the same compartment share it; a hazardous stream needs a "
                 "compartment of its own. Dedicated vehicles carry only their compartment."))
    unload = st.radio(_("Where a round ends"), list(UNLOAD), key=H_UNLOAD, horizontal=True,
                      format_func=lambda u: _(UNLOAD[u]))
    hazardous = {s.name: s.hazardous for s in sel.streams}
    fleet_table = st.data_editor(
        stream_table(streams, hazardous, 15.0, apart=unload == "reprocessor"), key=H_FLEET,
        hide_index=True, width="stretch", num_rows="fixed", disabled=["stream"],
        column_config={
            "stream": st.column_config.SelectboxColumn(_("Stream"), options=list(labels),
                                                       format_func=lambda s: stream_label(str(s))),
            "hazardous": st.column_config.CheckboxColumn(_("Hazardous")),
            "compartment": st.column_config.TextColumn(_("Compartment"), required=True),
            "capacity_t": st.column_config.NumberColumn(_("Compartment capacity (t)"),
                                                        min_value=0.1, required=True),
            "dedicated_vehicles": st.column_config.NumberColumn(
                _("Dedicated vehicles per day"), min_value=0, max_value=50, step=1)})
    reprocessors: dict[str, str] = {}
    if unload == "reprocessor":
        cols = st.columns(min(len(streams), 4))
        for k, s in enumerate(streams):
            guess = suggest_depot(prog, (s,), catalogue=cat) or depot_id
            reprocessors[s] = cols[k % len(cols)].selectbox(
                _("Reprocessor of {stream}").format(stream=labels.get(s, s)), list(site_names),
                index=list(site_names).index(guess) if guess in site_names else 0,
                key=f"mr_h_rep_{s}", format_func=site_label)
    if not st.button(_("Plan the weeks"), type="primary", key=H_SUBMIT):
        return
    no_day = edited[~edited[list(WEEKDAYS)].any(axis=1)]
    if not workdays:
        st.error(_("Choose at least one day in *Working weekdays*."))
        return
    if len(no_day):
        st.error(ngettext(
            "{names} accepts no weekday: tick at least one day in its row of the table.",
            "{names} accept no weekday: tick at least one day in their rows of the table.",
            len(no_day)).format(names=", ".join(map(str, no_day["name"]))))
        return
    _plan_horizon(sel, edited, fleet_table, depot_id=depot_id, weeks=int(weeks),
                  workdays=tuple(workdays), vehicles=int(vehicles), shift=shift, unload=unload,
                  reprocessors=reprocessors, limit=float(limit))


def _plan_horizon(sel: Any, edited: pd.DataFrame, fleet_table: pd.DataFrame, *,
                  depot_id: str, weeks: int, workdays: tuple[str, ...], vehicles: int,
                  shift: tuple[int, int], unload: str, reprocessors: dict[str, str],
                  limit: float) -> None:
    """Plan the horizon and keep the result in the session (the CLI's defaults: balance
    worth the cost per hour, two seeds on two cores).

    When only producers' frequencies changed since the last plan, it re-plans from that plan
    (:func:`~geo.routing.periodic.replan`: the roads are not measured again).
    """
    from geo.routing.periodic import (
        Horizon,
        PeriodicOptions,
        VisitFrequency,
        plan_periodic,
        replan,
    )

    bar = st.progress(0.0, text=_("Building the travel-time matrix…"))
    with ui.domain_errors():
        producers = edited_producers(sel.producers, edited)
        fleet = horizon_fleet(prog, fleet_table, depot_id, vehicles=vehicles, shift=shift,
                              unload=unload, reprocessors=reprocessors)
        horizon = Horizon(weeks=weeks, weekdays=workdays)
        options = PeriodicOptions(time_limit_s=limit, seeds=(0, 1), workers=2,
                                  balance_per_hour=fleet.classes[0].fleet.cost_per_hour)
        setup = (tuple(replace(p, frequency=VisitFrequency()) for p in producers), fleet,
                 horizon, limit, sel.excluded)
        previous: PeriodicResult | None = st.session_state.get(H_RESULT)
        changed = {}
        if previous is not None and st.session_state.get(H_SETUP) == setup:
            before = {p.stop_id: p.frequency for p in previous.plan.problem.producers}
            changed = {p.stop_id: p.frequency for p in producers
                       if p.stop_id in before and before[p.stop_id] != p.frequency}
            if len(before) != sum(1 for p in producers if p.stop_id in before):
                changed = {}
        if changed and previous is not None:
            result = replan(previous, changed, graph=ctx.road_graph,
                            progress=partial(_progress, bar))
            st.session_state[H_REPLANNED] = len(changed)
        else:
            result = plan_periodic(producers, fleet, horizon, graph=ctx.road_graph,
                                   options=options, excluded=sel.excluded,
                                   progress=partial(_progress, bar))
            st.session_state[H_REPLANNED] = 0
        st.session_state[H_RESULT] = result
        st.session_state[H_SETUP] = setup
    bar.empty()


def _workload_chart(result: PeriodicResult) -> None:
    """Vehicle hours per working day against the mean day (plotly bars)."""
    import plotly.graph_objects as go

    work = result.workload
    prob = result.plan.problem
    x = [day_label(d.week, d.weekday) for d in prob.horizon.days]
    hover = [ngettext("{hours} h, {n} stop, {km} km", "{hours} h, {n} stops, {km} km",
                      int(r.stops)).format(hours=format_number(r.vehicle_hours, digits=1),
                                           n=format_number(r.stops),
                                           km=format_number(r.distance_km, digits=1))
             for r in work.itertuples()]
    fig = go.Figure(go.Bar(x=x, y=work["vehicle_hours"], name=_("Vehicle hours"),
                           hovertext=hover, hovertemplate="%{x}: %{hovertext}<extra></extra>"))
    mean = float(work["vehicle_hours"].mean()) if len(work) else 0.0
    fig.add_hline(y=mean, line_dash="dash",
                  annotation_text=_("mean day {hours} h").format(
                      hours=format_number(mean, digits=1)))
    fig.update_layout(title=_("Workload per working day"), xaxis_title=_("Working day"),
                      yaxis_title=_("Vehicle hours"), height=320,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    st.plotly_chart(fig, key="mr_h_workload", width="stretch")


def horizon_results() -> None:
    """Calendar, the map of a day, workload, KPIs per week, run sheets and who was left out."""
    from geo.routing.periodic import run_sheet_gpx as horizon_gpx

    result: PeriodicResult | None = st.session_state.get(H_RESULT)
    if result is None:
        st.info(_("Choose the weeks, streams, producers' frequencies and fleet, then "
                  "**Plan the weeks**."))
        return
    plan = result.plan
    prob = plan.problem
    if prob.method != "road":
        ui.straight_line_warning("distances")
    unserved = int((result.left_out["stage"] != "selection").sum())
    if unserved:
        st.warning(ngettext(
            "{n} producer could not be served in the horizon (reasons under *Not served*).",
            "{n} producers could not be served in the horizon (reasons under *Not served*).",
            unserved).format(n=format_number(unserved)))
    kpi = result.kpis.set_index("metric")
    shown = [("vehicle distance", N_("Vehicle-km per week"), N_("{value} km"), 1),
             ("vehicle time", N_("Vehicle hours per week"), N_("{value} h"), 1),
             ("operating cost", N_("Cost per week"), N_("{value} EUR"), 0),
             ("CO2e", N_("CO2e per week"), N_("{value} kg"), 1),
             ("trips", N_("Trips per week"), "{value}", 0)]
    _kpi_metrics(kpi, shown)
    visits = sum(len(r.stops) for r in plan.routes)
    st.caption(_("{producers} producers, {visits} collections in {routes} routes over {weeks} "
                 "week(s), {days} working days · baseline: every producer drives its own "
                 "collections · roads {matrix} s, solver {solve} s").format(
        producers=format_number(len(plan.served_producers)), visits=format_number(visits),
        routes=format_number(len(plan.routes)), weeks=format_number(prob.horizon.weeks),
        days=format_number(prob.horizon.n_days),
        matrix=format_number(result.timings_s.get("matrix", 0.0), digits=1),
        solve=format_number(result.timings_s.get("solve", 0.0), digits=1)))

    replanned = int(st.session_state.get(H_REPLANNED, 0))
    if replanned:
        st.success(ngettext(
            "Re-planned from the previous plan after {n} producer's frequency changed.",
            "Re-planned from the previous plan after {n} producers' frequencies changed.",
            replanned).format(n=format_number(replanned)))
    st.subheader(_("Calendar"))
    rows = st.segmented_control(_("One row per"), list(CALENDAR_ROWS), default="producer",
                                key="mr_h_calendar_rows",
                                format_func=lambda k: _(CALENDAR_ROWS[k]))
    table = (vehicle_calendar(result.run_sheet, prob.horizon) if rows == "vehicle" else
             calendar_for_reading(result.calendar, prob.producers, stream_label=stream_label))
    show_table(table, headers=day_headers(prob.horizon))
    ui.download_buttons(result.calendar, stem="milk-round-calendar", key="mr_h_dl_calendar",
                        formats=("csv", "xlsx"))

    st.subheader(_("Routes of a day"))
    days = prob.horizon.days
    day = st.selectbox(_("Working day"), [d.index for d in days], key=H_DAY,
                       format_func=lambda i: day_label(days[i].week, days[i].weekday))
    lines = result.lines[result.lines["day"] == day + 1]
    stops = result.stops
    served = stops[(stops["day"] == day + 1) & (stops["status"] == "served")]
    unserved = stops[stops["status"] == "unserved"].assign(status="skipped")
    drawn = pd.concat([served, unserved]).assign(pickup=lambda f: f["streams"])
    bounds = (result.lines.total_bounds if len(result.lines) else None)
    m = ui.base_map(ctx, bounds=bounds)
    add_parks(m, prog.parks)
    add_routes(m, lines)
    add_stops(m, drawn)
    for depot in dict.fromkeys(c.depot for c in prob.fleet.classes):
        add_depot(m, depot)
    ui.show_map(m, key="mr_h_map", height=520)

    t_work, t_sheet, t_out, t_kpi = st.tabs([
        _("Workload"), _("Run sheets"),
        _("Not served ({n})").format(n=format_number(len(result.left_out))), _("KPIs")])
    with t_work:
        _workload_chart(result)
        show_table(result.workload)
    with t_sheet:
        routes = result.summary[result.summary["day"] == day + 1] \
            if "day" in result.summary.columns else result.summary
        route = st.selectbox(_("Vehicle on {day}").format(day=day_label(days[day].week,
                                                                          days[day].weekday)),
                             routes["route"].tolist(), key=H_ROUTE)
        sheet = result.run_sheet
        unit = prob.fleet.unit
        # Translators: a column of pickups per stream; {stream} is its catalogue name.
        picks = {f"{s.name}_{unit}": _("{stream} ({unit})").format(
            stream=stream_label(s.name), unit=unit.replace("m3", "m³"))
            for s in prob.fleet.streams}
        show_table(sheet[sheet["route"] == route].drop(columns=["route", "lon", "lat"]),
                   headers=picks)
        st.markdown(_("**Every vehicle and day**"))
        ui.download_buttons(sheet, stem="milk-round-weeks-run-sheets", key="mr_h_dl_sheet",
                            formats=("csv", "xlsx"))
        ui.download_button(_("GPX for drivers (every day)"),
                           partial(horizon_gpx, plan, result.lines),
                           file_name="milk-round-weeks.gpx", mime="application/gpx+xml",
                           key="mr_h_dl_gpx")
        day_sheet = sheet[sheet["day"] == day + 1]
        st.markdown(_("**{day} only**").format(day=day_label(days[day].week,
                                                              days[day].weekday)))
        ui.download_buttons(day_sheet, stem=f"milk-round-day-{day + 1}", key="mr_h_dl_day",
                            formats=("csv", "xlsx"))
        ui.download_button(_("GPX for drivers (this day)"),
                           partial(horizon_gpx, plan, result.lines, day=day),
                           file_name=f"milk-round-day-{day + 1}.gpx",
                           mime="application/gpx+xml", key="mr_h_dl_day_gpx")
    with t_out:
        out = result.left_out.assign(stage=result.left_out["stage"].map(
            lambda s: _(STAGES.get(str(s), str(s)))))
        show_table(out)
    with t_kpi:
        show_table(result.kpis)


mode = st.segmented_control(_("Plan"), list(MODES), default="cycle", key=H_MODE,
                            format_func=lambda k: _(MODES[k]))
if mode == "horizon":
    horizon_inputs()
    horizon_results()
else:
    cycle_mode()
