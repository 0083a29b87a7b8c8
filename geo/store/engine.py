"""The SQLAlchemy engine of the programme database, set up for several writers at once.

SQLite (the desktop default)
    WAL journal (readers never wait for a writer, nor a writer for readers), ``synchronous
    = NORMAL`` (a committed transaction survives the process being killed), a busy timeout
    of :data:`BUSY_TIMEOUT_S`, foreign keys on, and **immediate** transactions: a transaction
    takes the write lock when it begins rather than at its first write, so two writers queue
    instead of one failing half-way with "database is locked". Reads that only read start a
    deferred transaction instead (:func:`read_transaction`), so they never queue behind a writer.
    pysqlite's own transaction handling is switched off and SQLAlchemy's ``begin`` event
    emits the ``BEGIN`` (the recipe of SQLAlchemy's SQLite dialect documentation).

PostgreSQL (the server store)
    ``pool_pre_ping`` (a connection broken by a database restart is replaced, so a session
    recovers when the database is back), a connect timeout of :data:`CONNECT_TIMEOUT_S` (an
    unreachable server is reported in seconds, not minutes) and a lock timeout of
    :data:`LOCK_TIMEOUT_S` (a writer waiting behind a long import gives up with a message).
    Read-only transactions (:func:`read_transaction`) run at ``REPEATABLE READ``: one snapshot for
    every query of, say, a programme load, so a concurrent import is seen wholly or not at all.
    A read of one statement (the data versions every rerun checks) runs without a transaction
    (:func:`read_statement`): a statement is one snapshot by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

__all__ = [
    "BUSY_TIMEOUT_S",
    "CONNECT_TIMEOUT_S",
    "LOCK_TIMEOUT_S",
    "READ_ONLY",
    "create_store_engine",
    "in_memory_sqlite",
    "read_statement",
    "read_transaction",
]

BUSY_TIMEOUT_S: Final = 30.0
"""SQLite: how long a writer waits for another writer's transaction before giving up."""

CONNECT_TIMEOUT_S: Final = 10
"""PostgreSQL: how long opening a connection may take before the database counts as down."""

LOCK_TIMEOUT_S: Final = 60
"""PostgreSQL: how long a statement waits for a row lock held by another transaction."""

READ_ONLY: Final = {"symbiomap_read_only": True}
"""SQLite: execution options of a connection that only reads (a deferred transaction); see
:func:`read_transaction`, which sets them."""


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # pysqlite emits no BEGIN of its own: _sqlite_begin does
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB: keeps big imports' index inserts fast
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode and str(mode[0]).lower() == "wal":
        cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    read_only = conn.get_execution_options().get("symbiomap_read_only", False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _postgres_connect(dbapi_conn: Any, _record: Any) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
    dbapi_conn.commit()


def in_memory_sqlite(database: str) -> bool:
    """Whether a SQLite URL's ``database`` lives in this process's memory (``""``,
    ``:memory:`` or a ``file:`` URI, as the tests use): one shared connection, and no other
    process can open it.

    >>> in_memory_sqlite(":memory:"), in_memory_sqlite("/srv/symbiomap.db")
    (True, False)
    """
    return database in ("", ":memory:") or database.startswith("file:")


def _sqlite_engine(url: str, database: str) -> Engine:
    if in_memory_sqlite(database):
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def create_store_engine(url: str) -> Engine:
    """An engine for the programme database at ``url``, set up as the module docstring says.

    Parameters
    ----------
    url : str
        Any SQLAlchemy URL. SQLite files and their folder are created on first use; other
        databases get only the settings above (a ``connect_timeout`` in the URL wins).

    Raises
    ------
    sqlalchemy.exc.ArgumentError, ImportError
        When the URL cannot be parsed or its driver is not installed.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database or "")
    if backend != "postgresql":
        return create_engine(url, pool_pre_ping=True)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    event.listen(engine, "connect", _postgres_connect)
    return engine


@contextmanager
def read_statement(engine: Engine) -> Iterator[Connection]:
    """A connection for a read of **one** statement, which is one snapshot by itself.

    PostgreSQL: autocommit — the statement alone, without the ``BEGIN`` and ``COMMIT`` of a
    transaction, which are a round trip each (a rerun's version check: two round trips
    instead of four, counting the pool's ping); elsewhere :func:`read_transaction`. Run
    nothing but the one statement on it.
    """
    if engine.dialect.name != "postgresql":
        with read_transaction(engine) as conn:
            yield conn
        return
    with engine.connect() as plain:
        yield plain.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that only reads (see the module docstring).

    SQLite: a deferred transaction (a WAL snapshot taken at the first read); PostgreSQL:
    ``REPEATABLE READ, READ ONLY``; other databases: an ordinary transaction.
    """
    with engine.connect() as plain:
        conn = plain
        if engine.dialect.name == "postgresql":
            conn = plain.execution_options(isolation_level="REPEATABLE READ",
                                           postgresql_readonly=True)
        elif engine.dialect.name == "sqlite":
            conn = plain.execution_options(**READ_ONLY)
        with conn.begin():
            yield conn
