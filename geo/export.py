"""Exports of a table (DataFrame or GeoDataFrame) as CSV, Excel, GeoPackage and GeoJSON bytes.

Text is data, never a formula: in CSV and Excel output every text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (OWASP's CSV
injection defence), so a spreadsheet shows it as text instead of running it. Numbers stay
numbers (a negative quantity is still -5), and so does text that is nothing but a plain
decimal number (``-12.5``), which no spreadsheet can run. Excel files are written cell by cell
with openpyxl as string cells, never formulas. The importer removes the ``'`` again when such
a file is imported (:mod:`geo.importer.run`).

Geometries: CSV and Excel get a ``geometry`` column of WKT (plus ``lon``/``lat`` columns when
all geometries are points); GeoPackage and GeoJSON are written in EPSG:4326.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import CRSError, SymbiosisError

__all__ = [
    "FORMULA_PREFIXES",
    "markdown_text",
    "neutralise_formulas",
    "to_csv_bytes",
    "to_excel_bytes",
    "to_geojson_bytes",
    "to_geopackage_bytes",
]

FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL: Final = frozenset("\\`*_{}[]()#+-.!|<>~$:=&\"'")
_MARKDOWN_FILE_SPECIAL: Final = frozenset("\\`*_[]<>!|#~$")
_AUTOLINK: Final = re.compile(r"://|(?i:www)\.")
_DANGER: Final = r"^[=+\-@\t\r]"
_PLAIN_NUMBER: Final = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_EXCEL_MAX_CELL: Final = 32_767
_ILLEGAL_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def markdown_text(text: object, *, for_file: bool = False) -> str:
    """User text made inert in Markdown (pages, memos): shown literally, fetching nothing.

    Every Markdown, HTML, LaTeX and Streamlit-directive character is backslash-escaped, line
    breaks become spaces, and a zero-width space breaks ``://`` and ``www.`` so that renderers
    that link bare URLs (GitHub-flavoured Markdown, Streamlit) leave them as text. With
    ``for_file=True`` (a Markdown file people also read raw) only the characters that make
    links, images, HTML, emphasis, headings, tables or maths are escaped.

    Examples
    --------
    >>> markdown_text("![x](http://h/p)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\:/\\u200b/h/p\\\\)'
    """
    out = "" if text is None else str(text)
    out = out.replace("\r", " ").replace("\n", " ")
    out = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + "\u200b" + m.group(0)[-1], out)
    special = _MARKDOWN_FILE_SPECIAL if for_file else _MARKDOWN_SPECIAL
    return "".join(f"\\{c}" if c in special else c for c in out)


def _is_text(col: pd.Series) -> bool:
    return bool(pd.api.types.is_string_dtype(col) or col.dtype == object)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose dangerous text cells start with ``'``.

    Only text cells change; numbers, booleans and dates are kept as they are.

    Examples
    --------
    >>> df = pd.DataFrame({"d": ["=1+2", "@SUM(A1)", "-5", "-x", "ok"], "q": [-5, 1, 2, 3, 4]})
    >>> neutralise_formulas(df)["d"].tolist()
    ["'=1+2", "'@SUM(A1)", '-5', "'-x", 'ok']
    >>> neutralise_formulas(df)["q"].tolist()[0]
    -5
    """
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if not _is_text(col) or isinstance(col.dtype, gpd.array.GeometryDtype):
            continue
        is_str = col.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False)
        if not bool(is_str.any()):
            continue
        text = col.where(is_str.astype(bool), "").astype("str")
        danger = text.str.contains(_DANGER, regex=True) & ~text.str.fullmatch(_PLAIN_NUMBER)
        if danger.any():
            col = col.astype(object)
            col[danger] = "'" + text[danger]
            out[name] = col
    return out


def _flat(frame: pd.DataFrame | gpd.GeoDataFrame) -> pd.DataFrame:
    """A plain frame: geometry as WKT (and lon/lat for points), the index kept as columns."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return pd.DataFrame(frame).reset_index(drop=isinstance(frame.index, pd.RangeIndex))
    geo_name = frame.geometry.name
    geoms = frame.geometry
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs(4326)
    out = pd.DataFrame(frame.drop(columns=[geo_name]))
    arr = geoms.to_numpy()
    present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    wkt = np.full(len(arr), None, dtype=object)
    if present.any():
        wkt[present] = shapely.to_wkt(arr[present], rounding_precision=-1)
    kinds = shapely.get_type_id(arr[present])
    if present.any() and (kinds == shapely.GeometryType.POINT).all():
        lon = np.full(len(arr), np.nan)
        lat = np.full(len(arr), np.nan)
        lon[present], lat[present] = shapely.get_x(arr[present]), shapely.get_y(arr[present])
        out["lon"], out["lat"] = lon, lat
    out["geometry"] = wkt
    return out.reset_index(drop=isinstance(frame.index, pd.RangeIndex))


def to_csv_bytes(frame: pd.DataFrame | gpd.GeoDataFrame, *, sep: str = ",") -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads Chinese and accents) with formulas neutralised.

    Examples
    --------
    >>> to_csv_bytes(pd.DataFrame({"a": ["=HYPERLINK(1)"]})).decode("utf-8-sig").splitlines()
    ['a', "'=HYPERLINK(1)"]
    """
    flat = neutralise_formulas(_flat(frame))
    text = str(flat.to_csv(index=False, sep=sep, lineterminator="\r\n"))
    return text.encode("utf-8-sig")


def _excel_value(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = _ILLEGAL_XML.sub("\ufffd", str(value))
    if len(text) > _EXCEL_MAX_CELL:
        msg = (f"A cell has {len(text):,} characters, more than Excel's {_EXCEL_MAX_CELL:,}; "
               "export this table as GeoPackage, GeoJSON or CSV instead.")
        raise SymbiosisError(msg)
    return text


def to_excel_bytes(frame: pd.DataFrame | gpd.GeoDataFrame, *, sheet_name: str = "data") -> bytes:
    """An ``.xlsx`` workbook (one sheet, header row frozen); text cells are never formulas.

    Control characters that XML cannot hold are replaced by U+FFFD; a carriage return is
    kept but, as in any XML, reads back as a line feed.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    flat = neutralise_formulas(_flat(frame))
    values = [[_excel_value(v) for v in row] for row in flat.itertuples(index=False, name=None)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", sheet_name)[:31] or "data")
    ws.freeze_panes = "A2"
    ws.append([str(c) for c in flat.columns])
    for row in values:
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a string cell: Excel never evaluates it
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _geo_frame(frame: pd.DataFrame | gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        msg = (f"{what} needs a GeoDataFrame with geometries; got a {type(frame).__name__}. "
               "Export tables without geometry as CSV or Excel.")
        raise SymbiosisError(msg)
    if frame.crs is None:
        msg = (f"{what} needs a CRS on the frame; it has none. Set it with "
               ".set_crs('EPSG:4326') if the coordinates are degrees.")
        raise CRSError(msg)
    out = frame.to_crs(4326) if not frame.crs.equals("EPSG:4326") else frame.copy()
    if not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index()
    for name in out.columns:
        col = out[name]
        if name == out.geometry.name:
            continue
        if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.dt.strftime("%Y-%m-%dT%H:%M:%S").astype("str")
        elif col.dtype == object:
            out[name] = col.map(lambda v: v if v is None or isinstance(v, str | bool | int | float)
                                else json.dumps(v, ensure_ascii=False, default=str)
                                if isinstance(v, dict | list) else str(v))
    return out


def to_geopackage_bytes(frame: gpd.GeoDataFrame, *, layer: str = "resources") -> bytes:
    """A GeoPackage (EPSG:4326, one layer named ``layer``) that opens in QGIS."""
    import pyogrio

    gdf = _geo_frame(frame, "A GeoPackage")
    with tempfile.TemporaryDirectory(prefix="symbiomap-gpkg-") as tmp:
        path = Path(tmp) / "export.gpkg"
        pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG")
        return path.read_bytes()


def to_geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """GeoJSON (RFC 7946: EPSG:4326, UTF-8); missing values are ``null``."""
    gdf = _geo_frame(frame, "GeoJSON")
    return str(gdf.to_json(na="null", ensure_ascii=False, drop_id=True)).encode("utf-8")
