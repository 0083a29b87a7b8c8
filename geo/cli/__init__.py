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
import logging
import os
import sys
from typing import Final

from geo.cli.common import fail
from geo.errors import SymbiosisError
from geo.i18n import LOCALES, N_, _, current_locale, match_locale, use_locale

logger = logging.getLogger(__name__)

__all__ = ["JOBS", "main"]

JOBS: Final[dict[str, tuple[str, str]]] = {
    "demo": ("geo.cli.demo", N_("summarise the embedded demo programme or save it")),
    "import": ("geo.cli.import_members", N_("import and validate a CSV/XLSX member list")),
    "geocode": ("geo.cli.geocode", N_("locate records offline (and online)")),
    "concentrations": ("geo.cli.concentrations",
                       N_("heat surface, hexagons, hot spots and clusters of a stream")),
    "site-score": ("geo.cli.site_score", N_("score candidate sites for a technology")),
    "milk-round": ("geo.cli.milk_round", N_("plan collection rounds")),
    "match": ("geo.cli.match", N_("match haves to wants")),
    "report": ("geo.cli.report", N_("synergy and outcome reports (Excel)")),
    "users": ("geo.cli.users", N_("who may sign in to a server, and their roles")),
    "disclosure": ("geo.cli.disclosure", N_("show or set a programme's disclosure rules")),
    "programme": ("geo.cli.programme", N_("show or set a programme's location level labels")),
    "i18n": ("geo.cli.i18n", N_("update or check the translation catalogues")),
    "backup": ("geo.cli.backup", N_("write the programme database to a backup file")),
    "restore": ("geo.cli.restore", N_("check and restore a backup file")),
}
"""Job name → (module with ``main(argv) -> int``, one-line help marked for translation)."""


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
    lines = [_("usage: python -m geo [--lang LANG] <job> [options]"), "", _("jobs:")]
    lines += [f"  {name:<15} {_(text)}" for name, (_module, text) in JOBS.items()]
    lines += ["", _("python -m geo <job> --help shows a job's options.")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the job named by ``argv[0]`` (default ``sys.argv[1:]``); return its exit code.

    The language asked for holds for this call only (a caller's own language is restored).
    """
    asked, args = _take_language(sys.argv[1:] if argv is None else list(argv))
    locale = current_locale()
    if asked:
        found = match_locale(asked)
        if found is None:
            print(_("Unknown language {language!r}: use one of {choices}.").format(
                language=asked, choices=", ".join(LOCALES)), file=sys.stderr)
            return 2
        locale = found
    with use_locale(locale):
        return _run(args)


def _run(args: list[str]) -> int:
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    job, rest = args[0], args[1:]
    if job not in JOBS:
        print(_("Unknown job {job!r}.").format(job=job) + "\n\n" + _usage(), file=sys.stderr)
        return 2
    module_name, _text = JOBS[job]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            print(_("The {job!r} job is not available in this installation.").format(job=job),
                  file=sys.stderr)
            return 2
        raise
    try:
        code: int = module.main(rest)
    except SymbiosisError as exc:  # a domain error the job did not report itself
        return fail(exc)
    except OSError as exc:  # a file or folder named on the command line
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return fail(where + (exc.strerror or str(exc)))
    except (ValueError, OverflowError, MemoryError) as exc:
        # an option's value out of the range a library takes (an H3 resolution of 40, a
        # shift of 1e308 hours): one line, not a traceback; SYMBIOMAP_DEBUG=1 shows it
        if os.environ.get("SYMBIOMAP_DEBUG"):
            raise
        logger.debug("job %s failed", job, exc_info=True)
        return fail(_("{job}: a value is out of range ({reason}); check the options' values "
                      "(python -m geo {job} --help).").format(
            job=job, reason=f"{type(exc).__name__}: {exc}"[:300]))
    return code
