"""Travel matrices over the road graph: the one place that searches it for distances and times.

:func:`travel_matrix` takes origins and destinations already placed on the graph (snapped
points with their access legs, or bare node indices) and returns directed road distances and
times between every pair, from one ``scipy.sparse.csgraph.dijkstra`` call per weight:

- ``optimise="shortest"`` — the shortest road length (float metres, summed exactly as a plain
  Dijkstra over :attr:`~geo.network.graph.RoadGraph.length_m`), optionally cut off at
  ``limit_m``; ``time_s`` is the fastest time, from a second search over
  :attr:`~geo.network.graph.RoadGraph.time_s` (each figure its own optimum).
- ``optimise="fastest"`` — distance and time of the *same* fastest path, from the integer
  lexicographic weights of :mod:`geo.network.weights` (exact sums), on the graph with its
  pass-through nodes contracted (:mod:`geo.network.contract`) when there are enough searches
  to pay for it.

Many searches (500 stops on a 50,000-node graph) are shared with a helper process
(:mod:`geo.network.worker`): this process searches from the first source onwards, the helper
from the last backwards, until they meet; each row is still one search, so the figures are
the same. The search runs from whichever side has fewer distinct nodes: forward from the origins, or
backward (on the reversed graph) from the destinations, so 10,000 candidate sites against a
few destinations cost a few searches. Access legs (the straight walk from a point to its
node) are added at both ends, at :data:`~geo.network.graph.ACCESS_SPEED_KMH`; points further
than ``max_snap_m`` from the network get ``inf``, as do pairs with no route — callers report
them, never treat them as free.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
from scipy.sparse.csgraph import dijkstra

from geo.errors import NetworkError
from geo.i18n import _
from geo.network.contract import contract_pass_through
from geo.network.graph import access_time_s
from geo.network.snap import SnapResult
from geo.network.weights import check_optimise, decode_lexicographic, search_adjacency

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scipy.sparse import csr_matrix

    from geo.network.graph import RoadGraph
    from geo.network.weights import Optimise

__all__ = ["CONTRACT_MIN_SEARCHES", "PARALLEL_MIN_WORK", "TravelMatrix", "travel_matrix"]

logger = logging.getLogger(__name__)

CONTRACT_MIN_SEARCHES: Final = 4
"""With ``contract=None``, contract pass-through nodes when at least this many searches run
(below it, one contraction of the whole graph costs more than the searches it speeds up)."""

PARALLEL_MIN_WORK: Final = 4_000_000
"""With ``parallel=None``, searches × nodes searched from which a helper process takes half
of the searches (about half a second of searching; below it, the helper's start-up of ~0.3 s
costs more than it saves)."""

_WORKER: Final = Path(__file__).with_name("worker.py")
_CHUNK: Final = 8
"""Searches per chunk: each process checks where the other one has got to between chunks."""


@dataclass(frozen=True)
class TravelMatrix:
    """Travel distances and times between origins (rows) and destinations (columns).

    Attributes
    ----------
    distance_m : ndarray of float, shape (n_origins, n_destinations)
        Metres, access legs included; ``inf`` where no route exists (or a point is off the
        network).
    time_s : ndarray of float or None
        Seconds likewise; None when not asked for.
    method : {"road", "straight-line"}
        ``"road"`` (paths over the network) or ``"straight-line"`` (great-circle distance ×
        ``detour_factor``, a stand-in the UI must label).
    detour_factor : float
        The factor of a straight-line stand-in (1.0 for roads).
    origin_snap_m, destination_snap_m : ndarray or None
        The access legs of the points (metres), so that far-off points can be flagged.
    """

    distance_m: np.ndarray
    time_s: np.ndarray | None
    method: Literal["road", "straight-line"]
    detour_factor: float = 1.0
    origin_snap_m: np.ndarray | None = None
    destination_snap_m: np.ndarray | None = None

    @property
    def unreachable(self) -> np.ndarray:
        """Boolean matrix: True where no route exists."""
        return np.asarray(~np.isfinite(self.distance_m))


def _placed(points: SnapResult | Sequence[int] | np.ndarray) -> SnapResult:
    return points if isinstance(points, SnapResult) else SnapResult.at_nodes(points)


def _costs_here(adj: csr_matrix, sources: np.ndarray, targets: np.ndarray,
                limit: float) -> np.ndarray:
    # np.take keeps the result C-contiguous (fancy indexing of columns would not).
    return np.take(dijkstra(adj, directed=True, indices=sources, limit=limit), targets, axis=1)


def _start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-P", str(_WORKER)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


class _SpareWorker:
    """The next job's helper, started after the previous job so that its start-up (about
    0.3 s of a large matrix's 2 s) is over by the time it is needed. It imports numpy and
    scipy, waits for its job on stdin without using the CPU, and exits when this process
    closes its stdin (at exit at the latest)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None

    def take(self) -> subprocess.Popen[bytes] | None:
        """The spare if it is alive (it is then no longer the spare); None otherwise."""
        with self._lock:
            proc, self._proc = self._proc, None
        return proc if proc is not None and proc.poll() is None else None

    def start(self) -> None:
        """Start a spare unless one is waiting."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            try:
                self._proc = _start_worker()
            except OSError:
                self._proc = None

    def stop(self) -> None:
        """End the spare (at exit)."""
        proc = self.take()
        if proc is not None:
            proc.kill()
            proc.wait()


_SPARE: Final = _SpareWorker()
atexit.register(_SPARE.stop)


class _Helper:
    """A helper process searching from the last source backwards (:mod:`geo.network.worker`).

    A thread feeds it the job and copies each finished chunk into ``out``; ``first_done`` is the
    position of the first source it has finished (``len(sources)`` before any).
    """

    def __init__(self, adj: csr_matrix, sources: np.ndarray, targets: np.ndarray,
                 limit: float, out: np.ndarray) -> None:
        self.out, self.first_done = out, len(sources)
        self.job = pickle.dumps({"data": adj.data, "indices": adj.indices, "indptr": adj.indptr,
                                 "shape": adj.shape, "sources": sources, "targets": targets,
                                 "limit": limit, "chunk": _CHUNK})
        self.proc = _SPARE.take() or _start_worker()
        self.thread = threading.Thread(target=self._talk, daemon=True)
        self.thread.start()

    def _talk(self) -> None:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        n_targets = self.out.shape[1]
        try:
            stdin.write(self.job)
            stdin.close()
            while self.first_done > 0:
                head = stdout.read(16)
                if len(head) < 16:
                    return
                start, count = (int(v) for v in np.frombuffer(head, np.int64))
                size = count * n_targets * 8
                body = stdout.read(size)
                if len(body) < size:
                    return
                self.out[start:start + count] = np.frombuffer(body, np.float64).reshape(
                    count, n_targets)
                self.first_done = start
        except (OSError, ValueError):  # the helper died or was stopped: the parent carries on
            return

    def stop(self) -> None:
        """End the helper (it may be mid-chunk on work the parent has done) and its thread."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.thread.join()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        err = self.proc.stderr.read()
        self.proc.stderr.close()
        if self.proc.returncode not in (0, -9) and err:
            logger.warning("A search helper failed (exit %s): %s", self.proc.returncode,
                           err.decode(errors="replace")[-500:])


def _costs(adj: csr_matrix, sources: np.ndarray, targets: np.ndarray, limit: float, *,
           parallel: bool | None) -> np.ndarray:
    """Costs from each (distinct) source to each target, in one process or two.

    In two, this process searches forwards from the first source and a helper process
    backwards from the last, until they meet; every row is one ``dijkstra`` search either way,
    so the result is the same.
    """
    n = len(sources)
    if parallel is None:
        parallel = n * adj.shape[0] >= PARALLEL_MIN_WORK
    if not parallel or n < 2 * _CHUNK or (os.cpu_count() or 1) < 2:
        return _costs_here(adj, sources, targets, limit)
    out = np.empty((n, len(targets)))
    try:
        helper = _Helper(adj, sources, targets, limit, out)
    except OSError as exc:  # no processes allowed here: search in this one
        logger.warning("Could not start a search helper (%s); searching in one process", exc)
        return _costs_here(adj, sources, targets, limit)
    front = 0
    try:
        while front < helper.first_done:
            stop = min(front + _CHUNK, helper.first_done)
            out[front:stop] = _costs_here(adj, sources[front:stop], targets, limit)
            front = stop
    finally:
        helper.stop()
        _SPARE.start()
    logger.debug("Searches split %d here, %d in the helper", front, n - front)
    return out


def _search(adj: csr_matrix, sources: np.ndarray, targets: np.ndarray, *, contract: bool,
            limit: float, parallel: bool | None) -> np.ndarray:
    """Costs from each source to each target node, shape (n_sources, n_targets)."""
    if contract:
        position = np.full(adj.shape[0], -1, np.int64)
        if not adj.has_sorted_indices:
            adj = adj.sorted_indices()
        adj, kept = contract_pass_through(adj, np.concatenate([sources, targets]))
        position[kept] = np.arange(len(kept))
        sources, targets = position[sources], position[targets]
    uniq, inv = np.unique(sources, return_inverse=True)
    cost = _costs(adj, uniq, targets, limit, parallel=parallel)
    return cost if np.array_equal(uniq, sources) else cost[inv]


def travel_matrix(
    graph: RoadGraph,
    origins: SnapResult | Sequence[int] | np.ndarray,
    destinations: SnapResult | Sequence[int] | np.ndarray,
    *,
    optimise: Optimise = "shortest",
    with_time: bool = True,
    limit_m: float | None = None,
    max_snap_m: float | None = None,
    contract: bool | None = None,
    parallel: bool | None = None,
) -> TravelMatrix:
    """Directed road distance and time from every origin to every destination.

    Parameters
    ----------
    graph : RoadGraph
        The drivable network (one-way streets respected).
    origins, destinations : SnapResult or array-like of int
        Points placed on the graph by :func:`~geo.network.snap.snap_points` (node and access
        leg in metres), or bare node indices (no access leg). May repeat.
    optimise : {"shortest", "fastest"}
        What the path minimises (see the module docstring): ``"shortest"`` gives the shortest
        length and, separately, the fastest time; ``"fastest"`` the time and length of the
        fastest path.
    with_time : bool
        Also return times (for ``"shortest"`` a second search).
    limit_m : float, optional
        ``"shortest"`` only: stop the length search at this many metres of road (access legs
        not counted); pairs beyond it are ``inf``. Times are searched in full.
    max_snap_m : float, optional
        Points whose access leg is longer are off the network: their rows/columns are ``inf``.
    contract : bool, optional
        ``"fastest"`` only: contract pass-through nodes first (same result). Default: when
        at least :data:`CONTRACT_MIN_SEARCHES` searches run.
    parallel : bool, optional
        Share the searches with a helper process (same result; see :mod:`geo.network.worker`).
        Default: when searches × nodes reach :data:`PARALLEL_MIN_WORK` and the machine has
        two cores or more.

    Returns
    -------
    TravelMatrix
        ``method="road"``; metres and seconds, shape (n_origins, n_destinations).

    Raises
    ------
    NetworkError
        An unknown ``optimise``, or an option that does not apply to it.

    Examples
    --------
    >>> from geo.network import demo_graph, snap_points
    >>> g = demo_graph()
    >>> stops = snap_points(g, [26.93, 26.95], [60.52, 60.53])
    >>> m = travel_matrix(g, stops, stops, optimise="fastest")
    >>> bool(m.distance_m[0, 1] > 1000 and m.time_s[0, 1] > 60)
    True
    >>> there = travel_matrix(g, stops.node[:1], stops.node[1:]).distance_m[0, 0]
    >>> back = travel_matrix(g, stops.node[1:], stops.node[:1]).distance_m[0, 0]
    >>> bool(there > 1000 and back > 1000)
    True
    """
    check_optimise(optimise)
    if optimise == "fastest" and limit_m is not None:
        msg = _("limit_m bounds a search for the shortest paths; use optimise='shortest', or "
                "drop the limit for the fastest paths.")
        raise NetworkError(msg)
    if optimise == "shortest" and contract:
        msg = _("Only the integer weights of optimise='fastest' can be contracted exactly; "
                "leave contract unset for the shortest paths.")
        raise NetworkError(msg)
    o, d = _placed(origins), _placed(destinations)
    n_o, n_d = len(o.node), len(d.node)
    if n_o == 0 or n_d == 0:
        return TravelMatrix(distance_m=np.zeros((n_o, n_d)),
                            time_s=np.zeros((n_o, n_d)) if with_time else None, method="road",
                            origin_snap_m=o.distance_m, destination_snap_m=d.distance_m)
    # Search from the side with fewer distinct nodes; a backward search runs on the reversed
    # graph and everything below is computed in its orientation (destinations × origins).
    backward = len(np.unique(d.node)) < len(np.unique(o.node))
    src, dst = (d, o) if backward else (o, d)
    n_searches = len(np.unique(src.node))
    limit = np.inf if limit_m is None else float(limit_m)

    def search(adj: csr_matrix, *, contract_now: bool, cut: float) -> np.ndarray:
        return _search(adj.T.tocsr() if backward else adj, src.node, dst.node,
                       contract=contract_now, limit=cut, parallel=parallel)

    time: np.ndarray | None
    if optimise == "fastest":
        contract_now = n_searches >= CONTRACT_MIN_SEARCHES if contract is None else contract
        w = search(search_adjacency(graph, "fastest"), contract_now=contract_now, cut=np.inf)
        length, time = decode_lexicographic(w)
        time = time if with_time else None
    else:
        length = search(graph.length_m, contract_now=False, cut=limit)
        time = search(graph.time_s, contract_now=False, cut=np.inf) if with_time else None
    # Access legs at both ends (broadcast where one side has none, e.g. bare nodes).
    if not src.distance_m.any():
        access = dst.distance_m[None, :]
    elif not dst.distance_m.any():
        access = src.distance_m[:, None]
    else:
        access = src.distance_m[:, None] + dst.distance_m[None, :]
    length += access
    if time is not None:
        time += access_time_s(access)
    if max_snap_m is not None:
        off_src, off_dst = src.distance_m > max_snap_m, dst.distance_m > max_snap_m
        for mat in (length, time):
            if mat is not None:
                mat[off_src, :] = np.inf
                mat[:, off_dst] = np.inf
    logger.debug("Road matrix %d × %d (%s, %s, %d searches)", n_o, n_d, optimise,
                 "backward" if backward else "forward", n_searches)
    if backward:
        length, time = length.T, None if time is None else time.T
    return TravelMatrix(distance_m=length, time_s=time, method="road",
                        origin_snap_m=o.distance_m, destination_snap_m=d.distance_m)
