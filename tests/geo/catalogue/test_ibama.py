"""Tests of geo.catalogue.ibama and the shipped IBAMA list: counts and code patterns against its
SOURCE note, the conversion, the description that says it is a transcription, stream groups."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from geo.catalogue.catalogue import Catalogue, load_catalogue
from geo.catalogue.fileformat import write_catalogue_csv
from geo.catalogue.ibama import IBAMA_PATH, catalogue_table_from_ibama
from geo.errors import CatalogueError
from tests.paths import ROOT

SOURCE_NOTE = IBAMA_PATH.with_name("ibama_2012.SOURCE.md")
META = IBAMA_PATH.with_name("ibama_2012.meta.json")
SHARED = Path(os.environ.get("SYMBIOMAP_SHARED_DIR", str(ROOT.parent / "shared"))) / "catalogues"


@pytest.fixture(scope="module")
def ibama() -> Catalogue:
    """The shipped IBAMA catalogue with its own stream groups."""
    return load_catalogue(IBAMA_PATH)


@pytest.fixture(scope="module")
def note_counts() -> dict[str, int]:
    """The counts the SOURCE note states in its 'Contents' paragraph."""
    text = SOURCE_NOTE.read_text(encoding="utf-8")
    m = re.search(r"\*\*Contents\.\*\* (\d+) waste entries in (\d+) chapters and (\d+) "
                  r"subchapters\. (\d+) are hazardous", text)
    assert m is not None, "the SOURCE note no longer states its counts where expected"
    entries, chapters, subchapters, hazardous = map(int, m.groups())
    return {"entries": entries, "chapters": chapters, "subchapters": subchapters,
            "hazardous_entries": hazardous}


@pytest.fixture(scope="module")
def shared_source() -> Path:
    """The transcription in the shared folder; tests that need it skip where it is absent."""
    path = SHARED / "ibama_2012.csv"
    if not path.is_file():
        pytest.skip(f"shared IBAMA transcription not found at {path} (set SYMBIOMAP_SHARED_DIR)")
    return path


def test_counts_match_the_source_note(ibama: Catalogue, note_counts: dict[str, int]) -> None:
    """878 entries, 449 hazardous, 20 chapters, 112 subchapters — as the SOURCE note says."""
    levels = ibama.table["level"].value_counts()
    actual = {"entries": int(levels["entry"]), "chapters": int(levels["chapter"]),
              "subchapters": int(levels["subchapter"]),
              "hazardous_entries": int(ibama.entries["hazardous"].sum())}
    assert actual == note_counts == {"entries": 878, "chapters": 20, "subchapters": 112,
                                     "hazardous_entries": 449}
    assert dict(ibama.info.counts) == note_counts


def test_code_patterns(ibama: Catalogue) -> None:
    """Entries print as NN NN NN, are unique and sorted, and nest in their subchapter/chapter."""
    e = ibama.entries
    printed = e["code"].map(ibama.format_code).str.removesuffix("(*)")
    assert printed.str.fullmatch(r"\d\d \d\d \d\d").all()
    assert e["code"].is_unique and e["code"].is_monotonic_increasing
    assert (e["code"].str[:4] == e["subchapter"]).all()
    assert (e["subchapter"].str[:2] == e["chapter"]).all()
    assert ibama.chapters()["code"].tolist() == [f"{i:02d}" for i in range(1, 21)]


def test_hazardous_marks_follow_the_source_asterisk(ibama: Catalogue) -> None:
    """An entry is hazardous exactly when its code in the source carries '(*)' (06 10 02 too)."""
    t = ibama.table.set_index("code")
    raw = pd.read_csv(IBAMA_PATH, dtype=str, keep_default_na=False).set_index("code")
    entries = raw[raw["level"] == "entry"]
    starred = entries["code_in_source"].str.endswith("(*)")
    assert (t.loc[entries.index, "hazardous"] == starred).all()
    assert ibama.is_hazardous("061002")


def test_the_app_is_told_it_is_a_transcription(ibama: Catalogue) -> None:
    """The description marks the list a transcription and says how far it was checked."""
    info = ibama.info
    assert (info.catalogue_id, info.status, info.language) == ("ibama_2012", "transcription",
                                                               "pt-BR")
    assert info.notice.startswith("Transcription, not the official text")
    assert "10–20" in info.notice
    assert "9.610/1998" in info.licence
    assert info.hazard_mark == "(*)"
    meta = json.loads(META.read_text(encoding="utf-8"))
    assert set(meta["columns"]) == {*ibama.table.columns, "code_in_source"} - {"chapter",
                                                                               "subchapter"}


def test_same_digits_are_not_the_same_waste(ibama: Catalogue) -> None:
    """16 01 03 is end-of-life vehicles in IBAMA (end-of-life tyres in the EWC)."""
    ewc = load_catalogue(IBAMA_PATH.with_name("ewc.csv"))
    assert ibama.describe("16 01 03") == "Veículos em fim de vida"
    assert ewc.describe("16 01 03") == "end-of-life tyres"
    assert ibama.format_code("160103") == "16 01 03(*)"


@pytest.mark.parametrize(("typed", "code"), [("01 03 04", "010304"), ("010304(*)", "010304"),
                                             ("01 03 04 (*)", "010304"), (10304, "010304")])
def test_codes_as_people_type_them(ibama: Catalogue, typed: object, code: str) -> None:
    """Codes are found with spaces, with the list's '(*)' mark, or as a number."""
    assert ibama.normalise_code(typed) == code
    assert ibama.is_entry(typed)


def test_descriptions_are_verbatim(ibama: Catalogue) -> None:
    """The source's footnote markers and quirks are kept, as its note says."""
    assert "con?rmação" in ibama.describe("180105")
    assert ibama.describe("160405").endswith("–")
    assert "contendo contaminados combifenilas" in ibama.describe("170502")
    assert ibama.describe("1501").endswith("([ii])")


def test_stream_groups_are_whole_headings_with_the_heading_quoted(ibama: Catalogue) -> None:
    """Every IBAMA group is made of chapters or subchapters whose heading its note quotes."""
    assert ibama.streams_source is not None
    assert ibama.streams_source.name == "ibama_2012.streams.csv"
    for row in ibama.streams.itertuples(index=False):
        assert ibama.level_of(row.pattern) in ("chapter", "subchapter")
        assert ibama.describe(row.pattern) in row.note
    assert "plastics" not in set(ibama.groups()["group"])  # the EWC's groups never apply
    assert ibama.codes_matching(["healthcare"]) == ibama.codes_matching(["18"])
    assert "160103" in ibama.codes_matching(["end_of_life_vehicles"])


def test_source_note_is_kept_verbatim(shared_source: Path) -> None:
    """The shipped SOURCE note starts with the shared note, unchanged, then adds the copy."""
    shipped = SOURCE_NOTE.read_text(encoding="utf-8")
    original = (shared_source.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert shipped.startswith(original)
    assert "Copy in SymbioMap" in shipped[len(original):]


def test_shared_transcription_matches_its_checksum(shared_source: Path) -> None:
    """The shared file's SHA-256 is the one in SHA256SUMS, in the description and the note."""
    digest = hashlib.sha256(shared_source.read_bytes()).hexdigest()
    sums = (shared_source.parent / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"{digest}  ibama_2012.csv" in sums
    assert json.loads(META.read_text(encoding="utf-8"))["source_sha256"] == digest
    assert digest in SOURCE_NOTE.read_text(encoding="utf-8")


def test_conversion_reproduces_the_shipped_file(shared_source: Path, tmp_path: Path) -> None:
    """Converting the shared transcription gives the shipped CSV byte for byte."""
    raw = pd.read_csv(shared_source, dtype=str, keep_default_na=False)
    out = write_catalogue_csv(catalogue_table_from_ibama(raw), tmp_path / "ibama_2012.csv")
    assert out.read_bytes() == IBAMA_PATH.read_bytes()


@pytest.mark.parametrize(
    ("change", "pattern"),
    [({"code": "1 01 01"}, r"line 2: code '1 01 01'"),
     ({"subchapter": "02 01"}, r"line 2: code '01 01 01' does not nest"),
     ({"hazardous": "sim"}, r"hazardous 'sim'")],
)
def test_conversion_refuses_a_broken_transcription(change: dict[str, str], pattern: str) -> None:
    """A code of the wrong shape, outside its subchapter, or a bad mark stops the conversion."""
    row = {"code": "01 01 01", "hazardous": "false", "description_pt_br": "x", "chapter": "01",
           "chapter_title_pt_br": "c", "subchapter": "01 01", "subchapter_title_pt_br": "s",
           "code_in_source": "010101"}
    with pytest.raises(CatalogueError, match=pattern):
        catalogue_table_from_ibama(pd.DataFrame([{**row, **change}]))
