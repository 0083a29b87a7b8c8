"""Tests of geo.store.restore: exact round trips between SQLite and PostgreSQL in both
directions, replace, merging into a database with other data, and nothing half restored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from geo import access
from geo.errors import StoreError
from geo.store import Store, open_store
from geo.store.backup import BackupError, write_backup
from geo.store.restore import restore_backup
from geo.synergies import repository as repo
from tests.geo.store.samples import dump, populate, tiny_programme
from tests.geo.store.test_backup import rewrite

NAME = "Synergy programme"


@pytest.fixture
def source(store: Store, tmp_path: Path) -> tuple[Store, Path]:
    """A populated store (each backend) and its whole-database backup."""
    populate(store)
    path = tmp_path / "all.symbiomap.gz"
    write_backup(store, path)
    return store, path


@pytest.fixture
def target(target_url: str) -> Iterator[Store]:
    """A second, empty store (each backend)."""
    opened = open_store(target_url)
    yield opened
    opened.engine.dispose()


def assert_same_programme(a: Store, b: Store, name: str) -> None:
    """Frames, archived ones included, and the synergy book are equal."""
    pa, pb = (s.load_programme(name, include_archived=True) for s in (a, b))
    for frame in ("parks", "sites", "contacts", "resources"):
        assert_frame_equal(getattr(pa, frame), getattr(pb, frame))
    ba, bb = repo.load_book(a, name), repo.load_book(b, name)
    for frame in ("synergies", "events", "outcomes"):
        assert_frame_equal(getattr(ba, frame), getattr(bb, frame))
    assert_frame_equal(a.import_batches(name), b.import_batches(name))
    assert_frame_equal(a.rejects(name, unresolved_only=False),
                       b.rejects(name, unresolved_only=False))


def test_round_trip_is_exact_between_backends(source: tuple[Store, Path],
                                              target: Store) -> None:
    """SQLite ⇄ PostgreSQL, every direction: every row of every table comes back equal (ids
    too, into an empty database), and the restore is audited."""
    store, path = source
    summary = restore_backup(target, path, actor="cli:test")
    assert summary.programmes == ("Other programme", "Synergy programme")
    assert dump(target) == dump(store)
    assert_same_programme(store, target, NAME)
    assert access.sign_in(target, "sub-ana").status == "ok"
    assert access.sign_in(target, "sub-eero").status == "disabled"
    assert access.audit_log(target, limit=1)["action"].tolist() == ["restore"]
    for name in summary.programmes:
        old, new = store.data_versions(name), target.data_versions(name)
        assert new.programme > old.programme and new.synergies > old.synergies


def test_restored_database_keeps_working(source: tuple[Store, Path], target: Store) -> None:
    """After a restore, new rows get new ids (sequences moved on) and synergies go on."""
    _, path = source
    restore_backup(target, path, actor="cli:test")
    target.create_programme("Brand new")
    target.add_sites("Brand new", tiny_programme().sites.assign(park_id=None))
    sid = repo.load_book(target, NAME).synergies["synergy_id"].iloc[0]
    repo.change_stage(target, NAME, sid, "completed", expected_version=3, practitioner="Ana")
    access.add_user(target, "sub-new", actor="admin")
    assert len(target.sites("Brand new")) == 3


def test_existing_programme_is_refused_without_replace(source: tuple[Store, Path]) -> None:
    """Restoring over a stored programme is refused with the fix, and changes nothing."""
    store, path = source
    before = dump(store)
    with pytest.raises(BackupError, match=r"already stored.*--replace"):
        restore_backup(store, path, actor="cli:test")
    assert dump(store) == before


def test_replace_brings_the_backup_state_back(source: tuple[Store, Path]) -> None:
    """With replace, later changes are undone: the programme is as backed up, grants too,
    and its versions are higher than before the restore (no stale caches)."""
    store, path = source
    copy = open_store(store.engine.url.render_as_string(hide_password=False))
    before = {n: store.load_programme(n, include_archived=True) for n in (NAME,)}
    book = repo.load_book(store, NAME)
    store.archive_site("S1", programme=NAME)
    sid = book.synergies["synergy_id"].iloc[0]
    repo.change_stage(store, NAME, sid, "completed", expected_version=3, practitioner="Ana")
    access.grant(store, "sub-eero", "investor", programme=NAME, available=[NAME], actor="a")
    versions = store.data_versions(NAME)
    summary = restore_backup(store, path, replace=True, actor="cli:test")
    assert summary.replaced == ("Other programme", "Synergy programme")
    after = store.load_programme(NAME, include_archived=True)
    assert_frame_equal(after.sites, before[NAME].sites)
    assert_frame_equal(repo.load_book(store, NAME).events, book.events)
    roles = access.list_users(store).set_index(["subject", "programme"])["role"].to_dict()
    assert ("sub-eero", NAME) not in roles
    new = copy.data_versions(NAME)
    assert new.programme > versions.programme and new.synergies > versions.synergies
    copy.engine.dispose()


def test_restore_next_to_other_data_shifts_ids(source: tuple[Store, Path], target: Store,
                                               tmp_path: Path) -> None:
    """Into a database holding other programmes, ids move past theirs and keys follow."""
    store, _ = source
    target.save_programme(tiny_programme("Resident"))
    access.add_user(target, "sub-ana", email="old@example.org", actor="admin")
    path = tmp_path / "one.gz"
    write_backup(store, path, programmes=[NAME])
    restore_backup(target, path, actor="cli:test")
    assert sorted(target.programme_names()) == ["Resident", NAME]
    assert_same_programme(store, target, NAME)
    users = access.list_users(target).set_index("subject")
    assert users.loc["sub-ana", "email"] == "ana@example.org"  # the backup's values win
    assert users.loc["sub-ana", "programme"] == NAME
    assert len(target.load_programme("Resident").sites) == 3


def test_nothing_is_half_restored(source: tuple[Store, Path], target: Store) -> None:
    """A file whose checksum fits but whose last table breaks a constraint restores nothing."""
    _, path = source

    def break_last_outcome(lines: list[bytes]) -> list[bytes]:
        i = max(i for i, line in enumerate(lines) if line.startswith(b"["))
        row = json.loads(lines[i])
        row[1] = 99999  # a synergy that does not exist
        lines[i] = (json.dumps(row) + "\n").encode()
        return lines

    broken = rewrite(path, break_last_outcome, fix_checksum=True)
    target.save_programme(tiny_programme("Resident"))
    before = dump(target)
    with pytest.raises(StoreError, match="Could not restore a backup"):
        restore_backup(target, broken, actor="cli:test")
    assert dump(target) == before
    assert target.programme_names() == ["Resident"]


def test_altered_file_restores_nothing(source: tuple[Store, Path], target: Store) -> None:
    """A tampered file is refused before anything is written."""
    _, path = source
    bad = rewrite(path, lambda lines: [x.replace(b"Aino", b"Mallory") for x in lines],
                  fix_checksum=False)
    with pytest.raises(BackupError, match="checksum"):
        restore_backup(target, bad, actor="cli:test")
    assert target.programme_names() == []


def test_a_snapshot_taken_before_a_restore_is_not_built_upon(source: tuple[Store, Path]
                                                             ) -> None:
    """A programme loaded before a restore that replaced it is read whole afterwards (the
    restore is not an addition): an import made after the backup is gone from it."""
    store, path = source
    store.add_resources(NAME, tiny_programme().resources.assign(
        resource_id=["N1", "N2", "N3", "N4"], quantity=[1.0, 2.0, 3.0, 4.0],
        site_id="S1"))
    base = store.programme_snapshot(NAME)
    assert "N1" in set(base.programme.resources["resource_id"])
    restore_backup(store, path, replace=True, actor="cli:test")
    snap = store.programme_snapshot(NAME, since=base)
    assert "N1" not in set(snap.programme.resources["resource_id"])
    whole = store.load_programme(NAME)
    for frame in ("sites", "contacts", "resources"):
        assert_frame_equal(getattr(snap.programme, frame), getattr(whole, frame))
