"""Producers of a periodic round: where, how much of each stream, how often, on which days.

A :class:`PeriodicProducer` is the single-cycle :class:`~geo.routing.problem.Producer` with
several streams, a :class:`~geo.routing.periodic.horizon.VisitFrequency` and an optional
storage limit (the most days its containers can hold). :func:`from_producer` converts a
single-cycle producer (its ``monthly`` becomes *every four weeks*).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geo.errors import RoutingError
from geo.i18n import _
from geo.routing.periodic.fleet import ALL_STREAMS
from geo.routing.periodic.horizon import VisitFrequency
from geo.routing.problem import DAY_S, WEEKDAYS

if TYPE_CHECKING:
    from geo.routing.problem import Producer

__all__ = ["PeriodicProducer", "from_producer"]


@dataclass(frozen=True)
class PeriodicProducer:
    """A producer collected on a regular pattern over the horizon.

    Attributes
    ----------
    stop_id, name : str
    lon, lat : float
        WGS84 degrees.
    quantities : tuple of (str, float)
        Per stream, what the producer generates per year (fleet unit: t or m³).
    frequency : VisitFrequency
    weekdays : tuple of str
        Weekdays on which it accepts a collection.
    service_s : int
        Time on site per visit (all streams together).
    tw_start_s, tw_end_s : int
        Opening hours (seconds after midnight).
    storage_days : float or None
        Most calendar days its containers hold (caps the gap between visits).
    site_id : str
    resource_ids : tuple of str
    """

    stop_id: str
    name: str
    lon: float
    lat: float
    quantities: tuple[tuple[str, float], ...]
    frequency: VisitFrequency = field(default_factory=VisitFrequency)
    weekdays: tuple[str, ...] = WEEKDAYS[:5]
    service_s: int = 900
    tw_start_s: int = 0
    tw_end_s: int = DAY_S
    storage_days: float | None = None
    site_id: str = ""
    resource_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lon) and math.isfinite(self.lat)):
            msg = _("Producer {name} has no location (lon={lon}, lat={lat}); locate the "
                    "site before planning.").format(
                name=repr(self.name), lon=repr(self.lon), lat=repr(self.lat))
            raise RoutingError(msg)
        if not self.quantities:
            msg = _("Producer {name}: give at least one stream quantity.").format(
                name=repr(self.name))
            raise RoutingError(msg)
        streams = [s for s, _ in self.quantities]
        if len(set(streams)) != len(streams):
            msg = _("Producer {name}: stream listed twice in {streams}.").format(
                name=repr(self.name), streams=repr(streams))
            raise RoutingError(msg)
        for s, q in self.quantities:
            if not (math.isfinite(q) and q >= 0):
                msg = _("Producer {name}: quantity per year of {stream} must be zero or "
                        "positive, got {value}.").format(
                    name=repr(self.name), stream=repr(s), value=repr(q))
                raise RoutingError(msg)
        bad = [d for d in self.weekdays if d not in WEEKDAYS]
        if bad or not self.weekdays:
            msg = _("Producer {name}: weekdays must be a non-empty list of codes "
                    "{codes}, got {value}.").format(
                name=repr(self.name), codes=WEEKDAYS, value=repr(self.weekdays))
            raise RoutingError(msg)
        if self.service_s < 0 or not 0 <= self.tw_start_s <= self.tw_end_s <= DAY_S:
            msg = _("Producer {name}: service time and opening hours must be non-negative"
                    " and run forwards within one day.").format(
                name=repr(self.name))
            raise RoutingError(msg)
        if self.storage_days is not None and not self.storage_days > 0:
            msg = _("Producer {name}: storage must last a positive number of days, got "
                    "{storage_days}.").format(
                name=repr(self.name), storage_days=repr(self.storage_days))
            raise RoutingError(msg)

    @property
    def streams(self) -> tuple[str, ...]:
        """Streams it produces (with a positive quantity)."""
        return tuple(s for s, q in self.quantities if q > 0)

    @property
    def quantity_per_year(self) -> float:
        """All streams together per year."""
        return float(sum(q for _s, q in self.quantities))

    def quantity_of(self, stream: str) -> float:
        """Quantity per year of one stream (0 when it does not produce it)."""
        return dict(self.quantities).get(stream, 0.0)


def from_producer(producer: Producer, *, stream: str = ALL_STREAMS,
                  storage_days: float | None = None) -> PeriodicProducer:
    """The single-cycle ``producer`` as a periodic one (``monthly`` → every four weeks).

    Examples
    --------
    >>> from geo.routing.problem import Producer
    >>> p = from_producer(Producer("a", "A", 26.9, 60.5, 52.0, frequency="monthly"))
    >>> p.frequency.label, p.quantities
    ('every four weeks', (('all', 52.0),))
    """
    return PeriodicProducer(
        stop_id=producer.stop_id, name=producer.name, lon=producer.lon, lat=producer.lat,
        quantities=((stream, producer.quantity_per_year),),
        frequency=VisitFrequency.parse(producer.frequency), weekdays=producer.weekdays,
        service_s=producer.service_s, tw_start_s=producer.tw_start_s,
        tw_end_s=producer.tw_end_s, storage_days=storage_days, site_id=producer.site_id,
        resource_ids=producer.resource_ids)
