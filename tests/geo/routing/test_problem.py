"""Tests of the milk-round inputs (geo.routing.problem) and their validation."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import RoutingError
from geo.routing.problem import (
    Depot,
    Fleet,
    Producer,
    RoutingInstance,
    format_clock,
    parse_clock,
)


def test_zero_vehicles_is_refused_with_a_fix() -> None:
    """A fleet of zero vehicles is refused with a message that says what to set."""
    with pytest.raises(RoutingError, match="at least one vehicle, got vehicles=0"):
        Fleet(vehicles=0)


@pytest.mark.parametrize(("frequency", "per_visit"), [("weekly", 2.0), ("fortnightly", 4.0),
                                                      ("monthly", 104 / 12)])
def test_pickup_per_collection_follows_frequency(frequency: str, per_visit: float) -> None:
    """The pickup per collection is the annual quantity over the collections per year."""
    p = Producer("a", "A", 26.9, 60.5, 104.0, frequency=frequency)
    assert p.quantity_per_visit == pytest.approx(per_visit)
    assert p.load == round(per_visit * 1000)


def test_clock_round_trip() -> None:
    """Clock strings parse to seconds after midnight and format back."""
    assert parse_clock("06:45") == 6 * 3600 + 45 * 60
    assert format_clock(parse_clock("13:05")) == "13:05"
    with pytest.raises(RoutingError, match="clock time"):
        parse_clock("25:00")


def test_shift_must_run_forwards() -> None:
    """A shift ending before it starts is refused and the message shows both times."""
    with pytest.raises(RoutingError, match="15:00–07:00"):
        Fleet(shift_start_s=15 * 3600, shift_end_s=7 * 3600)


def test_fleet_from_factors_cites_its_sources() -> None:
    """Fleet.from_factors takes costs and CO2e from the cited factor table."""
    f = Fleet.from_factors(vehicles=3)
    assert f.vehicles == 3
    assert "DESNZ" in f.co2e_source and f.co2e_kg_per_km > 0
    assert f.cost_per_km > 0 and f.cost_source


def test_instance_rejects_a_matrix_of_the_wrong_shape() -> None:
    """The matrices must be (n + 1) square for n producers and hold non-negative integers."""
    prods = (Producer("a", "A", 0, 0, 52.0),)
    with pytest.raises(RoutingError, match=r"\(2, 2\)"):
        RoutingInstance(Depot("D", 0, 0), prods, Fleet(), ("mon",), np.zeros((3, 3), int),
                        np.zeros((3, 3), int))
    with pytest.raises(RoutingError, match="non-negative integers"):
        RoutingInstance(Depot("D", 0, 0), prods, Fleet(), ("mon",), np.zeros((2, 2)),
                        np.zeros((2, 2), int))
