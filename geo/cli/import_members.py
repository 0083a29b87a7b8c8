"""``python -m geo import FILE``: import and validate a CSV/XLSX member list.

Exit codes: 0 when the file was read (even if rows were rejected: see ``rejected`` and
``errors``), 2 when nothing could be read (missing, empty or not a table) or the arguments are
wrong, 1 when the database or the waste catalogue cannot be used.

With ``--json`` one JSON object is printed: ``rows``, ``imported``, ``duplicates``,
``rejected``, ``errors`` (each with ``row``, ``column``, ``value``, ``message`` and ``field``),
``warnings`` (rows stored as written whose quantity is unlikely for one site, same keys)
and how the file was read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Final

from geo.cli.common import fail
from geo.errors import ImportFileError, SymbiosisError, UploadError
from geo.i18n import _, format_number, ngettext
from geo.programme import PROVENANCES

__all__ = ["main"]

DEFAULT_PROGRAMME: Final = "Imported members"
_SHOWN_ERRORS: Final = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo import",
        description="Import and validate a CSV or Excel (.xlsx) member list into a programme.",
        epilog="The database is SYMBIOMAP_DATABASE_URL (default: an SQLite file in "
               "SYMBIOMAP_DATA_DIR). Re-importing a file adds no duplicates.")
    parser.add_argument("file", help="CSV (UTF-8, GB18030 or Latin-1; , ; or tab) or .xlsx")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--programme", metavar="NAME",
                        help="programme to import into (default: the only stored programme, "
                             f"or {DEFAULT_PROGRAMME!r} when none is stored)")
    parser.add_argument("--rejects", metavar="OUT.csv",
                        help="write rejected rows (with _row and _errors) to correct and "
                             "import again")
    parser.add_argument("--dry-run", action="store_true",
                        help="validate and count against the database, but write nothing")
    parser.add_argument("--provenance", default="import file", choices=PROVENANCES,
                        help="provenance of rows that give none (default: import file)")
    return parser


def _fail(message: str, *, as_json: bool, code: int) -> int:
    """Report a file or database that cannot be used: as the JSON report with one error, or
    as ``error: …`` on stderr."""
    if not as_json:
        return fail(message, code=code)
    print(json.dumps({"rows": 0, "imported": 0, "duplicates": 0, "rejected": 0,
                      "errors": [{"row": None, "column": None, "value": None,
                                  "message": message}]}, ensure_ascii=False))
    return code


def _summary(data: dict[str, Any]) -> str:
    """The report for people, in this session's language (``--json`` stays as it is)."""
    n = {k: format_number(data[k]) for k in ("rows", "imported", "duplicates", "rejected",
                                              "sites_added")}
    how = (_("{format}, {encoding}, {delimiter!r}-separated").format(
        format=data["format"].upper(), encoding=data["encoding"], delimiter=data["delimiter"])
        if data["format"] == "csv" else data["format"].upper())
    head = (_("{file} → programme {programme!r} ({how}) — dry run, nothing written")
            if data["dry_run"] else _("{file} → programme {programme!r} ({how})"))
    lines = [head.format(file=data["file"], programme=data["programme"], how=how),
             "  " + _("rows {rows}: imported {imported}, duplicates {duplicates}, rejected "
                      "{rejected}; new sites {sites_added}").format(**n)]
    if data["columns"]:
        lines.append("  " + _("columns: {columns}").format(
            columns=", ".join(f"{h!r} → {f}" for f, h in data["columns"].items())))
    if data["extra_columns"]:
        lines.append("  " + _("extra columns (kept in rejects, not stored): {columns}").format(
            columns=", ".join(repr(c) for c in data["extra_columns"])))
    if data["ignored_columns"]:
        lines.append("  " + _("ignored (a second column for the same field): {columns}").format(
            columns=", ".join(repr(c) for c in data["ignored_columns"])))
    errors = data["errors"]
    if errors:
        lines.append("  " + ngettext("errors ({shown} of {n} shown):",
                                     "errors ({shown} of {n} shown):", len(errors)).format(
            shown=format_number(min(len(errors), _SHOWN_ERRORS)),
            n=format_number(len(errors))))
        # Translators: one rejected cell: file row, column as headed, value, then the reason.
        each = _("row {row}, {column} = {value!r}: {message}")
        lines += ["    " + each.format(row=e["row"], column=e["column"] or e.get("field"),
                                       value=e["value"], message=e["message"])
                  for e in errors[:_SHOWN_ERRORS]]
    warnings = data.get("warnings") or []
    if warnings:
        lines.append("  " + ngettext("stored, but check ({shown} of {n} shown):",
                                     "stored, but check ({shown} of {n} shown):",
                                     len(warnings)).format(
            shown=format_number(min(len(warnings), _SHOWN_ERRORS)),
            n=format_number(len(warnings))))
        # Translators: one stored figure to check: file row, column as headed, the reason.
        check = _("row {row}, {column}: {message}")
        lines += ["    " + check.format(row=w["row"], column=w["column"], message=w["message"])
                  for w in warnings[:_SHOWN_ERRORS]]
    if data.get("rejects_file"):
        lines.append("  " + _("rejected rows written to {file}: correct them and run python -m "
                              "geo import {file}").format(file=data["rejects_file"]))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run ``python -m geo import`` with ``argv`` (the arguments after ``import``)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or bad arguments (2)
        return int(exc.code or 0)
    path = Path(args.file)
    if not path.is_file():
        return _fail(_("{file!r} is not a file; check the path.").format(file=args.file),
                     as_json=args.json, code=2)
    # The importer and the database stack only once the file exists.
    from geo.importer import import_file
    from geo.store import open_store
    from geo.uploads import TABLE_KINDS, check_upload

    try:
        store = open_store()
        names = store.programme_names()
    except SymbiosisError as exc:
        return _fail(str(exc), as_json=args.json, code=1)
    programme = args.programme or (names[0] if len(names) == 1 else DEFAULT_PROGRAMME)
    if not args.programme and len(names) > 1:
        return _fail(_("the database holds several programmes ({names!r}); say which with "
                       "--programme NAME").format(names=names), as_json=args.json, code=2)
    try:
        check_upload(Path(path).read_bytes(), name=Path(path).name, accept=TABLE_KINDS)
        report = import_file(path, store=store, programme=programme,
                             provenance=args.provenance, dry_run=args.dry_run)
    except (ImportFileError, UploadError) as exc:
        return _fail(str(exc), as_json=args.json, code=2)
    except SymbiosisError as exc:
        return _fail(str(exc), as_json=args.json, code=1)
    data = report.to_dict()
    if args.rejects:
        data["rejects_file"] = str(report.write_rejects(args.rejects))
    print(json.dumps(data, ensure_ascii=False) if args.json else _summary(data))
    return 0
