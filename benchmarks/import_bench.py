"""Benchmark: import and validate a 100,000-row member list into a fresh SQLite store.

Generates a seeded CSV (about 5,000 member sites; ~2 % bad rows spread over every kind the
validator knows: unknown EWC code, non-numeric and negative quantity, unknown unit,
out-of-range and swapped lon/lat, 0,0, missing site name, unknown have/want), imports it with
:func:`geo.importer.import_file` into a temporary SQLite store, then re-imports it (all rows
duplicates or rejects). References measured in the same process:

- ``pandas.read_csv`` of the same file (all columns as text) — the floor of any import;
- a naive per-row Python validation loop over a 10,000-row subset, scaled to the full size.

Run::

    python benchmarks/import_bench.py            # 100,000 rows
    python benchmarks/import_bench.py --rows 20000

The last line is ``summary: rows=… import_s=… peak_mb=…``.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.payload import stats  # noqa: E402
from geo.catalogue import load_catalogue  # noqa: E402
from geo.importer import import_file  # noqa: E402
from geo.store import open_store  # noqa: E402

HEADER = ["Company", "Postcode", "Country", "Sector", "Have/Want", "EWC code", "Description",
          "Quantity", "Unit", "Frequency", "Fate", "Longitude", "Latitude", "Date"]
BAD_KINDS = ["ewc", "qty_text", "qty_negative", "unit", "lon_range", "swapped", "zero",
             "name", "direction"]


def generate(path: Path, rows: int, *, seed: int = 42, bad_share: float = 0.02) -> int:
    """Write the benchmark CSV; returns the number of rows made bad on purpose."""
    rng = np.random.default_rng(seed)
    codes = load_catalogue().entries["code"].to_numpy()
    n_sites = max(rows // 20, 1)
    site = rng.integers(0, n_sites, rows)
    lon = np.round(26.8 + rng.random(n_sites) * 0.3, 6)[site].astype(object)
    lat = np.round(60.4 + rng.random(n_sites) * 0.2, 6)[site].astype(object)
    frame = pd.DataFrame({
        "Company": [f"Member {i:05d} Oy" for i in site],
        "Postcode": [f"{48000 + i % 900}" for i in site],
        "Country": "FI",
        "Sector": rng.choice(["20.1", "16.1", "C24.5", "38.3", "10.8"], rows),
        "Have/Want": rng.choice(["have", "want", "supply", "demand"], rows),
        "EWC code": rng.choice(codes, rows),
        "Description": rng.choice(["sawdust", "<img src=x onerror=alert(1)>", "=1+2 sludge",
                                   "plastic film", "waste heat"], rows),
        "Quantity": np.round(rng.lognormal(3, 1.5, rows), 2).astype(str),
        "Unit": rng.choice(["t/yr", "t", "tpa", "tonnes/year"], rows),
        "Frequency": rng.choice(["weekly", "monthly", "continuous", ""], rows),
        "Fate": rng.choice(["landfill", "recycling", "incineration", ""], rows),
        "Longitude": lon, "Latitude": lat,
        "Date": "2026-01-15",
    })
    n_bad = int(rows * bad_share)
    bad_rows = rng.choice(rows, n_bad, replace=False)
    for kind, idx in zip(BAD_KINDS, np.array_split(bad_rows, len(BAD_KINDS)), strict=True):
        col, value = {
            "ewc": ("EWC code", "191299"), "qty_text": ("Quantity", "about 5 t"),
            "qty_negative": ("Quantity", "-4"), "unit": ("Unit", "kg/month"),
            "lon_range": ("Longitude", "200"), "zero": ("Longitude", "0"),
            "name": ("Company", ""), "direction": ("Have/Want", "maybe"),
            "swapped": ("Latitude", "120.5"),
        }[kind]
        frame.loc[idx, col] = value
        if kind == "zero":
            frame.loc[idx, "Latitude"] = "0"
        if kind == "swapped":
            frame.loc[idx, "Longitude"] = "31.2"
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return n_bad


def naive_validate(path: Path, rows: int) -> float:
    """Seconds for a per-row Python loop doing the same kind of checks (reference)."""
    entries = set(load_catalogue().entries["code"])
    t0 = time.perf_counter()
    bad = 0
    with path.open(encoding="utf-8") as fh:
        for i, rec in enumerate(csv.DictReader(fh)):
            if i >= rows:
                break
            errs = []
            if not rec["Company"].strip():
                errs.append("name")
            if rec["Have/Want"].strip().lower() not in {"have", "want", "supply", "demand"}:
                errs.append("direction")
            if rec["EWC code"].replace(" ", "").rstrip("*") not in entries:
                errs.append("ewc")
            try:
                if float(rec["Quantity"]) < 0:
                    errs.append("qty")
            except ValueError:
                errs.append("qty")
            try:
                if not (-180 <= float(rec["Longitude"]) <= 180
                        and -90 <= float(rec["Latitude"]) <= 90):
                    errs.append("lonlat")
            except ValueError:
                errs.append("lonlat")
            bad += bool(errs)
    return time.perf_counter() - t0


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Generate, import (into a fresh store) and re-import ``--runs`` times; print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bad-share", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (≥ 3)")
    args = parser.parse_args(argv)
    runs = max(args.runs, 3)
    print(f"load average at start {_load()} on {os.cpu_count()} cores")
    imports, reimports, validates, reads = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="symbiomap-bench-") as tmp:
        csv_path = Path(tmp) / "members.csv"
        t0 = time.perf_counter()
        n_bad = generate(csv_path, args.rows, seed=args.seed, bad_share=args.bad_share)
        print(f"generated {args.rows:,} rows ({n_bad:,} bad on purpose, "
              f"{csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.2f} s")
        catalogue = load_catalogue()
        rss_before = peak_mb()
        for run in range(runs):
            store = open_store(f"sqlite:///{Path(tmp) / f'bench{run}.db'}")
            t0 = time.perf_counter()
            pd.read_csv(csv_path, dtype=str, keep_default_na=False)
            reads.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            report = import_file(csv_path, store=store, programme="Benchmark",
                                 catalogue=catalogue)
            imports.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            again = import_file(csv_path, store=store, programme="Benchmark",
                                catalogue=catalogue)
            reimports.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            report_only = import_file(csv_path, store=None, programme="Benchmark",
                                      catalogue=catalogue)
            validates.append(time.perf_counter() - t0)
            store.engine.dispose()

        subset = min(10_000, args.rows)
        naive_s = naive_validate(csv_path, subset) * args.rows / subset
        peak = peak_mb()

    imp, re_imp, val, read = (stats(v) for v in (imports, reimports, validates, reads))
    print(f"import:    {report.rows:,} rows, {report.imported:,} imported, "
          f"{report.duplicates:,} duplicates, {report.rejected:,} rejected, "
          f"{len(report.errors):,} errors, {report.sites_added:,} sites")
    print(f"           {imp.fmt(2)} s = {report.rows / imp.median:,.0f} rows/s "
          f"(median (min–max) of {runs} imports, each into a fresh store)")
    print(f"re-import: {again.imported:,} imported, {again.duplicates:,} duplicates "
          f"in {re_imp.fmt(2)} s")
    print(f"validate only (store=None): {val.fmt(2)} s "
          f"({report_only.rejected:,} rejected)")
    print(f"reference pandas.read_csv(dtype=str): {read.fmt(2)} s -> import is "
          f"{imp.median / read.median:.1f}x read_csv")
    print(f"reference naive per-row Python checks (10k rows, scaled; no messages, keys or "
          f"site matching): {naive_s:.2f} s -> validate-only is {val.median / naive_s:.1f}x it")
    print(f"peak RSS: {peak:,.0f} MB (before imports {rss_before:,.0f} MB)")
    print(f"load average at end {_load()}")
    print(f"summary: rows={report.rows} import_s={imp.median:.2f} peak_mb={peak:.0f}")
    return 0


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5-min {five:.2f})"


if __name__ == "__main__":
    raise SystemExit(main())
