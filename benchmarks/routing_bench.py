"""Milk-round planner benchmarks: solver quality on VRPLIB/Solomon, matrix speed, end to end.

Usage::

    python benchmarks/routing_bench.py --instances ../shared/bench/vrp --time-limit 20
    python benchmarks/routing_bench.py --time-limit 20 5 --runs 3 --solutions /tmp/sol
    python benchmarks/routing_bench.py --skip-e2e --only RC101,X-n101-k25 --time-limit 2 --runs 1
    python benchmarks/routing_bench.py --e2e-only

1. **Solver quality** — every CVRP (``cvrp/*.vrp``) and Solomon VRPTW (``vrptw/*.txt``)
   instance of ``DIR`` with a best-known cost in ``DIR/bks.csv``, at a **fixed** time limit
   per instance and solve (each ``--time-limit`` gives its own table), ``--runs`` times, for
   three variants in the same run (:data:`VARIANTS`): the app's own path from the distance
   matrix on (``instance_from_matrices`` → ``solve_instance``) with one seed on one core
   (PyVRP's default search), the same with two seeds on two cores (the app's portfolio: the
   second seed searches with ``SolverOptions.searches[1]``; a fixed setting here, while the app
   itself runs the second seed only when a second core is idle,
   ``SolverOptions.only_free_cores``), and plain PyVRP
   (``pyvrp.solve``, default parameters, one seed). Run ``r`` uses seed ``2r`` (and
   ``2r + 1`` for the second seed). Infeasible plans are not re-solved with skippable stops
   (``relax_if_infeasible=False``): a benchmark instance must be served in full.
   Every solution is re-costed from the instance file's coordinates and checked (every client
   once, capacities, time windows, fleet size) by :mod:`benchmarks.formats.checks`, which
   uses neither PyVRP nor the planner; the gaps are of those costs. Conventions
   (``DIR/SOURCE.md``): CVRP Euclidean rounded to the nearest integer; Solomon truncated to
   one decimal. ``--solutions DIR`` writes every solution as a ``.sol`` file like the shipped
   ones, so anyone can re-check the figures.
2. **Matrix** — 500 stops on a synthetic 50k-node road graph (an OSM-like grid whose streets
   carry shape nodes, and a pure lattice with none), through ``geo.network.travel_matrix`` as
   the planner calls it, against per-source networkx Dijkstra (measured on 25 sources, scaled
   to 500) and the same search in one process without contraction; median of three calls.
3. **End to end** — 200 stops on the real Liechtenstein road graph (``DIR/../osm``): matrix,
   solve (the app's default: two seeds, 10 s), route lines along the roads and the folium
   map as the page builds it (the base map a static file the browser caches), median of
   ``--runs`` runs; the map payload a rerun sends (``benchmarks.payload``) beside the same
   map as a standalone HTML file; PyVRP's default single seed on the same data and time.

The load average (1, 5, 15 min) is printed at the start and end of each part, and per
instance row; the matrix also prints the CPU seconds of each process, which a busy machine
changes less than the wall-clock time (on two idle cores the wall-clock time of two processes
is about the larger of the two). The last line is the summary of the first time limit for
two seeds on two cores.
Benchmark data is read from ``SYMBIOMAP_BENCH_DIR`` (default ``../shared/bench``); the
benchmark skips cleanly when it is absent.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from benchmarks.formats.checks import CheckInstance
    from benchmarks.formats.vrplib import BenchmarkInstance
    from geo.network import TravelMatrix
    from geo.routing.plan import RoutingPlan

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "bench"))


# -- 1. solver quality ------------------------------------------------------------------------

VARIANTS: dict[str, str] = {
    "ours-1": "SymbioMap, 1 seed on 1 core",
    "ours-2": "SymbioMap, 2 seeds on 2 cores",
    "pyvrp": "plain PyVRP, 1 seed on 1 core",
}
"""The solver variants of the quality benchmark: the app's path (``solve_instance``) with one
seed (``workers=1``) and with two seeds side by side (``workers=2``, ``only_free_cores=False``:
a fixed setting, not decided by the machine's load), and ``pyvrp.solve`` with its defaults."""


@dataclass(frozen=True)
class Outcome:
    """One solve of one instance, re-checked by :mod:`benchmarks.formats.checks`."""

    cost: float
    recost: float
    feasible: bool
    problems: tuple[str, ...]
    solver_cost: float
    wall_s: float
    seeds: int
    routes: list[list[int]]


def _instances(folder: Path) -> list[Path]:
    return sorted(folder.glob("cvrp/*.vrp")) + sorted(folder.glob("vrptw/*.txt"))


def _plan_routes(plan: RoutingPlan) -> list[list[int]]:
    """Client numbers per trip (a trip ends at every return to the depot)."""
    out: list[list[int]] = []
    for route in plan.routes:
        trip: list[int] = []
        for v in route.visits:
            if v.kind == "stop":
                trip.append(int(plan.instance.producers[v.producer].stop_id))
            elif v.kind in ("reload", "end") and trip:
                out.append(trip)
                trip = []
    return out


def _solve(variant: str, bench: BenchmarkInstance, limit: float, seed: int) -> tuple[
        list[list[int]], float, bool, int]:
    """Routes (client numbers), solver's own cost, feasible, seeds run."""
    from geo.routing.solve import SolverOptions, encode, solve_instance

    if variant == "pyvrp":
        from pyvrp import solve
        from pyvrp.stop import MaxRuntime

        enc = encode(bench.instance)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = solve(enc.data, MaxRuntime(limit), seed=seed, collect_stats=False,
                        display=False)
        ids = [p.stop_id for p in bench.instance.producers]
        routes = []
        for route in res.best.routes():
            trip: list[int] = []
            for act in route.schedule():
                if not act.is_depot():
                    trip.append(int(ids[enc.client_producer[act.idx]]))
                elif trip:
                    routes.append(trip)
                    trip = []
        return routes, bench.cost_of(res.best.distance()), res.is_feasible(), 1
    seeds = (seed,) if variant == "ours-1" else (seed, seed + 1)
    opts = SolverOptions(time_limit_s=limit, seeds=seeds, workers=len(seeds),
                         only_free_cores=False, relax_if_infeasible=False)
    plan = solve_instance(bench.instance, opts)
    ok = plan.feasible and not plan.skipped
    return _plan_routes(plan), bench.cost_of(plan.distance_m), ok, len(plan.seed_costs)


def _run_one(variant: str, bench: BenchmarkInstance, check: CheckInstance, limit: float,
             seed: int) -> Outcome:
    from benchmarks.formats.checks import check_solution

    t0 = time.perf_counter()
    routes, solver_cost, solver_ok, seeds = _solve(variant, bench, limit, seed)
    wall = time.perf_counter() - t0
    c = check_solution(check, routes)
    problems = c.problems
    if solver_ok != c.feasible:
        problems += (f"the solver says {'feasible' if solver_ok else 'infeasible'}",)
    if seeds != (2 if variant == "ours-2" else 1):
        problems += (f"{seeds} seed(s) ran",)
    if c.feasible and abs(c.cost - solver_cost) > 1e-6:
        problems += (f"the solver's cost {solver_cost:g} differs from the re-costed "
                     f"{c.cost:g}",)
    return Outcome(c.cost if c.feasible else math.inf, c.cost, c.feasible, problems,
                   solver_cost, wall, seeds, routes)


def _gap(cost: float, best: float) -> float:
    return 100.0 * (cost - best) / best


def _cell(gaps: list[float]) -> str:
    """``median [min–max]`` of gaps in %; ``inf`` counts as infeasible."""
    g = np.array(gaps)
    if len(g) == 1:
        return f"{g[0]:.2f}" if np.isfinite(g[0]) else "infeasible"
    if not np.isfinite(g).all():
        return f"{int((~np.isfinite(g)).sum())}/{len(g)} infeasible"
    return f"{np.median(g):.2f} [{g.min():.2f}–{g.max():.2f}]"


def bench_solver(folder: Path, limit: float, *, runs: int, variants: list[str],
                 only: set[str], solutions: Path | None) -> dict[str, tuple[float, float, int,
                                                                             int]]:
    """Every instance × run × variant at a fixed ``limit``; per-variant (mean, max, ok, n)."""
    from benchmarks.formats.checks import read_check_instance, write_solution
    from benchmarks.formats.vrplib import read_instance

    bks = {r["instance"]: (r["kind"], float(r["bks"]))
           for r in csv.DictReader((folder / "bks.csv").open())}
    paths = [p for p in _instances(folder) if p.stem in bks and (not only or p.stem in only)]
    load0 = os.getloadavg()
    print(f"\n== Solver quality: {len(paths)} instances, a fixed {limit:g} s each, {runs} "
          f"run(s) per variant (run r: seed 2r; two seeds 2r, 2r+1) ==")
    for v in variants:
        print(f"  {v:<7} {VARIANTS[v]}")
    print(f"load average at start {load0[0]:.2f} / {load0[1]:.2f} / {load0[2]:.2f} "
          "(1 / 5 / 15 min)")
    print("gap % to the best-known solution, re-costed from the coordinates by "
          "benchmarks/formats/checks.py; median [min–max] over runs")
    print(f"{'instance':<12}{'kind':<6}{'n':>4}" + "".join(f"{v:>24}" for v in variants)
          + f"{'wall s':>8}{'load':>6}")
    gaps: dict[tuple[str, str], list[float]] = {}
    kinds: dict[str, str] = {}
    trouble: list[str] = []
    for p in paths:
        bench, check = read_instance(p), read_check_instance(p)
        kind, best = bks[p.stem]
        kinds[p.stem] = kind
        load = os.getloadavg()[0]
        walls = []
        for r in range(runs):
            for v in variants:
                out = _run_one(v, bench, check, limit, seed=2 * r)
                walls.append(out.wall_s)
                gaps.setdefault((p.stem, v), []).append(_gap(out.cost, best))
                trouble += [f"{p.stem} {v} run {r}: {msg}" for msg in out.problems]
                if solutions is not None:
                    write_solution(solutions / f"{limit:g}s" / v / f"run{r}" / f"{p.stem}.sol",
                                   check.kind, out.routes, out.recost)
        print(f"{p.stem:<12}{kind:<6}{check.n_clients:>4}"
              + "".join(f"{_cell(gaps[p.stem, v]):>24}" for v in variants)
              + f"{max(walls):>8.1f}{load:>6.2f}", flush=True)
    load1 = os.getloadavg()
    summary: dict[str, tuple[float, float, int, int]] = {}
    print(f"summary at {limit:g} s: per run the mean gap over the set; median [min–max] over "
          "the runs; max gap = the largest instance median (worst single run in brackets)")
    for kind in ("CVRP", "VRPTW"):
        names = [n for n in kinds if kinds[n] == kind]
        if not names:
            continue
        for v in variants:
            per_run = np.array([[gaps[n, v][r] for n in names] for r in range(runs)])
            ok = np.isfinite(per_run)
            means = [float(row[np.isfinite(row)].mean()) if np.isfinite(row).any() else math.inf
                     for row in per_run]
            medians = np.median(per_run, axis=0)
            worst = float(per_run[ok].max()) if ok.any() else math.inf
            line = (f"{kind:<6}{v:<7} mean gap {_cell(means)} % · max gap "
                    f"{float(medians.max()):.2f} % ({worst:.2f}) · feasible "
                    f"{int(ok.sum())}/{ok.size}")
            print(line)
            summary[f"{kind} {v}"] = (float(np.median(means)), float(medians.max()),
                                      int(ok.sum()), ok.size)
    print(f"load average at end {load1[0]:.2f} / {load1[1]:.2f} / {load1[2]:.2f}")
    if trouble:
        print("problems found by the independent check:")
        for t in trouble:
            print(f"  {t}")
    else:
        print(f"independent check: all {len(paths) * runs * len(variants)} solutions re-costed "
              "to the solver's figure and feasible")
    return summary


# -- 2. matrix speed --------------------------------------------------------------------------

def _synthetic_graph(junctions: int, *, shape_nodes: float, seed: int = 0):  # type: ignore[no-untyped-def]
    """A grid of junctions 200 m apart whose streets carry ~``shape_nodes`` shape nodes each."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo.network import graph_from_edges

    rng = np.random.default_rng(seed)
    j = junctions
    lon0, lat0, dlon, dlat = 26.5, 60.3, 200 / 55_000, 200 / 111_320
    ids = np.arange(j * j).reshape(j, j)
    lon = [lon0 + (ids % j).ravel() * dlon]
    lat = [lat0 + (ids // j).ravel() * dlat]
    streets = [(a, b) for a, b in zip(ids[:, :-1].ravel(), ids[:, 1:].ravel(), strict=True)]
    streets += [(a, b) for a, b in zip(ids[:-1, :].ravel(), ids[1:, :].ravel(), strict=True)]
    next_id = j * j
    us, vs, hw, ow = [], [], [], []
    jlon, jlat = lon[0], lat[0]
    for a, b in streets:
        k = rng.poisson(shape_nodes) if shape_nodes else 0
        t = (np.arange(1, k + 1) / (k + 1))[:, None]
        pts = (1 - t) * [jlon[a], jlat[a]] + t * [jlon[b], jlat[b]]
        pts += rng.normal(0, 1e-5, pts.shape)
        chain = [a, *range(next_id, next_id + k), b]
        lon.append(pts[:, 0])
        lat.append(pts[:, 1])
        next_id += k
        primary = (a % 10 == 0) or (b % 10 == 0)
        one_way = rng.random() < 0.08
        for u, v in itertools.pairwise(chain):
            us.append(u)
            vs.append(v)
            hw.append("primary" if primary else "residential")
            ow.append("yes" if one_way else "no")
    nodes = pd.DataFrame({"id": np.arange(next_id), "lon": np.concatenate(lon),
                          "lat": np.concatenate(lat)})
    xy = nodes[["lon", "lat"]].to_numpy()
    geoms = shapely.linestrings(np.stack([xy[us], xy[vs]], axis=1))
    edges = gpd.GeoDataFrame({"u": us, "v": vs, "highway": hw, "oneway": ow, "maxspeed": None,
                              "name": None}, geometry=geoms, crs=4326)
    return graph_from_edges(nodes, edges, source="synthetic")


def _timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object, float, float]:
    """Wall-clock seconds of ``runs`` calls (sorted), the last result, and the median CPU
    seconds of this process and of its finished child processes (the search helper)."""
    import resource

    times, cpu_here, cpu_children, out = [], [], [], None
    for _ in range(runs):
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu_here.append(time.process_time() - p0)
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_children.append(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime)
    return sorted(times), out, float(np.median(cpu_here)), float(np.median(cpu_children))


def _matrix_case(label: str, junctions: int, shape: float, n_stops: int, runs: int) -> float:
    import networkx as nx

    from geo.network import TravelMatrix, snap_points, travel_matrix

    t0 = time.perf_counter()
    g = _synthetic_graph(junctions, shape_nodes=shape)
    build = time.perf_counter() - t0
    rng = np.random.default_rng(1)
    nodes = rng.choice(g.core_nodes, n_stops, replace=False)
    lon, lat = g.lon[nodes], g.lat[nodes]

    def ours(parallel: bool | None = None) -> TravelMatrix:
        snap = snap_points(g, lon, lat)
        return travel_matrix(g, snap, snap, optimise="fastest", parallel=parallel)

    t_ours, m, cpu_here, cpu_helper = _timed(ours, runs)
    t_one, one, cpu_one, _ = _timed(lambda: ours(parallel=False), runs)
    snap = snap_points(g, lon, lat)
    t_plain, plain, _, _ = _timed(lambda: travel_matrix(g, snap, snap, optimise="fastest",
                                                        contract=False, parallel=False), 1)
    assert isinstance(m, TravelMatrix) and isinstance(one, TravelMatrix)
    assert isinstance(plain, TravelMatrix)
    assert m.time_s is not None and plain.time_s is not None and one.time_s is not None
    e = g.edges.sort_values("time_s").drop_duplicates(["u", "v"])
    dg = nx.DiGraph()
    dg.add_weighted_edges_from(zip(e["u"].tolist(), e["v"].tolist(), e["time_s"].tolist(),
                                   strict=True), weight="time")
    sub = 25
    t0 = time.perf_counter()
    ref = [nx.single_source_dijkstra_path_length(dg, int(s), weight="time")
           for s in snap.node[:sub]]
    nx_s = (time.perf_counter() - t0) * n_stops / sub
    err = max(abs(m.time_s[i, j] - ref[i][int(t)]) for i in range(sub)
              for j, t in enumerate(snap.node))
    same = np.array_equal(m.time_s, one.time_s) and np.array_equal(m.distance_m, one.distance_m)
    med = float(np.median(t_ours))
    print(f"{label}: {g.n_nodes:,} nodes, {g.n_edges:,} edges (built in {build:.1f} s)")
    helper = (f"CPU {cpu_here:.2f} s here + {cpu_helper:.2f} s in the helper process"
              if cpu_helper > 0 else f"one process: no helper at this size, CPU {cpu_here:.2f} s")
    print(f"  ours {med:5.2f} s [{t_ours[0]:.2f}–{t_ours[-1]:.2f}] (contracted; {helper}) · "
          f"forced into one process "
          f"{np.median(t_one):5.2f} s [{t_one[0]:.2f}–{t_one[-1]:.2f}] (CPU {cpu_one:.2f} s) · one "
          f"process uncontracted {t_plain[0]:5.2f} s · networkx per source {nx_s:6.1f} s "
          f"(25 sources ×{n_stops // sub}) · ours/networkx {med / nx_s:.3f} · identical in one "
          f"and two processes: {'yes' if same else 'NO'} · max |time − networkx| {err:.2f} s · "
          f"max |time − uncontracted| {np.abs(m.time_s - plain.time_s).max():.2f} s · "
          f"target ≤ 2 s: {'met' if med <= 2 else 'MISSED'}", flush=True)
    return med


def bench_matrix(n_stops: int = 500, runs: int = 3) -> list[tuple[str, float]]:
    """500 stops on two 50k-node graphs: the planner's call, median of ``runs`` calls."""
    load = os.getloadavg()
    print(f"\n== Matrix: {n_stops} stops on synthetic 50k-node graphs, as the planner calls it "
          f"(snap_points + travel_matrix(optimise='fastest')), median [min–max] of {runs} "
          f"calls; load average at start {load[0]:.2f} ==")
    out = [(label, _matrix_case(label, junctions, shape, n_stops, runs))
           for label, junctions, shape in (
               ("OSM-like grid (streets with shape nodes)", 85, 3.0),
               ("pure lattice (every node a junction)", 224, 0.0))]
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return out


# -- 3. end to end ----------------------------------------------------------------------------

def bench_end_to_end(n_stops: int = 200, limit: float = 10.0, runs: int = 3) -> float:
    from pyvrp import CostEvaluator, solve
    from pyvrp.stop import MaxRuntime

    from benchmarks.payload import map_payload_bytes, stats
    from geo.network import graph_from_pbf
    from geo.routing import Depot, Fleet, Producer, SolverOptions
    from geo.routing.pipeline import plan_from_producers
    from geo.routing.solve import encode
    from layers.base import base_map
    from layers.basemap import write_basemap
    from layers.routing import add_depot, add_routes, add_stops

    pbf = BENCH_DIR / "osm" / "liechtenstein-2013-08-03.osm.pbf"
    if not pbf.exists():
        print(f"\n(end to end skipped: {pbf} not found)")
        return float("nan")
    print(f"\n== End to end: {n_stops} stops on the Liechtenstein road graph ==")
    t0 = time.perf_counter()
    g = graph_from_pbf(pbf)
    print(f"graph {g.n_nodes:,} nodes read in {time.perf_counter() - t0:.1f} s (cached by the "
          "app; not counted)")
    rng = np.random.default_rng(7)
    nodes = rng.choice(g.core_nodes, n_stops + 1, replace=False)
    jitter = rng.normal(0, 0.0003, (n_stops + 1, 2))
    prods = [Producer(f"p{i}", f"Producer {i}", float(g.lon[n] + jitter[i, 0]),
                      float(g.lat[n] + jitter[i, 1]), float(rng.uniform(0.3, 2.0)) * 52,
                      service_s=300) for i, n in enumerate(nodes[1:])]
    depot = Depot("Depot", float(g.lon[nodes[0]]), float(g.lat[nodes[0]]))
    fleet = Fleet(vehicles=15, capacity=20.0, shift_start_s=6 * 3600, shift_end_s=18 * 3600)
    totals: list[float] = []
    for run in range(runs):
        t0 = time.perf_counter()
        res = plan_from_producers(prods, depot, fleet, days=("mon",), graph=g,
                                  options=SolverOptions(time_limit_s=limit, seeds=(2 * run,
                                                                                   2 * run + 1)))
        with tempfile.TemporaryDirectory() as static:  # the app's static folder
            url = write_basemap(Path(static), roads=g.edges[["highway", "geometry"]])
            m = base_map(bounds=res.lines.total_bounds, basemap_url=f"/app/static/{url}")
            add_routes(m, res.lines)
            add_stops(m, res.stops)
            add_depot(m, depot)
            payload = map_payload_bytes(m)  # what the page's st_folium sends on a rerun
            basemap_bytes = (Path(static) / str(url)).stat().st_size
        totals.append(time.perf_counter() - t0)
    total_stats = stats(totals)
    total = total_stats.median
    t = res.timings_s
    standalone = base_map(bounds=res.lines.total_bounds, roads=g.edges[["highway", "geometry"]])
    add_routes(standalone, res.lines)
    add_stops(standalone, res.stops)
    add_depot(standalone, depot)
    html = standalone.get_root().render()
    print(f"graph → drawn routes {total_stats.fmt(1)} s over {runs} runs (last run: matrix "
          f"{t['matrix']:.2f} s, solve {t['solve']:.1f} s, route lines {t['draw']:.2f} s, map "
          f"{totals[-1] - sum(t.values()):.2f} s) · {len(res.plan.served)} served in "
          f"{len(res.plan.routes)} routes, {len(res.left_out)} left out")
    print(f"map payload per rerun {payload:,} B (target ≤ 300,000 B: "
          f"{'met' if payload <= 300_000 else 'MISSED'}) + the base map file "
          f"{basemap_bytes:,} B fetched once and cached by the browser; the same map as a "
          f"standalone HTML file with the roads inlined: {len(html):,} B")
    enc = encode(res.plan.instance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = solve(enc.data, MaxRuntime(limit), seed=0, display=False)
    ref_cost = (CostEvaluator([0], 0, 0).cost(ref.best) / enc.cost_scale
                if ref.is_feasible() else float("inf"))
    print(f"plan cost {res.plan.cost:,.1f} EUR vs PyVRP default single seed {ref_cost:,.1f} EUR "
          f"(same data, {limit:g} s) · ratio {res.plan.cost / ref_cost:.4f} · target ≤ 15 s: "
          f"{'met' if total <= 15 else 'MISSED'}")
    return total


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; the last line is the solver summary of the first time limit."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--instances", default=str(BENCH_DIR / "vrp"))
    p.add_argument("--time-limit", type=float, nargs="+", default=[20.0],
                   help="fixed seconds per instance and solve; several give several tables")
    p.add_argument("--runs", type=int, default=3, help="runs per instance and variant")
    p.add_argument("--variants", default=",".join(VARIANTS),
                   help=f"comma-separated, of {', '.join(VARIANTS)}")
    p.add_argument("--solutions", default="",
                   help="write every solution as DIR/<limit>s/<variant>/run<r>/<name>.sol")
    p.add_argument("--only", default="", help="comma-separated instance names")
    p.add_argument("--e2e-only", action="store_true", help="only the matrix and end to end")
    p.add_argument("--skip-e2e", action="store_true", help="skip the matrix and end to end")
    args = p.parse_args(argv)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown or not variants or args.runs < 1:
        p.error(f"--variants takes some of {', '.join(VARIANTS)} (got {unknown or 'none'}); "
                "--runs at least 1")
    folder = Path(args.instances)
    load = os.getloadavg()
    print(f"load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on "
          f"{os.cpu_count()} cores (a shared machine: other work slows every figure below)")
    if not args.skip_e2e:
        bench_matrix()
        bench_end_to_end(runs=max(args.runs, 3))
    if args.e2e_only:
        return 0
    if not (folder / "bks.csv").exists():
        print(f"benchmark data not found at {folder}: skipped")
        return 0
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    solutions = Path(args.solutions) if args.solutions else None
    results = [(limit, bench_solver(folder, limit, runs=args.runs, variants=variants,
                                    only=only, solutions=solutions))
               for limit in args.time_limit]
    load = os.getloadavg()
    print(f"\nload average at end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    limit, summary = results[0]
    v = "ours-2" if "ours-2" in variants else variants[0]
    rows = [summary[k] for k in summary if k.endswith(f" {v}")]
    n_ok, n = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(f"summary ({limit:g} s, {VARIANTS[v]}): " + " · ".join(
        f"{k.split()[0]} mean gap {r[0]:.2f} % max gap {r[1]:.2f} %"
        for k, r in summary.items() if k.endswith(f" {v}")) + f" · feasible {n_ok}/{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
