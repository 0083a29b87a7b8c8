"""Command line: every job of the app as ``python -m geo <job> …``, one module per job.

- :mod:`~geo.cli.demo` — ``demo``: the embedded demo programme's figures, or save it;
- :mod:`~geo.cli.import_members` — ``import``: import and validate a member list;
- :mod:`~geo.cli.geocode` — ``geocode``: locate the records of a member list;
- :mod:`~geo.cli.concentrations` — ``concentrations``: heat, hexagons, hot spots, clusters;
- :mod:`~geo.cli.site_score` — ``site-score``: score candidate sites for a technology;
- :mod:`~geo.cli.milk_round` — ``milk-round``: plan collection rounds;
- :mod:`~geo.cli.match` — ``match``: match haves to wants;
- :mod:`~geo.cli.report` — ``report``: the funders' workbook and KPIs;
- :mod:`~geo.cli.users` — ``users``: people who may sign in to a server and their roles;
- :mod:`~geo.cli.disclosure` — ``disclosure``: a programme's disclosure rules (k, p %);
- :mod:`~geo.cli.backup`, :mod:`~geo.cli.restore` — ``backup``/``restore``: the database to a
  checked file and back (SQLite and PostgreSQL both ways);
- :mod:`~geo.cli.i18n` — ``i18n``: keep the translation catalogues in step with the code;
- :mod:`~geo.cli.common` — what the jobs share (programme, roads, lists, tables, errors).

Every job module has the same entry point, ``main(argv: list[str]) -> int`` (the arguments
after the job's name in, the exit code out), and calls the same ``geo`` functions as the pages.
Run ``python -m geo --help`` for the list and ``python -m geo <job> --help`` for each job.
Messages come in the language of ``--lang`` (anywhere in the arguments) or ``SYMBIOMAP_LANG``,
else English (UK); files and stored values are the same in every language.

Unlike the other packages this one re-exports no job: :data:`JOBS` names each job's module and
:func:`main` imports only the module of the job asked for, so that one job's dependencies
(the road network and solver, rasters, the database) never slow or break another job.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Final

from geo.i18n import LOCALES, match_locale, set_locale

__all__ = ["JOBS", "main"]

JOBS: Final[dict[str, tuple[str, str]]] = {
    "demo": ("geo.cli.demo", "summarise the embedded demo programme or save it"),
    "import": ("geo.cli.import_members", "import and validate a CSV/XLSX member list"),
    "geocode": ("geo.cli.geocode", "locate records offline (and online)"),
    "concentrations": ("geo.cli.concentrations",
                       "heat surface, hexagons, hot spots and clusters of a stream"),
    "site-score": ("geo.cli.site_score", "score candidate sites for a technology"),
    "milk-round": ("geo.cli.milk_round", "plan collection rounds"),
    "match": ("geo.cli.match", "match haves to wants"),
    "report": ("geo.cli.report", "synergy and outcome reports (Excel)"),
    "users": ("geo.cli.users", "who may sign in to a server, and their roles"),
    "disclosure": ("geo.cli.disclosure", "show or set a programme's disclosure rules"),
    "i18n": ("geo.cli.i18n", "update or check the translation catalogues"),
    "backup": ("geo.cli.backup", "write the programme database to a backup file"),
    "restore": ("geo.cli.restore", "check and restore a backup file"),
}
"""Job name → (module with ``main(argv) -> int``, one-line help)."""


def _take_language(args: list[str]) -> tuple[str | None, list[str]]:
    """``--lang X`` / ``--lang=X`` taken out of ``args`` (else ``SYMBIOMAP_LANG``)."""
    asked, rest, i = os.environ.get("SYMBIOMAP_LANG") or None, [], 0
    while i < len(args):
        if args[i] == "--lang" and i + 1 < len(args):
            asked, i = args[i + 1], i + 2
            continue
        if args[i].startswith("--lang="):
            asked = args[i].split("=", 1)[1]
        else:
            rest.append(args[i])
        i += 1
    return asked, rest


def _usage() -> str:
    lines = ["usage: python -m geo [--lang LANG] <job> [options]", "", "jobs:"]
    lines += [f"  {name:<15} {text}" for name, (_, text) in JOBS.items()]
    lines += ["", "python -m geo <job> --help shows a job's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the job named by ``argv[0]`` (default ``sys.argv[1:]``); return its exit code."""
    asked, args = _take_language(sys.argv[1:] if argv is None else list(argv))
    if asked:
        locale = match_locale(asked)
        if locale is None:
            print(f"Unknown language {asked!r}: use one of {', '.join(LOCALES)}.",
                  file=sys.stderr)
            return 2
        set_locale(locale)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    job, rest = args[0], args[1:]
    if job not in JOBS:
        print(f"Unknown job {job!r}.\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, _ = JOBS[job]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            print(f"The {job!r} job is not available in this installation.", file=sys.stderr)
            return 2
        raise
    code: int = module.main(rest)
    return code
