"""Restoring a backup file (:mod:`geo.store.backup`) into the programme database.

:func:`restore_backup` checks the whole file first (:func:`~geo.store.backup.verify_backup`:
format, version, truncation, checksum) and then loads it **in one transaction**, reading it
again and checking it again before the commit: a file found wanting, a database error or a
killed process leaves the database exactly as it was.

What a restore does
-------------------
- The backup's programmes are created with every row they had: ids are kept when the target
  has no row in their way, else shifted past the target's (order kept), and every foreign key
  follows. A programme of the same name already stored is refused unless ``replace=True``,
  which deletes it first (in the same transaction).
- Users are matched by their ``subject``: a known user takes the backup's name, e-mail,
  status and language; others are added. Rows that name a programme rather than point at it
  (grants, disclosure rules) become exactly the backup's for the programmes it names. The
  audit log is appended to (entries already present are not repeated), and the restore
  itself is audited.
- Each restored programme's data versions become higher than both the backup's and the
  replaced programme's, so no app process serves a cached copy of the data it replaced.
- On PostgreSQL the tables written are locked against other writers (not readers) for the
  duration, and id sequences are moved past the restored ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy import types as sa_types
from sqlalchemy.engine import Connection

from geo.access.users import audit
from geo.i18n import N_, _
from geo.store.backup import (
    BackupError,
    BackupSummary,
    TableScope,
    encode_value,
    read_backup,
    scoped_ids,
    table_scopes,
    verify_backup,
)
from geo.store.tables import ProgrammeRow
from geo.store.versions import read_versions
from geo.store.writes import find_programme

if TYPE_CHECKING:
    from geo.store.repository import Store

__all__ = ["RestoreSummary", "restore_backup"]

_BATCH: Final = 2000
_PROGRAMME_KINDS: Final = ("programme", "programme_id", "parent")


@dataclass(frozen=True)
class RestoreSummary:
    """What :func:`restore_backup` did."""

    backup: BackupSummary
    programmes: tuple[str, ...]
    """The programmes restored."""
    replaced: tuple[str, ...]
    """Those of them that were stored before (and were replaced)."""
    rows: dict[str, int]
    """Rows written per table (audit entries already present are not counted)."""


Decoder = Callable[[Any], Any]


def _decoder(table: str, column: str, type_: sa_types.TypeEngine[Any], where: str) -> Decoder:
    def bad(value: Any, expected: str) -> BackupError:
        # Translators: {expected} is a kind of value, e.g. "a whole number".
        return BackupError(_("{file}: {column} holds {value!r}, not {expected}; the file was "
                             "altered. Nothing was restored.").format(
            file=where, column=f"{table}.{column}", value=value, expected=_(expected)))

    def check(ok: Callable[[Any], bool], expected: str,
              convert: Callable[[Any], Any] = lambda v: v) -> Decoder:
        def decode(value: Any) -> Any:
            if value is None:
                return None
            if not ok(value):
                raise bad(value, expected)
            try:
                return convert(value)
            except ValueError as exc:
                raise bad(value, expected) from exc
        return decode

    if isinstance(type_, sa_types.DateTime):
        return check(lambda v: isinstance(v, str), N_("a time"),
                     lambda v: dt.datetime.fromisoformat(v).astimezone(dt.UTC))
    if isinstance(type_, sa_types.Date):
        return check(lambda v: isinstance(v, str), N_("a date"), dt.date.fromisoformat)
    if isinstance(type_, sa_types.Boolean):
        return check(lambda v: isinstance(v, bool), N_("true or false"))
    if isinstance(type_, sa_types.Integer):
        return check(lambda v: isinstance(v, int) and not isinstance(v, bool),
                     N_("a whole number"))
    if isinstance(type_, sa_types.Float):
        return check(lambda v: isinstance(v, int | float) and not isinstance(v, bool),
                     N_("a number"), float)
    if isinstance(type_, sa_types.String):
        return check(lambda v: isinstance(v, str), N_("text"))
    return lambda v: v  # JSON: any JSON value


def _delete_programmes(conn: Connection, scopes: list[TableScope], pids: list[int],
                       names: list[str]) -> None:
    by_name = {s.table.name: s for s in scopes}
    for scope in reversed(scopes):
        if scope.kind in _PROGRAMME_KINDS:
            ids = scoped_ids(scope, by_name, pids, names)
            conn.execute(delete(scope.table).where(scope.table.c.id.in_(ids)))


class _Loader:
    """Rows of the backup into the tables: ids shifted where needed, foreign keys followed."""

    def __init__(self, conn: Connection, scopes: list[TableScope], where: str) -> None:
        self.conn = conn
        self.by_name = {s.table.name: s for s in scopes}
        self.where = where
        self.offsets: dict[str, int] = {}
        self.users: dict[int, int] = {}
        self.rows: dict[str, int] = {}
        self.versions: dict[str, tuple[int, int]] = {}
        self._table: Table | None = None
        self._columns: list[str] = []
        self._decoders: list[Decoder] = []
        self._pending: list[dict[str, Any]] = []
        self._audit_seen: set[tuple[Any, ...]] = set()

    def start(self, name: str, columns: list[str]) -> None:
        self.flush()
        scope = self.by_name.get(name)
        if scope is None:
            msg = _("{file} has a table {table!r} this SymbioMap does not know; refused.").format(
                file=self.where, table=name)
            raise BackupError(msg)
        table = scope.table
        unknown = [c for c in columns if c not in table.c]
        if unknown or "id" not in columns:
            msg = _("{file}: table {table!r} has columns this SymbioMap does not know "
                    "({columns}); refused.").format(file=self.where, table=name,
                                                    columns=unknown or [_("no id")])
            raise BackupError(msg)
        self._table, self._columns = table, columns
        self._decoders = [_decoder(name, c, table.c[c].type, self.where) for c in columns]
        self.rows[name] = 0
        if name == "audit_log":
            self._audit_seen = {
                (encode_value(at), actor, action, programme) for at, actor, action, programme
                in self.conn.execute(select(table.c.at, table.c.actor, table.c.action,
                                            table.c.programme))}

    def _offset(self, table: Table, first_id: int) -> int:
        top = self.conn.execute(select(func.max(table.c.id))).scalar()
        return 0 if top is None or int(top) < first_id else int(top) - first_id + 1

    def _follow(self, table: Table, row: dict[str, Any]) -> None:
        for column in table.c:
            value = row.get(column.name)
            if value is None:
                continue
            for fk in column.foreign_keys:
                target = fk.column.table.name
                if target == "users":
                    if value not in self.users:
                        msg = _("{file}: {table} refers to a user it does not hold.").format(
                            file=self.where, table=table.name)
                        raise BackupError(msg)
                    row[column.name] = self.users[value]
                elif target in self.offsets:
                    row[column.name] = value + self.offsets[target]
                else:
                    msg = _("{file}: {column} refers to {target}, which the backup does not "
                            "hold; refused.").format(file=self.where,
                                                     column=f"{table.name}.{column.name}",
                                                     target=target)
                    raise BackupError(msg)

    def add(self, values: list[Any]) -> None:
        table = self._table
        if table is None or len(values) != len(self._columns):
            msg = _("{file}: a row does not fit its table's columns; refused.").format(
                file=self.where)
            raise BackupError(msg)
        row = {c: d(v) for c, d, v in zip(self._columns, self._decoders, values, strict=True)}
        if not isinstance(row["id"], int):
            msg = _("{file}: a row of {table} has no id; refused.").format(file=self.where,
                                                                           table=table.name)
            raise BackupError(msg)
        name = table.name
        if name == "audit_log":
            key = (encode_value(row.get("at")), row.get("actor"), row.get("action"),
                   row.get("programme"))
            if key in self._audit_seen:
                return
        if name not in self.offsets:
            self.offsets[name] = self._offset(table, row["id"])
        old_id = row["id"]
        row["id"] = old_id + self.offsets[name]
        self._follow(table, row)
        if name == "programmes":
            self.versions[str(row["name"])] = (int(row.pop("data_version", 0) or 0),
                                               int(row.pop("synergy_version", 0) or 0))
        if name == "users":
            known = self.conn.execute(select(table.c.id).where(
                table.c.subject == row["subject"])).scalar()
            if known is not None:
                self.users[old_id] = int(known)
                values_ = {k: v for k, v in row.items() if k != "id"}
                self.conn.execute(update(table).where(table.c.id == known).values(**values_))
                self.rows[name] += 1
                return
            self.users[old_id] = row["id"]
        self._pending.append(row)
        self.rows[name] += 1
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._table is not None and self._pending:
            self.conn.execute(insert(self._table), self._pending)
        self._pending = []

    def reset_sequences(self) -> None:
        """PostgreSQL: move each written table's id sequence past its largest id."""
        if self.conn.dialect.name != "postgresql":
            return
        for name in self.rows:  # table names of the schema, never from the file
            self.conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def restore_backup(store: Store, path: str | Path, *, replace: bool = False,
                   actor: str) -> RestoreSummary:
    """Restore a backup file into the store, wholly or not at all (see the module docstring).

    Parameters
    ----------
    store : Store
    path : str or Path
    replace : bool
        Replace programmes of the same name that are already stored (default: refuse).
    actor : str
        Who restores (for the audit log), e.g. ``cli:ana``.

    Raises
    ------
    BackupError
        When the file is not a usable backup (not one, from a newer SymbioMap, truncated,
        altered) or would overwrite a stored programme without ``replace``.
    StoreError
        When the database refuses it (nothing was restored).
    """
    p = Path(path)
    summary = verify_backup(p)
    scopes = table_scopes()
    names = list(summary.programmes)
    with store.transaction(_("restore a backup")) as conn:
        if conn.dialect.name == "postgresql":
            tables = ", ".join(s.table.name for s in scopes)
            conn.execute(text(f"LOCK TABLE {tables} IN EXCLUSIVE MODE"))
        present = {n: pid for n in names if (pid := find_programme(conn, n)) is not None}
        if present and not replace:
            msg = _("{file} holds programme(s) already stored here: {names!r}. Nothing was "
                    "restored; restore with --replace to replace them (their current data is "
                    "lost: back it up first), or into another database.").format(
                file=p.name, names=sorted(present))
            raise BackupError(msg)
        before = {n: read_versions(conn, n) for n in present}
        _delete_programmes(conn, scopes, list(present.values()), list(present))
        for scope in scopes:  # grants, per-programme settings named by programme
            if scope.kind == "programme_name" and scope.table.name != "audit_log":
                named = set(names) | set(summary.names_in.get(scope.table.name, frozenset()))
                conn.execute(delete(scope.table).where(
                    scope.table.c.programme.in_(sorted(named))))
        loader = _Loader(conn, scopes, p.name)
        for item in read_backup(p):
            if item[0] == "table":
                loader.start(item[1], item[2])
            elif item[0] == "row":
                loader.add(item[1])
            elif item[0] == "end":
                loader.flush()
                if item[1].get("sha256") != summary.sha256:
                    msg = _("{file} changed while it was being restored; nothing was "
                            "restored.").format(file=p.name)
                    raise BackupError(msg)
        loader.reset_sequences()
        for name, (data_v, syn_v) in loader.versions.items():
            old = before.get(name, (0, 0))
            data_version = max(data_v, old[0]) + 1
            conn.execute(update(ProgrammeRow).where(ProgrammeRow.name == name).values(
                data_version=data_version, records_reset_version=data_version,
                synergy_version=max(syn_v, old[1]) + 1))
        audit(conn, actor=actor, action="restore", file=p.name, sha256=summary.sha256,
              programmes=names, replaced=sorted(present))
    return RestoreSummary(backup=summary, programmes=tuple(names),
                          replaced=tuple(sorted(present)), rows=loader.rows)
