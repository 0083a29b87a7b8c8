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

from geo.cli.common import (
    add_programme_options,
    fail,
    load_programme,
    print_table,
    road_graph,
    synergy_book,
)
from geo.errors import SymbiosisError

__all__ = ["main"]

_SHOW = ["rank", "have_id", "want_id", "want_site", "basis", "score", "distance_km",
         "distance_method", "matched_quantity", "unit", "reasons"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo match", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--record", help="resource id of a have or a want")
    what.add_argument("--all", action="store_true", help="best matches of every have")
    what.add_argument("--gaps", action="store_true", help="haves with no want anywhere")
    add_programme_options(parser)
    parser.add_argument("--top-k", type=int, default=10, help="matches per record (default 10)")
    parser.add_argument("--scope", choices=["all", "same park", "other parks"], default="all")
    parser.add_argument("--max-km", type=float, default=None, help="drop partners farther away")
    parser.add_argument("--straight-line", action="store_true",
                        help="skip the road network (straight-line × detour, labelled)")
    parser.add_argument("--out", type=Path, help="write the table as CSV")
    return parser


def main(argv: list[str]) -> int:
    """Match haves to wants: one record (``--record``), all (``--all``) or the gaps."""
    args = _parser().parse_args(argv)
    # The matcher and the catalogue are imported once the arguments are known to be good.
    from geo.catalogue import load_catalogue
    from geo.synergies.gaps import gap_analysis
    from geo.synergies.matching import Matcher
    from geo.synergies.scoring import MatchParams

    try:
        prog = load_programme(args.programme)
        graph = None if args.straight_line else road_graph(
            prog, pbf=args.pbf, demo=args.programme is None, download=False)
        book = synergy_book(prog.name)
        catalogue = load_catalogue()
        params = MatchParams(top_k=args.top_k, scope=args.scope, max_distance_km=args.max_km)
        matcher = Matcher.from_programme(prog, synergies=book.synergies, graph=graph,
                                         catalogue=catalogue, params=params)
        if args.gaps:
            table, notes = gap_analysis(matcher, catalogue=catalogue), matcher.notes
        else:
            result = matcher.for_record(args.record) if args.record else matcher.all_pairs()
            table, notes = result.table, result.notes
    except SymbiosisError as exc:
        return fail(exc)
    if args.out:
        table.to_csv(args.out, index=False)
    if args.json:
        print(json.dumps({"programme": prog.name, "notes": list(notes),
                          "rows": json.loads(table.to_json(orient="records"))}))
        return 0
    print(f"{prog.name}: {len(table)} rows" + (f" (written to {args.out})" if args.out else ""))
    for note in notes:
        print(f"  note: {note}")
    shown = table[[c for c in _SHOW if c in table.columns]] if not args.gaps else table
    print_table(shown.head(50))
    return 0
