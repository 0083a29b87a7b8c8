"""Tests of the explanations (geo.routing.explain): never a bare "infeasible"."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import RoutingError
from geo.routing.build import instance_from_matrices
from geo.routing.explain import check_pickups, format_duration, servable_days
from geo.routing.problem import Depot, Fleet, Producer


def test_oversize_pickup_is_refused_with_the_figures() -> None:
    """A pickup larger than a vehicle is refused naming the producer, its pickup and capacity."""
    prods = [Producer("a", "Big Pulp Oy", 0, 0, 12.0 * 12, frequency="monthly"),
             Producer("b", "Small Oy", 0, 0, 52.0)]
    with pytest.raises(RoutingError) as err:
        check_pickups(prods, Fleet(capacity=10))
    msg = str(err.value)
    assert "'Big Pulp Oy': 12.0 t per monthly collection" in msg
    assert "(10.0 t)" in msg and "Small Oy" not in msg
    assert "collecting fortnightly would fit" in msg


def test_opening_hours_before_the_shift_are_explained() -> None:
    """A producer that closes before a vehicle can arrive is left out with both times."""
    d = np.array([[0, 6000], [6000, 0]], float)
    early = Producer("e", "Early Bird Oy", 0, 0, 52.0, tw_start_s=5 * 3600, tw_end_s=6 * 3600)
    allowed, reasons = servable_days([early], Fleet(), ["mon"], d / 10)
    assert allowed == ((),)
    assert "05:00–06:00 end before the earliest arrival 07:10" in reasons[0]


def test_round_trip_longer_than_the_shift_is_explained() -> None:
    """A producer too far to serve within the shift is reported with the trip duration."""
    d = np.array([[0, 300_000], [300_000, 0]], float)  # 300 km each way at 10 m/s
    far = Producer("f", "Far Away Oy", 0, 0, 52.0)
    inst = instance_from_matrices([far, Producer("n", "Near Oy", 0, 0, 52.0)],
                                  Depot("D", 0, 0), Fleet(), days=["mon"],
                                  distance_m=np.pad(d, ((0, 1), (0, 1))),
                                  duration_s=np.pad(d, ((0, 1), (0, 1))) / 10, method="given")
    assert [p.stop_id for p in inst.producers] == ["n"]
    assert inst.excluded[0].name == "Far Away Oy"
    assert "after the shift ends at 15:00" in inst.excluded[0].reason


def test_weekday_not_planned_is_explained() -> None:
    """A producer accepting only days outside the plan is told which days to add."""
    d = np.array([[0, 100], [100, 0]], float)
    p = Producer("t", "Tuesday Oy", 0, 0, 52.0, weekdays=("tue",))
    _, reasons = servable_days([p], Fleet(), ["mon", "wed"], d)
    assert "accepts collections on Tue only" in reasons[0]


def test_nothing_servable_raises_with_reasons() -> None:
    """If no producer can be served at all, the error lists them with reasons."""
    d = np.array([[0, 100], [100, 0]], float)
    p = Producer("t", "Tuesday Oy", 0, 0, 52.0, weekdays=("tue",))
    with pytest.raises(RoutingError, match=r"selected producer cannot be served.*Tuesday Oy"):
        instance_from_matrices([p], Depot("D", 0, 0), Fleet(), days=["mon"], distance_m=d,
                               duration_s=d, method="given")


def test_format_duration() -> None:
    """Durations read as hours and minutes."""
    assert format_duration(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert format_duration(59) == "1 min"


def test_reasons_and_refusals_in_the_pseudo_locale() -> None:
    """Reasons and refusals are translated whole, with figures and weekday labels filled in."""
    from geo.i18n import use_locale

    d = np.array([[0, 100], [100, 0]], float)
    p = Producer("t", "Tuesday Oy", 0, 0, 52.0, weekdays=("tue",))
    with use_locale("qps_PLOC"):
        _, reasons = servable_days([p], Fleet(), ["mon", "wed"], d)
        with pytest.raises(RoutingError) as err:
            check_pickups([Producer("a", "Big Pulp Oy", 0, 0, 12.0 * 12, frequency="monthly")],
                          Fleet(capacity=10))
    assert reasons[0].startswith("⟦àççépts çõlléçtîõñs õñ ⟦Tüé⟧ õñlý") and "⟦Mõñ⟧" in reasons[0]
    msg = str(err.value)
    assert msg.startswith("⟦1 prõdüçér") and "'Big Pulp Oy'" in msg and "{" not in msg


def test_weekday_checks_name_the_producer_or_the_planned_days() -> None:
    """A producer's bad weekdays and bad planned days are two sentences, each naming its own."""
    with pytest.raises(RoutingError, match=r"^Producer 'X Oy': weekdays must be a non-empty"):
        Producer("x", "X Oy", 0, 0, 1.0, weekdays=("someday",))
    from geo.routing.problem import _check_weekdays

    with pytest.raises(RoutingError, match=r"^The planned days must be a non-empty"):
        _check_weekdays(("someday",))
