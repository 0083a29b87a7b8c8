"""Tests of synergies in the database: migration, round trip, locking, archived sites."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from geo.errors import StoreError, SynergyError
from geo.programme import Programme
from geo.store import open_store
from geo.store.migrate import upgrade
from geo.store.tables import Base, import_table_modules
from geo.synergies import repository as repo
from geo.synergies.outcomes import OutcomeConfig

SYNERGY_TABLES = {"synergies", "synergy_events", "synergy_outcomes", "synergy_settings"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file in a temporary data directory."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    return f"sqlite:///{tmp_path / 'synergies.db'}"


def test_migration_0002_creates_exactly_the_synergy_models(db: str) -> None:
    """Revision 0002 creates the synergy tables exactly as geo.store.synergy_tables declares."""
    engine = sa.create_engine(db)
    upgrade(engine, "0002")
    import_table_modules()
    assert set(sa.inspect(engine).get_table_names()) >= SYNERGY_TABLES

    def mine(obj, name, type_, reflected, compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in SYNERGY_TABLES

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "include_object": mine})
        assert compare_metadata(ctx, Base.metadata) == []


def test_round_trip_of_a_synergy_with_history_and_outcomes(
        db: str, tiny_programme: Programme) -> None:
    """A created, advanced and measured synergy reads back with every event and outcome."""
    store, prog = open_store(db), tiny_programme
    sid = repo.create_synergy(store, prog, have_id="H1", want_id="W1", practitioner="Aino",
                              distance_km=0.7, distance_method="road",
                              proposed_because="same code")
    repo.change_stage(store, prog.name, sid, "implemented", expected_version=1,
                      practitioner="Aino", note="contract signed")
    repo.record_outcome(store, prog.name, sid, "landfill_diverted_t", 40.0, period=2026,
                        expected_version=2, practitioner="Aino")
    book = repo.load_book(store, prog.name)
    row = book.get(sid)
    assert (row["stage"], row["version"], row["from_site_id"], row["to_site_id"]) == (
        "implemented", 3, "S1", "S2")
    assert row["distance_km"] == 0.7
    assert book.events["kind"].tolist() == ["created", "stage", "outcome"]
    assert book.outcomes["value"].tolist() == [40.0]
    assert str(book.events["at"].dt.tz) == "UTC"


def test_second_practitioner_saving_a_stale_version_is_refused(
        db: str, tiny_programme: Programme) -> None:
    """Two clients edit version 1: the later save is refused and nothing is overwritten."""
    prog = tiny_programme
    first, second = open_store(db), open_store(db)
    sid = repo.create_synergy(first, prog, have_id="H1", want_id="W1", practitioner="Aino")
    seen_by_second = repo.load_book(second, prog.name).get(sid)
    repo.change_stage(first, prog.name, sid, "identified", expected_version=1,
                      practitioner="Aino")
    with pytest.raises(SynergyError, match="changed by Aino"):
        repo.change_stage(second, prog.name, sid, "abandoned", reason="no",
                          expected_version=int(seen_by_second["version"]), practitioner="Eero")
    book = repo.load_book(first, prog.name)
    assert book.get(sid)["stage"] == "identified"
    assert len(book.events) == 2


def test_archived_site_keeps_its_synergy_history(db: str, tiny_programme: Programme) -> None:
    """Archiving a site keeps its synergies and events; deleting it is refused by the database."""
    store, prog = open_store(db), tiny_programme
    sid = repo.create_synergy(store, prog, have_id="H1", want_id="W1", practitioner="Aino")
    repo.add_note(store, prog.name, sid, "first call", expected_version=1, practitioner="Aino")
    store.archive_site("S1", programme=prog.name)
    book = repo.load_book(store, prog.name)
    assert book.get(sid)["from_site_id"] == "S1"
    assert len(book.events) == 2
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM sites WHERE site_key = 'S1'"))
    assert len(repo.load_book(store, prog.name).events) == 2
    assert repo.synergies_for_site(store, prog.name, "S1")["synergy_id"].tolist() == [sid]
    with pytest.raises(SynergyError, match="archived"):
        repo.create_synergy(store, prog, have_id="H1", want_id="W2", practitioner="Aino")


def test_bulk_creation_reports_every_row(db: str, tiny_programme: Programme) -> None:
    """Workshop links: valid ones stored at idea stage, bad ones reported with the rule."""
    store, prog = open_store(db), tiny_programme
    links = pd.DataFrame({"have_id": ["H1", "H1", "W1", "H1", "H2"],
                          "want_id": ["W1", "W1", "W2", "WS", "W4"],
                          "quantity": [None, None, None, None, 900.0], "note": ""})
    report = repo.create_synergies(store, prog, links, practitioner="Facilitator")
    assert report["status"].tolist() == ["ok", "error", "error", "error", "error"]
    assert "already tracked" in report["message"].iloc[1]
    assert "have to a want" in report["message"].iloc[2]
    assert "different sites" in report["message"].iloc[3]
    assert "exceeds" in report["message"].iloc[4]
    book = repo.load_book(store, prog.name)
    assert book.synergies["stage"].tolist() == ["idea"]
    # S1 → S2 is about 0.55 km: the stand-in distance is filled in and labelled.
    assert book.synergies["distance_method"].tolist() == ["straight-line"]
    assert 0.6 < book.synergies["distance_km"].iloc[0] < 0.8


def test_outcome_settings_round_trip(db: str, tiny_programme: Programme) -> None:
    """A programme's outcome types and currency are stored and read back."""
    store, prog = open_store(db), tiny_programme
    assert repo.load_outcome_config(store, prog.name) == OutcomeConfig()
    config = OutcomeConfig.preset("innovation", currency="CNY")
    repo.save_outcome_config(store, prog, config)
    repo.save_outcome_config(store, prog, config)
    assert repo.load_outcome_config(store, prog.name) == config


def test_unknown_programme_is_a_store_error(db: str) -> None:
    """Changing a synergy of a programme that is not stored names the stored ones."""
    with pytest.raises(StoreError, match="No programme named"):
        repo.add_note(open_store(db), "Nowhere", "SYN-00001", "x", expected_version=1,
                      practitioner="Aino")
    assert repo.load_book(open_store(db), "Nowhere").synergies.empty
