"""``python -m geo match``: rank the partners of haves and wants, with the reasons.

Examples::

    python -m geo match --record KAR-R0012            # ranked partners of one have or want
    python -m geo match --all --top-k 3 --out matches.csv
    python -m geo match --gaps                        # streams with no want anywhere, by tonnes

The programme is the embedded demo unless ``--programme NAME`` names a stored one
(``SYMBIOMAP_DATABASE_URL``); its completed synergies feed the knowledge base. Distances are by
road on the demo and with ``--pbf``, else straight-line × detour (said in the output). The
funders' workbook is ``python -m geo report``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import (
    add_programme_options,
    fail,
    load_programme,
    print_table,
    road_graph,
    synergy_book,
)
from geo.errors import SymbiosisError
from geo.i18n import DEFAULT_LOCALE, _, current_locale, format_number, ngettext, use_locale

if TYPE_CHECKING:
    import pandas as pd

    from geo.catalogue import Catalogue
    from geo.synergies.matching import Matcher

__all__ = ["main"]

_SHOW = ["rank", "have_id", "want_id", "want_site", "basis", "score", "distance_km",
         "distance_method", "matched_quantity", "unit", "reasons"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo match", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--record", help=_("resource id of a have or a want"))
    what.add_argument("--all", action="store_true", help=_("best matches of every have"))
    what.add_argument("--gaps", action="store_true", help=_("haves with no want anywhere"))
    add_programme_options(parser)
    parser.add_argument("--top-k", type=int, default=10,
                        help=_("matches per record (default 10)"))
    parser.add_argument("--scope", choices=["all", "same park", "other parks"], default="all")
    parser.add_argument("--max-km", type=float, default=None,
                        help=_("drop partners farther away"))
    parser.add_argument("--straight-line", action="store_true",
                        help=_("skip the road network (straight-line × detour, labelled)"))
    parser.add_argument("--out", type=Path, help=_("write the table as CSV"))
    return parser


def _query(args: argparse.Namespace, matcher: Matcher,
           catalogue: Catalogue) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The table and notes asked for, in the current language."""
    from geo.synergies.gaps import gap_analysis

    if args.gaps:
        return gap_analysis(matcher, catalogue=catalogue), matcher.notes
    result = matcher.for_record(args.record) if args.record else matcher.all_pairs()
    return result.table, result.notes


def _for_reading(table: pd.DataFrame) -> pd.DataFrame:
    """The table as printed for a person: codes as labels, headers as column labels."""
    from geo.i18n.labels import column_labels
    from geo.synergies.distances import METHOD_LABELS
    from geo.synergies.reports import fate_label
    from geo.synergies.scoring import BASIS_LABELS
    from geo.synergies.text import unit_label

    out = table.copy()
    for col, labels in (("basis", BASIS_LABELS), ("distance_method", METHOD_LABELS)):
        if col in out:
            out[col] = [_(labels[v]) if v in labels else v for v in out[col]]
    if "unit" in out:
        out["unit"] = [unit_label(u) for u in out["unit"]]
    if "fates" in out:
        out["fates"] = [", ".join(fate_label(f) for f in str(v).split(", ")) if v else v
                        for v in out["fates"]]
    return out.rename(columns=column_labels(out.columns))


def main(argv: list[str]) -> int:
    """Match haves to wants: one record (``--record``), all (``--all``) or the gaps."""
    args = _parser().parse_args(argv)
    # The matcher and the catalogue are imported once the arguments are known to be good.
    from geo.catalogue import load_catalogue
    from geo.synergies.matching import Matcher
    from geo.synergies.scoring import MatchParams
    from geo.synergies.text import figure

    try:
        prog = load_programme(args.programme)
        graph = None if args.straight_line else road_graph(
            prog, pbf=args.pbf, demo=args.programme is None, download=False)
        book = synergy_book(prog.name)
        catalogue = load_catalogue()
        params = MatchParams(top_k=args.top_k, scope=args.scope, max_distance_km=args.max_km)
        matcher = Matcher.from_programme(prog, synergies=book.synergies, graph=graph,
                                         catalogue=catalogue, params=params)
        # JSON and CSV are machine-readable: their reasons and notes are in English, the
        # printed table in the language asked for (queried again only when they differ).
        if args.json:
            with use_locale(DEFAULT_LOCALE):
                table, notes = _query(args, matcher, catalogue)
            machine = table
        else:
            table, notes = _query(args, matcher, catalogue)
            machine = table
            if args.out and current_locale() != DEFAULT_LOCALE:
                with use_locale(DEFAULT_LOCALE):
                    machine, _notes = _query(args, matcher, catalogue)
    except SymbiosisError as exc:
        return fail(exc)
    if args.out:
        machine.to_csv(args.out, index=False)
    if args.json:
        print(json.dumps({"programme": prog.name, "notes": list(notes),
                          "rows": json.loads(table.to_json(orient="records"))}))
        return 0
    n = len(table)
    if args.out:
        print(ngettext("{programme}: {n} row (written to {path})",
                       "{programme}: {n} rows (written to {path})", n).format(
            programme=prog.name, n=format_number(n), path=args.out))
    else:
        print(ngettext("{programme}: {n} row", "{programme}: {n} rows", n).format(
            programme=prog.name, n=format_number(n)))
    for note in notes:
        print("  " + _("note: {note}").format(note=note))
    shown = table[[c for c in _SHOW if c in table.columns]] if not args.gaps else table
    print_table(_for_reading(shown.head(50)), float_format=figure)
    return 0
