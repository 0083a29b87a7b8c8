"""Benchmark of the concentration maps: heat, within radius, hexagons, Gi*, clusters, payload.

Synthetic programmes of 10k, 20k (a regional programme), 100k and 1M resource records —
seeded, sites in clustered industrial areas over a Scotland-sized region, log-normal
tonnages, ~3 records per site — and the real SEPA waste-site flows (2019, outgoing, from
``$SYMBIOMAP_BENCH_DIR/sepa``; skipped cleanly when absent).

For each size it prints, beside a reference computed in the same run:

- heat: a filter change, warm (select → binned KDE → Web-Mercator PNG), vs scipy's exact
  ``gaussian_kde`` on a 10k subsample evaluated on a 100×100 grid (and the binned KDE's error
  against it at those points);
- tonnes within a radius (the Catchment view) for 20 chapters in one stacked FFT vs twenty
  one-at-a-time surfaces;
- hexagon totals (warm: cells pre-indexed) vs per-record ``h3.latlng_to_cell`` + groupby;
- Gi* + FDR on the hexagon grid (~60k hexagons at 1M) vs a per-cell Python loop (esda-style),
  extrapolated from 2,000 cells;
- clusters with summaries (pooled places) vs exact DBSCAN on up to 50k distinct sites;
- map payload bytes (heat overlay map) vs folium's raw ``HeatMap`` payload (JSON of
  [lat, lon, t] per record).

Run: ``python benchmarks/concentration_bench.py`` (``--sizes 10000,100000`` to choose).
The last line is ``summary: records=… heat_s=… payload_bytes=… hotspots_s=… clusters_s=…``
for the largest size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
from h3.api import numpy_int as h3i
from scipy.stats import gaussian_kde
from sklearn.cluster import DBSCAN

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import concentrations as conc
from geo.catalogue import load_catalogue
from geo.concentrations import (
    ClusterParams,
    KDEParams,
    RadiusParams,
    cluster_labels,
    display_image,
    hexagons_for_role,
    hot_spots,
    kde_surface,
    parent_cells,
    within_radius_by_group,
    within_radius_surface,
)
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS, Programme, empty_programme
from layers.base import base_map
from layers.concentration import add_heat, add_hexagons

BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "bench"))
BANDWIDTH_M = 2000.0
EPS_M = 2000.0


def _timed(func, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - t0


def _programme(sites: gpd.GeoDataFrame, resources: pd.DataFrame, name: str) -> Programme:
    base = empty_programme(name)
    for c in SITE_COLUMNS:
        if c not in sites:
            sites[c] = None
    for c in RESOURCE_COLUMNS:
        if c not in resources:
            resources[c] = None
    return Programme(name=name, parks=base.parks, sites=sites[[*SITE_COLUMNS, "geometry"]],
                     contacts=base.contacts, resources=resources[RESOURCE_COLUMNS])


def synthetic_programme(n: int, *, seed: int = 42) -> Programme:
    """n records at n/3 sites in 400 clustered industrial areas, log-normal tonnages."""
    rng = np.random.default_rng(seed)
    n_sites = max(n // 3, 1)
    centres = np.column_stack([rng.uniform(-6.5, -2.0, 400), rng.uniform(55.0, 58.3, 400)])
    area = rng.integers(0, 400, n_sites)
    scattered = rng.random(n_sites) < 0.1
    lon = np.where(scattered, rng.uniform(-7, -1.5, n_sites),
                   centres[area, 0] + rng.normal(0, 0.05, n_sites))
    lat = np.where(scattered, rng.uniform(54.8, 58.6, n_sites),
                   centres[area, 1] + rng.normal(0, 0.03, n_sites))
    sites = gpd.GeoDataFrame({"site_id": [f"S{i}" for i in range(n_sites)],
                              "name": [f"Site {i}" for i in range(n_sites)],
                              "location_precision": "exact"},
                             geometry=gpd.points_from_xy(lon, lat), crs=4326)
    entries = load_catalogue().entries
    entries = entries[entries["chapter"].isin(sorted(entries["chapter"].unique())[:20])]
    codes = entries["code"].to_numpy()
    resources = pd.DataFrame({
        "resource_id": [f"R{i}" for i in range(n)],
        "site_id": sites["site_id"].to_numpy()[rng.integers(0, n_sites, n)],
        "direction": np.where(rng.random(n) < 0.8, "have", "want"),
        "resource_class": "material",
        "ewc_code": codes[rng.integers(0, len(codes), n)],
        "quantity": np.round(rng.lognormal(3.0, 1.5, n), 2),
        "unit": np.where(rng.random(n) < 0.02, "m3/yr", "t/yr"),
    })
    return _programme(sites, resources, f"synthetic {n:,}")


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
    return _programme(sites, resources, "SEPA waste sites 2019 (outgoing)")


class _IsotropicKDE(gaussian_kde):
    """scipy's exact KDE with an isotropic bandwidth in metres (as the binned one)."""

    def __init__(self, dataset: np.ndarray, *, bandwidth_m: float, weights: np.ndarray) -> None:
        self._data_covariance = np.eye(2) * bandwidth_m**2
        self._data_cho_cov = np.eye(2) * bandwidth_m
        super().__init__(dataset, bw_method=1.0, weights=weights)


def _heat_reference(x: np.ndarray, y: np.ndarray, w: np.ndarray, crs: object
                    ) -> tuple[float, float, float]:
    """(exact KDE time, binned KDE time, max error / peak) on a 10k subsample, 100×100 points."""
    rng = np.random.default_rng(0)
    idx = rng.choice(len(x), size=min(10_000, len(x)), replace=False)
    xs, ys, ws = x[idx], y[idx], w[idx]
    gx = np.linspace(np.percentile(xs, 5), np.percentile(xs, 95), 100)
    gy = np.linspace(np.percentile(ys, 5), np.percentile(ys, 95), 100)
    surf, t_binned = _timed(kde_surface, xs, ys, ws, crs=crs,
                            params=KDEParams(bandwidth_m=BANDWIDTH_M))
    flat = surf.grid.cell_index(*(a.ravel() for a in np.meshgrid(gx, gy)))
    cx, cy = surf.grid.cell_centres()
    px, py = cx.ravel()[flat], cy.ravel()[flat]  # compare at the cell centres
    kde = _IsotropicKDE(np.vstack([xs, ys]), bandwidth_m=BANDWIDTH_M, weights=ws)
    exact, t_exact = _timed(kde.evaluate, np.vstack([px, py]))
    exact = exact * ws.sum() * 1e6  # t/yr per km²
    binned = surf.values.reshape(-1)[flat]
    return t_exact, t_binned, float(np.abs(binned - exact).max() / exact.max())


def _gi_loop(cells: np.ndarray, values: np.ndarray, n_cells: int) -> float:
    """Seconds for a per-cell Python Gi* loop (esda-style) over the first n_cells cells,
    neighbours looked up per cell with h3.grid_disk (so the extrapolation is per cell)."""
    index = {int(c): i for i, c in enumerate(cells)}
    x = values
    n, mean = len(x), x.mean()
    s = np.sqrt((x**2).mean() - mean**2)
    t0 = time.perf_counter()
    for i in range(min(n_cells, n)):
        ring = h3i.grid_disk(int(np.int64(cells[i]).view(np.uint64)), 1)
        js = [index[j] for j in np.asarray(ring, np.uint64).view(np.int64).tolist()
              if j in index]
        wi = float(len(js))
        num = sum(x[j] for j in js) - mean * wi
        _ = num / (s * np.sqrt((n * wi - wi**2) / (n - 1)))
    return time.perf_counter() - t0


def _warm(prep: conc.PreparedResources) -> None:
    """One small call of each step, so imports and library set-up are not timed."""
    q = conc.ConcentrationQuery(max_tonnes=float(np.nanpercentile(prep.tonnes, 5)))
    sel = conc.select_resources(prep, q)
    display_image(conc.heat_for_selection(sel, bandwidth_m=BANDWIDTH_M, min_producers=3))
    conc.within_radius_for_selection(sel, radius_m=10_000)
    hexes = conc.hexagons_for_selection(sel)
    hexagons_for_role(hexes, role="viewer", k=3)
    conc.clusters_for_selection(sel, eps_m=EPS_M, min_tonnes=1.0)


def bench(prog: Programme, label: str, *, full: bool) -> dict[str, float]:
    """Run every measurement on one programme and print it; returns the headline figures."""
    print(f"\n== {label}: {len(prog.resources):,} records, {len(prog.sites):,} sites")
    prep, t_prep = _timed(conc.prepare_resources, prog)
    _, t_cells = _timed(lambda: prep.base_cells)
    print(f"  prepare (cold, once per programme): {t_prep:.2f} s + H3 indexing {t_cells:.2f} s")
    q_all = conc.ConcentrationQuery()
    sel_all = conc.select_resources(prep, q_all)
    chapters = sorted({c for c in prep.chapter[sel_all.used] if isinstance(c, str)})
    q_stream = conc.ConcentrationQuery(selectors=tuple(chapters[: max(len(chapters) // 3, 1)]))
    print(f"  {sel_all.n_used:,} haves drawn, {sel_all.n_not_located:,} not located, "
          f"{sel_all.not_in_tonnes:,} not in t/yr")
    _warm(prep)

    def heat_change(query: conc.ConcentrationQuery):  # type: ignore[no-untyped-def]
        sel = conc.select_resources(prep, query)
        surf = conc.heat_for_selection(sel, bandwidth_m=BANDWIDTH_M)
        return sel, surf, display_image(surf)

    q_other = conc.ConcentrationQuery(selectors=tuple(chapters[max(len(chapters) // 3, 1):]))
    (_, surf, img), first_s = _timed(heat_change, q_stream)
    changes = [first_s] + [_timed(heat_change, q)[1] for q in (q_all, q_other, q_stream)]
    heat_s, heat_max_s = float(np.median(changes)), max(changes)
    _, viewer_s = _timed(lambda: display_image(conc.heat_for_selection(
        sel_all, bandwidth_m=BANDWIDTH_M, min_producers=3)))
    x, y, t, _ = sel_all.arrays()
    t_exact, t_binned, err = _heat_reference(x, y, t, prep.crs)
    print(f"  heat (filter change, warm; median of 4, first {first_s:.3f} s, max "
          f"{heat_max_s:.3f} s): {heat_s:.3f} s on a {surf.grid.ny}x{surf.grid.nx} "
          f"grid | ref scipy gaussian_kde 10k×10k pts {t_exact:.2f} s vs binned {t_binned:.3f}"
          f" s (×{t_exact / t_binned:.0f}); max error {err:.1%} of peak; viewer (k=3 mask) "
          f"{viewer_s:.3f} s")
    ch_idx = pd.Series(prep.chapter[sel_all.used]).map(
        {c: i for i, c in enumerate(chapters[:20])}).fillna(-1).to_numpy(int)
    params = RadiusParams(radius_m=10_000)
    within_radius_by_group(x[:1000], y[:1000], t[:1000], ch_idx[:1000], chapters[:20],
                           crs=prep.crs, params=params)  # warm the FFT plans
    stack, within_s = _timed(within_radius_by_group, x, y, t, ch_idx, chapters[:20],
                             crs=prep.crs, params=params)

    def one_by_one() -> None:
        for g in range(len(chapters[:20])):
            m = ch_idx == g
            within_radius_surface(x[m], y[m], t[m], crs=prep.crs, params=params,
                                  grid=stack.grid)

    _, within_ref = _timed(one_by_one)
    print(f"  within radius {len(chapters[:20])} chapters r=10 km: {within_s:.3f} s | ref one at a "
          f"time {within_ref:.3f} s (×{within_ref / within_s:.1f})")
    hexes, hex_s = _timed(conc.hexagons_for_selection, sel_all)
    shown, protect_s = _timed(hexagons_for_role, hexes, role="viewer", k=3)
    res = int(hexes["resolution"].iloc[0])
    lon, lat = prep.lon[sel_all.used], prep.lat[sel_all.used]
    sub = slice(0, min(len(lon), 100_000))

    def naive() -> None:
        cells = [h3.latlng_to_cell(a, b, res) for a, b in zip(lat[sub], lon[sub], strict=True)]
        pd.DataFrame({"c": cells, "t": t[sub]}).groupby("c")["t"].sum()

    _, naive_s = _timed(naive)
    naive_s *= len(lon) / len(lon[sub])
    print(f"  hexagons res {res}: {len(hexes):,} cells {hex_s:.3f} s (+ viewer protection "
          f"{protect_s:.3f} s) | ref per-record h3 + groupby {naive_s:.2f} s "
          f"(×{naive_s / hex_s:.0f})")
    base = prep.base_cells[sel_all.used]
    hres = res  # the page's automatic resolution, or ~60k hexagons (with ring) at 1M
    if full:
        occupied = {r: len(pd.unique(parent_cells(base, r))) for r in range(4, 11)}
        hres = min(occupied, key=lambda r: abs(occupied[r] - 60_000 / 2))
    codes, uniq = pd.factorize(parent_cells(base, hres))
    values = np.bincount(codes, weights=t)
    hot, hot_s = _timed(hot_spots, np.asarray(uniq, dtype=np.int64), values)
    loop_s = _gi_loop(hot["cell"].to_numpy(), hot["value"].to_numpy(), 2000) * len(hot) / 2000
    print(f"  hot spots Gi*+FDR res {hres}: {len(hot):,} hexagons {hot_s:.2f} s "
          f"({int((hot['gi_bin'] > 0).sum()):,} hot, {int((hot['gi_bin'] < 0).sum()):,} cold) "
          f"| ref per-cell loop {loop_s:.3f} s (×{loop_s / hot_s:.1f})")
    if full:  # the next finer resolution too, to show how Gi* scales past 60k hexagons
        codes2, uniq2 = pd.factorize(parent_cells(base, hres + 1))
        hot2, hot2_s = _timed(hot_spots, np.asarray(uniq2, dtype=np.int64),
                              np.bincount(codes2, weights=t))
        print(f"  hot spots Gi*+FDR res {hres + 1}: {len(hot2):,} hexagons {hot2_s:.2f} s")
    min_t = max(float(t.sum()) / 1000, 1.0)
    clusters, clus_s = _timed(conc.clusters_for_selection, sel_all, eps_m=EPS_M, min_tonnes=min_t)
    sites = pd.DataFrame({"x": x, "y": y, "t": t}).groupby(["x", "y"], sort=False)["t"].sum()
    sites = sites.sample(min(len(sites), 50_000), random_state=0)
    sxy = np.column_stack([sites.index.get_level_values(0), sites.index.get_level_values(1)])
    _, ours_s = _timed(cluster_labels, sxy[:, 0], sxy[:, 1], sites.to_numpy(),
                       params=ClusterParams(eps_m=EPS_M, min_tonnes=min_t))
    _, sk_s = _timed(DBSCAN(eps=EPS_M, min_samples=1).fit, sxy,
                     sample_weight=sites.to_numpy() / min_t)
    print(f"  clusters eps {EPS_M:.0f} m, core {min_t:,.0f} t: {len(clusters):,} clusters with "
          f"summaries in {clus_s:.3f} s | on {len(sites):,} distinct sites: sklearn DBSCAN "
          f"{sk_s:.3f} s vs ours {ours_s:.3f} s (×{sk_s / ours_s:.1f})")
    m = base_map(bounds=(lon.min(), lat.min(), lon.max(), lat.max()))
    add_heat(m, img)
    payload = len(m.get_root().render().encode())
    m2 = base_map(bounds=(lon.min(), lat.min(), lon.max(), lat.max()))
    add_hexagons(m2, shown, k=3)
    hex_payload = len(m2.get_root().render().encode())
    ref_payload = len(json.dumps([[round(a, 6), round(b, 6), round(c, 2)]
                                  for a, b, c in zip(lat, lon, t, strict=True)]))
    print(f"  payload: heat map {payload:,} B, hexagon map {hex_payload:,} B | ref folium "
          f"HeatMap raw {ref_payload:,} B (×{ref_payload / payload:.0f})")
    if not full:
        inter = max(heat_max_s, viewer_s, within_s / max(len(chapters[:20]), 1), hex_s + protect_s,
                    clus_s, hot_s)
        print(f"  slowest interaction: {inter:.3f} s")
    return {"records": len(prog.resources), "heat_s": heat_s, "payload_bytes": payload,
            "hotspots_s": hot_s, "clusters_s": clus_s}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark sizes, then SEPA, and print the summary line of the largest size."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,20000,100000,1000000")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for n in sizes:
        prog, t_gen = _timed(synthetic_programme, n)
        print(f"\n(generated {n:,} records in {t_gen:.1f} s)")
        results.append(bench(prog, f"synthetic {n:,}", full=n >= 1_000_000))
    sepa = sepa_programme(BENCH_DIR)
    if sepa is None:
        print(f"\n== SEPA: skipped, no data at {BENCH_DIR / 'sepa'}")
    else:
        bench(sepa, "SEPA waste sites 2019, real", full=False)
    big = max(results, key=lambda r: r["records"])
    print(f"summary: records={big['records']} heat_s={big['heat_s']:.3f} "
          f"payload_bytes={big['payload_bytes']} hotspots_s={big['hotspots_s']:.3f} "
          f"clusters_s={big['clusters_s']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
