"""Reading a member list (CSV or Excel .xlsx) into a frame of text, whatever its encoding.

- **What the file is** is told from its bytes, not its name: an ``.xlsx`` renamed ``.csv``
  still reads; a PNG, PDF, Word document, old ``.xls`` or ZIP archive is refused with an
  :class:`~geo.errors.ImportFileError` saying what was found and what is expected.
- **Encodings**: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
  GB18030 (and so GBK/GB2312) and Latin-1/Windows-1252. Bytes that are not UTF-8 are tried
  as GB18030 and kept as such only when they look like Chinese text (see
  :func:`looks_chinese`); otherwise they are Latin-1 (Windows-1252 when its extra characters
  occur). GB18030 decodes most Latin-1 bytes without error, so decoding alone cannot decide.
- **Delimiter**: comma, semicolon, tab or ``|``, whichever splits the first lines most
  consistently.
- Every cell is read as text exactly as written (no number parsing, no ``NA`` → missing).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final

import pandas as pd

from geo.errors import ImportFileError
from geo.i18n import N_, _, ngettext

__all__ = ["EXTRA_VALUES", "decode_text", "looks_chinese", "read_table", "sniff_delimiter"]

EXTRA_VALUES: Final = "_extra_values"
"""Column added when some rows have more values than the header has columns."""

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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
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
        rows = [r for r in csv.reader(io.StringIO(head), delimiter=delim) if r]
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


def _csv_grid(text: str, delimiter: str) -> pd.DataFrame:
    """All records as a frame of text (record n at position n-1), via pandas' C parser."""
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False,
                           engine="c")
        return grid.fillna("")
    except pd.errors.ParserError:
        pass
    # Some rows are longer than the first: read with the csv module, keep surplus values.
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), 0)
    width = len(rows[first]) if rows else 0
    fixed = [[*r[:width], *[""] * (width - len(r)),
              delimiter.join(r[width:])] for r in rows]
    grid = pd.DataFrame(fixed, dtype="str")
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


def _xlsx_grid(data: bytes, name: str) -> tuple[pd.DataFrame, str]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise _fail(name, N_("{name!r} is an Excel file that could not be opened ({reason}), "
                             "not a table."), reason=exc) from exc
    try:
        for ws in wb.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(min_row=1, min_col=1,
                                                                     values_only=True)]
            if any(any(c.strip() for c in r) for r in rows):
                width = max(len(r) for r in rows)
                return pd.DataFrame([r + [""] * (width - len(r)) for r in rows],
                                    dtype="str"), ws.title
    finally:
        wb.close()
    raise _fail(name, N_("{name!r} is an Excel workbook with no data in any sheet."))


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
               filename: str | None = None) -> pd.DataFrame:
    """Read a CSV or ``.xlsx`` member list as text.

    Parameters
    ----------
    path_or_buffer : str, Path or file-like
        A path, or an open binary (or text) file such as an upload.
    filename : str, optional
        The name to use in messages (default: the path's or buffer's name).

    Returns
    -------
    DataFrame
        One column per header cell (blank headers become ``"column N"``, repeated ones get
        `` (2)``), every value ``str`` as written (empty cells ``""``). The index, named
        ``row``, is the 1-based row number in the file (the header is row 1 when it is on the
        first line), as a spreadsheet shows it; blank rows are left out. ``attrs`` holds
        ``format`` (``csv``/``xlsx``), ``encoding``, ``delimiter`` and ``sheet``. A column
        :data:`EXTRA_VALUES` appears when some rows have more values than headers.

    Raises
    ------
    ImportFileError
        Empty file, or not a table (image, PDF, Word, ``.xls``, binary …): the message says
        what was found and what is expected.
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
            grid, attrs["sheet"] = _xlsx_grid(data, name)
            attrs["format"] = "xlsx"
            frame = _with_header(grid, name)
            frame.attrs.update(attrs)
            return frame
        text, attrs["encoding"] = decode_text(data)
    if "\x00" in text[:100_000]:
        raise _fail(name, N_("{name!r} is binary data, not a table."))
    if re.match(r"\s*<(!doctype html|html)", text[:1000], flags=re.IGNORECASE):
        raise _fail(name, N_("{name!r} is an HTML page, not a table."))
    attrs["delimiter"] = sniff_delimiter(text)
    frame = _with_header(_csv_grid(text, attrs["delimiter"]), name)
    frame.attrs.update(attrs)
    return frame
