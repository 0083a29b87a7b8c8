"""Search a share of a branch-and-bound tree in a separate process.

Started by :func:`geo.siting.bnb.lagrangian_bnb` as ``python -P geo/siting/bnb_worker.py``;
it talks over its standard input and output in length-prefixed pickles
(:func:`geo.siting.bnb.send` / :func:`~geo.siting.bnb.receive`):

- in: ``("start", job)`` (the reduced cost matrix, ``p``, open nodes, the incumbent, the
  pruning rule and the seconds left), then ``("nodes", [...])`` (more work),
  ``("incumbent", cost, sites)`` (a better solution found by the parent), ``("give",)`` (send
  half of the open nodes back) and ``("stop",)``;
- out: ``("idle",)`` when its heap runs empty, ``("nodes", [...])`` in answer to ``give``,
  ``("incumbent", cost, sites)`` when it finds a better solution, and ``("done", outcome)``
  (a :class:`~geo.siting.bnb.BnbOutcome` over the nodes it still holds) after ``stop``.

A fresh interpreter (not a fork) is used so that the parent's threads and its ``__main__``
(Streamlit, a user script) are never copied or re-run; ``geo.siting`` is registered as a bare
package so that only :mod:`geo.siting.bnb` and :mod:`geo.siting.lagrangian` (numpy) load, not
the package's geopandas imports: the process starts in a fraction of a second.
"""

from __future__ import annotations

import sys
import time
import types
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def _bnb() -> types.ModuleType:
    sys.path.insert(0, str(_HERE.parents[1]))
    package = types.ModuleType("geo.siting")
    package.__path__ = [str(_HERE)]
    sys.modules.setdefault("geo.siting", package)
    from geo.siting import bnb

    return bnb


def serve(bnb: Any, fd_in: int, fd_out: int) -> int:
    """Answer the parent's messages until ``stop`` (or the pipe closes)."""
    kind, job = bnb.receive(fd_in, timeout=None)
    if kind != "start":
        return 2
    search = bnb.Search(job["cost"], int(job["p"]), ub=float(job["ub"]),
                        ub_sites=job["ub_sites"], integral=bool(job["integral"]),
                        rel_tol=float(job["rel_tol"]))
    search.add(job["nodes"])
    deadline = time.perf_counter() + float(job["seconds_left"])
    idle_sent = False
    while True:
        waiting = not search.heap or time.perf_counter() >= deadline
        if not search.heap and not idle_sent:
            bnb.send(fd_out, ("idle",))
            idle_sent = True
        message = bnb.receive(fd_in, timeout=None if waiting else 0.0)
        while message is not None:
            if message[0] == "stop":
                bnb.send(fd_out, ("done", search.outcome(not search.heap)))
                return 0
            if message[0] == "nodes":
                search.add(message[1])
                idle_sent = idle_sent and not search.heap
            elif message[0] == "incumbent":
                search.offer(message[1], message[2])
            elif message[0] == "give":
                bnb.send(fd_out, ("nodes", search.take_share()))
            message = bnb.receive(fd_in, timeout=0.0)
        search.improved = False
        search.step(deadline)
        if search.improved:
            bnb.send(fd_out, ("incumbent", search.best_obj, search.best_sites))


def main() -> int:
    """Serve the parent on standard input and output (exit 1 if the parent has gone)."""
    bnb = _bnb()
    try:
        return serve(bnb, sys.stdin.fileno(), sys.stdout.fileno())
    except bnb.WorkerLostError:
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
