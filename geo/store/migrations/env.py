"""Alembic environment of the programme database (run programmatically, no alembic.ini).

:func:`geo.store.migrate.upgrade` builds the :class:`alembic.config.Config` in code, with
``script_location`` pointing at this folder, and passes an open connection in
``config.attributes["connection"]``. New revisions are made the same way, from Python
(see :mod:`geo.store` for the command).

Every ``geo/store/*_tables.py`` module is imported so autogenerate sees all tables of
:data:`geo.store.tables.Base`. ``render_as_batch`` lets migrations alter tables on SQLite.
"""

from __future__ import annotations

from alembic import context
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from geo.store.spatial import POSTGIS_COLUMNS, POSTGIS_INDEXES
from geo.store.tables import Base, import_table_modules

import_table_modules()
target_metadata = Base.metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Leave PostGIS's own table and the PostGIS columns of :mod:`geo.store.spatial` out of
    autogenerate (they are not models, so it would drop them)."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return name != "spatial_ref_sys"
    if type_ == "column":
        table = getattr(getattr(obj, "table", None), "name", None)
        return (table, name) not in POSTGIS_COLUMNS
    if type_ == "index":
        return name not in POSTGIS_INDEXES
    return True
try:
    config: Config | None = context.config
except AttributeError:  # imported outside alembic (e.g. by doctest collection): run nothing
    config = None


def _url() -> str:
    assert config is not None
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    if not url:
        from geo.settings import get_settings

        url = get_settings().database_url
    return str(url)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit the SQL of the migrations (``alembic upgrade head --sql``)."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply the migrations on the connection given by the caller (or a new one)."""
    assert config is not None
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url(), poolclass=NullPool)
    with engine.begin() as conn:
        _run(conn)


if config is None:
    pass
elif context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
