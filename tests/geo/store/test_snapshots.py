"""Tests of Store.programme_snapshot: after writes that only add records, a snapshot is brought
up to date by reading the added rows alone, and equals a whole load; after any other write, or
for another programme, it is read whole (on SQLite and on PostgreSQL with PostGIS)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import update

from geo.importer import import_file
from geo.programme import Programme
from geo.store import ProgrammeSnapshot, Store
from geo.store.tables import ProgrammeRow
from tests.geo.store.samples import MEMBERS_CSV, synergy_programme, tiny_programme

NAME = "Synergy programme"
FRAMES = ("parks", "sites", "contacts", "resources")


def _assert_equal(got: Programme, expected: Programme) -> None:
    for frame in FRAMES:
        pd.testing.assert_frame_equal(getattr(got, frame), getattr(expected, frame),
                                      check_like=False)
    assert (got.name, got.notes, got.region_name) == (expected.name, expected.notes,
                                                     expected.region_name)


@pytest.fixture
def base(store: Store) -> ProgrammeSnapshot:
    """synergy_programme() saved, and a snapshot of it."""
    store.save_programme(synergy_programme())
    return store.programme_snapshot(NAME)


def _import(store: Store, text: str = MEMBERS_CSV) -> None:
    import_file(io.BytesIO(text.encode()), store=store, programme=NAME, filename="m.csv")


ADDITIONS: dict[str, tuple[Callable[[Store], object], set[str]]] = {
    # the write, and the frames it adds rows to (the others must be the base's own objects)
    "add_sites": (lambda s: s.add_sites(NAME, tiny_programme().sites.assign(
        site_id=["N1", "N2", "N3"], park_id=None)), {"sites"}),
    "add_resources": (lambda s: s.add_resources(NAME, tiny_programme().resources.assign(
        resource_id=["N1", "N2", "N3", "N4"], quantity=[1.0, 2.0, 3.0, 4.0])),
        {"resources"}),
    "add_contacts": (lambda s: s.add_contacts(NAME, pd.DataFrame({
        "contact_id": ["C9"], "site_id": ["S1"], "name": ["New person"]})), {"contacts"}),
    "import": (_import, {"sites", "contacts", "resources"}),
}


@pytest.mark.parametrize("write", list(ADDITIONS))
def test_additions_are_read_alone_and_equal_a_whole_load(store: Store, base: ProgrammeSnapshot,
                                                         write: str) -> None:
    """After a write that only adds records the snapshot keeps the frames it did not touch
    (the same objects: not read again) and equals load_programme in every frame."""
    do, grown = ADDITIONS[write]
    do(store)
    snap = store.programme_snapshot(NAME, since=base)
    assert snap.version == base.version + 1
    _assert_equal(snap.programme, store.load_programme(NAME))
    for frame in ("sites", "contacts", "resources"):
        same = getattr(snap.programme, frame) is getattr(base.programme, frame)
        assert same is (frame not in grown), frame
        assert len(getattr(snap.programme, frame)) > len(getattr(base.programme, frame)) \
            or frame not in grown


def test_several_imports_in_a_row_including_duplicates(store: Store,
                                                       base: ProgrammeSnapshot) -> None:
    """Two imports (the second all duplicates) after the base: the additions of both, once."""
    _import(store)
    _import(store)  # every row a duplicate: nothing added
    more = MEMBERS_CSV.replace("12.5", "13.5").replace("Beta Oy", "Delta Oy")
    _import(store, more)
    snap = store.programme_snapshot(NAME, since=base)
    assert snap.version == base.version + 3
    whole = store.load_programme(NAME)
    _assert_equal(snap.programme, whole)
    assert whole.resources["resource_id"].is_unique


def test_same_version_returns_the_base_itself(store: Store, base: ProgrammeSnapshot) -> None:
    """Nothing written since: the base snapshot comes back as it is."""
    assert store.programme_snapshot(NAME, since=base) is base


RESETS: dict[str, Callable[[Store], object]] = {
    "move a site": lambda s: s.update_site_location("S1", 26.95, 60.52, "manual", "map",
                                                    programme=NAME),
    "archive a site": lambda s: s.archive_site("S2", programme=NAME),
    "replace the programme": lambda s: s.save_programme(
        dataclasses.replace(synergy_programme(), notes={"k": "changed"}), replace=True),
}


@pytest.mark.parametrize("write", list(RESETS))
def test_other_writes_read_the_programme_whole(store: Store, base: ProgrammeSnapshot,
                                               write: str) -> None:
    """A placement, an archive or a replace changes rows the base holds: read whole (the
    moved point, the archived site gone, the new notes), even after an import on top."""
    RESETS[write](store)
    _import(store)
    snap = store.programme_snapshot(NAME, since=base)
    whole = store.load_programme(NAME)
    _assert_equal(snap.programme, whole)
    assert snap.programme.sites is not base.programme.sites


def test_another_programme_or_a_remade_one_is_read_whole(store: Store,
                                                         base: ProgrammeSnapshot) -> None:
    """A snapshot of one programme is no base for another, nor for a programme made anew
    under the same row id (its creation time differs)."""
    store.save_programme(tiny_programme("Other"))
    other = store.programme_snapshot("Other", since=base)
    _assert_equal(other.programme, store.load_programme("Other"))
    remade = ProgrammeSnapshot(base.programme, base.pid,
                               base.created_at.replace(year=base.created_at.year - 1),
                               base.version)
    _import(store)
    snap = store.programme_snapshot(NAME, since=remade)
    assert snap.programme.resources is not base.programme.resources
    _assert_equal(snap.programme, store.load_programme(NAME))


def test_a_base_newer_than_the_database_is_not_used(store: Store,
                                                    base: ProgrammeSnapshot) -> None:
    """A database put back to an older state (its version below the base's): read whole."""
    with store.transaction("test") as conn:
        conn.execute(update(ProgrammeRow).where(ProgrammeRow.id == base.pid)
                     .values(data_version=0, records_reset_version=0))
    snap = store.programme_snapshot(NAME, since=base)
    assert snap.version == 0
    assert snap.programme is not base.programme
    _assert_equal(snap.programme, store.load_programme(NAME))


@pytest.mark.parametrize("few", [0, 5_000])
def test_stored_keys_by_index_or_by_scan_agree(store: Store, base: ProgrammeSnapshot,
                                              monkeypatch: pytest.MonkeyPatch, few: int) -> None:
    """An import looks up its own keys (IN, 1,000 at a time) or, for a big file, reads every
    key: both find exactly the stored ones among thousands that are not."""
    from geo.store import writes
    from geo.store.tables import Site

    monkeypatch.setattr(writes, "_FEW_KEYS", few)
    keys = [f"X{i}" for i in range(2_500)] + ["S3", None, "S1", "S1", float("nan")]
    with store.read("test") as conn:
        assert writes.stored_keys(conn, Site, "site_key", base.pid, keys) == {"S1", "S3"}
        assert writes.stored_keys(conn, Site, "site_key", base.pid, []) == set()


def test_archiving_a_record_hides_it_and_frees_its_key(store: Store,
                                                       base: ProgrammeSnapshot) -> None:
    """An archived record is gone from the next load (and from a snapshot built on an older
    one: an archive is not an addition); the same record imported again is added again; an
    unknown or already archived record is refused."""
    from geo.errors import StoreError

    store.archive_resource(NAME, "R2")
    snap = store.programme_snapshot(NAME, since=base)
    assert "R2" not in set(snap.programme.resources["resource_id"])
    _assert_equal(snap.programme, store.load_programme(NAME))
    with pytest.raises(StoreError, match="No current record 'R2'"):
        store.archive_resource(NAME, "R2")
    r2 = base.programme.resources[base.programme.resources["resource_id"] == "R2"]
    assert store.add_resources(NAME, r2.assign(resource_id="R2-again")) == 1
