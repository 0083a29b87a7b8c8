"""Reading a member list (CSV or Excel .xlsx) into a frame of text, whatever its encoding.

- **What the file is** is told from its bytes, not its name: an ``.xlsx`` renamed ``.csv``
  still reads; a PNG, PDF, Word document, old ``.xls`` or ZIP archive is refused with an
  :class:`~geo.errors.ImportFileError` saying what was found and what is expected.
- **Encodings**: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
  UTF-32 with BOM, GB18030 (and so GBK/GB2312) and Latin-1/Windows-1252. Bytes that are not
  UTF-8 are tried as GB18030 and kept as such only when they look like Chinese text (see
  :func:`looks_chinese`); otherwise they are Latin-1 (Windows-1252 when its extra characters
  occur). GB18030 decodes most Latin-1 bytes without error, so decoding alone cannot decide.
- **Delimiter**: comma, semicolon, tab or ``|``, whichever splits the first lines most
  consistently.
- **Workbooks**: the first sheet that holds a table (a header row and rows below it) is
  read; a caller may say which header it looks for (``is_header``), so a notes sheet in front
  of the member list is passed over.
- Every cell is read as text exactly as written (no number parsing, no ``NA`` → missing).
- A file with a header but no data rows, or with a cell longer than :data:`MAX_CELL_CHARS`
  (the mark of a quote never closed), is refused with an :class:`~geo.errors.ImportFileError`
  saying where.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Final

import pandas as pd

from geo.errors import ImportFileError
from geo.i18n import N_, _, format_number, ngettext

__all__ = ["EXTRA_VALUES", "MAX_CELL_CHARS", "decode_text", "looks_chinese", "read_table",
           "sniff_delimiter"]

EXTRA_VALUES: Final = "_extra_values"
"""Column added when some rows have more values than the header has columns."""
MAX_CELL_CHARS: Final = 131_072
"""Longest cell of a CSV file read (the :mod:`csv` module's default field limit, which is left
as it is); a longer one is refused, as a member list has no such cells."""

_EXPECTED: Final = N_("Expected a CSV file (comma-, semicolon- or tab-separated text with a "
                      "header row) or an Excel workbook (.xlsx).")
_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", N_("{name!r} is a PNG image, not a table.")),
    (b"\xff\xd8\xff", N_("{name!r} is a JPEG image, not a table.")),
    (b"GIF8", N_("{name!r} is a GIF image, not a table.")),
    (b"%PDF", N_("{name!r} is a PDF document, not a table.")),
    (b"\xd0\xcf\x11\xe0", N_("{name!r} is an old binary Office file (.xls or .doc), not a "
                             "table; open it in Excel or LibreOffice and save it as .xlsx or "
                             "CSV.")),
    (b"\x1f\x8b", N_("{name!r} is a gzip archive, not a table.")),
    (b"{\\rtf", N_("{name!r} is an RTF document, not a table.")),
    (b"SQLite format 3\x00", N_("{name!r} is an SQLite database (a GeoPackage?), not a "
                                "table.")),
)
"""File signatures → the sentence saying what the file is (``{name}``: the file's name)."""
_ZIP_KINDS: Final = (
    ("word/document.xml", N_("{name!r} is a Word document (.docx), not a table.")),
    ("ppt/presentation.xml", N_("{name!r} is a PowerPoint presentation (.pptx), not a "
                                "table.")),
)
_DELIMITERS: Final = (",", ";", "\t", "|")


def _fail(name: str, found: str, **values: object) -> ImportFileError:
    """The error for a file that is not a table: ``found`` (marked) says what it is."""
    return ImportFileError(_(found).format(name=name, **values) + " " + _(_EXPECTED))


def source_bytes(source: str | Path | IO[bytes] | IO[str],
                 filename: str | None) -> tuple[bytes, str]:
    """The raw bytes of a file path or an open (uploaded) file, and its display name.

    Text streams are encoded as UTF-8. A path that cannot be read raises
    :class:`ImportFileError` naming it.
    """
    data, name = _read_bytes(source, filename)
    return (data.encode("utf-8") if isinstance(data, str) else data), name


def _read_bytes(source: str | Path | IO[bytes] | IO[str],
                filename: str | None) -> tuple[bytes | str, str]:
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            msg = _("Could not read {path!r}: {reason}. Check the path.").format(
                path=str(path), reason=exc.strerror or exc)
            raise ImportFileError(msg) from exc
    data = source.read()
    name = filename or Path(str(getattr(source, "name", "") or _("uploaded file"))).name
    return data, name


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names \
                else ""
    except zipfile.BadZipFile as exc:
        raise _fail(name, N_("{name!r} is a damaged ZIP/Office file, not a table.")) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    for member, what in _ZIP_KINDS:
        if member in names:
            raise _fail(name, what)
    if "opendocument.spreadsheet" in mimetype:
        raise _fail(name, N_("{name!r} is an OpenDocument spreadsheet (.ods), not a table; save "
                             "it as .xlsx or CSV."))
    raise _fail(name, N_("{name!r} is a ZIP archive, not a table."))


def looks_chinese(data: bytes) -> bool:
    """Whether non-UTF-8 bytes are GB18030 Chinese text rather than Latin-1 (European) text.

    GB18030 accepts most Latin-1 byte sequences, so the test looks at the shape: in Chinese
    text, runs of bytes ≥ 0x80 come in pairs and decode to common hanzi (GB2312 level 1);
    in Portuguese or Finnish, accented letters stand alone between ASCII letters ("João",
    "Päivä"), giving odd-length runs and rare or sandwiched ideographs.

    Examples
    --------
    >>> looks_chinese("上海华谊化工有限公司".encode("gb18030"))
    True
    >>> looks_chinese("Associação Têxtil, João".encode("latin-1"))
    False
    """
    sample = data[:200_000]
    try:
        text = sample.decode("gb18030", errors="ignore")
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    runs = [len(r) for r in re.findall(rb"[\x80-\xff]+", sample)]
    hanzi = re.findall(r"[\u4e00-\u9fff]", text)
    if not runs or not hanzi:
        return False
    odd_share = sum(r % 2 for r in runs) / len(runs)

    def _level1(ch: str) -> bool:
        try:
            return 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            return False

    common = sum(_level1(ch) for ch in hanzi[:5000]) / min(len(hanzi), 5000)
    sandwiched = len(re.findall(r"[A-Za-z][\u4e00-\u9fff]{1,2}[A-Za-z]", text)) / len(runs)
    return odd_share <= 0.1 and common >= 0.6 and sandwiched < 0.3


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file; returns (text, encoding name).

    Examples
    --------
    >>> decode_text("nome;LER\\nJoão;070101".encode("latin-1"))[1]
    'latin-1'
    >>> decode_text("\\ufeffname".encode("utf-8"))
    ('name', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16's
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if looks_chinese(data):
        return data.decode("gb18030"), "gb18030"
    if re.search(rb"[\x80-\x9f]", data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str, *, candidates: Sequence[str] = _DELIMITERS) -> str:
    """The delimiter that splits the first lines into the most, and most consistent, fields.

    Examples
    --------
    >>> sniff_delimiter("a;b;c\\n1,5;2;3\\n")
    ';'
    """
    head = "\n".join(text.splitlines()[:50])
    best, best_score = candidates[0], (0.0, 0)
    for delim in candidates:
        rows = [r for r in _records(head, delim) if r]
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        same = sum(len(r) == width for r in rows) / len(rows)
        score = (same, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    """The csv module's records of ``text`` up to the first it cannot read (for sniffing)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        return


def _overlong(name: str, row: int) -> ImportFileError:
    msg = _("{name!r}: the cell in row {row} is longer than {limit} characters, more than a "
            "table of members holds. Most often a quote (\") opened in that row or above is "
            "never closed, so the rest of the file runs into one cell: close the quote (or "
            "shorten the cell) and upload the file again.").format(
        name=name, row=row, limit=format_number(MAX_CELL_CHARS))
    return ImportFileError(msg)


def _csv_rows(text: str, delimiter: str, name: str) -> list[list[str]]:
    """All records read by the csv module; its errors become an :class:`ImportFileError`."""
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _overlong(name, len(rows) + 1) from None
        msg = _("{name!r} cannot be read as CSV at row {row} ({reason}); check the quotes in "
                "that row, or save the file again as CSV.").format(
            name=name, row=len(rows) + 1, reason=exc)
        raise ImportFileError(msg) from None
    return rows


def _check_cell_lengths(grid: pd.DataFrame, name: str) -> None:
    longest = pd.concat([grid[c].str.len() for c in grid.columns], axis=1).max(axis=1)
    over = longest.to_numpy() > MAX_CELL_CHARS
    if over.any():
        raise _overlong(name, int(over.argmax()) + 1)


def _csv_grid(text: str, delimiter: str, name: str) -> pd.DataFrame:
    """All records as a frame of text (record n at position n-1), via pandas' C parser."""
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False,
                           engine="c").fillna("")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        pass
    else:
        _check_cell_lengths(grid, name)
        return grid
    # Some rows are longer than the header, or the file starts with a blank line (which the
    # C parser cannot take): read with the csv module, keep surplus values.
    rows = _csv_rows(text, delimiter, name)
    first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), 0)
    width = len(rows[first]) if rows else 0
    longer = any(len(r) > width for r in rows)
    fixed = [[*r[:width], *[""] * (width - len(r)),
              *([delimiter.join(r[width:])] if longer else [])] for r in rows]
    grid = pd.DataFrame(fixed, dtype="str")
    if longer:
        grid.iloc[first, width] = EXTRA_VALUES
    return grid


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())
        return text.removesuffix("T00:00:00")
    return str(value)


_FORMULA_TAG: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
"""A formula element in worksheet XML (``<f>``, ``<f t="shared" .../>``, ``<x:f>``)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _has_formulas(z: zipfile.ZipFile, member: str) -> bool:
    """Whether a worksheet holds any formula (read in chunks: a sheet can be huge)."""
    tail = b""
    with z.open(member) as fh:
        while chunk := fh.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _recalculated_on_load(z: zipfile.ZipFile) -> bool:
    """Whether the workbook asks to be recalculated when opened (``fullCalcOnLoad``): what
    programs that do not compute write (openpyxl, XlsxWriter — which stores 0 as every
    formula's result), so the results it holds are not to be trusted."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(z.read("xl/workbook.xml"))
    except (KeyError, ET.ParseError):
        return False
    calc = next((el for el in root.iter() if _local(el.tag) == "calcPr"), None)
    return calc is not None and calc.get("fullCalcOnLoad", "").lower() in ("1", "true")


def _uncomputed_formulas(data: bytes) -> list[tuple[str, str]]:
    """(cell, formula) of every formula cell whose computed value the workbook does not hold.

    Excel and LibreOffice save each formula's result beside it, and only that result is read.
    A workbook written by a program that does not compute (a script, some exporters) holds no
    result (``<v/>`` or none) or a placeholder (XlsxWriter's 0, with the workbook marked to be
    recalculated on load): its formula cells would read as empty or 0, a quantity silently
    lost. A result that is the empty string (``t="str"``) is a result.
    """
    import xml.etree.ElementTree as ET

    found: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [i.filename for i in z.infolist()
                  if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        sheets = [s for s in sheets if _has_formulas(z, s)]
        if not sheets:
            return found
        untrusted = _recalculated_on_load(z)
        for sheet in sheets:
            with z.open(sheet) as fh:
                for _event, el in ET.iterparse(fh):
                    if _local(el.tag) != "c":
                        continue
                    parts = {_local(child.tag): child for child in el}
                    formula = parts.get("f")
                    if formula is not None:
                        value = parts.get("v")
                        empty = value is None or not (value.text or "")
                        if untrusted or value is None or (empty and el.get("t") != "str"):
                            found.append((el.get("r") or "?", formula.text or ""))
                    el.clear()
    return found


def _xlsx_grids(data: bytes, name: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """(title, grid of text) of each sheet that has text, in the workbook's order."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise _fail(name, N_("{name!r} is an Excel file that could not be opened ({reason}), "
                             "not a table."), reason=exc) from exc
    if uncomputed := _uncomputed_formulas(data):
        wb.close()
        cell, formula = uncomputed[0]
        # Translators: {cell} is a spreadsheet cell such as B2, {formula} what it holds.
        msg = ngettext(
            "{name!r} has {n} formula cell without its computed value ({cell}: ={formula}), "
            "which would read as empty. The program that wrote the file did not compute it: "
            "open the file in Excel or LibreOffice, save it, and upload it again.",
            "{name!r} has {n} formula cells without their computed values (first {cell}: "
            "={formula}), which would read as empty. The program that wrote the file did not "
            "compute them: open the file in Excel or LibreOffice, save it, and upload it again.",
            len(uncomputed)).format(name=name, n=format_number(len(uncomputed)), cell=cell,
                                    formula=formula[:60])
        raise ImportFileError(msg)
    try:
        for ws in wb.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(min_row=1, min_col=1,
                                                                     values_only=True)]
            if any(any(c.strip() for c in r) for r in rows):
                width = max(len(r) for r in rows)
                yield ws.title, pd.DataFrame([r + [""] * (width - len(r)) for r in rows],
                                             dtype="str")
    finally:
        wb.close()


def _xlsx_table(data: bytes, name: str,
                is_header: Callable[[list[str]], bool] | None) -> tuple[pd.DataFrame, str]:
    """(table, sheet title): the first sheet with data rows whose header passes
    ``is_header``; else the first sheet with data rows."""
    seen: list[str] = []
    fallback: tuple[pd.DataFrame, str] | None = None
    for title, grid in _xlsx_grids(data, name):
        seen.append(title)
        frame = _with_header(grid, name)
        if frame.empty:
            continue
        if is_header is None or is_header([str(c) for c in frame.columns]):
            return frame, title
        fallback = fallback or (frame, title)
    if fallback is not None:
        return fallback
    if not seen:
        raise _fail(name, N_("{name!r} is an Excel workbook with no data in any sheet."))
    # Translators: {sheets} lists the workbook's sheet names, e.g. 'Notes', 'Members'.
    msg = _("{name!r} has no data rows: none of its sheets ({sheets}) has a header row with "
            "rows below it. Put the list on one sheet (a header row, then one row per "
            "record) and upload it again.").format(
        name=name, sheets=", ".join(repr(t) for t in seen))
    raise ImportFileError(msg)


def _with_header(grid: pd.DataFrame, name: str) -> pd.DataFrame:
    filled = pd.concat([grid[c].str.strip() != "" for c in grid.columns], axis=1).any(axis=1)
    if not filled.any():
        raise _fail(name, N_("{name!r} has no text in any cell."))
    head = int(filled.to_numpy().argmax())
    headers: list[str] = []
    for i, raw in enumerate(grid.iloc[head]):
        base = label = str(raw).strip() or _("column {n}").format(n=i + 1)
        n = 1
        while label in headers:
            n += 1
            label = f"{base} ({n})"
        headers.append(label)
    body = grid.iloc[head + 1:]
    frame = body[filled.iloc[head + 1:].to_numpy()].copy()
    frame.columns = pd.Index(headers)
    frame.index = pd.Index(frame.index + 1, name="row", dtype="int64")
    empty_cols = [h for h, raw in zip(headers, grid.iloc[head], strict=True)
                  if not str(raw).strip() and (frame[h].str.strip() == "").all()]
    return frame.drop(columns=empty_cols).astype("str")


def read_table(path_or_buffer: str | Path | IO[bytes] | IO[str], *,
               filename: str | None = None,
               is_header: Callable[[list[str]], bool] | None = None) -> pd.DataFrame:
    """Read a CSV or ``.xlsx`` member list as text.

    Parameters
    ----------
    path_or_buffer : str, Path or file-like
        A path, or an open binary (or text) file such as an upload.
    filename : str, optional
        The name to use in messages (default: the path's or buffer's name).
    is_header : callable, optional
        For a workbook: whether a sheet's header cells are the ones looked for. The first
        sheet with data rows whose header passes is read (a notes sheet in front is passed
        over); when none passes, or without this test, the first sheet with data rows.

    Returns
    -------
    DataFrame
        One column per header cell (blank headers become ``"column N"``, repeated ones get
        `` (2)``), every value ``str`` as written (empty cells ``""``). The index, named
        ``row``, is the 1-based row number in the file (the header is row 1 when it is on the
        first line), as a spreadsheet shows it; blank rows are left out. ``attrs`` holds
        ``format`` (``csv``/``xlsx``), ``encoding``, ``delimiter`` and ``sheet`` (the title
        of the sheet read). A column :data:`EXTRA_VALUES` appears when some rows have more
        values than headers.

    Raises
    ------
    ImportFileError
        Empty file, a header without data rows (in every sheet of a workbook, which are
        named), a cell longer than :data:`MAX_CELL_CHARS` (its row is named), or not a table
        (image, PDF, Word, ``.xls``, binary …): the message says what was found and what is
        expected.
    """
    data, name = _read_bytes(path_or_buffer, filename)
    attrs: dict[str, str] = {"format": "csv", "encoding": "", "delimiter": "", "sheet": ""}
    if isinstance(data, str):
        text, attrs["encoding"] = data, "text"
    else:
        if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            msg = ngettext("{name!r} is empty ({n} byte); expected a header row and at least "
                           "one data row.",
                           "{name!r} is empty ({n} bytes); expected a header row and at least "
                           "one data row.", len(data)).format(name=name, n=len(data))
            raise ImportFileError(msg)
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise _fail(name, what)
        if data.startswith(b"PK\x03\x04") and _zip_kind(data, name) == "xlsx":
            frame, attrs["sheet"] = _xlsx_table(data, name, is_header)
            attrs["format"] = "xlsx"
            frame.attrs.update(attrs)
            return frame
        text, attrs["encoding"] = decode_text(data)
    if "\x00" in text[:100_000]:
        raise _fail(name, N_("{name!r} is binary data, not a table."))
    if re.match(r"\s*<(!doctype html|html)", text[:1000], flags=re.IGNORECASE):
        raise _fail(name, N_("{name!r} is an HTML page, not a table."))
    attrs["delimiter"] = sniff_delimiter(text)
    frame = _with_header(_csv_grid(text, attrs["delimiter"], name), name)
    if frame.empty:
        msg = _("{name!r} has a header row but no data rows below it. Add one row per record "
                "under the header and upload the file again.").format(name=name)
        raise ImportFileError(msg)
    frame.attrs.update(attrs)
    return frame
