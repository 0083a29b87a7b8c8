"""Tests of run sheets, GPX, KPIs and route geometry of a planned round."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from geo.routing.build import build_instance, instance_from_matrices
from geo.routing.geometry import route_lines, stop_points
from geo.routing.kpis import milk_round_kpis
from geo.routing.problem import Depot, Fleet, Producer, format_clock
from geo.routing.runsheet import route_summary, run_sheet, run_sheet_gpx
from geo.routing.solve import SolverOptions, solve_instance

FAST = SolverOptions(time_limit_s=0.5, seeds=(0,))
GPX = "{http://www.topografix.com/GPX/1/1}"


@pytest.fixture(scope="module")
def star_plan():
    """Four producers on a square around the depot, one with a hostile name."""
    xy = np.array([[0, 0], [2000, 0], [2000, 2000], [0, 2000], [-2000, 0]], float)
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    names = ["A Oy", "<img src=x onerror=alert(1)> & Co", "C Oy", "D Oy"]
    prods = [Producer(f"s{i}", n, 26.9 + i / 100, 60.5, 2.0 * 52, service_s=600)
             for i, n in enumerate(names)]
    inst = instance_from_matrices(prods, Depot("Depot", 26.9, 60.5), Fleet(capacity=10),
                                  days=["mon"], distance_m=d, duration_s=d / 10, method="given")
    return solve_instance(inst, FAST)


def test_run_sheet_lists_every_stop_with_consistent_times_and_loads(star_plan) -> None:
    """Each stop appears once; loads grow by the pickups; the clock strings match the plan."""
    sheet = run_sheet(star_plan)
    stops = sheet[sheet["activity"] == "collect"]
    assert sorted(stops["stop_id"]) == ["s0", "s1", "s2", "s3"]
    assert list(stops["load_after_t"]) == pytest.approx([2.0, 4.0, 6.0, 8.0])
    visits = [v for r in star_plan.routes for v in r.visits]
    assert list(sheet["arrival"]) == [format_clock(v.arrival_s) for v in visits]
    assert sheet["cumulative_km"].iloc[-1] == pytest.approx(star_plan.distance_m / 1000)
    summary = route_summary(star_plan)
    assert summary["stops"].sum() == 4 and summary["collected_t"].sum() == pytest.approx(8.0)


def test_gpx_is_valid_xml_with_escaped_names(star_plan) -> None:
    """The GPX parses, has a waypoint per stop plus the depot, and keeps names as text."""
    raw = run_sheet_gpx(star_plan)
    assert b"<img" not in raw
    root = ET.fromstring(raw)
    wpts = root.findall(f"{GPX}wpt")
    assert len(wpts) == 5
    names = [w.find(f"{GPX}name").text for w in wpts]
    assert any("<img src=x onerror=alert(1)> & Co" in n for n in names)
    (rte,) = root.findall(f"{GPX}rte")
    assert len(rte.findall(f"{GPX}rtept")) == 6  # depot, 4 stops, depot


def test_kpis_beat_the_own_trip_baseline(star_plan) -> None:
    """One round is shorter than four out-and-back trips; the saving is the difference."""
    k = milk_round_kpis(star_plan).set_index("metric")
    dist = k.loc["vehicle distance"]
    assert dist["own_trips"] == pytest.approx(2 * (2 + 2000 * 2**0.5 / 1000 + 2 + 2), abs=0.01)
    assert dist["milk_round"] < dist["own_trips"]
    assert dist["saving"] == pytest.approx(dist["own_trips"] - dist["milk_round"], abs=0.01)
    assert k.loc["trips (depot and back)", "own_trips"] == 4
    assert k.loc["collections per trip", "milk_round"] == 4
    assert "DESNZ" in k.loc["CO2e", "source"] or "kg CO2e" in k.loc["CO2e", "source"]


def test_routes_are_drawn_along_the_roads(demo_graph) -> None:
    """On the Karhula graph a route line follows road vertices, far more than its stops."""
    prods = [Producer("a", "A", 26.93, 60.52, 52.0), Producer("b", "B", 26.95, 60.53, 52.0),
             Producer("c", "C", 26.955, 60.515, 52.0)]
    inst = build_instance(prods, Depot("D", 26.94, 60.525), Fleet(), graph=demo_graph)
    plan = solve_instance(inst, FAST)
    lines = route_lines(plan, demo_graph)
    assert len(lines) == 1 and lines.crs.to_epsg() == 4326
    assert len(lines.geometry.iloc[0].coords) > 20
    metric = lines.to_crs(demo_graph.crs_metric)
    assert metric.length.iloc[0] == pytest.approx(plan.distance_m, rel=0.1)
    pts = stop_points(plan)
    assert list(pts["label"]) == ["1", "2", "3"] and set(pts["status"]) == {"served"}
