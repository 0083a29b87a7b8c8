"""Benchmark of disclosure control: building the protected releases, reading them, what remains.

For the demo and a seeded 100,000-record regional programme (``benchmarks/synthetic.py``):

- **build**: the protected release of haves and wants (``geo.disclosure.build_release``),
  as the app builds it once per data version — beside the reference of aggregating the same
  tree without any protection (one pandas ``groupby`` per level), so the ratio is the cost of
  protection (goal: ≤ 5 s at 100,000 records);
- **viewer read**: what a viewer's page reads from a built release for its default views —
  the stream and park tables, released fine hexagons, the classed heat surface and its map
  image (goal: ≤ 0.3 s);
- **what a viewer still gets**: the share of tonnage released at stream, park and each hexagon
  level, and how closely the viewer's heat surface follows the practitioner's (Pearson
  correlation on the same grid, at the viewer's default bandwidth and at 2 km).

Each timing is the median of ``--repeat`` runs (default 3) with min and max; the load average
is printed at start and end. Run: ``python benchmarks/disclosure_bench.py`` (``--sizes 100000``).
The last line is ``summary: records=… build_s=… read_s=… park_share=… heat_r=…`` for the
largest size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import regional_programme
from geo.catalogue import load_catalogue
from geo.concentrations import display_image
from geo.concentrations.density import KDEParams, kde_surface
from geo.concentrations.grid import project_lonlat
from geo.concentrations.viewer import (
    release_query,
    viewer_bandwidth_m,
    viewer_cells,
    viewer_heat,
    viewer_mass_points,
    viewer_parks,
)
from geo.demo import load_demo_programme
from geo.disclosure import build_release
from geo.disclosure.release import LEVELS, ProgrammeRelease, release_records, release_streams
from geo.programme import Programme


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f})"


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float, float]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times), min(times), max(times)


def _reference(prog: Programme) -> None:
    """The same tree aggregated with no protection: one groupby per level (a lower bound)."""
    cat = load_catalogue()
    recs = release_records(prog, cat, release_streams(cat))
    recs = recs.assign(coarse="c", middle="m", fine="f")
    for d in range(len(LEVELS) + 1):
        keys = ["direction", *LEVELS[:d]]
        recs.groupby(keys, observed=True).agg(t=("tonnes", "sum"), n=("site_id", "nunique"))


def _correlation(prog: Programme, release: Any, bandwidth_m: float) -> tuple[float, float]:
    """Pearson r of the viewer's heat against the practitioner's, on the viewer's grid.

    The first figure compares the classed surface the viewer sees (each class at the geometric
    middle of its limits, class 0 as nothing); the second the release's mass points before
    classing (what the classing costs on top of the suppression).
    """
    cat = load_catalogue()
    query = release_query(release, direction="have")
    classed = viewer_heat(release, query, bandwidth_m=bandwidth_m)
    grid = classed.grid
    breaks = np.asarray(classed.breaks, float)
    mids = np.concatenate([[0.0], np.sqrt(breaks[:-1] * breaks[1:])])
    seen = mids[classed.classes.astype(int)]
    params = KDEParams(bandwidth_m=bandwidth_m, cell_m=grid.cell_m)
    mp = viewer_mass_points(release, query)
    x, y = project_lonlat(mp.lon, mp.lat, grid.crs)
    released = kde_surface(x, y, mp.tonnes, crs=grid.crs, params=params, grid=grid).values
    recs = release_records(prog, cat, release_streams(cat))
    recs = recs[recs["direction"] == "have"]
    x, y = project_lonlat(recs["lon"].to_numpy(), recs["lat"].to_numpy(), grid.crs)
    truth = kde_surface(x, y, recs["tonnes"].to_numpy(float), crs=grid.crs, params=params,
                        grid=grid).values

    def r(a: np.ndarray) -> float:
        keep = np.isfinite(a) & np.isfinite(truth)
        return float(np.corrcoef(a[keep].ravel(), truth[keep].ravel())[0, 1])

    return r(seen), r(released)


def _all_trees(release: ProgrammeRelease) -> ProgrammeRelease:
    """``release`` with every direction's tree protected (they are built when first read)."""
    release.trees.build_all()  # a ReleaseTrees: each tree is built when first read
    return release


def bench(prog: Programme, label: str, *, repeat: int) -> dict[str, float]:
    """Print and return the figures of one programme."""
    cat = load_catalogue()
    n = len(prog.resources)
    print(f"\n== {label}: {n:,} records, {len(prog.sites):,} sites, {len(prog.parks):,} parks"
          f" ({_load()})")
    # both directions' trees (each is otherwise protected when first read)
    release, build_s, bmin, bmax = _timed(
        lambda: _all_trees(build_release(prog, catalogue=cat)), repeat)
    _, ref_s, _, _ = _timed(lambda: _reference(prog), repeat)
    print(f"build release: median {build_s:.2f} s (min {bmin:.2f}, max {bmax:.2f}); "
          f"unprotected aggregation of the same tree {ref_s:.2f} s -> x{build_s / ref_s:.1f}; "
          f"fine hexagons at H3 resolution {release.resolutions['fine']}")
    query = release_query(release, direction="have")
    bandwidth = viewer_bandwidth_m(release, query)

    def read() -> None:
        release.stream_table("have")
        viewer_parks(release, query)
        viewer_cells(release, query, level="fine")
        heat = viewer_heat(release, query, bandwidth_m=bandwidth)
        display_image(heat)

    _, read_s, rmin, rmax = _timed(read, repeat)
    print(f"viewer read (stream and park tables, fine hexagons, classed heat + map image): "
          f"median {read_s:.3f} s (min {rmin:.3f}, max {rmax:.3f})")
    shares = {d: {lvl: release.share_released(d, lvl) for lvl in LEVELS} for d in ("have",
                                                                                  "want")}
    print("share of tonnage released: " + "; ".join(
        f"{d}: " + ", ".join(f"{lvl} {100 * s:.0f} %" for lvl, s in v.items())
        for d, v in shares.items()))
    r_default, raw_default = _correlation(prog, release, bandwidth)
    r_2km, raw_2km = _correlation(prog, release, 2000.0)
    print(f"viewer heat vs practitioner heat (haves), Pearson r as classed (before classing): "
          f"{r_default:.2f} ({raw_default:.2f}) at the viewer default {bandwidth:,.0f} m, "
          f"{r_2km:.2f} ({raw_2km:.2f}) at 2 km")
    return {"records": n, "build_s": build_s, "read_s": read_s,
            "park_share": shares["have"]["park"], "heat_r": r_default}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on the demo and the synthetic sizes asked for."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="100000", help="synthetic sizes, comma separated")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    print(f"start: {_load()}")
    last = bench(load_demo_programme(), "Karhula demo", repeat=args.repeat)
    for size in (int(s) for s in args.sizes.split(",") if s):
        last = bench(regional_programme(size), f"synthetic {size:,}", repeat=args.repeat)
    print(f"\nend: {_load()}")
    print("summary: " + " ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                                 for k, v in last.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
