"""Backups of the programme database: one file, any database in, any database out.

:func:`write_backup` writes the whole database, or some programmes, to one file that
:func:`geo.store.restore.restore_backup` loads into SQLite or PostgreSQL alike — sites,
parks, resources, contacts, imports and their rejected rows, synergies with their whole
history and outcomes, the outcome settings, users and their grants, the audit log; every
table of :data:`geo.store.tables.Base` (:func:`table_scopes` refuses a table it cannot place).

The file
--------
Gzip-compressed JSON lines. The first line describes the backup (``format``,
``format_version``, the schema revision of the database it came from, when, which
programmes); then, per table in foreign-key order, a line ``{"table": …, "columns": […]}``
followed by one JSON array per row, ordered by id; the last line ``{"end": true, …}`` holds
the row count of every table and the SHA-256 of all bytes before it. Values are plain JSON;
times are ISO 8601 in UTC, dates ISO, floats exact (``repr``).

:func:`verify_backup` reads the file through before anything is restored and refuses it —
with the reason — when it is not a SymbioMap backup, comes from a newer SymbioMap (a format
or schema revision this code does not know), is truncated (no end line, or a gzip stream that
stops), or was altered or damaged (the checksum or a count does not match). The checksum
catches corruption and edits; it is not a signature against someone who recomputes it (sign
the file, e.g. with ``gpg``, for that).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Select, Table, select
from sqlalchemy.engine import Connection

from geo.errors import StoreError
from geo.i18n import _, format_number
from geo.store.migrate import head_revision, known_revisions
from geo.store.tables import Base, ProgrammeRow, import_table_modules

if TYPE_CHECKING:
    from geo.store.repository import Store

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "BackupSummary",
    "TableScope",
    "read_backup",
    "table_scopes",
    "verify_backup",
    "write_backup",
]

FORMAT: Final = "symbiomap-backup"
FORMAT_VERSION: Final = 1
MAX_LINE_BYTES: Final = 64 * 2**20
"""Longest line a restore reads (a row is far shorter; a longer line is refused)."""

_BATCH: Final = 2000


class BackupError(StoreError):
    """A backup cannot be written, or a file cannot be restored (the message says why)."""


ScopeKind = Literal["programme", "programme_id", "parent", "programme_name", "users"]


@dataclass(frozen=True)
class TableScope:
    """How the rows of one table belong to programmes.

    ``programme`` — the programmes table (by name); ``programme_id`` — a ``programme_id``
    column; ``parent`` — through the foreign key ``column`` to ``parent``, a table of one of
    these kinds; ``programme_name`` — a ``programme`` text column (grants, the audit log);
    ``users`` — people, shared by every programme (matched by their ``subject``).
    """

    table: Table
    kind: ScopeKind
    column: str = ""
    parent: str = ""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup file holds (from :func:`write_backup` or :func:`verify_backup`)."""

    path: Path
    programmes: tuple[str, ...]
    rows: dict[str, int]
    schema_revision: str
    created_at: str
    source: str
    whole_database: bool
    sha256: str
    names_in: dict[str, frozenset[str]] = field(default_factory=dict)
    """Programme names found in each ``programme_name`` table (grants, audit log)."""


def table_scopes() -> list[TableScope]:
    """Every table of :data:`Base`, in foreign-key order, with how it belongs to programmes.

    Raises
    ------
    BackupError
        When a table belongs to none of the kinds of :class:`TableScope`: a backup would miss
        it, so none is made (give the table a ``programme_id`` foreign key).
    """
    import_table_modules()
    scopes: dict[str, TableScope] = {}
    for table in Base.metadata.sorted_tables:
        cols = table.c
        if table.name == ProgrammeRow.__tablename__:
            scopes[table.name] = TableScope(table, "programme")
        elif table.name == "users":
            scopes[table.name] = TableScope(table, "users")
        elif "programme_id" in cols and any(fk.column.table.name == "programmes"
                                            for fk in cols["programme_id"].foreign_keys):
            scopes[table.name] = TableScope(table, "programme_id")
        elif "programme" in cols and not cols["programme"].foreign_keys:
            scopes[table.name] = TableScope(table, "programme_name")
        else:
            via = [(c.name, fk.column.table.name) for c in cols for fk in c.foreign_keys
                   if fk.column.table.name in scopes
                   and scopes[fk.column.table.name].kind != "users"]
            if not via:
                msg = (f"Table {table.name!r} belongs to no programme that a backup knows of; "
                       "give it a programme_id foreign key to programmes.id.")
                raise BackupError(msg)
            scopes[table.name] = TableScope(table, "parent", column=via[0][0], parent=via[0][1])
    return list(scopes.values())


def scoped_ids(scope: TableScope, scopes: dict[str, TableScope], pids: Sequence[int],
               names: Sequence[str]) -> Select[Any]:
    """SELECT of the ids of ``scope``'s rows that belong to programmes ``pids``/``names``."""
    t = scope.table
    if scope.kind == "programme":
        return select(t.c.id).where(t.c.id.in_(list(pids)))
    if scope.kind == "programme_id":
        return select(t.c.id).where(t.c.programme_id.in_(list(pids)))
    if scope.kind == "programme_name":
        return select(t.c.id).where(t.c.programme.in_(list(names)))
    if scope.kind == "parent":
        parent = scoped_ids(scopes[scope.parent], scopes, pids, names)
        return select(t.c.id).where(t.c[scope.column].in_(parent))
    grants = scopes.get("grants")
    if grants is None:  # pragma: no cover - the access tables are part of the schema
        return select(t.c.id).where(t.c.id.in_([]))
    return select(t.c.id).where(t.c.id.in_(
        select(grants.table.c.user_id).where(grants.table.c.programme.in_(list(names)))))


# -- values ---------------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """A column value as plain JSON (times in UTC ISO 8601, dates ISO)."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _order(table: Table) -> Column[Any]:
    return table.c.id


# -- writing ---------------------------------------------------------------------------------


class _Writer:
    """Lines into a gzip file, hashed as written."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh
        self.sha = hashlib.sha256()

    def line(self, obj: Any) -> None:
        data = (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        self.sha.update(data)
        self._fh.write(data)


def _stored_names(conn: Connection) -> list[str]:
    return [str(n) for n in conn.execute(select(ProgrammeRow.name)
                                         .order_by(ProgrammeRow.name)).scalars()]


def write_backup(store: Store, path: str | Path, *,
                 programmes: Sequence[str] | None = None) -> BackupSummary:
    """Write a backup of the database, or of some programmes, to ``path``.

    Parameters
    ----------
    store : Store
    path : str or Path
        The file (conventionally ``*.symbiomap.gz``); written to a temporary file beside it
        and renamed when complete, so ``path`` never holds half a backup.
    programmes : sequence of str, optional
        Only these programmes, with their users' accounts, their grants and their entries of
        the audit log. Default: the whole database (every programme, user, grant and audit
        entry).

    Returns
    -------
    BackupSummary

    Raises
    ------
    StoreError
        When a programme is unknown or the database cannot be read.
    """
    out = Path(path)
    scopes = table_scopes()
    by_name = {s.table.name: s for s in scopes}
    rows: dict[str, int] = {}
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with store.read(_("write a backup")) as conn, gzip.open(tmp, "wb", compresslevel=6) as fh:
            stored = _stored_names(conn)
            whole = programmes is None
            names = stored if programmes is None else list(dict.fromkeys(programmes))
            unknown = [n for n in names if n not in stored]
            if unknown:
                msg = _("No programme named {name!r} in the database (stored: {stored}).").format(
                    name=unknown[0], stored=stored or _("none"))
                raise BackupError(msg)
            pids = list(conn.execute(select(ProgrammeRow.id)
                                     .where(ProgrammeRow.name.in_(names))).scalars())
            revision = MigrationContext.configure(conn).get_current_revision() or ""
            created = dt.datetime.now(dt.UTC).isoformat()
            writer = _Writer(fh)
            writer.line({"format": FORMAT, "format_version": FORMAT_VERSION,
                         "schema_revision": revision, "created_at": created,
                         "source": conn.dialect.name, "whole_database": whole,
                         "programmes": names})
            for scope in scopes:
                table = scope.table
                columns = [c.name for c in table.c]
                writer.line({"table": table.name, "columns": columns})
                stmt = select(*table.c).order_by(_order(table))
                if not whole:
                    stmt = stmt.where(table.c.id.in_(scoped_ids(scope, by_name, pids, names)))
                n = 0
                for part in conn.execute(stmt.execution_options(yield_per=_BATCH)).partitions():
                    for row in part:
                        writer.line([encode_value(v) for v in row])
                    n += len(part)
                rows[table.name] = n
            sha = writer.sha.hexdigest()
            writer.line({"end": True, "rows": rows, "sha256": sha})
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupSummary(path=out, programmes=tuple(names), rows=rows,
                         schema_revision=revision, created_at=created,
                         source=store.engine.dialect.name, whole_database=whole, sha256=sha)


# -- reading ---------------------------------------------------------------------------------

Item = tuple[Literal["header"], dict[str, Any]] | tuple[Literal["table"], str, list[str]] \
    | tuple[Literal["row"], list[Any]] | tuple[Literal["end"], dict[str, Any]]


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with gzip.open(path, "rb") as fh:
            while True:
                line = fh.readline(MAX_LINE_BYTES + 1)
                if not line:
                    return
                if len(line) > MAX_LINE_BYTES:
                    msg = _("{file}: a line is longer than {limit} bytes; refused.").format(
                        file=path.name, limit=format_number(MAX_LINE_BYTES))
                    raise BackupError(msg)
                yield line
    except gzip.BadGzipFile as exc:
        if "not a gzipped file" in str(exc).lower():
            msg = _("{file} is not a SymbioMap backup (not a gzip file); nothing was "
                    "restored.").format(file=path.name)
        else:
            msg = _("{file} is damaged ({reason}); nothing was restored.").format(
                file=path.name, reason=exc)
        raise BackupError(msg) from exc
    except (EOFError, zlib.error) as exc:
        msg = _("{file} is truncated or damaged ({reason}); nothing was restored. Use a "
                "complete copy of the backup.").format(file=path.name, reason=exc)
        raise BackupError(msg) from exc
    except FileNotFoundError as exc:
        msg = _("No backup file at {path}.").format(path=path)
        raise BackupError(msg) from exc


def _check_header(header: Any, name: str) -> dict[str, Any]:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        msg = _("{file} is not a SymbioMap backup (its first line says otherwise).").format(
            file=name)
        raise BackupError(msg)
    version = header.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        msg = _("{file} was written by a newer SymbioMap (backup format {version!r}; this one "
                "reads up to {supported}). Upgrade SymbioMap, then restore it.").format(
            file=name, version=version, supported=FORMAT_VERSION)
        raise BackupError(msg)
    revision = header.get("schema_revision")
    if revision not in known_revisions():
        msg = _("{file} was written by a newer SymbioMap (schema revision {revision!r}; this one "
                "knows up to {known!r}). Upgrade SymbioMap, then restore it.").format(
            file=name, revision=revision, known=head_revision())
        raise BackupError(msg)
    return header


def read_backup(path: str | Path) -> Iterator[Item]:
    """The items of a backup file in order, checked as they are read.

    Yields ``("header", dict)``, then per table ``("table", name, columns)`` and its
    ``("row", values)``, then ``("end", dict)``. The end item comes only after the checksum
    and the counts were found right: a consumer that commits on it never commits a truncated
    or altered file.

    Raises
    ------
    BackupError
        With the reason, as soon as the file is found wanting.
    """
    p = Path(path)
    sha = hashlib.sha256()
    counts: dict[str, int] = {}
    table: str | None = None
    header_seen = False
    end: dict[str, Any] | None = None
    for line in _lines(p):
        if end is not None:
            msg = _("{file} has data after its end line: it was altered; nothing was "
                    "restored.").format(file=p.name)
            raise BackupError(msg)
        try:
            item = json.loads(line)
        except ValueError as exc:
            msg = _("{file} is damaged (a line is not JSON: {reason}); nothing was "
                    "restored.").format(file=p.name, reason=exc)
            raise BackupError(msg) from exc
        if not header_seen:
            yield "header", _check_header(item, p.name)
            header_seen = True
        elif isinstance(item, list):
            if table is None:
                msg = _("{file} is damaged (a row before any table); nothing was "
                        "restored.").format(file=p.name)
                raise BackupError(msg)
            counts[table] += 1
            yield "row", item
        elif isinstance(item, dict) and "table" in item:
            table = str(item["table"])
            counts[table] = 0
            yield "table", table, [str(c) for c in item.get("columns", [])]
        elif isinstance(item, dict) and item.get("end") is True:
            end = item
            if item.get("sha256") != sha.hexdigest():
                msg = _("{file} was altered or damaged: its checksum does not match its "
                        "content. Nothing was restored.").format(file=p.name)
                raise BackupError(msg)
            if item.get("rows") != counts:
                msg = _("{file} was altered or damaged: its row counts do not match its "
                        "content. Nothing was restored.").format(file=p.name)
                raise BackupError(msg)
            continue
        else:
            msg = _("{file} is damaged (an unexpected line); nothing was restored.").format(
                file=p.name)
            raise BackupError(msg)
        sha.update(line)
    if not header_seen:
        msg = _("{file} is empty: not a SymbioMap backup.").format(file=p.name)
        raise BackupError(msg)
    if end is None:
        msg = (_("{file} is truncated: it stops after table {table!r} without its end line. "
                 "Nothing was restored; use a complete copy of the backup.") if table else
               _("{file} is truncated: it stops without its end line. Nothing was restored; "
                 "use a complete copy of the backup.")).format(file=p.name, table=table)
        raise BackupError(msg)
    yield "end", end


def verify_backup(path: str | Path) -> BackupSummary:
    """Read a backup file through and describe it; raises :class:`BackupError` if unusable."""
    p = Path(path)
    header: dict[str, Any] = {}
    end: dict[str, Any] = {}
    name_cols: dict[str, int] = {}
    names_in: dict[str, set[str]] = {}
    table = ""
    for item in read_backup(p):
        if item[0] == "header":
            header = item[1]
        elif item[0] == "table":
            table, columns = item[1], item[2]
            if "programme" in columns and table != "programmes":
                name_cols[table] = columns.index("programme")
                names_in[table] = set()
        elif item[0] == "row":
            if table in name_cols and len(item[1]) > name_cols[table]:
                value = item[1][name_cols[table]]
                if isinstance(value, str):
                    names_in[table].add(value)
        else:
            end = item[1]
    return BackupSummary(path=p, programmes=tuple(str(n) for n in header.get("programmes", [])),
                         rows=dict(end.get("rows", {})),
                         schema_revision=str(header.get("schema_revision")),
                         created_at=str(header.get("created_at")),
                         source=str(header.get("source")),
                         whole_database=bool(header.get("whole_database")),
                         sha256=str(end.get("sha256")),
                         names_in={k: frozenset(v) for k, v in names_in.items()})
