"""Tests of geo.store.backup: what a backup holds, and the files it refuses (not a backup,
from a newer version, truncated, altered) with the reason."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.store import Store
from geo.store.backup import (
    BackupError,
    table_scopes,
    verify_backup,
    write_backup,
)
from geo.store.migrate import head_revision
from geo.store.tables import Base
from tests.geo.store.samples import dump, populate


def rewrite(path: Path, edit: Callable[[list[bytes]], list[bytes]], *,
            fix_checksum: bool) -> Path:
    """Edit a backup's lines; with ``fix_checksum`` recompute its end line to match."""
    import hashlib

    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    lines = edit(lines)
    if fix_checksum:
        end = json.loads(lines[-1])
        end["sha256"] = hashlib.sha256(b"".join(lines[:-1])).hexdigest()
        lines[-1] = (json.dumps(end) + "\n").encode()
    out = path.with_name("edited-" + path.name)
    out.write_bytes(gzip.compress(b"".join(lines)))
    return out


@pytest.fixture
def backup(store: Store, tmp_path: Path) -> Path:
    """A backup of a populated store (on each backend)."""
    populate(store)
    path = tmp_path / "all.symbiomap.gz"
    write_backup(store, path)
    return path


def test_every_table_belongs_somewhere() -> None:
    """table_scopes places every table of the schema (a new table without a scope fails here)."""
    scopes = {s.table.name: s for s in table_scopes()}
    assert set(scopes) == set(Base.metadata.tables)
    assert scopes["sites"].kind == "programme_id"
    assert (scopes["synergy_events"].kind, scopes["synergy_events"].parent) == ("parent",
                                                                                "synergies")
    assert (scopes["import_rejects"].kind, scopes["import_rejects"].parent) == (
        "parent", "import_batches")
    assert scopes["grants"].kind == scopes["audit_log"].kind == "programme_name"
    assert scopes["disclosure_rules"].kind == "programme_name"
    assert scopes["users"].kind == "users"


def test_backup_holds_every_row_of_every_table(store: Store, backup: Path) -> None:
    """The whole-database backup counts every row of every table, and verifies."""
    summary = verify_backup(backup)
    assert summary.rows == {table: len(rows) for table, rows in dump(store).items()}
    assert summary.whole_database
    assert summary.programmes == ("Other programme", "Synergy programme")
    assert summary.schema_revision == head_revision()
    assert summary.names_in["grants"] == {"Synergy programme", "Other programme"}


def test_programme_backup_holds_that_programme_its_people_and_audit(store: Store,
                                                                     tmp_path: Path) -> None:
    """--programme: its rows only, the users granted a role in it, their grants, its audit."""
    populate(store)
    summary = write_backup(store, tmp_path / "other.gz", programmes=["Other programme"])
    assert summary.programmes == ("Other programme",)
    assert summary.rows["programmes"] == 1 and summary.rows["sites"] == 3
    assert summary.rows["synergies"] == 0 and summary.rows["import_batches"] == 0
    assert summary.rows["users"] == 1 and summary.rows["grants"] == 1
    assert summary.rows["disclosure_rules"] == 1
    assert summary.rows["audit_log"] == 2  # grant and rules; add_user entries name none


def test_unknown_programme_writes_no_file(store: Store, tmp_path: Path) -> None:
    """Asking for a programme that is not stored names the stored ones and leaves no file."""
    populate(store)
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(BackupError, match="Other programme"):
        write_backup(store, folder / "x.gz", programmes=["Nope"])
    assert list(folder.iterdir()) == []


def test_truncated_file_is_refused(backup: Path) -> None:
    """A file cut short (in the gzip stream, or before its end line) is refused as truncated."""
    raw = backup.read_bytes()
    cut = backup.with_name("cut.gz")
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BackupError, match="truncated"):
        verify_backup(cut)
    no_end = rewrite(backup, lambda lines: lines[:-1], fix_checksum=False)
    with pytest.raises(BackupError, match="truncated: it stops after table"):
        verify_backup(no_end)


def test_altered_file_is_refused(backup: Path) -> None:
    """A changed value, or a dropped row with the checksum made to fit, is refused."""
    def rename(lines: list[bytes]) -> list[bytes]:
        return [line.replace(b"Acme Oy", b"Evil Oy") for line in lines]

    with pytest.raises(BackupError, match="checksum does not match"):
        verify_backup(rewrite(backup, rename, fix_checksum=False))

    def drop_a_row(lines: list[bytes]) -> list[bytes]:
        i = next(i for i, line in enumerate(lines) if b"Acme Oy" in line)
        return lines[:i] + lines[i + 1:]

    with pytest.raises(BackupError, match="row counts do not match"):
        verify_backup(rewrite(backup, drop_a_row, fix_checksum=True))


@pytest.mark.parametrize(("field", "value"), [("schema_revision", "9999"),
                                              ("format_version", 2)])
def test_file_from_a_newer_version_is_refused(backup: Path, field: str, value: object) -> None:
    """A newer schema revision or backup format is refused: upgrade SymbioMap first."""
    def newer(lines: list[bytes]) -> list[bytes]:
        header = json.loads(lines[0])
        header[field] = value
        return [(json.dumps(header) + "\n").encode(), *lines[1:]]

    with pytest.raises(BackupError, match=r"newer SymbioMap.*Upgrade SymbioMap"):
        verify_backup(rewrite(backup, newer, fix_checksum=True))


def test_other_files_are_refused(tmp_path: Path) -> None:
    """A file that is not a backup, or is empty, or missing, is refused by name."""
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(BackupError, match="not a SymbioMap backup"):
        verify_backup(text)
    other = tmp_path / "other.gz"
    other.write_bytes(gzip.compress(b'{"format": "something-else"}\n'))
    with pytest.raises(BackupError, match="not a SymbioMap backup"):
        verify_backup(other)
    with pytest.raises(BackupError, match="No backup file"):
        verify_backup(tmp_path / "missing.gz")
