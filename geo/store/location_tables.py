"""The location-level preset each programme uses (on :data:`Base`).

One row per programme, named like the disclosure rules (the embedded demo has no row in
``programmes`` until it is saved). No row means the ``default`` preset (Country / Region /
City / Park); see :mod:`geo.location_levels` for the presets and :mod:`geo.store.locations`
for reading and writing. Revision ``0006`` creates the table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from geo.store.tables import Base

__all__ = ["LocationPresetRow"]


class LocationPresetRow(Base):
    """A programme's location-level preset (``default``, ``china``, ``brazil``)."""

    __tablename__ = "location_presets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(Text, unique=True)
    preset: Mapped[str] = mapped_column(String(20))
    set_by: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
