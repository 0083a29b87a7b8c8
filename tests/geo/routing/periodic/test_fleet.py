"""Tests of streams, compartments and vehicle classes (geo.routing.periodic.fleet)."""

from __future__ import annotations

import pytest

from geo.errors import RoutingError
from geo.routing.periodic.fleet import Compartment, PeriodicFleet, Stream, VehicleClass
from geo.routing.problem import Depot, Fleet

DEPOT = Depot("Depot", 26.94, 60.525)
OIL = Stream("waste oil", hazardous=True, reprocessor=Depot("Refiner", 26.9, 60.5))
CARDBOARD = Stream("cardboard", reprocessor=Depot("Mill", 26.95, 60.5))


def _fleet(compartments: tuple[Compartment, ...], caps: tuple[tuple[str, float], ...],
           unload: str = "depot") -> PeriodicFleet:
    cls = VehicleClass("truck", Fleet(), DEPOT, capacities=caps, unload=unload)
    return PeriodicFleet(classes=(cls,), streams=(CARDBOARD, OIL), compartments=compartments)


def test_hazardous_and_non_hazardous_never_share_a_compartment() -> None:
    """A compartment for cardboard and waste oil together is refused with the fix."""
    with pytest.raises(RoutingError, match=r"hazardous.*own"):
        _fleet((Compartment("all", ("cardboard", "waste oil")),), (("all", 8.0),))


def test_a_stream_without_a_compartment_is_refused() -> None:
    """Waste oil listed in no compartment cannot be carried."""
    with pytest.raises(RoutingError, match="No compartment may carry stream 'waste oil'"):
        _fleet((Compartment("dry", ("cardboard",)),), (("dry", 8.0),))


def test_a_compartment_no_vehicle_has_is_refused() -> None:
    """An oil compartment kind that no class has a capacity for is refused."""
    with pytest.raises(RoutingError, match="No vehicle class has a 'oil' compartment"):
        _fleet((Compartment("dry", ("cardboard",)), Compartment("oil", ("waste oil",))),
               (("dry", 8.0),))


def test_reprocessor_unloading_needs_every_stream_placed() -> None:
    """Unloading at reprocessors with a stream that has none is refused."""
    cls = VehicleClass("truck", Fleet(), DEPOT, unload="reprocessor")
    with pytest.raises(RoutingError, match="have none"):
        PeriodicFleet(classes=(cls,), streams=(Stream("glass"),))


def test_kinds_capacities_and_carried_streams() -> None:
    """Each stream maps to its compartment kind; a class carries what it has room for."""
    f = _fleet((Compartment("dry", ("cardboard",)), Compartment("oil", ("waste oil",))),
               (("dry", 8.0), ("oil", 2.0)))
    assert [f.kind_of("cardboard"), f.kind_of("waste oil")] == [0, 1]
    assert f.capacity(f.classes[0]) == (8.0, 2.0)
    assert f.streams_of(f.classes[0]) == ["cardboard", "waste oil"]


def test_single_stream_fleet_is_one_compartment() -> None:
    """The single-cycle case: one class, one stream, one compartment of the fleet's size."""
    f = PeriodicFleet.single(Fleet(capacity=12.0), DEPOT)
    assert [k.name for k in f.kinds] == ["all"] and f.capacity(f.classes[0]) == (12.0,)
