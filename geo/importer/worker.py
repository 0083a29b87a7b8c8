"""Imports in a separate worker process, so that a server's readers keep the interpreter.

A Streamlit server runs every session of every person in one Python process. An import's own
work — reading the file, the pandera validation, matching the rows to the programme's sites,
the plausibility checks — is Python and pandas code that holds the interpreter lock in turns
with every other session's rerun (seconds for a large file).

:func:`import_in_worker` runs :func:`~geo.importer.run.import_file` in a long-lived worker
process instead (a :class:`~concurrent.futures.ProcessPoolExecutor` of ``spawn``\\ ed
processes, started once per app process and kept): the calling session's thread waits for
the report without holding the lock, and the import commits in its own transaction from the
worker's own connection, exactly as in the app's process (the report is the same object).

- The language of the calling session is the worker's for that import (the reasons in the
  report are written for the person who corrects the file).
- An exception reaches the caller as itself (a domain error, :class:`~geo.errors.SymbiosisError`:
  an unreadable file, the database unreachable or busy), or as a :class:`RuntimeError` naming
  it when it cannot be pickled; the worker logs the traceback of any that is not a domain
  error.
- A worker that died while idle is replaced before the import is sent. One that dies
  mid-import (killed, out of memory) is replaced for the next import, and the caller gets a
  :class:`~geo.errors.StoreError` saying the file was stored wholly or not at all (one
  transaction) and that importing it again adds nothing twice.

With :func:`import_and_prepare` (what the Import page uses) the worker also builds the
programme's protected release at the new data version and sends it back with the report: the
app then only unpickles it (milliseconds) instead of building it (~0.3 s of its interpreter at
100,000 records) while every viewer waits for it.

Opt-in (``SYMBIOMAP_IMPORT_WORKERS=1``, :attr:`geo.settings.Settings.import_processes`),
because what it buys depends on the machine (``benchmarks/RESULTS.md``, issue 13):

- while a 100,000-row import and the release after it were made, a viewer's heat map computed
  every 100 ms in the app was late by 193–203 ms at the 95th percentile when both were made
  in the app's process and by 15–18 ms (about its time alone) when a worker made them, in
  ~10 s either way (``python benchmarks/import_worker_bench.py --import-rows 100000``);
- on two cores shared with twenty browsers (``benchmarks/server_bench.py``), where every
  CPU-second anywhere delays the others, the one worker took the imports in turn and the
  viewers' tail was no shorter, for ~400 MB more memory.

The command line imports in its own process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import threading
import types
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import StoreError, SymbiosisError
from geo.i18n import _, current_locale, use_locale

if TYPE_CHECKING:
    from geo.disclosure import DisclosureRules, ProgrammeRelease
    from geo.importer.run import ImportReport
    from geo.store import Store
    from geo.store.reads import ProgrammeSnapshot

__all__ = ["PreparedRelease", "import_and_prepare", "import_in_worker", "shutdown", "start"]

logger = logging.getLogger(__name__)

# In a worker: one store (engine, migrated once) per URL, and the newest snapshot of each
# programme it prepared a release of (the next one reads only the rows added since).
_stores: dict[str, Store] = {}
_snapshots: dict[tuple[str, str], ProgrammeSnapshot] = {}


def _ready() -> int:
    """Run in a worker: import what an import needs, so that the first import does not wait
    for it. Returns the worker's process id."""
    from geo.catalogue import load_catalogue
    from geo.importer import run  # noqa: F401  (pandas, pandera, the store's tables)

    load_catalogue()
    return os.getpid()


def _store(database_url: str) -> Store:
    from geo.store import open_store

    if database_url not in _stores:
        _stores[database_url] = open_store(database_url)
    return _stores[database_url]


@dataclass(frozen=True)
class PreparedRelease:
    """A programme's protected release, built by the worker right after an import.

    Attributes
    ----------
    programme : str
    version : int
        The data version it was built from (the import's, or a later write's).
    rules : DisclosureRules
        The programme's disclosure rules it was built with.
    release : ProgrammeRelease
        With both directions' trees built.
    """

    programme: str
    version: int
    rules: DisclosureRules
    release: ProgrammeRelease


def _prepare_release(database_url: str, programme: str) -> PreparedRelease:
    """Run in a worker: the release at the version the database holds now, from the worker's
    own newest snapshot plus the rows added since (as the app loads it)."""
    from geo.catalogue import load_catalogue
    from geo.disclosure import build_release
    from geo.disclosure.settings import rules_in_force
    from geo.settings import get_settings

    store = _store(database_url)
    snapshot = store.programme_snapshot(programme,
                                        since=_snapshots.get((database_url, programme)))
    _snapshots[(database_url, programme)] = snapshot
    rules = rules_in_force(store, programme, get_settings())
    release = build_release(snapshot.programme, catalogue=load_catalogue(), rules=rules)
    return PreparedRelease(programme, snapshot.version, rules, release)  # pickled whole


def _import(path: str, database_url: str, programme: str, provenance: str, *,
            locale: str, prepare: bool = False) -> tuple[ImportReport, bytes | None]:
    """Run in a worker: the import, in the caller's language, and — with ``prepare``, when it
    added something — the programme's release at the new version, pickled (None when that
    failed: the app builds it as without a worker)."""
    from geo.importer.run import import_file

    try:
        with use_locale(locale):
            report = import_file(path, store=_store(database_url), programme=programme,
                                 provenance=provenance)
    except SymbiosisError:
        raise
    except Exception as exc:  # a bug: keep its traceback here, send back what pickles
        logger.exception("Import of %r into %r failed in the worker process", path, programme)
        try:
            pickle.dumps(exc)
        except Exception:
            msg = f"the import failed in its worker process: {type(exc).__name__}: {exc}"
            raise RuntimeError(msg) from None
        raise
    prepared = None
    if prepare and (report.imported or report.sites_added):
        try:  # pickled here, so that a failure loses the release, never the report
            prepared = pickle.dumps(_prepare_release(database_url, programme),
                                    protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a convenience: the app builds the release itself
            logger.warning("Could not prepare the release of %r after an import", programme,
                           exc_info=True)
    return report, prepared


@contextmanager
def _plain_main() -> Iterator[None]:
    """An empty ``__main__`` module while worker processes start.

    A ``spawn``\\ ed process first runs the parent's ``__main__`` again (by its file), and a
    Streamlit server installs the page script it is running as ``__main__``: without this,
    every worker would run ``app.py`` — the whole page, its database reads — before its first
    import (and hold ~360 MB). The worker needs nothing from it: its tasks are functions of
    this module. The swap lasts while the processes are created (milliseconds); a rerun that
    starts in that moment finds the previous script as ``__main__``, which pages never use.
    """
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


class _Workers:
    """The app process's pool of import workers (one, replaced when it breaks)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool: tuple[int, ProcessPoolExecutor] | None = None

    def start(self, workers: int) -> tuple[ProcessPoolExecutor, Future[int] | None]:
        """The pool of ``workers`` processes, and the readiness of its first worker when this
        call started the pool (None when it was running)."""
        with self.lock:
            if self.pool is not None and self.pool[0] == workers:
                return self.pool[1], None
            if self.pool is not None:
                self.pool[1].shutdown(wait=False, cancel_futures=False)
            context = multiprocessing.get_context("spawn")  # never fork a threaded server
            with _plain_main():
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
                # Every process starts here: the pool starts one per task submitted while
                # none is idle, up to ``workers``, and none later (a broken pool is replaced
                # whole, by this method).
                ready = [pool.submit(_ready) for _ in range(workers)]
            self.pool = (workers, pool)
            return pool, ready[0]

    def discard(self, executor: ProcessPoolExecutor) -> None:
        """Forget a broken executor (the next call starts a new one)."""
        with self.lock:
            if self.pool is not None and self.pool[1] is executor:
                self.pool = None
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self.lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool[1].shutdown(wait=True, cancel_futures=True)


_WORKERS = _Workers()


def start(workers: int = 1) -> Future[int] | None:
    """Start the worker processes in the background (nothing when already started, or for
    ``workers=0``): the first import then finds them ready. Returns the future of one
    worker's readiness (its process id), or None."""
    if workers <= 0:
        return None
    return _WORKERS.start(workers)[1]


def shutdown() -> None:
    """Stop the worker processes (they are started again on demand)."""
    _WORKERS.shutdown()


def import_in_worker(path: str | Path, *, database_url: str, programme: str,
                     provenance: str = "import file", workers: int = 1) -> ImportReport:
    """Import the member list at ``path`` into ``programme`` of the database at
    ``database_url`` in a worker process, as :func:`~geo.importer.run.import_file` would.

    Parameters
    ----------
    path : str or Path
        A file the worker can read (an upload saved by :func:`geo.uploads.save_upload`).
    database_url : str
        The programme database; not an in-memory SQLite database, which only its own process
        sees.
    programme, provenance : str
        As for :func:`~geo.importer.run.import_file`.
    workers : int
        How many worker processes to keep (the first call starts them).

    Returns
    -------
    ImportReport
        The import's report, written in this session's language.

    Raises
    ------
    SymbiosisError
        What :func:`~geo.importer.run.import_file` raises (an unreadable file, a database
        that cannot be reached …), unchanged.
    StoreError
        When the worker process ended before it reported (the import is then wholly stored
        or wholly absent).
    """
    return _run(path, database_url, programme, provenance, workers, prepare=False)[0]


def import_and_prepare(path: str | Path, *, database_url: str, programme: str,
                       provenance: str = "import file", workers: int = 1
                       ) -> tuple[ImportReport, PreparedRelease | None]:
    """As :func:`import_in_worker`, and the programme's protected release at the new data
    version, built by the worker too (None when nothing was added or it could not be built):
    every viewer's next page needs it, and the app then only unpickles it (milliseconds,
    against ~0.3 s of the app's interpreter at 100,000 records)."""
    return _run(path, database_url, programme, provenance, workers, prepare=True)


def _run(path: str | Path, database_url: str, programme: str, provenance: str, workers: int,
         *, prepare: bool) -> tuple[ImportReport, PreparedRelease | None]:
    task = partial(_import, str(path), database_url, programme, provenance,
                   locale=current_locale(), prepare=prepare)
    executor = _WORKERS.start(max(workers, 1))[0]
    try:
        future = executor.submit(task)
    except BrokenProcessPool:  # a worker died while idle: nothing was tried; a new pool
        _WORKERS.discard(executor)
        executor = _WORKERS.start(max(workers, 1))[0]
        future = executor.submit(task)
    try:
        report, prepared = future.result()
    except BrokenProcessPool:
        _WORKERS.discard(executor)
        logger.warning("The import worker process ended during an import of %r into %r",
                       str(path), programme)
        raise StoreError(_(
            "The import stopped before it could report: its worker process ended (the server "
            "may be short of memory). An import is stored whole or not at all, so import the "
            "file again: rows already stored count as duplicates and nothing is added "
            "twice.")) from None
    # the bytes come from our own worker process, never from a person
    return report, (pickle.loads(prepared) if prepared is not None else None)
