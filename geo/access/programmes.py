"""Which programmes exist for granting roles, and their park ids.

The stored programmes, plus the embedded demo where it is offered (``SYMBIOMAP_DEMO``) and not
stored under its own name already. Grants name programmes, so a role in the demo can be given
before (or without) saving it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from geo.demo import DEMO_NAME
from geo.i18n import _
from geo.store.tables import Park
from geo.store.writes import find_programme

if TYPE_CHECKING:
    from geo.store import Store

__all__ = ["available_programmes", "park_ids"]


def available_programmes(store: Store, *, demo: bool) -> list[str]:
    """The programmes roles can be granted in (stored ones, then the demo if offered)."""
    names = store.programme_names()
    if demo and DEMO_NAME not in names:
        names.append(DEMO_NAME)
    return names


def park_ids(store: Store, programme: str) -> list[str]:
    """The park ids of a programme (the embedded demo's when it is not stored)."""
    with store.read(_("read park ids")) as conn:
        pid = find_programme(conn, programme)
        if pid is not None:
            return sorted(str(k) for k in conn.execute(
                select(Park.park_key).where(Park.programme_id == pid)).scalars())
    if programme == DEMO_NAME:
        from geo.demo import load_demo_programme  # reads the OSM extract: only when needed

        return sorted(load_demo_programme().parks["park_id"].astype(str))
    return []
