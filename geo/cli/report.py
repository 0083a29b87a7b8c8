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
from geo.i18n import DEFAULT_LOCALE, _, format_number, ngettext, use_locale

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xlsx", type=Path, required=True, help=_("workbook to write"))
    parser.add_argument("--role", choices=["practitioner", "viewer"], default="practitioner",
                        help=_("viewer: the released figures only (the programme's rules)"))
    add_programme_options(parser)
    return parser


def main(argv: list[str]) -> int:
    """Write the funders' workbook (``--xlsx``) and print the KPIs."""
    args = _parser().parse_args(argv)
    if args.xlsx.suffix.lower() != ".xlsx":
        return fail(_("--xlsx: {path} does not end in .xlsx; spreadsheet programs open an "
                      "Excel workbook by that ending (for example {example}).").format(
                          path=args.xlsx, example=args.xlsx.with_suffix(".xlsx").name), code=2)
    # The report stack (catalogue, factors, database, Excel) once the arguments are good.
    import pandas as pd

    from geo.catalogue import load_catalogue
    from geo.confidentiality import can_see_companies
    from geo.disclosure.settings import default_rules, programme_rules
    from geo.factors import load_factors
    from geo.i18n.labels import column_labels
    from geo.settings import get_settings
    from geo.store import open_store
    from geo.synergies.reports import kpis
    from geo.synergies.repository import load_outcome_config
    from geo.synergies.text import figure, unit_label
    from geo.synergies.viewer import viewer_kpis, viewer_release
    from geo.synergies.workbook import funder_sheets, workbook_bytes

    try:
        prog = load_programme(args.programme)
        book = synergy_book(prog.name)
        store = open_store()
        rules = programme_rules(store, prog.name, default=default_rules(get_settings()))
        factors, catalogue = load_factors(), load_catalogue()
        config = load_outcome_config(store, prog.name)
        release = None if can_see_companies(args.role) else viewer_release(
            prog, book, catalogue=catalogue, rules=rules, factors=factors, config=config)
        sheets = funder_sheets(prog, book, factors=factors, config=config,
                               catalogue=catalogue, role=args.role, rules=rules,
                               release=release)
        args.xlsx.write_bytes(workbook_bytes(sheets, currency=config.currency))
        kpi: pd.DataFrame = sheets["KPIs"]
        if args.json:  # machine-readable: the KPIs with their keys, in English
            with use_locale(DEFAULT_LOCALE):
                kpi = (kpis(prog, book, factors=factors, config=config) if release is None
                       else viewer_kpis(release, member_sites=len(prog.sites)))
    except (SymbiosisError, OSError) as exc:
        return fail(exc)
    if args.json:
        print(json.dumps({"programme": prog.name, "xlsx": str(args.xlsx), "role": args.role,
                          "synergies": len(book.synergies),
                          "kpis": json.loads(kpi.to_json(orient="records"))}))
        return 0
    n = len(book.synergies)
    print(ngettext("{programme}: {n} synergy; workbook written to {path}",
                   "{programme}: {n} synergies; workbook written to {path}", n).format(
        programme=prog.name, n=format_number(n), path=args.xlsx))
    shown = kpi.assign(unit=[unit_label(u) for u in kpi["unit"]])
    print_table(shown.rename(columns=column_labels(shown.columns)), float_format=figure)
    return 0
