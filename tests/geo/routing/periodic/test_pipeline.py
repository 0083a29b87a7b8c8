"""Tests of the periodic milk round end to end and re-planning (geo.routing.periodic.pipeline),
on the demo road graph and hand-made producers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from geo.routing.periodic.fleet import PeriodicFleet
from geo.routing.periodic.horizon import Horizon, VisitFrequency
from geo.routing.periodic.pipeline import PeriodicResult, plan_periodic, replan
from geo.routing.periodic.producers import PeriodicProducer
from geo.routing.periodic.solve import PeriodicOptions
from geo.routing.problem import Depot, Fleet, Producer
from tests.geo.routing.periodic.conftest import FAST


@pytest.fixture
def two_weeks(producers, two_stream_fleet, demo_graph) -> PeriodicResult:
    """Six producers of cardboard and oil over two weeks, unloading at the reprocessors."""
    return plan_periodic(producers, two_stream_fleet, Horizon(weeks=2), graph=demo_graph,
                         options=FAST)


def test_every_producer_is_visited_on_its_frequency(two_weeks: PeriodicResult) -> None:
    """Weekly producers twice, fortnightly once in two weeks; the calendar shows who when."""
    cal = two_weeks.calendar
    assert two_weeks.plan.feasible and not len(two_weeks.left_out)
    assert dict(zip(cal["stop_id"], cal["visits"], strict=True)) == {
        "p0": 1, "p1": 2, "p2": 1, "p3": 2, "p4": 1, "p5": 2}
    assert list(cal.columns[5:]) == list(Horizon(weeks=2).labels)


def test_weekly_producers_keep_their_weekday(two_weeks: PeriodicResult) -> None:
    """A weekly producer is collected on the same weekday in both weeks."""
    plan = two_weeks.plan
    for i in (1, 3, 5):
        days = [plan.problem.horizon.days[d] for d in plan.days_of(i)]
        assert len(days) == 2 and days[0].weekday == days[1].weekday


def test_unloading_at_the_reprocessor_happens_before_the_depot(two_weeks: PeriodicResult
                                                               ) -> None:
    """Every route unloads at the reprocessor(s) of what it carries, then returns empty."""
    for r in two_weeks.plan.routes:
        kinds = [v.kind for v in r.visits]
        assert kinds[0] == "start" and kinds[-1] == "end"
        unloads = [v for v in r.visits if v.kind == "unload"]
        assert unloads and kinds.index("unload") > max(
            i for i, k in enumerate(kinds) if k == "stop")
        carried = {s for v in r.visits if v.kind == "stop" for s in v.streams}
        assert {s for v in unloads for s in v.streams} == carried
        assert all(u.arrival_s <= r.visits[-1].arrival_s for u in unloads)
        assert r.visits[-1].load_after == (0, 0)
    sheet = two_weeks.run_sheet
    first = sheet[sheet["route"] == sheet["route"].iloc[0]]["activity"].tolist()
    assert first[-2:] in (["unload at reprocessor", "return to depot"],) or \
        first[-3:-1] == ["unload at reprocessor", "unload at reprocessor"]


def test_compartments_keep_streams_apart_and_within_capacity(two_weeks: PeriodicResult
                                                             ) -> None:
    """Oil rides only in the 1 t oil compartment, cardboard only in the 5 t dry one."""
    for r in two_weeks.plan.routes:
        for v in r.visits:
            dry, oil = v.load_after
            assert dry <= 5000 and oil <= 1000
    streams = two_weeks.plan.problem.stop_streams
    inst = two_weeks.plan.problem.instance
    for s, stop in enumerate(inst.stops):
        oil_kg = max(p[1] for pk in stop.pickups for p in pk)
        assert (oil_kg > 0) == ("waste oil" in streams[s])


def test_tables_kpis_lines_and_gpx(two_weeks: PeriodicResult) -> None:
    """Run sheet, summary, workload, KPIs per week, lines per day and GPX agree with the plan."""
    from xml.etree import ElementTree as ET

    from geo.routing.periodic.gpx import run_sheet_gpx

    res = two_weeks
    visits = sum(len(r.stops) for r in res.plan.routes)
    assert (res.run_sheet["activity"] == "collect").sum() == visits == 9
    assert len(res.summary) == len(res.plan.routes) == len(res.lines)
    assert len(res.workload) == 10 and res.workload["stops"].sum() == visits
    kpi = res.kpis.set_index("metric")
    assert kpi.loc["vehicle distance", "milk_round"] == pytest.approx(
        res.plan.distance_m / 1000 / 2, abs=0.01)
    assert kpi.loc["vehicle distance", "saving"] > 0
    assert set(res.lines["method"]) == {"road"}
    assert all(len(g.coords) > 2 for g in res.lines.geometry)
    doc = ET.fromstring(run_sheet_gpx(res.plan, res.lines, day=int(res.summary["day"].iloc[0])
                                      - 1))
    assert doc.findall("{http://www.topografix.com/GPX/1/1}rte")
    assert set(res.stops["status"]) <= {"served", "unload"}


def test_replan_after_one_frequency_changes(two_weeks: PeriodicResult, demo_graph) -> None:
    """A weekly producer made fortnightly is visited once; nothing is measured again."""
    again = replan(two_weeks, {"p1": VisitFrequency("fortnightly")}, graph=demo_graph,
                   options=FAST)
    cal = again.calendar.set_index("stop_id")
    assert cal.loc["p1", "visits"] == 1 and cal.loc["p3", "visits"] == 2
    assert again.plan.problem.matrix is two_weeks.plan.problem.matrix
    assert again.plan.feasible


def test_replan_refuses_an_unknown_producer(two_weeks: PeriodicResult) -> None:
    """Re-planning names the producers it does not know."""
    from geo.errors import RoutingError

    with pytest.raises(RoutingError, match="No planned producer"):
        replan(two_weeks, {"nobody": VisitFrequency("weekly")}, options=FAST)


def test_producers_that_do_not_fit_are_named_with_the_reason(producers, two_stream_fleet) -> None:
    """One 1 t truck a day cannot take everything: the plan says who is left out and why."""
    small = replace(two_stream_fleet, classes=(replace(
        two_stream_fleet.classes[0], fleet=Fleet(vehicles=1, capacity=1.0),
        capacities=(("dry", 1.0), ("oil", 1.0))),))
    heavy = [replace(p, quantities=(("cardboard", 45.0),), frequency=VisitFrequency("weekly"))
             for p in producers]
    res = plan_periodic(heavy, small, Horizon(weeks=2, weekdays=("mon",)), graph=None,
                        options=FAST)
    out = res.left_out
    assert res.plan.relaxed and len(out) >= 1 and set(out["stage"]) == {"plan"}
    assert out["reason"].str.contains("vehicles are full").all()


def test_one_week_one_stream_matches_the_single_cycle_planner(demo_graph) -> None:
    """Weekly producers over one week on Mon and Wed: the same stops and the same distance as
    the single-cycle planner (both optimal on this small round)."""
    from geo.routing.pipeline import plan_from_producers
    from geo.routing.solve import SolverOptions

    depot = Depot("D", 26.94, 60.525)
    spots = [(26.93, 60.52), (26.95, 60.53), (26.96, 60.52), (26.92, 60.53)]
    single = [Producer(f"p{i}", f"P{i}", lon, lat, 52.0 * 3, service_s=600)
              for i, (lon, lat) in enumerate(spots)]
    fleet = Fleet(vehicles=1, capacity=5.0)
    one = plan_from_producers(single, depot, fleet, days=("mon", "wed"), graph=demo_graph,
                              options=SolverOptions(time_limit_s=1, seeds=(0,)))
    from geo.routing.periodic.producers import from_producer

    res = plan_periodic([from_producer(p) for p in single], PeriodicFleet.single(fleet, depot),
                        Horizon(weekdays=("mon", "wed")), graph=demo_graph, options=FAST)
    assert sorted(p.stop_id for p in np.array(res.plan.problem.producers)[
        res.plan.served_producers]) == sorted(single[i].stop_id for i in one.plan.served)
    assert res.plan.distance_m == one.plan.distance_m
    assert res.plan.cost == pytest.approx(one.plan.cost, rel=1e-6)


def test_balance_spreads_the_work(demo_graph) -> None:
    """With a balance weight no working day is left empty when every producer could go on it."""
    depot = Depot("D", 26.94, 60.525)
    prods = [PeriodicProducer(f"p{i}", f"P{i}", 26.92 + i * 0.006, 60.52 + (i % 3) * 0.005,
                              (("all", 26.0),), service_s=1200) for i in range(10)]
    fleet = PeriodicFleet.single(Fleet(vehicles=1, capacity=10.0), depot)
    res = plan_periodic(prods, fleet, Horizon(weeks=2), graph=demo_graph,
                        options=PeriodicOptions(time_limit_s=2, seeds=(0,), workers=1,
                                                balance_per_hour=200.0))
    assert (res.workload["routes"] > 0).sum() >= 8
