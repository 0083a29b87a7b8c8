"""ui/data.py: the programme and its synergy book, cached by programme, database and version."""

from __future__ import annotations

from geo.settings import Settings
from ui.data import ProgrammeRef, programme, store, synergy_book
from ui.state import DEMO_PROGRAMME


def test_the_demo_reference_reads_the_embedded_demo(settings: Settings) -> None:
    """The demo is read from the package whatever the database, and labelled illustrative."""
    ref = ProgrammeRef(DEMO_PROGRAMME, settings.database_url)
    assert ref.is_demo
    prog = programme(ref)
    assert prog.illustrative and len(prog.sites) >= 40
    assert programme(ProgrammeRef(DEMO_PROGRAMME, "sqlite:///elsewhere.db", 7)) is prog


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
