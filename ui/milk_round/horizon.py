"""The Milk round page's *several weeks* mode: one to four weeks with collection frequencies,
visit patterns, several streams per vehicle and unloading at reprocessors
(:func:`geo.routing.periodic.plan_periodic`, built the way ``python -m geo milk-round --weeks``
builds it)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Literal

import pandas as pd
import streamlit as st

import ui
from geo.i18n import N_, _, format_number, ngettext
from geo.routing import WEEKDAYS, suggest_depot
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
from ui.milk_round.common import (
    DAY_SHORT,
    MilkRoundView,
    day_name,
    kpi_metrics,
    show_progress,
    show_table,
)

if TYPE_CHECKING:
    from geo.routing.periodic import PeriodicResult

__all__ = ["horizon_inputs", "horizon_results"]

# Session keys of the several-weeks mode.
H_RESULT: Final = "mr_horizon_result"
H_SETUP: Final = "mr_horizon_setup"  # what the plan was made from, but the frequencies
H_REPLANNED: Final = "mr_horizon_replanned"  # producers whose frequency changed (re-plan)
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

Unload = Literal["depot", "reprocessor"]
UNLOAD: Final[dict[Unload, str]] = {"depot": N_("Back at the depot"),
                 "reprocessor": N_("Unload each stream at its reprocessor")}
CALENDAR_ROWS: Final = {"producer": N_("producer"), "vehicle": N_("vehicle")}
STAGES: Final = {"selection": N_("selection"), "network": N_("road network"),
                 "schedule": N_("schedule"), "plan": N_("plan")}


def horizon_inputs(view: MilkRoundView) -> None:
    """The horizon's inputs and the Plan button (the plan runs only when it is clicked)."""
    prog, cat, labels = view.programme, view.catalogue, view.labels
    site_names, park_names = view.site_names, view.park_names
    stream_label, site_label, park_label = view.stream_label, view.site_label, view.park_label
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
    ends = st.radio(_("Where a round ends"), list(UNLOAD), key=H_UNLOAD, horizontal=True,
                    format_func=lambda u: _(UNLOAD[u]))
    unload: Unload = "reprocessor" if ends == "reprocessor" else "depot"
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
    _plan_horizon(view, sel, edited, fleet_table, depot_id=depot_id, weeks=int(weeks),
                  workdays=tuple(workdays), vehicles=int(vehicles), shift=shift, unload=unload,
                  reprocessors=reprocessors, limit=float(limit))


def _plan_horizon(view: MilkRoundView, sel: Any, edited: pd.DataFrame, fleet_table: pd.DataFrame, *,
                  depot_id: str, weeks: int, workdays: tuple[str, ...], vehicles: int,
                  shift: tuple[int, int], unload: Unload, reprocessors: dict[str, str],
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

    prog, ctx = view.programme, view.ctx
    with ui.domain_errors(), ui.progress_bar(_("Building the travel-time matrix…")) as bar:
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
                            progress=partial(show_progress, bar))
            st.session_state[H_REPLANNED] = len(changed)
        else:
            result = plan_periodic(producers, fleet, horizon, graph=ctx.road_graph,
                                   options=options, excluded=sel.excluded,
                                   progress=partial(show_progress, bar))
            st.session_state[H_REPLANNED] = 0
        st.session_state[H_RESULT] = result
        st.session_state[H_SETUP] = setup


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


def horizon_results(view: MilkRoundView) -> None:
    """Calendar, the map of a day, workload, KPIs per week, run sheets and who was left out."""
    from geo.routing.periodic import run_sheet_gpx as horizon_gpx

    ctx, prog, stream_label = view.ctx, view.programme, view.stream_label

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
    kpi_metrics(kpi, shown)
    visits = sum(len(r.stops) for r in plan.routes)
    n_prod, n_routes = len(plan.served_producers), len(plan.routes)
    weeks, days = prob.horizon.weeks, prob.horizon.n_days
    # Translators: each {…} is a counted phrase ("3 producers", "1 route", "2 working days").
    st.caption(_("{producers}, {visits} in {routes} over {weeks}, {days} · baseline: every "
                 "producer drives its own collections · roads {matrix} s, solver {solve} "
                 "s").format(
        producers=ngettext("{n} producer", "{n} producers", n_prod).format(
            n=format_number(n_prod)),
        visits=ngettext("{n} collection", "{n} collections", visits).format(
            n=format_number(visits)),
        routes=ngettext("{n} route", "{n} routes", n_routes).format(n=format_number(n_routes)),
        weeks=ngettext("{n} week", "{n} weeks", weeks).format(n=format_number(weeks)),
        days=ngettext("{n} working day", "{n} working days", days).format(
            n=format_number(days)),
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
