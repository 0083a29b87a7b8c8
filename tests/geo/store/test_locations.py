"""Tests of the location-level preset per programme: revision 0006 up and down on SQLite, and
reading and setting a programme's preset (geo.store.locations, geo.location_levels)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from geo.errors import StoreError
from geo.i18n import _, use_locale
from geo.location_levels import level_labels, location_headers
from geo.store import open_store
from geo.store.locations import programme_location_preset, set_programme_location_preset
from geo.store.migrate import alembic_config, current_revision, upgrade


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_revision_0006_round_trip_on_sqlite(tmp_path: Path) -> None:
    """0005 → 0006 creates location_presets; back to 0005 drops it and keeps the rest; up
    again restores it, and a stored preset is read back."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'levels.db'}",
                              poolclass=sa.pool.NullPool)
    upgrade(engine, "0005")
    assert "location_presets" not in _tables(engine)
    before = _tables(engine)
    upgrade(engine, "0006")
    assert current_revision(engine) == "0006"
    assert _tables(engine) == before | {"location_presets"}
    with engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "0005")
    assert current_revision(engine) == "0005"
    assert _tables(engine) == before
    upgrade(engine, "0006")
    engine.dispose()
    store = open_store(f"sqlite:///{tmp_path / 'levels.db'}")
    set_programme_location_preset(store, "Guangzhou", "china", actor="test")
    assert programme_location_preset(store, "Guangzhou") == "china"
    store.engine.dispose()


def test_a_programme_without_a_preset_uses_the_default_and_a_new_one_replaces_it() -> None:
    """No row → default; setting twice keeps one row, the latest; the change is audited."""
    store = open_store("sqlite://")
    assert programme_location_preset(store, "Camaçari") == "default"
    set_programme_location_preset(store, "Camaçari", "china", actor="cli:ana")
    set_programme_location_preset(store, "Camaçari", "brazil", actor="cli:ana")
    assert programme_location_preset(store, "Camaçari") == "brazil"
    assert programme_location_preset(store, "Other") == "default"
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT programme, preset FROM location_presets")).all()
        actions = conn.execute(sa.text("SELECT action FROM audit_log")).scalars().all()
    assert rows == [("Camaçari", "brazil")]
    assert actions == ["location_levels", "location_levels"]


def test_an_unknown_preset_is_refused_in_the_session_language() -> None:
    """The refusal names the preset asked for and the ones there are, translated."""
    store = open_store("sqlite://")
    with use_locale("qps_PLOC"), pytest.raises(StoreError) as caught:
        set_programme_location_preset(store, "X", "japan", actor="test")
    message = str(caught.value)
    assert message.startswith("⟦") and "'japan'" in message and "default, china, brazil" in message
    assert programme_location_preset(store, "X") == "default"


def test_labels_follow_the_preset_and_the_session_language() -> None:
    """Local names to a session in the preset's language, translated English labels to
    others; levels a preset does not name keep their usual labels."""
    assert level_labels("default") == {"country": "Country", "region": "Region", "city": "City",
                                       "park": "Park"}
    assert level_labels("brazil") == {"country": "Country", "region": "State",
                                      "city": "Municipality", "park": "Industrial district"}
    with use_locale("zh_CN"):
        assert level_labels("china") == {"country": level_labels("default")["country"],
                                         "region": "省", "city": "市", "park": "园区"}
        assert location_headers("china", ["park_id", "region", "quantity"]) == {
            "park_id": _("{level} ID").format(level="园区"), "region": "省"}
    with use_locale("pt_BR"):
        assert level_labels("brazil")["park"] == "Distrito industrial"
    with use_locale("qps_PLOC"):
        assert level_labels("china")["region"] == "⟦Prõvîñçé⟧"
    assert level_labels("no-such-preset") == level_labels("default")
