"""The result of planning: routes per day and vehicle, their visits, and the stops skipped.

Times of a :class:`Visit` are seconds after midnight of the route's day; loads are in the
fleet's integer unit (kg or litres); distances in metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from geo.i18n import _

if TYPE_CHECKING:
    from geo.routing.problem import RoutingInstance

__all__ = ["PlannedRoute", "RoutingPlan", "SkippedStop", "Visit"]

VisitKind = Literal["start", "stop", "reload", "end"]


@dataclass(frozen=True)
class Visit:
    """One activity of a route.

    Attributes
    ----------
    kind : {"start", "stop", "reload", "end"}
        Leaving the depot, collecting at a producer, unloading at the depot between trips,
        or the final return.
    producer : int
        Index into ``instance.producers``; -1 at the depot.
    trip : int
        Trip number within the route (0 for the first trip).
    arrival_s, start_s, departure_s : int
        Arrival, start of service (after any wait for opening hours), and departure.
    load_after : int
        Load on board when leaving (0 after unloading at the depot).
    unloaded : int
        Load emptied at a depot visit (0 elsewhere).
    leg_distance_m, leg_duration_s : int
        Travel from the previous visit (0 for the start).
    """

    kind: VisitKind
    producer: int
    trip: int
    arrival_s: int
    start_s: int
    departure_s: int
    load_after: int
    unloaded: int
    leg_distance_m: int
    leg_duration_s: int

    @property
    def location(self) -> int:
        """Matrix location: 0 for the depot, ``producer + 1`` for a stop."""
        return self.producer + 1


@dataclass(frozen=True)
class PlannedRoute:
    """One vehicle's work on one day: one or more trips from and back to the depot."""

    day: str
    vehicle: int
    visits: tuple[Visit, ...]
    distance_m: int
    duration_s: int
    trips: int

    @property
    def label(self) -> str:
        """``Mon · vehicle 1`` — how the route is named on the map and run sheet."""
        from geo.routing.text import weekday_label

        # Translators: the name of a route: weekday, then the vehicle's number ("Mon · vehicle 1").
        return _("{day} · vehicle {vehicle}").format(day=weekday_label(self.day),
                                                     vehicle=self.vehicle)

    @property
    def stops(self) -> list[int]:
        """Producers served, in order."""
        return [v.producer for v in self.visits if v.kind == "stop"]

    @property
    def collected(self) -> int:
        """Total pickup over all trips (kg or litres)."""
        return sum(v.unloaded for v in self.visits)


@dataclass(frozen=True)
class SkippedStop:
    """A producer the plan does not serve, and why."""

    producer: int
    stop_id: str
    name: str
    reason: str
    optional: bool


@dataclass(frozen=True)
class RoutingPlan:
    """Routes for every planned day, the skipped stops, and how the solver got there.

    Attributes
    ----------
    instance : RoutingInstance
        What was solved (matrices, producers, fleet).
    routes : tuple of PlannedRoute
        Non-empty routes, by day then vehicle.
    skipped : tuple of SkippedStop
        Producers not served (optional ones not worth the detour, or ones that did not fit).
    cost : float
        Operating cost of the routes (currency; distance and time costs of the fleet).
    feasible : bool
        Whether every route keeps to capacity, opening hours and shifts.
    relaxed : bool
        True when required stops had to be made skippable to find a feasible plan.
    runtime_s : float
        Wall-clock solving time.
    seed_costs : tuple of float
        Objective of each seed's best solution (``inf`` if infeasible), for transparency.
    """

    instance: RoutingInstance
    routes: tuple[PlannedRoute, ...]
    skipped: tuple[SkippedStop, ...]
    cost: float
    feasible: bool
    relaxed: bool
    runtime_s: float
    seed_costs: tuple[float, ...] = ()

    @property
    def distance_m(self) -> int:
        """Total distance of all routes (m)."""
        return sum(r.distance_m for r in self.routes)

    @property
    def duration_s(self) -> int:
        """Total duration of all routes (s), waiting included."""
        return sum(r.duration_s for r in self.routes)

    @property
    def trips(self) -> int:
        """Number of trips (a vehicle leaving the depot and coming back)."""
        return sum(r.trips for r in self.routes)

    @property
    def served(self) -> list[int]:
        """Producers served, in route order."""
        return [i for r in self.routes for i in r.stops]

    def day_of(self) -> dict[int, str]:
        """The day each served producer is collected."""
        return {i: r.day for r in self.routes for i in r.stops}
