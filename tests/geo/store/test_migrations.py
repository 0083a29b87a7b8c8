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
from tests.geo.store.samples import WRITTEN_VERSIONS, dump, populate


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
    """Rows written at 0001 (and each later table's rows as soon as its revision created it)
    are all there, equal, at head; the store then reads, filters and writes them as usual."""
    reference = open_store("sqlite://")
    populate(reference)
    expected = dump(reference)
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    filled: list[str] = []
    not_compared = {("programmes", "data_version"), ("programmes", "synergy_version"),
                    ("programmes", "records_reset_version")}
    for revision in known_revisions():
        upgrade(engine, revision)
        meta = sa.MetaData()
        meta.reflect(engine)
        new = [t.name for t in Base.metadata.sorted_tables  # foreign-key order
               if t.name in meta.tables and t.name not in filled]
        with engine.begin() as conn:
            for name in new:
                table, model = meta.tables[name], Base.metadata.tables[name]
                dumped = [c.name for c in model.c if (name, c.name) not in not_compared]
                rows = [{c: _decode(model.c[c], v) for c, v in zip(dumped, row, strict=True)
                         if c in table.c} for row in expected[name]]
                if rows:
                    conn.execute(sa.insert(table), rows)
                if rows and engine.dialect.name == "postgresql":
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)")
        filled += new
        if revision == known_revisions()[0]:
            assert "sites" in new and "synergies" not in new
    assert sorted(filled) == sorted(expected)
    engine.dispose()
    store = open_store(database_url)
    assert current_revision(store.engine) == head_revision()
    # rows stored before revision 0007 were written at version 0 (the column's default)
    assert dump(store, without=WRITTEN_VERSIONS) == dump(reference, without=WRITTEN_VERSIONS)
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
