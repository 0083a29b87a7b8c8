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
from geo.i18n import _, format_number, ngettext

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
    names = ", ".join(repr(n) for n in summary.programmes) or _("none")
    n = len(summary.programmes)
    if summary.whole_database:
        line = ngettext("backed up the whole database ({n} programme: {names}) to {path}",
                        "backed up the whole database ({n} programmes: {names}) to {path}", n)
    else:
        line = ngettext("backed up {n} programme ({names}) to {path}",
                        "backed up {n} programmes ({names}) to {path}", n)
    print(line.format(n=format_number(n), names=names, path=summary.path))
    # Table names and row counts (tables are named as in the database).
    print("  " + ", ".join(f"{table} {format_number(k)}" for table, k in summary.rows.items()))
    print("  " + _("schema revision {revision}, sha256 {sha256}").format(
        revision=summary.schema_revision, sha256=summary.sha256))
    return 0
