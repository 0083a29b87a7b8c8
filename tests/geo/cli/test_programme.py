"""Tests of ``python -m geo programme levels``: show and set a programme's location levels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli import main
from geo.demo import DEMO_NAME
from geo.store import open_store
from geo.store.locations import programme_location_preset


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory (its own SQLite database) for one test."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    return tmp_path


def test_set_a_preset_on_the_only_programme_then_show_it(data_dir: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """With only the demo, --preset needs no --programme; show lists the levels top down,
    in the language asked for; --json gives the preset's code."""
    assert main(["programme", "levels"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"{DEMO_NAME} (default): Country → Region → City → Park")
    assert main(["programme", "levels", "--preset", "china"]) == 0
    assert "Province → City → Industrial park" in capsys.readouterr().out
    assert programme_location_preset(open_store(), DEMO_NAME) == "china"
    assert main(["--lang", "zh_CN", "programme", "levels"]) == 0
    assert "省 → 市 → 园区" in capsys.readouterr().out
    assert main(["programme", "levels", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"programme": DEMO_NAME, "preset": "china"}]


def test_an_unknown_programme_is_an_error(data_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A programme that does not exist: exit code 1 and the programmes there are."""
    assert main(["programme", "levels", "--preset", "brazil", "--programme", "Nowhere"]) == 1
    assert "Nowhere" in capsys.readouterr().err
