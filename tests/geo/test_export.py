"""Tests of geo.export: formula-injection defence in CSV and Excel, Excel in the session's
language with number formats, GeoPackage and GeoJSON."""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, Polygon

from geo.errors import CRSError, SymbiosisError
from geo.export import (
    FORMULA_PREFIXES,
    excel_problem,
    read_workbook,
    to_csv_bytes,
    to_excel_bytes,
    to_geojson_bytes,
    to_geopackage_bytes,
    workbook_bytes,
)
from geo.i18n import column_label, translate, use_locale

XSS = "<img src=x onerror=alert(1)>"
DANGEROUS = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx=1", "\r=2", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def table() -> gpd.GeoDataFrame:
    """Dangerous and harmless text, numbers (one negative), a missing value and points."""
    n = len(DANGEROUS)
    return gpd.GeoDataFrame({
        "description": DANGEROUS,
        "name": [XSS, "Päivän Puu", "上海华谊", "-5", "plain", "'=already", None],
        "quantity": [-5.0, 1.5, 0.0, 2.0, np.nan, 3.0, 4.0],
        "count": np.arange(n, dtype="int64") - 3,
        "hazardous": [True, False] * 3 + [True],
    }, geometry=[Point(26.9 + i / 100, 60.5) for i in range(n - 1)] + [None], crs="EPSG:4326")


def test_csv_neutralises_formulas(table: gpd.GeoDataFrame) -> None:
    """Every text cell starting with = + - @ tab or CR gets a leading ' in the CSV."""
    data = to_csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["description"].tolist() == ["'" + d for d in DANGEROUS]
    assert back["name"].tolist()[:5] == [XSS, "Päivän Puu", "上海华谊", "-5", "plain"]
    assert back["quantity"].tolist()[0] == "-5"  # a negative number stays a number (no ')
    assert back["count"].tolist()[0] == "-3"
    assert all(not v.startswith(FORMULA_PREFIXES) for v in back["description"])


def test_csv_has_wkt_and_lon_lat(table: gpd.GeoDataFrame) -> None:
    """Point tables get lon/lat columns and a WKT geometry column; missing geometry is empty."""
    back = pd.read_csv(io.BytesIO(to_csv_bytes(table)), encoding="utf-8-sig")
    assert back.loc[0, "geometry"] == "POINT (26.9 60.5)"
    assert back.loc[0, ["lon", "lat"]].tolist() == [26.9, 60.5]
    assert pd.isna(back.loc[len(back) - 1, "geometry"])


def test_excel_cells_are_never_formulas(table: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """Reopened with openpyxl, dangerous cells are quoted strings and numbers are numbers."""
    path = tmp_path / "out.xlsx"
    path.write_bytes(to_excel_bytes(table))
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    col = {name: header.index(column_label(name)) for name in table.columns}
    rows = list(ws.iter_rows(min_row=2))
    for cell, text in zip([r[col["description"]] for r in rows], DANGEROUS, strict=True):
        assert cell.data_type == "s"
        assert cell.value == "'" + text.replace("\r", "\n")  # XML reads CR back as LF
    assert rows[0][col["name"]].value == XSS
    qty = rows[0][col["quantity"]]
    assert (qty.value, qty.data_type) == (-5, "n")
    assert rows[4][col["quantity"]].value is None
    assert rows[0][col["hazardous"]].value is True
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_excel_refuses_cells_too_long_for_excel() -> None:
    """A cell longer than Excel allows raises a SymbiosisError pointing to GeoPackage."""
    with pytest.raises(SymbiosisError, match="GeoPackage"):
        to_excel_bytes(pd.DataFrame({"wkt": ["x" * 40_000]}))


def test_excel_problem_says_beforehand_what_the_writer_would_refuse() -> None:
    """Asked before a download is offered: the writer's own refusal, without writing."""
    ok = pd.DataFrame({"a": ["x" * 32_767, None], "n": [1.0, 2.0]})
    assert excel_problem(ok) is None
    to_excel_bytes(ok)  # and the writer agrees
    long_text = pd.DataFrame({"a": ["short", "x" * 32_768]}).astype({"a": "string"})
    assert "32,768" in (excel_problem(long_text) or "")
    with pytest.raises(SymbiosisError):
        to_excel_bytes(long_text)
    # a park's outline as WKT can be longer than a cell holds; points never are
    ring = [(26.9 + 0.01 * np.cos(t), 60.5 + 0.01 * np.sin(t))
            for t in np.linspace(0, 2 * np.pi, 2_000)]
    park = gpd.GeoDataFrame({"name": ["P"]}, geometry=[Polygon(ring)], crs="EPSG:4326")
    assert excel_problem(park) is not None
    with pytest.raises(SymbiosisError):
        to_excel_bytes(park)
    points = gpd.GeoDataFrame({"name": ["A"] * 3}, geometry=[Point(26.9, 60.5)] * 3,
                              crs="EPSG:4326")
    assert excel_problem(points) is None


def test_plain_dataframe_exports_to_csv_and_excel() -> None:
    """Tables without geometry export to CSV and Excel but not to GeoPackage/GeoJSON."""
    df = pd.DataFrame({"a": ["=x", "y"], "b": [1, -2]})
    assert to_csv_bytes(df).decode("utf-8-sig").splitlines() == ["a,b", "'=x,1", "y,-2"]
    assert to_excel_bytes(df)[:2] == b"PK"
    with pytest.raises(SymbiosisError, match="GeoDataFrame"):
        to_geopackage_bytes(df)


def test_geopackage_round_trip(table: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """The GeoPackage has the named layer in EPSG:4326 and the same features."""
    path = tmp_path / "out.gpkg"
    path.write_bytes(to_geopackage_bytes(table, layer="search results"))
    assert pyogrio.list_layers(path)[0][0] == "search results"
    back = pyogrio.read_dataframe(path, layer="search results")
    assert back.crs.equals("EPSG:4326")
    assert back["description"].tolist() == DANGEROUS  # not spreadsheet-quoted: it is GIS data
    expected = table.copy()
    assert_geodataframe_equal(back[expected.columns.tolist()], expected, check_dtype=False,
                              check_like=True)


def test_geopackage_reprojects_to_wgs84(tmp_path: Path) -> None:
    """A metric frame is written in EPSG:4326."""
    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(500000, 6700000)], crs="EPSG:3067")
    path = tmp_path / "m.gpkg"
    path.write_bytes(to_geopackage_bytes(gdf))
    back = pyogrio.read_dataframe(path)
    assert back.crs.equals("EPSG:4326")
    assert back.geometry.iloc[0].x == pytest.approx(27.0, abs=0.01)


def test_geojson(table: gpd.GeoDataFrame) -> None:
    """GeoJSON keeps text exact, writes missing values as null and has every feature."""
    doc = json.loads(to_geojson_bytes(table))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(table)
    props = doc["features"][0]["properties"]
    assert props["name"] == XSS and props["description"] == "=1+2"
    assert doc["features"][4]["properties"]["quantity"] is None
    assert doc["features"][-1]["geometry"] is None


def test_missing_crs_is_refused() -> None:
    """Geo exports need a CRS and say how to set one."""
    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(1, 2)])
    with pytest.raises(CRSError, match="set_crs"):
        to_geojson_bytes(gdf)


def test_polygons_export(tmp_path: Path) -> None:
    """Park polygons go to every format (WKT in CSV, no lon/lat columns)."""
    parks = gpd.GeoDataFrame({"park_id": ["P1"]},
                             geometry=[Polygon([(0, 0), (1, 0), (1, 1)])], crs="EPSG:4326")
    csv_text = to_csv_bytes(parks).decode("utf-8-sig")
    assert "POLYGON" in csv_text and "lon" not in csv_text.splitlines()[0]
    path = tmp_path / "p.gpkg"
    path.write_bytes(to_geopackage_bytes(parks, layer="parks"))
    assert pyogrio.read_dataframe(path).geometry.iloc[0].equals(parks.geometry.iloc[0])


# --- Excel in the session's language -------------------------------------------------------

ZH = {"Resources": "资源", "Site ID": "站点编号", "Tonnes per year (t/yr)": "每年吨数（吨/年）",
      "Producers": "产生者", "Share": "份额", "Recorded on": "记录日期"}
"""A few Chinese translations, standing in for the catalogue until it is translated."""


class _FakeCatalogue(gettext_module.NullTranslations):
    def gettext(self, message: str) -> str:
        return ZH.get(message, message)


@pytest.fixture
def zh_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """zh_CN translates the headers of :func:`people` (other locales as shipped)."""
    real = translate.translations

    def fake(locale: str) -> gettext_module.NullTranslations:
        return _FakeCatalogue() if locale == "zh_CN" else real(locale)

    monkeypatch.setattr(translate, "translations", fake)


def people() -> pd.DataFrame:
    """Tonnes, a count, a share, money, an ISO date column and an unknown column."""
    return pd.DataFrame({
        "site_id": ["S1", "S2"], "tonnes_per_year": [1234.5, 0.25], "producers": [3, 12],
        "share": [0.125, 0.875], "transport_cost_eur": [1500.0, 20.5],
        "recorded_on": ["2026-01-15", "2025-12-01"], "free_text": ["a", "b"]})


def _sheet(data: bytes, title: str | None = None) -> Any:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return wb[title] if title else wb.worksheets[0]


def test_excel_in_chinese_has_chinese_headers_and_number_formats(zh_catalogue: None) -> None:
    """In zh_CN the sheet and headers are Chinese; numbers stay numbers with their formats."""
    with use_locale("zh_CN"):
        data = workbook_bytes({"Resources": people()})
    ws = _sheet(data, "资源")
    header = [c.value for c in ws[1]]
    assert header[:4] == ["站点编号", "每年吨数（吨/年）", "产生者", "份额"]
    assert header[-1] == "free_text"  # no label: the column's name
    row = dict(zip(header, ws[2], strict=True))
    assert (row["每年吨数（吨/年）"].value, row["每年吨数（吨/年）"].data_type) == (1234.5, "n")
    assert row["每年吨数（吨/年）"].number_format == "#,##0.0"
    assert row["产生者"].number_format == "#,##0"
    assert (row["份额"].value, row["份额"].number_format) == (0.125, "0.0%")
    assert row["记录日期"].value == dt.datetime(2026, 1, 15)
    assert row["记录日期"].is_date
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width >= 2 * len("每年吨数（吨/年）")  # CJK counts double


def test_excel_headers_and_sheet_names_follow_the_pseudo_locale() -> None:
    """Every header with a label and the N_-marked sheet name come out bracketed."""
    with use_locale("qps_PLOC"):
        data = workbook_bytes({"Resources": people()})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "⟦Résõürçés⟧"
    header = [c.value for c in wb.worksheets[0][1]]
    assert all(h.startswith("⟦") and h.endswith("⟧") for h in header[:-1])


def test_excel_money_and_kpi_rows_get_their_formats() -> None:
    """Money columns carry their currency; a KPI table's value is formatted by its unit."""
    kpis = pd.DataFrame({"kpi": ["Completion rate", "Haves", "Cost savings"],
                         "value": [0.5, 120.0, 3000.0], "unit": ["share", "t/yr", "EUR"],
                         "cost_savings": [1.0, 2.0, 3.0]})
    ws = _sheet(workbook_bytes({"KPIs": kpis}, currency="BRL"))
    formats = [row[1].number_format for row in ws.iter_rows(min_row=2)]
    assert formats == ["0.0%", "#,##0.0", "[$EUR] #,##0.00"]
    assert ws["D2"].number_format == "[$BRL] #,##0.00"
    assert _sheet(to_excel_bytes(people()))["E2"].number_format == "[$EUR] #,##0.00"


@pytest.mark.parametrize("locale", ["zh_CN", "pt_BR", "qps_PLOC"])
def test_csv_is_the_same_in_every_language(locale: str) -> None:
    """CSV keeps column names and dot decimals whatever the session's language."""
    english = to_csv_bytes(people())
    with use_locale(locale):
        assert to_csv_bytes(people()) == english


@pytest.mark.parametrize("locale", ["en_GB", "zh_CN", "pt_BR", "qps_PLOC"])
def test_workbook_reads_back_under_its_own_names(locale: str) -> None:
    """read_workbook gives each table back under the sheet and column names it was given."""
    frame = people()
    with use_locale(locale):
        data = workbook_bytes({"Resources": frame, "Totals by park": frame.iloc[:1]})
    back = read_workbook(data)
    assert list(back) == ["Resources", "Totals by park"]
    assert list(back["Resources"].columns) == list(frame.columns)
    assert back["Resources"]["tonnes_per_year"].tolist() == [1234.5, 0.25]


def test_sheet_names_are_short_legal_and_unique_after_translation() -> None:
    """Names are cut to 31 characters, lose what Excel forbids, and clashes get a number."""
    long = "Totals by park pair and stream and year"
    sheets = {long: people(), long + " again": people(), "a/b:c": people(),
              "TOTALS BY PARK PAIR AND STREAM AND YEAR!": people()}
    with use_locale("qps_PLOC"):
        names = openpyxl.load_workbook(io.BytesIO(workbook_bytes(sheets))).sheetnames[:-1]
    assert len(names) == 4 and all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == 4
    assert names[1].endswith("(2)") and names[3].endswith("(3)")
    assert "/" not in names[2] and ":" not in names[2]


def test_excel_headers_are_never_formulas() -> None:
    """A column named like a formula is written as text, quoted like any cell."""
    ws = _sheet(to_excel_bytes(pd.DataFrame({"=cmd|' /C calc'!A0": [1]})))
    assert (ws["A1"].value, ws["A1"].data_type) == ("'=cmd|' /C calc'!A0", "s")


def test_hidden_sheet_is_hidden() -> None:
    """The sheet that records the names is very hidden and not the active one."""
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(people())))
    assert wb.worksheets[0].sheet_state == "visible"
    assert all(ws.sheet_state == "veryHidden" for ws in wb.worksheets[1:])
