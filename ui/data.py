"""Data access: the store, the programme in use and its synergy book, cached by explicit keys.

No cached value depends on session state: a :class:`ProgrammeRef` says which programme, in
which database, at which data version, and every cached function takes it as an argument.
The one thing read from the session is whether this script run already found the database
unreachable (:func:`store`), so that the run does not wait for it again.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from geo.demo import DEMO_NAME
from geo.errors import StoreError
from geo.i18n import N_
from ui.state import DEMO_PROGRAMME, DataVersions, note_down, run_reads
from ui.widgets import LazyText

if TYPE_CHECKING:
    import pandas as pd

    from geo.programme import Programme
    from geo.store import ProgrammeSnapshot, Store
    from geo.synergies.book import SynergyBook


@dataclass(frozen=True)
class ProgrammeRef:
    """Which programme's data, in which database, at which version: a cache key.

    ``name`` is :data:`~ui.state.DEMO_PROGRAMME` for the embedded demo (read from the
    package at version 0, from its stored copy at a later version) or a stored programme's
    name. The pages name the demo :data:`~ui.state.DEMO_PROGRAMME` also once it is stored
    under :data:`geo.demo.DEMO_NAME` (the name the import form writes to); code that starts
    from the stored name uses :func:`demo_ref_name` to reach the same cache key.
    """

    name: str
    database_url: str
    version: int = 0

    @property
    def is_demo(self) -> bool:
        """Whether this is the embedded demo rather than a stored programme."""
        return self.name == DEMO_PROGRAMME

    @property
    def stored_name(self) -> str:
        """The programme's name in the database (the demo's copy: :data:`DEMO_NAME`)."""
        return stored_name(self.name)


def stored_name(name: str) -> str:
    """The database name of programme ``name`` as the pages name it (the demo,
    :data:`~ui.state.DEMO_PROGRAMME`, is stored as :data:`geo.demo.DEMO_NAME`); the inverse
    of :func:`demo_ref_name`.

    >>> stored_name(DEMO_PROGRAMME) == DEMO_NAME
    True
    """
    return DEMO_NAME if name == DEMO_PROGRAMME else name


def demo_ref_name(stored_name: str, *, demo: bool) -> str:
    """The :class:`ProgrammeRef` name of stored programme ``stored_name``: the demo's
    stored copy is :data:`~ui.state.DEMO_PROGRAMME` where the demo is offered (``demo``,
    the setting), as the pages name it, so that a write's warm-up builds what they read; where
    it is not offered the copy is an ordinary programme under its own name.

    >>> demo_ref_name(DEMO_NAME, demo=True) == DEMO_PROGRAMME
    True
    >>> demo_ref_name(DEMO_NAME, demo=False) == DEMO_NAME
    True
    """
    return DEMO_PROGRAMME if demo and stored_name == DEMO_NAME else stored_name


def store(database_url: str) -> Store:
    """The programme database at ``database_url`` (opened and migrated once per process).

    Raises :class:`~geo.errors.StoreError` when it cannot be opened. A database found
    unreachable earlier in this script run is not tried again until the next run
    (:class:`ui.state.RunReads`): with its host gone each try waits for the connect timeout.
    """
    reads = run_reads()
    if reads is not None and reads.down is not None:
        raise reads.down
    try:
        return _open_store(database_url)
    except StoreError as exc:
        note_down(exc)
        raise


@st.cache_resource(show_spinner=False)
def _open_store(database_url: str) -> Store:
    from geo.store import open_store

    return open_store(database_url)


def data_versions(name: str, database_url: str) -> DataVersions:
    """The data versions of programme ``name``, read from the database now (every rerun).

    Read before any data, so that a cache entry never holds data older than its key. The
    embedded demo is at version 0 until a write stores it (a synergy, records saved at a
    workshop); from then on it has the stored copy's versions, and is read from that copy.
    Raises :class:`~geo.errors.StoreError` when the database cannot be reached.
    """
    found = store(database_url).data_versions(stored_name(name))
    return DataVersions(programme=found.programme, synergies=found.synergies)


@st.cache_resource(show_spinner=LazyText(N_("Loading the demo programme…")))
def _demo_programme() -> Programme:
    from geo.demo import load_demo_programme

    return load_demo_programme()


# The newest snapshot this process has read of each stored programme, per store: the base
# that the next version is brought up to date from (after an import, only the added rows are
# read). Weak keys: a store dropped from the cache takes its snapshots with it.
_LATEST: weakref.WeakKeyDictionary[Store, dict[str, ProgrammeSnapshot]] = (
    weakref.WeakKeyDictionary())
_LATEST_LOCK = threading.Lock()


# A shared object like the demo (cache_resource, not cache_data): cache_data would unpickle a
# copy of the whole programme on every rerun of every session — at 100,000 records a large
# part of a rerun once twenty sessions share a server (benchmarks/server_bench.py).
@st.cache_resource(show_spinner=LazyText(N_("Loading programme…")), max_entries=4)
def _stored_programme(database_url: str, name: str, version: int) -> Programme:
    """Programme ``name`` at data version ``version`` or later (the cache key: bumped after
    each write), built from this process's newest snapshot of it when the writes since only
    added records (:meth:`geo.store.Store.programme_snapshot`)."""
    db = store(database_url)
    with _LATEST_LOCK:
        base = _LATEST.get(db, {}).get(name)
    snapshot = db.programme_snapshot(name, since=base if base and base.version <= version
                                     else None)
    with _LATEST_LOCK:
        latest = _LATEST.setdefault(db, {})
        if name not in latest or latest[name].version <= snapshot.version:
            latest[name] = snapshot
    return snapshot.programme


def programme(ref: ProgrammeRef) -> Programme:
    """The programme ``ref`` names: a shared object (the demo and stored programmes alike),
    so copy frames before changing them.

    The embedded demo is read from the package at version 0, and from its stored copy once a
    write has stored it (so that records saved on the demo, at a workshop, show on every
    page, as its synergies do).
    """
    if ref.is_demo and ref.version == 0:
        return _demo_programme()
    return _stored_programme(ref.database_url, ref.stored_name, ref.version)


@st.cache_resource(show_spinner=LazyText(N_("Loading synergies…")), max_entries=4)
def synergy_book(ref: ProgrammeRef, *, synergy_version: int) -> SynergyBook:
    """The programme's synergies, stage history and outcomes at ``synergy_version`` (a shared
    object: copy before changing)."""
    from geo.synergies import repository

    _ = synergy_version  # cache key: bumped after each synergy write
    prog = programme(ref)
    db = store(ref.database_url)
    if ref.is_demo and prog.name not in db.programme_names():
        return _demo_book()  # the embedded demo's illustrative synergies, until it is stored
    return repository.load_book(db, prog.name)


@st.cache_resource(show_spinner=LazyText(N_("Preparing the demo's illustrative synergies…")))
def _demo_book() -> SynergyBook:
    from geo.synergies.demo import demo_synergy_book

    return demo_synergy_book(_demo_programme())


@st.cache_resource(show_spinner=False, max_entries=8)
def stored_rejects(database_url: str, name: str, version: int) -> pd.DataFrame:
    """The unresolved rejected rows of stored programme ``name`` at data version ``version``
    (the cache key: every write of rejects — an import, a restore — bumps it). A shared
    object: do not change it.

    The import page lists them on every rerun while their expander is open; read from the
    database each time (and with the expander closed), they were a tenth of the server's time
    while practitioners imported (``benchmarks/server_bench.py``).
    """
    _ = version  # cache key
    return store(database_url).rejects(name)
