"""``python -m geo i18n``: keep the translation catalogues in step with the code.

Examples::

    python -m geo i18n update     # extract marked strings and merge them into every .po file
    python -m geo i18n check      # list untranslated strings and placeholder mismatches

Catalogues are ``data/locale/<locale>/LC_MESSAGES/symbiomap.po`` (zh_CN, pt_BR); edit them with
any gettext tool (Poedit, Lokalize) or a text editor. No compile step: the app reads them.
"""

from __future__ import annotations

import argparse

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Run ``update`` or ``check``; returns the exit code (check: 1 when anything is left)."""
    p = argparse.ArgumentParser(prog="python -m geo i18n", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["update", "check"])
    args = p.parse_args(argv)
    from geo.i18n.catalogs import check, update

    if args.command == "update":
        for locale, todo in update().items():
            print(f"{locale}: {todo} string(s) to translate")
        return 0
    problems = check()
    for pr in problems[:200]:
        print(f"{pr.locale}: {pr.issue}: {pr.msgid[:90]!r}")
    if len(problems) > 200:
        print(f"… and {len(problems) - 200} more")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0
