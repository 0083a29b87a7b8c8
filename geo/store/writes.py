"""Writing programme frames into the tables, on an open connection (the caller's transaction).

Bulk Core statements (``executemany``) over the declarative tables: one INSERT for all new
rows of a table, one UPDATE for all changed ones, so 100,000 resources go in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy import types as sa_types
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import IntegrityError

from geo.errors import StoreError
from geo.i18n import _
from geo.programme import CONTACT_COLUMNS, PARK_COLUMNS, RESOURCE_COLUMNS, SITE_COLUMNS
from geo.store.frames import columns_as_lists, point_lon_lat, records, to_dates, wkb_hex
from geo.store.keys import resource_import_keys
from geo.store.tables import (
    LOCATION_LEVELS,
    Contact,
    Location,
    LocationLevel,
    Park,
    ProgrammeRow,
    Resource,
    Site,
)
from geo.store.versions import written_version

__all__ = [
    "add_contacts",
    "archive_missing",
    "bulk_insert",
    "create_programme",
    "find_or_create_programme",
    "find_programme",
    "find_site",
    "insert_resources",
    "insert_sites",
    "new_id",
    "now_utc",
    "replace_contacts",
    "require_programme",
    "stored_keys",
    "upsert_parks",
    "upsert_resources",
    "upsert_sites",
]


def now_utc() -> dt.datetime:
    """The current time in UTC (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT … VALUES just added."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table here has an integer primary key
        msg = "The database did not return the id of the new row."
        raise StoreError(msg)
    return int(key[0])


def find_programme(conn: Connection, name: str) -> int | None:
    """The id of programme ``name``, or None."""
    pid = conn.execute(select(ProgrammeRow.id).where(ProgrammeRow.name == name)).scalar()
    return None if pid is None else int(pid)


def require_programme(conn: Connection, name: str) -> int:
    """The id of programme ``name``; StoreError listing the stored names when it is unknown."""
    pid = find_programme(conn, name)
    if pid is None:
        names = list(conn.execute(select(ProgrammeRow.name).order_by(ProgrammeRow.name)).scalars())
        msg = _("No programme named {name!r} in the store (stored: {stored}); check the name "
                "or create it first (Store.create_programme / save_programme).").format(
            name=name, stored=names or _("none"))
        raise StoreError(msg)
    return pid


def find_or_create_programme(conn: Connection, name: str) -> int:
    """The id of programme ``name``, created (empty) when it is not stored yet.

    Safe when another process creates the same programme at the same moment: the losing
    INSERT is undone to a savepoint and the winner's row is used.
    """
    pid = find_programme(conn, name)
    if pid is not None:
        return pid
    try:
        with conn.begin_nested():
            return create_programme(conn, name)
    except IntegrityError:
        return require_programme(conn, name)


def find_site(conn: Connection, site_id: str, programme: str | None) -> tuple[int, int]:
    """(id, programme id) of the site ``site_id``, in ``programme`` or the only one with it.

    Raises
    ------
    StoreError
        When no site has that id, or several programmes do and none is named.
    """
    stmt = (select(Site.id, Site.programme_id, ProgrammeRow.name).join(ProgrammeRow)
            .where(Site.site_key == str(site_id)))
    if programme is not None:
        stmt = stmt.where(ProgrammeRow.name == programme)
    found = conn.execute(stmt).all()
    if not found:
        msg = (_("No site with site_id {site!r} in programme {programme!r}.") if programme
               else _("No site with site_id {site!r}.")).format(site=site_id,
                                                               programme=programme)
        raise StoreError(msg)
    if len(found) > 1:
        msg = _("site_id {site!r} exists in several programmes ({names!r}); pass programme=… "
                "to say which.").format(site=site_id, names=sorted(row[2] for row in found))
        raise StoreError(msg)
    return int(found[0][0]), int(found[0][1])


def create_programme(conn: Connection, name: str, *, illustrative: bool = False,
                     region_name: str = "", notes: dict[str, str] | None = None) -> int:
    """Insert a programme with the default location levels; returns its id."""
    if not isinstance(name, str) or not name.strip():
        msg = _("A programme needs a non-empty name, got {name!r}.").format(name=name)
        raise StoreError(msg)
    now = now_utc()
    pid = new_id(conn.execute(insert(ProgrammeRow).values(
        name=name, illustrative=bool(illustrative), region_name=region_name or "",
        notes=dict(notes or {}), created_at=now, updated_at=now)))
    conn.execute(insert(LocationLevel), [
        {"programme_id": pid, "rank": i, "key": key, "label": label}
        for i, (key, label) in enumerate(LOCATION_LEVELS)])
    return pid


_PLAIN_TYPES: Final = (sa_types.Integer, sa_types.Float, sa_types.String, sa_types.Boolean,
                       sa_types.Date)


def _copy_rows(conn: Connection, tbl: Any, cols: list[str], rows: pd.DataFrame) -> None:
    """PostgreSQL (psycopg): the rows through ``COPY … FROM STDIN``, in the open transaction."""
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(tbl.name)} ({', '.join(quote(c) for c in cols)}) FROM STDIN"
    raw: Any = conn.connection.dbapi_connection  # the psycopg connection, in the transaction
    with raw.cursor() as cur, cur.copy(sql) as copy:
        for row in zip(*columns_as_lists(rows), strict=True):
            copy.write_row(row)


def bulk_insert(conn: Connection, table: Any, rows: pd.DataFrame) -> None:
    """INSERT every row of ``rows`` (columns named after the table's columns).

    On SQLite the rows go straight to the driver's ``executemany`` as tuples (dates as ISO
    text, the form SQLAlchemy's SQLite ``Date`` type stores): about three times faster than
    SQLAlchemy's per-row parameter processing. On PostgreSQL with psycopg they go through
    ``COPY`` (about ten times faster than one INSERT per row); other databases get
    SQLAlchemy's ``executemany``.
    """
    if rows.empty:
        return
    tbl = table.__table__ if hasattr(table, "__table__") else table
    cols = [str(c) for c in rows.columns]
    plain = all(isinstance(tbl.c[c].type, _PLAIN_TYPES) for c in cols)
    if plain and conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy_rows(conn, tbl, cols, rows)
        return
    if conn.dialect.name != "sqlite" or not plain:
        conn.execute(insert(tbl), records(rows))
        return
    lists = columns_as_lists(rows)
    for i, c in enumerate(cols):
        if isinstance(tbl.c[c].type, sa_types.Date):
            lists[i] = [v.isoformat() if v is not None else None for v in lists[i]]
    sql = (f"INSERT INTO {tbl.name} ({', '.join(cols)}) "
           f"VALUES ({', '.join('?' * len(cols))})")
    conn.exec_driver_sql(sql, list(zip(*lists, strict=True)))


def _stamped(conn: Connection, table: Any, pid: int, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``written_version``: the data version of this transaction, for tables
    that record it (sites, resources, contacts; :mod:`geo.store.versions`)."""
    tbl = table.__table__ if hasattr(table, "__table__") else table
    if "written_version" not in tbl.c:
        return rows
    return rows.assign(written_version=written_version(conn, pid))


_FEW_KEYS: Final = 5_000
"""Up to this many keys are looked up by an ``IN`` on the table's unique index; more read every
key of the programme (one scan beats thousands of index searches)."""


def _key_ids(conn: Connection, table: Any, key_col: str, pid: int,
             keys: Iterable[Any] | None = None) -> dict[str, int]:
    """Stored key → row id of the programme's rows in ``table``: all of them, or at least
    those of ``keys`` (an import of 200 rows into a programme of 100,000 then reads 200 keys,
    not 100,000; a file of more than ``_FEW_KEYS`` keys gets them all)."""
    col = getattr(table, key_col)
    stmt = select(col, table.id).where(table.programme_id == pid, col.is_not(None))
    series = None if keys is None else _as_series(keys)
    if series is None or len(series) > _FEW_KEYS:
        return {str(k): int(i) for k, i in conn.execute(stmt).all()}
    wanted = _distinct_text(series)
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 1000):
        out.update((str(k), int(i)) for k, i in conn.execute(
            stmt.where(col.in_(wanted[start:start + 1000]))).all())
    return out


def stored_keys(conn: Connection, table: Any, key_col: str, pid: int,
                keys: Iterable[Any]) -> set[str]:
    """Which of ``keys`` the programme's rows of ``table`` hold in ``key_col``."""
    series = _as_series(keys)
    return set(_key_ids(conn, table, key_col, pid, series)) & set(_distinct_text(series))


def _as_series(keys: Iterable[Any]) -> pd.Series:
    return keys if isinstance(keys, pd.Series) else pd.Series(list(keys), dtype=object)


def _distinct_text(keys: pd.Series) -> list[str]:
    """The keys as text, missing ones left out, each once."""
    out: list[str] = keys.dropna().astype(str).drop_duplicates().tolist()
    return out


def _is_in(values: pd.Series, found: Collection[str]) -> np.ndarray:
    """Whether each value is one of ``found`` (a set lookup per value: pandas' ``isin`` on
    its string dtype builds a list of every candidate first)."""
    return np.fromiter((v in found for v in values.astype(object)), dtype=bool,
                       count=len(values))


def _upsert(conn: Connection, table: Any, key_col: str, pid: int,
            rows: pd.DataFrame) -> dict[str, int]:
    """Insert rows whose key is new, update the others; returns key → id for all stored rows."""
    existing = _key_ids(conn, table, key_col, pid)
    keys = rows[key_col].astype(str)
    dup = keys[keys.duplicated()]
    if not dup.empty:
        msg = _("{column} values must be unique, found {ids!r} more than once; give each record "
                "its own id.").format(column=key_col.removesuffix("_key") + "_id",
                                      ids=sorted(set(dup))[:5])
        raise StoreError(msg)
    is_old = keys.isin(list(existing))
    new = rows[~is_old].assign(programme_id=pid)
    if not new.empty:
        bulk_insert(conn, table, _stamped(conn, table, pid, new))
    old = rows[is_old]
    if not old.empty:
        params = old.assign(b_id=keys[is_old].map(existing)).drop(columns=[key_col])
        stmt = update(table).where(table.id == bindparam("b_id"))
        conn.execute(stmt, records(params))
    return _key_ids(conn, table, key_col, pid)


def _location_ids(conn: Connection, pid: int, parks: pd.DataFrame) -> pd.Series:
    """Get or create the location node of each park (its deepest named level)."""
    known = {(lvl, name, parent): int(i) for i, lvl, name, parent in conn.execute(
        select(Location.id, Location.level, Location.name, Location.parent_id)
        .where(Location.programme_id == pid)).all()}
    out: list[int | None] = []
    for _index, park in parks.iterrows():  # a programme has tens of parks, not thousands
        parent: int | None = None
        for level, _label in LOCATION_LEVELS:
            name = park.get(level)
            if not isinstance(name, str) or not name:
                continue
            key = (level, name, parent)
            if key not in known:
                known[key] = new_id(conn.execute(insert(Location).values(
                    programme_id=pid, level=level, name=name, parent_id=parent)))
            parent = known[key]
        out.append(parent)
    return pd.Series(out, index=parks.index, dtype=object)


def upsert_parks(conn: Connection, pid: int, parks: gpd.GeoDataFrame) -> dict[str, int]:
    """Store the parks frame (by ``park_id``); parks missing from it are deleted."""
    frame = _with_columns(parks, PARK_COLUMNS)
    rows = pd.DataFrame({
        "park_key": frame["park_id"].astype(str), "name": frame["name"],
        "source": frame["source"], "location_id": _location_ids(conn, pid, frame),
        "boundary_wkb": wkb_hex(parks.geometry) if len(parks) else pd.Series(dtype=object),
    })
    ids = _upsert(conn, Park, "park_key", pid, rows)
    gone = [i for k, i in ids.items() if k not in set(rows["park_key"])]
    if gone:
        conn.execute(update(Site).where(Site.park_id.in_(gone)).values(park_id=None))
        conn.execute(delete(Park).where(Park.id.in_(gone)))
    return {k: i for k, i in ids.items() if i not in gone}


def _with_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    return frame.assign(**dict.fromkeys(missing)) if missing else frame


def _site_rows(sites: gpd.GeoDataFrame, park_ids: dict[str, int]) -> pd.DataFrame:
    frame = _with_columns(sites, SITE_COLUMNS)
    if frame["site_id"].isna().any():
        msg = _("Every site needs a site_id; some are missing.")
        raise StoreError(msg)
    lon, lat = point_lon_lat(sites)
    park_key = frame["park_id"].astype(object).where(frame["park_id"].notna(), None)
    unknown = sorted({str(k) for k in park_key.dropna() if str(k) not in park_ids})
    if unknown:
        msg = _("Sites refer to parks that are not stored: {unknown!r}; known parks: {known!r}. "
                "Save the parks first or clear park_id.").format(unknown=unknown[:5],
                                                                  known=sorted(park_ids)[:10])
        raise StoreError(msg)
    cols = ["name", "sector_nace", "address", "postcode", "city", "country",
            "location_precision", "location_source", "provenance"]
    rows = frame[cols].copy()
    rows.insert(0, "site_key", frame["site_id"].astype(str))
    rows["park_id"] = park_key.map(park_ids, na_action="ignore").astype(object)
    rows["lon"], rows["lat"] = lon, lat
    rows["recorded_on"] = to_dates(frame["recorded_on"])
    rows["archived"] = False
    rows["archived_at"] = None
    return rows


def upsert_sites(conn: Connection, pid: int, sites: gpd.GeoDataFrame,
                 park_ids: dict[str, int]) -> dict[str, int]:
    """Store the sites frame (by ``site_id``): new sites inserted, known ones updated."""
    return _upsert(conn, Site, "site_key", pid, _site_rows(sites, park_ids))


def insert_sites(conn: Connection, pid: int, sites: gpd.GeoDataFrame) -> int:
    """Insert the sites whose ``site_id`` is not stored yet; returns how many were added."""
    if sites.empty:
        return 0
    park_ids = _key_ids(conn, Park, "park_key", pid)
    rows = _site_rows(sites, park_ids)
    existing = _key_ids(conn, Site, "site_key", pid, rows["site_key"])
    rows = rows[~_is_in(rows["site_key"], existing)].drop_duplicates("site_key")
    if not rows.empty:
        bulk_insert(conn, Site, _stamped(conn, Site, pid, rows.assign(programme_id=pid)))
    return len(rows)


def archive_missing(conn: Connection, table: Any, pid: int, keep_ids: set[int]) -> int:
    """Archive (never delete) the rows of ``table`` in the programme not in ``keep_ids``."""
    ids = set(conn.execute(select(table.id).where(table.programme_id == pid,
                                                  table.archived.is_(False))).scalars())
    gone = sorted(ids - keep_ids)
    values: dict[str, Any] = {"archived": True}
    if table is Site:
        values["archived_at"] = now_utc()
    if table is Resource:
        values["import_key"] = None  # release the key: re-importing the record adds it again
    for start in range(0, len(gone), 500):
        conn.execute(update(table).where(table.id.in_(gone[start:start + 500])).values(**values))
    return len(gone)


def replace_contacts(conn: Connection, pid: int, contacts: pd.DataFrame,
                     site_ids: dict[str, int]) -> None:
    """Replace the programme's contacts (personal data is deleted, not archived)."""
    conn.execute(delete(Contact).where(Contact.programme_id == pid))
    if contacts.empty:
        return
    frame = _with_columns(contacts, CONTACT_COLUMNS)
    rows = pd.DataFrame({"contact_key": frame["contact_id"].astype(str),
                         "site_id": _site_ids(frame["site_id"], site_ids, "contacts")})
    for col in ("name", "role", "email", "phone"):
        rows[col] = frame[col]
    bulk_insert(conn, Contact, _stamped(conn, Contact, pid, rows.assign(programme_id=pid)))


def add_contacts(conn: Connection, pid: int, contacts: pd.DataFrame) -> int:
    """Add contacts whose ``contact_id`` is not stored yet; returns how many were added."""
    if contacts.empty:
        return 0
    frame = _with_columns(contacts, CONTACT_COLUMNS)
    keys = frame["contact_id"].astype(str)
    known = _key_ids(conn, Contact, "contact_key", pid, keys)
    frame = frame[~_is_in(keys, known)].drop_duplicates("contact_id")
    if frame.empty:
        return 0
    rows = pd.DataFrame({"contact_key": frame["contact_id"].astype(str),
                         "site_id": _site_ids(frame["site_id"],
                                              _key_ids(conn, Site, "site_key", pid,
                                                       frame["site_id"]),
                                              "contacts")})
    for col in ("name", "role", "email", "phone"):
        rows[col] = frame[col]
    bulk_insert(conn, Contact, _stamped(conn, Contact, pid, rows.assign(programme_id=pid)))
    return len(rows)


def _site_ids(keys: pd.Series, site_ids: dict[str, int], what: str) -> pd.Series:
    mapped = keys.astype(str).map(site_ids)
    if mapped.isna().any():
        unknown = sorted(set(keys[mapped.isna()].astype(str)))[:5]
        # Translators: {records} is the kind of records: contacts, resources.
        msg = _("{records} refer to sites that are not stored in this programme: {unknown!r}; "
                "add the sites first (Store.add_sites).").format(records=what, unknown=unknown)
        raise StoreError(msg)
    return mapped.astype("int64")


def _resource_rows(resources: pd.DataFrame, site_ids: dict[str, int]) -> pd.DataFrame:
    frame = _with_columns(resources, RESOURCE_COLUMNS)
    if frame["resource_id"].isna().any():
        msg = _("Every resource needs a resource_id; some are missing.")
        raise StoreError(msg)
    keys = (frame["import_key"].astype(object) if "import_key" in frame.columns
            else resource_import_keys(frame).astype(object))
    rows = pd.DataFrame({"resource_key": frame["resource_id"].astype(str),
                         "site_id": _site_ids(frame["site_id"], site_ids, "resources")})
    for col in ("direction", "resource_class", "ewc_code", "description", "unit", "frequency",
                "fate", "provenance"):
        rows[col] = frame[col]
    rows["hazardous"] = frame["hazardous"].fillna(False).astype(bool)
    for col in ("quantity", "disposal_cost_per_year"):
        rows[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    rows["recorded_on"] = to_dates(frame["recorded_on"])
    rows["import_key"] = keys
    rows["archived"] = False
    bad = ~rows["direction"].isin(["have", "want"])
    if bad.any():
        msg = _("direction must be 'have' or 'want', got {value!r} for resource "
                "{resource!r}.").format(value=rows.loc[bad, "direction"].iloc[0],
                                        resource=rows.loc[bad, "resource_key"].iloc[0])
        raise StoreError(msg)
    return rows


def upsert_resources(conn: Connection, pid: int, resources: pd.DataFrame,
                     site_ids: dict[str, int]) -> dict[str, int]:
    """Store the resources frame (by ``resource_id``), recomputing every ``import_key``."""
    conn.execute(update(Resource).where(Resource.programme_id == pid).values(import_key=None))
    return _upsert(conn, Resource, "resource_key", pid, _resource_rows(resources, site_ids))


def insert_resources(conn: Connection, pid: int, resources: pd.DataFrame,
                     batch_id: int | None = None) -> tuple[int, int]:
    """Insert resources whose ``import_key`` is new; returns (added, skipped as duplicates).

    A row whose key is already stored, or repeats an earlier row of the frame, is skipped.
    A new row whose ``resource_id`` is already taken is an error.
    """
    if resources.empty:
        return 0, 0
    site_keys = resources["site_id"] if "site_id" in resources.columns else ()
    rows = _resource_rows(resources, _key_ids(conn, Site, "site_key", pid, site_keys))
    stored = _key_ids(conn, Resource, "import_key", pid, rows["import_key"])
    keep = ~_is_in(rows["import_key"], stored) & ~rows["import_key"].duplicated().to_numpy()
    new = rows[keep]
    taken = _key_ids(conn, Resource, "resource_key", pid, new["resource_key"])
    clash = _is_in(new["resource_key"], taken) | new["resource_key"].duplicated().to_numpy()
    if clash.any():
        ids = sorted(set(new.loc[clash, "resource_key"]))[:5]
        msg = _("resource_id values already used by other records: {ids!r}; give new records "
                "new ids, or update records with save_programme(replace=True).").format(ids=ids)
        raise StoreError(msg)
    if not new.empty:
        bulk_insert(conn, Resource, _stamped(conn, Resource, pid,
                                             new.assign(programme_id=pid,
                                                        import_batch_id=batch_id)))
    return len(new), int((~keep).sum())

