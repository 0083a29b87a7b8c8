"""``python -m geo report``: write the funders' workbook (Excel) and print the KPIs.

Examples::

    python -m geo report --xlsx report.xlsx           # funders' workbook of the programme
    python -m geo report --xlsx viewer.xlsx --role viewer --json

The workbook holds the KPIs, outcome totals by park, year, sector and stream, the synergies and
the cited factors; ``--role viewer`` keeps only aggregates over at least k producers. The
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
                        help="viewer: aggregates over at least k producers only")
    add_programme_options(parser)
    return parser


def main(argv: list[str]) -> int:
    """Write the funders' workbook (``--xlsx``) and print the KPIs."""
    args = _parser().parse_args(argv)
    # The report stack (catalogue, factors, database, Excel) once the arguments are good.
    from geo.catalogue import load_catalogue
    from geo.factors import load_factors
    from geo.settings import get_settings
    from geo.store import open_store
    from geo.synergies.repository import load_outcome_config
    from geo.synergies.workbook import funder_sheets, funder_workbook

    try:
        prog = load_programme(args.programme)
        book = synergy_book(prog.name)
        k = get_settings().k_anonymity
        config = load_outcome_config(open_store(), prog.name)
        kw = {"factors": load_factors(), "config": config, "catalogue": load_catalogue(),
              "role": args.role, "k": k}
        data = funder_workbook(prog, book, **kw)
        args.xlsx.write_bytes(data)
        kpi = funder_sheets(prog, book, **kw)["KPIs"]
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
