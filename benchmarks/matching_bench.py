"""Benchmark of synergy matching as the app runs it: the road graph and the synergy book.

Run ``python benchmarks/matching_bench.py`` (a few minutes). A synthetic programme (seed 7):
15,000 member sites in 40 parks (70 %) and scattered (30 %) over Liechtenstein, 100,000
resource records — 60 % drawn from the demo's sector profiles (``data/demo/sector_profiles.csv``:
each sector's typical haves and wants) and 40 % from the whole European Waste Catalogue with
Zipf-like popularity — and a book of 20,000 synergies across the stages (outcomes on the
implemented and completed ones) made from the programme's best matches. The road graph is
Liechtenstein's OpenStreetMap extract (``$SYMBIOMAP_BENCH_DIR/osm/liechtenstein-2013-08-03
.osm.pbf``, 10k nodes), read as the app reads an uploaded network.

The matcher is built as ``ui.runs.matcher`` builds it: ``Matcher.from_programme(prog,
synergies=book.synergies, graph=road graph, catalogue=…)``. It measures, in one process:

- ``all_pairs_s``: preparation + :meth:`Matcher.all_pairs` (the best 10 wants of every have),
  median of 3 runs with min and max. With more producing sites than ``road_max_sites`` the app
  measures all-pairs distances straight-line × detour and says so (the note is printed);
- ``single_s``: :meth:`Matcher.for_record` for 40 haves and 10 wants with road distances
  (one Dijkstra search from or to the record's site per query), median, min and max;
- ``sankey_s``: :func:`sankey_data` + :func:`kpis` on all 100,000 records and the book;
- references, **measured** on the same subsets as ours (no extrapolation): a naive pandas
  cross-merge of haves × wants filtered by the same bases and scored, on the largest subsets
  it finishes (2,000, 4,000 and 8,000 records: its pair table grows with haves × wants, ~2·10⁹
  rows at 100,000); the same cross-merge for one record against all 100,000 records; and a
  per-have Python loop of the Sankey allocation on 10,000 records.

The last line reads ``summary: records=100000 all_pairs_s=… single_s=… sankey_s=…``.
Targets (issue 14): all pairs ≤ 30 s, one record ≤ 0.5 s, Sankey + KPIs ≤ 1 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.payload import stats
from benchmarks.synthetic import LIECHTENSTEIN
from geo.catalogue import load_catalogue
from geo.factors import load_factors
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS, Programme, empty_programme
from geo.settings import DATA_DIR
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import STAGES
from geo.synergies.matching import Matcher
from geo.synergies.reports import kpis, sankey_data
from geo.synergies.scoring import frequency_fit, quantity_fit

N_SITES = 15_000
N_RECORDS = 100_000
N_SYNERGIES = 20_000
N_PARKS = 40
SEED = 7
BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR",
                                Path(__file__).resolve().parents[2] / "shared" / "bench"))
PBF = BENCH_DIR / "osm" / "liechtenstein-2013-08-03.osm.pbf"


def synthetic_programme(seed: int = SEED) -> Programme:
    """15,000 sites over Liechtenstein and 100,000 haves and wants with sector pairings."""
    rng = np.random.default_rng(seed)
    profiles = pd.read_csv(DATA_DIR / "demo" / "sector_profiles.csv",
                           dtype={"nace": str, "ewc_code": str})
    sectors = profiles.drop_duplicates("nace")
    w = sectors["weight"].to_numpy(float)
    site_sector = rng.choice(sectors["nace"].to_numpy(), N_SITES, p=w / w.sum())
    west, south, east, north = LIECHTENSTEIN
    park_xy = np.column_stack([rng.uniform(west + 0.01, east - 0.01, N_PARKS),
                               rng.uniform(south + 0.02, north - 0.02, N_PARKS)])
    park = rng.integers(0, N_PARKS, N_SITES)
    in_park = rng.random(N_SITES) < 0.7
    lon = np.where(in_park, park_xy[park, 0] + rng.normal(0, 0.004, N_SITES),
                   rng.uniform(west, east, N_SITES))
    lat = np.where(in_park, park_xy[park, 1] + rng.normal(0, 0.0025, N_SITES),
                   rng.uniform(south, north, N_SITES))
    sites = gpd.GeoDataFrame({
        "site_id": [f"S{i:05d}" for i in range(N_SITES)], "name": [f"Member {i}" for i in
                                                                   range(N_SITES)],
        "sector_nace": site_sector, "address": None, "postcode": None, "city": None,
        "country": "GB", "park_id": np.where(in_park, [f"P{p:03d}" for p in park], None),
        "location_precision": "exact", "location_source": "synthetic",
        "provenance": "survey", "recorded_on": "2026-01-01",
    }, geometry=gpd.points_from_xy(lon, lat), crs=4326)[[*SITE_COLUMNS, "geometry"]]
    owner = rng.integers(0, N_SITES, N_RECORDS)
    from_profile = rng.random(N_RECORDS) < 0.6
    by_sector = {s: g.reset_index(drop=True) for s, g in profiles.groupby("nace")}
    rows = []
    for s, idx in pd.Series(np.flatnonzero(from_profile)).groupby(site_sector[owner[
            from_profile]]):
        g = by_sector[s]
        pick = g.iloc[rng.integers(0, len(g), len(idx))]
        rows.append(pd.DataFrame({"i": idx.to_numpy(), "direction": pick["direction"].to_numpy(),
                                  "resource_class": pick["resource_class"].to_numpy(),
                                  "ewc_code": pick["ewc_code"].to_numpy(),
                                  "unit": pick["unit"].to_numpy(),
                                  "median": pick["median_qty"].to_numpy(float),
                                  "frequency": pick["frequency"].to_numpy(),
                                  "fate": pick["fate"].to_numpy()}))
    entries = load_catalogue().entries["code"].to_numpy()
    tail = np.flatnonzero(~from_profile)
    rank = np.arange(1, len(entries) + 1)
    p = rank ** -1.1
    rows.append(pd.DataFrame({"i": tail,
                              "direction": rng.choice(["have", "want"], len(tail)),
                              "resource_class": "material",
                              "ewc_code": rng.choice(rng.permutation(entries), len(tail),
                                                     p=p / p.sum()),
                              "unit": "t/yr", "median": 50.0,
                              "frequency": rng.choice(["weekly", "monthly", "quarterly"],
                                                      len(tail)),
                              "fate": rng.choice(["landfill", "incineration", "recycling"],
                                                 len(tail))}))
    rec = pd.concat(rows).sort_values("i").reset_index(drop=True)
    qty = (rec["median"] * np.exp(0.8 * rng.standard_normal(len(rec)))).round(1)
    resources = pd.DataFrame({
        "resource_id": [f"R{i:06d}" for i in range(N_RECORDS)],
        "site_id": sites["site_id"].to_numpy()[owner], "direction": rec["direction"],
        "resource_class": rec["resource_class"], "ewc_code": rec["ewc_code"],
        "hazardous": False, "description": "synthetic", "quantity": qty, "unit": rec["unit"],
        "frequency": rec["frequency"],
        "fate": rec["fate"].where(rec["direction"] == "have", None),
        "disposal_cost_per_year": None, "provenance": "survey", "recorded_on": "2026-01-01",
    })[RESOURCE_COLUMNS]
    base = empty_programme("Synthetic UK-scale programme")
    return Programme(name=base.name, parks=base.parks, sites=sites, contacts=base.contacts,
                     resources=resources)


def synthetic_book(prog: Programme, matches: pd.DataFrame, seed: int = SEED) -> SynergyBook:
    """20,000 synergies from top matches, spread over the stages, with outcomes."""
    rng = np.random.default_rng(seed)
    best = matches[matches["rank"] <= 2].sample(N_SYNERGIES, random_state=seed,
                                                replace=False).reset_index(drop=True)
    stage = rng.choice([*STAGES, "abandoned"], N_SYNERGIES, p=[.3, .2, .15, .1, .2, .05])
    now = pd.Timestamp("2026-06-01", tz="UTC")
    book = empty_book()
    syn = pd.DataFrame({
        "synergy_id": [f"SYN-{i + 1:05d}" for i in range(N_SYNERGIES)],
        "have_resource_id": best["have_id"], "want_resource_id": best["want_id"],
        "from_site_id": best["have_site_id"], "to_site_id": best["want_site_id"],
        "resource_class": "material", "ewc_code": best["have_code"],
        "description": "synthetic", "quantity": best["matched_quantity"], "unit": best["unit"],
        "stage": stage, "practitioner": "bench", "proposed_because": best["basis"],
        "distance_km": best["distance_km"], "distance_method": best["distance_method"],
        "abandon_reason": None, "case_study": None, "created_at": now, "updated_at": now,
        "updated_by": "bench", "version": 1})[book.synergies.columns]
    done = syn[syn["stage"].isin(["implemented", "completed"])]
    out = pd.DataFrame({
        "outcome_id": np.arange(1, len(done) + 1), "synergy_id": done["synergy_id"].to_numpy(),
        "outcome_type": "landfill_diverted_t", "period": 2026,
        "value": (done["quantity"].to_numpy(float) * 0.8), "unit": "t", "note": "",
        "practitioner": "bench", "recorded_at": now})
    return SynergyBook(syn, book.events, out)


def _naive_pairs(m: Matcher, rec: pd.DataFrame, wants: pd.DataFrame,
                 top_k: int = 10) -> pd.DataFrame:
    """A pandas cross-merge of ``rec``'s haves × ``wants``, filtered by the same bases (same
    code, family rules, sector rules) and scored with straight-line distances."""
    h = rec[(rec["direction"] == "have") & (rec["key"] != "")]
    pairs = h.merge(wants, how="cross", suffixes=("_h", "_w"))
    pairs = pairs[pairs["site_h"] != pairs["site_w"]]
    fam = m.rules.family.assign(fam=1.0)
    sec = m.rules.sector.assign(sec=1.0)
    pairs = pairs.merge(fam[["have_code", "want_code", "fam"]], how="left",
                        left_on=["code_h", "code_w"], right_on=["have_code", "want_code"])
    pairs = pairs.merge(sec[["have_code", "sector", "sec"]], how="left",
                        left_on=["code_h", "sector_w"], right_on=["have_code", "sector"])
    keep = (pairs["code_h"] == pairs["code_w"]) | pairs["fam"].notna() | pairs["sec"].notna()
    pairs = pairs[keep]
    lon, lat = m.distances.lon, m.distances.lat
    p1, p2 = np.radians(lat[pairs["site_h"]]), np.radians(lat[pairs["site_w"]])
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(
        np.radians(lon[pairs["site_w"]] - lon[pairs["site_h"]]) / 2) ** 2
    d = 2 * 6371.0 * np.arcsin(np.sqrt(a)) * 1.3
    score = (0.4 + 0.2 * quantity_fit(pairs["quantity_h"], pairs["quantity_w"],
                                      pairs["unit_h"] == pairs["unit_w"])
             + 0.1 * frequency_fit(pairs["freq_h"], pairs["freq_w"]) + 0.3 * np.exp(-d / 25))
    pairs = pairs.assign(score=score)
    return pairs.sort_values(["resource_id_h", "score"], ascending=[True, False]).groupby(
        "resource_id_h").head(top_k)


def naive_allocation(prog: Programme, book: SynergyBook) -> float:
    """Seconds for a per-have Python loop of the Sankey allocation (no KPIs)."""
    haves = prog.resources[prog.resources["direction"] == "have"]
    syn = book.synergies[book.synergies["stage"] != "abandoned"]
    t0 = time.perf_counter()
    flows: dict[tuple[str, str], float] = {}
    by_have = dict(list(syn.groupby("have_resource_id")))
    for row in haves.itertuples():
        left = float(row.quantity)
        for s in by_have.get(row.resource_id, syn.iloc[:0]).itertuples():
            take = min(left, float(s.quantity))
            flows[(str(row.ewc_code)[:2], s.stage)] = flows.get((str(row.ewc_code)[:2],
                                                                 s.stage), 0) + take
            left -= take
        flows[(str(row.ewc_code)[:2], str(row.fate))] = flows.get(
            (str(row.ewc_code)[:2], str(row.fate)), 0) + left
    return time.perf_counter() - t0


def _timed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - t0


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5-min {five:.2f})"


def subset(prog: Programme, book: SynergyBook, n: int) -> tuple[Programme, SynergyBook]:
    """The first ``n`` records, every site, and the synergies between those records."""
    res = prog.resources.iloc[:n]
    ids = set(res["resource_id"])
    syn = book.synergies
    keep = syn["have_resource_id"].isin(ids) & syn["want_resource_id"].isin(ids)
    out = book.outcomes[book.outcomes["synergy_id"].isin(syn.loc[keep, "synergy_id"])]
    return (Programme(name=prog.name, parks=prog.parks, sites=prog.sites,
                      contacts=prog.contacts, resources=res),
            SynergyBook(syn[keep], book.events, out))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures and the summary line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs of all pairs and Sankey (≥ 3)")
    ap.add_argument("--subsets", default="2000,4000,8000",
                    help="record counts the naive all-pairs reference is measured on")
    args = ap.parse_args(argv)
    runs = max(args.runs, 3)
    if not PBF.is_file():
        print(f"No road network at {PBF}: set SYMBIOMAP_BENCH_DIR to the shared bench folder.")
        return 2
    from geo.network import graph_from_pbf

    print(f"load average at start {_load()} on {os.cpu_count()} cores")
    prog, gen_s = _timed(synthetic_programme)
    graph, graph_s = _timed(graph_from_pbf, str(PBF))
    print(f"synthetic programme: {len(prog.sites):,} sites, {len(prog.resources):,} records "
          f"({gen_s:.1f} s to generate); road graph {PBF.name}: {graph.n_nodes:,} nodes "
          f"(read in {graph_s:.1f} s, cached by the app, not counted)")
    catalogue = load_catalogue()
    seed_matches = Matcher.from_programme(prog, catalogue=catalogue).all_pairs().table
    book = synthetic_book(prog, seed_matches)
    print(f"synergy book: {len(book.synergies):,} synergies, {len(book.outcomes):,} outcomes "
          "(made from the best straight-line matches; not timed)")

    def app_matcher(p: Programme, b: SynergyBook) -> Matcher:  # as ui.runs.matcher
        return Matcher.from_programme(p, synergies=b.synergies, graph=graph,
                                      catalogue=catalogue)

    all_s, prep_s = [], []
    for _ in range(runs):
        matcher, t_prep = _timed(app_matcher, prog, book)
        result, t_all = _timed(matcher.all_pairs)
        prep_s.append(t_prep)
        all_s.append(t_prep + t_all)
    all_pairs = stats(all_s)
    haves = int((prog.resources["direction"] == "have").sum())
    print(f"all pairs (preparation + all_pairs): {all_pairs.fmt(1)} s, preparation "
          f"{stats(prep_s).fmt(2)} s; {haves:,} haves → {len(result.table):,} ranked matches")
    print("  notes: " + " ".join(n for n in result.notes if "istance" in n or "road" in n))
    methods = result.table["distance_method"].value_counts().to_dict()
    print(f"  distance methods in the result: {methods}")

    rng = np.random.default_rng(SEED)
    res = prog.resources
    ids = [*rng.choice(res.loc[res["direction"] == "have", "resource_id"], 40, replace=False),
           *rng.choice(res.loc[res["direction"] == "want", "resource_id"], 10, replace=False)]
    times, naive_one, road = [], [], 0
    wants_all = matcher.records[matcher.records["direction"] == "want"]
    for rid in ids:
        out, t = _timed(matcher.for_record, rid)
        times.append(t)
        road += int((out.table["distance_method"] == "road").sum())
        rec = matcher.records[matcher.records["resource_id"] == rid]
        if rec["direction"].iloc[0] == "have":
            naive_one.append(_timed(_naive_pairs, matcher, rec, wants_all)[1])
    single = stats(times)
    ref_one = stats(naive_one)
    print(f"one record with road distances: {single.fmt(3)} s over {len(ids)} records (40 haves,"
          f" 10 wants; {road:,} of the matches shown measured by road)")
    print(f"  reference, measured: naive cross-merge of one have × all "
          f"{len(wants_all):,} wants (straight-line): {ref_one.fmt(3)} s "
          f"(×{ref_one.median / single.median:.1f} ours)")

    for n in [int(x) for x in args.subsets.split(",")]:
        sub, sub_book = subset(prog, book, n)
        ours, t_ours = _timed(lambda sub=sub, sub_book=sub_book: app_matcher(
            sub, sub_book).all_pairs())
        m_sub = app_matcher(sub, sub_book)
        rec = m_sub.records
        wants = rec[rec["direction"] == "want"]
        _, t_naive = _timed(_naive_pairs, m_sub, rec, wants)
        print(f"  reference all pairs, measured on the first {n:,} records: naive cross-merge "
              f"{t_naive:.2f} s vs ours {t_ours:.2f} s (×{t_naive / t_ours:.1f}); "
              f"{len(ours.table):,} matches")

    factors = load_factors()
    sankey_times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        sankey = sankey_data(prog, book, catalogue=catalogue)
        kpis(prog, book, factors=factors, sankey=sankey)
        sankey_times.append(time.perf_counter() - t0)
    sankey_s = stats(sankey_times)
    sub, sub_book = subset(prog, book, 10_000)
    t0 = time.perf_counter()
    sankey_data(sub, sub_book, catalogue=catalogue)
    ours_sub = time.perf_counter() - t0
    ref_s = naive_allocation(sub, sub_book)
    print(f"sankey + KPIs: {sankey_s.fmt(2)} s for {N_RECORDS:,} records and "
          f"{len(book.synergies):,} synergies; reference, measured on 10,000 records: per-have "
          f"loop {ref_s:.2f} s vs our Sankey {ours_sub:.3f} s (×{ref_s / ours_sub:,.0f})")
    print(f"targets: all pairs ≤ 30 s {'met' if all_pairs.median <= 30 else 'MISSED'}, one "
          f"record ≤ 0.5 s {'met' if single.median <= 0.5 else 'MISSED'} (max "
          f"{single.hi:.3f} s), sankey ≤ 1 s {'met' if sankey_s.median <= 1 else 'MISSED'}")
    print(f"load average at end {_load()}")
    print(f"summary: records={N_RECORDS} all_pairs_s={all_pairs.median:.1f} "
          f"single_s={single.median:.3f} sankey_s={sankey_s.median:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
