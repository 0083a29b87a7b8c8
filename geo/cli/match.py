"""``python -m geo match`` and ``python -m geo report``: synergy matching and funder reports.

Examples::

    python -m geo match --record KAR-R0012            # ranked partners of one have or want
    python -m geo match --all --top-k 3 --out matches.csv
    python -m geo match --gaps                        # streams with no want anywhere, by tonnes
    python -m geo report --xlsx report.xlsx           # funders' workbook of the programme
    python -m geo report --xlsx viewer.xlsx --role viewer --json

The programme is the embedded demo unless ``--programme NAME`` names a stored one
(``SYMBIOMAP_DATABASE_URL``); distances are by road on the demo and with ``--pbf``, else
straight-line × detour (said in the output).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import SymbiosisError

if TYPE_CHECKING:
    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.synergies.lifecycle import SynergyBook

__all__ = ["main_match", "main_report"]

_SHOW = ["rank", "have_id", "want_id", "want_site", "basis", "score", "distance_km",
         "distance_method", "matched_quantity", "unit", "reasons"]


def _programme(name: str | None, *, pbf: str | None, roads: bool
               ) -> tuple[Programme, SynergyBook, RoadGraph | None]:
    """The programme, its stored synergies and a road graph where one is available."""
    from geo.network import demo_graph, graph_from_pbf
    from geo.store import open_store
    from geo.synergies.lifecycle import empty_book
    from geo.synergies.repository import load_book

    if name is None:
        from geo.demo import load_demo_programme

        prog = load_demo_programme()
        graph = demo_graph() if roads else None
    else:
        prog = open_store().load_programme(name)
        graph = None
    if pbf:
        graph = graph_from_pbf(pbf) if roads else None
    try:
        book = load_book(open_store(), prog.name)
    except SymbiosisError:
        book = empty_book()
    return prog, book, graph


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--programme", help="name of a stored programme (default: the demo)")
    parser.add_argument("--pbf", help="road network of the region (.osm.pbf)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def main_match(argv: list[str]) -> int:
    """Match haves to wants: one record (``--record``), all (``--all``) or the gaps."""
    parser = argparse.ArgumentParser(prog="python -m geo match", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--record", help="resource id of a have or a want")
    what.add_argument("--all", action="store_true", help="best matches of every have")
    what.add_argument("--gaps", action="store_true", help="haves with no want anywhere")
    _common(parser)
    parser.add_argument("--top-k", type=int, default=10, help="matches per record (default 10)")
    parser.add_argument("--scope", choices=["all", "same park", "other parks"], default="all")
    parser.add_argument("--max-km", type=float, default=None, help="drop partners farther away")
    parser.add_argument("--straight-line", action="store_true",
                        help="skip the road network (straight-line × detour, labelled)")
    parser.add_argument("--out", type=Path, help="write the table as CSV")
    args = parser.parse_args(argv)
    from geo.catalogue import load_catalogue
    from geo.synergies.gaps import gap_analysis
    from geo.synergies.matching import Matcher, MatchParams

    try:
        prog, book, graph = _programme(args.programme, pbf=args.pbf,
                                       roads=not args.straight_line)
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
        print(f"error: {exc}", file=sys.stderr)
        return 1
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
    with_pd_options(lambda: print(shown.head(50).to_string(index=False)))
    return 0


def with_pd_options(show: object) -> None:
    """Print wide tables without wrapping."""
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_colwidth", 90,
                           "display.max_columns", 20):
        show()  # type: ignore[operator]


def main_report(argv: list[str]) -> int:
    """Write the funders' workbook (``--xlsx``) and print the KPIs."""
    parser = argparse.ArgumentParser(prog="python -m geo report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xlsx", type=Path, required=True, help="workbook to write")
    parser.add_argument("--role", choices=["practitioner", "viewer"], default="practitioner",
                        help="viewer: aggregates over at least k producers only")
    _common(parser)
    args = parser.parse_args(argv)
    from geo.catalogue import load_catalogue
    from geo.factors import load_factors
    from geo.settings import get_settings
    from geo.store import open_store
    from geo.synergies.repository import load_outcome_config
    from geo.synergies.workbook import funder_sheets, funder_workbook

    try:
        prog, book, _ = _programme(args.programme, pbf=None, roads=False)
        k = get_settings().k_anonymity
        config = load_outcome_config(open_store(), prog.name)
        kw = {"factors": load_factors(), "config": config, "catalogue": load_catalogue(),
              "role": args.role, "k": k}
        data = funder_workbook(prog, book, **kw)
        args.xlsx.write_bytes(data)
        kpi = funder_sheets(prog, book, **kw)["KPIs"]
    except (SymbiosisError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"programme": prog.name, "xlsx": str(args.xlsx), "role": args.role,
                          "synergies": len(book.synergies),
                          "kpis": json.loads(kpi.to_json(orient="records"))}))
        return 0
    print(f"{prog.name}: {len(book.synergies)} synergies; workbook written to {args.xlsx}")
    with_pd_options(lambda: print(kpi.to_string(index=False)))
    return 0
