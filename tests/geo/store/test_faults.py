"""Tests of geo.store.faults: a database that is down at start or goes away mid-session is one
clear DatabaseUnavailableError (nothing half done), and the same store works again as soon
as the database is back."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.store import Store, open_store
from geo.store.faults import DatabaseUnavailableError
from tests.geo.store.databases import PostgresServer
from tests.geo.store.proxy import SocketProxy, server_socket
from tests.geo.store.samples import tiny_programme


@pytest.fixture
def proxied(postgres: PostgresServer) -> Iterator[tuple[Store, SocketProxy]]:
    """A store on a new PostgreSQL database reached through a proxy that a test can cut."""
    url = postgres.database("head")
    with tempfile.TemporaryDirectory(prefix="pgproxy-") as folder:
        proxy = SocketProxy(server_socket(url), Path(folder))
        proxy.start()
        store = open_store(proxy.url(url))
        yield store, proxy
        store.engine.dispose()
        proxy.cut()
    postgres.drop(url)


def test_database_down_at_start_is_one_clear_error(tmp_path: Path) -> None:
    """Opening a PostgreSQL store whose server is not there says so, quickly, with the URL
    and what to check, and hides the password."""
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://symbiomap:s3cret@/symbiomap?host={tmp_path}"
    t0 = time.perf_counter()
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_store(url)
    assert time.perf_counter() - t0 < 15
    message = str(caught.value)
    assert "cannot be reached" in message and "SYMBIOMAP_DATABASE_URL" in message
    assert "s3cret" not in message and "***" in message
    assert "\n" not in message


def test_database_gone_mid_session_then_back(proxied: tuple[Store, SocketProxy]) -> None:
    """Cut mid-session: reads and writes raise DatabaseUnavailableError and save nothing;
    once the database answers again the same store reads and writes as before."""
    store, proxy = proxied
    store.save_programme(tiny_programme())
    assert store.data_versions("Tiny programme") == (1, 0)
    proxy.cut()
    with pytest.raises(DatabaseUnavailableError, match="cannot be reached"):
        store.data_versions("Tiny programme")
    with pytest.raises(DatabaseUnavailableError):
        store.ping()
    with pytest.raises(DatabaseUnavailableError, match="Nothing was read or saved"):
        store.update_site_location("S3", 26.9, 60.5, "manual", "map")
    proxy.start()
    store.ping()
    assert store.data_versions("Tiny programme") == (1, 0)  # the failed write left nothing
    store.update_site_location("S3", 26.9, 60.5, "manual", "map")
    assert store.data_versions("Tiny programme") == (2, 0)
    assert store.load_programme("Tiny programme").sites["location_source"].iloc[2] == "map"


def test_sqlite_file_that_cannot_be_opened(tmp_path: Path) -> None:
    """An SQLite file that cannot be created is a StoreError naming the settings to fix."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(Exception, match="SYMBIOMAP_DATA_DIR") as caught:
        open_store(f"sqlite:///{blocker}/symbiomap.db")
    assert isinstance(caught.value, ValueError)  # a SymbiosisError, not a crash


def test_database_errors_follow_the_session_language() -> None:
    """A busy database is told in the session's language, the action translated with it."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from geo.i18n import _, use_locale
    from geo.store.faults import DatabaseBusyError, database_error

    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    with use_locale("qps_PLOC"):
        err = database_error(locked, _("add sites"), where="sqlite:///x.db")
    assert isinstance(err, DatabaseBusyError)
    text = str(err)
    assert text.startswith("⟦Çõüld ñõt ⟦àdd sîtés⟧: ") and "database is locked" in text
