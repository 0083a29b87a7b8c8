"""Tests of geo.catalogue.china and china_rows: a supplied 国家危险废物名录 table read row by row.

The lists in ``data/`` are fictitious (categories HW98/HW99, industry code 999, every row
marked 虚构 / FICTITIOUS): no entry of the real list is written here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geo.catalogue.catalogue import load_catalogue
from geo.catalogue.china import ChinaListReport, read_china_hw_list
from geo.catalogue.china_rows import check_rows, normalise_hazard, normalise_official_code
from geo.catalogue.registry import available_catalogues
from geo.errors import CatalogueError
from geo.i18n import use_locale

DATA = Path(__file__).parent / "data"
GOOD = DATA / "china_hw_fictitious.csv"
MALFORMED = DATA / "china_hw_fictitious_malformed.csv"
HEADER = "废物类别,行业来源,废物代码,危险废物,危险特性\n"


def _read(path: Path, **kw: object) -> ChinaListReport:
    args: dict[str, object] = {"edition": "虚构 2099年版", "valid_from": "2099-01-01", **kw}
    return read_china_hw_list(path, **args)


@pytest.fixture(scope="module")
def good() -> ChinaListReport:
    """The fictitious list, read as edition '虚构 2099年版' in force from 2099-01-01."""
    return _read(GOOD, valid_until=dt.date(2099, 12, 31))


@pytest.mark.parametrize("path", [GOOD, MALFORMED])
def test_test_lists_are_marked_fictitious(path: Path) -> None:
    """Every row of the test lists says it is made up, in a category and code that do not exist."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert raw["备注"].str.contains("FICTITIOUS").all()
    assert raw["废物代码"].str.match(r"^99").all()
    assert raw["废物类别"].replace("", pd.NA).dropna().str.match(r"HW9[89]|虚构").all()


def test_fictitious_list_loads(good: ChinaListReport) -> None:
    """The well-formed list is accepted; merged cells are carried down; hazards normalised."""
    assert good.ok and good.errors.empty and good.rejects.empty
    assert good.rows == 5
    e = good.entries
    assert e["code"].tolist() == ["999-001-98", "999-002-98", "999-003-98", "999-001-99",
                                  "999-002-99"]
    assert e["category"].tolist() == ["HW98"] * 3 + ["HW99"] * 2
    assert e["industry_source"].tolist() == ["虚构行业一", "虚构行业一", "虚构行业二",
                                             "虚构行业三", "虚构行业三"]
    assert e["hazard"].tolist() == ["T", "T/C", "T/I", "In", "T/R"]
    assert good.columns["code"] == "废物代码"
    assert good.ignored_columns == ("备注",)


def test_fictitious_list_as_a_catalogue(good: ChinaListReport) -> None:
    """As a catalogue, categories are chapters; members may write the official code alone."""
    cat = good.catalogue()
    assert cat.catalogue_id == "china_hw_2099"
    assert cat.normalise_code("999-002-98") == "HW98 999-002-98"
    assert cat.is_entry("999-002-98") and cat.is_hazardous("hw99 999-001-99")
    assert cat.chapter_label("HW98") == "HW98 虚构类别甲（测试用，非名录内容）"
    assert cat.codes_matching(["HW99"]) == {"HW99 999-001-99", "HW99 999-002-99"}
    table = good.catalogue_table()
    assert table.set_index("code").loc["HW98 999-002-98", "hazard"] == "T/C"


def test_edition_and_validity_are_kept(good: ChinaListReport, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The written catalogue keeps edition, validity, source file and checksum; it can be chosen."""
    info = good.info()
    assert (info.edition, info.valid_from, info.valid_until) == (
        "虚构 2099年版", dt.date(2099, 1, 1), dt.date(2099, 12, 31))
    assert info.status == "supplied"
    assert "china_hw_fictitious.csv" in info.notice and "did not compare" in info.notice
    path = good.write(tmp_path / "catalogues")
    (tmp_path / "catalogues" / "streams.csv").write_text(
        "group,label,pattern,note\nx,X,HW98,never used\n", encoding="utf-8")
    monkeypatch.setenv("SYMBIOMAP_CATALOGUE", str(path))
    cat = load_catalogue()
    assert cat.catalogue_id == "china_hw_2099"
    assert cat.info.edition == "虚构 2099年版"
    assert cat.info.valid_until == dt.date(2099, 12, 31)
    assert not cat.info.in_force(dt.date(2026, 1, 1))
    assert cat.groups().empty  # its description says: no stream groups
    assert len(cat.entries) == 5
    listed = available_catalogues([tmp_path / "catalogues"])
    assert listed["id"].tolist() == ["china_hw_2099"]


def test_malformed_list_is_refused_row_by_row(tmp_path: Path) -> None:
    """Each bad row is reported with its file row, column, value and reason, and kept."""
    report = _read(MALFORMED)
    assert not report.ok
    got = report.errors[["row", "column", "value"]].values.tolist()
    assert got == [
        [2, "废物类别", ""],
        [4, "废物代码", "99-002-98"],
        [5, "废物代码", "999-003-97"],
        [6, "废物代码", "999-001-98"],
        [7, "危险废物", ""],
        [8, "危险特性", "X/T"],
        [9, "行业来源", ""],
        [9, "废物类别", "HW99"],
        [10, "废物类别", "虚构类别"],
        [11, "废物类别", "HW98 另一个名字（虚构）"],
    ]
    reasons = dict(zip(report.errors["row"], report.errors["message"], strict=False))
    assert "no category above" in reasons[2]
    assert "NNN-NNN-NN" in reasons[4]
    assert "not its category HW98's" in reasons[5]
    assert "same code as row 3" in reasons[6]
    assert "T (toxicity)" in reasons[8]
    assert "is named" in reasons[11] and "row 3" in reasons[11]
    assert report.entries["code"].tolist() == ["999-001-98"]
    assert report.rejects["_row"].tolist() == [2, 4, 5, 6, 7, 8, 9, 10, 11]
    assert report.rejects.loc[0, "备注"].startswith("FICTITIOUS")
    with pytest.raises(CatalogueError, match=r"refused: 9 of 10 rows.*row 2, 废物类别.*Fix"):
        report.catalogue()
    with pytest.raises(CatalogueError, match="refused"):
        report.write(tmp_path)
    assert not list(tmp_path.iterdir())
    back = pd.read_csv(report.write_rejects(tmp_path / "rejects.csv"), dtype=str,
                       keep_default_na=False, encoding="utf-8-sig")
    assert back["_row"].tolist() == ["2", "4", "5", "6", "7", "8", "9", "10", "11"]
    assert back.loc[back["_row"] == "8", "_errors"].iloc[0].startswith("危险特性: expected")


def test_excel_with_merged_cells(tmp_path: Path) -> None:
    """An .xlsx whose category and industry cells are merged over their rows reads the same."""
    raw = pd.read_csv(GOOD, dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(raw.columns))
    for row in raw.itertuples(index=False):
        ws.append(list(row))
    ws.merge_cells("A2:A4")
    ws.merge_cells("B2:B3")
    ws.merge_cells("A5:A6")
    ws.merge_cells("B5:B6")
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    report = _read(path)
    assert report.ok
    good = _read(GOOD)
    pd.testing.assert_frame_equal(report.entries, good.entries)


def test_gb18030_csv_and_english_headers(tmp_path: Path) -> None:
    """A GB18030 file with English headings and a repeated header row (page break) reads."""
    text = GOOD.read_text(encoding="utf-8").splitlines()
    english = "category,industry source,code,description,hazard,note"
    lines = [english, *text[1:3], text[0], *text[3:]]
    path = tmp_path / "list.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    report = _read(path)
    assert report.ok and report.repeated_headers == 1
    assert report.entries["code"].tolist() == _read(GOOD).entries["code"].tolist()


@pytest.mark.parametrize(
    ("kw", "pattern"),
    [({"edition": " "}, "edition of the list is empty"),
     ({"valid_from": "1.1.2099"}, "valid_from '1.1.2099' is not a date"),
     ({"valid_until": "2098-12-31"}, "before valid_from")],
)
def test_bad_edition_or_dates_are_refused(kw: dict[str, object], pattern: str) -> None:
    """An empty edition, an unreadable date or an end before the start is refused."""
    with pytest.raises(CatalogueError, match=pattern):
        _read(GOOD, **kw)


def test_missing_column_and_non_tables_are_refused(tmp_path: Path) -> None:
    """A table without 危险特性, and a file that is not a table, are refused before any row."""
    short = tmp_path / "short.csv"
    short.write_text("废物类别,行业来源,废物代码,危险废物\nHW98 虚构,虚构,999-001-98,虚构\n",
                     encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"missing column.*'危险特性'"):
        _read(short)
    png = tmp_path / "list.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(CatalogueError, match=r"not a kind of file.*Accepted here: CSV"):
        _read(png)


def test_empty_list_is_refused(tmp_path: Path) -> None:
    """A header without rows gives no catalogue."""
    path = tmp_path / "empty.csv"
    path.write_text(HEADER + "废物类别,行业来源,废物代码,危险废物,危险特性\n", encoding="utf-8")
    report = _read(path)
    assert report.rows == 0 and report.repeated_headers == 1
    with pytest.raises(CatalogueError, match="no entry rows"):
        report.catalogue()


@pytest.mark.parametrize(("text", "expected"),
                         [("９９９－００１－９８", "999-001-98"), ("999 — 001 — 98", "999-001-98"),
                          ("999-001-98", "999-001-98")])
def test_official_code_forms(text: str, expected: str) -> None:
    """Full-width digits, other dashes and spaces are read as the plain code."""
    assert normalise_official_code(text) == expected


@pytest.mark.parametrize(("text", "expected"),
                         [("T/C", "T/C"), ("t，in", "T/In"), ("T、I、R", "T/I/R"), ("T/T", "T"),
                          ("", None), ("Tox", None), ("T/X", None)])
def test_hazard_forms(text: str, expected: str | None) -> None:
    """Hazard characteristics T, C, I, R, In in any case and separator; anything else is None."""
    assert normalise_hazard(text) == expected


def test_full_width_forms_are_read_and_text_kept_verbatim() -> None:
    """ＨＷ９８ and a full-width code are read; names and descriptions keep their punctuation."""
    cells = pd.DataFrame({"category": ["ＨＷ９８ 虚构类别（甲，测试）"],
                          "industry_source": ["虚构"], "code": ["９９９－００１－９８"],
                          "description": ["虚构（非名录），测试"], "hazard": ["Ｔ／Ｃ"]}, index=[2])
    entries, errors = check_rows(cells, {})
    assert errors.empty
    assert entries.iloc[0][["category", "category_name", "code", "description", "hazard"]
                           ].tolist() == ["HW98", "虚构类别（甲，测试）", "999-001-98",
                                          "虚构（非名录），测试", "T/C"]


def test_row_reasons_follow_the_session_language() -> None:
    """In the pseudo-locale every reason and the refusal are bracketed, values filled in."""
    with use_locale("qps_PLOC"):
        report = _read(MALFORMED)
        with pytest.raises(CatalogueError) as err:
            report.catalogue()
    reasons = dict(zip(report.errors["row"], report.errors["message"], strict=False))
    assert reasons[6].startswith("⟦") and "3" in reasons[6] and "{" not in reasons[6]
    assert str(err.value).startswith("⟦") and "废物类别" in str(err.value)
