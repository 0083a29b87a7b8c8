"""Tables of people, their roles per programme, and the audit log (on :data:`Base`).

- ``users`` — one row per person, keyed by the identity provider's subject (``sub``); an
  ``active`` flag (a disabled user loses access at the next interaction) and a preferred
  language.
- ``grants`` — one role per user and programme; the programme is named (the embedded demo has
  no row in ``programmes`` until it is saved); ``parks`` limits a park authority to those park
  ids (a JSON list; empty means the whole programme).
- ``audit_log`` — who did what to users, grants and protection settings, and when (rows are
  only ever inserted).

Revision ``0003`` of ``geo/store/migrations/versions`` creates them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from geo.store.tables import Base

__all__ = ["ROLE_CHECK", "AuditRow", "GrantRow", "UserRow"]

_ROLES: Final = ("administrator", "practitioner", "park_authority", "investor",
                 "logistics_planner")
ROLE_CHECK: Final = "role IN (" + ", ".join(f"'{r}'" for r in _ROLES) + ")"


class UserRow(Base):
    """A person who may sign in (matched on the provider's subject, else verified e-mail)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    name: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    language: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class GrantRow(Base):
    """A role held by a user in one programme."""

    __tablename__ = "grants"
    __table_args__ = (
        UniqueConstraint("user_id", "programme"),
        CheckConstraint(ROLE_CHECK, name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    programme: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    parks: Mapped[list[Any]] = mapped_column(JSON)
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    granted_by: Mapped[str] = mapped_column(String(255))


class AuditRow(Base):
    """One entry of the audit log (never updated or deleted)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(40))
    programme: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
