"""The periodic routing problem on integers: places, vehicles per day, stops and their patterns.

This is the core the solver works on (the GIS adapter :mod:`~geo.routing.periodic.build` and
the benchmark reader ``benchmarks.formats.pvrp`` both produce it). Everything is an integer:

- **places** are matrix rows: depots, unloading places and producers' stops share one square
  distance matrix (cost units, e.g. metres) and one duration matrix (time units, e.g. s);
- **days** are the working days of the horizon, ``0 … n_days - 1``; a day is a window of
  ``day_length`` time units (times inside a day are offsets from its start);
- **load dimensions** are compartments (or streams); a stop's pickup and a vehicle's
  capacity are vectors over them, in integer units (kg, litres, or a benchmark's units);
- a **stop** is visited on every day of exactly one of its **patterns** (a sorted tuple of
  days); its pickup may differ per pattern and per visit (it follows the gap since the
  previous visit).

Nothing here knows about PyVRP; :mod:`~geo.routing.periodic.encode` turns an instance and a
choice of patterns into PyVRP's ``ProblemData``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from geo.errors import RoutingError
from geo.i18n import _

__all__ = ["INF_TIME", "PeriodicInstance", "StopSpec", "VehicleSpec"]

INF_TIME: Final = 1 << 40
"""A duration no route reaches (time units): "no limit"."""

Pattern = tuple[int, ...]


@dataclass(frozen=True)
class VehicleSpec:
    """A class of identical vehicles, each available once on each of its working days.

    Attributes
    ----------
    name : str
        Shown on run sheets (``"Compartment truck"``).
    count : int
        Vehicles of this class per working day.
    capacity : tuple of int
        Capacity per load dimension (0 where the class has no such compartment).
    start, end : int
        Places (matrix rows) where a route starts and ends.
    reloads : tuple of int
        Places where the vehicle may empty everything and go out again (multi-trip).
    max_reloads : int or None
        Reloads per route and day (None: no bound; ignored without ``reloads``).
    shift_start, shift_end : int
        Earliest departure and latest return, as offsets within a day (time units).
    max_duration : int or None
        Longest route (time units; None: the shift window).
    unit_distance_cost, unit_duration_cost : int
        Integer cost per distance unit and per time unit.
    fixed_cost : int
        Cost per route used (0 by default).
    days : tuple of int or None
        Days the class works (None: every day).
    """

    name: str
    count: int
    capacity: tuple[int, ...]
    start: int
    end: int
    reloads: tuple[int, ...] = ()
    max_reloads: int | None = None
    shift_start: int = 0
    shift_end: int = INF_TIME
    max_duration: int | None = None
    unit_distance_cost: int = 1
    unit_duration_cost: int = 0
    fixed_cost: int = 0
    days: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.count < 1:
            msg = _("Vehicle class {name} needs at least one vehicle per day, got "
                    "count={count}.").format(
                name=repr(self.name), count=repr(self.count))
            raise RoutingError(msg)
        if not self.capacity or any(c < 0 for c in self.capacity):
            msg = _("Vehicle class {name}: capacity must be a non-empty tuple of non-"
                    "negative integers, got {capacity}.").format(
                name=repr(self.name), capacity=repr(self.capacity))
            raise RoutingError(msg)
        if not 0 <= self.shift_start < self.shift_end:
            msg = _("Vehicle class {name}: the shift must start before it ends, got "
                    "{shift_start}–{shift_end}.").format(
                name=repr(self.name), shift_start=repr(self.shift_start),
                shift_end=repr(self.shift_end))
            raise RoutingError(msg)
        if self.unit_distance_cost < 0 or self.unit_duration_cost < 0 or self.fixed_cost < 0:
            msg = _("Vehicle class {name}: costs must be zero or positive.").format(
                name=repr(self.name))
            raise RoutingError(msg)

    def works_on(self, day: int) -> bool:
        """Whether the class has vehicles on ``day``."""
        return self.days is None or day in self.days


@dataclass(frozen=True)
class StopSpec:
    """A place to collect from, visited on every day of one of its patterns.

    Attributes
    ----------
    name : str
        For messages and run sheets.
    place : int
        Matrix row of the stop.
    patterns : tuple of tuple of int
        Allowed visit patterns: sorted tuples of distinct days, all of one length (the
        number of visits in the horizon).
    pickups : tuple of tuple of tuple of int
        ``pickups[p][k]`` is the load vector collected at the ``k``-th visit of pattern ``p``.
    service : int
        Time on site per visit (time units).
    tw_start, tw_end : int
        Opening hours as offsets within a day (the visit must start within them).
    """

    name: str
    place: int
    patterns: tuple[Pattern, ...]
    pickups: tuple[tuple[tuple[int, ...], ...], ...]
    service: int = 0
    tw_start: int = 0
    tw_end: int = INF_TIME

    def __post_init__(self) -> None:
        if not self.patterns:
            msg = _("Stop {name} has no visit pattern; give at least one.").format(
                name=repr(self.name))
            raise RoutingError(msg)
        sizes = {len(p) for p in self.patterns}
        if len(sizes) != 1 or 0 in sizes:
            msg = _("Stop {name}: every pattern must have the same, positive number of "
                    "visits, got {patterns}.").format(
                name=repr(self.name), patterns=repr(self.patterns))
            raise RoutingError(msg)
        for p in self.patterns:
            if list(p) != sorted(set(p)) or min(p) < 0:
                msg = _("Stop {name}: pattern {pattern} must list distinct days in "
                        "order.").format(
                    name=repr(self.name), pattern=repr(p))
                raise RoutingError(msg)
        if len(set(self.patterns)) != len(self.patterns):
            msg = _("Stop {name}: pattern listed twice in {patterns}.").format(
                name=repr(self.name), patterns=repr(self.patterns))
            raise RoutingError(msg)
        if len(self.pickups) != len(self.patterns) or any(
                len(pk) != len(p) for pk, p in zip(self.pickups, self.patterns, strict=True)):
            msg = _("Stop {name}: give one pickup vector per visit of every pattern.").format(
                name=repr(self.name))
            raise RoutingError(msg)
        if self.service < 0 or not 0 <= self.tw_start <= self.tw_end:
            msg = _("Stop {name}: service time and opening hours must be non-negative.").format(
                name=repr(self.name))
            raise RoutingError(msg)

    @property
    def frequency(self) -> int:
        """Visits in the horizon."""
        return len(self.patterns[0])

    @property
    def days(self) -> tuple[int, ...]:
        """Every day that appears in some pattern."""
        return tuple(sorted({d for p in self.patterns for d in p}))

    @property
    def is_free(self) -> bool:
        """A single visit on any of several days (the solver picks the day by itself)."""
        return self.frequency == 1 and len(self.patterns) > 1

    @property
    def has_choice(self) -> bool:
        """Several visits and several patterns: the pattern search picks one."""
        return self.frequency > 1 and len(self.patterns) > 1


@dataclass(frozen=True)
class PeriodicInstance:
    """Matrices, days, vehicles and stops of one periodic planning problem.

    Attributes
    ----------
    n_days : int
        Working days in the horizon.
    day_length : int
        Time units in one day window (every shift and opening hour lies inside it).
    distance, duration : ndarray of int64, shape (n_places, n_places)
        Travel between places; the duration matrix excludes service times.
    vehicles : tuple of VehicleSpec
    stops : tuple of StopSpec
    n_dims : int
        Load dimensions.
    day_labels : tuple of str
        A label per day (``"W1 Mon"``), for messages.
    place_names : tuple of str
        A name per place, for messages.
    place_xy : ndarray of float, shape (n_places, 2), optional
        Planar coordinates of the places (only for PyVRP's bookkeeping; costs come from the
        matrices).
    """

    n_days: int
    day_length: int
    distance: np.ndarray
    duration: np.ndarray
    vehicles: tuple[VehicleSpec, ...]
    stops: tuple[StopSpec, ...]
    n_dims: int = 1
    day_labels: tuple[str, ...] = field(default=())
    place_names: tuple[str, ...] = field(default=())
    place_xy: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.n_days < 1:
            msg = _("A horizon needs at least one working day, got n_days={n_days}.").format(
                n_days=repr(self.n_days))
            raise RoutingError(msg)
        n = np.asarray(self.distance).shape[0]
        for label, mat in (("distance", self.distance), ("duration", self.duration)):
            arr = np.asarray(mat)
            if arr.shape != (n, n) or not np.issubdtype(arr.dtype, np.integer) or (
                    arr < 0).any():
                msg = _("{matrix} must be a square matrix of non-negative integers over "
                        "the {n} places, got shape {shape} and dtype {dtype}.").format(
                    matrix=label, n=n, shape=arr.shape, dtype=arr.dtype)
                raise RoutingError(msg)
        if not self.vehicles:
            msg = _("Give at least one vehicle class.")
            raise RoutingError(msg)
        for v in self.vehicles:
            if len(v.capacity) != self.n_dims:
                msg = _("Vehicle class {name} has {n} capacities for {n_dims} load "
                        "dimensions.").format(
                    name=repr(v.name), n=len(v.capacity), n_dims=self.n_dims)
                raise RoutingError(msg)
            places = (v.start, v.end, *v.reloads)
            if any(not 0 <= p < n for p in places):
                msg = _("Vehicle class {name} refers to a place outside the matrix.").format(
                    name=repr(v.name))
                raise RoutingError(msg)
        for s in self.stops:
            if not 0 <= s.place < n:
                msg = _("Stop {name} refers to place {place}, outside the matrix.").format(
                    name=repr(s.name), place=s.place)
                raise RoutingError(msg)
            if max(s.days) >= self.n_days:
                msg = _("Stop {name} has a pattern beyond day {last_day}.").format(
                    name=repr(s.name), last_day=self.n_days - 1)
                raise RoutingError(msg)
            if any(len(v) != self.n_dims for pk in s.pickups for v in pk):
                msg = _("Stop {name}: pickups must have {n_dims} load dimensions.").format(
                    name=repr(s.name), n_dims=self.n_dims)
                raise RoutingError(msg)
        if not self.day_labels:
            object.__setattr__(self, "day_labels", tuple(f"day {d + 1}"
                                                         for d in range(self.n_days)))
        if not self.place_names:
            object.__setattr__(self, "place_names", tuple(f"place {i}" for i in range(n)))

    @property
    def n_places(self) -> int:
        """Rows of the matrices."""
        return int(np.asarray(self.distance).shape[0])

    def vehicles_on(self, day: int) -> list[int]:
        """Indices of the vehicle classes that work on ``day``."""
        return [k for k, v in enumerate(self.vehicles) if v.works_on(day)]
