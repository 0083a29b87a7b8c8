"""Tests of geo.store.engine: SQLite in WAL with immediate transactions — readers never wait,
writers queue, a writer kept waiting too long is told to try again; PostgreSQL snapshot reads
and a lock timeout that is reported the same way."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.store import Store, open_store
from geo.store import engine as store_engine
from geo.store.engine import read_statement, read_transaction
from geo.store.faults import DatabaseBusyError
from tests.geo.store.databases import PostgresServer
from tests.geo.store.samples import tiny_programme

NAME = "Tiny programme"


def _sqlite_store(tmp_path: Path) -> tuple[Store, Path]:
    db = tmp_path / "wal.db"
    store = open_store(f"sqlite:///{db}")
    store.save_programme(tiny_programme())
    return store, db


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    """Another process's writer in the middle of its transaction."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE sites SET name = 'uncommitted' WHERE site_key = 'S1'")
    return other


def test_sqlite_file_runs_in_wal_with_a_busy_timeout(tmp_path: Path) -> None:
    """The SQLite file is in WAL mode, with foreign keys on and a busy timeout."""
    store, _ = _sqlite_store(tmp_path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == \
            store_engine.BUSY_TIMEOUT_S * 1000


def test_sqlite_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """While another connection holds the write lock, loads return the committed data."""
    store, db = _sqlite_store(tmp_path)
    other = _hold_write_lock(db)
    t0 = time.perf_counter()
    sites = store.load_programme(NAME).sites
    assert time.perf_counter() - t0 < 2
    assert "uncommitted" not in set(sites["name"])
    assert store.data_versions(NAME) == (1, 0)
    other.rollback()
    other.close()


def test_sqlite_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    """A write started while another writer holds the lock waits, then succeeds."""
    store, db = _sqlite_store(tmp_path)
    other = _hold_write_lock(db)
    errors: list[BaseException] = []

    def place() -> None:
        try:
            store.update_site_location("S3", 26.9, 60.5, "manual", "map")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    writer = threading.Thread(target=place)
    writer.start()
    time.sleep(0.5)
    assert writer.is_alive()  # queued behind the other writer
    other.execute("COMMIT")
    other.close()
    writer.join(10)
    assert not errors and not writer.is_alive()
    assert store.data_versions(NAME) == (2, 0)
    assert "uncommitted" in set(store.load_programme(NAME).sites["name"])


def test_sqlite_writer_kept_waiting_too_long_is_told_to_retry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the busy timeout the write is refused with DatabaseBusyError and saves nothing."""
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.3)
    store, db = _sqlite_store(tmp_path)
    other = _hold_write_lock(db)
    with pytest.raises(DatabaseBusyError, match="try again"):
        store.update_site_location("S3", 26.9, 60.5, "manual", "map")
    other.rollback()
    other.close()
    assert store.data_versions(NAME) == (1, 0)


def test_postgres_reads_see_one_snapshot_and_writes_wait_with_a_timeout(
        postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads run REPEATABLE READ, READ ONLY; a writer blocked past the lock timeout is told
    to try again (the programme row is held by another writer)."""
    monkeypatch.setattr(store_engine, "LOCK_TIMEOUT_S", 1)
    url = postgres.database("head")
    store = open_store(url)
    store.save_programme(tiny_programme())
    with read_transaction(store.engine) as conn:
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
        assert conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
    other = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with other.connect() as conn:
        conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("UPDATE programmes SET data_version = data_version + 1")
        assert store.load_programme(NAME).sites.shape[0] == 3  # readers are not blocked
        with pytest.raises(DatabaseBusyError, match="try again"):
            store.update_site_location("S3", 26.9, 60.5, "manual", "map")
        conn.exec_driver_sql("ROLLBACK")
    store.update_site_location("S3", 26.9, 60.5, "manual", "map")
    store.engine.dispose()
    other.dispose()
    postgres.drop(url)


def test_postgres_reads_of_one_statement_open_no_transaction(postgres: PostgresServer) -> None:
    """The reads of every rerun (data versions, programme names, rules) run their one
    statement without BEGIN and COMMIT (two round trips fewer each); the pooled connection
    then serves snapshot transactions and writes as before."""
    from psycopg.pq import TransactionStatus

    url = postgres.database("one_statement")
    store = open_store(url)
    store.save_programme(tiny_programme())
    with read_statement(store.engine) as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1
        pooled = conn.connection.dbapi_connection
        assert pooled is not None and pooled.info.transaction_status == TransactionStatus.IDLE
    with store.engine.begin() as conn:  # the same pooled connection, back in transactions
        dbapi = conn.connection.dbapi_connection
        assert dbapi is pooled and not dbapi.autocommit
        conn.execute(sa.text("SELECT 1"))
        assert dbapi.info.transaction_status == TransactionStatus.INTRANS
    with read_transaction(store.engine) as conn:
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None and dbapi.info.transaction_status == TransactionStatus.INTRANS
    before = store.data_versions(NAME)
    assert before.programme >= 1 and store.programme_names() == [NAME]
    store.update_site_location("S3", 26.9, 60.5, "manual", "map")
    assert store.data_versions(NAME).programme == before.programme + 1
    store.engine.dispose()
    postgres.drop(url)
