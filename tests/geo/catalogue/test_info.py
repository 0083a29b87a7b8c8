"""Tests of geo.catalogue.info: catalogue descriptions, their checks, and their use on load."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from geo.catalogue.catalogue import Catalogue, load_catalogue
from geo.catalogue.info import CatalogueInfo, read_catalogue_info, slug_id
from geo.errors import CatalogueError
from geo.settings import DATA_DIR

CATALOGUE_DIR = DATA_DIR / "catalogue"
TINY = ("code,level,parent,description,hazardous\n01,chapter,,Chapter one,false\n"
        "0101,subchapter,01,sub one,false\n010101,entry,0101,an entry,true\n")
STREAMS = "group,label,pattern,note\nones,Ones,01,the whole chapter\n"


def _tiny(tmp_path: Path, meta: dict[str, object] | None = None, *,
          streams: bool = False) -> Path:
    path = tmp_path / "tiny.csv"
    path.write_text(TINY, encoding="utf-8")
    if meta is not None:
        (tmp_path / "tiny.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    if streams:
        (tmp_path / "streams.csv").write_text(STREAMS, encoding="utf-8")
    return path


def test_shipped_ewc_is_described() -> None:
    """The EWC's description gives its id, language, validity, status and a notice."""
    ewc = load_catalogue(CATALOGUE_DIR / "ewc.csv")
    assert ewc.catalogue_id == "ewc"
    assert (ewc.info.language, ewc.info.status) == ("en", "transcription")
    assert ewc.info.valid_from == dt.date(2015, 6, 1)
    assert "Official Journal" in ewc.info.notice
    assert ewc.info.in_force(dt.date(2026, 1, 1))


def test_without_description_the_catalogue_says_so(tmp_path: Path) -> None:
    """A catalogue without NAME.meta.json loads with id = its stem and an 'unknown' notice."""
    cat = load_catalogue(_tiny(tmp_path))
    assert cat.catalogue_id == "tiny"
    assert cat.info.status == "unknown"
    assert "tiny.meta.json" in cat.info.notice


def test_description_is_read_and_counts_checked(tmp_path: Path) -> None:
    """Id, edition, dates and counts are read; matching counts load, differing ones refuse."""
    counts = {"chapters": 1, "subchapters": 1, "entries": 1, "hazardous_entries": 1}
    meta = {"id": "tiny_2025", "name": "Tiny", "edition": "2025", "valid_from": "2025-01-01",
            "valid_until": "2025-12-31", "status": "supplied", "notice": "Made up.",
            "counts": counts}
    cat = load_catalogue(_tiny(tmp_path, meta))
    assert cat.catalogue_id == "tiny_2025"
    assert (cat.info.edition, cat.info.valid_until) == ("2025", dt.date(2025, 12, 31))
    assert not cat.info.in_force(dt.date(2026, 1, 1))
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    with pytest.raises(CatalogueError, match=r"entries: described 2, found 1.*Fix"):
        load_catalogue(_tiny(wrong, {**meta, "counts": {**counts, "entries": 2}}))


@pytest.mark.parametrize(
    ("meta", "pattern"),
    [
        ({"id": "Tiny List"}, r"id 'Tiny List' is not a lower-case slug"),
        ({"status": "official"}, r"status 'official'"),
        ({"valid_from": "1/1/2025"}, r"valid_from '1/1/2025' is not a date"),
        ({"valid_from": "2025-02-01", "valid_until": "2025-01-01"}, r"before valid_from"),
        ({"counts": {"rows": 3}}, r"unknown count"),
        ({"streams_file": "../streams.csv"}, r"streams_file .*\(no folders\)"),
        ({"name": 3}, r"name must be text"),
    ],
)
def test_bad_description_is_refused(tmp_path: Path, meta: dict[str, object],
                                    pattern: str) -> None:
    """A description with a bad id, status, date, count, streams file or type is refused."""
    with pytest.raises(CatalogueError, match=pattern):
        read_catalogue_info(_tiny(tmp_path, meta))


def test_description_that_is_not_json_is_refused(tmp_path: Path) -> None:
    """A description that is not JSON is refused naming the file."""
    path = _tiny(tmp_path)
    (tmp_path / "tiny.meta.json").write_text("{id: tiny}", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"tiny.meta.json.*not UTF-8 JSON"):
        read_catalogue_info(path)


def test_described_streams_file_wins_over_the_folder_default(tmp_path: Path) -> None:
    """streams_file null means no groups even when a streams.csv lies beside; a name is used."""
    none = load_catalogue(_tiny(tmp_path, {"streams_file": None}, streams=True))
    assert none.groups().empty
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.csv").write_text(STREAMS, encoding="utf-8")
    named = load_catalogue(_tiny(other, {"streams_file": "mine.csv"}))
    assert named.groups()["group"].tolist() == ["ones"]
    undeclared = tmp_path / "undeclared"
    undeclared.mkdir()
    assert load_catalogue(_tiny(undeclared, {}, streams=True)).groups()["group"].tolist() == [
        "ones"]


def test_catalogue_in_memory_takes_a_description() -> None:
    """A Catalogue built from frames uses the info it is given, and checks its counts."""
    table = pd.read_csv(io.StringIO(TINY), dtype=str, keep_default_na=False)
    info = CatalogueInfo("mem", "In memory", counts={"entries": 1}, hazard_mark="(*)")
    cat = Catalogue(table, pd.DataFrame(), meta=info)
    assert cat.catalogue_id == "mem"
    assert cat.format_code("010101") == "01 01 01(*)"
    with pytest.raises(CatalogueError, match="entries: described 5"):
        Catalogue(table, pd.DataFrame(), meta=CatalogueInfo("mem", "M", counts={"entries": 5}))


def test_info_round_trips_through_to_dict(tmp_path: Path) -> None:
    """to_dict writes the keys read_catalogue_info reads back to the same info."""
    info = CatalogueInfo("tiny_x", "Tiny", edition="x", valid_from=dt.date(2025, 1, 1),
                         status="supplied", notice="n", legal_source=("a",),
                         counts={"entries": 1}, streams_file=None, streams_declared=True,
                         hazard_mark="(*)")
    path = _tiny(tmp_path, info.to_dict())
    back = read_catalogue_info(path)
    assert back.to_dict() == info.to_dict()
    assert back.streams_declared


@pytest.mark.parametrize(
    ("text", "prefix", "expected"),
    [("ibama-2012", "", "ibama_2012"), ("2025年版", "china_hw_", "china_hw_2025"),
     ("名录", "", "catalogue"), ("2021", "", "catalogue_2021")],
)
def test_slug_id(text: str, prefix: str, expected: str) -> None:
    """Ids are made of lower-case ASCII words, start with a letter, and are never empty."""
    assert slug_id(text, prefix=prefix) == expected
