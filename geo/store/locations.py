"""Read and set the location-level preset of a programme (see :mod:`geo.location_levels`).

A programme without a stored preset uses ``default``. Setting one is written to the audit
log with who set it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select

from geo.i18n import _
from geo.location_levels import DEFAULT_PRESET, PRESETS, check_preset
from geo.store.location_tables import LocationPresetRow

if TYPE_CHECKING:
    from geo.store import Store

__all__ = ["programme_location_preset", "set_programme_location_preset"]


def programme_location_preset(store: Store, programme: str) -> str:
    """The preset ``programme`` uses: its own where set (and known), else ``default``."""
    with store.read(_("read the location levels")) as conn:
        name = conn.execute(select(LocationPresetRow.preset)
                            .where(LocationPresetRow.programme == programme)).scalar()
    return name if name in PRESETS else DEFAULT_PRESET


def set_programme_location_preset(store: Store, programme: str, preset: str, *,
                                  actor: str) -> str:
    """Set ``programme``'s preset (audited); returns it.

    Raises
    ------
    StoreError
        For an unknown preset (the message lists the presets), or when the database cannot
        be written.
    """
    check_preset(preset)
    from geo.access.users import audit

    with store.transaction(_("set the location levels")) as conn:
        conn.execute(delete(LocationPresetRow).where(LocationPresetRow.programme == programme))
        conn.execute(insert(LocationPresetRow).values(
            programme=programme, preset=preset, set_by=actor, set_at=dt.datetime.now(dt.UTC)))
        audit(conn, actor=actor, action="location_levels", programme=programme, preset=preset)
    return preset
