"""Fixtures of the periodic planner's tests: tiny instances whose optimum is known by hand."""

from __future__ import annotations

import numpy as np
import pytest

from geo.routing.periodic.instance import PeriodicInstance, StopSpec, VehicleSpec
from geo.routing.periodic.solve import PeriodicOptions

FAST = PeriodicOptions(time_limit_s=1.0, seeds=(0,), workers=1)
"""One seed in this process for a second: enough for every hand-made instance here."""


def line_matrix(xs_km: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Distances (m) and times (s, at 10 m/s) between points along a straight road."""
    x = np.array(xs_km) * 1000.0
    d = np.abs(x[:, None] - x[None, :]).astype(np.int64)
    return d, d // 10


@pytest.fixture
def cheap_even_days() -> PeriodicInstance:
    """Four days; vehicles of days 0 and 2 cost 1 per metre, of days 1 and 3 cost 2.

    Two stops far out (10 km and 10.1 km), each visited twice on one of the patterns
    (days 0+2) or (days 1+3). The only optimum puts both on the cheap days 0+2, together:
    2 × (10 + 0.1 + 10.1 km) = 40,400 cost units.
    """
    d, t = line_matrix([0.0, 10.0, 10.1])
    cheap = VehicleSpec("cheap", 1, (10,), 0, 0, days=(0, 2), unit_distance_cost=1)
    dear = VehicleSpec("dear", 1, (10,), 0, 0, days=(1, 3), unit_distance_cost=2)
    pats = ((0, 2), (1, 3))
    stops = tuple(StopSpec(name, place, pats, (((1,), (1,)), ((1,), (1,))))
                  for name, place in (("A", 1), ("B", 2)))
    return PeriodicInstance(n_days=4, day_length=86_400, distance=d, duration=t,
                            vehicles=(cheap, dear), stops=stops)


DEPOT = (26.940, 60.525)


@pytest.fixture
def producers() -> list:
    """Six producers a few km round the depot: cardboard everywhere, waste oil at two."""
    from geo.routing.periodic.horizon import VisitFrequency
    from geo.routing.periodic.producers import PeriodicProducer

    spots = [(26.93, 60.52), (26.95, 60.53), (26.96, 60.52), (26.92, 60.53), (26.948, 60.522),
             (26.935, 60.535)]
    out = []
    for i, (lon, lat) in enumerate(spots):
        qty = [("cardboard", 26.0 * (1 + i % 3))]
        if i in (1, 4):
            qty.append(("waste oil", 13.0))
        freq = VisitFrequency("weekly") if i % 2 else VisitFrequency("fortnightly")
        out.append(PeriodicProducer(f"p{i}", f"Producer {i}", lon, lat, tuple(qty),
                                    frequency=freq, service_s=600))
    return out


@pytest.fixture
def two_stream_fleet():
    """A compartment truck (cardboard 5 t, oil 1 t) unloading each stream at its reprocessor."""
    from geo.routing.periodic.fleet import Compartment, PeriodicFleet, Stream, VehicleClass
    from geo.routing.problem import Depot, Fleet

    mill = Depot("Paper mill", 26.945, 60.518, site_id="MILL")
    refiner = Depot("Oil refiner", 26.932, 60.527, site_id="OIL")
    return PeriodicFleet(
        classes=(VehicleClass("truck", Fleet(vehicles=2, capacity=6.0),
                              Depot("Depot", *DEPOT), capacities=(("dry", 5.0), ("oil", 1.0)),
                              unload="reprocessor"),),
        streams=(Stream("cardboard", reprocessor=mill),
                 Stream("waste oil", hazardous=True, reprocessor=refiner)),
        compartments=(Compartment("dry", ("cardboard",)), Compartment("oil", ("waste oil",))))
