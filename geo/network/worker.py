"""Road searches in a helper process: ``python -P geo/network/worker.py`` (job on stdin).

:func:`geo.network.matrix.travel_matrix` hands the second half of a large batch of searches
to this script: the job (a pickled adjacency, the source and target nodes, the cut-off and the
chunk size) arrives on stdin; the script runs ``scipy.sparse.csgraph.dijkstra`` on the
sources **from the last one backwards**, a chunk at a time, and writes each chunk's costs to
stdout as it finishes (a header of two int64, the first source's position and the count, then
the float64 costs, sources × targets). The parent works forwards from the first source and
stops the helper when the two meet, so the work splits evenly whatever each process's start-up
time and share of the machine. A fresh interpreter (not a fork) is used, run by path with
``-P``, so that only numpy and scipy are imported (the parent's threads, its ``__main__`` and
the ``geo`` package are never copied or loaded). After each job the parent starts the next
helper at once, which imports numpy and scipy and waits for its job on stdin (exiting quietly
if stdin closes first), so a later matrix does not wait for the start-up.
"""

from __future__ import annotations

import pickle
import sys
from typing import BinaryIO

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


def run_job(job: dict[str, object], out: BinaryIO) -> None:
    """Search the job's sources from the last backwards, writing each chunk as it is done."""
    adj = csr_matrix((job["data"], job["indices"], job["indptr"]), shape=job["shape"])
    sources = np.asarray(job["sources"], np.int64)
    targets = np.asarray(job["targets"], np.int64)
    chunk = int(job["chunk"])  # type: ignore[call-overload]
    limit = float(job["limit"])  # type: ignore[arg-type]
    stop = len(sources)
    while stop > 0:
        start = max(0, stop - chunk)
        cost = np.take(dijkstra(adj, directed=True, indices=sources[start:stop], limit=limit),
                       targets, axis=1)
        out.write(np.array([start, stop - start], np.int64).tobytes())
        out.write(np.ascontiguousarray(cost, np.float64).tobytes())
        out.flush()
        stop = start


def main() -> int:
    """Read the job from stdin and stream the chunks to stdout."""
    try:
        job = pickle.load(sys.stdin.buffer)
    except EOFError:  # a spare helper whose parent ended (or needed no more searches)
        return 0
    try:
        run_job(job, sys.stdout.buffer)
    except BrokenPipeError:  # the parent has what it needs and closed the pipe
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
