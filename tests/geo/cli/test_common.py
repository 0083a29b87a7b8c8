"""Tests of geo.cli.common: the programme and its roads, lists, tables and errors of the jobs."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

from geo.cli.common import (
    add_programme_options,
    fail,
    load_programme,
    print_table,
    road_graph,
    split_list,
    synergy_book,
)
from geo.errors import SymbiosisError
from geo.programme import Programme


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory (an empty database) for the test."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SYMBIOMAP_DATABASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize("name", [None, ""])
def test_no_name_means_the_demo(name: str | None, demo_programme: Programme) -> None:
    """An empty or missing programme name loads the embedded demo."""
    assert load_programme(name).name == demo_programme.name


def test_an_unknown_stored_programme_is_refused(data_dir: Path) -> None:
    """A name the database does not hold raises a SymbiosisError naming it."""
    with pytest.raises(SymbiosisError, match="Nowhere"):
        load_programme("Nowhere")


def test_road_graph_sources(demo_programme: Programme, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo gets its own roads; a stored programme gets none offline, even if downloads
    are allowed, so the job falls back to the labelled stand-in."""
    monkeypatch.setenv("SYMBIOMAP_ONLINE_OSM", "0")
    graph = road_graph(demo_programme, pbf=None, demo=True, download=False)
    assert graph is not None and graph.n_edges > 0
    assert road_graph(demo_programme, pbf=None, demo=False, download=False) is None
    assert road_graph(demo_programme, pbf="", demo=False, download=True) is None


def test_synergy_book_of_a_programme_never_stored(data_dir: Path) -> None:
    """A programme without stored synergies has an empty book with every column."""
    book = synergy_book("Never stored")
    assert book.synergies.empty and book.events.empty and book.outcomes.empty
    assert "synergy_id" in book.synergies.columns


def test_programme_options() -> None:
    """--programme and --pbf default to None (the demo, its roads) and --json to False."""
    parser = argparse.ArgumentParser()
    add_programme_options(parser)
    args = parser.parse_args([])
    assert (args.programme, args.pbf, args.json) == (None, None, False)
    args = parser.parse_args(["--programme", "Kotka", "--pbf", "r.osm.pbf", "--json"])
    assert (args.programme, args.pbf, args.json) == ("Kotka", "r.osm.pbf", True)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [(("mon, wed,,fri ",), ("mon", "wed", "fri")), (("",), ()), ((), ()),
     (("plastics", "02,0203"), ("plastics", "02", "0203"))],
)
def test_split_list(texts: tuple[str, ...], expected: tuple[str, ...]) -> None:
    """Comma lists from one or several options become trimmed items, empty ones dropped."""
    assert split_list(*texts) == expected


def test_print_table_prints_every_row_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    """A wide, long frame is printed whole: no index, no '...' for elided rows or columns."""
    frame = pd.DataFrame({f"column_{i}": ["x" * 40] * 80 for i in range(30)})
    print_table(frame)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 81 and "..." not in lines[0] and lines[0].split()[0] == "column_0"
    assert lines[0].split() == list(frame.columns)
    print_table(pd.DataFrame({"v": [1234.56]}), float_format=lambda v: f"{v:,.1f}")
    assert capsys.readouterr().out.splitlines()[1].strip() == "1,234.6"


def test_fail_prints_on_stderr_and_returns_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    """The message goes to stderr after 'error: '; the exit code is returned."""
    assert fail(SymbiosisError("no depot")) == 1
    assert fail("bad file", code=2) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "error: no depot\nerror: bad file\n"
