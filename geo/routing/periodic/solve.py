"""Solve a periodic instance: the pattern search on two seeds at once, then the plan's routes.

The first seed runs in this process (with progress reports), the second in a fresh worker
process (:mod:`~geo.routing.periodic.worker`) until the same wall-clock deadline; the better
plan is kept. Both cores are used whenever ``workers=2`` — a fixed setting, not decided by
the machine's load, so that the same options give the same kind of run everywhere.

When the required visits cannot all be served (too few vehicles, too short shifts), the
search runs again with every visit optional at a large prize; stops that then miss a visit of
their pattern are *unserved* — their partial visits are taken out of the routes and the
caller says why (:mod:`~geo.routing.periodic.explain`).
"""

from __future__ import annotations

import logging
import math
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from geo.errors import RoutingError
from geo.i18n import _
from geo.routing.periodic.encode import Encoder
from geo.routing.periodic.search import SearchOutcome, SearchSettings, search_patterns
from geo.routing.periodic.solution import PeriodicSolution
from geo.routing.solve import SolveProgress

if TYPE_CHECKING:
    from collections.abc import Callable

    from geo.routing.periodic.encode import RouteLists
    from geo.routing.periodic.instance import PeriodicInstance

__all__ = ["PeriodicOptions", "solve_periodic"]

logger = logging.getLogger(__name__)

_WORKER: Final = Path(__file__).with_name("worker.py")
_GRACE_S: Final = 30.0
"""How long past the deadline a worker may take to hand its plan back."""


@dataclass(frozen=True)
class PeriodicOptions:
    """Knobs of the periodic solver.

    Attributes
    ----------
    time_limit_s : float
        Wall-clock limit of one solve (seconds).
    seeds : tuple of int
        Random seeds; the first ``workers`` run side by side.
    workers : int
        Processes (1 or 2; the first seed runs in this process).
    relax_if_infeasible : bool
        Solve again with optional visits when the required ones do not all fit.
    balance_per_hour : float
        What an hour of difference between a day's vehicle hours and the mean day costs
        (currency), so that the work spreads over the horizon; 0 minimises cost alone.
        Applied by the pipeline, which knows the currency's scale.
    search : SearchSettings
        Knobs of the pattern search.
    """

    time_limit_s: float = 20.0
    seeds: tuple[int, ...] = (0, 1)
    workers: int = 2
    relax_if_infeasible: bool = True
    balance_per_hour: float = 0.0
    search: SearchSettings = field(default_factory=SearchSettings)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.time_limit_s) and self.time_limit_s > 0):
            msg = _("time_limit_s must be a positive number of seconds, got {value}.").format(
                value=repr(self.time_limit_s))
            raise RoutingError(msg)
        if not self.seeds:
            msg = _("Give at least one seed, e.g. seeds=(0, 1).")
            raise RoutingError(msg)
        if not (math.isfinite(self.balance_per_hour) and self.balance_per_hour >= 0):
            msg = _("balance_per_hour must be zero or a positive cost, got {value}.").format(
                value=repr(self.balance_per_hour))
            raise RoutingError(msg)
        if self.workers not in (1, 2):
            msg = _("workers must be 1 or 2, got {value}.").format(value=repr(self.workers))
            raise RoutingError(msg)


@dataclass(frozen=True)
class _Job:
    instance: PeriodicInstance
    deadline: float
    settings: SearchSettings
    relaxed: bool
    choice: tuple[int, ...] | None
    routes: RouteLists | None


def _start(job: _Job, seeds: tuple[int, ...],
           folder: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    out = []
    for seed in seeds:
        src, dst = folder / f"in-{seed}.pkl", folder / f"out-{seed}.pkl"
        src.write_bytes(pickle.dumps({
            "instance": job.instance, "seed": seed, "deadline": job.deadline,
            "settings": job.settings, "relaxed": job.relaxed, "choice": job.choice,
            "routes": job.routes}))
        proc = subprocess.Popen([sys.executable, "-P", str(_WORKER), str(src), str(dst)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        out.append((proc, dst))
    return out


def _collect(jobs: list[tuple[subprocess.Popen[bytes], Path]],
             deadline: float) -> list[SearchOutcome]:
    out = []
    for proc, dst in jobs:
        try:
            _out, err = proc.communicate(timeout=max(1.0, deadline - time.time()) + _GRACE_S)
            if proc.returncode == 0 and dst.exists():
                out.append(pickle.loads(dst.read_bytes()))
            else:
                logger.warning("A periodic solver worker failed (exit %s): %s", proc.returncode,
                               err.decode(errors="replace")[-500:])
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            logger.warning("A periodic solver worker did not finish in time and was stopped")
    return out


def _rank(o: SearchOutcome) -> tuple[int, float]:
    return (0 if o.feasible and o.complete else 1, o.cost)


def _run(job: _Job, options: PeriodicOptions,
         progress: Callable[[SolveProgress], None] | None,
         phase: str) -> tuple[SearchOutcome, tuple[float, ...]]:
    start = time.time()
    limit = job.deadline - start

    def report(cost: float, feasible: bool) -> None:
        if progress is not None:
            progress(SolveProgress(time.time() - start, limit, cost, feasible, 0, phase))

    with tempfile.TemporaryDirectory(prefix="symbiomap-pvrp-") as tmp:
        jobs: list[tuple[subprocess.Popen[bytes], Path]] = []
        extra = options.seeds[1:options.workers]
        try:
            jobs = _start(job, extra, Path(tmp))
        except OSError as exc:  # no processes allowed here: one seed only
            logger.warning("Could not start a solver worker (%s); using one seed", exc)
        here = search_patterns(job.instance, seed=options.seeds[0], deadline=job.deadline,
                               settings=job.settings, relaxed=job.relaxed, choice=job.choice,
                               routes=job.routes, report=report)
        outcomes = [here, *_collect(jobs, job.deadline)]
    best = min(outcomes, key=_rank)
    return best, tuple(o.cost if o.feasible and o.complete else math.inf for o in outcomes)


def _finish(instance: PeriodicInstance, outcome: SearchOutcome, *, relaxed: bool,
            runtime: float, seed_costs: tuple[float, ...]) -> PeriodicSolution:
    enc = Encoder(instance, relaxed=relaxed)
    routes = outcome.routes
    days = enc.stop_days(routes)
    unserved = tuple(s for s, stop in enumerate(instance.stops)
                     if tuple(sorted(days.get(s, []))) not in stop.patterns)
    if unserved:
        gone = {c for s in unserved for c in enc.slots[s]}
        routes = [(vt, [c for c in seq if c not in gone]) for vt, seq in routes]
        routes = [(vt, seq) for vt, seq in routes if seq]
    data = enc.data(outcome.choice)
    sol = enc.solution(data, routes)
    decoded = sorted(enc.decode(sol), key=lambda r: (r.day, r.vehicle_class))
    feasible = bool(sol.is_feasible())
    cost = float(sum(r.distance_cost() + r.duration_cost() + r.fixed_vehicle_cost()
                     for r in sol.routes())) if feasible else math.inf
    return PeriodicSolution(instance=instance, choice=outcome.choice, routes=tuple(decoded),
                            route_lists=routes, unserved=unserved, cost=cost,
                            feasible=feasible, relaxed=relaxed, runtime_s=runtime,
                            seed_costs=seed_costs)


def solve_periodic(
    instance: PeriodicInstance,
    options: PeriodicOptions | None = None,
    *,
    warm: PeriodicSolution | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
) -> PeriodicSolution:
    """Patterns and routes for every day of ``instance``; the path of the app and benchmarks.

    Parameters
    ----------
    instance : PeriodicInstance
    options : PeriodicOptions, optional
        Time limit, seeds, workers.
    warm : PeriodicSolution, optional
        A previous plan of an instance with the same stops and vehicles (e.g. before one
        producer's frequency changed): its patterns and routes start the search.
    progress : callable, optional
        Called with a :class:`~geo.routing.solve.SolveProgress` when the best plan improves.
    """
    options = options or PeriodicOptions()
    t0 = time.time()
    choice, routes = _warm_start(instance, warm)
    job = _Job(instance, t0 + options.time_limit_s, options.search, False, choice, routes)
    best, costs = _run(job, options, progress, _("planning"))
    relaxed = False
    if not (best.feasible and best.complete) and options.relax_if_infeasible:
        logger.info("The required visits do not all fit; solving again with optional visits")
        job = _Job(instance, time.time() + options.time_limit_s, options.search, True,
                   best.choice, best.routes)
        best, costs = _run(job, options, progress, _("fitting what fits"))
        relaxed = True
    return _finish(instance, best, relaxed=relaxed, runtime=time.time() - t0, seed_costs=costs)


def _warm_start(instance: PeriodicInstance, warm: PeriodicSolution | None
                ) -> tuple[tuple[int, ...] | None, RouteLists | None]:
    """Patterns and routes of ``warm`` that still fit ``instance`` (others are re-chosen)."""
    if warm is None:
        return None, None
    old = warm.instance
    if len(old.stops) != len(instance.stops) or old.n_days != instance.n_days:
        msg = _("A warm start needs a plan of the same stops and horizon; plan from scratch "
                "after adding or removing producers or changing the number of weeks.")
        raise RoutingError(msg)
    enc_old, enc_new = Encoder(old), Encoder(instance)
    choice = []
    remap: dict[int, int] = {}
    for s, (a, b) in enumerate(zip(old.stops, instance.stops, strict=True)):
        pattern = a.patterns[warm.choice[s]]
        same = (pattern in b.patterns and enc_old.mode[s] == enc_new.mode[s]
                and len(enc_old.slots[s]) == len(enc_new.slots[s]))
        if same:
            choice.append(b.patterns.index(pattern))
            remap.update(zip(enc_old.slots[s], enc_new.slots[s], strict=True))
        else:
            choice.append(0)
    if len(enc_old.vehicle_types) != len(enc_new.vehicle_types):
        return tuple(choice), None
    routes = [(vt, [remap[c] for c in seq if c in remap]) for vt, seq in warm.route_lists]
    return tuple(choice), [(vt, seq) for vt, seq in routes if seq]
