"""``python -m geo programme``: settings of one programme.

Examples::

    python -m geo programme levels                         # each programme's location levels
    python -m geo programme levels --preset china          # 省 / 市 / 园区 (the only programme)
    python -m geo programme levels --preset brazil --programme "Camaçari"
    python -m geo --lang zh_CN programme levels --json

``levels`` shows or sets the labels of the location hierarchy (presets ``default``:
Country / Region / City / Park; ``china``: 省 / 市 / 园区; ``brazil``: Estado / Município /
Distrito industrial). Pages head the park and location columns with them. Every change is
written to the audit log with the operating-system user who made it.
"""

from __future__ import annotations

import argparse
import getpass
import json

from geo.cli.common import fail
from geo.errors import SymbiosisError
from geo.i18n import _
from geo.settings import get_settings

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Run ``levels``; returns the exit code."""
    from geo.location_levels import LEVEL_KEYS, PRESETS

    p = argparse.ArgumentParser(prog="python -m geo programme", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    levels = sub.add_parser("levels", help="show or set the location level labels")
    levels.add_argument("--preset", choices=sorted(PRESETS), default=None,
                        help="set this preset (default: only show)")
    levels.add_argument("--programme", default=None,
                        help="default: every programme to show, the only one to set")
    levels.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    from geo.access import resolve_programme
    from geo.access.programmes import available_programmes
    from geo.location_levels import level_labels
    from geo.store import open_store
    from geo.store.locations import programme_location_preset, set_programme_location_preset

    try:
        settings = get_settings()
        store = open_store()
        names = available_programmes(store, demo=settings.demo)
        if args.preset is not None:
            name = resolve_programme(args.programme, names)
            set_programme_location_preset(store, name, args.preset,
                                          actor=f"cli:{getpass.getuser()}")
            shown = [name]
        else:
            shown = [resolve_programme(args.programme, names)] if args.programme else names
        rows = [(n, programme_location_preset(store, n)) for n in shown]
    except SymbiosisError as exc:
        return fail(exc)
    if args.json:
        print(json.dumps([{"programme": n, "preset": preset} for n, preset in rows],
                         ensure_ascii=False))
        return 0
    for name, preset in rows:
        labels = level_labels(preset)
        # Translators: one programme's location levels, e.g. "Kotka (default): Country →
        # Region → City → Park"; {preset} is the preset's code.
        print(_("{programme} ({preset}): {levels}").format(
            programme=name, preset=preset, levels=" → ".join(labels[k] for k in LEVEL_KEYS)))
    return 0
