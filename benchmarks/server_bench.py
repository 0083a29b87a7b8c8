"""Benchmark: SymbioMap as a server — PostgreSQL with PostGIS under a 100,000-record import.

Part 1: the seeded 100,000-row member list of ``import_bench.py`` (about
5,000 sites, 2 % bad rows) imported with :func:`geo.importer.import_file` into a fresh
PostgreSQL database with PostGIS — goal ≤ 15 s — then imported again (every row a duplicate),
the programme loaded, a 2 km spatial filter run in the database, 200 more rows imported and
the programme loaded again as the app does after an import (the last load plus the added
rows, :meth:`geo.store.Store.programme_snapshot`). Reference measured in
the same run: the same import into a fresh SQLite file.

Part 2 (``--sessions 20``): 20 concurrent headless-Chromium sessions against one app process
on that database — 16 viewers changing the Concentrations page's streams, 4 practitioners
importing member lists and changing streams — with p50/p95 from a filter change to the map
drawn (goal p95 ≤ 5 s), once every session's page is open (``--arrivals together``: while the
others still load); see :mod:`benchmarks.server_sessions`.

PostgreSQL: ``--server URL`` (a superuser's URL to a server's ``postgres`` database; the
benchmark creates its own database there and drops it) or ``SYMBIOMAP_TEST_POSTGRES_URL``;
without either, a throw-away cluster is started in a temporary folder with Debian's
``postgresql`` and ``postgresql-15-postgis-3`` (as root, run as the ``postgres`` user) and
stopped at the end.

Run::

    python benchmarks/server_bench.py                 # 100,000 rows, throw-away cluster
    python benchmarks/server_bench.py --sessions 20   # and 20 browser sessions
    python benchmarks/server_bench.py --rows 20000 --server "postgresql+psycopg://postgres@/postgres?host=/tmp/pg"

The last line is ``summary: rows=… pg_import_s=… goal_s=15 within_goal=…``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from benchmarks.import_bench import generate  # noqa: E402
from geo.catalogue import load_catalogue  # noqa: E402
from geo.importer import import_file  # noqa: E402
from geo.store import open_store  # noqa: E402
from geo.store.spatial import Near  # noqa: E402

IMPORT_GOAL_S = 15.0
T = TypeVar("T")


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL cluster on a Unix socket in a temporary folder; yields its admin URL."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if not found:
        msg = ("No PostgreSQL found: apt-get install postgresql postgresql-15-postgis-3, or "
               "pass --server URL.")
        raise SystemExit(msg)
    bindir = found[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="symbiomap-bench-pg-"))
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run([*as_pg, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                    "postgres"], check=True, capture_output=True)
    subprocess.run([*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                    "-o", f"-k {folder} -c listen_addresses=", "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}"
    finally:
        subprocess.run([*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new database with PostGIS on ``server``; yields its URL, drops it afterwards."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"symbiomap_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def run_browser_sessions(database_url: str, *, sessions: int, practitioners: int = 4,
                         think_s: float = 10.0, browser_nice: int = 0,
                         programme: str = "Benchmark", settle: bool = True
                         ) -> dict[str, float]:
    """Part 2: ``sessions`` concurrent headless-Chromium sessions against one app process on
    ``database_url`` (four practitioners importing and changing filters, the others viewers on
    Concentrations); see :mod:`benchmarks.server_sessions`."""
    from benchmarks.server_sessions import run_sessions

    return run_sessions(database_url, programme=programme, sessions=sessions,
                        practitioners=practitioners, think_s=think_s,
                        browser_nice=browser_nice, settle=settle)


def _timed(label: str, fn: Callable[[], T]) -> tuple[float, T]:
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    print(f"{label:<44} {seconds:7.2f} s")
    return seconds, out


def bench(server: str, rows: int, seed: int, sessions: int, *, practitioners: int = 4,
          think_s: float = 10.0, browser_nice: int = 0, settle: bool = True) -> int:
    """Run part 1 (and part 2 when ``sessions``); print the figures; returns 0."""
    with tempfile.TemporaryDirectory(prefix="symbiomap-bench-") as tmp:
        csv_path = Path(tmp) / "members.csv"
        n_bad = generate(csv_path, rows, seed=seed)
        print(f"generated {rows:,} rows ({n_bad:,} bad on purpose, "
              f"{csv_path.stat().st_size / 1e6:.1f} MB)")
        catalogue = load_catalogue()

        sqlite = open_store(f"sqlite:///{Path(tmp) / 'reference.db'}")
        sqlite_s, _ = _timed("reference: import into SQLite",
                             lambda: import_file(csv_path, store=sqlite, programme="Benchmark",
                                                 catalogue=catalogue))
        with fresh_database(server) as url:
            pg = open_store(url)
            print(f"PostgreSQL store: {pg!r}, spatial filters by {pg.spatial_backend}")
            pg_s, report = _timed("import into PostgreSQL (one transaction)",
                                  lambda: import_file(csv_path, store=pg, programme="Benchmark",
                                                      catalogue=catalogue))
            again_s, again = _timed("import again (all duplicates)",
                                    lambda: import_file(csv_path, store=pg,
                                                        programme="Benchmark",
                                                        catalogue=catalogue))
            load_s, prog = _timed("load the programme",
                                  lambda: pg.load_programme("Benchmark"))
            near_s, near = _timed("sites within 2 km of a point (in the database)",
                                  lambda: pg.sites("Benchmark",
                                                   within=Near(26.95, 60.5, radius_m=2000)))
            snapshot = pg.programme_snapshot("Benchmark")
            small = Path(tmp) / "small.csv"
            generate(small, 200, seed=seed + 1)
            small_s, _ = _timed("import 200 more rows",
                                lambda: import_file(small, store=pg, programme="Benchmark",
                                                    catalogue=catalogue))
            added_s, _ = _timed("load again: the last load plus the added rows",
                                lambda: pg.programme_snapshot("Benchmark", since=snapshot))
            versions = pg.data_versions("Benchmark")
            pg.engine.dispose()
            part2 = run_browser_sessions(url, sessions=sessions,
                                         practitioners=practitioners,
                                         think_s=think_s, browser_nice=browser_nice,
                                         settle=settle) if sessions else {}
    r = report  # the first import's report
    print(f"import:    {r.rows:,} rows, {r.imported:,} imported, {r.duplicates:,} duplicates, "
          f"{r.rejected:,} rejected, {r.sites_added:,} sites ({r.rows / pg_s:,.0f} rows/s)")
    print(f"re-import: {again.imported:,} imported, {again.duplicates:,} duplicates")
    print(f"loaded {len(prog.sites):,} sites and {len(prog.resources):,} resources; "
          f"{len(near):,} sites within 2 km; data versions {tuple(versions)}")
    print(f"PostgreSQL import / SQLite import: {pg_s / sqlite_s:.2f}x")
    ok = pg_s <= IMPORT_GOAL_S
    print(f"goal: import into PostgreSQL <= {IMPORT_GOAL_S:.0f} s -> "
          f"{'met' if ok else 'NOT met'} ({pg_s:.2f} s)")
    print(f"summary: rows={rows} pg_import_s={pg_s:.2f} reimport_s={again_s:.2f} "
          f"load_s={load_s:.2f} near_s={near_s:.3f} import200_s={small_s:.2f} "
          f"reload_added_s={added_s:.3f} sqlite_import_s={sqlite_s:.2f} "
          f"goal_s={IMPORT_GOAL_S:.0f} within_goal={ok}"
          + "".join(f" {k}={v:.2f}" for k, v in part2.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the options, find or start PostgreSQL, run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--server", default=os.environ.get("SYMBIOMAP_TEST_POSTGRES_URL", ""),
                        help="superuser URL of a PostgreSQL server with PostGIS "
                             "(default: SYMBIOMAP_TEST_POSTGRES_URL, else a throw-away cluster)")
    parser.add_argument("--sessions", type=int, default=0,
                        help="part 2: concurrent browser sessions (20 in the issue)")
    parser.add_argument("--practitioners", type=int, default=4,
                        help="of the sessions, how many import and edit (the rest are viewers)")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds a person pauses between two changes (0: none)")
    parser.add_argument("--browser-nice", type=int, default=0,
                        help="run Chromium at this nice level (the app at 0)")
    parser.add_argument("--arrivals", choices=("settled", "together"), default="settled",
                        help="settled: every session opens its page, then the timed changes "
                             "start (the default); together: each session starts changing as "
                             "soon as its own page is open, while the others still load")
    args = parser.parse_args(argv)
    if args.server:
        return bench(args.server, args.rows, args.seed, args.sessions,
                     practitioners=args.practitioners, think_s=args.think,
                     browser_nice=args.browser_nice, settle=args.arrivals == "settled")
    with throwaway_cluster() as server:
        return bench(server, args.rows, args.seed, args.sessions,
                     practitioners=args.practitioners, think_s=args.think,
                     browser_nice=args.browser_nice, settle=args.arrivals == "settled")


if __name__ == "__main__":
    raise SystemExit(main())
