"""Declarative SQLAlchemy 2 models of the programme database.

Portable to SQLite and PostgreSQL: park boundaries are stored as WKB in hex text (exact round
trip, readable by any GIS via ``ST_GeomFromWKB``), site points as ``lon``/``lat`` columns in
degrees (EPSG:4326). On PostgreSQL with PostGIS, :mod:`geo.store.spatial` adds geometry
columns computed from those (``sites.geom``, ``parks.boundary``, with spatial indexes) that
the spatial filters use; they are not models here because no other database has them.

Each programme row carries its data versions (``data_version``, ``synergy_version``; see
:mod:`geo.store.versions`), bumped in the same transaction as every write, and the newest
version whose write did more than add rows (``records_reset_version``); sites, resources and
contacts record the data version that added them (``written_version``), so that a programme
loaded earlier is brought up to date by reading only what was added since.

Keys: every table has an integer surrogate primary key ``id``; the string identifiers of the
programme frames (``park_id``, ``site_id``, ``contact_id``, ``resource_id`` in
:mod:`geo.programme`) are stored as ``*_key`` columns, unique per programme. Foreign keys
point at the integer ids, so renaming a key never breaks history.

Nothing a later record may point at is hard-deleted: sites and resources are *archived*
(``archived`` flag). Contacts are personal data and are deleted when a programme is replaced.

Other modules add tables to :data:`Base` (for example ``geo/store/synergy_tables.py``); every
module named ``geo/store/*_tables.py`` is imported by the migration environment so that
``alembic revision --autogenerate`` sees its tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "LOCATION_LEVELS",
    "Base",
    "Contact",
    "ImportBatch",
    "ImportReject",
    "Location",
    "LocationLevel",
    "Park",
    "ProgrammeRow",
    "Resource",
    "Site",
    "import_table_modules",
]

NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Deterministic constraint names, so later migrations can alter them (also on SQLite)."""

LOCATION_LEVELS: Final = (("country", "Country"), ("region", "Region"), ("city", "City"))
"""Default location hierarchy above parks: (key, label). A programme may relabel the levels
(for example ``region`` → "Province") in ``location_levels``; the keys match the columns of
the parks frame."""


class Base(DeclarativeBase):
    """Declarative base of every SymbioMap table (shared by later modules)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_CASCADE: Final = "CASCADE"


class ProgrammeRow(Base):
    """An industrial-symbiosis programme (the ``Programme`` dataclass minus its frames)."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    region_name: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    synergy_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    records_reset_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LocationLevel(Base):
    """One level of a programme's location hierarchy (0 = country, 1 = region, 2 = city)."""

    __tablename__ = "location_levels"
    __table_args__ = (UniqueConstraint("programme_id", "rank"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    rank: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text)


class Location(Base):
    """A node of the hierarchy (a country, a region in it, a city in that region)."""

    __tablename__ = "locations"
    __table_args__ = (
        Index("ix_locations_programme_level_name", "programme_id", "level", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete=_CASCADE))


class Park(Base):
    """An industrial park: boundary (WKB hex, EPSG:4326) under a location node."""

    __tablename__ = "parks"
    __table_args__ = (UniqueConstraint("programme_id", "park_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    park_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(Text)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    source: Mapped[str | None] = mapped_column(Text)
    boundary_wkb: Mapped[str | None] = mapped_column(Text)


class Site(Base):
    """A member site; located by ``lon``/``lat`` in degrees (EPSG:4326); archived, never deleted."""

    __tablename__ = "sites"
    __table_args__ = (
        UniqueConstraint("programme_id", "site_key"),
        Index("ix_sites_programme_lon_lat", "programme_id", "lon", "lat"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    site_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(Text)
    sector_nace: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    park_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id"))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    location_precision: Mapped[str | None] = mapped_column(String(20))
    location_source: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[str | None] = mapped_column(String(40))
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    written_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Contact(Base):
    """A person at a site (personal data: shown only to practitioners)."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("programme_id", "contact_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    contact_key: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete=_CASCADE))
    name: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    written_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ImportBatch(Base):
    """One import of a file: what came in, how many rows were stored or rejected."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer)
    provenance: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Resource(Base):
    """A have or want of a site, coded against the waste catalogue.

    ``ewc_code`` holds the catalogue's code: 6 digits for the EWC, longer for an opaque
    catalogue such as China's National Hazardous Waste List (``HW08 900-249-08``).

    ``import_key`` is the deterministic hash of the record's normalised fields
    (:func:`geo.store.keys.resource_import_keys`), unique per programme, so that importing
    the same file twice adds nothing. Archived resources release their key (NULL).
    """

    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("programme_id", "resource_key"),
        UniqueConstraint("programme_id", "import_key"),
        Index("ix_resources_programme_ewc_code", "programme_id", "ewc_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete=_CASCADE))
    resource_key: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete=_CASCADE), index=True)
    direction: Mapped[str] = mapped_column(String(4))
    resource_class: Mapped[str | None] = mapped_column(String(20))
    ewc_code: Mapped[str | None] = mapped_column(String(40))
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(10))
    frequency: Mapped[str | None] = mapped_column(String(20))
    fate: Mapped[str | None] = mapped_column(String(20))
    disposal_cost_per_year: Mapped[float | None] = mapped_column(Float)
    provenance: Mapped[str | None] = mapped_column(String(40))
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    import_key: Mapped[str | None] = mapped_column(String(80))
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    written_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ImportReject(Base):
    """A row of an import file that failed validation, kept until it is corrected.

    ``raw`` holds the row as read (header → text), ``errors`` a list of
    ``{"column", "field", "value", "message"}``; ``reject_key`` hashes ``raw`` so the same bad
    row is listed once, and a corrected re-import marks it ``resolved``.
    """

    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete=_CASCADE),
                                          index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    errors: Mapped[list[Any]] = mapped_column(JSON)
    reject_key: Mapped[str] = mapped_column(String(64), index=True)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


def import_table_modules() -> list[str]:
    """Import every ``geo/store/*_tables.py`` module, so all tables register on :data:`Base`.

    Returns the module names imported (used by the migration environment).
    """
    import importlib
    import pkgutil
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    names = sorted(m.name for m in pkgutil.iter_modules([here]) if m.name.endswith("_tables"))
    for name in names:
        importlib.import_module(f"geo.store.{name}")
    return names
