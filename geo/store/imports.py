"""Import batches and their rejected rows: recording an import atomically, listing rejects.

A batch records one file (name, SHA-256, row counts). Its valid sites, resources and contacts
and its rejected rows are written in the same transaction, so an import that fails, or whose
process is killed, leaves nothing behind. Rejected rows are
kept with their raw text and errors until a corrected re-import resolves them; a row already
on the unresolved list (same ``reject_key``) is not listed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from geo.store.frames import frame_from_rows
from geo.store.tables import ImportBatch, ImportReject
from geo.store.writes import add_contacts, insert_resources, insert_sites, new_id, now_utc

__all__ = ["REJECT_COLUMNS", "ImportOutcome", "read_rejects", "write_import"]

REJECT_COLUMNS = ["reject_id", "batch_id", "file_name", "imported_at", "row", "raw", "errors",
                  "message", "reject_key", "resolved"]
"""Columns of :meth:`Store.rejects`: ``raw`` is a dict header → text, ``errors`` a list of
dicts (``column``, ``field``, ``value``, ``message``), ``message`` the messages joined,
``imported_at`` a UTC time."""


@dataclass(frozen=True)
class ImportOutcome:
    """What :meth:`Store.record_import` stored.

    Attributes
    ----------
    batch_id : int
    sites_added : int
        New sites (sites already stored are matched, not added).
    imported : int
        New resource records.
    duplicates : int
        Resource rows skipped because their ``import_key`` was already stored.
    rejected : int
        Rows of the file that failed validation.
    rejects_added : int
        Rejected rows newly listed (one already on the unresolved list is not listed again).
    resolved : int
        Earlier rejects marked resolved by this import.
    contacts_added : int
        New contact people (a person already stored under the same ``contact_id`` is not).
    """

    batch_id: int
    sites_added: int
    imported: int
    duplicates: int
    rejected: int
    rejects_added: int
    resolved: int
    contacts_added: int = 0


def _unresolved_keys(conn: Connection, pid: int) -> set[str]:
    stmt = (select(ImportReject.reject_key).join(ImportBatch)
            .where(ImportBatch.programme_id == pid, ImportReject.resolved.is_(False)))
    return set(conn.execute(stmt).scalars())


def _resolve(conn: Connection, pid: int, keys: Iterable[str]) -> int:
    wanted = list(set(keys) & _unresolved_keys(conn, pid))
    if not wanted:
        return 0
    batch_ids = select(ImportBatch.id).where(ImportBatch.programme_id == pid)
    done = 0
    for start in range(0, len(wanted), 500):
        res = conn.execute(update(ImportReject)
                           .where(ImportReject.batch_id.in_(batch_ids),
                                  ImportReject.reject_key.in_(wanted[start:start + 500]),
                                  ImportReject.resolved.is_(False))
                           .values(resolved=True, resolved_at=now_utc()))
        done += int(res.rowcount or 0)
    return done


def write_import(conn: Connection, pid: int, *, file_name: str, sha256: str, rows: int,
                 sites: gpd.GeoDataFrame | None, resources: pd.DataFrame | None,
                 rejects: pd.DataFrame | None, provenance: str,
                 resolves: Iterable[str], contacts: pd.DataFrame | None = None) -> ImportOutcome:
    """Record a batch with its sites, resources and rejects (see :meth:`Store.record_import`)."""
    rejects = rejects if rejects is not None else pd.DataFrame(
        columns=["row", "raw", "errors", "reject_key"])
    batch_id = new_id(conn.execute(insert(ImportBatch).values(
        programme_id=pid, file_name=file_name, sha256=sha256, rows=int(rows), imported=0,
        duplicates=0, rejected=len(rejects), provenance=provenance, at=now_utc())))
    sites_added = insert_sites(conn, pid, sites) if sites is not None else 0
    imported, duplicates = (insert_resources(conn, pid, resources, batch_id)
                            if resources is not None else (0, 0))
    contacts_added = add_contacts(conn, pid, contacts) if contacts is not None else 0
    listed = _unresolved_keys(conn, pid)
    fresh = rejects[~rejects["reject_key"].isin(list(listed))
                    & ~rejects["reject_key"].duplicated()]
    if not fresh.empty:
        conn.execute(insert(ImportReject), [
            {"batch_id": batch_id, "row_number": int(r), "raw": raw, "errors": errs,
             "reject_key": key, "resolved": False}
            for r, raw, errs, key in zip(fresh["row"], fresh["raw"], fresh["errors"],
                                         fresh["reject_key"], strict=True)])
    resolved = _resolve(conn, pid, resolves)
    conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                 .values(imported=imported, duplicates=duplicates))
    return ImportOutcome(batch_id=batch_id, sites_added=sites_added, imported=imported,
                         duplicates=duplicates, rejected=len(rejects), rejects_added=len(fresh),
                         resolved=resolved, contacts_added=contacts_added)


def read_rejects(conn: Connection, pid: int, *, unresolved_only: bool) -> pd.DataFrame:
    """The programme's rejected rows, oldest first (columns: :data:`REJECT_COLUMNS`)."""
    stmt = (select(ImportReject.id, ImportReject.batch_id, ImportBatch.file_name, ImportBatch.at,
                   ImportReject.row_number, ImportReject.raw, ImportReject.errors,
                   ImportReject.reject_key, ImportReject.resolved)
            .join(ImportBatch, ImportReject.batch_id == ImportBatch.id)
            .where(ImportBatch.programme_id == pid)
            .order_by(ImportReject.batch_id, ImportReject.row_number))
    if unresolved_only:
        stmt = stmt.where(ImportReject.resolved.is_(False))
    cols = [c for c in REJECT_COLUMNS if c != "message"]
    frame = frame_from_rows(conn.execute(stmt).all(), cols, text=["file_name", "reject_key"],
                            flags=["resolved"])
    frame["message"] = pd.Series(
        ["; ".join(f"{e.get('column')}: {e.get('message')}" for e in errs)
         for errs in frame["errors"]], index=frame.index, dtype="str")
    # UTC-aware on every database (SQLite hands back naive UTC, PostgreSQL aware times)
    frame["imported_at"] = pd.to_datetime(frame["imported_at"], utc=True)
    return frame[REJECT_COLUMNS].astype({"reject_id": "int64", "batch_id": "int64",
                                         "row": "int64"})
