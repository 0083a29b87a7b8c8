"""Site-finder benchmarks: the p-median solver on OR-Library, road-network scoring, screening.

Usage::

    python benchmarks/siting_bench.py --instances ../shared/bench/pmed --skip-scoring \
        --skip-screening                       # p-median: 3 runs, HiGHS on pmed1-10, weighted 1-20
    python benchmarks/siting_bench.py --only pmed1,pmed2,pmed6 --runs 1 --skip-scoring \
        --skip-screening                       # a quick look
    python benchmarks/siting_bench.py --skip-pmed

1. **p-median** — every ``pmedN.txt`` of ``DIR`` (OR-Library, Beasley 1985; duplicate edges:
   the last occurrence counts, see ``DIR/SOURCE.md``) is read into its all-pairs shortest-path
   matrix (scipy) and solved ``--runs`` times (default 3; the solver has no random element, so
   these are repeats) by :func:`geo.siting.pmedian.solve_pmedian` within ``--time-limit``
   seconds, as the app calls it (a branch-and-bound tree still open after 0.3 s is shared with a
   second process, ``--workers 2``, the default; always, where the app does so only when a
   second core is idle, so that the figures do not depend on the load). Per instance: the worst
   run's objective and gap % to the published optimum (``DIR/optima.csv``), the lowest lower
   bound, "proven" only when every run's lower bound proves its objective
   (:func:`benchmarks.pmedian_reference.bound_proves`; otherwise the proven gap), time as median
   [min–max], and the method. References in the same run: greedy + vertex substitution
   (Teitz–Bart) alone; HiGHS with its default settings (presolve and primal heuristics on, no
   cutoff or objective bound; one thread) on the full radius MILP, ``--runs`` times on the
   ``--highs`` instances (default pmed1–10, n ≤ 200), ``--milp-limit`` seconds each, with the
   ratio of our median time to HiGHS's. Then a **weighted variant** of the ``--weighted``
   instances (default pmed1–20): each client weighs lognormal(3, 1) tonnes (seeded by the
   instance number), so costs are distance × tonnes and not integers, as in the app; our proof
   rate, gap to the best of our and HiGHS's objectives, gap to the best of our and HiGHS's
   bounds, and time. Load average at start and end.
2. **Road-network scoring** — 10,000 candidate cells × 100,000 supplier records (3 streams)
   on the real Liechtenstein road graph (``DIR/../osm``), scored end to end
   (:func:`geo.siting.haul.haul_matrix` + :func:`geo.siting.scoring.score_sites`), against
   a naive dense evaluation of 500 candidates (every record, exact access legs) scaled to
   10,000, whose tonnages also check the fast path's.
3. **National screening** — a 700 × 1,000 km grid of 1 km cells (700,000 cells) against
   50,000 records (clustered on the real SEPA waste sites where ``DIR/../sepa`` is present),
   scored by :func:`geo.siting.screening.screen_grid` with separated proposals, against a
   KD-tree count of 2,000 cells scaled to the grid, which also checks the tonnages.

The last line of part 1 (run last) is the issue's summary, over the unweighted instances:
``mean gap X % · max gap Y % · optimal N/M · proven N/M · slowest S s`` (slowest: the largest
median time).
Data come from ``SYMBIOMAP_BENCH_DIR`` (default ``../shared/bench``); parts whose data are
absent are skipped with a message.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.payload import Stats, stats  # noqa: E402

if TYPE_CHECKING:
    from benchmarks.pmedian_reference import HighsRun
    from geo.siting.pmedian import PMedianResult

BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "bench"))


# -- 1. p-median -------------------------------------------------------------------------------

def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min, {os.cpu_count()} cores)"


def _solve_runs(dist: np.ndarray, p: int, *, weights: np.ndarray | None, time_limit: float,
                runs: int, workers: int) -> list[PMedianResult]:
    """``runs`` solves of one instance (the solver has no random element: plain repeats).

    The app's defaults, except that a large branch-and-bound tree is shared with a second
    process whenever ``workers`` is 2, not only when a second core is idle at that moment:
    the figures do not depend on the machine's load.
    """
    from geo.siting.pmedian import PMedianParams, solve_pmedian

    params = PMedianParams(time_limit_s=time_limit, workers=workers, only_free_cores=False)
    return [solve_pmedian(dist, p, weights=weights, params=params) for _ in range(runs)]


def _proofs(name: str, results: list[PMedianResult], *, integral: bool) -> int:
    """Runs whose lower bound proves their objective; warns where the solver's flag disagrees."""
    from benchmarks.pmedian_reference import bound_proves

    proofs = 0
    for r in results:
        proof = bound_proves(r.objective, r.lower_bound, integral=integral)
        proofs += proof
        if proof != r.proven_optimal:
            print(f"  WARNING {name}: the solver says proven_optimal={r.proven_optimal} but its "
                  f"bound {r.lower_bound!r} {'proves' if proof else 'does not prove'} "
                  f"{r.objective!r}")
    return proofs


def _methods(results: list[PMedianResult]) -> str:
    """The methods of the runs; ``×2`` where the branch-and-bound used two processes in every
    run, ``×1-2`` in some (a tree that closed around the moment it would be shared)."""
    shared = [r.log.get("bnb_processes") == 2 for r in results]
    suffix = "×2" if all(shared) else "×1-2" if any(shared) else ""
    return "/".join(sorted({r.method for r in results})) + suffix


def _proof_text(proofs: int, runs: int, worst_gap_pct: float) -> str:
    if proofs == runs:
        return "proven"
    head = f"proven {proofs}/{runs}, " if proofs else ""
    return f"{head}open {worst_gap_pct:.3f}%"


def _check_against(name: str, ours: list[PMedianResult], refs: list[HighsRun]) -> None:
    """Print a line if a bound of ours exceeds a HiGHS solution, or HiGHS's bound one of ours."""
    for ref in refs:
        tol = 1e-9 * max(1.0, abs(ref.bound) if np.isfinite(ref.bound) else 1.0)
        for r in ours:
            if np.isfinite(ref.objective) and r.lower_bound > ref.objective + tol:
                print(f"  INCONSISTENT {name}: our bound {r.lower_bound!r} > HiGHS's solution "
                      f"{ref.objective!r}")
            if ref.bound > r.objective + tol:
                print(f"  INCONSISTENT {name}: HiGHS's bound {ref.bound!r} > our solution "
                      f"{r.objective!r}")


def bench_pmedian(folder: Path, *, only: set[str], time_limit: float, milp_limit: float,
                  runs: int, highs: str, weighted: str, workers: int = 2) -> None:
    from benchmarks.formats.orlib import read_orlib_pmed
    from benchmarks.pmedian_reference import (
        Spread,
        bound_proves,
        gap_pct,
        highs_reference,
        select_instances,
    )
    from geo.siting.pmedian import PMedianInstance

    optima = {r["instance"]: float(r["optimum"])
              for r in csv.DictReader((folder / "optima.csv").open())}
    names = [n for n in sorted(optima, key=lambda s: int(s[4:])) if not only or n in only]
    if not names:
        print("p-median: no instance selected")
        return
    print(f"p-median on OR-Library ({len(names)} instances), time limit {time_limit:g} s each, "
          f"{runs} run(s) per instance (the solver has no random element: repeats); a "
          f"branch-and-bound tree still open after 0.3 s is shared between {workers} "
          f"process(es) ('×2' after the method where it was)")
    print(f"load average at start {_load()}")
    print("'proven': the solver's lower bound proves the objective (integer costs: bound > "
          "objective − 1; otherwise within 1e-9 relative), in every run; 'open': the largest "
          "proven gap; objective and gap: the worst run; time: median [min–max] of the runs")
    print(f"{'inst':7} {'n':>4} {'p':>4} {'optimum':>8} {'ours':>8} {'gap%':>7} "
          f"{'bound':>9} {'proof':18} {'time s':>19}  {'method':20}| {'greedy+swap':>11} "
          f"{'gap%':>6} {'time s':>7}")
    gaps: list[float] = []
    times: dict[str, Spread] = {}
    solved: dict[str, list[PMedianResult]] = {}
    optimal = proven = ref_opt = 0
    ref_gaps: list[float] = []
    ref_time = 0.0
    for name in names:
        dist, p = read_orlib_pmed(folder / f"{name}.txt")
        opt = optima[name]
        results = solved[name] = _solve_runs(dist, p, weights=None, time_limit=time_limit,
                                             runs=runs, workers=workers)
        obj = max(r.objective for r in results)
        proofs = _proofs(name, results, integral=True)
        gaps.append(gap_pct(obj, opt))
        optimal += all(r.objective == opt for r in results)
        proven += proofs == runs
        times[name] = spread = Spread.of([r.time_s for r in results])
        t0 = time.perf_counter()
        inst = PMedianInstance(dist)
        _, ref = inst.local_search(inst.greedy(p))
        dt = time.perf_counter() - t0
        ref_time += dt
        ref_gaps.append(gap_pct(ref, opt))
        ref_opt += ref == opt
        methods = _methods(results)
        proof = _proof_text(proofs, runs, max(100 * r.gap for r in results))
        print(f"{name:7} {len(dist):4d} {p:4d} {opt:8.0f} {obj:8.0f} {gaps[-1]:7.3f} "
              f"{min(r.lower_bound for r in results):9.1f} {proof:18} {spread!s:>19}  "
              f"{methods:20}| {ref:11.0f} {ref_gaps[-1]:6.3f} {dt:7.2f}", flush=True)
    slowest = max(names, key=lambda n: times[n].median)
    print(f"ours: optimal {optimal}/{len(names)}, proven {proven}/{len(names)}, slowest "
          f"{slowest} {times[slowest]} s, slowest single run "
          f"{max(s.high for s in times.values()):.2f} s (limit {time_limit:g} s), sum of "
          f"medians {sum(s.median for s in times.values()):.1f} s")
    print(f"reference greedy + swap: optimal {ref_opt}/{len(names)}, mean gap "
          f"{np.mean(ref_gaps):.3f} %, total {ref_time:.1f} s "
          f"(ratio of optimal counts {optimal}/{ref_opt})")

    ref_names = select_instances(highs, names) if milp_limit > 0 else []
    if ref_names:
        print(f"\nreference: HiGHS with its default settings (presolve, cuts, primal heuristics "
              f"on; no cutoff, no start; optimal = gap within its mip_rel_gap 1e-4; one thread) on "
              f"the radius MILP over every site, time limit {milp_limit:g} s, {runs} run(s); "
              "ratio = our median time / HiGHS's ('<' where HiGHS stopped at its limit)")
        print(f"{'inst':7} {'HiGHS obj':>10} {'bound':>10} {'mip gap%':>8} {'status':18} "
              f"{'proof':5} {'HiGHS time s':>21} {'ours s':>7} {'ratio':>8}")
        ratios: list[float] = []
        for name in ref_names:
            dist, p = read_orlib_pmed(folder / f"{name}.txt")
            refs = [highs_reference(dist, p, time_limit_s=milp_limit) for _ in range(runs)]
            _check_against(name, solved[name], refs)
            hs = Spread.of([r.time_s for r in refs])
            highs_proof = all(bound_proves(r.objective, r.bound, integral=True) for r in refs)
            status = "/".join(sorted({r.status for r in refs}))
            ratios.append(times[name].median / hs.median)
            sign = " " if all(r.optimal for r in refs) else "<"
            print(f"{name:7} {max(r.objective for r in refs):10.0f} "
                  f"{min(r.bound for r in refs):10.1f} {100 * max(r.mip_gap for r in refs):8.3f} "
                  f"{status:18} {'yes' if highs_proof else 'no':5} {hs!s:>21} "
                  f"{times[name].median:7.2f} {sign}{ratios[-1]:7.4f}", flush=True)
        print(f"ours / HiGHS time: median {np.median(ratios):.4f}, range "
              f"{min(ratios):.4f}–{max(ratios):.4f} over {len(ratios)} instances")

    w_names = select_instances(weighted, names)
    if w_names:
        _bench_weighted(folder, w_names, time_limit=time_limit, milp_limit=milp_limit, runs=runs,
                        workers=workers)
    print(f"load average at end {_load()}")
    print(f"mean gap {np.mean(gaps):.3f} % · max gap {max(gaps):.3f} % · "
          f"optimal {optimal}/{len(names)} · proven {proven}/{len(names)} · "
          f"slowest {times[slowest].median:.2f} s")


def _bench_weighted(folder: Path, names: list[str], *, time_limit: float, milp_limit: float,
                    runs: int, workers: int) -> None:
    """The same instances with lognormal tonnes per client: non-integer costs, like the app's."""
    from benchmarks.formats.orlib import read_orlib_pmed
    from benchmarks.pmedian_reference import (
        Spread,
        demand_weights,
        gap_pct,
        highs_reference,
        is_integral,
    )

    print(f"\nweighted variant ({len(names)} instances): each client weighs lognormal(3, 1) "
          "tonnes (seed = instance number, benchmarks.pmedian_reference.demand_weights), cost "
          "= distance × tonnes as in the app's p-median; ours "
          f"{runs} run(s), HiGHS (defaults, {milp_limit:g} s) one run for its objective and "
          "bound; best = the lower of our objective and HiGHS's; best bound = the higher of "
          "ours and HiGHS's")
    print(f"{'inst':7} {'ours':>12} {'bound':>12} {'proof':18} {'time s':>19}  "
          f"{'method':20}| {'HiGHS obj':>12} {'bound':>12} {'status':18} {'time s':>7} | "
          f"{'gap best%':>9} {'to bound%':>9}")
    gaps, bound_gaps, proven, highs_opt, integral_count = [], [], 0, 0, 0
    times: dict[str, Spread] = {}
    for name in names:
        dist, p = read_orlib_pmed(folder / f"{name}.txt")
        w = demand_weights(len(dist), seed=int(name[4:]))
        integral = is_integral(dist * w[:, None])
        integral_count += integral
        results = _solve_runs(dist, p, weights=w, time_limit=time_limit, runs=runs,
                              workers=workers)
        obj = max(r.objective for r in results)
        bound = min(r.lower_bound for r in results)
        proofs = _proofs(name, results, integral=integral)
        proven += proofs == runs
        times[name] = spread = Spread.of([r.time_s for r in results])
        best, best_bound = obj, bound
        ref_text = f"{'':>12} {'':>12} {'not run':18} {'':>7}"
        if milp_limit > 0:
            ref = highs_reference(dist * w[:, None], p, time_limit_s=milp_limit)
            _check_against(name, results, [ref])
            highs_opt += ref.optimal
            if np.isfinite(ref.objective):
                best = min(best, ref.objective)
            best_bound = max(best_bound, ref.bound)
            ref_text = (f"{ref.objective:12.2f} {ref.bound:12.2f} {ref.status:18} "
                        f"{ref.time_s:7.2f}")
        gaps.append(gap_pct(obj, best))
        bound_gaps.append(max(0.0, 100 * (obj - best_bound) / obj))
        methods = _methods(results)
        proof = _proof_text(proofs, runs, max(100 * r.gap for r in results))
        print(f"{name:7} {obj:12.2f} {bound:12.2f} {proof:18} {spread!s:>19}  {methods:20}| "
              f"{ref_text} | {gaps[-1]:9.4f} {bound_gaps[-1]:9.4f}", flush=True)
    slowest = max(names, key=lambda n: times[n].median)
    highs = f" · HiGHS optimal (its tolerance) {highs_opt}/{len(names)}" if milp_limit > 0 else ""
    print(f"weighted: proven {proven}/{len(names)} · mean gap to best {np.mean(gaps):.4f} % · "
          f"max gap to best {max(gaps):.4f} % · max gap to best bound {max(bound_gaps):.4f} % · "
          f"slowest {slowest} {times[slowest]} s{highs} · integer-cost instances "
          f"{integral_count}/{len(names)}")


# -- 2. road-network scoring -----------------------------------------------------------------

def _two_steps(first: Callable[[], Any], second: Callable[[Any], Any], runs: int
               ) -> tuple[Any, Any, Stats, Stats, Stats]:
    """``second(first())`` ``runs`` times: the last results and the times of each step and
    of both (median, min, max)."""
    a_s, b_s, both_s = [], [], []
    a = b = None
    for _ in range(runs):
        t0 = time.perf_counter()
        a = first()
        t1 = time.perf_counter()
        b = second(a)
        t2 = time.perf_counter()
        a_s.append(t1 - t0)
        b_s.append(t2 - t1)
        both_s.append(t2 - t0)
    return a, b, stats(a_s), stats(b_s), stats(both_s)


def bench_scoring(osm: Path, *, resolution_m: float, runs: int = 3) -> None:
    from geo.network import graph_from_pbf, snap_points, travel_matrix
    from geo.siting.haul import haul_matrix
    from geo.siting.scoring import ScoringParams, score_sites

    pbf = osm / "liechtenstein-2013-08-03.osm.pbf"
    if not pbf.exists():
        print(f"scoring: skipped ({pbf} not found)")
        return
    graph = graph_from_pbf(pbf)
    rng = np.random.default_rng(42)
    lon0, lat0, lon1, lat1 = graph.bounds()
    side = 100
    gx, gy = np.meshgrid(np.linspace(lon0, lon1, side), np.linspace(lat0, lat1, side))
    cand = np.column_stack([gx.ravel(), gy.ravel()])
    core = graph.core_nodes
    at = rng.choice(core, size=100_000)
    sup = np.column_stack([graph.lon[at] + rng.normal(0, 0.002, 100_000),
                           graph.lat[at] + rng.normal(0, 0.0015, 100_000)])
    streams = rng.integers(0, 3, 100_000)
    tonnes = np.zeros((100_000, 3))
    tonnes[np.arange(100_000), streams] = rng.lognormal(3, 1, 100_000)
    params = ScoringParams(max_haul_m=8_000, min_throughput_t=5_000, max_throughput_t=50_000,
                           cost_per_tkm=0.15, co2e_kg_per_tkm=0.107)
    print(f"\nroad-network scoring: {len(cand):,} candidate cells × {len(sup):,} supplier records "
          f"on Liechtenstein ({graph.n_nodes:,} nodes), haul limit 8 km; median (min–max) of "
          f"{runs} runs; load average at start {_load()}")
    def matrix() -> Any:
        return haul_matrix(graph, cand, sup, access_resolution_m=resolution_m,
                           limit_m=params.max_haul_m)

    def scores(haul: Any) -> Any:
        return score_sites(haul.distance_m, haul.group_sum(tonnes), params,
                           producers=haul.group_sum(np.ones(len(sup))), row_of=haul.row_of,
                           offset_m=haul.offset_m, extra_tm=haul.rounding_tm(tonnes.sum(axis=1)))

    haul, table, matrix_s, score_s, total = _two_steps(matrix, scores, runs)
    print(f"  ours: matrix {matrix_s.fmt(2)} s ({haul.distance_m.shape[0]:,} rows × "
          f"{haul.n_groups:,} supply groups), scores {score_s.fmt(2)} s, total "
          f"{total.fmt(2)} s (target ≤ 10 s); {int(table['viable'].sum()):,} viable cells")
    # Naive reference: exact per-record access legs, dense masks, 500 candidates.
    sample = rng.choice(len(cand), 500, replace=False)
    t3 = time.perf_counter()
    sc = snap_points(graph, cand[sample, 0], cand[sample, 1])
    ss = snap_points(graph, sup[:, 0], sup[:, 1])
    d = travel_matrix(graph, ss, sc, with_time=False, max_snap_m=2000.0).distance_m.T
    within = d <= params.max_haul_m
    naive = within.astype(float) @ tonnes
    naive_tkm = np.where(within, d, 0.0) @ tonnes.sum(axis=1) / 1000
    t4 = time.perf_counter()
    ours = table[[c for c in table.columns if c.startswith("t_")]].to_numpy()[sample]
    ok = np.isfinite(sc.distance_m) & (sc.distance_m <= 2000)
    diff = np.abs(ours - naive).sum(axis=1)[ok] / np.maximum(naive.sum(axis=1)[ok], 1.0)
    under = (naive.sum(axis=1) - ours.sum(axis=1))[ok]
    same = ok & np.isclose(ours.sum(axis=1), naive.sum(axis=1))
    ours_tkm = (table["mean_haul_km"] * table["feedstock_t"]).to_numpy()[sample]
    tkm_diff = np.abs(ours_tkm - naive_tkm)[same] / np.maximum(naive_tkm[same], 1.0)
    scaled = (t4 - t3) * len(cand) / len(sample)
    print(f"  reference (naive dense, exact access legs): 500 candidates in {t4 - t3:.2f} s → "
          f"{scaled:.1f} s for {len(cand):,}; ours ×{scaled / total.median:.1f} faster")
    print(f"  check against the reference: tonnage within reach differs by median "
          f"{100 * np.median(diff):.3f} %, max {100 * diff.max():.2f} % (never more: "
          f"{bool((under >= -1e-6).all())}; supplier access legs rounded up to "
          f"{resolution_m:g} m for the reach test); where the tonnage agrees "
          f"({int(same.sum())} of {int(ok.sum())}), tonne-km differ by at most "
          f"{100 * tkm_diff.max(initial=0):.4f} %")
    print(f"scoring {len(cand):,} cells × {len(sup):,} records over roads: {total.fmt(2)} s "
          f"(target ≤ 10 s); load average at end {_load()}")


# -- 3. national screening -------------------------------------------------------------------

def bench_screening(sepa: Path, *, runs: int = 3) -> None:
    import pyproj
    from scipy.spatial import cKDTree

    from geo.concentrations.grid import Grid
    from geo.siting.screening import screen_grid, separated_top_cells

    crs = pyproj.CRS.from_epsg(27700)
    rng = np.random.default_rng(7)
    n = 50_000
    sites = sepa / "waste-site-io.csv"
    if sites.exists():
        import pandas as pd

        s = pd.read_csv(sites).dropna(subset=["latitude", "longitude"])
        tr = pyproj.Transformer.from_crs(4326, crs, always_xy=True)
        cx, cy = tr.transform(s["longitude"].to_numpy(), s["latitude"].to_numpy())
        pick = rng.integers(0, len(cx), n)
        x = np.asarray(cx)[pick] + rng.normal(0, 5_000, n)
        y = np.asarray(cy)[pick] + rng.normal(0, 5_000, n)
        source = f"clustered on {len(cx):,} SEPA waste sites"
    else:
        x, y = rng.uniform(0, 700_000, n), rng.uniform(0, 1_000_000, n)
        source = "uniform random (SEPA data absent)"
    t = rng.lognormal(4, 1.2, n)
    grid = Grid(x0=0.0, y1=1_250_000.0, cell_m=1000.0, nx=700, ny=1000, crs=crs)
    print(f"\nnational screening: {grid.nx * grid.ny:,} cells of 1 km × {n:,} records "
          f"({source}), haul limit 50 km; median (min–max) of {runs} runs; load average at "
          f"start {_load()}")
    screen, top, grid_s, top_s, total = _two_steps(
        lambda: screen_grid(x, y, t, crs=crs, max_haul_m=50_000, max_throughput_t=50_000,
                            grid=grid),
        lambda screen: separated_top_cells(screen, n=10, min_separation_m=30_000), runs)
    print(f"  ours: grid {grid_s.fmt(2)} s, 10 proposals ≥ 30 km apart "
          f"{top_s.fmt(2)} s, total {total.fmt(2)} s; best cell "
          f"{top['tonnes'].iloc[0]:,.0f} t/yr within reach")
    cxs, cys = grid.cell_centres()
    sample = rng.choice(grid.nx * grid.ny, 2000, replace=False)
    t3 = time.perf_counter()
    tree = cKDTree(np.column_stack([x, y]))
    r, c = np.divmod(sample, grid.nx)
    hits = tree.query_ball_point(np.column_stack([cxs[r, c], cys[r, c]]), 50_000 / 1.3)
    naive = np.array([t[h].sum() for h in hits])
    t4 = time.perf_counter()
    scaled = (t4 - t3) * grid.nx * grid.ny / len(sample)
    rel = np.abs(screen.tonnes[r, c] - naive) / np.maximum(naive, 1.0)
    print(f"  reference (KD-tree ball count, exact positions): 2,000 cells in {t4 - t3:.2f} s → "
          f"{scaled:.0f} s for the grid; ours ×{scaled / total.median:.0f} faster; median "
          f"difference {100 * np.median(rel):.2f} % (records binned to 1 km cells)")
    print(f"national 1 km screening grid ({grid.nx * grid.ny:,} cells): {total.fmt(2)} s "
          f"(target ≤ 3 s); load average at end {_load()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", default=str(BENCH_DIR / "pmed"),
                    help="folder with pmed1.txt … pmed40.txt and optima.csv")
    ap.add_argument("--only", default="", help="instances to run, e.g. pmed1,pmed6")
    ap.add_argument("--time-limit", type=float, default=5.0, help="seconds per instance")
    ap.add_argument("--milp-limit", type=float, default=20.0,
                    help="seconds for each HiGHS reference run (0: skip HiGHS)")
    ap.add_argument("--runs", type=int, default=3,
                    help="solves of each p-median instance (times: median [min–max])")
    ap.add_argument("--highs", default="pmed1-10",
                    help="instances also solved by HiGHS as the time reference, --runs times "
                         "each (e.g. pmed1-5,pmed8; 'all'; 'none')")
    ap.add_argument("--weighted", default="pmed1-20",
                    help="instances also solved with lognormal tonnes per client (non-integer "
                         "costs, like the app's), HiGHS once each ('all'; 'none')")
    ap.add_argument("--workers", type=int, choices=(1, 2), default=2,
                    help="processes a large branch-and-bound tree is shared between (the app's "
                         "default 2; 1 for the one-core figures)")
    ap.add_argument("--access-resolution", type=float, default=25.0,
                    help="metres to which supplier access legs are rounded up when grouping")
    ap.add_argument("--skip-pmed", action="store_true")
    ap.add_argument("--skip-scoring", action="store_true")
    ap.add_argument("--skip-screening", action="store_true")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    folder = Path(args.instances)
    if not args.skip_screening:
        bench_screening(folder.parent / "sepa", runs=max(args.runs, 3))
    if not args.skip_scoring:
        bench_scoring(folder.parent / "osm", resolution_m=args.access_resolution,
                      runs=max(args.runs, 3))
    if not args.skip_pmed:
        if (folder / "optima.csv").exists():
            print()
            bench_pmedian(folder, only={s for s in args.only.split(",") if s},
                          time_limit=args.time_limit, milp_limit=args.milp_limit,
                          runs=args.runs, highs=args.highs, weighted=args.weighted,
                          workers=args.workers)
        else:
            print(f"p-median: skipped ({folder / 'optima.csv'} not found)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
