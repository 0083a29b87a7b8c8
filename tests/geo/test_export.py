"""Tests of geo.export: formula-injection defence in CSV and Excel, GeoPackage and GeoJSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

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
    to_csv_bytes,
    to_excel_bytes,
    to_geojson_bytes,
    to_geopackage_bytes,
)

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
    assert back["quantity"].tolist()[0] == "-5.0"  # a negative number stays a number
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
    col = {name: i for i, name in enumerate(header)}
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


def test_plain_dataframe_exports_to_csv_and_excel() -> None:
    """Tables without geometry export to CSV and Excel but not to GeoPackage/GeoJSON."""
    df = pd.DataFrame({"a": ["=x", "y"], "b": [1, -2]})
    assert to_csv_bytes(df).decode("utf-8-sig").splitlines() == ["a,b", "'=x,1", "y,-2"]
    assert to_excel_bytes(df)[:2] == b"PK"
    with pytest.raises(SymbiosisError, match="GeoDataFrame"):
        to_geopackage_bytes(df)  # type: ignore[arg-type]


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
