"""Exports of a table (DataFrame or GeoDataFrame) as CSV, Excel, GeoPackage and GeoJSON bytes.

Text is data, never a formula: in CSV and Excel output every text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (OWASP's CSV
injection defence), so a spreadsheet shows it as text instead of running it. Numbers stay
numbers (a negative quantity is still -5), and so does text that is nothing but a plain
decimal number (``-12.5``), which no spreadsheet can run. Excel files are written cell by cell
with openpyxl as string cells, never formulas. The importer removes the ``'`` again when such
a file is imported (:mod:`geo.importer.run`).

CSV is machine-readable and the same in every language: column names as they are, dot
decimals. Excel workbooks (:func:`workbook_bytes`, the one writer of the app) are for people:
sheet names and headers in the session's language, numbers stored as numbers with number
formats (the spreadsheet shows its own locale's decimal separator).

Geometries: CSV and Excel get a ``geometry`` column of WKT (plus ``lon``/``lat`` columns when
all geometries are points); GeoPackage and GeoJSON are written in EPSG:4326.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryDtype

from geo.errors import CRSError, SymbiosisError
from geo.i18n import N_, _, column_label, format_number

__all__ = [
    "FORMULA_PREFIXES",
    "excel_problem",
    "markdown_text",
    "neutralise_formulas",
    "read_workbook",
    "to_csv_bytes",
    "to_excel_bytes",
    "to_geojson_bytes",
    "to_geopackage_bytes",
    "workbook_bytes",
]

FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL: Final = frozenset("\\`*_{}[]()#+-.!|<>~$:=&\"'")
_MARKDOWN_FILE_SPECIAL: Final = frozenset("\\`*_[]<>!|#~$")
_AUTOLINK: Final = re.compile(r"://|(?i:www)\.")
_DANGER: Final = r"^[=+\-@\t\r]"
_PLAIN_NUMBER: Final = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_EXCEL_MAX_CELL: Final = 32_767
_ILLEGAL_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_SHEET_MAX: Final = 31
_META_SHEET: Final = "symbiomap_columns"
"""The hidden sheet that records each sheet's name and columns as given to the writer."""
_WIDTH_SAMPLE: Final = 200
_WIDTH_MAX: Final = 60

_FMT_TONNES: Final = "#,##0.0"
_FMT_LOAD: Final = "#,##0.000"
_FMT_DECIMAL: Final = "#,##0.0"
_FMT_HOURS: Final = "#,##0.00"
_FMT_COUNT: Final = "#,##0"
_FMT_SHARE: Final = "0.0%"
_FMT_PCT_POINTS: Final = '0.0" %"'
_FMT_MONEY: Final = "#,##0.00"
_FMT_DEGREES: Final = "0.000000"
_FMT_DATE: Final = "yyyy-mm-dd"
_FMT_DATETIME: Final = "yyyy-mm-dd hh:mm"
_COUNT_COLUMNS: Final = frozenset({
    "records", "producers", "synergies", "suppliers", "competitors", "visits", "stops",
    "trips", "routes", "cells", "neighbours", "sites", "givers", "jobs_created",
    "jobs_safeguarded", "new_technologies", "businesses_assisted", "members"})
_SHARE_COLUMNS: Final = frozenset({"share", "share_of_stream", "largest_share", "top_share"})
_MONEY_COLUMNS: Final = frozenset({
    "cost_savings", "new_sales", "disposal_cost_per_year", "transport_cost_per_year", "cost"})
_QUANTITY_COLUMNS: Final = frozenset({
    "quantity", "have_quantity", "want_quantity", "matched_quantity", "quantity_without_want",
    "quantity_per_year", "quantity_per_visit", "have_t", "want_t", "total_tonnes"})
_COORDINATE_COLUMNS: Final = frozenset({"lon", "lat", "centre_lon", "centre_lat"})
_DATE_COLUMNS: Final = frozenset({
    "recorded_on", "created_at", "updated_at", "archived_at", "imported_at", "at",
    "recorded_at", "valid_from", "valid_until"})
_TONNE_UNITS: Final = frozenset({"t", "t/yr", "t CO2e", "t CO2e/yr", "m3", "m3/yr", "MWh/yr",
                                 "kg", "tonnes"})
_DISTANCE_UNITS: Final = frozenset({"km", "h", "ha", "km2", "min"})
_CURRENCY_CODE: Final = re.compile(r"[A-Z]{3}")
_HEADER_UNIT: Final = re.compile(r"\(([^()]+)\)\s*$")


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
        if not _is_text(col) or isinstance(col.dtype, GeometryDtype):
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


def _unnamed_index(frame: pd.DataFrame) -> bool:
    """Whether the index is mere row positions (unnamed: dropped) rather than data (a named
    index, e.g. ``site_id``: written as columns)."""
    return all(name is None for name in frame.index.names)


def _flat(frame: pd.DataFrame | gpd.GeoDataFrame) -> pd.DataFrame:
    """A plain frame: geometry as WKT (and lon/lat for points), a named index kept as
    columns (an unnamed one is row positions: dropped)."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return pd.DataFrame(frame).reset_index(drop=_unnamed_index(frame))
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
    return out.reset_index(drop=_unnamed_index(frame))


def to_csv_bytes(frame: pd.DataFrame | gpd.GeoDataFrame, *, sep: str = ",") -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads Chinese and accents) with formulas neutralised.

    Numbers are written with 15 significant digits, what a double holds exactly: a sum such
    as 1253.1999999999998 is written 1253.2, and a count kept as a float (4.0, beside missing
    values) is written 4.

    Examples
    --------
    >>> to_csv_bytes(pd.DataFrame({"a": ["=HYPERLINK(1)"]})).decode("utf-8-sig").splitlines()
    ['a', "'=HYPERLINK(1)"]
    >>> to_csv_bytes(pd.DataFrame({"t": [1253.1999999999998, 4.0, None, 1e20],
    ...                            "n": [1, 2, 3, 4]})).decode("utf-8-sig").splitlines()
    ['t,n', '1253.2,1', '4,2', ',3', '1e+20,4']
    """
    flat = neutralise_formulas(_flat(frame))
    text = str(flat.to_csv(index=False, sep=sep, lineterminator="\r\n", float_format="%.15g"))
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
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = _ILLEGAL_XML.sub("\ufffd", str(value))
    if len(text) > _EXCEL_MAX_CELL:
        raise SymbiosisError(_too_long_for_excel(len(text)))
    return text


def _too_long_for_excel(n: int) -> str:
    return _("A cell has {n} characters, more than Excel's {limit}; export this table as "
             "GeoPackage, GeoJSON or CSV instead.").format(
        n=format_number(n), limit=format_number(_EXCEL_MAX_CELL))


def excel_problem(frame: pd.DataFrame | gpd.GeoDataFrame) -> str | None:
    """Why ``frame`` cannot be written as an Excel workbook, or None when it can.

    Excel holds at most 32,767 characters in a cell (a long description, a park's outline as
    WKT). A download button builds its file only when clicked, where an error reaches no one:
    the page asks this first and says why instead of offering a file that never comes.
    """
    longest = 0
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, GeometryDtype):
            arr = col.to_numpy()
            present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
            if present.any() and not (shapely.get_type_id(arr[present])
                                      == shapely.GeometryType.POINT).all():
                wkt = shapely.to_wkt(arr[present], rounding_precision=-1)
                longest = max(longest, int(pd.Series(wkt).str.len().max()))
        elif col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            lengths = col.dropna().astype(str).str.len()
            if len(lengths):
                longest = max(longest, int(lengths.max()))
    return _too_long_for_excel(longest) if longest > _EXCEL_MAX_CELL else None


def _text_width(text: str) -> int:
    """Columns a text takes on screen: CJK and other wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet_titles(names: list[str]) -> list[str]:
    """Sheet names translated, stripped of what Excel forbids, ≤ 31 characters, unique.

    Excel compares sheet names without case; a clash after translation or shortening gets a
    number (``Totals (2)``).
    """
    titles: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", _(name) if name else "").strip("'").strip()
        base = base[:_SHEET_MAX] or _("Data")[:_SHEET_MAX]
        if base.lower() == "history":  # reserved by Excel
            base += "_"
        title, n = base, 1
        while title.lower() in taken or title.lower() == _META_SHEET.lower():
            n += 1
            suffix = f" ({n})"
            title = base[:_SHEET_MAX - len(suffix)] + suffix
        taken.add(title.lower())
        titles.append(title)
    return titles


def _format_of_unit(unit: object, currency: str | None) -> str | None:
    """The number format for figures in ``unit`` (a KPI row's unit, a header's ``(unit)``)."""
    text = str(unit).strip() if isinstance(unit, str) else ""
    if not text:
        return None
    if text == "share":
        return _FMT_SHARE
    if text == "count":
        return _FMT_COUNT
    if text in _TONNE_UNITS:
        return _FMT_TONNES
    if text in _DISTANCE_UNITS:
        return _FMT_DECIMAL
    if text == "%":
        return _FMT_PCT_POINTS
    if text == "currency":
        return _money_format(currency)
    if _CURRENCY_CODE.fullmatch(text):
        return _money_format(text)
    return None


def _money_format(currency: str | None) -> str:
    return f"[${currency}] {_FMT_MONEY}" if currency else _FMT_MONEY


def _format_of_column(name: object, col: pd.Series, currency: str | None) -> str | None:
    """The number format of a numeric column, from its name (or a header's ``(unit)``)."""
    if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
        return None
    text = str(name)
    if text in _COUNT_COLUMNS:
        return _FMT_COUNT
    if text in _SHARE_COLUMNS or text.startswith("s_"):
        return _FMT_SHARE
    if text.endswith("_pct"):
        return _FMT_PCT_POINTS
    if text in _MONEY_COLUMNS:
        return _money_format(currency)
    if text.endswith(("_eur", "_eur_per_t")):
        return _money_format("EUR")
    if text in _COORDINATE_COLUMNS:
        return _FMT_DEGREES
    if text.startswith(("pickup_", "load_after_", "collected_")):
        return _FMT_LOAD
    if (text in _QUANTITY_COLUMNS or text.startswith(("tonnes", "t_"))
            or text.endswith(("_t", "_tonnes", "_m3", "_t_per_year", "_kg"))):
        return _FMT_TONNES
    if text.endswith(("_km", "_ha", "_km2", "_min")):
        return _FMT_DECIMAL
    if text.endswith("_h"):
        return _FMT_HOURS
    if text.endswith("_m"):
        return _FMT_COUNT
    unit = _HEADER_UNIT.search(text)
    return _format_of_unit(unit.group(1), currency) if unit else None


def _as_dates(name: object, col: pd.Series) -> tuple[pd.Series, str] | None:
    """A date column as datetimes and its format, or None when it is not one.

    Datetime columns are dates already; the known date columns stored as ISO text
    (``recorded_on``, ``created_at`` …) become dates when every value reads as one.
    """
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        col = col.dt.tz_convert("UTC").dt.tz_localize(None)
    elif not pd.api.types.is_datetime64_any_dtype(col):
        if str(name) not in _DATE_COLUMNS or not _is_text(col):
            return None
        present = col.notna() & (col.astype("str").str.strip() != "")
        parsed = pd.to_datetime(col.where(present), errors="coerce", format="ISO8601",
                                utc=True)
        if not bool(present.any()) or bool(parsed[present].isna().any()):
            return None
        col = parsed.dt.tz_localize(None)
    values = col.dropna()
    whole_days = bool((values == values.dt.normalize()).all())
    return col, _FMT_DATE if whole_days else _FMT_DATETIME


def _prepared(frame: pd.DataFrame, currency: str | None
              ) -> tuple[pd.DataFrame, list[str | None], list[str | None] | None]:
    """Dates converted, formats per column, and per-row formats of a ``value``/``unit`` table."""
    out = frame.copy()
    formats: list[str | None] = []
    for i, name in enumerate(out.columns):
        col = out.iloc[:, i]
        dates = _as_dates(name, col)
        if dates is not None:
            out.isetitem(i, dates[0].astype(object).where(dates[0].notna(), None))
            formats.append(dates[1])
        else:
            formats.append(_format_of_column(name, col, currency))
    row_formats = None
    if "value" in out.columns and "unit" in out.columns:
        row_formats = [_format_of_unit(u, currency) for u in out["unit"]]
    return out, formats, row_formats


def _write_sheet(ws: Any, frame: pd.DataFrame, *, currency: str | None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    clean, formats, row_formats = _prepared(neutralise_formulas(frame), currency)
    headers = [_neutralise_text(column_label(c)) for c in clean.columns]
    value_at = list(clean.columns).index("value") if row_formats is not None else -1
    rows = [[_excel_value(v) for v in row] for row in clean.itertuples(index=False, name=None)]
    for i, header in enumerate(headers):
        sample = [_shown(r[i]) for r in rows[:_WIDTH_SAMPLE]]
        width = max([_text_width(header), *(_text_width(s) for s in sample)])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(_WIDTH_MAX, width + 2)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("\ufffd", header))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for r, row in enumerate(rows):
        cells = []
        for i, value in enumerate(row):
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a string cell: Excel never evaluates it
            else:
                fmt = row_formats[r] if i == value_at and row_formats else formats[i]
                if fmt and value is not None and not isinstance(value, bool):
                    cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dt.datetime | dt.date):
        return "0000-00-00 00:00" if isinstance(value, dt.datetime) else "0000-00-00"
    return str(value)


def _neutralise_text(text: str) -> str:
    danger = re.match(_DANGER, text) is not None and re.fullmatch(_PLAIN_NUMBER, text) is None
    return "'" + text if danger else text


def _write_workbook(sheets: Mapping[str, pd.DataFrame], *, currency: str | None) -> bytes:
    from openpyxl import Workbook

    names = list(sheets)
    titles = _sheet_titles(names)
    wb = Workbook(write_only=True)
    meta: list[tuple[str, str]] = []
    for name, title in zip(names, titles, strict=True):
        frame = sheets[name]
        _write_sheet(wb.create_sheet(title=title), frame, currency=currency)
        meta.append((title, json.dumps({"name": name, "columns": [
            c if isinstance(c, str | int | float) else str(c) for c in frame.columns]},
            ensure_ascii=False)))
    hidden = wb.create_sheet(title=_META_SHEET)
    hidden.sheet_state = "veryHidden"
    hidden.append(["sheet", "written"])
    for row in meta:
        hidden.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook_bytes(sheets: Mapping[str, pd.DataFrame | gpd.GeoDataFrame], *,
                   currency: str | None = None) -> bytes:
    """Tables as one ``.xlsx`` workbook, one sheet each, in the session's language.

    Sheet names (marked with ``N_`` where they are ours) and headers (through
    :func:`~geo.i18n.column_label`) are translated; names are kept to Excel's 31 characters,
    without ``[]:*?/\\``, and unique. Values are stored as they are — numbers stay numbers, so
    the spreadsheet shows them with its own decimal separator — and given number formats by
    column: ``#,##0.0`` tonnes and quantities, ``#,##0`` counts, ``0.0%`` shares (0–1),
    ``[$EUR] #,##0.00`` money (``currency`` for amounts in the programme's currency), dates as
    Excel dates; a ``value`` column next to a ``unit`` column (KPI tables) is formatted row by
    row. The header row is frozen and widths fitted (wide CJK characters count double). Text
    cells are never formulas (:func:`neutralise_formulas`); control characters that XML cannot
    hold become U+FFFD. The index is not written (reset it to keep it).

    A hidden sheet records each sheet's name and columns as given, so :func:`read_workbook`
    gives the tables back under their own names whatever the language they were written in.

    Examples
    --------
    >>> from geo.i18n import use_locale
    >>> frame = pd.DataFrame({"site_id": ["S1"], "tonnes_per_year": [12.5]})
    >>> with use_locale("qps_PLOC"):
    ...     data = workbook_bytes({"Resources": frame})
    >>> shown = read_workbook(data, as_shown=True)
    >>> list(shown), list(shown["⟦Résõürçés⟧"].columns)
    (['⟦Résõürçés⟧'], ['⟦Sîté ÎD⟧', '⟦Tõññés pér ýéàr (t/ýr)⟧'])
    >>> read_workbook(data)["Resources"].equals(frame)
    True
    """
    flats = {name: pd.DataFrame(_flat(frame)) if isinstance(frame, gpd.GeoDataFrame)
             else pd.DataFrame(frame).reset_index(drop=True) for name, frame in sheets.items()}
    return _write_workbook(flats, currency=currency)


def to_excel_bytes(frame: pd.DataFrame | gpd.GeoDataFrame, *, sheet_name: str = N_("Data"),
                   currency: str | None = None) -> bytes:
    """One table as an ``.xlsx`` workbook (see :func:`workbook_bytes`).

    Geometries become a WKT ``geometry`` column (and ``lon``/``lat`` for points); a named or
    non-default index is kept as columns, as in CSV.
    """
    return _write_workbook({sheet_name: _flat(frame)}, currency=currency)


def read_workbook(data: bytes, *, as_shown: bool = False) -> dict[str, pd.DataFrame]:
    """A workbook's sheets as frames (for checks and re-import).

    A workbook of :func:`workbook_bytes` comes back under the sheet names and column names it
    was given (whatever language it was written in); ``as_shown=True`` keeps the translated
    names a person sees. Other workbooks are read as they are.
    """
    frames: dict[str, pd.DataFrame] = pd.read_excel(io.BytesIO(data), sheet_name=None)
    meta = frames.pop(_META_SHEET, None)
    if meta is None or as_shown:
        return frames
    out: dict[str, pd.DataFrame] = {}
    written = {str(t): json.loads(str(m)) for t, m in zip(meta["sheet"], meta["written"],
                                                          strict=True)}
    for title, frame in frames.items():
        info = written.get(title)
        if info is None:
            out[title] = frame
            continue
        if len(info["columns"]) == len(frame.columns):
            frame.columns = pd.Index(info["columns"])
        out[str(info["name"])] = frame
    return out


def _geo_frame(frame: pd.DataFrame | gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        # Translators: {export} is a file format: GeoPackage or GeoJSON.
        msg = _("A {export} export needs a GeoDataFrame with geometries; got a {kind}. Export "
                "tables without geometry as CSV or Excel.").format(export=what,
                                                                   kind=type(frame).__name__)
        raise SymbiosisError(msg)
    if frame.crs is None:
        msg = _("A {export} export needs a CRS on the frame; it has none. Set it with "
                ".set_crs('EPSG:4326') if the coordinates are degrees.").format(export=what)
        raise CRSError(msg)
    out = frame.to_crs(4326) if not frame.crs.equals("EPSG:4326") else frame.copy()
    out = out.reset_index(drop=_unnamed_index(out))
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

    gdf = _geo_frame(frame, "GeoPackage")
    with tempfile.TemporaryDirectory(prefix="symbiomap-gpkg-") as tmp:
        path = Path(tmp) / "export.gpkg"
        pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG")
        return path.read_bytes()


def to_geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """GeoJSON (RFC 7946: EPSG:4326, UTF-8); missing values are ``null``."""
    gdf = _geo_frame(frame, "GeoJSON")
    return str(gdf.to_json(na="null", ensure_ascii=False, drop_id=True)).encode("utf-8")
