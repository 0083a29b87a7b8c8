"""``python -m geo restore``: load a backup file into the programme database.

Examples::

    python -m geo restore symbiomap-2026-12-06.symbiomap.gz
    python -m geo restore kotka.symbiomap.gz --replace      # replace the stored "Kotka"
    python -m geo restore nightly.symbiomap.gz --check      # only check the file

The file is checked through first (a SymbioMap backup, not from a newer version, complete,
unaltered: its checksum) and then restored in one transaction, so a refused file or a failure
changes nothing. A programme already stored under the same name is refused unless
``--replace`` is given. Users are matched by subject, grants in the restored programmes become
the backup's, and the restore is written to the audit log. Works between SQLite and
PostgreSQL in either direction. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import getpass
import json

from geo.cli.common import fail
from geo.errors import SymbiosisError
from geo.i18n import _, format_number, ngettext

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo restore", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="a backup written by python -m geo backup")
    p.add_argument("--replace", action="store_true",
                   help="replace programmes of the same name that are already stored")
    p.add_argument("--check", action="store_true",
                   help="only check the file (format, version, completeness, checksum)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def _check(file: str, as_json: bool) -> None:
    from geo.store.backup import verify_backup

    checked = verify_backup(file)
    if as_json:
        print(json.dumps({"file": file, "ok": True, "programmes": list(checked.programmes),
                          "rows": checked.rows, "schema_revision": checked.schema_revision,
                          "created_at": checked.created_at}, ensure_ascii=False))
        return
    print(ngettext("{file} is a complete SymbioMap backup of {n} programme ({names}), schema "
                   "revision {revision}, written {written}",
                   "{file} is a complete SymbioMap backup of {n} programmes ({names}), schema "
                   "revision {revision}, written {written}", len(checked.programmes)).format(
        file=file, n=format_number(len(checked.programmes)),
        names=", ".join(repr(n) for n in checked.programmes) or _("none"),
        revision=checked.schema_revision, written=checked.created_at))


def _restore(file: str, *, replace: bool, as_json: bool) -> None:
    from geo.store import open_store
    from geo.store.restore import restore_backup

    summary = restore_backup(open_store(), file, replace=replace,
                             actor=f"cli:{getpass.getuser()}")
    if as_json:
        print(json.dumps({"file": file, "programmes": list(summary.programmes),
                          "replaced": list(summary.replaced), "rows": summary.rows},
                         ensure_ascii=False))
        return
    names = ", ".join(repr(n) for n in summary.programmes) or _("no programme")
    if summary.replaced:
        print(_("restored {names} from {file} (replaced {replaced})").format(
            names=names, file=file, replaced=", ".join(repr(n) for n in summary.replaced)))
    else:
        print(_("restored {names} from {file}").format(names=names, file=file))
    print("  " + ", ".join(f"{table} {format_number(n)}" for table, n in summary.rows.items()))


def main(argv: list[str]) -> int:
    """Check, then restore, the backup; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.check:
            _check(args.file, args.json)
        else:
            _restore(args.file, replace=args.replace, as_json=args.json)
    except SymbiosisError as exc:
        return fail(exc)
    return 0
