"""``python -m geo geocode FILE --out OUT.csv``: locate the records of a member list.

Reads a CSV or Excel member list, runs the geocoding chain (:func:`geo.geocode.geocode_frame`)
and writes the same rows with ``lon``, ``lat`` (WGS84), ``precision``, ``source``, ``candidate``
and ``reason`` added, then prints a summary by precision (``--json`` for a machine-readable one).
Exit status: 0 when the file was read (even if some records were not found), 2 when nothing
could be read or the options are wrong.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import TypedDict

import pandas as pd

from geo.cli.common import split_list
from geo.errors import SymbiosisError
from geo.geocode import GEOCODER_STEPS, NOTES_ATTR, geocode_frame, read_gazetteer
from geo.i18n import _, format_number, ngettext
from geo.importer import read_table
from geo.programme import PRECISIONS
from geo.settings import get_settings
from geo.uploads import TABLE_KINDS, check_upload

__all__ = ["GeocodeSummary", "main", "read_member_list", "summarise"]


class GeocodeSummary(TypedDict):
    """What :func:`summarise` reports (and ``--json`` prints, with ``out`` added)."""

    rows: int
    located: int
    by_precision: dict[str, int]
    by_source: dict[str, int]
    notes: list[str]


def read_member_list(path: Path) -> pd.DataFrame:
    """Read a CSV or Excel member list as text columns.

    Uses the project importer's reader (:func:`geo.importer.read_table`: encodings,
    delimiters, header detection), so a file reads here as it does on the import page.

    Raises
    ------
    SymbiosisError
        When the file is missing, unreadable or has no rows.
    """
    if not path.is_file():
        msg = _("No file at {path!r}; give the path of a CSV or Excel member list.").format(
            path=str(path))
        raise SymbiosisError(msg)
    try:
        data = path.read_bytes()
        check_upload(data, name=path.name, accept=TABLE_KINDS)
        frame = read_table(io.BytesIO(data), filename=path.name)
    except SymbiosisError:
        raise
    except (OSError, ValueError, csv.Error, pd.errors.ParserError) as exc:
        msg = _("Cannot read {path!r} as a CSV or Excel table: {reason}.").format(
            path=str(path), reason=exc)
        raise SymbiosisError(msg) from exc
    if frame.empty:
        msg = _("{path!r} has no rows; a member list needs a header and at least one "
                "row.").format(path=str(path))
        raise SymbiosisError(msg)
    return frame


def summarise(result: pd.DataFrame) -> GeocodeSummary:
    """Counts by precision (every label, chain order) and by source, and the batch notes."""
    by_precision = result["precision"].value_counts().reindex(PRECISIONS, fill_value=0)
    by_source = result.loc[result["precision"] != "not_found", "source"].value_counts()
    return {
        "rows": len(result),
        "located": int((result["precision"] != "not_found").sum()),
        "by_precision": {k: int(v) for k, v in by_precision.items()},
        "by_source": {str(k): int(v) for k, v in by_source.items()},
        "notes": list(result.attrs.get(NOTES_ATTR, [])),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo geocode",
        description="Locate the records of a CSV/Excel member list, offline first.")
    parser.add_argument("file", type=Path, help="CSV or Excel member list")
    parser.add_argument("--out", type=Path, default=None,
                        help="output CSV (default: FILE's name with _geocoded.csv)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--no-nominatim", action="store_true",
                        help="never ask Nominatim, even when SYMBIOMAP_NOMINATIM=1")
    parser.add_argument("--steps", default=",".join(GEOCODER_STEPS),
                        help=f"comma-separated steps to run (default: all: "
                             f"{','.join(GEOCODER_STEPS)})")
    parser.add_argument("--gazetteer", type=Path, action="append", default=None,
                        help="programme gazetteer CSV (name,aliases,country,lon,lat,precision); "
                             "repeat for several (default: the shipped demo)")
    return parser


def main(argv: list[str]) -> int:
    """Run the ``geocode`` job with the arguments after ``geocode``; returns the exit status."""
    args = _parser().parse_args(argv)
    steps = list(split_list(args.steps))
    if args.no_nominatim:
        steps = [s for s in steps if s != "nominatim"]
    out_path = args.out or args.file.with_name(f"{args.file.stem}_geocoded.csv")
    try:
        frame = read_member_list(args.file)
        gazetteer = read_gazetteer(args.gazetteer) if args.gazetteer else None
        result = geocode_frame(frame, settings=get_settings(), steps=steps, gazetteer=gazetteer)
    except SymbiosisError as exc:
        # Exit 2 with a "geocode:" prefix (documented above), unlike common.fail: kept as it was.
        print(_("geocode: {message}").format(message=exc), file=sys.stderr)
        return 2
    out_path.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(out_path, index=False)
    summary = summarise(result)
    if args.json:
        print(json.dumps({**summary, "out": str(out_path)}, ensure_ascii=False, indent=2))
        return 0
    print(ngettext("{located} of {n} record located; written to {path}",
                   "{located} of {n} records located; written to {path}",
                   summary["rows"]).format(located=format_number(summary["located"]),
                                           n=format_number(summary["rows"]), path=out_path))
    for label, count in summary["by_precision"].items():
        print(f"  {label:<10} {format_number(count):>8}")
    for note in summary["notes"]:
        print(_("note: {note}").format(note=note))
    return 0
