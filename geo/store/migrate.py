"""Schema migrations, run in code: an alembic ``Config`` built here, no ``alembic.ini``.

The revisions live in ``geo/store/migrations/versions`` (``0001`` the initial schema; later
modules add ``0002``, … with ``down_revision`` pointing at the previous one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from geo.errors import StoreError
from geo.i18n import _
from geo.store.spatial import ensure_postgis_columns

__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "head_revision",
    "known_revisions",
    "upgrade",
]

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"

_MIGRATION_LOCK: Final = 0x53594D42  # "SYMB": PostgreSQL advisory lock taken while migrating


def alembic_config(url: str | None = None, *, connection: Connection | None = None) -> Config:
    """An alembic configuration for the programme database, built in code.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL (used when no ``connection`` is given; default the settings' URL).
    connection : Connection, optional
        An open connection the migrations run on (the caller commits).
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision id of the migration scripts."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return str(head)


def known_revisions() -> list[str]:
    """Every revision id of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [str(r.revision) for r in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (``alembic upgrade head``) in one transaction.

    Several app processes starting at once migrate one after the other (on PostgreSQL an
    advisory lock; on SQLite the write lock). At ``head`` the PostGIS geometry columns are
    added where the server has PostGIS (:func:`geo.store.spatial.ensure_postgis_columns`).

    Raises
    ------
    StoreError
        When the database was migrated by a newer SymbioMap (a revision this code does not
        know): upgrade SymbioMap rather than lose data.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        found = MigrationContext.configure(conn).get_current_revision()
        if found is not None and found not in known_revisions():
            msg = _("The database is at schema revision {revision!r}, written by a newer "
                    "SymbioMap (this one knows up to {known!r}); upgrade SymbioMap to use "
                    "it.").format(revision=found, known=head_revision())
            raise StoreError(msg)
        command.upgrade(alembic_config(connection=conn), revision)
        if revision == "head":
            ensure_postgis_columns(conn)
