"""ui/data.py: the programme and its synergy book, cached by programme, database and version."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.settings import Settings
from ui.data import ProgrammeRef, programme, store, synergy_book
from ui.state import DEMO_PROGRAMME


def test_the_demo_reference_reads_the_embedded_demo(settings: Settings) -> None:
    """Until it is stored, the demo is read from the package whatever the database, and
    labelled illustrative."""
    ref = ProgrammeRef(DEMO_PROGRAMME, settings.database_url)
    assert ref.is_demo
    prog = programme(ref)
    assert prog.illustrative and len(prog.sites) >= 40
    assert programme(ProgrammeRef(DEMO_PROGRAMME, "sqlite:///elsewhere.db", 0)) is prog


def test_the_stored_demo_is_read_from_its_copy(settings: Settings) -> None:
    """Once a write stores the demo (a record saved at a workshop), the demo reference has the
    copy's data version and reads the copy: the new record is there, the demo still
    illustrative."""
    from geo.synergies import repository as repo
    from ui.data import data_versions

    embedded = programme(ProgrammeRef(DEMO_PROGRAMME, settings.database_url))
    db = store(settings.database_url)
    repo.ensure_programme(db, embedded)
    added = embedded.resources.iloc[[0]].assign(resource_id="WS-NEW-1", quantity=3.0)
    db.add_resources(embedded.name, added)
    versions = data_versions(DEMO_PROGRAMME, settings.database_url)
    assert versions.programme >= 2  # stored, then the record added
    prog = programme(ProgrammeRef(DEMO_PROGRAMME, settings.database_url, versions.programme))
    assert "WS-NEW-1" in set(prog.resources["resource_id"])
    assert len(prog.resources) == len(embedded.resources) + 1
    assert prog.illustrative


def test_a_write_to_the_stored_demo_warms_what_the_pages_read(settings: Settings) -> None:
    """The import form writes to the demo's stored copy by its stored name; the warm-up after
    the write builds the release under the key the pages read the demo by, so the first
    viewer after the import finds it built (building again would fail here)."""
    import pytest

    from geo.demo import DEMO_NAME
    from geo.disclosure.settings import default_rules
    from geo.synergies import repository as repo
    from ui import runs
    from ui.data import data_versions

    repo.ensure_programme(store(settings.database_url),
                          programme(ProgrammeRef(DEMO_PROGRAMME, settings.database_url)))
    assert settings.demo
    runs.warm_after_write(DEMO_NAME, settings).join(60)
    version = data_versions(DEMO_PROGRAMME, settings.database_url).programme
    with pytest.MonkeyPatch.context() as mp:
        def refuse(*args: object, **kwargs: object) -> object:
            raise AssertionError("built again after the warm-up")

        mp.setattr("geo.disclosure.build_release", refuse)
        mp.setattr("geo.disclosure.release.protect_tree", refuse)
        release = runs.release(ProgrammeRef(DEMO_PROGRAMME, settings.database_url, version),
                               default_rules(settings))
        assert len(release.stream_table("have"))


def test_a_stored_programme_is_reloaded_at_a_new_version(stored_demo: ProgrammeRef) -> None:
    """The same version reads the cache; after a write the next version reads the change."""
    prog = programme(stored_demo)
    assert prog.name == "Stored demo" and not stored_demo.is_demo
    site = prog.sites["site_id"].iloc[0]
    store(stored_demo.database_url).update_site_location(site, 26.9, 60.5, "manual",
                                                         "set by hand")
    cached = programme(stored_demo).sites.set_index("site_id").loc[site]
    assert cached["location_precision"] != "manual"
    newer = ProgrammeRef(stored_demo.name, stored_demo.database_url, stored_demo.version + 1)
    assert programme(newer).sites.set_index("site_id").loc[site,
                                                           "location_precision"] == "manual"


def test_synergy_book_is_cached_per_synergy_version(stored_demo: ProgrammeRef) -> None:
    """A synergy written to the store shows up in the book of the next synergy version."""
    from geo.synergies import repository as repo

    assert synergy_book(stored_demo, synergy_version=0).synergies.empty
    res = programme(stored_demo).resources
    have = res.loc[res["direction"] == "have", "resource_id"].iloc[0]
    want = res.loc[res["direction"] == "want", "resource_id"].iloc[0]
    repo.create_synergy(store(stored_demo.database_url), programme(stored_demo),
                        have_id=have, want_id=want, practitioner="Aino")
    assert synergy_book(stored_demo, synergy_version=0).synergies.empty
    assert len(synergy_book(stored_demo, synergy_version=1).synergies) == 1


def test_after_an_import_only_the_added_rows_are_read(stored_demo: ProgrammeRef,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The next version after an import is this process's snapshot plus the import's rows:
    the store is asked with that snapshot as the base, and the result equals a whole load."""
    import io

    from geo.importer import import_file
    from geo.store import Store

    db = store(stored_demo.database_url)
    before = programme(stored_demo)
    calls: list[object] = []
    original = Store.programme_snapshot

    def spy(self: Store, name: str, since: object = None) -> object:
        calls.append(since)
        return original(self, name, since=since)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "programme_snapshot", spy)
    csv = ("Company,Postcode,Country,Have/Want,EWC code,Description,Quantity,Unit,Longitude,"
           "Latitude\nNew Oy,48600,FI,have,150102,plastic film,7,t/yr,26.91,60.50\n")
    import_file(io.BytesIO(csv.encode()), store=db, programme=stored_demo.name,
                filename="new.csv")
    newer = ProgrammeRef(stored_demo.name, stored_demo.database_url, stored_demo.version + 1)
    after = programme(newer)
    assert len(calls) == 1 and calls[0] is not None
    assert calls[0].programme is before  # type: ignore[attr-defined]
    assert len(after.resources) == len(before.resources) + 1
    assert after.contacts is before.contacts  # not read again
    whole = db.load_programme(stored_demo.name)
    pd.testing.assert_frame_equal(after.resources, whole.resources)
    pd.testing.assert_frame_equal(after.sites, whole.sites)
