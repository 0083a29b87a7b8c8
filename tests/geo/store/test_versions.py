"""Tests of geo.store.versions: every write bumps its programme's version in its own
transaction, reads do not, another process's store sees the new version at once."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from geo.errors import StoreError, SynergyError
from geo.store import Store, open_store
from geo.store.versions import ProgrammeVersions
from geo.synergies import repository as repo
from tests.geo.store.samples import synergy_programme, tiny_programme

NAME = "Synergy programme"


@pytest.fixture
def saved(store: Store) -> Store:
    """The store with synergy_programme() saved."""
    store.save_programme(synergy_programme())
    return store


def _other(store: Store) -> Store:
    """A second store on the same database (as another app process would open it)."""
    return open_store(store.engine.url.render_as_string(hide_password=False))


def test_unknown_programme_has_versions_zero(store: Store) -> None:
    """A programme that is not stored has versions (0, 0)."""
    assert store.data_versions("Nowhere") == ProgrammeVersions(0, 0)


def test_creating_and_saving_bump_the_data_version(store: Store) -> None:
    """create_programme and save_programme each bump the data version once."""
    store.create_programme("A")
    assert store.data_versions("A") == (1, 0)
    store.create_programme("A")  # exists: nothing written
    assert store.data_versions("A") == (1, 0)
    store.save_programme(tiny_programme())
    store.save_programme(tiny_programme(), replace=True)
    assert store.data_versions("Tiny programme") == (2, 0)


WRITES: dict[str, Callable[[Store], object]] = {
    "add_sites": lambda s: s.add_sites(NAME, tiny_programme().sites.assign(
        site_id=["N1", "N2", "N3"], park_id=None)),
    "add_resources": lambda s: s.add_resources(NAME, tiny_programme().resources.assign(
        resource_id=["N1", "N2", "N3", "N4"], quantity=[1.0, 2.0, 3.0, 4.0])),
    "add_contacts": lambda s: s.add_contacts(NAME, pd.DataFrame({
        "contact_id": ["C9"], "site_id": ["S1"], "name": ["New person"]})),
    "record_import": lambda s: s.record_import(NAME, file_name="f.csv", sha256="0" * 64,
                                               rows=0),
    "update_site_location": lambda s: s.update_site_location("S3", 26.9, 60.5, "manual",
                                                             "map"),
    "archive_site": lambda s: s.archive_site("S3"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_each_record_write_bumps_once_and_is_seen_elsewhere(saved: Store, write: str) -> None:
    """Each writing method bumps the data version by one; another store reads it at once."""
    other = _other(saved)
    before = other.data_versions(NAME)
    WRITES[write](saved)
    assert other.data_versions(NAME) == (before.programme + 1, before.synergies)
    other.engine.dispose()


def test_reads_do_not_bump(saved: Store) -> None:
    """Loading, listing and reading leave the versions alone."""
    before = saved.data_versions(NAME)
    saved.load_programme(NAME)
    saved.sites(NAME)
    saved.programme_names()
    saved.import_batches(NAME)
    repo.load_book(saved, NAME)
    assert saved.data_versions(NAME) == before


def test_a_failed_write_does_not_bump(saved: Store) -> None:
    """A write refused half-way leaves the version (and the data) as they were."""
    before = saved.data_versions(NAME)
    with pytest.raises(StoreError, match="not stored"):
        saved.add_resources(NAME, tiny_programme().resources.assign(site_id="S9",
                                                                    resource_id="N1"))
    assert saved.data_versions(NAME) == before


def test_synergy_writes_bump_the_synergy_version_only(saved: Store) -> None:
    """Creating a synergy, changing its stage and saving outcome settings bump synergies."""
    other = _other(saved)
    p = synergy_programme()
    sid = repo.create_synergy(saved, p, have_id="R1", want_id="R5", practitioner="Aino")
    assert other.data_versions(NAME) == (1, 1)
    repo.change_stage(saved, NAME, sid, "identified", expected_version=1, practitioner="Aino")
    repo.add_note(saved, NAME, sid, "called them", expected_version=2, practitioner="Aino")
    repo.save_outcome_config(saved, p, repo.load_outcome_config(saved, NAME))
    assert other.data_versions(NAME) == (1, 4)
    with pytest.raises(SynergyError, match="while you were editing"):
        repo.change_stage(saved, NAME, sid, "in progress", expected_version=1,
                          practitioner="Eero")
    assert other.data_versions(NAME) == (1, 4)
    other.engine.dispose()
