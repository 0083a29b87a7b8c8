"""The disclosure rules a programme applies to what viewers see (on :data:`Base`).

One row per programme (named, like grants: the embedded demo has no row in ``programmes``
until it is saved). No row means the installation's defaults (``SYMBIOMAP_K``,
``SYMBIOMAP_P``). Rules below the floors are stored only when an administrator set them;
every change is in the audit log. Revision ``0005`` creates the table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from geo.store.tables import Base

__all__ = ["DisclosureRulesRow"]


class DisclosureRulesRow(Base):
    """A programme's minimum contributors ``k`` and dominance rule ``p`` (percent)."""

    __tablename__ = "disclosure_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(Text, unique=True)
    k: Mapped[int] = mapped_column(Integer)
    p_percent: Mapped[float] = mapped_column(Float)
    by_administrator: Mapped[bool] = mapped_column(Boolean)
    set_by: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
