"""``python -m geo disclosure``: show or set the disclosure rules a programme applies.

Examples::

    python -m geo disclosure show                                   # every programme's rules
    python -m geo disclosure set --programme "Kotka" --k 5 --p 20   # stricter: anyone may
    python -m geo disclosure set --programme "Kotka" --k 2 --p 10 --administrator   # weaker

Rules below the floors (k < 3, p < 10 %) are refused without ``--administrator``; every change
is written to the audit log with the operating-system user who made it.
"""

from __future__ import annotations

import argparse
import getpass
import json

from geo.cli.common import fail
from geo.errors import SymbiosisError
from geo.i18n import _, format_number
from geo.settings import get_settings

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Run ``show`` or ``set``; returns the exit code."""
    p = argparse.ArgumentParser(prog="python -m geo disclosure", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="the rules of every programme")
    show.add_argument("--json", action="store_true")
    st = sub.add_parser("set", help="set one programme's rules")
    st.add_argument("--programme", default=None, help="default: the only programme")
    st.add_argument("--k", type=int, required=True, help="minimum producers per figure")
    st.add_argument("--p", type=float, required=True, help="dominance rule, percent")
    st.add_argument("--administrator", action="store_true",
                    help="as an administrator (required below k=3 or p=10)")
    args = p.parse_args(argv)
    from geo.access import resolve_programme
    from geo.access.programmes import available_programmes
    from geo.disclosure.settings import default_rules, programme_rules, set_programme_rules
    from geo.store import open_store

    try:
        settings = get_settings()
        store = open_store()
        names = available_programmes(store, demo=settings.demo)
        if args.command == "set":
            name = resolve_programme(args.programme, names)
            rules = set_programme_rules(store, name, k=args.k, p_percent=args.p,
                                        actor=f"cli:{getpass.getuser()}",
                                        administrator=args.administrator)
            print(f"{name!r}: {rules.describe()}")
            return 0
        default = default_rules(settings)
        rows = [{"programme": n, "k": r.k, "p_percent": r.p_percent,
                 "by_administrator": r.by_administrator}
                for n in names for r in [programme_rules(store, n, default=default)]]
    except SymbiosisError as exc:
        return fail(exc)
    if args.json:
        print(json.dumps(rows))
    else:
        for r in rows:
            line = (_("{programme}: k={k}, p={p} % (set by an administrator)")
                    if r["by_administrator"] else _("{programme}: k={k}, p={p} %"))
            percent = float(str(r["p_percent"]))
            p_shown = format_number(percent, digits=0 if percent.is_integer() else 1)
            print(line.format(programme=r["programme"], k=r["k"], p=p_shown))
    return 0
