"""Fixtures of the ui package tests: a stored copy of the demo in a test's own database."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.settings import Settings
from ui.data import ProgrammeRef


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on an empty data directory of this test (offline)."""
    return Settings(data_dir=tmp_path)


@pytest.fixture
def stored_demo(settings: Settings) -> ProgrammeRef:
    """The demo programme saved to this test's database as "Stored demo", at version 0."""
    from geo.demo import load_demo_programme
    from ui.data import store

    prog = load_demo_programme()
    prog.name = "Stored demo"
    store(settings.database_url).save_programme(prog, replace=True)
    return ProgrammeRef("Stored demo", settings.database_url, 0)
