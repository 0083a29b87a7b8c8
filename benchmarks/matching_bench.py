"""Benchmark of synergy matching and reporting at the UK programme's scale.

Run ``python benchmarks/matching_bench.py`` (about a minute). A synthetic programme (seed 7):
15,000 member sites scattered over 120 parks in a 600 × 650 km region, 100,000 resource
records — 60 % drawn from the demo's sector profiles (``data/demo/sector_profiles.csv``: each
sector's typical haves and wants) and 40 % from the whole European Waste Catalogue with
Zipf-like popularity — and 20,000 synergies across the stages, outcomes on the implemented and
completed ones. Distances are straight-line × detour (no road network at this scale). It
measures, in one process:

- ``all_pairs_s``: :meth:`Matcher.all_pairs` (best 10 wants of every have, all bases) after
  :meth:`Matcher.from_programme`; reference: a naive pandas cross-merge of haves × wants,
  filtered by the same bases and scored, on a 4,000-record subset, scaled by the square of
  the size ratio (the naive cost grows with haves × wants);
- ``single_s``: median of :meth:`Matcher.for_record` over 40 haves and 10 wants (prepared
  matcher), with the cold preparation time beside it;
- ``sankey_s``: :func:`sankey_data` + :func:`kpis` on all 100,000 records; reference: the same
  allocation with a per-have Python loop on a 10,000-record subset, scaled linearly.

The last line reads ``summary: records=100000 all_pairs_s=… single_s=… sankey_s=…``.
Targets (issue 7): all pairs ≤ 30 s, single record ≤ 0.5 s, Sankey + KPIs ≤ 1 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.catalogue import load_catalogue
from geo.factors import load_factors
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS, Programme, empty_programme
from geo.settings import DATA_DIR
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import STAGES
from geo.synergies.matching import Matcher
from geo.synergies.reports import kpis, sankey_data
from geo.synergies.scoring import MatchParams, frequency_fit, quantity_fit

N_SITES = 15_000
N_RECORDS = 100_000
N_SYNERGIES = 20_000
N_PARKS = 120
SEED = 7


def synthetic_programme(seed: int = SEED) -> Programme:
    """15,000 sites and 100,000 haves and wants with realistic sector pairings."""
    rng = np.random.default_rng(seed)
    profiles = pd.read_csv(DATA_DIR / "demo" / "sector_profiles.csv",
                           dtype={"nace": str, "ewc_code": str})
    sectors = profiles.drop_duplicates("nace")
    w = sectors["weight"].to_numpy(float)
    site_sector = rng.choice(sectors["nace"].to_numpy(), N_SITES, p=w / w.sum())
    park_xy = np.column_stack([rng.uniform(-5.5, 1.5, N_PARKS), rng.uniform(50.2, 56.0, N_PARKS)])
    park = rng.integers(0, N_PARKS, N_SITES)
    in_park = rng.random(N_SITES) < 0.7
    lon = np.where(in_park, park_xy[park, 0] + rng.normal(0, 0.01, N_SITES),
                   rng.uniform(-5.5, 1.5, N_SITES))
    lat = np.where(in_park, park_xy[park, 1] + rng.normal(0, 0.006, N_SITES),
                   rng.uniform(50.2, 56.0, N_SITES))
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


def naive_all_pairs(m: Matcher, n_records: int, top_k: int = 10) -> float:
    """Seconds for a cross-merge of haves × wants on the first ``n_records`` records."""
    rec = m.records.iloc[:n_records]
    t0 = time.perf_counter()
    h = rec[(rec["direction"] == "have") & (rec["key"] != "")]
    w = rec[rec["direction"] == "want"]
    pairs = h.merge(w, how="cross", suffixes=("_h", "_w"))
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
    pairs.sort_values(["resource_id_h", "score"], ascending=[True, False]).groupby(
        "resource_id_h").head(top_k)
    return time.perf_counter() - t0


def naive_allocation(prog: Programme, book: SynergyBook, n_records: int) -> float:
    """Seconds for a per-have Python loop of the Sankey allocation on a subset."""
    res = prog.resources.iloc[:n_records]
    haves = res[res["direction"] == "have"]
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


def main() -> None:
    """Run the benchmark and print the figures and the summary line."""
    t0 = time.perf_counter()
    prog = synthetic_programme()
    print(f"synthetic programme: {len(prog.sites):,} sites, {len(prog.resources):,} records "
          f"({time.perf_counter() - t0:.1f} s to generate)")
    catalogue = load_catalogue()
    t0 = time.perf_counter()
    matcher = Matcher.from_programme(prog, catalogue=catalogue, params=MatchParams(top_k=10))
    prep_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = matcher.all_pairs()
    all_pairs_s = prep_s + time.perf_counter() - t0
    haves = int((prog.resources["direction"] == "have").sum())
    print(f"all pairs: {all_pairs_s:.1f} s (preparation {prep_s:.1f} s) for {haves:,} haves → "
          f"{len(result.table):,} ranked matches")
    n_sub = 4_000
    naive_s = naive_all_pairs(matcher, n_sub) * (N_RECORDS / n_sub) ** 2
    print(f"  reference: naive cross-merge on {n_sub:,} records scaled to {N_RECORDS:,}: "
          f"{naive_s:,.0f} s → speed-up {naive_s / all_pairs_s:,.0f}×")

    rng = np.random.default_rng(SEED)
    res = prog.resources
    ids = [*rng.choice(res.loc[res["direction"] == "have", "resource_id"], 40, replace=False),
           *rng.choice(res.loc[res["direction"] == "want", "resource_id"], 10, replace=False)]
    times = []
    for rid in ids:
        t0 = time.perf_counter()
        matcher.for_record(rid)
        times.append(time.perf_counter() - t0)
    single_s = float(np.median(times))
    print(f"single record: median {single_s:.3f} s, max {max(times):.3f} s over {len(ids)} "
          f"records (cold preparation once: {prep_s:.1f} s); ratio to all pairs per have "
          f"{single_s / (all_pairs_s / haves):,.0f}×")

    book = synthetic_book(prog, result.table)
    factors = load_factors()
    t0 = time.perf_counter()
    sankey = sankey_data(prog, book, catalogue=catalogue)
    kpis(prog, book, factors=factors, sankey=sankey)
    sankey_s = time.perf_counter() - t0
    n_ref = 10_000
    ref_s = naive_allocation(prog, book, n_ref) * N_RECORDS / n_ref
    print(f"sankey + KPIs: {sankey_s:.2f} s for {N_RECORDS:,} records and {N_SYNERGIES:,} "
          f"synergies; reference per-have loop scaled: {ref_s:.1f} s → speed-up "
          f"{ref_s / sankey_s:,.0f}×")
    print(f"targets: all pairs ≤ 30 s {'met' if all_pairs_s <= 30 else 'MISSED'}, single ≤ "
          f"0.5 s {'met' if single_s <= 0.5 else 'MISSED'}, sankey ≤ 1 s "
          f"{'met' if sankey_s <= 1 else 'MISSED'}")
    print(f"summary: records={N_RECORDS} all_pairs_s={all_pairs_s:.1f} single_s={single_s:.3f} "
          f"sankey_s={sankey_s:.2f}")


if __name__ == "__main__":
    main()
