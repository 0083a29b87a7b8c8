"""Tests of the migration chain: head creates exactly the tables of every model module, and a
database filled at the first revision keeps every row through every migration (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from geo.errors import StoreError
from geo.store import Base, open_store
from geo.store.migrate import current_revision, head_revision, known_revisions, upgrade
from geo.store.spatial import Near
from geo.store.tables import import_table_modules
from tests.geo.store.samples import dump, populate

# The tables each revision adds (the data of a table goes in once its revision is reached).
ADDED_BY = {
    "0001": ("programmes", "import_batches", "location_levels", "locations", "import_rejects",
             "parks", "sites", "contacts", "resources"),
    "0002": ("synergy_settings", "synergies", "synergy_events", "synergy_outcomes"),
    "0003": ("users", "grants", "audit_log"),
}


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_head_matches_every_model(database_url: str) -> None:
    """Upgrading an empty database to head gives exactly the schema of all *_tables models
    (on PostGIS, plus the geometry columns of geo.store.spatial, which are not models)."""
    from geo.store.migrations.env import include_object

    import_table_modules()
    store = open_store(database_url)
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []
    assert {"users", "grants", "audit_log"} <= set(sa.inspect(store.engine).get_table_names())
    assert store.spatial_backend == ("postgis" if database_url.startswith("postgresql")
                                     else "python")
    store.engine.dispose()


def _decode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat(value)
    return value


def test_data_of_the_first_schema_survives_every_migration(database_url: str) -> None:
    """Rows written at 0001 (and at 0002, 0003 as their tables appear) are all there, equal,
    after upgrading to head; the store then reads, filters and writes them as usual."""
    assert known_revisions()[:3] == list(ADDED_BY)
    reference = open_store("sqlite://")
    populate(reference)
    expected = dump(reference)
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    for revision, tables in ADDED_BY.items():
        upgrade(engine, revision)
        meta = sa.MetaData()
        meta.reflect(engine, only=tables)
        with engine.begin() as conn:
            for name in tables:  # in foreign-key order
                table = meta.tables[name]
                model = Base.metadata.tables[name]
                cols = [c.name for c in model.c if c.name in table.c]
                index = {c.name: i for i, c in enumerate(
                    c for c in model.c if (name, c.name) not in {
                        ("programmes", "data_version"), ("programmes", "synergy_version")})}
                rows = [{c: _decode(model.c[c], row[index[c]]) for c in cols}
                        for row in expected[name]]
                if rows:
                    conn.execute(sa.insert(table), rows)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                for name in tables:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)")
    engine.dispose()
    store = open_store(database_url)
    assert current_revision(store.engine) == head_revision()
    assert dump(store) == expected
    name = "Synergy programme"
    assert store.data_versions(name) == (0, 0)
    near = store.sites(name, within=Near(26.905, 60.505, radius_m=300))
    assert near["site_id"].tolist() == ["S1"]
    store.update_site_location("S1", 26.9, 60.5, "manual", "moved", programme=name)
    assert store.data_versions(name) == (1, 0)
    store.engine.dispose()


def test_database_of_a_newer_symbiomap_is_refused(database_url: str) -> None:
    """A database at a revision this code does not know is refused, not misread."""
    store = open_store(database_url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    store.engine.dispose()
    with pytest.raises(StoreError, match=r"newer SymbioMap.*upgrade SymbioMap"):
        open_store(database_url)
