"""Per-programme data versions, kept in the database and bumped by every write.

Each programme row carries two counters:

- ``data_version`` — bumped by every transaction that writes the programme's records (sites,
  resources, contacts, parks, imports and their rejects, placements, archiving);
- ``synergy_version`` — bumped by every transaction that writes its synergies (creation,
  stage changes, notes, outcomes, the outcome settings).

A write that only adds records (an import) stamps them with its data version
(``written_version``); every other write of records also sets ``records_reset_version``.
:meth:`geo.store.Store.programme_snapshot` uses the two to bring a programme loaded earlier up
to date by reading only the added rows.

The bump is an ``UPDATE`` of the programme row **in the writing transaction itself**, so a
reader sees a new version exactly when it can see the new data, and never one without the
other. The app keys every cache on them: every session, in every app process, sees every
write at its next rerun. On PostgreSQL the bump is made first and holds the programme row's
lock until commit, so writers of one programme take turns (an import of a member list that
overlaps another's waits for it and then finds its sites, instead of failing on the unique
constraint); readers are never blocked.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from geo.store.tables import ProgrammeRow

__all__ = [
    "ProgrammeVersions",
    "bump_data_version",
    "bump_synergy_version",
    "read_versions",
    "written_version",
]


class ProgrammeVersions(NamedTuple):
    """A programme's data versions (both 0 for a programme that is not stored)."""

    programme: int
    """Bumped by every write to the programme's records."""
    synergies: int
    """Bumped by every write to its synergies, their history and outcomes."""


def bump_data_version(conn: Connection, pid: int, *, adds_only: bool = False) -> None:
    """Bump the programme's ``data_version`` in the caller's transaction (lock it first).

    ``adds_only`` says that the transaction only adds sites, resources and contacts (each
    stamped with the new version by :func:`written_version`), as an import does; any other
    write also moves ``records_reset_version`` to the new version, so that a programme loaded
    before it is read again whole rather than brought up to date by its additions.
    """
    values: dict[str, Any] = {"data_version": ProgrammeRow.data_version + 1}
    if not adds_only:
        values["records_reset_version"] = ProgrammeRow.data_version + 1
    conn.execute(update(ProgrammeRow).where(ProgrammeRow.id == pid).values(**values))


def written_version(conn: Connection, pid: int) -> int:
    """The programme's data version as the caller's transaction sees it: the version that
    rows added now are stamped with (after :func:`bump_data_version`)."""
    return int(conn.execute(select(ProgrammeRow.data_version)
                            .where(ProgrammeRow.id == pid)).scalar_one())


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
