"""``python -m geo backup``: write the programme database, or some programmes, to one file.

Examples::

    python -m geo backup symbiomap-2026-12-06.symbiomap.gz
    python -m geo backup kotka.symbiomap.gz --programme "Kotka"
    SYMBIOMAP_DATABASE_URL=postgresql+psycopg://symbiomap@db/symbiomap \\
        python -m geo backup nightly.symbiomap.gz --json

The file holds every table: sites, parks, resources, contacts, imports and rejected rows,
synergies with their history and outcomes, users, grants and the audit log (with
``--programme``: those programmes, the users granted a role in them, their grants and audit
entries). It is read on one snapshot, so the app may keep running; restore it with
``python -m geo restore`` into SQLite or PostgreSQL. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import json

from geo.cli.common import fail
from geo.errors import SymbiosisError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo backup", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="the backup file to write (replaced if it exists)")
    p.add_argument("--programme", action="append", default=None,
                   help="back up only this programme (repeat for several; default: all)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def main(argv: list[str]) -> int:
    """Write the backup; returns the exit code."""
    args = _parser().parse_args(argv)
    from geo.store import open_store
    from geo.store.backup import write_backup

    try:
        summary = write_backup(open_store(), args.file, programmes=args.programme)
    except SymbiosisError as exc:
        return fail(exc)
    if args.json:
        print(json.dumps({"file": str(summary.path), "programmes": list(summary.programmes),
                          "whole_database": summary.whole_database, "rows": summary.rows,
                          "schema_revision": summary.schema_revision,
                          "sha256": summary.sha256}, ensure_ascii=False))
        return 0
    what = "the whole database" if summary.whole_database else "programme(s)"
    print(f"backed up {what} ({len(summary.programmes)} programme(s): "
          f"{', '.join(repr(n) for n in summary.programmes) or 'none'}) to {summary.path}")
    print("  " + ", ".join(f"{table} {n:,}" for table, n in summary.rows.items()))
    print(f"  schema revision {summary.schema_revision}, sha256 {summary.sha256}")
    return 0
