"""Benchmark: what a large import does to the other sessions of one app process, imported in
the app's process or in an import worker (``SYMBIOMAP_IMPORT_WORKERS=1``).

A Streamlit server runs every session in one Python process. While a practitioner's import
validates and matches its rows, it holds the interpreter lock in turns with every other
session's rerun. This measures that directly, without browsers: a programme of ``--rows``
records (``import_bench.generate``, 5,000 sites), a viewer's heat map and picture of it
computed every 100 ms in a thread (a viewer rerun's own work, not shared between runs), and
the lateness of each of those — from when it was due to when its picture was ready — first
alone (the reference), then while an import of ``--import-rows`` rows and the protected
release at the new data version are made in a thread of this process (as the Import page and
its warm-up do by default), then while a worker process makes both and sends them back
(:func:`geo.importer.worker.import_and_prepare`, the worker started beforehand as the Import
page does), into an identical copy of the programme.

Run::

    python benchmarks/import_worker_bench.py            # 100,000 records, a 20,000-row import

Prints the viewer's p50/p95/max lateness in each case with its ratio to the reference, and
the seconds until the import's report and the release were both there (the worker's include
sending them back and unpickling the release).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the project's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.import_bench import generate
from benchmarks.server_sessions import percentile

TICK_S = 0.1


def viewer_task(database_url: str, programme: str) -> Callable[[], object]:
    """A viewer rerun's own work on the programme's release: the heat map of its largest
    stream and its web-map picture (computed afresh each time, as for a new selection)."""
    from geo.catalogue import load_catalogue
    from geo.concentrations import raster
    from geo.concentrations import viewer as cv
    from geo.concentrations.density import KDEParams
    from geo.disclosure import build_release
    from geo.store import open_store

    release = build_release(open_store(database_url).load_programme(programme),
                            catalogue=load_catalogue())
    stream = next(s for s in release.stream_labels() if cv.empty_message(
        release, cv.release_query(release, streams=[s], parks=[], grant=())) is None)
    query = cv.release_query(release, streams=[stream], parks=[], grant=())
    params = KDEParams(bandwidth_m=cv.viewer_bandwidth_m(release, query))

    def task() -> object:
        surface = cv._heat(release, query, params, cv.N_CLASSES)  # not the shared memo
        return raster.display_image(surface)

    return task


def lateness(task: Callable[[], object], until: Callable[[], bool]) -> list[float]:
    """Run ``task`` every :data:`TICK_S` until ``until()``; how late each run finished after
    it was due (seconds)."""
    out: list[float] = []
    due = time.perf_counter()
    while not until():
        now = time.perf_counter()
        if now < due:
            time.sleep(due - now)
        task()
        out.append(time.perf_counter() - due)
        due = max(due + TICK_S, time.perf_counter())
    return out


def _summary(label: str, values: list[float], reference: list[float] | None) -> str:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    text = (f"{label:<40} n={len(values):4d} p50 {1000 * p50:6.0f} ms · p95 "
            f"{1000 * p95:6.0f} ms · max {1000 * max(values):6.0f} ms")
    if reference:
        ref95 = percentile(reference, 95)
        text += f"   (p95 {p95 / ref95:.1f}x the reference)"
    return text


def during(task: Callable[[], object], work: Callable[[], object]) -> tuple[list[float], float]:
    """The viewer's lateness while ``work()`` runs in another thread, and its seconds."""
    done = threading.Event()
    seconds: list[float] = []

    def run() -> None:
        t0 = time.perf_counter()
        try:
            work()
        finally:
            seconds.append(time.perf_counter() - t0)
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    late = lateness(task, done.is_set)
    thread.join()
    return late, seconds[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="records in the programme")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the import")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    from geo.catalogue import load_catalogue
    from geo.disclosure import DisclosureRules, build_release
    from geo.importer import import_file, worker
    from geo.store import open_store

    with tempfile.TemporaryDirectory(prefix="symbiomap-import-worker-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'programme.db'}"
        generate(folder / "programme.csv", args.rows, seed=args.seed)
        store = open_store(url)
        for name in ("In the app", "In a worker"):  # the same programme twice
            import_file(folder / "programme.csv", store=store, programme=name)
        members = folder / "members.csv"
        generate(members, args.import_rows, seed=args.seed + 1)
        task = viewer_task(url, "In the app")
        ready = worker.start(1)
        assert ready is not None
        ready.result(timeout=300)  # as when the Import page opened
        catalogue, rules = load_catalogue(), DisclosureRules()
        # the app holds the newest snapshot of a programme, and reads only what an import adds
        before = store.programme_snapshot("In the app")
        print(f"programme: {args.rows:,} records; import: {args.import_rows:,} rows; the "
              f"viewer's heat map and picture every {1000 * TICK_S:.0f} ms")

        stop = time.perf_counter() + 5.0
        reference = lateness(task, lambda: time.perf_counter() > stop)
        print(_summary("viewer alone (reference)", reference, None))

        def in_the_app() -> object:  # the Import page without a worker, and its warm-up
            import_file(members, store=store, programme="In the app")
            snapshot = store.programme_snapshot("In the app", since=before)
            release = build_release(snapshot.programme, catalogue=catalogue, rules=rules)
            return release.trees["have"]

        def in_a_worker() -> object:  # with SYMBIOMAP_IMPORT_WORKERS=1: both come back
            _report, prepared = worker.import_and_prepare(members, database_url=url,
                                                          programme="In a worker")
            assert prepared is not None
            return prepared.release.trees["have"]

        late_in, s_in = during(task, in_the_app)
        print(_summary("viewer during import + release in the app", late_in, reference)
              + f"; both in {s_in:.2f} s")
        late_w, s_w = during(task, in_a_worker)
        print(_summary("viewer during import + release in a worker", late_w, reference)
              + f"; both in {s_w:.2f} s")
        worker.shutdown()
        store.engine.dispose()
    p95, p95_in = percentile(late_w, 95), percentile(late_in, 95)
    print(f"summary: rows={args.rows} import_rows={args.import_rows} "
          f"viewer_p95_in_app_ms={1000 * p95_in:.0f} viewer_p95_worker_ms={1000 * p95:.0f} "
          f"in_app_s={s_in:.2f} worker_s={s_w:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
