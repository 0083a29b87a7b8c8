"""The inputs of a milk round as frozen dataclasses: fleet, producer stops, depot, instance.

Units are fixed so that the solver works on integers: distances in metres, times in seconds
(clock times are seconds after midnight of the stop's day), loads in kilograms (fleet
capacity in tonnes) or litres (capacity in m³). A plan covers one collection cycle — every
producer in it is collected once, on one of its allowed weekdays — over the days of one
week; a day's clock time ``t`` is ``DAY_S · weekday_index + t`` in the solver.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from geo.errors import RoutingError
from geo.i18n import _

if TYPE_CHECKING:
    from geo.factors import Factors

__all__ = [
    "DAY_S",
    "DEFAULT_CAPACITY_T",
    "FREQUENCIES",
    "VISITS_PER_YEAR",
    "WEEKDAYS",
    "Depot",
    "ExcludedStop",
    "Fleet",
    "Producer",
    "RoutingInstance",
    "format_clock",
    "parse_clock",
]

DEFAULT_CAPACITY_T: Final = 15.0
"""A vehicle's capacity where none is given (the Milk round page and the CLI): a rigid
skip or hook-lift truck."""
DAY_S: Final = 86_400
"""Seconds in a day: day ``d`` of the week occupies ``[d · DAY_S, (d + 1) · DAY_S)``."""

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday codes, Monday first (the position is the day's offset in the week)."""

Frequency = Literal["weekly", "fortnightly", "monthly"]
FREQUENCIES: Final[tuple[Frequency, ...]] = ("weekly", "fortnightly", "monthly")
VISITS_PER_YEAR: Final[dict[str, int]] = {"weekly": 52, "fortnightly": 26, "monthly": 12}
"""Collections per year of each collection frequency."""

CapacityUnit = Literal["t", "m3"]
LOAD_UNIT: Final[dict[str, str]] = {"t": "kg", "m3": "L"}
"""Integer load unit the solver uses for each capacity unit (1/1000 of it)."""


def parse_clock(text: str) -> int:
    """Seconds after midnight of an ``HH:MM`` clock time (``24:00`` is allowed).

    Examples
    --------
    >>> parse_clock("07:30"), parse_clock("24:00")
    (27000, 86400)
    """
    try:
        hh, mm = str(text).strip().split(":")
        h, m = int(hh), int(mm)
    except ValueError as exc:
        msg = _("Expected a clock time like '07:30', got {text}.").format(text=repr(text))
        raise RoutingError(msg) from exc
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        msg = _("Expected a clock time between 00:00 and 24:00, got {text}.").format(
            text=repr(text))
        raise RoutingError(msg)
    return h * 3600 + m * 60


def format_clock(seconds: float) -> str:
    """``HH:MM`` of seconds after midnight (rounded to the minute; past 24 h keeps counting).

    Examples
    --------
    >>> format_clock(27_029), format_clock(86_400)
    ('07:30', '24:00')
    """
    minutes = round(float(seconds) / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _check_weekdays(days: tuple[str, ...], producer: str | None = None) -> None:
    """Refuse an empty list or unknown codes: of ``producer``'s weekdays, else the planned days."""
    bad = [d for d in days if d not in WEEKDAYS]
    if bad or not days:
        if producer is None:
            msg = _("The planned days must be a non-empty list of weekday codes {codes}, got "
                    "{days}; write e.g. ('mon', 'wed').")
        else:
            msg = _("Producer {name}: weekdays must be a non-empty list of weekday codes "
                    "{codes}, got {days}; write e.g. ('mon', 'wed').")
        raise RoutingError(msg.format(name=repr(producer), codes=WEEKDAYS, days=repr(days)))


@dataclass(frozen=True)
class Fleet:
    """Identical vehicles, each available once per planned day.

    Attributes
    ----------
    vehicles : int
        Vehicles available on each planned day (at least 1).
    capacity : float
        What one vehicle carries, in ``capacity_unit`` (t or m³).
    capacity_unit : {"t", "m3"}
        Tonnes (loads counted in kg) or cubic metres (loads counted in litres).
    cost_per_km, cost_per_hour : float
        Operating cost per vehicle-km and per vehicle-hour (currency of the programme).
    co2e_kg_per_km : float
        Emissions per vehicle-km (kg CO2e), with ``co2e_source`` citing the factor.
    co2e_source, cost_source : str
        Citations of the emission factor and of the cost rates (shown with the KPIs).
    currency : str
        Currency of the cost rates and of producers' prizes.
    shift_start_s, shift_end_s : int
        Earliest departure from and latest return to the depot, seconds after midnight.
    max_duration_s : int or None
        Longest shift of a vehicle (seconds); None means the whole window.
    reload : bool
        Whether a vehicle may return to the depot to unload and go out again (multi-trip).
    max_reloads : int or None
        Upper bound on reloads per vehicle and day when ``reload`` (None: no bound).
    """

    vehicles: int = 1
    capacity: float = 10.0
    capacity_unit: CapacityUnit = "t"
    cost_per_km: float = 1.10
    cost_per_hour: float = 45.0
    co2e_kg_per_km: float = 0.598
    co2e_source: str = ""
    cost_source: str = ""
    currency: str = "EUR"
    shift_start_s: int = 7 * 3600
    shift_end_s: int = 15 * 3600
    max_duration_s: int | None = None
    reload: bool = False
    max_reloads: int | None = None

    def __post_init__(self) -> None:
        if int(self.vehicles) < 1:
            msg = _("A milk round needs at least one vehicle, got vehicles={vehicles}; set the "
                    "number of vehicles available per day to 1 or more.").format(
                vehicles=repr(self.vehicles))
            raise RoutingError(msg)
        if not (math.isfinite(self.capacity) and self.capacity > 0):
            msg = _("Vehicle capacity must be a positive number, got {capacity}.").format(
                capacity=repr(self.capacity))
            raise RoutingError(msg)
        if self.capacity_unit not in LOAD_UNIT:
            msg = _("capacity_unit must be 't' or 'm3', got {unit}.").format(
                unit=repr(self.capacity_unit))
            raise RoutingError(msg)
        rates = (self.cost_per_km, self.cost_per_hour, self.co2e_kg_per_km)
        if any(not math.isfinite(r) or r < 0 for r in rates):
            msg = _("Costs and emission factors must be zero or positive, got cost_per_km="
                    "{per_km}, cost_per_hour={per_hour}, co2e_kg_per_km={co2e}.").format(
                per_km=repr(self.cost_per_km), per_hour=repr(self.cost_per_hour),
                co2e=repr(self.co2e_kg_per_km))
            raise RoutingError(msg)
        if self.cost_per_km == 0 and self.cost_per_hour == 0:
            msg = _("Give a cost per km or a cost per hour (both are 0): the plan minimises "
                    "cost.")
            raise RoutingError(msg)
        if not (0 <= self.shift_start_s < self.shift_end_s <= DAY_S):
            msg = _("The shift must start before it ends within one day, got {start}–{end}; "
                    "e.g. 07:00–15:00.").format(start=format_clock(self.shift_start_s),
                                                end=format_clock(self.shift_end_s))
            raise RoutingError(msg)
        if self.max_duration_s is not None and self.max_duration_s <= 0:
            msg = _("max_duration_s must be positive or None, got {value}.").format(
                value=repr(self.max_duration_s))
            raise RoutingError(msg)
        if self.max_reloads is not None and self.max_reloads < 0:
            msg = _("max_reloads must be zero or positive, got {value}.").format(
                value=repr(self.max_reloads))
            raise RoutingError(msg)

    @property
    def capacity_load(self) -> int:
        """Capacity in integer load units (kg or litres)."""
        return round(self.capacity * 1000)

    @property
    def load_unit(self) -> str:
        """``kg`` or ``L``: the integer unit of loads."""
        return LOAD_UNIT[self.capacity_unit]

    @property
    def shift_s(self) -> int:
        """Longest time a vehicle may be out: the shift window, capped by ``max_duration_s``."""
        window = self.shift_end_s - self.shift_start_s
        return window if self.max_duration_s is None else min(window, int(self.max_duration_s))

    @classmethod
    def from_factors(cls, factors: Factors | None = None, **changes: Any) -> Fleet:
        """A fleet with costs and CO2e per km from the cited factor table, then ``changes``.

        Uses ``rigid_hgv_co2e_kg_per_km`` (a rigid lorry, typical of collection rounds),
        ``hgv_cost_per_km`` and ``hgv_cost_per_hour`` from :func:`geo.factors.load_factors`.
        """
        from geo.factors import load_factors

        f = factors or load_factors()
        co2 = f.get("rigid_hgv_co2e_kg_per_km")
        per_km, per_h = f.get("hgv_cost_per_km"), f.get("hgv_cost_per_hour")
        base: dict[str, object] = {
            "cost_per_km": per_km.value, "cost_per_hour": per_h.value,
            "co2e_kg_per_km": co2.value, "co2e_source": co2.cite(),
            "cost_source": f"{per_km.cite()}; {per_h.cite()}",
        }
        base.update(changes)
        return cls(**base)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Depot:
    """Where vehicles start, unload and end: a reprocessor, transfer station or any point.

    ``lon``/``lat`` are WGS84 degrees (any finite numbers for benchmark instances).
    """

    name: str
    lon: float
    lat: float
    site_id: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lon) and math.isfinite(self.lat)):
            msg = _("Depot {name} has no location (lon={lon}, lat={lat}); locate the site "
                    "first or pick another depot.").format(name=repr(self.name),
                                                           lon=repr(self.lon), lat=repr(self.lat))
            raise RoutingError(msg)


@dataclass(frozen=True)
class Producer:
    """A producer to collect from: one stop of the round.

    Attributes
    ----------
    stop_id, name : str
        Identifier and display name (the company or site).
    lon, lat : float
        WGS84 degrees.
    quantity_per_year : float
        What the producer generates per year, in the fleet's capacity unit (t or m³).
    frequency : {"weekly", "fortnightly", "monthly"}
        How often it is collected; the pickup per collection is the annual quantity divided
        by the collections per year (:data:`VISITS_PER_YEAR`).
    service_s : int
        Time on site per collection (seconds).
    tw_start_s, tw_end_s : int
        Opening hours: the collection must start within them (seconds after midnight).
    weekdays : tuple of str
        Weekdays on which the producer accepts a collection.
    optional : bool
        Whether the stop may be skipped when its ``prize`` does not pay for the detour.
    prize : float
        Value of collecting an optional stop (currency), e.g. avoided disposal cost.
    site_id : str
        Member site in the programme, if any.
    resource_ids : tuple of str
        The resource records collected at this stop.
    """

    stop_id: str
    name: str
    lon: float
    lat: float
    quantity_per_year: float
    frequency: Frequency = "weekly"
    service_s: int = 900
    tw_start_s: int = 0
    tw_end_s: int = DAY_S
    weekdays: tuple[str, ...] = WEEKDAYS[:5]
    optional: bool = False
    prize: float = 0.0
    site_id: str = ""
    resource_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lon) and math.isfinite(self.lat)):
            msg = _("Producer {name} has no location (lon={lon}, lat={lat}); locate the site "
                    "before planning.").format(name=repr(self.name), lon=repr(self.lon),
                                               lat=repr(self.lat))
            raise RoutingError(msg)
        if not (math.isfinite(self.quantity_per_year) and self.quantity_per_year >= 0):
            msg = _("Producer {name}: quantity per year must be zero or positive, got "
                    "{value}.").format(name=repr(self.name), value=repr(self.quantity_per_year))
            raise RoutingError(msg)
        if self.frequency not in VISITS_PER_YEAR:
            msg = _("Producer {name}: frequency must be one of {choices}, got {value}.").format(
                name=repr(self.name), choices=FREQUENCIES, value=repr(self.frequency))
            raise RoutingError(msg)
        if self.service_s < 0:
            msg = _("Producer {name}: service time must be >= 0 s, got {value}.").format(
                name=repr(self.name), value=repr(self.service_s))
            raise RoutingError(msg)
        if not (0 <= self.tw_start_s <= self.tw_end_s <= DAY_S):
            msg = _("Producer {name}: opening hours must run forwards within one day, got "
                    "{start}–{end}.").format(name=repr(self.name),
                                             start=format_clock(self.tw_start_s),
                                             end=format_clock(self.tw_end_s))
            raise RoutingError(msg)
        _check_weekdays(tuple(self.weekdays), self.name)
        if not (math.isfinite(self.prize) and self.prize >= 0):
            msg = _("Producer {name}: prize must be zero or positive, got {value}.").format(
                name=repr(self.name), value=repr(self.prize))
            raise RoutingError(msg)

    @property
    def quantity_per_visit(self) -> float:
        """Pickup per collection in the fleet's capacity unit (t or m³)."""
        return self.quantity_per_year / VISITS_PER_YEAR[self.frequency]

    @property
    def load(self) -> int:
        """Pickup per collection in integer load units (kg or litres)."""
        return round(self.quantity_per_visit * 1000)


@dataclass(frozen=True)
class ExcludedStop:
    """A producer left out of the plan, with the reason in words a planner can act on."""

    stop_id: str
    name: str
    reason: str
    stage: str = ""
    """``"network"`` for a stop off the road network or unreachable; empty otherwise (the
    pipelines tell selection from schedule by where the stop was left out)."""


@dataclass(frozen=True)
class RoutingInstance:
    """Everything the solver needs, on integers; index 0 of the matrices is the depot.

    Attributes
    ----------
    depot : Depot
    producers : tuple of Producer
        The stops that can be planned (location ``i + 1`` in the matrices).
    fleet : Fleet
    days : tuple of str
        Planned weekdays (each has its own vehicles and shift).
    distance_m, duration_s : ndarray of int64, shape (n + 1, n + 1)
        Travel from row to column along the road (or the labelled stand-in).
    method : str
        ``"road"`` (shortest paths on the network), ``"straight-line"`` (great-circle ×
        detour factor, a stand-in the UI labels) or ``"given"`` (a benchmark's matrix).
    snap_m : ndarray of float, shape (n + 1,)
        Distance from each point to the road it was placed on (0 when not snapped).
    nodes : ndarray of int64 or None
        Graph node of each point, for drawing routes along roads.
    excluded : tuple of ExcludedStop
        Producers left out before solving, with reasons.
    allowed_days : tuple of tuple of str
        Per producer, the planned days on which it can be served (checked upfront).
    """

    depot: Depot
    producers: tuple[Producer, ...]
    fleet: Fleet
    days: tuple[str, ...]
    distance_m: np.ndarray
    duration_s: np.ndarray
    method: str = "road"
    snap_m: np.ndarray | None = None
    nodes: np.ndarray | None = None
    excluded: tuple[ExcludedStop, ...] = ()
    allowed_days: tuple[tuple[str, ...], ...] = field(default=())

    def __post_init__(self) -> None:
        n = len(self.producers) + 1
        _check_weekdays(tuple(self.days))
        for label, mat in (("distance_m", self.distance_m), ("duration_s", self.duration_s)):
            arr = np.asarray(mat)
            if arr.shape != (n, n):
                msg = _("{matrix} must be ({n}, {n}) for a depot and {producers} producers, "
                        "got {shape}.").format(matrix=label, n=n, producers=n - 1,
                                               shape=arr.shape)
                raise RoutingError(msg)
            if not np.issubdtype(arr.dtype, np.integer) or (arr < 0).any():
                msg = _("{matrix} must hold non-negative integers, got dtype {dtype}.").format(
                    matrix=label, dtype=arr.dtype)
                raise RoutingError(msg)
        if not self.allowed_days:
            allowed = tuple(tuple(d for d in self.days if d in p.weekdays)
                            for p in self.producers)
            object.__setattr__(self, "allowed_days", allowed)
        if len(self.allowed_days) != len(self.producers):
            msg = _("allowed_days must have one entry per producer.")
            raise RoutingError(msg)

    @property
    def n_producers(self) -> int:
        """Number of plannable producers."""
        return len(self.producers)

    @property
    def loads(self) -> np.ndarray:
        """Pickup per collection of each producer (kg or litres)."""
        return np.array([p.load for p in self.producers], dtype=np.int64)
