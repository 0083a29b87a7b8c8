"""Command line: every job of the app as ``python -m geo <job> …``, one module per job.

Run ``python -m geo --help`` for the list and ``python -m geo <job> --help`` for each job.
Jobs are imported lazily so that one job's optional dependencies never slow another.
"""

from __future__ import annotations

import importlib
import sys
from typing import Final

__all__ = ["JOBS", "main"]

# job → (module, function, one-line help)
JOBS: Final[dict[str, tuple[str, str, str]]] = {
    "demo": ("geo.cli.demo", "main_demo", "summarise the embedded demo programme or save it"),
    "import": ("geo.cli.import_members", "main_import", "import and validate a CSV/XLSX member list"),
    "geocode": ("geo.cli.geocode", "main_geocode", "locate records offline (and online)"),
    "concentrations": ("geo.cli.concentrations", "main_concentrations",
                       "heat surface, hexagons, hot spots and clusters of a stream"),
    "site-score": ("geo.cli.site_score", "main_siting", "score candidate sites for a technology"),
    "milk-round": ("geo.cli.milk_round", "main_milkround", "plan collection rounds"),
    "match": ("geo.cli.synergies", "main_match", "match haves to wants"),
    "report": ("geo.cli.synergies", "main_report", "synergy and outcome reports (Excel)"),
}


def _usage() -> str:
    lines = ["usage: python -m geo <job> [options]", "", "jobs:"]
    lines += [f"  {name:<15} {text}" for name, (_, _, text) in JOBS.items()]
    lines += ["", "python -m geo <job> --help shows a job's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a job's ``main_*`` function; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    job, rest = args[0], args[1:]
    if job not in JOBS:
        print(f"Unknown job {job!r}.\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, func_name, _ = JOBS[job]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            print(f"The {job!r} job is not available in this installation.", file=sys.stderr)
            return 2
        raise
    code: int = getattr(module, func_name)(rest)
    return code

