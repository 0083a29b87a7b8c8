"""Tests of geo.catalogue.fileformat: code forms, validation on plain inputs, reading files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.catalogue.fileformat import (
    CATALOGUE_COLUMNS,
    STREAM_COLUMNS,
    collapse_text,
    normalise_ewc_code,
    read_csv_table,
    strip_ewc_separators,
    validate_catalogue_table,
    validate_stream_table,
)
from geo.errors import CatalogueError

TINY = pd.DataFrame(
    [
        ("01", "chapter", "", "Chapter one", "false"),
        ("0101", "subchapter", "01", "sub one", "false"),
        ("010101", "entry", "0101", "an entry", "true"),
        ("010102", "entry", "0101", "another  entry", "false"),
    ],
    columns=list(CATALOGUE_COLUMNS),
)
CODES = frozenset(TINY["code"])


def _pattern_codes(pattern: str) -> frozenset[str]:
    """Entries of TINY starting with ``pattern`` (what a Catalogue's matcher answers)."""
    return frozenset(c for c in ("010101", "010102") if c.startswith(pattern))


def _streams(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(STREAM_COLUMNS))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("01 03 04*", "010304"), (10304, "010304"), ("10304.0", "010304"), (203, "0203"),
     ("garbage", None), (True, None), (10304.5, None), ("1234567", None)],
)
def test_normalise_ewc_code(raw: object, expected: str | None) -> None:
    """The digits-only form is rebuilt from spaced, starred and numeric input; garbage is None."""
    assert normalise_ewc_code(raw) == expected


def test_strip_and_collapse() -> None:
    """Separators leave EWC text; white space is trimmed and collapsed, blanks become None."""
    assert strip_ewc_separators("\u00a015.01-02 *") == "150102"
    assert collapse_text("  a \t b ") == "a b"
    assert collapse_text("") is None and collapse_text(None) is None
    assert collapse_text(pd.NA) is None and collapse_text(float("nan")) is None


def test_validated_table_gains_chapters_and_bool_marks() -> None:
    """A good table comes back indexed by code, hazardous as bool, chapter/subchapter added."""
    table = validate_catalogue_table(TINY, None)
    assert table.index.tolist() == TINY["code"].tolist()
    assert table["hazardous"].tolist() == [False, False, True, False]
    assert table.loc["010102", "description"] == "another entry"
    assert table.loc["010101", ["chapter", "subchapter"]].tolist() == ["01", "0101"]
    assert table.loc["01", ["chapter", "subchapter"]].tolist() == ["01", ""]


def test_invalid_table_names_the_line() -> None:
    """An entry whose parent is missing is refused with its line and the fix."""
    bad = pd.concat([TINY, pd.DataFrame([("010201", "entry", "0102", "orphan", "false")],
                                        columns=list(CATALOGUE_COLUMNS))], ignore_index=True)
    with pytest.raises(CatalogueError, match=r"catalogue table line 6 .*parent '0102'.*Fix"):
        validate_catalogue_table(bad, None)


def test_stream_table_is_checked_with_plain_inputs() -> None:
    """Stream rows are validated from a code set, a pattern matcher and a display name alone."""
    good = validate_stream_table(_streams(("ones", "Ones", "0101", "")), codes=CODES,
                                 pattern_codes=_pattern_codes, catalogue_name="the tiny list",
                                 source=None)
    assert good.to_dict("records") == [{"group": "ones", "label": "Ones", "pattern": "0101",
                                        "note": ""}]
    with pytest.raises(CatalogueError, match=r"'0199'.*matches no entry of the tiny list"):
        validate_stream_table(_streams(("ones", "Ones", "0199", "")), codes=CODES,
                              pattern_codes=_pattern_codes, catalogue_name="the tiny list",
                              source=Path("groups.csv"))
    with pytest.raises(CatalogueError, match=r"lower-case slug that is not a code"):
        validate_stream_table(_streams(("0101", "Ones", "0101", "")), codes=CODES,
                              pattern_codes=_pattern_codes, catalogue_name="the tiny list",
                              source=None)


def test_no_stream_file_means_no_groups() -> None:
    """A frame without rows or columns gives an empty table with the stream columns."""
    empty = validate_stream_table(pd.DataFrame(), codes=CODES, pattern_codes=_pattern_codes,
                                  catalogue_name="the tiny list", source=None)
    assert empty.empty and list(empty.columns) == list(STREAM_COLUMNS)


def test_read_csv_table_keeps_text_and_refuses_bad_files(tmp_path: Path) -> None:
    """Codes stay text with leading zeros; a missing or non-UTF-8 file gets an actionable error."""
    good = tmp_path / "c.csv"
    good.write_text("\ufeffcode,level\n01,chapter\n", encoding="utf-8")
    assert read_csv_table(good, "catalogue file").to_dict("records") == [
        {"code": "01", "level": "chapter"}]
    with pytest.raises(CatalogueError, match=r"catalogue file .*does not exist.*Fix"):
        read_csv_table(tmp_path / "nope.csv", "catalogue file")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,description\n01,d\xe9chets\n".encode("latin-1"))
    with pytest.raises(CatalogueError, match=r"cannot be read as a UTF-8 CSV.*Fix"):
        read_csv_table(latin, "stream groups file")
