"""Milk round: collection routes over real roads for many small producers, by day."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from geo.catalogue import load_catalogue
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
from layers.base import add_parks
from layers.routing import add_depot, add_routes, add_stops
from ui import Key

ctx = ui.page_context("milk_round")
st.title("Milk round")
prog = ctx.programme
ui.illustrative_note(prog)
if not ctx.practitioner and ctx.user_role != "logistics_planner":  # by design of the job
    ui.refuse("Not available to your role", "Run sheets and routes name the companies to visit: "
              "practitioners and logistics planners only.")

cat = load_catalogue()
labels = dict(zip(cat.groups()["group"], cat.groups()["label"], strict=True))
sites = prog.sites.sort_values("name")
site_names = dict(zip(sites["site_id"], sites["name"], strict=True))
day_names = {d: d.capitalize() for d in WEEKDAYS}

with st.form("mr_form"):
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown("**Producers**")
        stream = st.selectbox("Stream", list(labels), key=Key.MR_STREAM, format_func=labels.get,
                              index=list(labels).index("organics") if "organics" in labels else 0)
        park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))
        parks = st.multiselect("Parks (all if empty)", list(park_names), key="mr_parks",
                               format_func=park_names.get)
        clusters = cluster_sites(prog, (st.session_state.get(Key.MR_STREAM, "organics"),),
                                 catalogue=cat)
        cluster = st.selectbox("Cluster (all if none)", ["", *clusters], key="mr_cluster")
        picked = st.multiselect("Only these sites (hand selection)", list(site_names),
                                key="mr_sites", format_func=site_names.get)
        qmin, qmax = st.columns(2)
        min_t = qmin.number_input("Min t per collection", 0.0, value=0.0, key="mr_min")
        max_t = qmax.number_input("Max t per collection", 0.0, value=100.0, key="mr_max")
        freq = st.selectbox("Collection frequency (record: each record's own)",
                            ["record", "weekly", "fortnightly", "monthly"], key="mr_freq")
    with c2:
        st.markdown("**Visits**")
        service = st.number_input("Minutes on site", 1, 240, 15, key="mr_service")
        hours = st.slider("Opening hours", 0, 24, (6, 18), key="mr_hours")
        accepts = st.multiselect("Weekdays producers accept", WEEKDAYS, list(WEEKDAYS[:5]),
                                 key=Key.MR_ACCEPTS, format_func=day_names.get)
        optional = st.checkbox("Optional visits (skip if not worth it)", key="mr_optional")
        value = st.number_input("Value of a collected t (EUR)", 0.0, value=30.0, key="mr_value")
        days = st.multiselect("Days to plan", WEEKDAYS, ["mon", "wed"], key=Key.MR_DAYS,
                              format_func=day_names.get)
    with c3:
        st.markdown("**Depot and fleet**")
        default = suggest_depot(prog, (stream,), catalogue=cat) or next(iter(site_names), "")
        depot_id = st.selectbox("Depot (reprocessor or transfer station)", list(site_names),
                                index=list(site_names).index(default) if default else 0,
                                key=Key.MR_DEPOT, format_func=site_names.get)
        v1, v2 = st.columns(2)
        vehicles = v1.number_input("Vehicles per day", 0, 50, 2, key=Key.MR_VEHICLES)
        capacity = v2.number_input("Capacity (t)", 0.1, value=15.0, key=Key.MR_CAPACITY)
        k1, k2 = st.columns(2)
        per_km = k1.number_input("Cost per km", 0.0, value=1.10, key="mr_cost_km")
        per_h = k2.number_input("Cost per hour", 0.0, value=45.0, key="mr_cost_h")
        shift = st.slider("Shift", 0, 24, (7, 15), key="mr_shift")
        reload = st.checkbox("Reload at the depot when full (multi-trip)", key="mr_reload")
        limit = st.slider("Solver time (s)", 1, 60, 5, key=Key.MR_TIME)
    submitted = st.form_submit_button("Plan rounds", type="primary", key=Key.MR_SUBMIT)

if submitted and not (accepts and days):
    st.error("Choose a day in both *Weekdays producers accept* and *Days to plan*.")
elif submitted:
    bar = st.progress(0.0, text="Building the travel-time matrix…")
    with ui.domain_errors():
        fleet = Fleet.from_factors(vehicles=int(vehicles), capacity=float(capacity),
                                   cost_per_km=per_km, cost_per_hour=per_h,
                                   shift_start_s=shift[0] * 3600, shift_end_s=shift[1] * 3600,
                                   reload=reload)
        chosen = tuple(picked) + clusters.get(cluster, ())
        query = ProducerQuery(stream=(stream,), park_ids=tuple(parks), site_ids=chosen,
                              frequency=freq, min_per_visit=min_t, max_per_visit=max_t,
                              service_s=int(service * 60), tw_start_s=hours[0] * 3600,
                              tw_end_s=hours[1] * 3600, weekdays=tuple(accepts),
                              optional=optional, value_per_unit=value)
        st.session_state["mr_result"] = plan_milk_round(
            prog, query, depot_from_site(prog, depot_id), fleet, days=tuple(days),
            graph=ctx.road_graph, options=SolverOptions(time_limit_s=float(limit)),
            progress=lambda p: bar.progress(p.fraction, text=(
                f"Planning ({p.phase}): {p.elapsed_s:.0f} of {p.time_limit_s:.0f} s · best "
                f"cost {p.best_cost:,.0f} EUR" if p.feasible else
                f"Planning ({p.phase}): {p.elapsed_s:.0f} s, no feasible plan yet")))
    bar.empty()

if (result := st.session_state.get("mr_result")) is None:
    st.info("Choose producers, depot and fleet, then **Plan rounds**.")
    st.stop()
plan = result.plan
if plan.instance.method != "road":
    ui.straight_line_warning("distances")  # plan_milk_round's default detour factor
if plan.relaxed:
    st.warning(f"Not every producer fits into the fleet's shifts: {len(plan.skipped)} left out "
               "(reasons below). Add vehicles, days or reloads to serve them.")
kpi = result.kpis.set_index("metric")
shown = [("vehicle distance", "Vehicle-km", "{:,.1f} km"),
         ("vehicle time", "Vehicle time", "{:,.1f} h"), ("operating cost", "Cost", "{:,.0f} EUR"),
         ("CO2e", "CO2e", "{:,.1f} kg"), ("trips (depot and back)", "Trips", "{:,.0f}")]
for col, (metric, label, fmt) in zip(st.columns(5), shown, strict=True):
    row = kpi.loc[metric]
    col.metric(label, fmt.format(row["milk_round"]),
               delta=f"{-row['saving_pct']:+.0f} % vs own trips", delta_color="inverse")
st.caption(f"{len(plan.served)} collections in {plan.trips} trips on "
           f"{len({r.day for r in plan.routes})} day(s) · baseline: every producer drives to "
           f"the depot and back · solver {plan.runtime_s:.0f} s")

m = ui.base_map(ctx, bounds=result.lines.total_bounds if len(result.lines) else None)
add_parks(m, prog.parks)
add_routes(m, result.lines)
add_stops(m, result.stops)
add_depot(m, plan.instance.depot)
ui.show_map(m, key="mr_map", height=540)

t_routes, t_sheet, t_out, t_kpi = st.tabs(["Routes", "Run sheets",
                                           f"Left out ({len(result.left_out)})", "KPIs"])
t_routes.dataframe(result.summary, hide_index=True, width="stretch")
with t_sheet:
    route = st.selectbox("Vehicle and day", result.summary["route"].tolist(), key=Key.MR_ROUTE)
    sheet = result.run_sheet
    st.dataframe(sheet[sheet["route"] == route].drop(columns=["route", "lon", "lat"]),
                 hide_index=True, width="stretch")
    ui.download_buttons(sheet, stem="milk-round-run-sheets", key="mr_dl_sheet",
                        formats=("csv", "xlsx"))
    ui.download_button("GPX for drivers", partial(run_sheet_gpx, plan, result.lines),
                       file_name="milk-round.gpx", mime="application/gpx+xml", key=Key.MR_DL_GPX)
    ui.download_buttons(result.lines, stem="milk-round-routes", key="mr_dl_lines",
                        formats=("geojson", "gpkg"))
t_out.dataframe(result.left_out, hide_index=True, width="stretch")
t_kpi.dataframe(result.kpis, hide_index=True, width="stretch")
