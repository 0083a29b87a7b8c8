"""Spatial filters on sites — near a point, within a park, within a bounding box — run by
the database when it is PostGIS, and by a bounding-box query plus an exact test in Python
otherwise.

The filters
-----------
:class:`Near` (geodesic distance on the WGS84 ellipsoid at most ``radius_m``),
:class:`InPark` (the site's point intersects the park's boundary: on the edge counts) and
:class:`InBBox` (``min_lon ≤ lon ≤ max_lon`` and ``min_lat ≤ lat ≤ max_lat``, degrees). All
take and compare coordinates in EPSG:4326; sites without a location (or with coordinates out
of range) never match. :meth:`geo.store.Store.sites` and :meth:`~geo.store.Store.load_programme`
take one as ``within=``.

How they run
------------
PostgreSQL with PostGIS
    :func:`ensure_postgis_columns` (run by :func:`geo.store.migrate.upgrade`) adds geometry
    columns computed by the database from the portable columns — ``sites.geom`` (a point
    from ``lon``/``lat``) and ``parks.boundary`` (from ``boundary_wkb``) — with GiST indexes
    (``geom``, ``geom::geography`` and ``boundary``). The filter is one SQL condition
    (``ST_DWithin`` on geography, ``ST_Intersects``, ``&&`` with an envelope) that uses them.
    They are generated columns, so no write path has to remember them and a backup need not
    carry them. They depend on the server having PostGIS, which is why they are added here
    rather than by a migration (a database whose owner enables PostGIS later gets them at the
    next start).
SQLite, or PostgreSQL without PostGIS
    The database selects the sites in the filter's bounding box (an index on
    ``programme_id, lon, lat``); Python keeps those that pass the exact test (pyproj's
    geodesic distance, shapely's ``intersects``). Same answers, more rows read. (SpatiaLite is
    not used: Python's own ``sqlite3`` often cannot load extensions, and the bounding-box
    query already keeps a desktop programme's reads small.)
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from pyproj import Geod
from sqlalchemy import and_, false, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement, TextClause

from geo.errors import StoreError
from geo.i18n import N_, _
from geo.store.tables import Park, Site

__all__ = [
    "POSTGIS_COLUMNS",
    "POSTGIS_INDEXES",
    "Area",
    "InBBox",
    "InPark",
    "Near",
    "SiteFilter",
    "ensure_postgis_columns",
    "has_postgis_columns",
    "site_filter",
]

logger = logging.getLogger(__name__)

POSTGIS_COLUMNS: Final = frozenset({("sites", "geom"), ("parks", "boundary")})
"""(table, column) of the PostGIS geometry columns (not models: see the module docstring)."""

POSTGIS_INDEXES: Final = frozenset({"ix_sites_geom", "ix_sites_geog", "ix_parks_boundary"})
"""Names of their spatial indexes."""

_POSTGIS_DDL: Final = (
    "ALTER TABLE sites ADD COLUMN IF NOT EXISTS geom geometry(Point, 4326) GENERATED ALWAYS AS "
    "(CASE WHEN lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90 "
    "THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED",
    "CREATE INDEX IF NOT EXISTS ix_sites_geom ON sites USING gist (geom)",
    "CREATE INDEX IF NOT EXISTS ix_sites_geog ON sites USING gist ((geom::geography))",
    "ALTER TABLE parks ADD COLUMN IF NOT EXISTS boundary geometry(Geometry, 4326) GENERATED "
    "ALWAYS AS (ST_GeomFromWKB(decode(boundary_wkb, 'hex'), 4326)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_parks_boundary ON parks USING gist (boundary)",
)
_GEOD: Final = Geod(ellps="WGS84")
_M_PER_DEG_LAT_MIN: Final = 110_574.0  # the meridian degree is shortest at the equator
_M_PER_DEG_LON_EQUATOR: Final = 111_319.49  # a·π/180 — a lower bound of the parallel degree


_POINT_MESSAGES: Final = {
    "centre": N_("The centre must be lon within [-180, 180] and lat within [-90, 90] degrees "
                 "(EPSG:4326), got lon={lon!r}, lat={lat!r}; swap them if they are reversed."),
    "south-west": N_("The south-west corner must be lon within [-180, 180] and lat within "
                     "[-90, 90] degrees (EPSG:4326), got lon={lon!r}, lat={lat!r}; swap them if "
                     "they are reversed."),
    "north-east": N_("The north-east corner must be lon within [-180, 180] and lat within "
                     "[-90, 90] degrees (EPSG:4326), got lon={lon!r}, lat={lat!r}; swap them if "
                     "they are reversed."),
}


def _check_lon_lat(lon: float, lat: float, which: str) -> None:
    ok = (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180
          and -90 <= lat <= 90)
    if not ok:
        raise StoreError(_(_POINT_MESSAGES[which]).format(lon=lon, lat=lat))


@dataclass(frozen=True)
class Near:
    """Sites at most ``radius_m`` metres (geodesic, WGS84) from the point ``lon``, ``lat``."""

    lon: float
    lat: float
    radius_m: float

    def __post_init__(self) -> None:
        _check_lon_lat(self.lon, self.lat, "centre")
        if not (math.isfinite(self.radius_m) and self.radius_m >= 0):
            msg = _("radius_m must be a distance in metres ≥ 0, got {radius!r}.").format(
                radius=self.radius_m)
            raise StoreError(msg)


@dataclass(frozen=True)
class InPark:
    """Sites whose point lies in the boundary of park ``park_id`` (its edge included)."""

    park_id: str

    def __post_init__(self) -> None:
        if not isinstance(self.park_id, str) or not self.park_id.strip():
            msg = _("park_id must name a park of the programme, got {park!r}.").format(
                park=self.park_id)
            raise StoreError(msg)


@dataclass(frozen=True)
class InBBox:
    """Sites with ``min_lon ≤ lon ≤ max_lon`` and ``min_lat ≤ lat ≤ max_lat`` (degrees)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __post_init__(self) -> None:
        _check_lon_lat(self.min_lon, self.min_lat, "south-west")
        _check_lon_lat(self.max_lon, self.max_lat, "north-east")
        if self.min_lon > self.max_lon or self.min_lat > self.max_lat:
            msg = _("A bounding box needs min_lon ≤ max_lon and min_lat ≤ max_lat, got {box}; a "
                    "box across the antimeridian is two boxes.").format(
                box=f"({self.min_lon}, {self.min_lat}, {self.max_lon}, {self.max_lat})")
            raise StoreError(msg)


Area = Near | InPark | InBBox
"""Any of the spatial filters."""

ExactTest = Callable[[np.ndarray, np.ndarray], np.ndarray]
Condition = ColumnElement[bool] | TextClause


@dataclass(frozen=True)
class SiteFilter:
    """A filter ready to run: an SQL condition on ``sites`` and, where that condition is only
    a bounding box, the exact test on the rows it returns (``lon``, ``lat`` → keep mask)."""

    condition: Condition
    exact: ExactTest | None = None


# -- PostGIS columns --------------------------------------------------------------------------


def has_postgis_columns(conn: Connection) -> bool:
    """Whether the database has the PostGIS geometry columns of this module."""
    if conn.dialect.name != "postgresql":
        return False
    found = conn.execute(text(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND ((table_name = 'sites' AND column_name = 'geom') OR "
        "(table_name = 'parks' AND column_name = 'boundary'))")).scalar()
    return int(found or 0) == len(POSTGIS_COLUMNS)


def ensure_postgis_columns(conn: Connection) -> bool:
    """Add the PostGIS columns and indexes where PostGIS can be had; returns whether they exist.

    Runs in the caller's transaction. Enables the ``postgis`` extension when the server has
    it and the database user may (a superuser, or the extension created beforehand by one:
    ``CREATE EXTENSION postgis;``); otherwise logs why and leaves the schema alone.
    """
    if conn.dialect.name != "postgresql":
        return False
    if has_postgis_columns(conn):
        return True
    installed = conn.execute(text(
        "SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).scalar()
    if not installed:
        available = conn.execute(text(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
        if not available:
            logger.info("PostGIS is not installed on this PostgreSQL server; spatial filters "
                        "run in Python (install postgresql-NN-postgis-3 to push them down)")
            return False
        try:
            with conn.begin_nested():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        except DBAPIError as exc:
            logger.warning("PostGIS is on the server but could not be enabled in this "
                           "database (%s); a superuser can run CREATE EXTENSION postgis. "
                           "Spatial filters run in Python meanwhile.", getattr(exc, "orig", exc))
            return False
    for ddl in _POSTGIS_DDL:
        conn.execute(text(ddl))
    logger.info("PostGIS geometry columns and spatial indexes added")
    return True


# -- filters ----------------------------------------------------------------------------------


def _in_range(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        ok: np.ndarray = (np.isfinite(lon) & np.isfinite(lat) & (lon >= -180) & (lon <= 180)
                          & (lat >= -90) & (lat <= 90))
    return ok


def _near_box(area: Near) -> Condition:
    """A lon/lat box holding every point within ``radius_m`` of the centre (with margin)."""
    dlat = area.radius_m / _M_PER_DEG_LAT_MIN * 1.01 + 1e-9
    lat_lo, lat_hi = area.lat - dlat, area.lat + dlat
    cond = Site.lat.between(lat_lo, lat_hi)
    far_lat = max(abs(lat_lo), abs(lat_hi))
    if far_lat >= 89.9:
        return cond
    dlon = area.radius_m / (_M_PER_DEG_LON_EQUATOR * math.cos(math.radians(far_lat))) * 1.01
    if area.lon - dlon < -180 or area.lon + dlon > 180:
        return cond  # across the antimeridian: the latitude band alone
    return and_(cond, Site.lon.between(area.lon - dlon, area.lon + dlon))


def _near_exact(area: Near) -> ExactTest:
    def keep(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        ok = _in_range(lon, lat)
        out = np.zeros(len(lon), dtype=bool)
        if ok.any():
            n = int(ok.sum())
            _, _, dist = _GEOD.inv(np.full(n, area.lon), np.full(n, area.lat), lon[ok], lat[ok])
            out[ok] = np.asarray(dist) <= area.radius_m
        return out

    return keep


def _park_boundary(conn: Connection, pid: int, park_id: str) -> str | None:
    row = conn.execute(select(Park.boundary_wkb).where(Park.programme_id == pid,
                                                       Park.park_key == park_id)).first()
    if row is None:
        known = sorted(str(k) for k in conn.execute(
            select(Park.park_key).where(Park.programme_id == pid)).scalars())
        msg = _("No park {park!r} in this programme; its parks are: {parks}.").format(
            park=park_id, parks=", ".join(known[:20]) or _("none"))
        raise StoreError(msg)
    return None if row[0] is None else str(row[0])


def _postgis_condition(area: Area, pid: int) -> Condition:
    if isinstance(area, Near):
        return text("ST_DWithin(sites.geom::geography, ST_SetSRID(ST_MakePoint(:sp_lon, "
                    ":sp_lat), 4326)::geography, :sp_radius_m)").bindparams(
            sp_lon=area.lon, sp_lat=area.lat, sp_radius_m=area.radius_m)
    if isinstance(area, InPark):
        return text("ST_Intersects(sites.geom, (SELECT sp_p.boundary FROM parks sp_p WHERE "
                    "sp_p.programme_id = :sp_pid AND sp_p.park_key = :sp_park))").bindparams(
            sp_pid=pid, sp_park=area.park_id)
    return text("sites.geom && ST_MakeEnvelope(:sp_x0, :sp_y0, :sp_x1, :sp_y1, 4326)").bindparams(
        sp_x0=area.min_lon, sp_y0=area.min_lat, sp_x1=area.max_lon,
        sp_y1=area.max_lat)


def site_filter(conn: Connection, pid: int, area: Area, *, postgis: bool) -> SiteFilter:
    """The :class:`SiteFilter` of ``area`` in programme ``pid``.

    Parameters
    ----------
    conn : Connection
    pid : int
        The programme's id (parks are looked up in it).
    area : Near, InPark or InBBox
    postgis : bool
        Whether the database has the PostGIS columns (:func:`has_postgis_columns`).

    Raises
    ------
    StoreError
        When ``area`` names a park the programme does not have.
    """
    if isinstance(area, InPark):
        wkb = _park_boundary(conn, pid, area.park_id)
        if wkb is None:
            return SiteFilter(false())
        if not postgis:
            boundary = shapely.from_wkb(wkb)
            shapely.prepare(boundary)
            x0, y0, x1, y1 = shapely.bounds(boundary)

            def in_park(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
                ok = _in_range(lon, lat)
                out = np.zeros(len(lon), dtype=bool)
                if ok.any():
                    out[ok] = shapely.intersects(boundary, shapely.points(lon[ok], lat[ok]))
                return out

            return SiteFilter(and_(Site.lon.between(x0, x1), Site.lat.between(y0, y1)),
                              in_park)
    if postgis:
        return SiteFilter(_postgis_condition(area, pid))
    if isinstance(area, Near):
        return SiteFilter(_near_box(area), _near_exact(area))
    assert isinstance(area, InBBox)
    return SiteFilter(and_(Site.lon.between(area.min_lon, area.max_lon),
                           Site.lat.between(area.min_lat, area.max_lat)))
