"""Run one seed of the pattern search in its own process: ``python -P worker.py IN OUT``.

``IN`` holds a pickled ``dict`` of :func:`~geo.routing.periodic.search.search_patterns`'s
keyword arguments plus ``instance``; the :class:`~geo.routing.periodic.search.SearchOutcome` is
pickled to ``OUT``. A fresh interpreter (not a fork) is used so that the parent's threads and
its ``__main__`` (Streamlit, a user script) are never copied or re-run. The file is run by path
with ``-P``; it puts the repository root on ``sys.path`` and imports only the search, the
encoder and the instance types (NumPy and PyVRP, no geopandas), so it starts quickly.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Read the job from ``argv[0]``, write the outcome to ``argv[1]``."""
    root = str(Path(__file__).resolve().parents[3])
    if root not in sys.path:
        sys.path.insert(0, root)
    from geo.routing.periodic.search import search_patterns

    src, dst = Path(argv[0]), Path(argv[1])
    job = pickle.loads(src.read_bytes())
    instance = job.pop("instance")
    outcome = search_patterns(instance, **job)
    tmp = dst.with_suffix(".part")
    tmp.write_bytes(pickle.dumps(outcome))
    tmp.replace(dst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
