"""Tests of geo.synergies.demo: the demo's illustrative synergies and how they are stored."""

from __future__ import annotations

from geo.programme import Programme
from geo.store import open_store
from geo.synergies.demo import demo_synergy_book
from geo.synergies.lifecycle import ALL_STAGES
from geo.synergies.repository import ensure_programme, load_book


def test_demo_book_covers_every_stage_with_outcomes(demo_programme: Programme) -> None:
    """Every stage is present; implemented and completed synergies carry outcome entries;
    every synergy joins a have and a want of the demo."""
    book = demo_synergy_book(demo_programme)
    assert set(book.synergies["stage"]) == set(ALL_STAGES)
    done = book.synergies.loc[book.synergies["stage"].isin(["implemented", "completed"]),
                              "synergy_id"]
    assert set(done) == set(book.outcomes["synergy_id"])
    ids = set(demo_programme.resources["resource_id"])
    assert set(book.synergies["have_resource_id"]) | set(book.synergies["want_resource_id"]) \
        <= ids
    assert demo_synergy_book(demo_programme).synergies.equals(book.synergies)


def test_storing_the_demo_stores_its_synergies(demo_programme: Programme) -> None:
    """Saving the embedded demo (first synergy, workshop) stores its illustrative book too."""
    store = open_store("sqlite://")
    ensure_programme(store, demo_programme)
    stored = load_book(store, demo_programme.name)
    expected = demo_synergy_book(demo_programme)
    assert len(stored.synergies) == len(expected.synergies)
    assert len(stored.events) == len(expected.events)
    assert stored.outcomes["value"].sum() == expected.outcomes["value"].sum()


def test_a_demo_stored_without_its_book_gets_it_at_the_next_change(
        demo_programme: Programme) -> None:
    """A run stopped between storing the demo and storing its synergies (a rerun, a crash)
    left a demo with no synergies, and every change failed with "No synergy with id …";
    the next change writes the illustrative book first (once)."""
    store = open_store("sqlite://")
    store.save_programme(demo_programme)  # the first of the two writes only
    assert load_book(store, demo_programme.name).synergies.empty
    ensure_programme(store, demo_programme)
    ensure_programme(store, demo_programme)
    stored = load_book(store, demo_programme.name)
    assert len(stored.synergies) == len(demo_synergy_book(demo_programme).synergies)
