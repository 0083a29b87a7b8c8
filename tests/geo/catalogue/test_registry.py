"""Tests of geo.catalogue.registry: the catalogues a programme can choose by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.catalogue.catalogue import load_catalogue
from geo.catalogue.registry import (
    available_catalogues,
    catalogue_folders,
    catalogue_path,
    supplied_catalogue_dir,
)
from geo.errors import CatalogueError
from geo.settings import DATA_DIR, Settings

TINY = ("code,level,parent,description,hazardous\nA,chapter,,Chapter A,false\n"
        "A 1,entry,A,an entry,true\n")


def _supplied(folder: Path, stem: str, catalogue_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.csv").write_text(TINY, encoding="utf-8")
    meta = {"id": catalogue_id, "name": "Made-up list", "status": "supplied",
            "edition": "test", "valid_from": "2099-01-01", "notice": "Fictitious."}
    (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder / f"{stem}.csv"


def test_shipped_catalogues_are_offered() -> None:
    """The EWC and the IBAMA list are offered by id with their status and notice."""
    table = available_catalogues([DATA_DIR / "catalogue"]).set_index("id")
    assert list(table.index) == ["ewc", "ibama_2012"]
    assert table.loc["ibama_2012", "status"] == "transcription"
    assert table.loc["ibama_2012", "notice"].startswith("Transcription")
    assert load_catalogue(catalogue_path("ibama_2012", [DATA_DIR / "catalogue"])).is_entry(
        "160103")


def test_supplied_catalogues_sit_in_the_data_directory(tmp_path: Path) -> None:
    """A programme's list in <data_dir>/catalogues is found by id after the shipped ones."""
    settings = Settings(data_dir=tmp_path)
    assert supplied_catalogue_dir(settings) == tmp_path / "catalogues"
    assert catalogue_folders(settings) == (DATA_DIR / "catalogue", tmp_path / "catalogues")
    path = _supplied(tmp_path / "catalogues", "mine", "made_up_2099")
    table = available_catalogues(catalogue_folders(settings))
    assert table["id"].tolist() == ["ewc", "ibama_2012", "made_up_2099"]
    assert catalogue_path("made_up_2099", catalogue_folders(settings)) == path


def test_unknown_id_names_the_available_ones(tmp_path: Path) -> None:
    """Asking for an id nobody offers says which ids exist and how to supply a list."""
    with pytest.raises(CatalogueError, match=r"'china_hw_2025'.*'ewc', 'ibama_2012'.*supply"):
        catalogue_path("china_hw_2025", [DATA_DIR / "catalogue", tmp_path])


def test_two_catalogues_with_one_id_are_refused(tmp_path: Path) -> None:
    """The same id in two places is refused naming both files."""
    _supplied(tmp_path / "a", "one", "same")
    _supplied(tmp_path / "b", "two", "same")
    with pytest.raises(CatalogueError, match=r"Two catalogues have the id 'same'"):
        available_catalogues([tmp_path / "a", tmp_path / "b"])


def test_descriptions_without_a_catalogue_and_missing_folders_are_skipped(
        tmp_path: Path) -> None:
    """A stray description or a folder that does not exist offers nothing."""
    (tmp_path / "orphan.meta.json").write_text("{}", encoding="utf-8")
    assert available_catalogues([tmp_path, tmp_path / "missing"]).empty
