"""A periodic instance and a choice of patterns → PyVRP ``ProblemData``, and back.

How the horizon becomes one PyVRP problem:

- **days are time windows**: day ``d`` occupies ``[d · stride, d · stride + day_length]`` on
  one long clock, and each vehicle class gets one vehicle type per working day with that
  day's shift; a client tied to day ``d`` has its opening hours shifted into that window, so
  a vehicle of another day cannot serve it without a huge time warp;
- **a stop with one visit on any of several days** is one client whose time window spans its
  days, so PyVRP moves it between days with its ordinary moves (when its days are not
  contiguous, or its opening hours are narrower than the shifts, it becomes one client per
  day in a mutually exclusive group instead);
- **a stop with several visits** becomes one client per visit, each tied to the day of the
  chosen pattern; the pattern is chosen outside PyVRP (:mod:`~geo.routing.periodic.search`),
  which only changes those clients' windows and pickups — client indices never change, so a
  solution of one choice is a warm start for another;
- loads are multiplied by ``load_scale`` so that one unit of overload is expensive next to a
  route's cost under PyVRP's bounded penalties; costs are the vehicle classes' own integers.

Relaxed encodings make every client optional at a prize larger than any detour, so a
feasible plan always exists and serves every stop that fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pyvrp import (
    Client,
    ClientGroup,
    Depot,
    Location,
    ProblemData,
    Route,
    Solution,
    VehicleType,
)
from pyvrp.constants import MAX_VALUE

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.routing.periodic.instance import PeriodicInstance, StopSpec

__all__ = ["DecodedRoute", "Encoder", "RouteLists"]

_PENALTY_REACH: Final = 10_000.0
"""PyVRP bounds a penalty at 100,000 per unit: loads are scaled so that the smallest pickup,
fully over capacity, can cost ``100,000 / _PENALTY_REACH`` typical round trips or more."""

RouteLists = list[tuple[int, list[int]]]
"""Routes as (vehicle type, client indices in driving order): portable between choices."""


@dataclass(frozen=True)
class DecodedRoute:
    """One route of a PyVRP solution in the instance's terms.

    Attributes
    ----------
    day, vehicle_class : int
        Working day and vehicle class (index into ``instance.vehicles``).
    places : tuple of int
        Every place in driving order, start and end included (reload places in between).
    stops : tuple of int
        Per entry of ``places``: the stop index, or -1 at a depot or unloading place.
    visits : tuple of int
        Per entry of ``places``: the visit number within the stop's pattern (-1 elsewhere).
    start_times, end_times : tuple of int
        Start of service and departure per entry, in time units since the start of the day.
    distance, duration : int
        Route distance and duration (time units, waiting included).
    """

    day: int
    vehicle_class: int
    places: tuple[int, ...]
    stops: tuple[int, ...]
    visits: tuple[int, ...]
    start_times: tuple[int, ...]
    end_times: tuple[int, ...]
    distance: int
    duration: int


def _runs(days: Sequence[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive days: ``[0, 1, 3] → [(0, 1), (3, 3)]``."""
    out: list[tuple[int, int]] = []
    for d in sorted(days):
        if out and d == out[-1][1] + 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


class Encoder:
    """Builds PyVRP data for any choice of patterns, with stable client indices.

    Parameters
    ----------
    instance : PeriodicInstance
    relaxed : bool
        Make every visit optional at a large prize (for plans that serve what fits).
    """

    def __init__(self, instance: PeriodicInstance, *, relaxed: bool = False) -> None:
        self.instance = instance
        self.relaxed = relaxed
        inst = instance
        self.stride = 2 * inst.day_length
        self.dist = np.minimum(np.asarray(inst.distance, np.int64), MAX_VALUE)
        self.dur = np.minimum(np.asarray(inst.duration, np.int64), MAX_VALUE)
        self._matrices: tuple[list[Any], list[Any]] = ([self.dist], [self.dur])
        places = sorted({p for v in inst.vehicles for p in (v.start, v.end, *v.reloads)})
        self.depot_places = tuple(places)
        self._depot_of = {p: k for k, p in enumerate(places)}
        xy = (np.zeros((inst.n_places, 2)) if inst.place_xy is None
              else np.asarray(inst.place_xy, float))
        self.locations = [Location(float(x), float(y)) for x, y in xy]
        self.depots = [Depot(p) for p in places]
        self.load_scale = self._load_scale()
        self._prize = self._relaxed_prize() if relaxed else 0
        # Vehicle types: one per (day, class working that day).
        self.vehicle_types: list[VehicleType] = []
        self.type_day: list[int] = []
        self.type_class: list[int] = []
        shift_lo = min(v.shift_start for v in inst.vehicles)
        shift_hi = max(v.shift_end for v in inst.vehicles)
        for d in range(inst.n_days):
            for k in inst.vehicles_on(d):
                v = inst.vehicles[k]
                off = d * self.stride
                self.vehicle_types.append(VehicleType(
                    num_available=v.count, capacity=[c * self.load_scale for c in v.capacity],
                    start_depot=self._depot_of[v.start], end_depot=self._depot_of[v.end],
                    fixed_cost=v.fixed_cost, tw_early=off + v.shift_start,
                    tw_late=off + min(v.shift_end, inst.day_length),
                    shift_duration=(v.max_duration if v.max_duration is not None
                                    else min(v.shift_end, inst.day_length) - v.shift_start),
                    unit_distance_cost=v.unit_distance_cost,
                    unit_duration_cost=v.unit_duration_cost,
                    reload_depots=[self._depot_of[p] for p in v.reloads],
                    max_reloads=(v.max_reloads if v.reloads and v.max_reloads is not None
                                 else (1 << 62)),
                    name=f"{inst.day_labels[d]} · {v.name}"[:64]))
                self.type_day.append(d)
                self.type_class.append(k)
        # Client layout.
        self.client_stop: list[int] = []
        self.client_visit: list[int] = []
        self.client_day: list[int] = []  # fixed day of a group member, else -1
        self.slots: list[list[int]] = []
        self.mode: list[str] = []
        self.group_members: list[list[int]] = []
        self.group_of_stop: dict[int, int] = {}
        self._fixed: dict[int, Client] = {}
        self._cache: dict[tuple[int, int, int], Client] = {}
        for s, stop in enumerate(inst.stops):
            mode = self._mode(stop, shift_lo, shift_hi)
            self.mode.append(mode)
            first = len(self.client_stop)
            if mode == "copies":
                n = stop.frequency
                self.client_day += [-1] * n
                self.client_visit += list(range(n))
            elif mode == "free":
                n = 1
                self.client_day.append(-1)
                self.client_visit.append(0)
                self._fixed[first] = self._free_client(stop, s)
            else:  # one client per day, mutually exclusive
                days = [p[0] for p in stop.patterns]
                n = len(days)
                self.client_day += days
                self.client_visit += [0] * n
                self.group_of_stop[s] = len(self.group_members)
                self.group_members.append(list(range(first, first + n)))
                for j, day in enumerate(days):
                    self._fixed[first + j] = self._client(stop, s, day, stop.pickups[j][0],
                                                          group=self.group_of_stop[s])
            self.client_stop += [s] * n
            self.slots.append(list(range(first, first + n)))
        self.groups = [ClientGroup(m, required=not relaxed) for m in self.group_members]
        self.n_clients = len(self.client_stop)
        carriers = [self._carriers(stop) for stop in inst.stops]
        self.client_carriers = [carriers[s] for s in self.client_stop]
        self.all_carry = all(len(c) == len(inst.vehicles) for c in carriers)

    # -- set-up helpers ------------------------------------------------------------------

    def _load_scale(self) -> int:
        inst = self.instance
        starts = sorted({v.start for v in inst.vehicles})
        cost = []
        for s in inst.stops:
            trip = min(int(self.dist[a, s.place] + self.dist[s.place, a]) for a in starts)
            cost.append(trip * max(v.unit_distance_cost for v in inst.vehicles)
                        + max(v.unit_duration_cost for v in inst.vehicles)
                        * min(int(self.dur[a, s.place] + self.dur[s.place, a]) for a in starts))
        pickups = [x for s in inst.stops for pk in s.pickups for v in pk for x in v if x > 0]
        if not cost or not pickups:
            return 1
        scale = float(np.median(cost)) / (_PENALTY_REACH * min(pickups))
        return int(min(max(1, math.ceil(scale)), 1_000_000))

    def _carriers(self, stop: StopSpec) -> frozenset[int]:
        """Vehicle classes with room in every compartment kind the stop fills."""
        used = {d for pk in stop.pickups for v in pk for d, x in enumerate(v) if x > 0}
        return frozenset(k for k, v in enumerate(self.instance.vehicles)
                         if all(v.capacity[d] > 0 for d in used))

    def _relaxed_prize(self) -> int:
        """Larger than twice any round trip plus a whole shift at the dearest rates."""
        inst = self.instance
        d = int(self.dist.max()) if self.dist.size else 0
        t = int(self.dur.max()) if self.dur.size else 0
        unit_d = max(v.unit_distance_cost for v in inst.vehicles)
        unit_t = max(v.unit_duration_cost for v in inst.vehicles)
        longest = max(min(v.shift_end, inst.day_length) - v.shift_start for v in inst.vehicles)
        return int(min(4 * (unit_d * d + unit_t * (t + longest)) + 1, MAX_VALUE))

    def _mode(self, stop: StopSpec, shift_lo: int, shift_hi: int) -> str:
        if not stop.is_free:
            return "copies"
        same_pickup = len({pk[0] for pk in stop.pickups}) == 1
        open_all_shift = stop.tw_start <= shift_lo and stop.tw_end >= shift_hi
        if same_pickup and open_all_shift and len(_runs(stop.days)) == 1:
            return "free"
        return "group"

    def _window(self, stop: StopSpec, first: int, last: int) -> tuple[int, int]:
        late = min(stop.tw_end, self.instance.day_length)
        return first * self.stride + stop.tw_start, last * self.stride + late

    def _client(self, stop: StopSpec, s: int, day: int, pickup: Sequence[int], *,
                group: int | None = None) -> Client:
        early, late = self._window(stop, day, day)
        return Client(stop.place, pickup=[x * self.load_scale for x in pickup],
                      service_duration=stop.service, tw_early=early, tw_late=late,
                      prize=self._prize, required=not self.relaxed and group is None,
                      group=group, name=stop.name[:48])

    def _free_client(self, stop: StopSpec, s: int) -> Client:
        (first, last), = _runs(stop.days)
        early, late = self._window(stop, first, last)
        return Client(stop.place, pickup=[x * self.load_scale for x in stop.pickups[0][0]],
                      service_duration=stop.service, tw_early=early, tw_late=late,
                      prize=self._prize, required=not self.relaxed, name=stop.name[:48])

    def _copy(self, s: int, pattern: int, k: int) -> Client:
        key = (s, pattern, k)
        hit = self._cache.get(key)
        if hit is None:
            stop = self.instance.stops[s]
            hit = self._client(stop, s, stop.patterns[pattern][k], stop.pickups[pattern][k])
            self._cache[key] = hit
        return hit

    # -- public --------------------------------------------------------------------------

    def clients(self, choice: Sequence[int]) -> list[Client]:
        """The clients for ``choice`` (pattern index per stop; ignored for single visits)."""
        out: list[Client] = []
        for c, (s, k) in enumerate(zip(self.client_stop, self.client_visit, strict=True)):
            fixed = self._fixed.get(c)
            out.append(fixed if fixed is not None else self._copy(s, int(choice[s]), k))
        return out

    def data(self, choice: Sequence[int]) -> ProblemData:
        """PyVRP's problem for ``choice`` (same clients, depots and vehicle types every time)."""
        return ProblemData(self.locations, self.clients(choice), self.depots,
                           self.vehicle_types, *self._matrices, self.groups)

    def geographic_data(self) -> ProblemData:
        """The problem without time windows: for neighbourhoods that hold for every choice."""
        plain = [Client(self.instance.stops[s].place, pickup=[0] * self.instance.n_dims)
                 for s in self.client_stop]
        return ProblemData(self.locations, plain, self.depots,
                           [VehicleType(capacity=[0] * self.instance.n_dims)],
                           *self._matrices)

    def route_lists(self, solution: Solution) -> RouteLists:
        """Routes as (vehicle type, clients in order), reloads dropped."""
        return [(r.vehicle_type(), [a.idx for a in r.schedule() if not a.is_depot()])
                for r in solution.routes()]

    def solution(self, data: ProblemData, routes: RouteLists) -> Solution:
        """A solution of ``data`` from route lists (empty routes dropped)."""
        return Solution(data, [Route(data, seq, vt) for vt, seq in routes if seq])

    def day_of_type(self, vehicle_type: int) -> int:
        """The working day of a vehicle type."""
        return self.type_day[vehicle_type]

    def stop_days(self, routes: RouteLists) -> dict[int, list[int]]:
        """Days each stop is visited in ``routes``."""
        out: dict[int, list[int]] = {}
        for vt, seq in routes:
            for c in seq:
                out.setdefault(self.client_stop[c], []).append(self.type_day[vt])
        return out

    def decode(self, solution: Solution) -> list[DecodedRoute]:
        """Every non-empty route with its places, stops, visit numbers and times."""
        out: list[DecodedRoute] = []
        for r in solution.routes():
            vt = r.vehicle_type()
            off = self.type_day[vt] * self.stride
            places, stops, visits, starts, ends = [], [], [], [], []
            for act in r.schedule():
                if act.is_depot():
                    places.append(self.depot_places[act.idx])
                    stops.append(-1)
                    visits.append(-1)
                else:
                    s = self.client_stop[act.idx]
                    places.append(self.instance.stops[s].place)
                    stops.append(s)
                    visits.append(self.client_visit[act.idx])
                starts.append(int(act.start_time) - off)
                ends.append(int(act.end_time) - off)
            out.append(DecodedRoute(day=self.type_day[vt], vehicle_class=self.type_class[vt],
                                    places=tuple(places), stops=tuple(stops),
                                    visits=tuple(visits), start_times=tuple(starts),
                                    end_times=tuple(ends), distance=int(r.distance()),
                                    duration=int(r.duration())))
        return out
