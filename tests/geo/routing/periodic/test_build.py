"""Tests of building a periodic problem: bad inputs refused with figures, others reported
(geo.routing.periodic.build)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.errors import RoutingError
from geo.routing.periodic.build import build_problem
from geo.routing.periodic.fleet import PeriodicFleet, Stream
from geo.routing.periodic.horizon import Horizon, VisitFrequency
from geo.routing.periodic.producers import PeriodicProducer
from geo.routing.problem import Depot, Fleet


def test_stops_patterns_and_pickups(producers, two_stream_fleet) -> None:
    """Each producer is one stop (the truck carries both streams); pickups follow the gaps."""
    prob = build_problem(producers, two_stream_fleet, Horizon(weeks=2), graph=None)
    inst = prob.instance
    assert len(inst.stops) == 6 and inst.n_days == 10 and inst.n_dims == 2
    weekly = inst.stops[1]
    assert weekly.frequency == 2 and len(weekly.patterns) == 5
    # 52 t/yr of cardboard and 13 t/yr of oil, 7 days per visit: 1 t and 0.25 t (kg)
    assert weekly.pickups[0] == ((1000, 250), (1000, 250))
    fortnightly = inst.stops[0]
    assert fortnightly.is_free and fortnightly.pickups[0] == ((1000, 0),)


def test_unloading_places_chain_reprocessors_then_depot(producers, two_stream_fleet) -> None:
    """The truck ends at a virtual place: both reprocessors in the best order, then home."""
    prob = build_problem(producers, two_stream_fleet, Horizon(weeks=2), graph=None)
    end = prob.instance.vehicles[0].end
    place = prob.places[end]
    assert place.kind == "unload"
    names = [prob.places[i].name for i in place.via]
    assert sorted(names[:2]) == ["Oil refiner", "Paper mill"] and names[2] == "Depot"
    d = prob.instance.distance
    a, b, home = place.via
    assert d[5, end] == d[5, a] + d[a, b] + d[b, home]


def test_frequency_the_accepted_days_cannot_meet_is_refused(producers, two_stream_fleet) -> None:
    """Weekly over four weeks on Tuesdays only, with one Tuesday closed, is refused."""
    bad = replace(producers[0], weekdays=("tue",), frequency=VisitFrequency("weekly"))
    with pytest.raises(RoutingError, match=r"Producer 0.*need 4 regular visit.*accepts only 3"):
        build_problem([bad, *producers[1:]], two_stream_fleet,
                      Horizon(weeks=4, closed=(15,)), graph=None)


def test_visit_larger_than_any_compartment_is_refused(producers, two_stream_fleet) -> None:
    """520 t/yr of oil collected weekly is 10 t a visit, over the 1 t oil compartment."""
    big = replace(producers[1], quantities=(("cardboard", 52.0), ("waste oil", 520.0)))
    with pytest.raises(RoutingError, match=r"larger than any vehicle compartment.*"
                       r"10\.00 t of waste oil per weekly visit > 1\.00 t"):
        build_problem([producers[0], big], two_stream_fleet, Horizon(weeks=2), graph=None)


def test_unknown_stream_is_refused(producers, two_stream_fleet) -> None:
    """A producer of glass, which the fleet does not carry, is refused by name."""
    glass = replace(producers[0], quantities=(("glass", 10.0),))
    with pytest.raises(RoutingError, match=r"Producer 0.*glass"):
        build_problem([glass], two_stream_fleet, Horizon(weeks=2), graph=None)


def test_reprocessor_off_the_network_is_refused(producers, two_stream_fleet, demo_graph) -> None:
    """A reprocessor far outside the road network is refused with its distance."""
    far = Stream("waste oil", hazardous=True, reprocessor=Depot("Far refiner", 25.0, 60.0))
    fleet = replace(two_stream_fleet, streams=(two_stream_fleet.streams[0], far))
    with pytest.raises(RoutingError, match=r"reprocessor 'Far refiner' is .* km from the nearest"):
        build_problem(producers, fleet, Horizon(weeks=2), graph=demo_graph)


def test_dedicated_vehicles_split_a_producer(producers, two_stream_fleet) -> None:
    """With a cardboard truck and an oil truck, an oil producer becomes two stops."""
    from geo.routing.periodic.fleet import VehicleClass

    depot = two_stream_fleet.classes[0].depot
    fleet = replace(two_stream_fleet, classes=(
        VehicleClass("cardboard truck", Fleet(vehicles=2), depot, capacities=(("dry", 5.0),)),
        VehicleClass("oil truck", Fleet(), depot, capacities=(("oil", 2.0),))))
    prob = build_problem(producers, fleet, Horizon(weeks=2), graph=None)
    assert len(prob.instance.stops) == 8
    assert prob.stop_streams.count(("waste oil",)) == 2


def test_producer_out_of_hours_is_left_out_by_name(producers, two_stream_fleet) -> None:
    """A producer open 04:00–05:00, before the 07:00 shift, is left out with the reason."""
    early = replace(producers[0], tw_start_s=4 * 3600, tw_end_s=5 * 3600)
    prob = build_problem([early, *producers[1:]], two_stream_fleet, Horizon(weeks=2), graph=None)
    assert [e.name for e in prob.excluded] == ["Producer 0"]
    assert "opening hours 04:00–05:00" in prob.excluded[0].reason


def test_no_producers_is_refused(two_stream_fleet) -> None:
    """An empty selection says how to pick producers."""
    with pytest.raises(RoutingError, match="No producers selected"):
        build_problem([], two_stream_fleet, Horizon(weeks=2), graph=None)


def test_single_stream_single_cycle_case() -> None:
    """One week, one stream, weekly producers: every stop has one visit on any working day."""
    fleet = PeriodicFleet.single(Fleet(), Depot("D", 26.94, 60.525))
    prods = [PeriodicProducer(f"p{i}", f"P{i}", 26.93 + i / 100, 60.52, (("all", 52.0),))
             for i in range(3)]
    prob = build_problem(prods, fleet, Horizon(weekdays=("mon", "wed")), graph=None)
    assert all(s.is_free and s.days == (0, 1) for s in prob.instance.stops)
