"""Periodic milk-round benchmarks: Cordeau's PVRP set through the planner, and a 4-week plan.

Usage::

    python benchmarks/periodic_bench.py --instances ../shared/bench/pvrp --time-limit 60
    python benchmarks/periodic_bench.py --instances DIR --time-limit 10 --only p01,p14
    python benchmarks/periodic_bench.py --instances DIR --solutions out/   # write .res files
    python benchmarks/periodic_bench.py --e2e-only

1. **Solver quality** — every ``p*.txt`` / ``pr*.txt`` of ``DIR`` (Cordeau, Gendreau &
   Laporte; ``DIR/SOURCE.md``) is read by :mod:`benchmarks.formats.pvrp` into the planner's
   :class:`~geo.routing.periodic.instance.PeriodicInstance` and solved by
   :func:`~geo.routing.periodic.solve.solve_periodic` — the app's own path from the distance
   matrix on: Euclidean distances unrounded (scaled to integers for the solver, every cost
   re-computed from the coordinates), service time in the duration limit but not the cost,
   two seeds on two cores. Each plan is checked **independently of the solver** by
   :func:`benchmarks.formats.pvrp.check` (visits per customer equal to its frequency on an
   allowed combination; capacity, duration and vehicles per day) and its gap to the
   best-known cost of ``DIR/bks.csv`` printed. p11's best-known cost cannot be verified (its
   solution visits a node the instance does not have): its gap is shown but left out of the
   mean and maximum. ``--solutions DIR`` writes every plan as a ``.res`` file.
2. **End to end** — a four-week plan for 300 producers of three streams (cardboard, plastics,
   hazardous waste oil) on the Liechtenstein roads (``DIR/../osm``): two depots, a
   compartment truck (cardboard + plastics) and a dedicated oil truck, each stream unloaded at
   its reprocessor; frequencies from twice a week to every four weeks; matrix, solve, run
   sheets, calendar, KPIs and route lines, against the issue's 60 s.

The last line is the issue's summary: ``mean gap X % · max gap Y % · feasible N/M``. Benchmark
data is read from ``SYMBIOMAP_BENCH_DIR`` (default ``../shared/bench``); the benchmark skips
cleanly when it is absent.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.formats.pvrp import (  # noqa: E402
    PvrpData,
    PvrpRoute,
    check,
    read_pvrp,
    recost,
    to_instance,
    write_res,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.routing.periodic.solution import PeriodicSolution

BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "bench"))
UNVERIFIED = "NOT re-verifiable"
"""Marker in ``bks.csv``'s source column of a best-known cost that cannot be re-checked."""


@dataclass(frozen=True)
class Row:
    """One instance's result."""

    name: str
    cost: float
    bks: float
    feasible: bool
    verified_bks: bool
    problems: tuple[str, ...]
    seconds: float

    @property
    def gap(self) -> float:
        """Gap to the best-known cost (%), ``inf`` when infeasible."""
        return 100.0 * (self.cost - self.bks) / self.bks if self.feasible else float("inf")


def pvrp_routes(solution: PeriodicSolution) -> list[PvrpRoute]:
    """The plan's routes in the file's terms: day, vehicle number per day, customer nodes.

    Places of :func:`~benchmarks.formats.pvrp.to_instance` are the nodes themselves.
    """
    out: list[PvrpRoute] = []
    count: dict[int, int] = {}
    for r in solution.routes:
        count[r.day] = count.get(r.day, 0) + 1
        customers = tuple(p for p, s in zip(r.places, r.stops, strict=True) if s >= 0)
        out.append(PvrpRoute(day=r.day, vehicle=count[r.day], customers=customers))
    return out


def summary_line(rows: Sequence[Row]) -> str:
    """``mean gap X % · max gap Y % · feasible N/M`` over instances with a verified BKS.

    Infeasible instances count in ``M`` but not in the gaps.

    Examples
    --------
    >>> rs = [Row("a", 101.0, 100.0, True, True, (), 1.0), Row("b", 0.0, 1.0, False, True,
    ...       ("x",), 1.0), Row("c", 90.0, 100.0, True, False, (), 1.0)]
    >>> summary_line(rs)
    'mean gap 1.00 % · max gap 1.00 % · feasible 2/3'
    """
    gaps = np.array([r.gap for r in rows if r.feasible and r.verified_bks])
    mean = float(gaps.mean()) if len(gaps) else float("nan")
    worst = float(gaps.max()) if len(gaps) else float("nan")
    feasible = sum(r.feasible for r in rows)
    return f"mean gap {mean:.2f} % · max gap {worst:.2f} % · feasible {feasible}/{len(rows)}"


def _bks(folder: Path) -> dict[str, tuple[float, bool]]:
    with (folder / "bks.csv").open() as fh:
        return {r["instance"]: (float(r["bks"]), UNVERIFIED not in r["source"])
                for r in csv.DictReader(fh)}


def solve_one(data: PvrpData, limit: float, *, workers: int = 2
              ) -> tuple[list[PvrpRoute], float]:
    """Solve one instance through the planner; its routes and the wall-clock time."""
    from geo.routing.periodic.solve import PeriodicOptions, solve_periodic

    opts = PeriodicOptions(time_limit_s=limit, seeds=(0, 1), workers=workers,
                           relax_if_infeasible=False)
    t0 = time.perf_counter()
    sol = solve_periodic(to_instance(data), opts)
    return pvrp_routes(sol), time.perf_counter() - t0


def bench_solver(folder: Path, limit: float, *, only: set[str],
                 solutions: Path | None) -> list[Row]:
    bks = _bks(folder)
    paths = sorted(p for p in folder.glob("p*.txt") if p.stem in bks
                   and (not only or p.stem in only))
    paths.sort(key=lambda p: (p.stem.startswith("pr"), p.stem))
    print(f"\n== Solver quality: {len(paths)} PVRP instances, {limit:g} s each, two seeds on "
          "two cores; feasibility checked independently of the solver ==")
    print(f"{'instance':<9}{'n':>5}{'t':>3}{'m':>4}{'cost':>12}{'BKS':>12}{'gap %':>8}"
          f"{'feasible':>10}{'time s':>8}")
    if solutions is not None:
        solutions.mkdir(parents=True, exist_ok=True)
    rows = []
    for p in paths:
        data = read_pvrp(p)
        routes, wall = solve_one(data, limit)
        problems = tuple(check(data, routes))
        best, verified = bks[p.stem]
        row = Row(p.stem, recost(data, routes), best, not problems, verified, problems, wall)
        rows.append(row)
        mark = "" if verified else "*"
        print(f"{p.stem + mark:<9}{data.n_customers:>5}{data.n_days:>3}{data.vehicles:>4}"
              f"{row.cost:>12.2f}{best:>12.2f}{row.gap:>8.2f}"
              f"{'yes' if row.feasible else 'NO':>10}{wall:>8.1f}", flush=True)
        for problem in problems[:3]:
            print(f"    {problem}")
        if solutions is not None:
            write_res(solutions / f"{p.stem}.res", data, routes)
    if any(not r.verified_bks for r in rows):
        print("* best-known cost not re-verifiable (SOURCE.md): gap shown, left out of the "
              "mean and maximum")
    return rows


def bench_end_to_end(n_producers: int = 300, limit: float = 40.0) -> float:
    """Four weeks, 300 producers, three streams on the Liechtenstein roads; seconds taken."""
    from geo.network import graph_from_pbf
    from geo.routing.periodic import (
        Compartment,
        Horizon,
        PeriodicFleet,
        PeriodicOptions,
        PeriodicProducer,
        Stream,
        VehicleClass,
        VisitFrequency,
        plan_periodic,
        replan,
    )
    from geo.routing.problem import Depot, Fleet

    pbf = BENCH_DIR / "osm" / "liechtenstein-2013-08-03.osm.pbf"
    if not pbf.exists():
        print(f"\n(end to end skipped: {pbf} not found)")
        return float("nan")
    print(f"\n== End to end: 4 weeks, {n_producers} producers, 3 streams on the Liechtenstein "
          "road graph ==")
    t0 = time.perf_counter()
    g = graph_from_pbf(pbf)
    print(f"graph {g.n_nodes:,} nodes read in {time.perf_counter() - t0:.1f} s (cached by the "
          "app; not counted)")
    rng = np.random.default_rng(16)
    nodes = rng.choice(g.core_nodes, n_producers + 5, replace=False)
    jitter = rng.normal(0, 0.0003, (len(nodes), 2))

    def site(k: int, name: str) -> Depot:
        return Depot(name, float(g.lon[nodes[k]] + jitter[k, 0]),
                     float(g.lat[nodes[k]] + jitter[k, 1]), site_id=f"S{k}")

    depot_a, depot_b = site(0, "North depot"), site(1, "South depot")
    streams = (Stream("cardboard", reprocessor=site(2, "Paper mill")),
               Stream("plastics", reprocessor=site(3, "Plastics sorter")),
               Stream("waste oil", hazardous=True, reprocessor=site(4, "Oil refiner")))
    shift = {"shift_start_s": 6 * 3600, "shift_end_s": 16 * 3600}
    fleet = PeriodicFleet(
        classes=(VehicleClass("compartment truck", Fleet(vehicles=4, capacity=10.0, **shift),
                              depot_a, capacities=(("cardboard", 6.0), ("plastics", 4.0)),
                              unload="reprocessor"),
                 VehicleClass("oil truck", Fleet(vehicles=1, capacity=5.0, **shift), depot_b,
                              capacities=(("oil", 5.0),), unload="reprocessor")),
        streams=streams,
        compartments=(Compartment("cardboard", ("cardboard",)),
                      Compartment("plastics", ("plastics",)),
                      Compartment("oil", ("waste oil",))))
    freqs = [VisitFrequency("per_week", 2), VisitFrequency("weekly"),
             VisitFrequency("fortnightly"), VisitFrequency("four_weekly")]
    producers = []
    for i in range(n_producers):
        k = i + 5
        f = freqs[int(rng.choice(4, p=[0.1, 0.4, 0.3, 0.2]))]
        qty = [("cardboard", float(rng.uniform(2, 15)))]
        if rng.random() < 0.6:
            qty.append(("plastics", float(rng.uniform(1, 8))))
        if rng.random() < 0.15:
            qty.append(("waste oil", float(rng.uniform(0.5, 3))))
        days = ("mon", "tue", "wed", "thu", "fri") if rng.random() < 0.8 else \
            tuple(sorted(rng.choice(["mon", "tue", "wed", "thu", "fri"], 3, replace=False),
                         key=["mon", "tue", "wed", "thu", "fri"].index))
        producers.append(PeriodicProducer(
            f"p{i}", f"Producer {i}", float(g.lon[nodes[k]] + jitter[k, 0]),
            float(g.lat[nodes[k]] + jitter[k, 1]), tuple(qty), frequency=f, weekdays=days,
            service_s=300,
            storage_days=16.0 if f.period_weeks <= 2 and rng.random() < 0.2 else None))
    t0 = time.perf_counter()
    res = plan_periodic(producers, fleet, Horizon(weeks=4), graph=g,
                        options=PeriodicOptions(time_limit_s=limit))
    total = time.perf_counter() - t0
    t = res.timings_s
    plan = res.plan
    visits = sum(len(r.stops) for r in plan.routes)
    print(f"producers → plan, tables and route lines {total:.1f} s (matrix {t['matrix']:.2f} s,"
          f" solve {t['solve']:.1f} s, tables and lines {total - t['matrix'] - t['solve']:.2f}"
          f" s) · {len(plan.served_producers)} producers served in {visits} visits, "
          f"{len(plan.routes)} routes over {plan.problem.horizon.n_days} days, "
          f"{len(res.left_out)} left out, feasible {plan.feasible}")
    load = res.workload["vehicle_hours"]
    kpi = res.kpis.set_index("metric")
    print(f"workload per day {load.min():.1f}–{load.max():.1f} vehicle-h (mean {load.mean():.1f})"
          f" · {kpi.loc['vehicle distance', 'milk_round']:,.0f} km/week vs own trips "
          f"{kpi.loc['vehicle distance', 'own_trips']:,.0f} km/week "
          f"({kpi.loc['vehicle distance', 'saving_pct']:.0f} % less) · target ≤ 60 s: "
          f"{'met' if total <= 60 else 'MISSED'}")
    weekly = next(p for p in plan.problem.producers if p.frequency.kind == "weekly")
    t0 = time.perf_counter()
    again = replan(res, {weekly.stop_id: VisitFrequency("fortnightly")}, graph=g)
    took = time.perf_counter() - t0
    print(f"re-plan after {weekly.name} goes from weekly to fortnightly: {took:.1f} s "
          f"({took / total:.0%} of the first plan) · cost {again.plan.cost:,.0f} vs "
          f"{plan.cost:,.0f} EUR before · feasible {again.plan.feasible}")
    return total


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; the last line is the solver summary."""
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--instances", default=str(BENCH_DIR / "pvrp"))
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--solutions", default="", help="folder to write .res files into")
    p.add_argument("--only", default="", help="comma-separated instance names")
    p.add_argument("--e2e-only", action="store_true")
    p.add_argument("--skip-e2e", action="store_true")
    p.add_argument("--e2e-limit", type=float, default=40.0, help="solver seconds end to end")
    args = p.parse_args(argv)
    folder = Path(args.instances)
    print(f"load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
          "(a shared machine: other work slows every figure below)")
    if not args.skip_e2e:
        bench_end_to_end(limit=args.e2e_limit)
    if args.e2e_only:
        return 0
    if not (folder / "bks.csv").exists():
        print(f"benchmark data not found at {folder}: skipped")
        return 0
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    rows = bench_solver(folder, args.time_limit, only=only,
                        solutions=Path(args.solutions) if args.solutions else None)
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    print(summary_line(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
