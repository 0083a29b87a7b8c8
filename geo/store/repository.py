"""The programme database: :func:`open_store` and the :class:`Store` it returns."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from geo.errors import StoreError, SymbiosisError
from geo.i18n import _
from geo.programme import PRECISIONS, Programme
from geo.store.engine import create_store_engine, read_statement, read_transaction
from geo.store.faults import DatabaseUnavailableError, database_error
from geo.store.imports import ImportOutcome, read_rejects, write_import
from geo.store.migrate import upgrade
from geo.store.reads import ProgrammeSnapshot, read_programme, read_sites, read_snapshot
from geo.store.spatial import Area, SiteFilter, has_postgis_columns, site_filter
from geo.store.tables import ImportBatch, ProgrammeRow, Resource, Site
from geo.store.versions import ProgrammeVersions, bump_data_version, read_versions
from geo.store.writes import (
    add_contacts,
    archive_missing,
    create_programme,
    find_or_create_programme,
    find_programme,
    find_site,
    insert_resources,
    insert_sites,
    now_utc,
    replace_contacts,
    require_programme,
    stored_keys,
    upsert_parks,
    upsert_resources,
    upsert_sites,
)

__all__ = ["Store", "open_store"]

logger = logging.getLogger(__name__)


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the programme database.

    Parameters
    ----------
    url : str, optional
        Any SQLAlchemy URL. Default: ``get_settings().database_url`` — an SQLite file
        ``symbiomap.db`` in the data directory, or ``SYMBIOMAP_DATABASE_URL`` when set, e.g.
        ``postgresql+psycopg://user:password@host/symbiomap`` (the server store; see
        ``docs/operations.md``). An SQLite file and its folder are created on first use;
        ``sqlite://`` is an in-memory store.

    Returns
    -------
    Store
        With the schema upgraded to the newest migration (``alembic upgrade head``).

    Raises
    ------
    DatabaseUnavailableError
        When the database cannot be reached (a :class:`StoreError`; try again later).
    StoreError
        When it cannot be opened or migrated for another reason.

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
    safe = make_url(url).render_as_string(hide_password=True)
    try:
        engine = create_store_engine(url)
        upgrade(engine)
    except (SQLAlchemyError, OSError, ImportError) as exc:
        err = database_error(exc, _("open it"), where=safe)
        if isinstance(err, DatabaseUnavailableError):
            raise err from exc
        msg = _("Could not open or migrate the database {database!r}: {reason}. Check "
                "SYMBIOMAP_DATABASE_URL (or SYMBIOMAP_DATA_DIR for the SQLite file); a "
                "PostgreSQL URL needs its driver (pip install \"psycopg[binary]\").").format(
            database=safe, reason=exc)
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
        self._postgis: bool | None = None
        self._where = engine.url.render_as_string(hide_password=True)

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
        """A Core connection in one writing transaction; database errors become StoreErrors.

        ``action`` completes the sentence "Could not …" of the error message. On SQLite the
        transaction takes the write lock when it begins (writers queue, see
        :mod:`geo.store.engine`). A write to a programme's data bumps its data version in the
        same transaction (:func:`geo.store.versions.bump_data_version`; every writing method
        here does). Use :meth:`read` for a transaction that only reads.

        Raises
        ------
        DatabaseUnavailableError
            When the database cannot be reached (nothing was saved).
        DatabaseBusyError
            When another writer held the data too long (nothing was saved; try again).
        """
        try:
            with self._engine.begin() as conn:
                yield conn
        except SymbiosisError:
            raise
        except SQLAlchemyError as exc:
            raise database_error(exc, action, where=self._where) from exc

    @contextmanager
    def read(self, action: str, *, one_statement: bool = False) -> Iterator[Connection]:
        """A Core connection in a transaction that only reads, on one snapshot.

        Never waits for a writer (a deferred transaction on SQLite, ``REPEATABLE READ, READ
        ONLY`` on PostgreSQL), and sees each concurrent write wholly or not at all. Errors as
        for :meth:`transaction`. ``one_statement``: the caller runs a single statement, which
        PostgreSQL runs without a transaction (:func:`~geo.store.engine.read_statement`, two
        round trips fewer; the reads of every rerun).
        """
        try:
            with (read_statement if one_statement else read_transaction)(self._engine) as conn:
                yield conn
        except SymbiosisError:
            raise
        except SQLAlchemyError as exc:
            raise database_error(exc, action, where=self._where) from exc

    def ping(self) -> None:
        """Check that the database answers (a cheap round trip).

        Raises
        ------
        DatabaseUnavailableError
            With a message for people: the database cannot be reached. The store reconnects
            by itself once it answers again, so calling this again later is the retry.
        """
        with self.read(_("reach the programme database")) as conn:
            conn.execute(select(1))

    def data_versions(self, programme: str) -> ProgrammeVersions:
        """The programme's data versions, read from the database (see :mod:`geo.store.versions`).

        ``(programme, synergies)``: each is bumped in the same transaction as every write to
        the programme's records or to its synergies, by any process, so a cache keyed on them
        is never stale. (0, 0) for a programme that is not stored. One indexed row read: cheap
        enough for every rerun, and the first call to fail when the database is down.
        """
        with self.read(_("read the data versions"), one_statement=True) as conn:
            return read_versions(conn, programme)

    @property
    def spatial_backend(self) -> Literal["postgis", "python"]:
        """How spatial filters run: ``postgis`` (in the database) or ``python`` (a bounding-box
        query, then the exact test in Python); see :mod:`geo.store.spatial`."""
        if self._postgis is None:
            with self.read(_("inspect the database")) as conn:
                self._postgis = has_postgis_columns(conn)
        return "postgis" if self._postgis else "python"

    def _filter(self, conn: Connection, pid: int, within: Area | None) -> SiteFilter | None:
        if within is None:
            return None
        return site_filter(conn, pid, within, postgis=self.spatial_backend == "postgis")

    def __repr__(self) -> str:
        return f"Store({self._where!r})"

    # -- programmes ---------------------------------------------------------------------------

    def programme_names(self) -> list[str]:
        """Names of the stored programmes, sorted."""
        with self.read(_("list programmes"), one_statement=True) as conn:
            return [str(n) for n in conn.execute(
                select(ProgrammeRow.name).order_by(ProgrammeRow.name)).scalars()]

    def create_programme(self, name: str, *, exist_ok: bool = True) -> None:
        """Create an empty programme ``name`` (nothing happens if it exists and ``exist_ok``)."""
        with self.transaction(_("create a programme")) as conn:
            if find_programme(conn, name) is None:
                bump_data_version(conn, find_or_create_programme(conn, name))
            elif not exist_ok:
                msg = _("A programme named {name!r} already exists; choose another name.").format(
                    name=name)
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
        with self.transaction(_("save programme {name!r}").format(name=p.name)) as conn:
            pid = find_programme(conn, p.name)
            if pid is not None and not replace:
                msg = _("A programme named {name!r} is already stored; pass replace=True to "
                        "update it (missing sites are archived), or rename the "
                        "programme.").format(name=p.name)
                raise StoreError(msg)
            if pid is None:
                pid = create_programme(conn, p.name, illustrative=p.illustrative,
                                       region_name=p.region_name, notes=p.notes)
            else:
                conn.execute(update(ProgrammeRow).where(ProgrammeRow.id == pid).values(
                    illustrative=p.illustrative, region_name=p.region_name,
                    notes=dict(p.notes), updated_at=now_utc()))
            bump_data_version(conn, pid)
            park_ids = upsert_parks(conn, pid, p.parks)
            site_ids = upsert_sites(conn, pid, p.sites, park_ids)
            archive_missing(conn, Site, pid, {site_ids[str(k)] for k in p.sites["site_id"]})
            replace_contacts(conn, pid, p.contacts, site_ids)
            res_ids = upsert_resources(conn, pid, p.resources, site_ids)
            archive_missing(conn, Resource, pid,
                            {res_ids[str(k)] for k in p.resources["resource_id"]})
        logger.info("saved programme %r: %d sites, %d resources", p.name, len(p.sites),
                    len(p.resources))

    def load_programme(self, name: str | None = None, *, include_archived: bool = False,
                       within: Area | None = None) -> Programme:
        """Load a stored programme as frames.

        Parameters
        ----------
        name : str, optional
            Default: the only stored programme (an error names the choices when there are
            several).
        include_archived : bool
            Also return archived sites (and their contacts and resources) and archived
            resources; the sites and resources frames then get an ``archived`` column.
        within : Near, InPark or InBBox, optional
            Only the sites in this area (:mod:`geo.store.spatial`; run by the database on
            PostGIS), with their contacts and resources; every park is kept.
        """
        with self.read(_("load a programme")) as conn:
            if name is None:
                names = list(conn.execute(select(ProgrammeRow.name)
                                          .order_by(ProgrammeRow.name)).scalars())
                if len(names) != 1:
                    msg = _("Say which programme to load: the store holds {n} ({names!r}).").format(
                        n=len(names), names=names[:10])
                    raise StoreError(msg)
                name = names[0]
            pid = require_programme(conn, name)
            return read_programme(conn, pid, include_archived=include_archived,
                                  where=self._filter(conn, pid, within))

    def programme_snapshot(self, name: str,
                           since: ProgrammeSnapshot | None = None) -> ProgrammeSnapshot:
        """Programme ``name``'s current records at its current data version, with that version.

        With ``since`` (an earlier snapshot of this programme), the records are read whole only
        when a write after it did more than add records; after imports alone, only the rows
        they added are read and appended to ``since``'s frames (at 100,000 records about
        a fiftieth of a whole read). The frames equal those of :meth:`load_programme`.

        Raises
        ------
        StoreError
            When no programme is stored under ``name``.
        """
        with self.read(_("load a programme")) as conn:
            return read_snapshot(conn, require_programme(conn, name), since)

    # -- records ------------------------------------------------------------------------------

    def sites(self, programme: str, *, include_archived: bool = False,
              within: Area | None = None) -> gpd.GeoDataFrame:
        """The sites of a programme (empty when the programme does not exist).

        ``within`` keeps the sites in an area: :class:`~geo.store.spatial.Near` a point,
        :class:`~geo.store.spatial.InPark` or :class:`~geo.store.spatial.InBBox` (run by the
        database on PostGIS).

        Examples
        --------
        >>> from geo.store.spatial import Near
        >>> store = open_store("sqlite://")
        >>> store.sites("Nowhere", within=Near(26.9, 60.5, radius_m=500)).empty
        True
        """
        with self.read(_("read sites")) as conn:
            pid = find_programme(conn, programme)
            if pid is None:
                return read_sites(conn, -1, include_archived=include_archived)
            return read_sites(conn, pid, include_archived=include_archived,
                              where=self._filter(conn, pid, within))

    def add_sites(self, programme: str, sites: gpd.GeoDataFrame) -> int:
        """Add sites (columns of ``SITE_COLUMNS``, points in EPSG:4326) to a programme.

        Sites whose ``site_id`` is already stored are skipped. Returns how many were added.
        """
        with self.transaction(_("add sites")) as conn:
            pid = require_programme(conn, programme)
            bump_data_version(conn, pid, adds_only=True)
            return insert_sites(conn, pid, sites)

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
        with self.transaction(_("add resources")) as conn:
            pid = require_programme(conn, programme)
            bump_data_version(conn, pid, adds_only=True)
            added, skipped = insert_resources(conn, pid, resources)
        if skipped:
            logger.info("add_resources(%r): %d rows already stored, skipped", programme, skipped)
        return added

    def resources_of_sites(self, programme: str, site_ids: Iterable[str]) -> pd.DataFrame:
        """The current (not archived) resource records of those sites of the programme:
        ``resource_id``, ``site_id`` and the other fields of
        :data:`geo.store.keys.KEY_FIELDS` (empty when the programme is not stored)."""
        keys = sorted({str(s) for s in site_ids})
        cols = ["resource_id", "site_id", "direction", "resource_class", "ewc_code",
                "description", "quantity", "unit", "frequency", "fate"]
        rows: list[Any] = []
        with self.read(_("read resources")) as conn:
            pid = find_programme(conn, programme)
            if pid is not None:
                stmt = (select(Resource.resource_key, Site.site_key, Resource.direction,
                               Resource.resource_class, Resource.ewc_code,
                               Resource.description, Resource.quantity, Resource.unit,
                               Resource.frequency, Resource.fate)
                        .join(Site, Resource.site_id == Site.id)
                        .where(Resource.programme_id == pid, Resource.archived.is_(False),
                               Site.archived.is_(False)).order_by(Resource.id))
                for start in range(0, len(keys), 1000):
                    rows += conn.execute(stmt.where(
                        Site.site_key.in_(keys[start:start + 1000]))).all()
        frame = pd.DataFrame(rows, columns=cols)
        frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").astype("float64")
        return frame

    def existing_import_keys(self, programme: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are already stored in the programme (for dry runs)."""
        with self.read(_("read import keys")) as conn:
            pid = find_programme(conn, programme)
            if pid is None:
                return set()
            return stored_keys(conn, Resource, "import_key", pid, keys)

    # -- imports ------------------------------------------------------------------------------

    def record_import(self, programme: str, *, file_name: str, sha256: str, rows: int,
                      sites: gpd.GeoDataFrame | None = None,
                      resources: pd.DataFrame | None = None,
                      rejects: pd.DataFrame | None = None,
                      provenance: str = "import file",
                      resolves: Iterable[str] = (),
                      contacts: pd.DataFrame | None = None) -> ImportOutcome:
        """Record an import batch with its new sites, resources, contacts and rejected rows,
        in one transaction: the import is stored wholly or (on any failure, even the process
        being killed) not at all.

        The programme is created when it does not exist yet. Imports into one programme take
        turns (the programme's data version is bumped first, see :mod:`geo.store.versions`),
        so overlapping member lists imported at once store each site once.

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
        contacts : DataFrame, optional
            Contact people of the sites (``CONTACT_COLUMNS``), as for :meth:`add_contacts`.
        """
        with self.transaction(_("record an import")) as conn:
            pid = find_or_create_programme(conn, programme)
            bump_data_version(conn, pid, adds_only=True)
            outcome = write_import(conn, pid, file_name=file_name, sha256=sha256, rows=rows,
                                   sites=sites, resources=resources, rejects=rejects,
                                   provenance=provenance, resolves=resolves, contacts=contacts)
        logger.info("import of %r into %r: %s", file_name, programme, outcome)
        return outcome

    def import_batches(self, programme: str) -> pd.DataFrame:
        """The programme's import history, newest first (``at``: UTC times)."""
        cols = ["batch_id", "file_name", "sha256", "rows", "imported", "duplicates", "rejected",
                "provenance", "at"]
        with self.read(_("read import batches")) as conn:
            pid = require_programme(conn, programme)
            rows = conn.execute(select(ImportBatch.id, ImportBatch.file_name, ImportBatch.sha256,
                                       ImportBatch.rows, ImportBatch.imported,
                                       ImportBatch.duplicates, ImportBatch.rejected,
                                       ImportBatch.provenance, ImportBatch.at)
                                .where(ImportBatch.programme_id == pid)
                                .order_by(ImportBatch.id.desc())).all()
        frame = pd.DataFrame(rows, columns=cols)
        frame["at"] = pd.to_datetime(frame["at"], utc=True)  # UTC-aware on every database
        return frame

    def rejects(self, programme: str, *, unresolved_only: bool = True) -> pd.DataFrame:
        """Rejected import rows of a programme (see :data:`geo.store.imports.REJECT_COLUMNS`)."""
        with self.read(_("read rejected rows")) as conn:
            return read_rejects(conn, require_programme(conn, programme),
                                unresolved_only=unresolved_only)

    # -- site edits ---------------------------------------------------------------------------

    def add_contacts(self, programme: str, contacts: pd.DataFrame) -> int:
        """Add contacts (``CONTACT_COLUMNS``) to stored sites, skipping known ``contact_id``.

        Returns the number added. Contacts are personal data: shown to practitioners only.
        """
        with self.transaction(_("add contacts")) as conn:
            pid = require_programme(conn, programme)
            bump_data_version(conn, pid, adds_only=True)
            return add_contacts(conn, pid, contacts)

    def update_site_location(self, site_id: str, lon: float | None, lat: float | None,
                             precision: str,
                             source: str, *, programme: str | None = None) -> None:
        """Place a site: ``lon``/``lat`` in degrees (EPSG:4326), how precise, from where.

        ``precision`` is one of :data:`geo.programme.PRECISIONS` (``manual`` for a pin set by
        hand). ``programme`` is needed only when the ``site_id`` exists in several.
        With ``precision="not_found"`` the coordinates may be None: the site is recorded as
        searched for and not found, and keeps no point.
        """
        self.update_site_locations([(site_id, lon, lat, precision, source)],
                                   programme=programme)

    def update_site_locations(self, places: Iterable[tuple[str, float | None, float | None,
                                                             str, str]],
                              *, programme: str | None = None) -> int:
        """Place many sites in one transaction: all of them or, on any error, none.

        ``places`` are ``(site_id, lon, lat, precision, source)`` as for
        :meth:`update_site_location` (a batch geocoding run's results). Every value is
        checked before anything is written; the data version of each programme touched is
        bumped once. Returns how many sites were placed.
        """
        rows = [(str(sid), _location_values(lon, lat, precision, source))
                for sid, lon, lat, precision, source in places]
        if not rows:
            return 0
        with self.transaction(_("update site locations")) as conn:
            bumped: set[int] = set()
            for sid, values in rows:
                pk, pid = find_site(conn, sid, programme)
                if pid not in bumped:
                    bump_data_version(conn, pid)
                    bumped.add(pid)
                conn.execute(update(Site).where(Site.id == pk).values(**values))
        return len(rows)

    def archive_site(self, site_id: str, *, programme: str | None = None) -> None:
        """Archive a site: hidden from programmes loaded later, kept for history."""
        with self.transaction(_("archive a site")) as conn:
            pk, pid = find_site(conn, site_id, programme)
            bump_data_version(conn, pid)
            conn.execute(update(Site).where(Site.id == pk).values(archived=True,
                                                                  archived_at=now_utc()))

    def archive_resource(self, programme: str, resource_id: str) -> None:
        """Archive a resource record (an outdated or wrong figure): hidden from programmes
        loaded later, kept for the history of the synergies that name it. Its import key is
        released, so a member list that holds the record again adds it again.

        Raises
        ------
        StoreError
            When the programme holds no current record ``resource_id``.
        """
        with self.transaction(_("archive a record")) as conn:
            pid = require_programme(conn, programme)
            found = conn.execute(select(Resource.id).where(
                Resource.programme_id == pid, Resource.resource_key == str(resource_id),
                Resource.archived.is_(False))).scalar()
            if found is None:
                msg = _("No current record {resource!r} in programme {programme!r}.").format(
                    resource=resource_id, programme=programme)
                raise StoreError(msg)
            bump_data_version(conn, pid)
            conn.execute(update(Resource).where(Resource.id == found).values(
                archived=True, import_key=None))


def _location_values(lon: float | None, lat: float | None, precision: str,
                     source: str) -> dict[str, Any]:
    """The columns a placement writes, checked (see :meth:`Store.update_site_location`)."""
    if precision == "not_found" and (lon is None or lat is None
                                     or not (math.isfinite(lon) and math.isfinite(lat))):
        # A geocoding run that found nothing: record that, keep no point.
        return {"lon": None, "lat": None, "location_precision": precision,
                "location_source": str(source)}
    ok = (isinstance(lon, int | float) and isinstance(lat, int | float)
          and math.isfinite(lon) and math.isfinite(lat)
          and -180 <= lon <= 180 and -90 <= lat <= 90)
    if not ok or lon is None or lat is None:
        msg = _("lon must be within [-180, 180] and lat within [-90, 90] degrees, got "
                "lon={lon!r}, lat={lat!r}.").format(lon=lon, lat=lat)
        raise StoreError(msg)
    if precision not in PRECISIONS:
        msg = _("precision must be one of {choices}, got {precision!r}.").format(
            choices=", ".join(PRECISIONS), precision=precision)
        raise StoreError(msg)
    return {"lon": float(lon), "lat": float(lat), "location_precision": precision,
            "location_source": str(source)}
