"""``python -m geo report``: write the funders' workbook (Excel) and print the KPIs.

Examples::

    python -m geo report --xlsx report.xlsx           # funders' workbook of the programme
    python -m geo report --xlsx viewer.xlsx --role viewer --json

The workbook holds the KPIs, outcome totals by park, year, sector and stream, the synergies and
the cited factors. ``--role viewer`` writes what a viewer may download instead: the released
figures of the programme's synergy tree (all synergies → stage → stream → park pair) under
the programme's disclosure rules (``python -m geo disclosure show``), protected for the giving
and the receiving companies — the same figures the Reports page shows a viewer. The
programme is the embedded demo unless ``--programme NAME`` names a stored one
(``SYMBIOMAP_DATABASE_URL``); its synergies and outcome settings are read from the database.
Matches are ``python -m geo match``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from geo.cli.common import add_programme_options, fail, load_programme, print_table, synergy_book
from geo.errors import SymbiosisError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xlsx", type=Path, required=True, help="workbook to write")
    parser.add_argument("--role", choices=["practitioner", "viewer"], default="practitioner",
                        help="viewer: the released figures only (the programme's rules)")
    add_programme_options(parser)
    return parser


def main(argv: list[str]) -> int:
    """Write the funders' workbook (``--xlsx``) and print the KPIs."""
    args = _parser().parse_args(argv)
    # The report stack (catalogue, factors, database, Excel) once the arguments are good.
    from geo.catalogue import load_catalogue
    from geo.disclosure.settings import default_rules, programme_rules
    from geo.factors import load_factors
    from geo.settings import get_settings
    from geo.store import open_store
    from geo.synergies.repository import load_outcome_config
    from geo.synergies.workbook import funder_sheets, workbook_bytes

    try:
        prog = load_programme(args.programme)
        book = synergy_book(prog.name)
        store = open_store()
        rules = programme_rules(store, prog.name, default=default_rules(get_settings()))
        sheets = funder_sheets(prog, book, factors=load_factors(),
                               config=load_outcome_config(store, prog.name),
                               catalogue=load_catalogue(), role=args.role, rules=rules)
        args.xlsx.write_bytes(workbook_bytes(sheets))
        kpi = sheets["KPIs"]
    except (SymbiosisError, OSError) as exc:
        return fail(exc)
    if args.json:
        print(json.dumps({"programme": prog.name, "xlsx": str(args.xlsx), "role": args.role,
                          "synergies": len(book.synergies),
                          "kpis": json.loads(kpi.to_json(orient="records"))}))
        return 0
    print(f"{prog.name}: {len(book.synergies)} synergies; workbook written to {args.xlsx}")
    print_table(kpi)
    return 0
