"""A thin wrapper over PyVRP 0.14: instance → model → best of two seeds → plan.

Modelling choices (all standard PyVRP features):

- one vehicle type per planned day, with that day's shift as its time window
  (``DAY_S · weekday + shift``), ``num_available`` vehicles, the fleet's capacity, and the
  depot as reload depot when multi-trip is allowed;
- one client per producer and allowed day, with the opening hours shifted into that day;
  a producer allowed on several days gets a **mutually exclusive client group**, so the
  solver assigns it to exactly one day (or to none, if it is optional);
- optional producers are prize-collecting clients (prize = their value);
- the objective is the fleet's cost per metre and per second, scaled to integers.

If the required stops cannot all be served (too few vehicles or too short shifts), the
model is solved again with every stop skippable at a large prize, so the plan serves as many
as fit and :mod:`~geo.routing.explain` says why the others did not.

Two seeds run side by side on two cores (the second in a fresh worker process) and the better
solution is kept; progress of the first is reported through PyVRP's callbacks. The two are a
small portfolio (:attr:`SolverOptions.searches`): the first searches with PyVRP's defaults, the
second with a smaller neighbourhood and smaller perturbations, which each do better on
different instances; the second also tries one vehicle fewer after 30 % of its time
(:attr:`SolverOptions.fleet_squeeze`), where a search settled on too many routes cannot empty
one by itself.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
from pyvrp import (
    CostEvaluator,
    IteratedLocalSearchCallbacks,
    Model,
    ProblemData,
    Solution,
    solve,
)
from pyvrp.constants import MAX_SIZE, MAX_VALUE
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

from geo.cores import free_cores
from geo.errors import RoutingError
from geo.i18n import _
from geo.routing.explain import skipped_reasons
from geo.routing.plan import PlannedRoute, RoutingPlan, SkippedStop, Visit
from geo.routing.problem import DAY_S, WEEKDAYS
from geo.routing.worker import search_params

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from geo.routing.problem import RoutingInstance

__all__ = ["Encoding", "SolveProgress", "SolverOptions", "encode", "integer_unit_costs",
           "solve_instance"]

logger = logging.getLogger(__name__)

_WORKER: Final = Path(__file__).with_name("worker.py")
_MAX_SMALL_UNIT: Final = 8
"""The cheaper of the per-metre and per-second costs becomes at most this many units."""


@dataclass(frozen=True)
class SolverOptions:
    """Knobs of the solver.

    Attributes
    ----------
    time_limit_s : float
        Wall-clock limit of each solve (seconds).
    seeds : tuple of int
        Random seeds; with ``workers >= 2`` the first ``workers`` seeds run side by side.
    workers : int
        Processes to use (the first seed runs in this process).
    relax_if_infeasible : bool
        Solve again with skippable stops when the required ones cannot all be served.
    progress_interval_s : float
        Minimum time between progress reports.
    only_free_cores : bool
        Run the extra seeds only on cores that are idle when solving starts (on a busy
        machine two seeds would each get half a core and do worse than one).
    searches : tuple of (int, int)
        The local search's neighbourhood size and perturbation strength, ``(nearest clients
        tried beside each client, most clients moved by one perturbation)``, for each seed in
        turn. The default runs a portfolio: the first seed with PyVRP's defaults (50, 25), the
        second with more, smaller steps (30, 10). At a fixed 20 s each is best on instances
        where the other stalls — X-n200-k36 (36 tight routes): median gap 2.0 % with the
        defaults, 0.2 % with (30, 10); X-n101-k25: 0.00 % with the defaults, 0.85 % with
        (30, 10) — so two seeds keep the better of both (``benchmarks/RESULTS.md``). On a
        busy machine only the first seed runs, with the defaults.
    fleet_squeeze : tuple of float
        For each seed in turn, the share of the time after which its search tries one
        vehicle fewer than its best plan uses (0: never; see
        :func:`geo.routing.worker.solve_seed`). The default leaves the first seed alone and
        lets the second try after 30 % of the time: on Solomon's RC101 every seed of PyVRP's
        search settles on 16 routes, 0.9 % above the best-known 15-route plan, which the
        search with 15 vehicles finds. The first seed (run in this process, with progress
        reports) never tries, and neither does a round planned over several days (one vehicle
        type per day: one vehicle fewer is not one number there).
    """

    time_limit_s: float = 10.0
    seeds: tuple[int, ...] = (0, 1)
    workers: int = 2
    relax_if_infeasible: bool = True
    progress_interval_s: float = 0.25
    only_free_cores: bool = True
    searches: tuple[tuple[int, int], ...] = ((50, 25), (30, 10))
    fleet_squeeze: tuple[float, ...] = (0.0, 0.3)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.time_limit_s) and self.time_limit_s > 0):
            msg = _("time_limit_s must be a positive number of seconds, got {value}.").format(
                value=repr(self.time_limit_s))
            raise RoutingError(msg)
        if not self.seeds:
            msg = _("Give at least one seed, e.g. seeds=(0, 1).")
            raise RoutingError(msg)
        if self.workers < 1:
            msg = _("workers must be at least 1, got {value}.").format(value=repr(self.workers))
            raise RoutingError(msg)
        if not self.searches or any(not isinstance(s, tuple | list) or len(s) != 2
                                    or min(s) < 1 for s in self.searches):
            msg = _("searches takes pairs (neighbours, perturbations) of whole numbers of at "
                    "least 1, e.g. ((50, 25), (30, 10)); got {value}.").format(
                        value=repr(self.searches))
            raise RoutingError(msg)
        if not self.fleet_squeeze or any(not (0.0 <= float(f) < 1.0)
                                         for f in self.fleet_squeeze):
            msg = _("fleet_squeeze takes shares of the time limit from 0 (never) to below 1 "
                    "per seed, e.g. (0.0, 0.3); got {value}.").format(
                        value=repr(self.fleet_squeeze))
            raise RoutingError(msg)

    def search(self, k: int) -> dict[str, float]:
        """The ``k``-th seed's search: the keyword arguments of
        :func:`geo.routing.worker.search_params`, and ``squeeze_at``
        (:func:`geo.routing.worker.solve_seed`)."""
        neighbours, perturbations = self.searches[k % len(self.searches)]
        return {"num_neighbours": int(neighbours), "max_perturbations": int(perturbations),
                "squeeze_at": float(self.fleet_squeeze[k % len(self.fleet_squeeze)])}


@dataclass(frozen=True)
class SolveProgress:
    """A progress report: time used, best cost so far (currency; inf if none feasible)."""

    elapsed_s: float
    time_limit_s: float
    best_cost: float
    feasible: bool
    iterations: int
    phase: str

    @property
    def fraction(self) -> float:
        """Share of the time limit used, in [0, 1]."""
        return min(1.0, self.elapsed_s / self.time_limit_s)


@dataclass(frozen=True)
class Encoding:
    """A PyVRP problem and how its clients and vehicle types map back to the instance."""

    data: ProblemData
    client_producer: np.ndarray
    vehicle_day: tuple[str, ...]
    cost_scale: float
    relaxed: bool


def integer_unit_costs(rates: Sequence[tuple[float, float]]) -> tuple[list[tuple[int, int]],
                                                                       float]:
    """Integer costs per metre and per second for each (per-metre, per-second) rate pair.

    Returns the pairs and the scale (integer units per currency), shared by all pairs so that
    their costs add up. The cheapest non-zero rate becomes a small integer (1 to 8, whichever
    keeps the ratios of all rates closest to the true ones), so that costs stay comparable
    with PyVRP's penalties for excess load and time warp (which start at 50,000 per unit).

    Examples
    --------
    >>> pairs, scale = integer_unit_costs([(1.1 / 1000, 45 / 3600)])
    >>> pairs, round(scale, 1)
    ([(8, 91)], 7272.7)
    """
    flat = [r for pair in rates for r in pair if r > 0]
    low = min(flat)
    best_k, best_err = 1, math.inf
    for k in range(1, _MAX_SMALL_UNIT + 1):
        err = max(abs(round(k * r / low) - k * r / low) / (k * r / low) for r in flat)
        if err < best_err - 1e-9:
            best_k, best_err = k, err
    scale = best_k / low
    return [(round(m * scale), round(t * scale)) for m, t in rates], scale


def _unit_costs(instance: RoutingInstance) -> tuple[int, int, float]:
    """Integer costs per metre and per second of the fleet, and the scale (units per currency)."""
    per_m = instance.fleet.cost_per_km / 1000.0
    per_s = instance.fleet.cost_per_hour / 3600.0
    ((unit_d, unit_t),), scale = integer_unit_costs([(per_m, per_s)])
    return unit_d, unit_t, scale


def encode(instance: RoutingInstance, *, relaxed: bool = False) -> Encoding:
    """Build the PyVRP problem of ``instance`` with the :class:`pyvrp.Model` builder.

    With ``relaxed``, required producers become skippable at a prize larger than any detour,
    so a feasible plan always exists and serves every stop that fits.
    """
    fleet = instance.fleet
    unit_d, unit_t, scale = _unit_costs(instance)
    dist = np.minimum(instance.distance_m, MAX_VALUE).astype(np.int64)
    dur = np.minimum(instance.duration_s, MAX_VALUE).astype(np.int64)
    m = Model()
    depot_loc = m.add_location(x=float(instance.depot.lon), y=float(instance.depot.lat),
                               name=instance.depot.name)
    locs = [m.add_location(x=float(p.lon), y=float(p.lat), name=p.name[:64])
            for p in instance.producers]
    depot = m.add_depot(depot_loc, name=instance.depot.name)
    for day in instance.days:
        off = WEEKDAYS.index(day) * DAY_S
        m.add_vehicle_type(
            num_available=fleet.vehicles, capacity=fleet.capacity_load, start_depot=depot,
            end_depot=depot, tw_early=off + fleet.shift_start_s, tw_late=off + fleet.shift_end_s,
            shift_duration=fleet.max_duration_s or np.iinfo(np.int64).max,
            unit_distance_cost=unit_d, unit_duration_cost=unit_t,
            reload_depots=[depot] if fleet.reload else [],
            max_reloads=(fleet.max_reloads if fleet.reload and fleet.max_reloads is not None
                         else MAX_SIZE),
            name=day)
    service = np.array([0, *[p.service_s for p in instance.producers]], np.int64)
    round_trip = unit_d * (dist[0, :] + dist[:, 0]) + unit_t * (dur[0, :] + dur[:, 0] + service)
    big = int(2 * (round_trip.max() + unit_t * fleet.shift_s)) + 1
    client_producer: list[int] = []
    for i, p in enumerate(instance.producers):
        days = instance.allowed_days[i]
        if not days:
            msg = _("Producer {name} has no day it can be served; build the instance "
                    "first.").format(name=repr(p.name))
            raise RoutingError(msg)
        skippable = p.optional or relaxed
        prize = round(p.prize * scale) if p.optional else (big if relaxed else 0)
        group = m.add_client_group(required=not skippable) if len(days) > 1 else None
        for day in days:
            off = WEEKDAYS.index(day) * DAY_S
            m.add_client(locs[i], pickup=p.load, service_duration=p.service_s,
                         tw_early=off + p.tw_start_s, tw_late=off + p.tw_end_s, prize=prize,
                         required=group is None and not skippable, group=group,
                         name=f"{p.stop_id}@{day}"[:64])
            client_producer.append(i)
    data = m.data().replace(distance_matrices=[dist], duration_matrices=[dur])
    return Encoding(data=data, client_producer=np.array(client_producer, np.int64),
                    vehicle_day=tuple(instance.days), cost_scale=scale, relaxed=relaxed)


class _Progress(IteratedLocalSearchCallbacks):
    """Throttled progress reports from PyVRP's iteration callback."""

    def __init__(self, report: Callable[[SolveProgress], None] | None, limit: float,
                 scale: float, interval: float, phase: str) -> None:
        self.report, self.limit, self.scale = report, limit, scale
        self.interval, self.phase = interval, phase
        self.start = time.perf_counter()
        self.last = -math.inf
        self.iterations = 0
        self.evaluator = CostEvaluator([0], 0, 0)

    def on_iteration(self, current: Solution, candidate: Solution, best: Solution,
                     cost_evaluator: CostEvaluator) -> None:
        self.iterations += 1
        now = time.perf_counter()
        if self.report is None or now - self.last < self.interval:
            return
        self.last = now
        feasible = best.is_feasible()
        cost = self.evaluator.cost(best) / self.scale if feasible else math.inf
        self.report(SolveProgress(now - self.start, self.limit, cost, feasible, self.iterations,
                                  self.phase))


def _objective(solution: Solution) -> float:
    if not solution.is_feasible():
        return math.inf
    return float(CostEvaluator([0] * len(solution.excess_load()), 0, 0).cost(solution))


def _start_workers(data: ProblemData, seeds: tuple[int, ...], deadline: float,
                   searches: list[dict[str, float]],
                   folder: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    """Start one worker process per seed (:mod:`geo.routing.worker`, run as a script).

    The worker file is run by path with ``-P`` (its folder is not put on ``sys.path``), so the
    package ``geo.routing`` and its geopandas imports are not loaded: only PyVRP is.
    """
    jobs = []
    for s, search in zip(seeds, searches, strict=True):
        src, dst = folder / f"in-{s}.pkl", folder / f"out-{s}.pkl"
        src.write_bytes(pickle.dumps((data, s, deadline, search)))
        proc = subprocess.Popen([sys.executable, "-P", str(_WORKER), str(src), str(dst)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        jobs.append((proc, dst))
    return jobs


def _collect(jobs: list[tuple[subprocess.Popen[bytes], Path]], timeout: float) -> list[Solution]:
    out = []
    for proc, dst in jobs:
        try:
            _out, err = proc.communicate(timeout=timeout)
            if proc.returncode == 0 and dst.exists():
                out.append(pickle.loads(dst.read_bytes())[1])
            else:
                logger.warning("A solver worker failed (exit %s): %s", proc.returncode,
                               err.decode(errors="replace")[-500:])
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            logger.warning("A solver worker did not finish in time and was stopped")
    return out


def _free_cores(sample_s: float = 0.2) -> float:
    """Idle CPU cores right now (:func:`geo.cores.free_cores`; patched in tests)."""
    return free_cores(sample_s)


def _workers(options: SolverOptions) -> int:
    """Seeds to run side by side: as configured, but only on cores that are free now.

    On a machine shared with other work a second seed would halve the first one's
    iterations without adding any, so it runs only when about two cores are idle.
    """
    wanted = min(options.workers, len(options.seeds), os.cpu_count() or 1)
    if wanted <= 1 or not options.only_free_cores:
        return wanted
    free = _free_cores()
    usable = max(1, min(wanted, int(free + 0.3)))
    if usable < wanted:
        logger.info("Only %.1f idle cores: running %d of %d seeds", free, usable, wanted)
    return usable


def _best_of_seeds(enc: Encoding, options: SolverOptions,
                   progress: Callable[[SolveProgress], None] | None,
                   phase: str) -> tuple[Solution, tuple[float, ...]]:
    """Run the seeds: the first here (with progress), the others in worker processes."""
    workers = _workers(options)
    deadline = time.time() + options.time_limit_s
    with tempfile.TemporaryDirectory(prefix="symbiomap-vrp-") as tmp:
        jobs = []
        try:
            jobs = _start_workers(enc.data, options.seeds[1:workers], deadline,
                                  [options.search(k) for k in range(1, workers)], Path(tmp))
        except OSError as exc:  # no processes allowed here: one seed only
            logger.warning("Could not start solver workers (%s); using one seed", exc)
        cb = _Progress(progress, options.time_limit_s, enc.cost_scale,
                       options.progress_interval_s, phase)
        first = options.search(0)
        params = search_params(num_neighbours=int(first["num_neighbours"]),
                               max_perturbations=int(first["max_perturbations"]), callbacks=cb)
        with warnings.catch_warnings():
            # Infeasibility is handled (relaxed solve) and explained per stop below.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = solve(enc.data, MaxRuntime(options.time_limit_s), seed=options.seeds[0],
                           collect_stats=False, display=False, params=params)
        solutions = [result.best, *_collect(jobs, timeout=30.0)]
    costs = tuple(_objective(s) for s in solutions)
    best = solutions[int(np.argmin(costs))] if any(math.isfinite(c) for c in costs) else \
        solutions[0]
    return best, tuple(c / enc.cost_scale for c in costs)


def _decode_routes(instance: RoutingInstance, enc: Encoding,
                   solution: Solution) -> list[PlannedRoute]:
    dist, dur = instance.distance_m, instance.duration_s
    loads = instance.loads
    counter: dict[str, int] = {}
    routes: list[PlannedRoute] = []
    for route in solution.routes():
        day = enc.vehicle_day[route.vehicle_type()]
        off = WEEKDAYS.index(day) * DAY_S
        counter[day] = counter.get(day, 0) + 1
        sched = route.schedule()
        visits: list[Visit] = []
        prev_loc, prev_dep, load = 0, 0, 0
        for k, act in enumerate(sched):
            if act.is_depot():
                producer = -1
                kind = "start" if k == 0 else ("end" if k == len(sched) - 1 else "reload")
            else:
                producer = int(enc.client_producer[act.idx])
                kind = "stop"
            loc = producer + 1
            leg_d = int(dist[prev_loc, loc]) if k else 0
            leg_t = int(dur[prev_loc, loc]) if k else 0
            start = int(act.start_time) - off
            arrival = start if k == 0 else prev_dep + leg_t
            unloaded = 0
            if kind == "stop":
                load += int(loads[producer])
            elif kind in ("reload", "end"):
                unloaded, load = load, 0
            departure = int(act.end_time) - off
            visits.append(Visit(kind=kind, producer=producer, trip=int(act.trip),  # type: ignore[arg-type]
                                arrival_s=arrival, start_s=start, departure_s=departure,
                                load_after=load, unloaded=unloaded, leg_distance_m=leg_d,
                                leg_duration_s=leg_t))
            prev_loc, prev_dep = loc, departure
        routes.append(PlannedRoute(day=day, vehicle=counter[day], visits=tuple(visits),
                                   distance_m=int(route.distance()),
                                   duration_s=int(route.duration()),
                                   trips=int(route.num_trips())))
    routes.sort(key=lambda r: (WEEKDAYS.index(r.day), r.vehicle))
    return routes


def solve_instance(
    instance: RoutingInstance,
    options: SolverOptions | None = None,
    *,
    progress: Callable[[SolveProgress], None] | None = None,
) -> RoutingPlan:
    """Plan the routes of ``instance`` with PyVRP; the same path for the app and benchmarks.

    Parameters
    ----------
    instance : RoutingInstance
        Integer matrices, producers, fleet and days (see :func:`~geo.routing.build.build_instance`).
    options : SolverOptions, optional
        Time limit, seeds, workers.
    progress : callable, optional
        Called with a :class:`SolveProgress` a few times a second while solving.

    Returns
    -------
    RoutingPlan
        Routes by day and vehicle, skipped stops with reasons, cost in currency.
    """
    options = options or SolverOptions()
    t0 = time.perf_counter()
    enc = encode(instance)
    best, seed_costs = _best_of_seeds(enc, options, progress, _("planning"))
    if not best.is_feasible() and options.relax_if_infeasible:
        logger.info("Required stops do not all fit; solving again with skippable stops")
        enc = encode(instance, relaxed=True)
        best, seed_costs = _best_of_seeds(enc, options, progress, _("fitting what fits"))
    routes = _decode_routes(instance, enc, best)
    served = {i for r in routes for i in r.stops}
    skipped = [i for i in range(instance.n_producers) if i not in served]
    by_day: dict[str, list[list[int]]] = {}
    time_by_day: dict[str, int] = {}
    for r in routes:
        by_day.setdefault(r.day, []).append([i + 1 for i in r.stops])
        time_by_day[r.day] = time_by_day.get(r.day, 0) + r.duration_s
    reasons = skipped_reasons(instance, by_day, skipped, time_by_day=time_by_day)
    unit_d, unit_t, scale = _unit_costs(instance)
    cost = sum(unit_d * r.distance_m + unit_t * r.duration_s for r in routes) / scale
    return RoutingPlan(
        instance=instance,
        routes=tuple(routes),
        skipped=tuple(SkippedStop(i, instance.producers[i].stop_id, instance.producers[i].name,
                                  reasons[i], instance.producers[i].optional) for i in skipped),
        cost=float(cost),
        feasible=bool(best.is_feasible()),
        relaxed=enc.relaxed,
        runtime_s=time.perf_counter() - t0,
        seed_costs=seed_costs,
    )
