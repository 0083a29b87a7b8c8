"""Tests of the migration chain: head creates exactly the tables of every model module."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from geo.store import Base
from geo.store.migrate import current_revision, head_revision, upgrade
from geo.store.tables import import_table_modules


def test_head_matches_every_model(tmp_path: Path) -> None:
    """Upgrading an empty database to head gives exactly the schema of all *_tables models."""
    import_table_modules()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'head.db'}")
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert {"users", "grants", "audit_log"} <= set(sa.inspect(engine).get_table_names())
