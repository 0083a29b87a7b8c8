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
use. Any SQLAlchemy URL works with no code change, for example PostgreSQL::

    pip install "psycopg[binary]"
    export SYMBIOMAP_DATABASE_URL=postgresql+psycopg://user:password@host:5432/symbiomap
    streamlit run app.py

No spatial extension is needed: park boundaries are WKB hex text, site points lon/lat.

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

from geo.store.imports import ImportOutcome
from geo.store.repository import Store, open_store
from geo.store.tables import Base

__all__ = ["Base", "ImportOutcome", "Store", "open_store"]
