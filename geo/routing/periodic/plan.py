"""A periodic plan in the planner's terms: named routes per working day, visits, producers left out.

:func:`plan_from_solution` turns the solver's :class:`~geo.routing.periodic.solution.
PeriodicSolution` into :class:`PeriodicRoute` objects whose visits are physical places: a
virtual unloading place becomes one ``unload`` visit per reprocessor (with the streams it
takes) followed by the return to the depot, with clock times walked along the real legs.
Times are seconds after midnight of the route's day, loads integer kg (or litres) per
compartment kind, distances metres; the cost is in the fleet's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from geo.i18n import _
from geo.routing.periodic.horizon import pickups_per_visit

if TYPE_CHECKING:
    from geo.routing.periodic.build import PeriodicProblem
    from geo.routing.periodic.encode import DecodedRoute
    from geo.routing.periodic.solution import PeriodicSolution

__all__ = ["PeriodicPlan", "PeriodicRoute", "PeriodicVisit", "UnservedProducer",
           "plan_from_solution", "stream_pickups"]

VisitKind = Literal["start", "stop", "unload", "reload", "end"]


@dataclass(frozen=True)
class PeriodicVisit:
    """One activity of a route.

    Attributes
    ----------
    kind : {"start", "stop", "unload", "reload", "end"}
        Leaving the depot, collecting at a producer, unloading at a reprocessor, emptying
        at the depot between trips, or the return to the depot.
    place : int
        Physical place (row of ``problem.matrix``).
    stop : int
        Stop index (-1 elsewhere).
    visit : int
        Visit number within the stop's pattern (-1 elsewhere).
    streams : tuple of str
        Streams collected (``stop``) or unloaded (``unload``, ``reload``, ``end``).
    trip : int
        Trip number within the route (0 for the first).
    arrival_s, start_s, departure_s : int
        Clock times (seconds after midnight of the route's day).
    load_after : tuple of int
        Load per compartment kind when leaving (kg or litres).
    leg_distance_m, leg_duration_s : int
        Travel from the previous activity.
    """

    kind: VisitKind
    place: int
    stop: int
    visit: int
    streams: tuple[str, ...]
    trip: int
    arrival_s: int
    start_s: int
    departure_s: int
    load_after: tuple[int, ...]
    leg_distance_m: int
    leg_duration_s: int


@dataclass(frozen=True)
class PeriodicRoute:
    """One vehicle's work on one working day."""

    day: int
    day_label: str
    vehicle_class: int
    class_name: str
    vehicle: int
    visits: tuple[PeriodicVisit, ...]
    distance_m: int
    duration_s: int
    cost: float
    trips: int = 1

    @property
    def label(self) -> str:
        """``W1 Mon · truck 1`` — how the route is named on maps and run sheets."""
        return f"{self.day_label} · {self.class_name} {self.vehicle}"

    @property
    def stops(self) -> list[int]:
        """Stops collected, in order."""
        return [v.stop for v in self.visits if v.kind == "stop"]


@dataclass(frozen=True)
class UnservedProducer:
    """A producer the plan does not collect, and why."""

    producer: int
    stop_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class PeriodicPlan:
    """Routes for every working day of the horizon and the producers left out.

    Attributes
    ----------
    problem : PeriodicProblem
    solution : PeriodicSolution
    routes : tuple of PeriodicRoute
        By day, then vehicle class and number.
    unserved : tuple of UnservedProducer
        Producers not collected on every day of a pattern (reasons in words).
    cost : float
        Operating cost of the routes over the horizon (currency).
    """

    problem: PeriodicProblem
    solution: PeriodicSolution
    routes: tuple[PeriodicRoute, ...]
    unserved: tuple[UnservedProducer, ...]
    cost: float

    @property
    def feasible(self) -> bool:
        """Whether every route keeps capacities, hours and shifts."""
        return self.solution.feasible

    @property
    def relaxed(self) -> bool:
        """True when visits had to be made optional to find a plan."""
        return self.solution.relaxed

    @property
    def runtime_s(self) -> float:
        """Wall-clock solving time."""
        return self.solution.runtime_s

    @property
    def distance_m(self) -> int:
        """All routes' distance over the horizon (m)."""
        return sum(r.distance_m for r in self.routes)

    @property
    def duration_s(self) -> int:
        """All routes' duration over the horizon (s), waiting included."""
        return sum(r.duration_s for r in self.routes)

    @property
    def served_producers(self) -> list[int]:
        """Producers collected on their whole pattern (indices into ``problem.producers``)."""
        gone = {u.producer for u in self.unserved}
        return [i for i in range(len(self.problem.producers)) if i not in gone]

    def days_of(self, producer: int) -> list[int]:
        """Working days on which a producer is visited (any of its stops)."""
        prob = self.problem
        return sorted({d for s, i in enumerate(prob.stop_producer) if i == producer
                       and s not in self.solution.unserved
                       for d in self.solution.pattern_of(s)})


def stream_pickups(plan: PeriodicPlan, stop: int, visit: int) -> dict[str, float]:
    """What a visit collects per stream (fleet unit), from the gap since the previous one."""
    problem = plan.problem
    days = plan.solution.pattern_of(stop)
    p = problem.producers[problem.stop_producer[stop]]
    return {s: pickups_per_visit(days, problem.horizon, p.quantity_of(s))[visit]
            for s in problem.stop_streams[stop]}


def _expand(problem: PeriodicProblem, route: DecodedRoute, solution: PeriodicSolution
            ) -> tuple[list[PeriodicVisit], int]:
    """Walk a decoded route along physical places, expanding virtual unloading places."""
    m, inst = problem.matrix, problem.instance
    n_phys = len(m.places)
    fleet = problem.fleet
    kinds = len(fleet.kinds)
    visits: list[PeriodicVisit] = []
    load = [0] * kinds
    carried: set[str] = set()
    trip = 0
    prev, prev_dep = route.places[0], route.end_times[0]
    last = len(route.places) - 1
    for k, (place, stop) in enumerate(zip(route.places, route.stops, strict=True)):
        if k == 0:
            visits.append(PeriodicVisit("start", place, -1, -1, (), 0, route.start_times[0],
                                        route.start_times[0], route.end_times[0],
                                        tuple(load), 0, 0))
            continue
        if stop >= 0:
            pick = inst.stops[stop].pickups[solution.choice[stop]][route.visits[k]]
            load = [a + b for a, b in zip(load, pick, strict=True)]
            streams = problem.stop_streams[stop]
            carried |= set(streams)
            arrival = prev_dep + int(m.duration_s[prev, place])
            visits.append(PeriodicVisit("stop", place, stop, route.visits[k], streams, trip,
                                        arrival, route.start_times[k], route.end_times[k],
                                        tuple(load), int(m.distance_m[prev, place]),
                                        int(m.duration_s[prev, place])))
            prev, prev_dep = place, route.end_times[k]
            continue
        kind: VisitKind = "end" if k == last else "reload"
        chain = problem.places[place].via if place >= n_phys else (place,)
        t = prev_dep
        for j, p in enumerate(chain):
            leg_d, leg_t = int(m.distance_m[prev, p]), int(m.duration_s[prev, p])
            t += leg_t
            is_proc = m.places[p].kind == "reprocessor" and place >= n_phys
            if is_proc:
                taken = tuple(sorted(s for s in carried
                                     if (r := fleet.stream(s).reprocessor) is not None
                                     and m.places[p].name == r.name))
                dims = {fleet.kind_of(s) for s in taken}
                load = [0 if d in dims else x for d, x in enumerate(load)]
                carried -= set(taken)
                visits.append(PeriodicVisit("unload", p, -1, -1, taken, trip, t, t,
                                            t + fleet.unload_s, tuple(load), leg_d, leg_t))
                t += fleet.unload_s
            else:
                final = j == len(chain) - 1
                what: VisitKind = kind if final else "end"
                streams = tuple(sorted(carried))
                load = [0] * kinds
                carried = set()
                dep = route.end_times[k] if final and what == "reload" else t
                visits.append(PeriodicVisit(what, p, -1, -1, streams, trip, t, t, dep,
                                            tuple(load), leg_d, leg_t))
            prev = p
        if kind == "reload":
            trip += 1
            prev_dep = route.end_times[k]
        else:
            prev_dep = t
    return visits, trip + 1


def plan_from_solution(problem: PeriodicProblem, solution: PeriodicSolution,
                       reasons: dict[int, str] | None = None) -> PeriodicPlan:
    """The named plan of a solution; ``reasons`` says why unserved stops were left out."""
    inst = problem.instance
    counter: dict[tuple[int, int], int] = {}
    routes = []
    for r in solution.routes:
        key = (r.day, r.vehicle_class)
        counter[key] = counter.get(key, 0) + 1
        spec = inst.vehicles[r.vehicle_class]
        visits, trips = _expand(problem, r, solution)
        dist = sum(v.leg_distance_m for v in visits)
        cost = (spec.unit_distance_cost * r.distance + spec.unit_duration_cost * r.duration
                + spec.fixed_cost) / problem.cost_scale
        routes.append(PeriodicRoute(day=r.day, day_label=inst.day_labels[r.day],
                                    vehicle_class=r.vehicle_class, class_name=spec.name,
                                    vehicle=counter[key], visits=tuple(visits), distance_m=dist,
                                    duration_s=r.duration, cost=float(cost), trips=trips))
    reasons = reasons or {}
    unserved = []
    seen: set[int] = set()
    for s in solution.unserved:
        i = problem.stop_producer[s]
        if i in seen:
            continue
        seen.add(i)
        p = problem.producers[i]
        unserved.append(UnservedProducer(i, p.stop_id, p.name,
                                         reasons.get(s) or _("could not be fitted into the plan")))
    return PeriodicPlan(problem=problem, solution=solution, routes=tuple(routes),
                        unserved=tuple(unserved), cost=sum(r.cost for r in routes))
