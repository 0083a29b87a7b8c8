"""Benchmark of the Concentrations page's work, through the page's own code path and defaults.

Seeded regional programmes (``benchmarks/synthetic.py``: sites in clustered industrial areas
over a Scotland-sized region, parks around them, log-normal tonnages, ~3 records per site) of
20,000 and 1,000,000 records, and the real SEPA waste-site flows (2019, outgoing, from
``$SYMBIOMAP_BENCH_DIR/sepa``; skipped cleanly when absent).

Every interaction is timed as the page runs it after the user's change, with the page's
defaults (haves, every stream, locations down to town, the bandwidth the page sets on the first
visit, a 10 km catchment, automatic hexagon resolution, clusters of 500 m with a core of a
twentieth of the selection's tonnes), each call a cache miss as a new filter is:

- **heat**: the selection (``select_resources``), the surface (``heat_for_selection``), the
  map image (``display_image``: the overlay PNG) and the map (``ui.maps``' base map without a
  road network, parks, the heat overlay, the selection's points or cells, rendered into the
  arguments ``st_folium`` sends). The GeoTIFF and PNG-zip downloads are built only when their
  button is clicked (``ui.download_button`` with a builder): they are not in the rerun, and
  are timed apart as "on click";
- **catchment** (tonnes within 10 km), **hexagons** (automatic resolution), **hot spots** (the
  page's aggregation of the selection to hexagons, ``hot_spots_from_hexagons`` with its
  polygons, the map layer) at the automatic resolution and at the resolution the user picks for
  ~60,000 hexagons (the resolution whose hexagons with records are nearest 60,000; Gi* then
  analyses those and their empty ring, about three times as many, printed beside), **clusters**
  and **parks**, each with its map (above 3,000 hexagons the layer is sent as one picture);
- for viewers, the heat change read from the protected release (built once per data version,
  timed as first use).

Each figure is the median of at least three runs (distinct filter changes where the page would
compute anew) with min and max; "slowest interaction" is the largest median of one interaction.
References measured in the same run: scipy's exact ``gaussian_kde`` on a 10k subsample (and the
binned KDE's error there), a per-cell Python Gi* loop (esda-style) on 2,000 cells, exact DBSCAN
on up to 50k distinct sites, and folium's raw ``HeatMap`` payload.

Run: ``python benchmarks/concentration_bench.py`` (``--sizes 20000,1000000``, ``--runs 5``).
The last line is ``summary: records=… heat_s=… payload_bytes=… hotspots_s=… hexagons=…
clusters_s=… slowest_interaction_s=…`` (heat, hot spots and clusters at the largest size; the
slowest interaction at the smallest).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from h3.api import numpy_int as h3i
from scipy.stats import gaussian_kde
from sklearn.cluster import DBSCAN

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.payload import Stats, folium_args, stats
from benchmarks.synthetic import regional_programme
from geo.catalogue import load_catalogue
from geo.concentrations import (
    ClusterParams,
    KDEParams,
    cluster_labels,
    kde_surface,
    parent_cells,
)
from geo.concentrations import selection as conc
from geo.concentrations import viewer as cv
from geo.concentrations.hotspots import hot_spots, hot_spots_from_hexagons
from geo.concentrations.raster import (
    display_image,
    surface_to_geotiff_bytes,
    surface_to_png_zip_bytes,
)
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS, Programme, empty_programme
from layers import concentration as lc
from layers.base import base_map
from ui.maps import located_bounds

BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "bench"))
RADIUS_M = 10_000.0  # the page's default catchment radius
EPS_M = 500.0  # the page's default cluster neighbourhood
HEX_TARGET = 60_000


def _timed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - t0


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5-min {five:.2f})"


def sepa_programme(bench_dir: Path) -> Programme | None:
    """SEPA waste sites and their 2019 outgoing material flows (real), or None if absent."""
    folder = bench_dir / "sepa"
    if not (folder / "waste-site-io.csv").is_file():
        return None
    site_io = pd.read_csv(folder / "waste-site-io.csv")
    flows = pd.read_csv(folder / "waste-site-material-io.csv")
    ewc = pd.read_csv(folder / "ewc-code.csv", dtype=str).dropna(subset=["material"])
    ewc["code"] = ewc["ewc-code"].str.replace(r"\D", "", regex=True)
    ewc = ewc[ewc["code"].str.len() == 6]
    # a representative catalogue entry per SEPA material: its most common chapter's first code
    ewc["chapter"] = ewc["code"].str[:2]
    top = ewc.groupby(["material", "chapter"]).size().reset_index(name="n") \
        .sort_values("n", ascending=False).drop_duplicates("material")
    rep = ewc.merge(top[["material", "chapter"]], on=["material", "chapter"]) \
        .drop_duplicates("material").set_index("material")["code"]
    sites = gpd.GeoDataFrame({"site_id": site_io["permit"], "name": site_io["site-name"],
                              "location_precision": "exact"},
                             geometry=gpd.points_from_xy(site_io["longitude"],
                                                         site_io["latitude"]), crs=4326)
    out = flows[(flows["year"] == 2019) & (flows["io-direction"] == "out")].reset_index()
    resources = pd.DataFrame({"resource_id": [f"F{i}" for i in out.index],
                              "site_id": out["permit"], "direction": "have",
                              "resource_class": "material",
                              "ewc_code": out["material"].map(rep),
                              "quantity": out["tonnes"], "unit": "t/yr"})
    # flows whose permit has no site stay in, as records not located (counted, not dropped)
    base = empty_programme("SEPA waste sites 2019 (outgoing)")
    for frame, cols in ((sites, SITE_COLUMNS), (resources, RESOURCE_COLUMNS)):
        for c in cols:
            if c not in frame:
                frame[c] = None
    return Programme(name=base.name, parks=base.parks, sites=sites[[*SITE_COLUMNS, "geometry"]],
                     contacts=base.contacts, resources=resources[RESOURCE_COLUMNS])


class _IsotropicKDE(gaussian_kde):
    """scipy's exact KDE with an isotropic bandwidth in metres (as the binned one)."""

    def __init__(self, dataset: np.ndarray, *, bandwidth_m: float, weights: np.ndarray) -> None:
        self._data_covariance = np.eye(2) * bandwidth_m**2
        self._data_cho_cov = np.eye(2) * bandwidth_m
        super().__init__(dataset, bw_method=1.0, weights=weights)


def _heat_reference(sel: conc.Selection, bandwidth_m: float) -> str:
    """Exact KDE vs the binned one on a 10k subsample evaluated at 100×100 points."""
    x, y, w, _ = sel.arrays()
    rng = np.random.default_rng(0)
    idx = rng.choice(len(x), size=min(10_000, len(x)), replace=False)
    xs, ys, ws = x[idx], y[idx], w[idx]
    gx = np.linspace(np.percentile(xs, 5), np.percentile(xs, 95), 100)
    gy = np.linspace(np.percentile(ys, 5), np.percentile(ys, 95), 100)
    surf, t_binned = _timed(kde_surface, xs, ys, ws, crs=sel.prepared.crs,
                            params=KDEParams(bandwidth_m=bandwidth_m))
    flat = surf.grid.cell_index(*(a.ravel() for a in np.meshgrid(gx, gy)))
    cx, cy = surf.grid.cell_centres()
    px, py = cx.ravel()[flat], cy.ravel()[flat]  # compare at the cell centres
    kde = _IsotropicKDE(np.vstack([xs, ys]), bandwidth_m=bandwidth_m, weights=ws)
    exact, t_exact = _timed(kde.evaluate, np.vstack([px, py]))
    exact = exact * ws.sum() * 1e6  # t/yr per km²
    binned = surf.values.reshape(-1)[flat]
    err = float(np.abs(binned - exact).max() / exact.max())
    return (f"ref scipy gaussian_kde 10k pts × 10k cells {t_exact:.2f} s vs binned "
            f"{t_binned:.3f} s (×{t_exact / t_binned:.0f}); max error {err:.1%} of peak")


def _study_area(cells: np.ndarray) -> int:
    """Hexagons Gi* analyses for these occupied cells: them and their empty 1-ring."""
    ring = {c for cell in np.asarray(cells, np.int64).view(np.uint64).tolist()
            for c in h3i.grid_disk(int(cell), 1)}
    return len(ring)


def _gi_loop_per_cell(cells: np.ndarray, values: np.ndarray) -> float:
    """Seconds of a per-cell Python Gi* loop (esda-style: one ``h3.grid_disk`` and one
    z-score per cell) over every cell given, measured in full."""
    index = {int(c): i for i, c in enumerate(cells)}
    n, mean = len(values), values.mean()
    s = np.sqrt((values**2).mean() - mean**2)
    z = np.zeros(n)
    t0 = time.perf_counter()
    for i in range(n):
        ring = h3i.grid_disk(int(np.int64(cells[i]).view(np.uint64)), 1)
        js = [index[j] for j in np.asarray(ring, np.uint64).view(np.int64).tolist()
              if j in index]
        wi = float(len(js))
        num = sum(values[j] for j in js) - mean * wi
        z[i] = num / (s * np.sqrt((n * wi - wi**2) / (n - 1)))
    return time.perf_counter() - t0


class PageRun:
    """The Concentrations page's computations on one programme, as the page calls them."""

    def __init__(self, prog: Programme) -> None:
        self.prog = prog
        self.catalogue = load_catalogue()
        self.prep, self.prepare_s = _timed(conc.prepare_resources, prog)
        _, self.index_s = _timed(lambda: self.prep.base_cells)
        self.bounds = located_bounds(prog.sites, prog.parks)
        self.default = conc.ConcentrationQuery()  # haves, every stream, down to town
        first = self.select(self.default)
        self.bandwidth_m = conc.bandwidth_for_selection(first)  # set on the first visit
        self.first = first

    def select(self, query: conc.ConcentrationQuery) -> conc.Selection:
        """``ui.runs.selection``: the records the query selects."""
        return conc.select_resources(self.prep, query, catalogue=self.catalogue)

    def new_map(self) -> Any:
        """``ui.base_map`` of a programme without a road network."""
        return base_map(bounds=self.bounds)

    def surface_change(self, query: conc.ConcentrationQuery, view: str
                       ) -> tuple[dict[str, float], int, Any]:
        """A filter change on the Heat or Catchment view: seconds per step, payload, surface."""
        t: dict[str, float] = {}
        sel, t["selection"] = _timed(self.select, query)
        if view == "Heat":
            surf, t["surface"] = _timed(conc.heat_for_selection, sel,
                                        bandwidth_m=self.bandwidth_m)
        else:
            surf, t["surface"] = _timed(conc.within_radius_for_selection, sel,
                                        radius_m=RADIUS_M)
        image, t["image"] = _timed(display_image, surf)
        t0 = time.perf_counter()
        m = self.new_map()
        lc.add_view_layers(m, view, parks=self.prog.parks, image=image, image_name=view,
                           image_note=surf.units, selection=sel)
        args = folium_args(m)
        t["map"] = time.perf_counter() - t0
        return t, len(json.dumps(args).encode()), surf

    def table_view(self, view: str, query: conc.ConcentrationQuery, *,
                   resolution: int | None = None, core_share: float = 1 / 20
                   ) -> tuple[dict[str, float], int, int]:
        """Hexagons, Hot spots, Clusters or Parks after a change: seconds, payload, rows."""
        t: dict[str, float] = {}
        sel, t["selection"] = _timed(self.select, query)
        t0 = time.perf_counter()
        if view in ("Hexagons", "Hot spots"):
            raw = conc.hexagons_for_selection(sel, resolution=resolution)
            t["hexagons"] = time.perf_counter() - t0
            if view == "Hot spots":
                table, t["gi"] = _timed(hot_spots_from_hexagons, raw)
            else:
                table = raw
        elif view == "Clusters":
            # the page's default core is a twentieth of the selection's tonnes
            min_t = max(round(sel.total_tonnes * core_share, -1), 1.0)
            table, t["clusters"] = _timed(conc.clusters_for_selection, sel, eps_m=EPS_M,
                                          min_tonnes=min_t)
        else:
            table, t["parks"] = _timed(conc.park_totals, self.prog, sel)
        t0 = time.perf_counter()
        m = self.new_map()
        lc.add_view_layers(m, view, parks=self.prog.parks, table=table,
                           selection=sel if view == "Clusters" else None)
        args = folium_args(m)
        t["map"] = time.perf_counter() - t0
        return t, len(json.dumps(args).encode()), len(table)


def _queries(run: PageRun, n: int) -> list[conc.ConcentrationQuery]:
    """``n`` distinct filter changes a user makes: streams picked one by one, then by two."""
    chapters = sorted({c for c in run.prep.chapter[run.first.used] if isinstance(c, str)})
    picks: list[tuple[str, ...]] = [(c,) for c in chapters]
    picks += list(itertools.pairwise(chapters))
    return [conc.ConcentrationQuery(selectors=p) for p in picks[:n]]


def _line(label: str, s: Stats, parts: dict[str, list[float]], extra: str = "") -> str:
    steps = " + ".join(f"{k} {float(np.median(v)):.3f}" for k, v in parts.items())
    return f"  {label}: {s.fmt(3)} s [{steps}]{extra}"


def _collect(results: list[tuple[dict[str, float], int, Any]]
             ) -> tuple[Stats, dict[str, list[float]], int]:
    totals = [sum(t.values()) for t, _, _ in results]
    parts: dict[str, list[float]] = {}
    for t, _, _ in results:
        for k, v in t.items():
            parts.setdefault(k, []).append(v)
    return stats(totals), parts, max(p for _, p, _ in results)


def bench(prog: Programme, label: str, *, runs: int, full: bool, viewer: bool
          ) -> dict[str, float]:
    """Every interaction of the page on one programme; prints them, returns the headlines."""
    print(f"\n== {label}: {len(prog.resources):,} records, {len(prog.sites):,} sites, "
          f"{len(prog.parks):,} parks (load {_load()})")
    run = PageRun(prog)
    print(f"  prepare (cold, once per data version): {run.prepare_s:.2f} s + H3 indexing "
          f"{run.index_s:.2f} s; {run.first.n_used:,} haves drawn, "
          f"{run.first.n_not_located:,} not located; page bandwidth {run.bandwidth_m:,.0f} m")
    queries = _queries(run, runs + 1)
    run.surface_change(queries[-1], "Heat")  # imports and library set-up are not timed
    out: dict[str, float] = {"records": len(prog.resources)}
    medians: dict[str, float] = {}

    heat = [run.surface_change(q, "Heat") for q in queries[:runs]]
    s, parts, payload = _collect(heat)
    surf = heat[0][2]
    print(_line("heat after a filter change", s, parts,
                f" on a {surf.grid.ny}×{surf.grid.nx} grid; map payload ≤ {payload:,} B"))
    _, tif_s = _timed(surface_to_geotiff_bytes, surf)
    _, png_s = _timed(surface_to_png_zip_bytes, surf, stem="heat")
    print(f"    on click only (not in the rerun): GeoTIFF {tif_s:.3f} s, PNG + world file "
          f"{png_s:.3f} s")
    print(f"    {_heat_reference(run.first, run.bandwidth_m)}")
    out |= {"heat_s": s.median, "payload_bytes": payload}
    medians["heat"] = s.median
    payloads = [payload]

    catch = [run.surface_change(q, "Catchment") for q in queries[:runs]]
    s, parts, payload = _collect(catch)
    print(_line(f"catchment {RADIUS_M / 1000:g} km after a filter change", s, parts,
                f"; map payload ≤ {payload:,} B"))
    medians["catchment"] = s.median
    payloads.append(payload)

    for view in ("Hexagons", "Hot spots", "Clusters", "Parks"):
        res = [run.table_view(view, q) for q in queries[:runs]]
        s, parts, payload = _collect(res)
        rows = [n for _, _, n in res]
        print(_line(f"{view.lower()} (page defaults) after a filter change", s, parts,
                    f"; {min(rows):,}–{max(rows):,} rows, map payload ≤ {payload:,} B"))
        medians[view.lower()] = s.median
        payloads.append(payload)

    if full:
        base = run.prep.base_cells[run.first.used]
        occupied = {r: pd.unique(parent_cells(base, r)) for r in range(5, 10)}
        analysed = {r: _study_area(c) for r, c in occupied.items() if len(c) <= 2 * HEX_TARGET}
        res_60k = min(analysed, key=lambda r: abs(len(occupied[r]) - HEX_TARGET))
        print("  hexagons per resolution, occupied / analysed by Gi* (with the empty ring): "
              + ", ".join(f"{r}: {len(occupied[r]):,} / {analysed[r]:,}" for r in analysed))
        hot = [run.table_view("Hot spots", run.default, resolution=res_60k) for _ in range(runs)]
        s, parts, payload = _collect(hot)
        print(_line(f"hot spots at resolution {res_60k} ({len(occupied[res_60k]):,} hexagons "
                    f"with records, {analysed[res_60k]:,} analysed with their empty ring; "
                    "every have)", s, parts,
                    f"; {hot[0][2]:,} rows, map payload {payload:,} B"))
        payloads.append(payload)
        out |= {"hotspots_s": s.median, "hexagons": len(occupied[res_60k])}
        raw = conc.hexagons_for_selection(run.first, resolution=res_60k)
        cells = np.array([int(h3i.str_to_int(c)) for c in raw["h3_cell"]], dtype=np.uint64)
        core, core_s = _timed(hot_spots, cells.view(np.int64), raw["tonnes"].to_numpy(float))
        loop_s = _gi_loop_per_cell(core["cell"].to_numpy(), core["value"].to_numpy())
        print(f"    ref per-cell Python Gi* loop over the same {len(core):,} cells: "
              f"{loop_s:.2f} s vs our Gi* core (sparse weights, FDR, no polygons) "
              f"{core_s:.2f} s (×{loop_s / core_s:.1f})")
        clus = [run.table_view("Clusters", run.default) for _ in range(runs)]
        s, parts, payload = _collect(clus)
        payloads.append(payload)
        print(_line("clusters, page defaults, every have", s, parts,
                    f"; {clus[0][2]:,} clusters, map payload {payload:,} B"))
        out["clusters_s"] = s.median
        if clus[0][2] == 0:  # none at the default core: time the summaries too, at a smaller one
            few = [run.table_view("Clusters", run.default, core_share=1 / 500)
                   for _ in range(runs)]
            s, parts, payload = _collect(few)
            payloads.append(payload)
            print(_line("clusters, core a 500th of the tonnes (the user lowers it), every have",
                        s, parts, f"; {few[0][2]:,} clusters, map payload {payload:,} B"))
        x, y, t, _ = run.first.arrays()
        sites = pd.DataFrame({"x": x, "y": y, "t": t}).groupby(["x", "y"], sort=False)["t"].sum()
        sites = sites.sample(min(len(sites), 50_000), random_state=0)
        sxy = np.column_stack([sites.index.get_level_values(0), sites.index.get_level_values(1)])
        min_t = max(round(run.first.total_tonnes / 20, -1), 1.0)
        _, ours_s = _timed(cluster_labels, sxy[:, 0], sxy[:, 1], sites.to_numpy(),
                           params=ClusterParams(eps_m=EPS_M, min_tonnes=min_t))
        _, sk_s = _timed(DBSCAN(eps=EPS_M, min_samples=1).fit, sxy,
                         sample_weight=sites.to_numpy() / min_t)
        print(f"    ref on {len(sites):,} distinct sites: sklearn DBSCAN {sk_s:.3f} s vs our "
              f"labelling {ours_s:.3f} s (×{sk_s / ours_s:.1f})")
        lat, lon = run.prep.lat[run.first.used], run.prep.lon[run.first.used]
        raw_b = len(json.dumps([[round(a, 6), round(b, 6), round(c, 2)]
                                for a, b, c in zip(lat, lon, t, strict=True)]))
        print(f"    ref folium HeatMap raw data {raw_b:,} B vs heat map payload "
              f"{out['payload_bytes']:,} B (×{raw_b / out['payload_bytes']:.0f})")
    if viewer:
        from geo.disclosure import build_release
        from geo.disclosure.settings import default_rules
        from geo.settings import get_settings

        def built() -> Any:  # with both directions' trees (each built when first read)
            made = build_release(prog, catalogue=run.catalogue,
                                 rules=default_rules(get_settings()))
            return made, made.trees.build_all()

        (release, _trees), rel_s = _timed(built)
        streams = list(release.stream_labels())

        def viewer_change(picked: list[str]) -> tuple[dict[str, float], int, Any]:
            t: dict[str, float] = {}
            rq, t["query"] = _timed(cv.release_query, release, direction="have",
                                    streams=picked, parks=[], grant=())
            bw = cv.viewer_bandwidth_m(release, rq)
            surf, t["surface"] = _timed(cv.viewer_heat, release, rq, bandwidth_m=bw)
            image, t["image"] = _timed(display_image, surf)
            t0 = time.perf_counter()
            m = run.new_map()
            lc.add_heat(m, image, name="Heat", note="Classes of released figures.")
            args = folium_args(m)
            t["map"] = time.perf_counter() - t0
            return t, len(json.dumps(args).encode()), surf

        picks = [[s] for s in streams
                 if cv.empty_message(release, cv.release_query(
                     release, direction="have", streams=[s], parks=[], grant=())) is None]
        picks = [*picks, []][: runs]  # released streams one by one, then all streams
        s, parts, payload = _collect([viewer_change(p) for p in picks])
        print(f"  viewer: protected release built once per data version in {rel_s:.2f} s "
              "(first use)")
        print(_line("viewer heat after a release-stream change", s, parts,
                    f"; map payload ≤ {payload:,} B"))
        medians["viewer heat"] = s.median
        payloads.append(payload)
    name, slowest = max(medians.items(), key=lambda kv: kv[1])
    print(f"  slowest interaction (largest median of one interaction): {name} {slowest:.3f} s;"
          f" largest map payload {max(payloads):,} B")
    out |= {"slowest_s": slowest, "max_payload_bytes": max(payloads)}
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the sizes (then SEPA) and print the summary line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,1000000")
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (≥ 3)")
    ap.add_argument("--no-viewer", action="store_true", help="skip the viewer's release")
    args = ap.parse_args(argv)
    runs = max(args.runs, 3)
    print(f"load average at start {_load()} on {os.cpu_count()} cores")
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        prog, t_gen = _timed(regional_programme, n)
        print(f"\n(generated {n:,} records in {t_gen:.1f} s)")
        results.append(bench(prog, f"synthetic regional {n:,}", runs=runs,
                             full=n >= 1_000_000, viewer=not args.no_viewer))
    sepa = sepa_programme(BENCH_DIR)
    if sepa is None:
        print(f"\n== SEPA: skipped, no data at {BENCH_DIR / 'sepa'}")
    else:
        bench(sepa, "SEPA waste sites 2019, real", runs=runs, full=False, viewer=False)
    print(f"load average at end {_load()}")
    big = max(results, key=lambda r: r["records"])
    small = min(results, key=lambda r: r["records"])
    print(f"summary: records={int(big['records'])} heat_s={big['heat_s']:.3f} "
          f"payload_bytes={int(big['max_payload_bytes'])} "
          f"hotspots_s={big.get('hotspots_s', float('nan')):.3f} "
          f"hexagons={int(big.get('hexagons', 0))} "
          f"clusters_s={big.get('clusters_s', float('nan')):.3f} "
          f"slowest_interaction_s={small['slowest_s']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
