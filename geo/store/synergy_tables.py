"""Tables of synergies, their append-only history and outcomes (on :data:`geo.store.tables.Base`).

- ``synergies`` — the current state of each synergy, with a ``version`` column for optimistic
  locking (an UPDATE names the version it was made on and changes nothing if another save came
  first). Foreign keys to ``resources.id`` and ``sites.id`` have no ON DELETE action: a site or
  resource with synergies cannot be deleted, only archived, so the history survives.
- ``synergy_events`` — creation, stage changes (with notes and reasons), notes, reassignment,
  case studies and outcome entries; rows are only ever inserted.
- ``synergy_outcomes`` — outcome entries per synergy, type and year; a correction is a new
  row, the latest counts.
- ``synergy_settings`` — which outcome types a programme tracks, and its currency.

Revision ``0002`` of ``geo/store/migrations/versions`` creates them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from geo.store.tables import Base

__all__ = ["SynergyEventRow", "SynergyOutcomeRow", "SynergyRow", "SynergySettingsRow"]

_STAGES = ("idea", "identified", "in progress", "implemented", "completed", "abandoned")
_STAGE_CHECK = "stage IN (" + ", ".join(f"'{s}'" for s in _STAGES) + ")"


class SynergyRow(Base):
    """A synergy: one have of one site given to one want of another site."""

    __tablename__ = "synergies"
    __table_args__ = (
        UniqueConstraint("programme_id", "synergy_key"),
        CheckConstraint(_STAGE_CHECK, name="stage"),
        CheckConstraint("from_site_id <> to_site_id", name="different_sites"),
        CheckConstraint("version >= 1", name="version"),
        Index("ix_synergies_programme_stage", "programme_id", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    synergy_key: Mapped[str] = mapped_column(String(40))
    have_resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    want_resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    from_site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    to_site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    resource_class: Mapped[str | None] = mapped_column(String(20))
    ewc_code: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(20))
    practitioner: Mapped[str] = mapped_column(String(200))
    proposed_because: Mapped[str | None] = mapped_column(Text)
    distance_km: Mapped[float | None] = mapped_column(Float)
    distance_method: Mapped[str | None] = mapped_column(String(20))
    abandon_reason: Mapped[str | None] = mapped_column(Text)
    case_study: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)


class SynergyEventRow(Base):
    """One entry of a synergy's history (never updated or deleted)."""

    __tablename__ = "synergy_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    synergy_id: Mapped[int] = mapped_column(ForeignKey("synergies.id", ondelete="CASCADE"),
                                            index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(20))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    practitioner: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)


class SynergyOutcomeRow(Base):
    """One outcome entry: a figure of one type for one year (the latest entry counts)."""

    __tablename__ = "synergy_outcomes"
    __table_args__ = (CheckConstraint("value >= 0", name="value_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    synergy_id: Mapped[int] = mapped_column(ForeignKey("synergies.id", ondelete="CASCADE"),
                                            index=True)
    outcome_type: Mapped[str] = mapped_column(String(40))
    period: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    practitioner: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SynergySettingsRow(Base):
    """A programme's outcome configuration (tracked types, currency)."""

    __tablename__ = "synergy_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"),
                                              unique=True)
    tracked: Mapped[list[Any]] = mapped_column(JSON)
    currency: Mapped[str] = mapped_column(String(10))
