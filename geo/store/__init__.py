"""The programme database: SQLAlchemy 2 models, alembic migrations and a small repository.

Quick use::

    from geo.store import open_store
    store = open_store()                    # SQLite file in the data dir, migrated to head
    store.save_programme(programme)         # frames of geo.programme.Programme
    p = store.load_programme("Karhula industrial district (demo)")

Which database
--------------
``open_store()`` uses ``get_settings().database_url``: by default an SQLite file
``~/.symbiomap/symbiomap.db`` (``SYMBIOMAP_DATA_DIR``), created with its folder on first
use — the desktop store. A server uses PostgreSQL with PostGIS (``docs/operations.md``)::

    export SYMBIOMAP_DATABASE_URL="postgresql+psycopg://symbiomap:PASSWORD@db.example.org/symbiomap"
    streamlit run app.py

Both hold the same tables; park boundaries are WKB hex text, site points lon/lat, and on
PostGIS the database adds geometry columns with spatial indexes from them
(:mod:`geo.store.spatial`).

Many users at once
------------------
- :mod:`geo.store.engine` — SQLite in WAL mode with immediate transactions and a busy
  timeout; PostgreSQL with connect and lock timeouts; reads on one snapshot (:meth:`Store.read`).
- :mod:`geo.store.versions` — per-programme data versions bumped in every write's own
  transaction: :meth:`Store.data_versions` keys every cache, in every process.
- :mod:`geo.store.faults` — a database that is down, or busy, becomes one clear
  :class:`~geo.errors.StoreError` (``DatabaseUnavailableError``, ``DatabaseBusyError``).
- :mod:`geo.store.spatial` — ``within=Near(…)/InPark(…)/InBBox(…)`` filters of
  :meth:`Store.sites` and :meth:`Store.load_programme`, run by PostGIS where it is.
- :mod:`geo.store.backup`, :mod:`geo.store.restore` — one-file backups that restore into
  SQLite or PostgreSQL (``python -m geo backup FILE`` / ``python -m geo restore FILE``).

Schema and migrations
---------------------
Models live in :mod:`geo.store.tables` (declarative :class:`~geo.store.tables.Base`);
migrations in ``geo/store/migrations/versions`` run in code by :func:`open_store`
(:func:`geo.store.migrate.upgrade`; no ``alembic.ini``). Schema changes are new revisions,
never "delete your database".

Adding tables (for example synergies and outcomes)
--------------------------------------------------
1. Write ``geo/store/synergy_tables.py`` with models subclassing
   ``from geo.store.tables import Base`` (foreign keys to ``sites.id``, ``resources.id``,
   ``programmes.id``; sites and resources are archived, never deleted, so such keys stay
   valid). Any module named ``geo/store/*_tables.py`` is imported by the migration
   environment, so autogenerate sees it.
2. Add revision ``0002`` after ``0001`` (``down_revision = "0001"``), e.g.::

       python -c "from alembic import command; from geo.store.migrate import alembic_config; \\
       command.revision(alembic_config('sqlite:////tmp/at-head.db'), autogenerate=True, \\
       rev_id='0002', message='synergies')"

   against a database upgraded to ``0001``, then review and tidy the generated file.
3. Use ``store.engine`` (Core) or ``with store.session() as s:`` (ORM) for the new tables.
"""

from __future__ import annotations

from geo.store.faults import DatabaseBusyError, DatabaseUnavailableError
from geo.store.imports import ImportOutcome
from geo.store.reads import ProgrammeSnapshot
from geo.store.repository import Store, open_store
from geo.store.spatial import InBBox, InPark, Near
from geo.store.tables import Base
from geo.store.versions import ProgrammeVersions

__all__ = [
    "Base",
    "DatabaseBusyError",
    "DatabaseUnavailableError",
    "ImportOutcome",
    "InBBox",
    "InPark",
    "Near",
    "ProgrammeSnapshot",
    "ProgrammeVersions",
    "Store",
    "open_store",
]
