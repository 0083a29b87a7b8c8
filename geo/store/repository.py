"""The programme database: :func:`open_store` and the :class:`Store` it returns."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from geo.errors import StoreError, SymbiosisError
from geo.programme import PRECISIONS, Programme
from geo.store.imports import ImportOutcome, read_rejects, write_import
from geo.store.migrate import upgrade
from geo.store.reads import read_programme, read_sites
from geo.store.tables import ImportBatch, ProgrammeRow, Resource, Site
from geo.store.writes import (
    add_contacts,
    archive_missing,
    create_programme,
    find_programme,
    insert_resources,
    insert_sites,
    now_utc,
    replace_contacts,
    require_programme,
    upsert_parks,
    upsert_resources,
    upsert_sites,
)

__all__ = ["Store", "open_store"]

logger = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB: keeps big imports' index inserts fast
    cur.close()


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the programme database.

    Parameters
    ----------
    url : str, optional
        Any SQLAlchemy URL. Default: ``get_settings().database_url`` — an SQLite file
        ``symbiomap.db`` in the data directory, or ``SYMBIOMAP_DATABASE_URL`` when set, e.g.
        ``postgresql+psycopg://user:password@host/symbiomap`` (install the driver). An SQLite
        file and its folder are created on first use; ``sqlite://`` is an in-memory store.

    Returns
    -------
    Store
        With the schema upgraded to the newest migration (``alembic upgrade head``).

    Raises
    ------
    StoreError
        When the database cannot be reached or migrated.

    Examples
    --------
    >>> from geo.programme import empty_programme
    >>> store = open_store("sqlite://")
    >>> store.save_programme(empty_programme("Test programme"))
    >>> store.programme_names()
    ['Test programme']
    """
    if url is None:
        from geo.settings import get_settings

        url = get_settings().database_url
    try:
        engine = _engine(url)
        upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        safe = make_url(url).render_as_string(hide_password=True)
        msg = (f"Could not open or migrate the database {safe!r}: {exc}. Check "
               "SYMBIOMAP_DATABASE_URL (or SYMBIOMAP_DATA_DIR for the SQLite file).")
        raise StoreError(msg) from exc
    return Store(engine)


class Store:
    """A programme database (SQLite or PostgreSQL through SQLAlchemy).

    Programmes are addressed by name; records by the ids of the programme frames
    (``site_id``, ``resource_id`` …). Every method runs in its own transaction.

    Parameters
    ----------
    engine : Engine
        An engine whose database is already migrated (use :func:`open_store`).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for modules that add their own tables to ``Base``)."""
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session in a transaction, committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def transaction(self, action: str) -> Iterator[Connection]:
        """A Core connection in one transaction; database errors become a :class:`StoreError`.

        ``action`` completes the sentence "Could not …" of the error message.
        """
        try:
            with self._engine.begin() as conn:
                yield conn
        except SymbiosisError:
            raise
        except SQLAlchemyError as exc:
            detail = getattr(exc, "orig", None) or exc
            msg = (f"Could not {action}: {exc.__class__.__name__}: {detail}. If the database "
                   "was changed by a newer SymbioMap, upgrade the code; otherwise report this.")
            raise StoreError(msg) from exc

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    # -- programmes ---------------------------------------------------------------------------

    def programme_names(self) -> list[str]:
        """Names of the stored programmes, sorted."""
        with self.transaction("list programmes") as conn:
            return [str(n) for n in conn.execute(
                select(ProgrammeRow.name).order_by(ProgrammeRow.name)).scalars()]

    def create_programme(self, name: str, *, exist_ok: bool = True) -> None:
        """Create an empty programme ``name`` (nothing happens if it exists and ``exist_ok``)."""
        with self.transaction("create a programme") as conn:
            if find_programme(conn, name) is None:
                create_programme(conn, name)
            elif not exist_ok:
                msg = f"A programme named {name!r} already exists; choose another name."
                raise StoreError(msg)

    def save_programme(self, p: Programme, *, replace: bool = False) -> None:
        """Store a whole programme under ``p.name``.

        Parameters
        ----------
        p : Programme
        replace : bool
            When a programme of that name exists: False (default) raises
            :class:`StoreError`; True makes the stored programme equal to ``p`` — records are
            matched by their ids and updated, new ones added, sites and resources missing from
            ``p`` are archived (never deleted, so synergy history survives), contacts are
            replaced (personal data is deleted), parks missing from ``p`` are deleted.
        """
        with self.transaction(f"save programme {p.name!r}") as conn:
            pid = find_programme(conn, p.name)
            if pid is not None and not replace:
                msg = (f"A programme named {p.name!r} is already stored; pass replace=True to "
                       "update it (missing sites are archived), or rename the programme.")
                raise StoreError(msg)
            if pid is None:
                pid = create_programme(conn, p.name, illustrative=p.illustrative,
                                       region_name=p.region_name, notes=p.notes)
            else:
                conn.execute(update(ProgrammeRow).where(ProgrammeRow.id == pid).values(
                    illustrative=p.illustrative, region_name=p.region_name,
                    notes=dict(p.notes), updated_at=now_utc()))
            park_ids = upsert_parks(conn, pid, p.parks)
            site_ids = upsert_sites(conn, pid, p.sites, park_ids)
            archive_missing(conn, Site, pid, {site_ids[str(k)] for k in p.sites["site_id"]})
            replace_contacts(conn, pid, p.contacts, site_ids)
            res_ids = upsert_resources(conn, pid, p.resources, site_ids)
            archive_missing(conn, Resource, pid,
                            {res_ids[str(k)] for k in p.resources["resource_id"]})
        logger.info("saved programme %r: %d sites, %d resources", p.name, len(p.sites),
                    len(p.resources))

    def load_programme(self, name: str | None = None, *,
                       include_archived: bool = False) -> Programme:
        """Load a stored programme as frames.

        Parameters
        ----------
        name : str, optional
            Default: the only stored programme (an error names the choices when there are
            several).
        include_archived : bool
            Also return archived sites (and their contacts and resources) and archived
            resources; the sites and resources frames then get an ``archived`` column.
        """
        with self.transaction("load a programme") as conn:
            if name is None:
                names = list(conn.execute(select(ProgrammeRow.name)
                                          .order_by(ProgrammeRow.name)).scalars())
                if len(names) != 1:
                    msg = (f"Say which programme to load: the store holds {len(names)} "
                           f"({names[:10]!r}).")
                    raise StoreError(msg)
                name = names[0]
            pid = require_programme(conn, name)
            return read_programme(conn, pid, include_archived=include_archived)

    # -- records ------------------------------------------------------------------------------

    def sites(self, programme: str, *, include_archived: bool = False) -> gpd.GeoDataFrame:
        """The sites of a programme (empty when the programme does not exist)."""
        with self.transaction("read sites") as conn:
            pid = find_programme(conn, programme)
            if pid is None:
                pid = -1
            return read_sites(conn, pid, include_archived=include_archived)

    def add_sites(self, programme: str, sites: gpd.GeoDataFrame) -> int:
        """Add sites (columns of ``SITE_COLUMNS``, points in EPSG:4326) to a programme.

        Sites whose ``site_id`` is already stored are skipped. Returns how many were added.
        """
        with self.transaction("add sites") as conn:
            return insert_sites(conn, require_programme(conn, programme), sites)

    def add_resources(self, programme: str, resources: pd.DataFrame) -> int:
        """Add resource records (``RESOURCE_COLUMNS``; ``site_id`` of stored sites).

        Each row's ``import_key`` (taken from an ``import_key`` column, else computed by
        :func:`geo.store.keys.resource_import_keys`) must be new: rows whose key is already
        stored are skipped and counted (``len(resources) - added``, logged).

        Returns
        -------
        int
            How many records were added.
        """
        with self.transaction("add resources") as conn:
            added, skipped = insert_resources(conn, require_programme(conn, programme), resources)
        if skipped:
            logger.info("add_resources(%r): %d rows already stored, skipped", programme, skipped)
        return added

    def existing_import_keys(self, programme: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are already stored in the programme (for dry runs)."""
        with self.transaction("read import keys") as conn:
            pid = find_programme(conn, programme)
            if pid is None:
                return set()
            stored = set(conn.execute(select(Resource.import_key).where(
                Resource.programme_id == pid, Resource.import_key.is_not(None))).scalars())
        return set(keys) & stored

    # -- imports ------------------------------------------------------------------------------

    def record_import(self, programme: str, *, file_name: str, sha256: str, rows: int,
                      sites: gpd.GeoDataFrame | None = None,
                      resources: pd.DataFrame | None = None,
                      rejects: pd.DataFrame | None = None,
                      provenance: str = "import file",
                      resolves: Iterable[str] = ()) -> ImportOutcome:
        """Record an import batch with its new sites, resources and rejected rows, atomically.

        The programme is created when it does not exist yet.

        Parameters
        ----------
        programme : str
        file_name, sha256 : str
            The file imported and the SHA-256 of its bytes.
        rows : int
            Data rows in the file.
        sites : GeoDataFrame, optional
            Sites to add (skipped when their ``site_id`` is stored), as for :meth:`add_sites`.
        resources : DataFrame, optional
            Resources to add (skipped when their ``import_key`` is stored).
        rejects : DataFrame, optional
            Rejected rows: ``row`` (1-based file row), ``raw`` (dict), ``errors`` (list of
            dicts) and ``reject_key`` (hash of ``raw``).
        provenance : str
        resolves : iterable of str
            ``reject_key`` values of earlier rejects that this import corrected.
        """
        with self.transaction("record an import") as conn:
            pid = find_programme(conn, programme)
            if pid is None:
                pid = create_programme(conn, programme)
            outcome = write_import(conn, pid, file_name=file_name, sha256=sha256, rows=rows,
                                   sites=sites, resources=resources, rejects=rejects,
                                   provenance=provenance, resolves=resolves)
        logger.info("import of %r into %r: %s", file_name, programme, outcome)
        return outcome

    def import_batches(self, programme: str) -> pd.DataFrame:
        """The programme's import history, newest first."""
        cols = ["batch_id", "file_name", "sha256", "rows", "imported", "duplicates", "rejected",
                "provenance", "at"]
        with self.transaction("read import batches") as conn:
            pid = require_programme(conn, programme)
            rows = conn.execute(select(ImportBatch.id, ImportBatch.file_name, ImportBatch.sha256,
                                       ImportBatch.rows, ImportBatch.imported,
                                       ImportBatch.duplicates, ImportBatch.rejected,
                                       ImportBatch.provenance, ImportBatch.at)
                                .where(ImportBatch.programme_id == pid)
                                .order_by(ImportBatch.id.desc())).all()
        return pd.DataFrame(rows, columns=cols)

    def rejects(self, programme: str, *, unresolved_only: bool = True) -> pd.DataFrame:
        """Rejected import rows of a programme (see :data:`geo.store.imports.REJECT_COLUMNS`)."""
        with self.transaction("read rejected rows") as conn:
            return read_rejects(conn, require_programme(conn, programme),
                                unresolved_only=unresolved_only)

    # -- site edits ---------------------------------------------------------------------------

    def _site_pk(self, conn: Connection, site_id: str, programme: str | None) -> int:
        stmt = (select(Site.id, ProgrammeRow.name).join(ProgrammeRow)
                .where(Site.site_key == str(site_id)))
        if programme is not None:
            stmt = stmt.where(ProgrammeRow.name == programme)
        found = conn.execute(stmt).all()
        if not found:
            where = f" in programme {programme!r}" if programme else ""
            msg = f"No site with site_id {site_id!r}{where}."
            raise StoreError(msg)
        if len(found) > 1:
            msg = (f"site_id {site_id!r} exists in several programmes "
                   f"({sorted(n for _, n in found)!r}); pass programme=… to say which.")
            raise StoreError(msg)
        return int(found[0][0])

    def add_contacts(self, programme: str, contacts: pd.DataFrame) -> int:
        """Add contacts (``CONTACT_COLUMNS``) to stored sites, skipping known ``contact_id``.

        Returns the number added. Contacts are personal data: shown to practitioners only.
        """
        with self.transaction("add contacts") as conn:
            return add_contacts(conn, require_programme(conn, programme), contacts)

    def update_site_location(self, site_id: str, lon: float | None, lat: float | None,
                             precision: str,
                             source: str, *, programme: str | None = None) -> None:
        """Place a site: ``lon``/``lat`` in degrees (EPSG:4326), how precise, from where.

        ``precision`` is one of :data:`geo.programme.PRECISIONS` (``manual`` for a pin set by
        hand). ``programme`` is needed only when the ``site_id`` exists in several.
        With ``precision="not_found"`` the coordinates may be None: the site is recorded as
        searched for and not found, and keeps no point.
        """
        if precision == "not_found" and (lon is None or lat is None
                                         or not (math.isfinite(lon) and math.isfinite(lat))):
            # A geocoding run that found nothing: record that, keep no point.
            with self.transaction("update a site location") as conn:
                pk = self._site_pk(conn, site_id, programme)
                conn.execute(update(Site).where(Site.id == pk).values(
                    lon=None, lat=None, location_precision=precision,
                    location_source=str(source)))
            return
        ok = (isinstance(lon, int | float) and isinstance(lat, int | float)
              and math.isfinite(lon) and math.isfinite(lat)
              and -180 <= lon <= 180 and -90 <= lat <= 90)
        if not ok or lon is None or lat is None:
            msg = (f"lon must be within [-180, 180] and lat within [-90, 90] degrees, got "
                   f"lon={lon!r}, lat={lat!r}.")
            raise StoreError(msg)
        if precision not in PRECISIONS:
            msg = f"precision must be one of {PRECISIONS}, got {precision!r}."
            raise StoreError(msg)
        with self.transaction("update a site location") as conn:
            pk = self._site_pk(conn, site_id, programme)
            conn.execute(update(Site).where(Site.id == pk).values(
                lon=float(lon), lat=float(lat), location_precision=precision,
                location_source=str(source)))

    def archive_site(self, site_id: str, *, programme: str | None = None) -> None:
        """Archive a site: hidden from programmes loaded later, kept for history."""
        with self.transaction("archive a site") as conn:
            pk = self._site_pk(conn, site_id, programme)
            conn.execute(update(Site).where(Site.id == pk).values(archived=True,
                                                                  archived_at=now_utc()))
