"""Tests of geo.importer: reading, encodings, header aliases, validation of every bad input,
storing without duplicates, and the rejects round trip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geo.catalogue import Catalogue, load_catalogue
from geo.errors import ImportFileError
from geo.importer import import_file, match_headers, read_table
from geo.importer.read import decode_text, looks_chinese
from geo.importer.values import parse_numbers, unit_of
from geo.store import Store, open_store

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The European Waste Catalogue shipped in data/catalogue (read once per module)."""
    return load_catalogue()


@pytest.fixture
def store() -> Store:
    """A fresh in-memory store."""
    return open_store("sqlite://")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")  # Python writes the BOM of utf-16/-32
    path.write_bytes((bom + text).encode(encoding))
    return path


GOOD_CSV = """\
Company,Postcode,Country,Have/Want,EWC code,Description,Quantity,Unit,Longitude,Latitude
Acme Oy,48600,FI,have,15 01 02,plastic film,12.5,t/yr,26.90,60.50
Acme Oy,48600,FI,want,030105,sawdust,300,tpa,26.90,60.50
Beta Oy,48601,FI,have,070101*,washing liquids,3,t,,
"""


def run(tmp_path: Path, text: str, store: Store | None, catalogue: Catalogue,
        name: str = "members.csv", encoding: str = "utf-8", **kw: object):
    return import_file(write(tmp_path, name, text, encoding), store=store, programme="P",
                       catalogue=catalogue, **kw)


def only_error(report, field: str) -> dict:
    found = [e for e in report.errors if e["field"] == field]
    assert len(found) == 1, report.errors
    return found[0]


# -- reading ------------------------------------------------------------------------------------

ZH_TABLE = ("企业名称,废物代码,数量（吨/年）,供需,经度,纬度\n"
            "上海华谊化工有限公司,070101,12.5,供应,121.47,31.23\n"
            "江苏钢铁集团,170405,300,需求,120.30,31.57\n")
PT_TABLE = ("Empresa;Código LER;Quantidade;Unidade;Oferta/Procura;Descrição\n"
            "Associação Têxtil de Guimarães;040222;12,5;toneladas/ano;oferta;Resíduos têxteis\n"
            "Cerâmica São João;101201;3;t;procura;Cacos cerâmicos\n")


@pytest.mark.parametrize(("table", "encodings"), [
    (ZH_TABLE, ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be", "utf-32"]),
    (PT_TABLE, ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32"]),
])
def test_encodings_read_identically(tmp_path: Path, table: str, encodings: list[str]) -> None:
    """The same table in each encoding reads to the same frame (Chinese vs Latin-1 told apart)."""
    frames = [read_table(write(tmp_path, f"t-{enc}.csv", table, enc)) for enc in encodings]
    for enc, frame in zip(encodings, frames, strict=True):
        pd.testing.assert_frame_equal(frame, frames[0], obj=enc)
    assert frames[0].iloc[0, 0] in ("上海华谊化工有限公司", "Associação Têxtil de Guimarães")


@pytest.mark.parametrize(("table", "encodings"), [
    (ZH_TABLE, ["utf-8", "utf-8-sig", "gb18030"]),
    (PT_TABLE, ["utf-8", "utf-8-sig", "latin-1"]),
])
def test_encodings_import_identically(tmp_path: Path, catalogue: Catalogue, table: str,
                                      encodings: list[str]) -> None:
    """Importing the table in each encoding stores the same records."""
    stored = []
    for enc in encodings:
        s = open_store("sqlite://")
        report = run(tmp_path, table, s, catalogue, name=f"m-{enc}.csv", encoding=enc)
        assert (report.rows, report.imported, report.rejected) == (2, 2, 0), report.errors
        res = s.load_programme("P").resources.drop(columns=["resource_id", "site_id"])
        stored.append(res)
    for frame in stored[1:]:
        pd.testing.assert_frame_equal(frame, stored[0])
    assert stored[0]["unit"].tolist() == ["t/yr", "t/yr"]


@pytest.mark.parametrize(("text", "encoding"), [
    ("上海华谊化工有限公司,江苏钢铁集团", "gb18030"), ("企业,代码\n华谊,070101\n", "gb18030"),
    ("ABC塑料有限公司,宝钢", "gb18030"),
])
def test_chinese_bytes_are_gb18030(text: str, encoding: str) -> None:
    """GB18030 bytes of Chinese text are recognised as such."""
    data = text.encode(encoding)
    assert looks_chinese(data)
    assert decode_text(data) == (text, "gb18030")


@pytest.mark.parametrize("text", ["nome,LER\nJoão,070101\n", "ASSOCIAÇÃO;INFORMAÇÃO;AÇÃO",
                                  "Päivän Puu;Hämäläinen Oy", "Müller Größe", "Société Générale"])
def test_european_bytes_are_latin1(text: str) -> None:
    """Latin-1 text that GB18030 would also decode is still read as Latin-1."""
    decoded, encoding = decode_text(text.encode("latin-1"))
    assert decoded == text and encoding in ("latin-1", "cp1252")


@pytest.mark.parametrize(("sep", "expected"), [(",", ","), (";", ";"), ("\t", "\t")])
def test_delimiter_sniffed(tmp_path: Path, sep: str, expected: str) -> None:
    """Comma, semicolon and tab separated files split into the same columns."""
    text = f'Company{sep}Qty{sep}Note\n"A, B; C"{sep}"1,5"{sep}x\nD{sep}2{sep}y\n'
    frame = read_table(write(tmp_path, "d.csv", text))
    assert frame.attrs["delimiter"] == expected
    assert list(frame.columns) == ["Company", "Qty", "Note"]
    assert frame.loc[2].tolist() == ["A, B; C", "1,5", "x"]


@pytest.mark.parametrize(("text", "row"), [
    ("\nCompany,Code\nAcme,007\n", 3), ("\r\n\r\nCompany,Code\r\nAcme,007\r\n", 4),
    ("\rCompany,Code\rAcme,007\r", 3),
])
def test_blank_lines_before_the_header_are_skipped(tmp_path: Path, text: str, row: int) -> None:
    """Blank lines above the header do not stop the reading (pandas alone raises
    EmptyDataError), and row numbers still count them."""
    frame = read_table(write(tmp_path, "b.csv", text))
    assert list(frame.columns) == ["Company", "Code"]
    assert frame.index.tolist() == [row]
    assert frame.loc[row].tolist() == ["Acme", "007"]


def test_all_columns_are_text_and_row_numbers_count_the_header(tmp_path: Path) -> None:
    """Cells stay text as written (NA, 007) and the index is the file row (header = 1)."""
    frame = read_table(write(tmp_path, "r.csv", "Company,Code\nNA,007\n\n,\nBeta,1.50\n"))
    assert frame.index.tolist() == [2, 5]
    assert frame.loc[2].tolist() == ["NA", "007"]
    assert frame.loc[5, "Code"] == "1.50"


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    """An Excel sheet reads as text with spreadsheet row numbers, whatever its file name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Company", "EWC", "Qty", "Since"])
    ws.append(["Acme", 10304, 12.5, pd.Timestamp("2025-03-04").to_pydatetime()])
    ws.append([None, None, None, None])
    ws.append(["Beta", "150102", 3, None])
    path = tmp_path / "members.csv"  # an .xlsx with the wrong extension
    wb.save(path)
    frame = read_table(path)
    assert frame.attrs["format"] == "xlsx"
    assert frame.index.tolist() == [2, 4]
    assert frame.loc[2].tolist() == ["Acme", "10304", "12.5", "2025-03-04"]
    assert frame.loc[4, "Qty"] == "3"


def _saved_by(data: bytes, value: str, *, excel: bool = True,
              patch: tuple[bytes, bytes] = (b"", b"")) -> bytes:
    """The workbook with each formula's result stored beside it: as Excel saves it
    (``excel``), or as XlsxWriter does (a placeholder result, recalculate on load)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = body.replace(b"<v />", f"<v>{value}</v>".encode())
                if patch[0]:
                    assert patch[0] in body
                    body = body.replace(*patch)
            if info.filename == "xl/workbook.xml":
                body = body.replace(b'fullCalcOnLoad="1"', b"" if excel else
                                    b'fullCalcOnLoad="1"')
                assert excel or b"fullCalcOnLoad" in body
            dst.writestr(info, body)
    return out.getvalue()


def test_formulas_without_computed_values_refuse_the_file() -> None:
    """A workbook written by a script holds formulas but not their results: the quantity
    would read as empty, so the file is refused with the cell and what to do; the same
    workbook saved by Excel (results stored) reads the results, an empty-text result too;
    one whose results are placeholders to recalculate on load (XlsxWriter) is refused."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Company", "EWC", "Qty", "Note"])
    ws.append(["Acme", "150102", 5, "=IF(A2=\"\",\"\",\"\")"])
    ws.append(["Formula Oy", "150102", "=2*3", None])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportFileError, match=r"2 formula cells .*first D2.*LibreOffice"):
        read_table(io.BytesIO(buf.getvalue()), filename="members.xlsx")
    excel = _saved_by(buf.getvalue(), "6", patch=(  # Excel: an empty-text result is t="str"
        b'<c r="D2"><f>IF(A2="","","")</f><v>6</v>',
        b'<c r="D2" t="str"><f>IF(A2="","","")</f><v></v>'))
    frame = read_table(io.BytesIO(excel), filename="members.xlsx")
    assert frame.loc[3, "Qty"] == "6" and frame.loc[2, "Note"] == ""
    with pytest.raises(ImportFileError, match="LibreOffice"):
        read_table(io.BytesIO(_saved_by(buf.getvalue(), "0", excel=False)),
                   filename="members.xlsx")


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(("data", "found"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
    (_docx_bytes(), "Word document"),
    (b"%PDF-1.7\n...", "PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
    (b"name,qty\x00\x01\x02\x00\x00garbage", "binary data"),
])
def test_not_a_table_is_refused(tmp_path: Path, data: bytes, found: str) -> None:
    """Images, documents and binaries named .csv are refused saying what they are."""
    path = tmp_path / "members.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=found) as err:
        read_table(path)
    assert "Expected a CSV file" in str(err.value) or "xlsx" in str(err.value)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n"])
def test_empty_file_is_refused(tmp_path: Path, data: bytes, catalogue: Catalogue) -> None:
    """An empty file (or only a BOM and blank lines) raises ImportFileError saying so."""
    path = tmp_path / "empty.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match="empty"):
        import_file(path, store=None, programme="P", catalogue=catalogue)


@pytest.mark.parametrize("text", ["Company,EWC\n", "Company,EWC", "\n\nCompany,EWC\n,\n\n"])
def test_header_only_file_is_refused_and_creates_nothing(tmp_path: Path, store: Store,
                                                         catalogue: Catalogue,
                                                         text: str) -> None:
    """A header without data rows is refused (not a successful import of 0 rows), and the
    store gets no programme, batch or reject from it."""
    with pytest.raises(ImportFileError, match="no data rows") as err:
        run(tmp_path, text, store, catalogue)
    assert "'members.csv'" in str(err.value)
    assert store.programme_names() == []


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


MEMBERS_SHEET = [["Company", "Have/Want", "EWC code", "Quantity", "Unit"],
                 ["Acme Oy", "have", "150102", 12.5, "t/yr"],
                 ["Beta Oy", "want", "030105", 300, "tpa"]]


@pytest.mark.parametrize("notes", [
    [["This is a notes sheet"]],
    [["About this file"], ["Exported from the survey tool"], ["Contact: the programme team"]],
    [["Company", "Have/Want"]],
])
def test_workbook_member_list_on_a_later_sheet_is_read(tmp_path: Path, store: Store,
                                                      catalogue: Catalogue,
                                                      notes: list[list[object]]) -> None:
    """A workbook whose first sheet holds notes (or a bare header) is read from the sheet
    that holds the member list, and the report names that sheet."""
    path = _workbook(tmp_path / "members.xlsx", {"Notes": notes, "Members": MEMBERS_SHEET})
    report = import_file(path, store=store, programme="P", catalogue=catalogue)
    assert (report.rows, report.imported, report.rejected) == (2, 2, 0), report.errors
    assert report.sheet == "Members" and report.to_dict()["sheet"] == "Members"
    assert sorted(store.load_programme("P").sites["name"]) == ["Acme Oy", "Beta Oy"]


def test_workbook_without_data_rows_is_refused_naming_its_sheets(tmp_path: Path, store: Store,
                                                                 catalogue: Catalogue) -> None:
    """A workbook with no sheet holding data rows is refused, naming the sheets looked at."""
    path = _workbook(tmp_path / "members.xlsx", {"Notes": [["Read me"]],
                                                 "Members": [MEMBERS_SHEET[0]]})
    with pytest.raises(ImportFileError, match="no data rows") as err:
        import_file(path, store=store, programme="P", catalogue=catalogue)
    assert "'Notes'" in str(err.value) and "'Members'" in str(err.value)
    assert store.programme_names() == []


@pytest.mark.parametrize(("text", "row"), [
    ("Company,Description\nAcme,short\nBeta,{long}\nGamma,x\n", 3),
    ("Company;Description\nAcme;{long}\n", 2),
    # a row longer than the header sends the reader to the csv module's fallback
    ("Company,Description\nAcme,x,surplus\nBeta,{long}\n", 3),
])
def test_overlong_cell_is_refused_naming_its_row(tmp_path: Path, catalogue: Catalogue,
                                                 text: str, row: int) -> None:
    """A cell of 200,000 characters gives an ImportFileError naming its row and the limit
    (not the csv module's raw error)."""
    path = write(tmp_path, "long.csv", text.format(long="X" * 200_000))
    with pytest.raises(ImportFileError, match=f"row {row}") as err:
        import_file(path, store=None, programme="P", catalogue=catalogue)
    assert "131,072" in str(err.value) or "131072" in str(err.value)


def test_unclosed_quote_swallowing_the_file_is_refused(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    """An opening quote never closed turns the rest of the file into one cell: refused with
    a hint at the quote, not a raw csv error."""
    rows = "".join(f"Site {i},{'y' * 200}\n" for i in range(1_000))
    path = write(tmp_path, "quote.csv", 'Company,Description\nAcme,"unclosed\n' + rows)
    with pytest.raises(ImportFileError, match="quote"):
        import_file(path, store=None, programme="P", catalogue=catalogue)


# -- headers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "field"), [
    ("Company", "name"), ("Company name", "name"), ("COMPANY  NAME", "name"),
    ("company_name", "name"), ("CompanyName", "name"), ("Empresa", "name"),
    ("企业名称", "name"), ("Razão social", "name"),
    ("EWC", "ewc_code"), ("EWC code", "ewc_code"), ("LoW code", "ewc_code"),
    ("waste code", "ewc_code"), ("código LER", "ewc_code"), ("Codigo LER", "ewc_code"),
    ("废物代码", "ewc_code"),
    ("Qty", "quantity"), ("Quantity (t/yr)", "quantity"), ("tonnes per year", "quantity"),
    ("Quantidade", "quantity"), ("数量", "quantity"),
    ("Longitude", "lon"), ("lng", "lon"), ("x", "lon"), ("Latitude", "lat"), ("Y", "lat"),
    ("Have/Want", "direction"), ("Oferta/Procura", "direction"),
])
def test_header_aliases(header: str, field: str) -> None:
    """Headers in several languages, cases and punctuations map to their field."""
    assert match_headers([header]).fields == {field: header}


@pytest.mark.parametrize(("header", "unit"), [
    ("Quantity (t/yr)", "t/yr"), ("Qty [tpa]", "t/yr"), ("tonnes per year", "t/yr"),
    ("Amount (m³/a)", "m3/yr"), ("MWh/yr", "MWh/yr"), ("数量（吨/年）", "t/yr"),
    ("Quantity t/yr", "t/yr"),
])
def test_unit_inferred_from_header(header: str, unit: str) -> None:
    """A unit written in the quantity header is recognised."""
    assert match_headers([header]).units == {"quantity": unit}


def test_unknown_and_repeated_columns_are_reported(tmp_path: Path, catalogue: Catalogue) -> None:
    """Unknown columns are kept as extras and a second name column is listed as ignored."""
    text = "Company,Company name,EWC,Notes,Qty,Unit,Have/Want\nA,B,150102,hello,1,t,have\n"
    report = run(tmp_path, text, None, catalogue)
    assert report.extra_columns == ("Notes",)
    assert report.ignored_columns == ("Company name",)
    assert report.columns["name"] == "Company"


def test_header_unit_fills_rows_without_unit(tmp_path: Path, store: Store,
                                             catalogue: Catalogue) -> None:
    """'Quantity (MWh/yr)' gives rows without a unit column that unit."""
    text = "Company,Have/Want,Class,Quantity (MWh/yr)\nHeat Oy,have,energy,120\n"
    report = run(tmp_path, text, store, catalogue)
    assert report.imported == 1, report.errors
    res = store.load_programme("P").resources
    assert res[["unit", "quantity", "resource_class"]].iloc[0].tolist() == [
        "MWh/yr", 120.0, "energy"]


# -- bad inputs ---------------------------------------------------------------------------------

HEAD = "Company,Have/Want,EWC code,Quantity,Unit,Longitude,Latitude\n"


@pytest.mark.parametrize(("row", "field", "value", "words"), [
    ("Acme,have,191299,1,t,,", "ewc_code", "191299", ["unknown waste code", "191212"]),
    ("Acme,have,abc,1,t,,", "ewc_code", "abc", ["not a waste code", "6 digits"]),
    ("Acme,have,0201,1,t,,", "ewc_code", "0201", ["subchapter heading", "020101"]),
    ("Acme,have,150102,lots,t,,", "quantity", "lots", ["not a number"]),
    ("Acme,have,150102,-4,t,,", "quantity", "-4", ["negative"]),
    ("Acme,have,150102,4,kg,,", "unit", "kg", ["not known", "t/yr, m3/yr, MWh/yr"]),
    ("Acme,have,150102,4,,,", "unit", "", ["no unit"]),
    ("Acme,have,150102,4,t,200,60", "lon", "200", ["outside -180…180"]),
    ("Acme,have,150102,4,t,26,95", "lat", "95", ["outside -90…90"]),
    ("Acme,have,150102,4,t,31.2,121.5", "lat", "121.5", ["swapped"]),
    ("Acme,have,150102,4,t,0,0", "lon", "0", ["not a real site"]),
    ("Acme,have,150102,4,t,26.9,", "lat", "", ["give both or neither"]),
    ("Acme,have,150102,4,t,east,60", "lon", "east", ["not a number"]),
    (",have,150102,4,t,,", "name", "", ["site name is missing"]),
    ("Acme,perhaps,150102,4,t,,", "direction", "perhaps", ["not have or want"]),
    ("Acme,,150102,4,t,,", "direction", "", ["have/want is missing"]),
    ("Acme,have,,4,t,,", "ewc_code", "", ["needs a waste code"]),
])
def test_bad_rows_reported(tmp_path: Path, catalogue: Catalogue, row: str, field: str,
                           value: str, words: list[str]) -> None:
    """Each kind of bad row is rejected with row number, column, value and a reason."""
    report = run(tmp_path, HEAD + "Good Oy,have,150102,1,t,26.9,60.5\n" + row + "\n", None,
                 catalogue)
    assert (report.rows, report.imported, report.rejected) == (2, 1, 1)
    err = only_error(report, field)
    assert err["row"] == 3 and err["value"] == value
    assert err["column"] == {"ewc_code": "EWC code", "quantity": "Quantity", "unit": "Unit",
                             "lon": "Longitude", "lat": "Latitude", "name": "Company",
                             "direction": "Have/Want"}[field]
    for word in words:
        assert word in err["message"]
    assert report.rejects["_row"].tolist() == [3]


def test_every_bad_cell_of_a_row_is_reported(tmp_path: Path, catalogue: Catalogue) -> None:
    """A row with several bad cells lists each of them, and is rejected once."""
    report = run(tmp_path, HEAD + "Acme,maybe,999999,-1,kg,200,95\n", None, catalogue)
    assert report.rejected == 1
    assert {e["field"] for e in report.errors} == {"direction", "ewc_code", "quantity", "unit",
                                                   "lon", "lat"}
    assert {e["row"] for e in report.errors} == {2}


@pytest.mark.parametrize(("spelling", "unit"), [
    ("t", "t/yr"), ("tonnes/year", "t/yr"), ("tpa", "t/yr"), ("T/YR", "t/yr"),
    ("tonnes", "t/yr"), ("m³", "m3/yr"), ("MWh/a", "MWh/yr"), ("吨/年", "t/yr"),
])
def test_unit_spellings_accepted(spelling: str, unit: str) -> None:
    """Common unit spellings normalise to the model's units."""
    assert unit_of(spelling) == unit


@pytest.mark.parametrize(("word", "direction"), [
    ("have", "have"), ("Supply", "have"), ("offer", "have"), ("oferta", "have"),
    ("供应", "have"), ("want", "want"), ("DEMAND", "want"), ("need", "want"),
    ("procura", "want"), ("需求", "want"), ("供", "have"), ("需", "want"), ("供方", "have"),
    ("需方", "want"),
])
def test_direction_spellings_accepted(tmp_path: Path, catalogue: Catalogue, word: str,
                                      direction: str) -> None:
    """have/want may be written as supply/demand, offer/need … in several languages."""
    store = open_store("sqlite://")
    report = run(tmp_path, HEAD + f"Acme,{word},150102,1,t,,\n", store, catalogue)
    assert report.imported == 1, report.errors
    assert store.load_programme("P").resources["direction"].tolist() == [direction]


def test_numbers_with_decimal_commas_and_thousands() -> None:
    """12,5 and 1 234,5 are read; an ambiguous 1,234 is not guessed."""
    parsed = parse_numbers(pd.Series(["12,5", "1 234,5", "1,234.5", "1,234", "-0.5"]))
    assert parsed.tolist()[:3] == [12.5, 1234.5, 1234.5]
    assert pd.isna(parsed[3]) and parsed[4] == -0.5


def test_numbers_too_large_for_a_float_are_not_numbers() -> None:
    """1e309 overflows to infinity: it is not read (NaN), like inf and NaN written out."""
    parsed = parse_numbers(pd.Series(["1e309", "-1e309", "1,5e309", "inf", "NaN", "1e308"]))
    assert parsed.iloc[:5].isna().all() and parsed.iloc[5] == 1e308


@pytest.mark.parametrize(("column", "field", "value"), [
    ("Quantity", "quantity", "1e309"), ("Quantity", "quantity", "-1E400"),
    ("Quantity", "quantity", "inf"), ("Disposal cost", "disposal_cost_per_year", "1e309"),
    ("Longitude", "lon", "1e309"), ("Latitude", "lat", "-1e309"),
])
def test_non_finite_numbers_are_rejected(tmp_path: Path, store: Store, catalogue: Catalogue,
                                         column: str, field: str, value: str) -> None:
    """A number that overflows to infinity rejects its row with 'not a number' (as inf does),
    and nothing infinite is stored."""
    cells = {"Quantity": "5", "Disposal cost": "100", "Longitude": "26.9", "Latitude": "60.5",
             column: value}
    text = ("Company,Have/Want,EWC code,Unit," + ",".join(cells) + "\n"
            "Good Oy,have,150102,t/yr,5,100,26.9,60.5\n"
            "Bad Oy,have,150102,t/yr," + ",".join(cells.values()) + "\n")
    report = run(tmp_path, text, store, catalogue)
    assert (report.rows, report.imported, report.rejected) == (2, 1, 1), report.errors
    err = only_error(report, field)
    assert (err["row"], err["column"], err["value"]) == (3, column, value)
    assert "not a number" in err["message"]
    res = store.load_programme("P").resources
    assert res["quantity"].tolist() == [5.0]
    assert np.isfinite(res["disposal_cost_per_year"]).all()


def test_missing_name_column_rejects_rows_with_one_header_error(
        tmp_path: Path, catalogue: Catalogue) -> None:
    """Without a name column every row is rejected, with one error naming expected headers."""
    report = run(tmp_path, "Firmography,EWC\nA,150102\nB,150101\n", None, catalogue)
    assert (report.rows, report.rejected) == (2, 2)
    assert len(report.errors) == 1 and report.errors[0]["row"] == 1
    assert "Company" in report.errors[0]["message"]


def test_row_with_extra_values_is_reported(tmp_path: Path, catalogue: Catalogue) -> None:
    """A row with more values than headers is rejected, naming the surplus."""
    report = run(tmp_path, "Company,EWC,Qty,Unit,Have/Want\nA,150102,1,t,have\n"
                 "B,150102,1,5,t,have\n", None, catalogue)
    assert report.rejected == 1
    assert "more values than the header" in report.errors[0]["message"]


# -- storing ------------------------------------------------------------------------------------

def test_import_stores_sites_and_resources(tmp_path: Path, store: Store,
                                           catalogue: Catalogue) -> None:
    """Valid rows create sites (matched by name, postcode, country) and typed resources."""
    report = run(tmp_path, GOOD_CSV, store, catalogue)
    assert (report.rows, report.imported, report.duplicates, report.rejected) == (3, 3, 0, 0)
    assert report.sites_added == 2
    prog = store.load_programme("P")
    assert sorted(prog.sites["name"]) == ["Acme Oy", "Beta Oy"]
    acme = prog.sites.set_index("name").loc["Acme Oy"]
    assert (acme.geometry.x, acme.geometry.y, acme["location_precision"]) == (26.9, 60.5, "exact")
    assert pd.isna(prog.sites.set_index("name").loc["Beta Oy", "location_precision"])
    res = prog.resources.set_index("description")
    assert res.loc["plastic film", ["ewc_code", "quantity", "unit"]].tolist() == [
        "150102", 12.5, "t/yr"]
    assert bool(res.loc["washing liquids", "hazardous"]) is True
    assert set(res["provenance"]) == {"import file"}


def test_reimport_adds_nothing(tmp_path: Path, store: Store, catalogue: Catalogue) -> None:
    """Importing the same file again counts every row as a duplicate and stores nothing new."""
    run(tmp_path, GOOD_CSV, store, catalogue)
    again = run(tmp_path, GOOD_CSV, store, catalogue)
    assert (again.imported, again.duplicates, again.rejected) == (0, 3, 0)
    assert again.sites_added == 0
    prog = store.load_programme("P")
    assert (len(prog.sites), len(prog.resources)) == (2, 3)


def test_sites_match_ignoring_case_and_spaces(tmp_path: Path, store: Store,
                                              catalogue: Catalogue) -> None:
    """'ACME  oy' with the same postcode and country is the same site as 'Acme Oy'."""
    run(tmp_path, GOOD_CSV, store, catalogue)
    text = (HEAD.replace("Longitude,Latitude", "Postcode,Country")
            + "ACME  oy,have,170405,7,t,48600,fi\n")
    report = run(tmp_path, text, store, catalogue, name="more.csv")
    assert (report.imported, report.sites_added) == (1, 0)


def test_archived_site_is_not_matched(tmp_path: Path, store: Store,
                                      catalogue: Catalogue) -> None:
    """Rows for an archived site create a new, visible site instead of reviving the old one."""
    run(tmp_path, GOOD_CSV, store, catalogue)
    old = store.load_programme("P").sites.set_index("name").loc["Beta Oy", "site_id"]
    store.archive_site(old)
    text = GOOD_CSV.splitlines()[0] + "\nBeta Oy,48601,FI,have,170405,steel,9,t,,\n"
    report = run(tmp_path, text, store, catalogue, name="beta.csv")
    assert (report.imported, report.sites_added) == (1, 1)
    sites = store.load_programme("P").sites
    new = sites.set_index("name").loc["Beta Oy", "site_id"]
    assert new != old
    res = store.load_programme("P").resources
    assert res.loc[res["site_id"] == new, "ewc_code"].tolist() == ["170405"]


def test_dry_run_writes_nothing(tmp_path: Path, store: Store, catalogue: Catalogue) -> None:
    """dry_run=True counts duplicates against the store but stores nothing."""
    run(tmp_path, GOOD_CSV, store, catalogue)
    report = run(tmp_path, GOOD_CSV + "New Oy,99,FI,have,150101,paper,1,t,,\n", store,
                 catalogue, dry_run=True)
    assert (report.imported, report.duplicates, report.dry_run) == (1, 3, True)
    assert len(store.load_programme("P").resources) == 3


def test_markup_is_kept_verbatim(tmp_path: Path, store: Store, catalogue: Catalogue) -> None:
    """A company called <img src=x onerror=alert(1)> is stored and reported as that text."""
    text = HEAD.replace("Unit", "Unit,Description") + f'"{XSS}",have,150102,1,t,"{XSS}",,\n'
    text += f'"{XSS}","{XSS}",150102,1,t,x,,\n'
    report = run(tmp_path, text, store, catalogue)
    prog = store.load_programme("P")
    assert prog.sites["name"].tolist() == [XSS]
    assert prog.resources["description"].tolist() == [XSS]
    assert report.rejects["Company"].tolist() == [XSS]
    assert XSS in report.to_json()


def test_coordinates_outside_the_records_country_are_flagged(tmp_path: Path, store: Store,
                                                              catalogue: Catalogue) -> None:
    """Latitude and longitude swapped where both fit (a Finnish site at lat 26.9, lon 60.5,
    in Iran) are flagged with the fix, whether the country is a code or a name; the row is
    stored as written (a real site can lie outside its country's box: an overseas
    territory, offshore), and a record without a country is not checked."""
    text = ("Company,Country,Have/Want,EWC code,Quantity,Unit,Longitude,Latitude\n"
            "Swapped Oy,FI,have,150102,1,t,60.49,26.92\n"
            "Kotka Oy,FI,have,150102,1,t,26.92,60.49\n"
            "Nowhere Ltd,,have,150102,1,t,60.49,26.93\n"
            "Named Oy,Finland,have,150102,1,t,60.48,26.91\n"
            "Null Oy,FI,have,150102,1,t,0,0\n")
    report = run(tmp_path, text, store, catalogue)
    assert (report.imported, report.rejected) == (4, 1)  # 0, 0 is refused as before
    flagged = [w for w in report.warnings if "outside" in w["message"]]
    assert [(w["row"], w["value"]) for w in flagged] == [(2, "26.92"), (5, "26.91")]
    assert "outside FI" in flagged[0]["message"] and "swap" in flagged[0]["message"]


def test_a_row_repeated_in_the_file_is_imported_and_flagged(tmp_path: Path, store: Store,
                                                             catalogue: Catalogue) -> None:
    """Two identical rows are two records (a file may list the same waste twice), but an
    accidental copy doubles a tonnage: the second is flagged with the first's row number."""
    row = "Kotka Paper Oy,have,150101,1.5,t,26.92,60.49\n"
    report = run(tmp_path, HEAD + row + "Other Oy,have,150101,2,t,26.93,60.48\n" + row,
                 store, catalogue)
    assert report.imported == 3
    flagged = [w for w in report.warnings if "identical to row" in w["message"]]
    assert [(w["row"], w["value"]) for w in flagged] == [(4, "Kotka Paper Oy")]
    assert "identical to row 2 " in flagged[0]["message"]
    again = run(tmp_path, HEAD + row + "Other Oy,have,150101,2,t,26.93,60.48\n" + row,
                store, catalogue)
    assert again.imported == 0  # a second import of the same file adds nothing
    # two identical rows naming a site alone are one site: nothing to flag
    sites_only = import_file(write(tmp_path, "sites.csv", "Company,City,Country\n"
                                   "A Oy,Kotka,FI\nA Oy,Kotka,FI\n"),
                             store=store, programme="Q", catalogue=catalogue)
    assert not [w for w in sites_only.warnings if "identical to row" in w["message"]]


# -- rejects ------------------------------------------------------------------------------------

def test_rejects_file_reimports_after_correction(tmp_path: Path, store: Store,
                                                 catalogue: Catalogue) -> None:
    """Rejected rows written as CSV, corrected and imported as is, resolve the rejects."""
    text = HEAD + "Good Oy,have,150102,1,t,,\nBad Oy,have,191299,lots,t,,\n" \
                  "Worse Oy,maybe,150101,=1+2,t,,\n"
    first = run(tmp_path, text, store, catalogue)
    assert first.rejected == 2
    assert len(store.rejects("P")) == 2
    out = first.write_rejects(tmp_path / "rejects.csv")
    rejects = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(rejects.columns[-3:]) == ["_row", "_errors", "_reject_key"]
    assert rejects.loc[1, "Quantity"] == "'=1+2"  # neutralised for spreadsheets
    rejects.loc[0, ["EWC code", "Quantity"]] = ["191212", "4"]
    rejects.loc[1, ["Have/Want", "Quantity"]] = ["want", "2"]
    rejects.to_csv(out, index=False, encoding="utf-8-sig")
    second = import_file(out, store=store, programme="P", catalogue=catalogue)
    assert (second.rows, second.imported, second.rejected, second.resolved) == (2, 2, 0, 2)
    assert second.extra_columns == ()
    assert len(store.rejects("P")) == 0
    assert len(store.load_programme("P").resources) == 3


def test_stored_rejects_download_reimports_after_correction(tmp_path: Path, store: Store,
                                                          catalogue: Catalogue) -> None:
    """The rejected rows kept in the database, downloaded later (not right after the import),
    corrected and imported again, resolve them too."""
    from geo.export import to_csv_bytes
    from geo.importer.run import stored_rejects_file

    text = HEAD + "Good Oy,have,150102,1,t,,\nBad Oy,have,191299,lots,t,,\n" \
                  "Worse Oy,maybe,150101,2,t,,\n"
    run(tmp_path, text, store, catalogue)
    stored = store.rejects("P")
    assert len(stored) == 2
    out = tmp_path / "stored-rejects.csv"
    out.write_bytes(to_csv_bytes(stored_rejects_file(stored)))
    rejects = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(rejects.columns[-3:]) == ["_row", "_errors", "_reject_key"]
    assert rejects["Company"].tolist() == ["Bad Oy", "Worse Oy"]
    assert rejects["_row"].tolist() == ["3", "4"] and all(rejects["_errors"])
    rejects.loc[0, ["EWC code", "Quantity"]] = ["191212", "4"]
    rejects.loc[1, "Have/Want"] = "want"
    rejects.to_csv(out, index=False, encoding="utf-8-sig")
    second = import_file(out, store=store, programme="P", catalogue=catalogue)
    assert (second.imported, second.rejected, second.resolved) == (2, 0, 2)
    assert len(store.rejects("P")) == 0


def test_formula_prefix_from_an_export_is_removed(tmp_path: Path, store: Store,
                                                  catalogue: Catalogue) -> None:
    """A "'=…" cell written by our exports imports as the original "=…" text."""
    text = "Company,Have/Want,EWC,Qty,Unit,Description\n'@Acme,have,150102,1,t,'=1+2\n"
    run(tmp_path, text, store, catalogue)
    prog = store.load_programme("P")
    assert prog.sites["name"].tolist() == ["@Acme"]
    assert prog.resources["description"].tolist() == ["=1+2"]


def test_same_bad_row_is_listed_once(tmp_path: Path, store: Store, catalogue: Catalogue) -> None:
    """Importing a file twice keeps one reject per distinct bad row."""
    text = HEAD + "Bad Oy,have,191299,1,t,,\n"
    run(tmp_path, text, store, catalogue)
    run(tmp_path, text, store, catalogue)
    assert len(store.rejects("P")) == 1


def test_an_unlikely_quantity_is_stored_and_reported(tmp_path: Path, store: Store,
                                                     catalogue: Catalogue) -> None:
    """3,000,000,000 t/yr passes validation (a number, positive) and is stored as written —
    nothing is lost — but the report lists it, naming the file row and column, while figures
    at the plausible limit (10,000,000 t/yr) and in other units within theirs pass quietly."""
    text = ("Company,Have/Want,EWC code,Tonnes per year,Unit\n"
            "Acme Oy,have,150102,3000000000,t/yr\n"
            "Beta Oy,have,150102,10000000,t/yr\n"
            "Gamma Oy,want,150102,2e8,MWh/yr\n"
            "Delta Oy,want,150102,9e8,m3/yr\n")
    report = run(tmp_path, text, store, catalogue)
    assert report.rejected == 0 and report.imported == 4
    assert [(w["row"], w["column"], w["field"]) for w in report.warnings] == [
        (2, "Tonnes per year", "quantity"), (4, "Tonnes per year", "quantity")]
    assert "3,000,000,000 t/yr" in report.warnings[0]["message"]
    assert "MWh/yr" in report.warnings[1]["message"]
    stored = store.load_programme(report.programme).resources
    assert 3e9 in set(stored["quantity"])
    assert report.to_dict()["warnings"] == report.warnings


def test_a_corrected_quantity_is_added_and_reported(tmp_path: Path, store: Store,
                                                   catalogue: Catalogue) -> None:
    """A row the programme holds with another quantity (a figure corrected in the member list)
    is added as a second record — nothing is overwritten — and listed to check with the stored
    quantity; the unchanged row, and the same file imported again, give no warning."""
    first = ("Company,Have/Want,EWC code,Description,Quantity,Unit\n"
             "Kotka Energy,have,10 01 01,bottom ash,600,t/yr\n"
             "Kotka Energy,want,15 01 01,cardboard,20,t/yr\n")
    run(tmp_path, first, store, catalogue)
    second = first.replace(",600,", ",650,")
    report = run(tmp_path, second, store, catalogue, name="again.csv")
    assert report.imported == 1 and report.duplicates == 1
    assert [(w["row"], w["value"]) for w in report.warnings] == [(2, "650")]
    assert "stored with 600 t/yr" in report.warnings[0]["message"]
    stored = store.load_programme("P").resources
    assert sorted(stored["quantity"]) == [20.0, 600.0, 650.0]
    assert run(tmp_path, second, store, catalogue, name="third.csv").warnings == []
