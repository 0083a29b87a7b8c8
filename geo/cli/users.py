"""``python -m geo users``: who may sign in to a server, and their role in each programme.

Examples::

    python -m geo users add 5b1c…e2 --email ana@example.org --name "Ana Lima"
    python -m geo users grant 5b1c…e2 practitioner --programme "Kotka"
    python -m geo users grant 77aa…01 park_authority --park KAR-P1 --park KAR-P2
    python -m geo users revoke 77aa…01 park_authority
    python -m geo users disable 77aa…01
    python -m geo users enable 77aa…01
    python -m geo users list --json

SUBJECT is the identity provider's ``sub`` claim. ``--programme`` may be left out while there
is only one programme (the stored ones, plus the embedded demo unless SYMBIOMAP_DEMO=0). Roles:
administrator, practitioner, park_authority, investor, logistics_planner. Every change is
written to the audit log with the operating-system user who made it.
"""

from __future__ import annotations

import argparse
import getpass
import json

from geo.cli.common import fail
from geo.errors import SymbiosisError
from geo.i18n import _, column_labels, format_number, ngettext
from geo.settings import get_settings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from geo.access import ROLES

    p = argparse.ArgumentParser(prog="python -m geo users", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a person who may sign in")
    add.add_argument("subject")
    add.add_argument("--email", default=None)
    add.add_argument("--name", default=None)
    grant = sub.add_parser("grant", help="give a role in a programme")
    grant.add_argument("subject")
    grant.add_argument("role", choices=ROLES)
    grant.add_argument("--programme", default=None)
    grant.add_argument("--park", action="append", default=[],
                       help="park id a park authority is limited to (repeat for several)")
    revoke = sub.add_parser("revoke", help="take a role away")
    revoke.add_argument("subject")
    revoke.add_argument("role", choices=ROLES)
    revoke.add_argument("--programme", default=None, help="default: wherever it is held")
    for name, text in (("disable", "refuse sign-in from the next interaction"),
                       ("enable", "allow sign-in again")):
        sub.add_parser(name, help=text).add_argument("subject")
    lst = sub.add_parser("list", help="users and their roles")
    lst.add_argument("--json", action="store_true")
    return p


def main(argv: list[str]) -> int:
    """Run one ``users`` command; returns the exit code."""
    args = _parser().parse_args(argv)
    from geo import access
    from geo.access.programmes import available_programmes, park_ids
    from geo.store import open_store

    actor = f"cli:{getpass.getuser()}"
    try:
        store = open_store()
        if args.command == "add":
            access.add_user(store, args.subject, email=args.email, name=args.name, actor=actor)
            print(_("added {subject!r}").format(subject=args.subject))
        elif args.command == "grant":
            g = access.grant(store, args.subject, args.role, programme=args.programme,
                             available=available_programmes(store, demo=get_settings().demo),
                             parks=args.park, park_ids=lambda name: park_ids(store, name),
                             actor=actor)
            # Translators: {role} is the role's name, e.g. Park authority.
            done = (_("{subject!r} is {role} in {programme!r} (parks {parks})") if g.parks
                    else _("{subject!r} is {role} in {programme!r}"))
            print(done.format(subject=args.subject, role=_(access.ROLE_LABELS[g.role]),
                              programme=g.programme, parks=", ".join(g.parks)))
        elif args.command == "revoke":
            n = access.revoke(store, args.subject, args.role, programme=args.programme,
                              actor=actor)
            print(ngettext("revoked {role} from {subject!r} in {n} programme",
                           "revoked {role} from {subject!r} in {n} programmes", n).format(
                role=args.role, subject=args.subject, n=format_number(n)))
        elif args.command in ("disable", "enable"):
            access.set_active(store, args.subject, args.command == "enable", actor=actor)
            print((_("enabled {subject!r}") if args.command == "enable"
                   else _("disabled {subject!r}")).format(subject=args.subject))
        else:
            users = access.list_users(store)
            if args.json:
                print(json.dumps(json.loads(users.to_json(orient="records"))))
            elif users.empty:
                print(_("no users yet: python -m geo users add SUBJECT --email E --name N"))
            else:
                shown = users.fillna("")
                print(shown.rename(columns=column_labels(shown.columns)).to_string(index=False))
    except SymbiosisError as exc:
        return fail(exc)
    return 0
