"""Databases for the store tests: SQLite files and throw-away PostgreSQL databases.

The same tests run on both. PostgreSQL needs a server (with PostGIS) whose URL is in
``SYMBIOMAP_TEST_POSTGRES_URL`` — a superuser's URL to its ``postgres`` database, e.g.
``postgresql+psycopg://postgres@/postgres?host=/tmp/pg`` — and the ``psycopg`` driver.
Without them the PostgreSQL cases skip, with the reason; with
``SYMBIOMAP_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) they fail instead, so CI never skips
them silently.

Each test gets a database of its own, copied from a template made once per session
(``CREATE DATABASE … TEMPLATE``: milliseconds), and dropped after the test:

- ``head`` — PostGIS enabled and migrated to the newest revision (for :func:`store`);
- ``bare`` — PostGIS enabled, no tables (for migration tests);
- ``plain`` — no PostGIS, owned by a role that may not enable it: the store falls back to the
  Python spatial filters, as on a server without PostGIS.

Test modules outside this folder import the fixtures they use from here.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from geo.store import Store, open_store

__all__ = ["BACKENDS", "PostgresServer", "database_url", "new_database", "postgres", "store",
           "target_url"]

Kind = Literal["head", "bare", "plain"]
BACKENDS = ["sqlite", "postgresql"]
SERVER_ENV = "SYMBIOMAP_TEST_POSTGRES_URL"
REQUIRE_ENV = "SYMBIOMAP_REQUIRE_POSTGRES"
PLAIN_ROLE = "symbiomap_test_plain"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV, "").strip() == "1":
        pytest.fail(f"PostgreSQL is required ({REQUIRE_ENV}=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


class PostgresServer:
    """A PostgreSQL server on which tests create and drop databases of their own."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self._admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT",
                                       poolclass=sa.pool.NullPool)
        self._prefix = f"symbiomap_t{os.getpid()}_{uuid.uuid4().hex[:6]}_"
        self._count = itertools.count()
        self._templates: dict[Kind, str] = {}
        self._created: list[str] = []

    def url(self, database: str, *, user: str | None = None) -> str:
        """The URL of ``database`` on this server (as ``user`` when given)."""
        url = self.admin_url.set(database=database)
        if user is not None:
            url = url.set(username=user, password=None)
        return url.render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def _template(self, kind: Kind) -> str:
        if kind in self._templates:
            return self._templates[kind]
        name = f"{self._prefix}tmpl_{kind}"
        if kind == "plain":
            with self._admin.connect() as conn:
                exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                      {"r": PLAIN_ROLE}).scalar()
                if not exists:
                    conn.exec_driver_sql(f"CREATE ROLE {PLAIN_ROLE} LOGIN NOSUPERUSER")
            self._execute(f"CREATE DATABASE {name} OWNER {PLAIN_ROLE} TEMPLATE template0")
        elif kind == "bare":
            self._execute(f"CREATE DATABASE {name}")
            engine = sa.create_engine(self.url(name), poolclass=sa.pool.NullPool)
            with engine.begin() as conn:
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
            engine.dispose()
        else:
            self._execute(f"CREATE DATABASE {name} TEMPLATE {self._template('bare')}")
            store = open_store(self.url(name))
            store.engine.dispose()
        self._templates[kind] = name
        return name

    def database(self, kind: Kind = "head") -> str:
        """The URL of a new database of ``kind`` (see the module docstring)."""
        name = f"{self._prefix}{next(self._count)}"
        owner = f" OWNER {PLAIN_ROLE}" if kind == "plain" else ""
        self._execute(f"CREATE DATABASE {name}{owner} TEMPLATE {self._template(kind)}")
        self._created.append(name)
        return self.url(name, user=PLAIN_ROLE if kind == "plain" else None)

    def drop(self, url: str) -> None:
        """Drop the database of ``url`` (closing any connection still open to it)."""
        name = make_url(url).database
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self._created:
            self._created.remove(name)

    def close(self) -> None:
        """Drop every database and template made in this session."""
        for name in [*self._created, *self._templates.values()]:
            self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The PostgreSQL server of ``SYMBIOMAP_TEST_POSTGRES_URL`` (skips, or fails in CI)."""
    url = os.environ.get(SERVER_ENV, "").strip()
    if not url:
        _unavailable(f"{SERVER_ENV} is not set (a superuser URL of a server with PostGIS)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable('its driver is not installed (pip install "psycopg[binary]")')
    server = PostgresServer(url)
    try:
        with server._admin.connect() as conn:
            has_postgis = conn.execute(sa.text(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
    except sa.exc.OperationalError as exc:
        _unavailable(f"the server at {url!r} cannot be reached: {exc.orig}")
    if not has_postgis:
        _unavailable("the server has no PostGIS (apt-get install postgresql-15-postgis-3)")
    yield server
    server.close()


def new_database(request: pytest.FixtureRequest, tmp_path: Path, kind: Kind, *,
                 name: str = "store") -> Iterator[str]:
    """The URL of a new database on the backend ``request.param`` (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.database(kind)
    yield url
    server.drop(url)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database: an SQLite file, or PostgreSQL with PostGIS."""
    yield from new_database(request, tmp_path, "bare")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store on a new database migrated to head: an SQLite file, or PostgreSQL (PostGIS)."""
    for url in new_database(request, tmp_path, "head"):
        opened = open_store(url)
        yield opened
        opened.engine.dispose()


@pytest.fixture(params=BACKENDS)
def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second new database, migrated to head (to restore into, copy to…), on each backend."""
    yield from new_database(request, tmp_path, "head", name="target")
