"""Choose one visit pattern per stop and route every day: PyVRP inside a search over patterns.

The periodic problem splits into two decisions of very different kinds:

- **routing, for given patterns**: with every multi-visit stop tied to its days, the horizon
  is one PyVRP problem (:mod:`~geo.routing.periodic.encode`); single-visit stops move between
  days freely inside it. PyVRP's iterated local search solves this part well.
- **patterns of multi-visit stops** cannot be expressed to PyVRP (visits on several days
  that must move together). They are searched here, around PyVRP:

  1. *routing phase* — PyVRP's ``solve`` for a short time, warm-started from the current
     routes;
  2. *pattern descent* — for each stop with a choice, every other pattern is tried: its
     visits are taken out of the routes, the clients are re-tied to the new days, and
     PyVRP's local search (no perturbation) re-inserts them and repairs the neighbourhood;
     a change is kept when the penalised cost falls;
  3. *kick* — when a descent keeps nothing, the patterns of a few neighbouring stops are
     changed at random and the cycle repeats; the result is kept only if it beats the best
     plan, otherwise the search returns to the best (an iterated local search over patterns).

The local search in step 2 uses neighbourhoods computed once without time windows
(geographic), so they stay valid whatever days the visits move to. The search is
deterministic for a seed up to the wall-clock limit. It imports only NumPy and PyVRP (and the
instance and encoder modules), so a worker process starts quickly
(:mod:`~geo.routing.periodic.worker`).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
from pyvrp import (
    CostEvaluator,
    IteratedLocalSearch,
    PenaltyManager,
    PenaltyParams,
    RandomNumberGenerator,
    Solution,
    solve,
)
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)
from pyvrp.stop import MaxRuntime

from geo.routing.periodic.encode import Encoder, RouteLists

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pyvrp import Activity, ProblemData

    from geo.routing.periodic.instance import PeriodicInstance

__all__ = ["SearchOutcome", "SearchSettings", "search_patterns"]

_EVAL_PENALTY: Final = 100_000.0
"""Penalty per unit of overload and of time warp when a pattern change is evaluated: PyVRP's
largest, so a change is kept only if its routes can be repaired."""


@dataclass(frozen=True)
class SearchSettings:
    """Knobs of the pattern search (plain values: they travel to worker processes).

    Attributes
    ----------
    first_phase : float
        Share of the time limit for the first routing phase.
    phase_s : float
        Length of each later routing phase (seconds), capped at ``phase_share`` of the limit.
    phase_share : float
        Upper bound of a later routing phase as a share of the time limit.
    kick_size : int
        Most stops whose patterns a kick changes together (a stop and its nearest).
    neighbours : int
        Size of the granular neighbourhoods (clients considered next to each client).
    balance_per_time : float
        Cost units per time unit by which a day's vehicle time differs from the mean day,
        summed over days (0: cost only). Pattern changes and the best plan weigh it.
    """

    first_phase: float = 0.12
    phase_s: float = 1.0
    phase_share: float = 0.03
    kick_size: int = 6
    neighbours: int = 60
    balance_per_time: float = 0.0


@dataclass(frozen=True)
class SearchOutcome:
    """The best plan a search found.

    Attributes
    ----------
    choice : tuple of int
        Pattern index per stop (for single-visit stops: the pattern of the day used).
    routes : list of (int, list of int)
        Routes as (vehicle type, clients in order), portable to any data of the encoder.
    cost : float
        PyVRP's objective of the plan (integer cost units; ``inf`` if none is feasible).
    feasible : bool
        Whether the plan keeps every capacity, window and shift.
    complete : bool
        Whether every required visit is in it (relaxed plans may leave some out).
    iterations : int
        Routing phases plus pattern evaluations done.
    """

    choice: tuple[int, ...]
    routes: RouteLists
    cost: float
    feasible: bool
    complete: bool
    iterations: int


class _Search:
    def __init__(self, enc: Encoder, *, seed: int, deadline: float, settings: SearchSettings,
                 choice: Sequence[int] | None, routes: RouteLists | None,
                 report: Callable[[float, bool], None] | None) -> None:
        self.enc, self.seed, self.deadline, self.cfg = enc, seed, deadline, settings
        self.report = report
        self.start = time.time()
        self.limit = max(1e-3, deadline - self.start)
        inst = enc.instance
        self.rng = np.random.default_rng(seed)
        self.prng = RandomNumberGenerator(seed=seed)
        self.choosing = [s for s, st in enumerate(inst.stops) if st.has_choice]
        if choice is None:
            # Even seeds start from random patterns, odd seeds from patterns that spread the
            # load over the days: two seeds side by side start far apart.
            self.choice = (self._balanced_choice() if seed % 2 else
                           [int(self.rng.integers(len(st.patterns))) if st.has_choice else 0
                            for st in inst.stops])
        else:
            self.choice = [int(c) for c in choice]
        self.warm = routes
        self.evaluator = CostEvaluator([_EVAL_PENALTY] * inst.n_dims, _EVAL_PENALTY, 0.0)
        self.iterations = 0
        self._neighbours: dict[Activity, list[Activity]] | None = None
        self.near = self._near_choosers()

    # -- helpers -------------------------------------------------------------------------

    def _balanced_choice(self) -> list[int]:
        """Initial patterns that spread load and visits evenly over the days.

        Stops with a choice are placed largest first (random ties) on the pattern whose
        busiest day stays least full, counting each day's load per compartment kind against
        the capacity working that day, plus the visits against the day's vehicles.
        """
        inst = self.enc.instance
        n, dims = inst.n_days, inst.n_dims
        cap = np.full((n, dims + 1), 1e-9)
        for d in range(n):
            for k in inst.vehicles_on(d):
                v = inst.vehicles[k]
                cap[d, :dims] += np.array(v.capacity, float) * v.count
                cap[d, dims] += v.count
        load = np.zeros((n, dims + 1))
        choice = [0] * len(inst.stops)
        for st in inst.stops:
            if st.has_choice:
                continue
            for p, pattern in enumerate(st.patterns):
                share = 1.0 / len(st.patterns)
                for k, d in enumerate(pattern):
                    load[d, :dims] += share * np.array(st.pickups[p][k], float)
                    load[d, dims] += share
        total = np.array([sum(max(v) for v in inst.stops[s].pickups[0]) for s in self.choosing])
        order = sorted(range(len(self.choosing)),
                       key=lambda a: (-total[a], float(self.rng.random())))
        for a in order:
            s = self.choosing[a]
            st = inst.stops[s]
            best = (np.inf, 0)
            for p in self.rng.permutation(len(st.patterns)):
                pattern = st.patterns[int(p)]
                add = np.zeros((n, dims + 1))
                for k, d in enumerate(pattern):
                    add[d, :dims] = st.pickups[int(p)][k]
                    add[d, dims] = 1.0
                fill = ((load + add) / cap)[list(pattern)].max()
                if fill < best[0]:
                    best = (fill, int(p))
            choice[s] = best[1]
            for k, d in enumerate(st.patterns[best[1]]):
                load[d, :dims] += st.pickups[best[1]][k]
                load[d, dims] += 1.0
        return choice

    def _left(self) -> float:
        return self.deadline - time.time()

    def _near_choosers(self) -> dict[int, list[int]]:
        """For each stop with a choice, the nearest stops with the same patterns."""
        inst = self.enc.instance
        if not self.choosing:
            return {}
        places = np.array([inst.stops[s].place for s in self.choosing])
        d = np.asarray(inst.distance)[np.ix_(places, places)]
        d = d + d.T
        out: dict[int, list[int]] = {}
        for a, s in enumerate(self.choosing):
            pats = inst.stops[s].patterns
            order = np.argsort(d[a], kind="stable")
            out[s] = [self.choosing[b] for b in order
                      if b != a and inst.stops[self.choosing[b]].patterns == pats][:8]
        return out

    def _neighbours_of(self, data: ProblemData) -> dict[Activity, list[Activity]]:
        """PyVRP's granular neighbourhoods, kept to clients that one vehicle class can carry.

        A stop that only some classes carry (waste oil on the oil truck) is otherwise
        surrounded by neighbours no vehicle of its class visits, and never moves to its class.
        """
        k = max(1, min(self.cfg.neighbours, self.enc.n_clients - 1))
        if self.enc.all_carry:
            return compute_neighbours(data, NeighbourhoodParams(num_neighbours=k))
        wide = max(1, min(4 * k, self.enc.n_clients - 1))
        full = compute_neighbours(data, NeighbourhoodParams(num_neighbours=wide))
        carriers = self.enc.client_carriers
        out: dict[Activity, list[Activity]] = {}
        for act, near in full.items():
            own = carriers[act.idx]
            out[act] = [b for b in near if b.is_client() and carriers[b.idx] & own][:k]
        return out

    def _local_search(self, data: ProblemData) -> LocalSearch:
        if self._neighbours is None:
            self._neighbours = self._neighbours_of(self.enc.geographic_data())
        ls = LocalSearch(data, self.prng, self._neighbours,
                         PerturbationManager(PerturbationParams(0, 0)))
        for op in OPERATORS:
            if op.supports(data):
                ls.add_operator(op(data))
        return ls

    def _route(self, data: ProblemData, seconds: float, initial: Solution | None) -> Solution:
        """PyVRP's iterated local search (as ``pyvrp.solve``) with our neighbourhoods."""
        seconds = max(0.01, min(seconds, self._left()))
        if self.enc.all_carry:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PenaltyBoundWarning)
                res = solve(data, MaxRuntime(seconds), seed=int(self.rng.integers(1 << 30)),
                            collect_stats=False, display=False, initial_solution=initial)
            self.iterations += 1
            return res.best
        rng = RandomNumberGenerator(seed=int(self.rng.integers(1 << 30)))
        ls = LocalSearch(data, rng, self._neighbours_of(data), PerturbationManager())
        for op in OPERATORS:
            if op.supports(data):
                ls.add_operator(op(data))
        params = PenaltyParams()
        pm = PenaltyManager(params.midpoint_penalties(data), params)
        if initial is None:
            initial = ls(Solution.make_random(data, rng), pm.max_cost_evaluator(),
                         exhaustive=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            res = IteratedLocalSearch(data, pm, ls, initial).run(MaxRuntime(seconds),
                                                                 collect_stats=False)
        self.iterations += 1
        return res.best

    def _imbalance(self, sol: Solution) -> float:
        """Balance term: weight × total deviation of each day's vehicle time from the mean."""
        if self.cfg.balance_per_time <= 0:
            return 0.0
        work = np.zeros(self.enc.instance.n_days)
        for r in sol.routes():
            work[self.enc.type_day[r.vehicle_type()]] += r.duration()
        return self.cfg.balance_per_time * float(np.abs(work - work.mean()).sum())

    def _objective(self, sol: Solution) -> float:
        """Cost plus the balance term; ``inf`` for an infeasible plan."""
        if not sol.is_feasible():
            return math.inf
        return float(self.evaluator.cost(sol)) + self._imbalance(sol)

    def _penalised(self, sol: Solution) -> float:
        return float(self.evaluator.penalised_cost(sol)) + self._imbalance(sol)

    def _phase_s(self) -> float:
        return min(self.cfg.phase_s, self.cfg.phase_share * self.limit)

    def _try_pattern(self, sol: Solution, stops: Sequence[int], new: Sequence[int],
                     choice: list[int]) -> tuple[Solution, list[int], ProblemData] | None:
        """Move ``stops`` to patterns ``new``; the repaired solution if it is cheaper."""
        moved = {c for s in stops for c in self.enc.slots[s]}
        routes = [(vt, [c for c in seq if c not in moved])
                  for vt, seq in self.enc.route_lists(sol)]
        trial = list(choice)
        for s, p in zip(stops, new, strict=True):
            trial[s] = p
        data = self.enc.data(trial)
        start = self.enc.solution(data, routes)
        cand = self._local_search(data)(start, self.evaluator, exhaustive=False)
        self.iterations += 1
        if self._penalised(cand) < self._penalised(sol):
            return cand, trial, data
        return None

    def _descent(self, sol: Solution, choice: list[int], data: ProblemData,
                 tabu: frozenset[int] = frozenset()
                 ) -> tuple[Solution, list[int], ProblemData, int]:
        """Try every other pattern of every stop with a choice (``tabu`` ones excepted)."""
        inst = self.enc.instance
        kept = 0
        for pick in self.rng.permutation(self.choosing):
            if self._left() <= 0:
                break
            s = int(pick)
            if s in tabu:
                continue
            options = [p for p in range(len(inst.stops[s].patterns)) if p != choice[s]]
            for p in self.rng.permutation(options):
                out = self._try_pattern(sol, [s], [int(p)], choice)
                if out is not None:
                    sol, choice, data = out
                    kept += 1
                    break
        return sol, choice, data, kept

    def _route_kick(self, sol: Solution, choice: list[int]) -> tuple[list[int], list[int]]:
        """Move every multi-visit stop of one route to another day together.

        Stops that share a route are neighbours with patterns that fit each other; one of
        them alone rarely gains by changing day, all of them together often do.
        """
        inst, enc = self.enc.instance, self.enc
        routes = [(vt, sorted({enc.client_stop[c] for c in seq
                               if inst.stops[enc.client_stop[c]].has_choice}))
                  for vt, seq in enc.route_lists(sol)]
        routes = [(vt, group) for vt, group in routes if group]
        if not routes:
            return self._kick(choice)
        vt, group = routes[int(self.rng.integers(len(routes)))]
        day = enc.type_day[vt]
        others = sorted({d for g in group for d in inst.stops[g].days} - {day})
        if not others:
            return self._kick(choice)
        target = others[int(self.rng.integers(len(others)))]
        new = []
        for g in group:
            pats = inst.stops[g].patterns
            cur = set(pats[choice[g]])
            ranked = sorted((j for j in range(len(pats)) if j != choice[g]),
                            key=lambda j: (target not in pats[j], day in pats[j],
                                           len(cur ^ set(pats[j])), float(self.rng.random())))
            new.append(ranked[0])
        return group, new

    def _kick(self, choice: list[int]) -> tuple[list[int], list[int]]:
        inst = self.enc.instance
        s = self.choosing[int(self.rng.integers(len(self.choosing)))]
        size = int(self.rng.integers(1, self.cfg.kick_size + 1))
        group = [s, *self.near[s][: size - 1]]
        new = []
        for g in group:
            n = len(inst.stops[g].patterns)
            p = int(self.rng.integers(n - 1))
            new.append(p if p < choice[g] else p + 1)
        return group, new

    # -- the search ----------------------------------------------------------------------

    def run(self) -> SearchOutcome:
        enc = self.enc
        choice = list(self.choice)
        data = enc.data(choice)
        initial = None
        if self.warm is not None:
            initial = self._local_search(data)(enc.solution(data, self.warm), self.evaluator,
                                               exhaustive=True)
        sol = self._route(data, self.cfg.first_phase * self.limit, initial)
        best = (self._objective(sol), sol, list(choice))
        self._progress(best[0])
        tabu: frozenset[int] = frozenset()
        while self.choosing and self._left() > 0:
            sol, choice, data, kept = self._descent(sol, choice, data, tabu)
            tabu = frozenset()
            sol = self._route(data, self._phase_s(), sol)
            if self._objective(sol) < best[0] or (not math.isfinite(best[0])
                                                 and sol.is_feasible()):
                best = (self._objective(sol), sol, list(choice))
                self._progress(best[0])
            elif kept == 0 and math.isfinite(best[0]):
                # Nothing left to gain here: return to the best plan and kick it.
                sol, choice = best[1], list(best[2])
                group, new = (self._route_kick(sol, choice) if self.rng.random() < 0.5
                              else self._kick(choice))
                moved = self._try_pattern_forced(sol, group, new, choice)
                sol, choice, data = moved
                tabu = frozenset(group)  # the next descent may not simply undo the kick
        if not self.choosing and self._left() > 0:
            sol = self._route(data, self._left(), sol)
            if self._objective(sol) <= best[0] or not math.isfinite(best[0]):
                best = (self._objective(sol), sol, list(choice))
        return self._outcome(best[1], best[2])

    def _try_pattern_forced(self, sol: Solution, stops: Sequence[int], new: Sequence[int],
                            choice: list[int]) -> tuple[Solution, list[int], ProblemData]:
        moved = {c for s in stops for c in self.enc.slots[s]}
        routes = [(vt, [c for c in seq if c not in moved])
                  for vt, seq in self.enc.route_lists(sol)]
        trial = list(choice)
        for s, p in zip(stops, new, strict=True):
            trial[s] = p
        data = self.enc.data(trial)
        cand = self._local_search(data)(self.enc.solution(data, routes), self.evaluator,
                                        exhaustive=False)
        self.iterations += 1
        return cand, trial, data

    def _progress(self, cost: float) -> None:
        if self.report is not None:
            self.report(cost, math.isfinite(cost))

    def _outcome(self, sol: Solution, choice: list[int]) -> SearchOutcome:
        enc, inst = self.enc, self.enc.instance
        routes = enc.route_lists(sol)
        final = list(choice)
        for s, days in enc.stop_days(routes).items():
            stop = inst.stops[s]
            if not stop.has_choice:
                pattern = tuple(sorted(days))
                if pattern in stop.patterns:
                    final[s] = stop.patterns.index(pattern)
        return SearchOutcome(choice=tuple(final), routes=routes, cost=self._objective(sol),
                             feasible=bool(sol.is_feasible()),
                             complete=bool(sol.is_complete()), iterations=self.iterations)


def search_patterns(
    instance: PeriodicInstance,
    *,
    seed: int,
    deadline: float,
    settings: SearchSettings | None = None,
    relaxed: bool = False,
    choice: Sequence[int] | None = None,
    routes: RouteLists | None = None,
    report: Callable[[float, bool], None] | None = None,
) -> SearchOutcome:
    """Best patterns and routes found before the wall-clock ``deadline`` (``time.time()``).

    Parameters
    ----------
    instance : PeriodicInstance
    seed : int
        Random seed (initial patterns, kicks, PyVRP).
    deadline : float
        Wall-clock time to stop at.
    settings : SearchSettings, optional
    relaxed : bool
        Every visit optional at a large prize (serve what fits).
    choice, routes : optional
        A warm start: pattern per stop and routes of a previous plan of the same instance.
    report : callable, optional
        Called with (best cost, feasible) whenever the best plan improves.
    """
    enc = Encoder(instance, relaxed=relaxed)
    return _Search(enc, seed=seed, deadline=deadline, settings=settings or SearchSettings(),
                   choice=choice, routes=routes, report=report).run()
