"""``python -m geo demo``: summarise the embedded demo programme, or save it to the store."""

from __future__ import annotations

import argparse
import json
import unicodedata

from geo.demo import load_demo_programme
from geo.errors import SymbiosisError
from geo.i18n import _, column_label, format_number

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Print the demo programme's figures (``--json``) or save it (``--save``)."""
    parser = argparse.ArgumentParser(prog="python -m geo demo", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--save", action="store_true",
                        help="save the demo programme and its illustrative synergies into the "
                             "database (SYMBIOMAP_DATABASE_URL)")
    args = parser.parse_args(argv)
    prog = load_demo_programme()
    figures = prog.summary()
    if args.save:
        from geo.store import open_store  # the database stack only when saving
        from geo.synergies.demo import demo_synergy_book
        from geo.synergies.repository import load_book, save_book

        try:
            store = open_store()
            store.save_programme(prog, replace=True)
            if load_book(store, prog.name).synergies.empty:
                save_book(store, prog.name, demo_synergy_book(prog))
        except SymbiosisError as exc:
            # On stdout, unlike geo.cli.common.fail (stderr): kept as it was.
            print(_("error: {message}").format(message=exc))
            return 1
    if args.json:
        print(json.dumps({"programme": prog.name, "illustrative": prog.illustrative, **figures}))
    else:
        print(_("{programme} — illustrative quantities").format(programme=prog.name))
        labels = {k: column_label(k) for k in figures}
        width = max(_width(label) for label in labels.values())
        for k, v in figures.items():
            label = labels[k]
            print(f"  {label}{' ' * (width - _width(label))}  {format_number(v)}")
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide CJK characters count double)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
