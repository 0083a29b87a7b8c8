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
from sqlalchemy.engine import Connection, Engine

__all__ = ["MIGRATIONS_DIR", "alembic_config", "current_revision", "head_revision", "upgrade"]

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"


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


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (``alembic upgrade head``) in one transaction."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), revision)
