"""Reading a stored programme back into frames (see :mod:`geo.store.frames` for dtypes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from geo.programme import (
    CONTACT_COLUMNS,
    PARK_COLUMNS,
    RESOURCE_COLUMNS,
    SITE_COLUMNS,
    WGS84,
    Programme,
)
from geo.store.frames import frame_from_rows
from geo.store.spatial import SiteFilter
from geo.store.tables import LOCATION_LEVELS, Contact, Location, Park, ProgrammeRow, Resource, Site

__all__ = ["ProgrammeSnapshot", "read_programme", "read_sites", "read_snapshot"]

_Frame = TypeVar("_Frame", pd.DataFrame, gpd.GeoDataFrame)


def _parks(conn: Connection, pid: int) -> gpd.GeoDataFrame:
    nodes = {int(i): (lvl, name, parent) for i, lvl, name, parent in conn.execute(
        select(Location.id, Location.level, Location.name, Location.parent_id)
        .where(Location.programme_id == pid)).all()}
    rows = conn.execute(select(Park.park_key, Park.name, Park.location_id, Park.source,
                               Park.boundary_wkb)
                        .where(Park.programme_id == pid).order_by(Park.id)).all()
    out = []
    for key, name, loc, source, wkb in rows:
        levels: dict[str, str | None] = dict.fromkeys(k for k, _ in LOCATION_LEVELS)
        node = loc
        while node is not None and node in nodes:
            level, lname, parent = nodes[node]
            levels[level] = lname
            node = parent
        out.append((key, name, levels["country"], levels["region"], levels["city"], source, wkb))
    frame = frame_from_rows(out, [*PARK_COLUMNS, "wkb"], text=PARK_COLUMNS)
    wkb = frame.pop("wkb").to_numpy(dtype=object)
    geoms = np.full(len(wkb), None, dtype=object)
    has = np.array([isinstance(w, str) for w in wkb], dtype=bool)
    if has.any():
        geoms[has] = shapely.from_wkb(wkb[has])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)


def read_sites(conn: Connection, pid: int, *, include_archived: bool,
               where: SiteFilter | None = None, since: int | None = None) -> gpd.GeoDataFrame:
    """The programme's sites as a GeoDataFrame (points from lon/lat, EPSG:4326).

    With ``include_archived`` an ``archived`` column is added; with ``where`` only the sites
    that pass the spatial filter (:mod:`geo.store.spatial`) are read; with ``since`` only
    those added after that data version.
    """
    park = aliased(Park)
    stmt = (select(Site.site_key, Site.name, Site.sector_nace, Site.address, Site.postcode,
                   Site.city, Site.country, park.park_key, Site.location_precision,
                   Site.location_source, Site.provenance, Site.recorded_on, Site.lon, Site.lat,
                   Site.archived)
            .outerjoin(park, Site.park_id == park.id)
            .where(Site.programme_id == pid).order_by(Site.id))
    if not include_archived:
        stmt = stmt.where(Site.archived.is_(False))
    if where is not None:
        stmt = stmt.where(where.condition)
    if since is not None:
        stmt = stmt.where(Site.written_version > since)
    text = [c for c in SITE_COLUMNS if c != "recorded_on"]
    frame = frame_from_rows(conn.execute(stmt).all(), [*SITE_COLUMNS, "lon", "lat", "archived"],
                            text=text, numbers=["lon", "lat"], flags=["archived"],
                            dates=["recorded_on"])
    if where is not None and where.exact is not None and len(frame):
        keep = where.exact(frame["lon"].to_numpy(dtype=float), frame["lat"].to_numpy(dtype=float))
        frame = frame[keep].reset_index(drop=True)
    lon, lat = frame.pop("lon").to_numpy(), frame.pop("lat").to_numpy()
    geoms = np.full(len(frame), None, dtype=object)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if ok.any():
        geoms[ok] = shapely.points(lon[ok], lat[ok])
    archived = frame.pop("archived")
    if include_archived:
        frame["archived"] = archived
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)


def _contacts(conn: Connection, pid: int, *, include_archived: bool,
              where: SiteFilter | None, since: int | None = None) -> pd.DataFrame:
    stmt = (select(Contact.contact_key, Site.site_key, Contact.name, Contact.role,
                   Contact.email, Contact.phone)
            .join(Site, Contact.site_id == Site.id)
            .where(Contact.programme_id == pid).order_by(Contact.id))
    if not include_archived:
        stmt = stmt.where(Site.archived.is_(False))
    if where is not None:
        stmt = stmt.where(where.condition)
    if since is not None:
        stmt = stmt.where(Contact.written_version > since)
    return frame_from_rows(conn.execute(stmt).all(), CONTACT_COLUMNS, text=CONTACT_COLUMNS)


def _resources(conn: Connection, pid: int, *, include_archived: bool,
               where: SiteFilter | None, since: int | None = None) -> pd.DataFrame:
    stmt = (select(Resource.resource_key, Site.site_key, Resource.direction,
                   Resource.resource_class, Resource.ewc_code, Resource.hazardous,
                   Resource.description, Resource.quantity, Resource.unit, Resource.frequency,
                   Resource.fate, Resource.disposal_cost_per_year, Resource.provenance,
                   Resource.recorded_on, Resource.archived | Site.archived)
            .join(Site, Resource.site_id == Site.id)
            .where(Resource.programme_id == pid).order_by(Resource.id))
    if not include_archived:
        stmt = stmt.where(Resource.archived.is_(False), Site.archived.is_(False))
    if where is not None:
        stmt = stmt.where(where.condition)
    if since is not None:
        stmt = stmt.where(Resource.written_version > since)
    numbers = ["quantity", "disposal_cost_per_year"]
    text = [c for c in RESOURCE_COLUMNS if c not in {*numbers, "hazardous", "recorded_on"}]
    frame = frame_from_rows(conn.execute(stmt).all(), [*RESOURCE_COLUMNS, "archived"],
                            text=text, numbers=numbers, flags=["hazardous", "archived"],
                            dates=["recorded_on"])
    archived = frame.pop("archived")
    if include_archived:
        frame["archived"] = archived
    return frame


def read_programme(conn: Connection, pid: int, *, include_archived: bool,
                   where: SiteFilter | None = None) -> Programme:
    """The stored programme ``pid`` as a :class:`~geo.programme.Programme`.

    With ``where``, only the sites that pass the spatial filter, and their contacts and
    resources (every park is kept).
    """
    sites = read_sites(conn, pid, include_archived=include_archived, where=where)
    contacts = _contacts(conn, pid, include_archived=include_archived, where=where)
    resources = _resources(conn, pid, include_archived=include_archived, where=where)
    if where is not None and where.exact is not None:  # the SQL kept a bounding box
        kept = set(sites["site_id"])
        contacts = contacts[contacts["site_id"].isin(kept)].reset_index(drop=True)
        resources = resources[resources["site_id"].isin(kept)].reset_index(drop=True)
    return _programme(conn, pid, sites=sites, contacts=contacts, resources=resources)


def _programme(conn: Connection, pid: int, *, sites: gpd.GeoDataFrame, contacts: pd.DataFrame,
               resources: pd.DataFrame) -> Programme:
    name, illustrative, region_name, notes = conn.execute(
        select(ProgrammeRow.name, ProgrammeRow.illustrative, ProgrammeRow.region_name,
               ProgrammeRow.notes).where(ProgrammeRow.id == pid)).one()
    return Programme(
        name=name,
        parks=_parks(conn, pid),
        sites=sites,
        contacts=contacts,
        resources=resources,
        illustrative=bool(illustrative),
        region_name=region_name or "",
        notes={str(k): str(v) for k, v in (notes or {}).items()},
    )


@dataclass(frozen=True)
class ProgrammeSnapshot:
    """A programme's current records (archived ones left out) as read at one data version,
    with what identifies the stored programme: the base for reading only what was added since
    (:func:`read_snapshot`).

    Attributes
    ----------
    programme : Programme
        A shared object: copy frames before changing them.
    pid : int
        The programme's row id.
    created_at : datetime
        When the programme row was created (with ``pid``, tells a programme from one made
        anew under the same id, as in a database replaced under the same URL).
    version : int
        The data version the records are at.
    """

    programme: Programme
    pid: int
    created_at: dt.datetime
    version: int


def _added(base: _Frame, added: _Frame) -> _Frame:
    if added.empty:
        return base
    if base.empty:
        return added
    return cast("_Frame", pd.concat([base, added], ignore_index=True))


def read_snapshot(conn: Connection, pid: int, since: ProgrammeSnapshot | None) -> ProgrammeSnapshot:
    """Programme ``pid`` at the data version this transaction sees, read whole or — when
    ``since`` is the same programme at an earlier version and every write after it only added
    records (:mod:`geo.store.versions`) — as ``since`` plus the rows written after it.

    Rows come in the order of a whole read (by row id: writers of a programme take turns, so
    added rows have larger ids than the rows before them). Parks and the programme's own
    fields are always read again (a few rows).
    """
    created, version, reset = conn.execute(
        select(ProgrammeRow.created_at, ProgrammeRow.data_version,
               ProgrammeRow.records_reset_version).where(ProgrammeRow.id == pid)).one()
    version = int(version)
    if (since is None or since.pid != pid or since.created_at != created
            or not int(reset) <= since.version <= version):
        return ProgrammeSnapshot(read_programme(conn, pid, include_archived=False), pid,
                                 created, version)
    if since.version == version:
        return since
    base, after = since.programme, since.version
    prog = _programme(
        conn, pid,
        sites=_added(base.sites, read_sites(conn, pid, include_archived=False, since=after)),
        contacts=_added(base.contacts, _contacts(conn, pid, include_archived=False, where=None,
                                                 since=after)),
        resources=_added(base.resources, _resources(conn, pid, include_archived=False,
                                                    where=None, since=after)))
    return ProgrammeSnapshot(prog, pid, created, version)
