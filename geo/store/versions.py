"""Per-programme data versions, kept in the database and bumped by every write.

Each programme row carries two counters:

- ``data_version`` — bumped by every transaction that writes the programme's records (sites,
  resources, contacts, parks, imports and their rejects, placements, archiving);
- ``synergy_version`` — bumped by every transaction that writes its synergies (creation,
  stage changes, notes, outcomes, the outcome settings).

The bump is an ``UPDATE`` of the programme row **in the writing transaction itself**, so a
reader sees a new version exactly when it can see the new data, and never one without the
other. The app keys every cache on them: every session, in every app process, sees every
write at its next rerun. On PostgreSQL the bump is made first and holds the programme row's
lock until commit, so writers of one programme take turns (an import of a member list that
overlaps another's waits for it and then finds its sites, instead of failing on the unique
constraint); readers are never blocked.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from geo.store.tables import ProgrammeRow

__all__ = ["ProgrammeVersions", "bump_data_version", "bump_synergy_version", "read_versions"]


class ProgrammeVersions(NamedTuple):
    """A programme's data versions (both 0 for a programme that is not stored)."""

    programme: int
    """Bumped by every write to the programme's records."""
    synergies: int
    """Bumped by every write to its synergies, their history and outcomes."""


def bump_data_version(conn: Connection, pid: int) -> None:
    """Bump the programme's ``data_version`` in the caller's transaction (lock it first)."""
    conn.execute(update(ProgrammeRow).where(ProgrammeRow.id == pid)
                 .values(data_version=ProgrammeRow.data_version + 1))


def bump_synergy_version(conn: Connection, pid: int) -> None:
    """Bump the programme's ``synergy_version`` in the caller's transaction."""
    conn.execute(update(ProgrammeRow).where(ProgrammeRow.id == pid)
                 .values(synergy_version=ProgrammeRow.synergy_version + 1))


def read_versions(conn: Connection, name: str) -> ProgrammeVersions:
    """The versions of programme ``name`` ((0, 0) when it is not stored)."""
    row = conn.execute(select(ProgrammeRow.data_version, ProgrammeRow.synergy_version)
                       .where(ProgrammeRow.name == name)).first()
    if row is None:
        return ProgrammeVersions(0, 0)
    return ProgrammeVersions(int(row[0]), int(row[1]))
