"""Lagrangian branch-and-bound for p-median instances left open by the root bound.

Where the LP relaxation has a gap (typically small p), the root Lagrangian bound cannot certify
the heuristic's solution. This search branches on one site at a time (open / closed), bounds
each node by the Lagrangian relaxation with the node's sites forced or banned, warm-started
from the parent's multipliers, and fixes further sites by reduced cost (Beasley 1993, section
4). Nodes are taken best bound first. It works on the instance reduced by the root's fixing,
with the relaxation evaluated on each row's cheapest entries only
(:class:`geo.siting.lagrangian.LagrangianRelaxation`).

A node's subgradient search is short and stops early when the bound is not going to reach the
cutoff: most of the work of a tree goes into nodes that are branched anyway, and a few more,
cheaper nodes cost less than converged bounds on all of them.

A tree still open after ``split_after_s`` is shared with a second process when a second core
is idle (:mod:`geo.siting.bnb_worker`, the same search on its own heap). Work is balanced as it
goes: whenever one side's heap runs empty it gets every other open node (in order of bound) of
the other's, and each better solution found is sent across at once, so both prune with the
same incumbent. The proof is the union of both sides; if the worker fails, every node it was
handed goes back to this side's heap and the search goes on alone (a subtree searched twice
is harmless); whatever is open at the deadline, on either side, stays in the lower bound.
"""

from __future__ import annotations

import heapq
import logging
import math
import os
import pickle
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geo.cores import free_cores
from geo.siting.lagrangian import LagrangianRelaxation, ascend

__all__ = ["BnbOutcome", "lagrangian_bnb"]

logger = logging.getLogger(__name__)

_WORKER = Path(__file__).with_name("bnb_worker.py")


@dataclass(frozen=True)
class BnbOutcome:
    """Best solution found (column indices or None), its cost, and the proven lower bound."""

    sites: np.ndarray | None
    objective: float
    lower_bound: float
    complete: bool
    nodes: int
    iterations: int = 0
    workers: int = 1


# Subgradient schedule: the root node of the tree, then every other node.
_ROOT_ITERATIONS, _ROOT_STEP = 400, 1.0
_NODE_ITERATIONS, _NODE_STEP, _NODE_PATIENCE, _NODE_STALL_RATIO = 60, 2.0, 6, 3.0

# An open node: (parent's bound, tie-break counter, forced sites, banned sites, multipliers).
Node = tuple[float, int, bytes, bytes, np.ndarray]


class Search:
    """Best-bound-first search over a heap of open nodes (one process's share of the tree).

    Parameters
    ----------
    cost : ndarray, shape (n, c)
    p : int
    ub, ub_sites : float, ndarray or None
        The incumbent known when the search starts.
    integral : bool
    rel_tol : float
        See :func:`lagrangian_bnb`.
    """

    def __init__(self, cost: np.ndarray, p: int, *, ub: float, ub_sites: np.ndarray | None,
                 integral: bool, rel_tol: float) -> None:
        self.cost, self.p, self.integral, self.rel_tol = cost, p, integral, rel_tol
        self.relax = LagrangianRelaxation(cost)
        self.best_sites, self.best_obj = ub_sites, ub
        self.cutoff = self.cutoff_of(ub)
        self.heap: list[Node] = []
        self.counter = 0
        self.nodes = self.iterations = 0
        self.root_pending = False
        self.improved = False  # a better solution found since the flag was last cleared
        self._node_s = 0.0

    def cutoff_of(self, value: float) -> float:
        """Bounds at or above this cannot lead to a solution cheaper than ``value``."""
        return value - (1.0 - 1e-6) if self.integral else value - self.rel_tol * abs(value)

    def push(self, bound: float, forced: np.ndarray, banned: np.ndarray,
             lam: np.ndarray) -> None:
        self.counter += 1
        heapq.heappush(self.heap, (bound, self.counter, forced.tobytes(), banned.tobytes(), lam))

    def run(self, deadline: float, pause_at: float = math.inf) -> bool:
        """Search until the heap is empty (True) or ``deadline`` / ``pause_at`` (False).

        Both are ``time.perf_counter()`` values; the search stops before a node would overrun
        the deadline, and pauses after the first node that ends past ``pause_at``.
        """
        while self.heap:
            if not self.step(deadline):
                return False
            if time.perf_counter() > pause_at:
                return not self.heap
        return True

    def open_bounds(self) -> list[float]:
        """The bounds of the open nodes that could still hold a cheaper solution."""
        return [node[0] for node in self.heap if node[0] < self.cutoff]

    def take_share(self) -> list[Node]:
        """Remove every other open node (in order of bound) and return them."""
        ordered = sorted(n for n in self.heap if n[0] < self.cutoff)
        self.heap = ordered[0::2]
        heapq.heapify(self.heap)
        return ordered[1::2]

    def add(self, nodes: list[Node]) -> None:
        """Take over open nodes from the other process."""
        for node in nodes:
            heapq.heappush(self.heap, node)
        self.counter = max([self.counter, *(n[1] for n in nodes)])

    def offer(self, objective: float, sites: np.ndarray | None) -> bool:
        """Adopt the other process's solution if it is better; True if it was."""
        if objective < self.best_obj - 1e-9:
            self.best_sites, self.best_obj = sites, objective
            self.cutoff = self.cutoff_of(objective)
            return True
        return False

    def step(self, deadline: float) -> bool:
        """Search one node; False (nothing done) if the heap is empty or time is up."""
        started = time.perf_counter()
        if not self.heap or started + self._node_s > deadline:
            return False
        self._node(heapq.heappop(self.heap))
        self._node_s = max(self._node_s * 0.9, time.perf_counter() - started)
        return True

    def outcome(self, complete: bool, workers: int = 1) -> BnbOutcome:
        lower = self.best_obj if complete else min([self.best_obj, *self.open_bounds()])
        return BnbOutcome(sites=self.best_sites, objective=self.best_obj, lower_bound=lower,
                          complete=complete, nodes=self.nodes, iterations=self.iterations,
                          workers=workers)

    def _node(self, node: Node) -> None:
        parent_bound, _, f_b, b_b, lam_node = node
        if parent_bound >= self.cutoff:
            return
        cost, p, c = self.cost, self.p, self.cost.shape[1]
        node_forced = np.frombuffer(f_b, dtype=bool).copy()
        node_banned = np.frombuffer(b_b, dtype=bool).copy()
        if node_forced.sum() > p or (~node_banned).sum() < p:
            return
        self.nodes += 1
        forced_idx = np.flatnonzero(node_forced)
        free_idx = np.flatnonzero(~node_forced & ~node_banned)
        root, self.root_pending = self.root_pending, False
        point, used = ascend(
            self.relax, p, lam_node, forced=forced_idx, free=free_idx,
            lam_cap=cost[:, forced_idx].min(axis=1) if len(forced_idx) else None,
            target=self.best_obj, cutoff=self.cutoff,
            iterations=_ROOT_ITERATIONS if root else _NODE_ITERATIONS,
            step=_ROOT_STEP if root else _NODE_STEP, patience=_NODE_PATIENCE,
            stall_ratio=0.0 if root else _NODE_STALL_RATIO)
        self.iterations += used
        bound, rho, chosen = point.bound, point.rho, point.chosen
        obj = float(cost[:, chosen].min(axis=1).sum())
        if self.offer(obj, np.sort(chosen)):
            self.improved = True
        if bound >= self.cutoff or point.feasible:
            return
        # Reduced-cost fixing at this node.
        free = ~node_forced & ~node_banned
        in_sel = np.zeros(c, bool)
        in_sel[chosen] = True
        sel_free = np.flatnonzero(in_sel & free)
        out_free = np.flatnonzero(~in_sel & free)
        if len(sel_free) and len(out_free):
            worst_in = rho[sel_free].max()
            best_out = rho[out_free].min()
            node_banned[out_free[bound + rho[out_free] - worst_in >= self.cutoff]] = True
            if (~node_banned).sum() < p:
                return
            node_forced[sel_free[bound - rho[sel_free] + best_out >= self.cutoff]] = True
        if p - int(node_forced.sum()) <= 0:
            return
        free = ~node_forced & ~node_banned
        branch_on = np.flatnonzero(in_sel & free)
        if len(branch_on) == 0:
            return
        # The most attractive open site: closing it costs the bound most.
        j = int(branch_on[np.argmin(rho[branch_on])])
        for open_it in (True, False):
            f2, b2 = node_forced.copy(), node_banned.copy()
            (f2 if open_it else b2)[j] = True
            self.push(bound, f2, b2, point.lam)


def lagrangian_bnb(cost: np.ndarray, p: int, lam: np.ndarray, *, forced: np.ndarray,
                   ub: float, ub_sites: np.ndarray | None, integral: bool,
                   deadline: float, rel_tol: float = 1e-9, workers: int = 1,
                   split_after_s: float = 0.3, only_free_cores: bool = True) -> BnbOutcome:
    """Search for a solution cheaper than ``ub`` on ``cost`` (rows × kept sites).

    Parameters
    ----------
    cost : ndarray, shape (n, c)
        Weighted costs restricted to the sites left after root fixing.
    p : int
        Sites to open.
    lam : ndarray, shape (n,)
        The root's best multipliers (warm start).
    forced : ndarray of bool, shape (c,)
        Sites fixed open at the root.
    ub, ub_sites : float, ndarray or None
        The incumbent's cost and sites (column indices of ``cost``, or None if it uses a site
        outside the reduced set).
    integral : bool
        All costs are integers, so a node whose bound exceeds ``ub − 1`` can be pruned.
    deadline : float
        ``time.perf_counter()`` value at which to stop; the bound then covers open nodes.
    rel_tol : float
        Relative gap regarded as closed when costs are not integers.
    workers : int
        Processes to share a large tree between (1 or 2; 1 where pipes cannot be polled).
    split_after_s : float
        A tree still open after this long is shared with a second process.
    only_free_cores : bool
        Share it only when a second core is idle at that moment.
    """
    search = Search(cost, p, ub=ub, ub_sites=ub_sites, integral=integral, rel_tol=rel_tol)
    search.root_pending = True
    search.push(-np.inf, forced, np.zeros(cost.shape[1], bool), lam)
    parallel = workers > 1 and sys.platform != "win32"
    pause_at = time.perf_counter() + split_after_s if parallel else math.inf
    complete = search.run(deadline, pause_at)
    if (complete or time.perf_counter() >= deadline or len(search.heap) < 2
            or not _second_core(only_free_cores)):
        return search.outcome(complete or search.run(deadline))
    try:
        proc = subprocess.Popen([sys.executable, "-P", str(_WORKER)], bufsize=0,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except OSError as exc:
        logger.warning("Could not start a branch-and-bound worker (%s); one process only", exc)
        return search.outcome(search.run(deadline))
    try:
        return _share(search, proc, deadline)
    finally:  # also when the caller is interrupted (a Streamlit rerun stops the script)
        if proc.poll() is None:
            proc.kill()
        _, err = proc.communicate()
        if proc.returncode not in (0, -9) and err:
            logger.warning("A branch-and-bound worker failed (exit %s): %s", proc.returncode,
                           err.decode(errors="replace")[-500:])


def _share(search: Search, proc: subprocess.Popen[bytes], deadline: float) -> BnbOutcome:
    """Search the tree with ``proc`` (:mod:`geo.siting.bnb_worker`) until both run dry."""
    assert proc.stdin is not None and proc.stdout is not None
    to_worker, from_worker = proc.stdin.fileno(), proc.stdout.fileno()
    lent = search.take_share()  # every node handed over (bounds for the worker's subtrees)
    try:
        send(to_worker, ("start", {"cost": search.cost, "p": search.p, "nodes": lent,
                                   "ub": search.best_obj, "ub_sites": search.best_sites,
                                   "integral": search.integral, "rel_tol": search.rel_tol,
                                   "seconds_left": deadline - time.perf_counter()}))
        busy, asked, worked = True, False, True
        search.improved = False
        while True:
            message = receive(from_worker, timeout=0.0 if worked else 0.05)
            while message is not None:
                kind = message[0]
                if kind == "idle":
                    busy = False
                elif kind == "nodes":
                    search.add(message[1])
                    asked = False
                elif kind == "incumbent":
                    search.offer(message[1], message[2])
                message = receive(from_worker, timeout=0.0)
            if search.improved:
                send(to_worker, ("incumbent", search.best_obj, search.best_sites))
                search.improved = False
            if not busy and len(search.heap) >= 2:
                share = search.take_share()
                lent += share
                send(to_worker, ("nodes", share))
                busy = True
            if not search.heap and not busy and not asked:
                break  # both heaps empty: the tree is searched
            if not search.heap and busy and not asked:
                send(to_worker, ("give",))
                asked = True
            worked = search.step(deadline)
            if not worked and time.perf_counter() >= deadline:
                break
        send(to_worker, ("stop",))
        final = _final(search, from_worker,
                       timeout=max(0.0, deadline - time.perf_counter()) + 2.0)
    except WorkerLostError as exc:
        logger.warning("The branch-and-bound worker failed (%s); searching on alone", exc)
        final = None
    if final is None:
        # Every node handed over goes back on this side's heap (searching a subtree twice is
        # safe): whatever is left open at the deadline stays in the lower bound.
        search.add(lent)
        return search.outcome(search.run(deadline), workers=2)
    search.offer(final.objective, final.sites)
    mine = search.outcome(not search.heap, workers=2)
    complete = mine.complete and final.complete
    lower = mine.objective if complete else min(mine.lower_bound, final.lower_bound)
    return BnbOutcome(sites=mine.sites, objective=mine.objective, lower_bound=lower,
                      complete=complete, nodes=mine.nodes + final.nodes,
                      iterations=mine.iterations + final.iterations, workers=2)


def _final(search: Search, fd: int, timeout: float) -> BnbOutcome | None:
    """The worker's last message (its outcome). What it sent before ``stop`` is taken in:
    nodes it gave up in answer to a ``give`` sent just before the deadline join this side's
    open nodes (their bounds must stay in the lower bound), and a better solution is kept."""
    end = time.monotonic() + timeout
    while (left := end - time.monotonic()) > 0:
        message = receive(fd, timeout=left)
        if message is None:
            continue
        if message[0] == "done":
            out: BnbOutcome = message[1]
            return out
        if message[0] == "nodes":
            search.add(message[1])
        elif message[0] == "incumbent":
            search.offer(message[1], message[2])
    return None


def _second_core(only_free_cores: bool) -> bool:
    if not only_free_cores:
        return True
    free = free_cores(sample_s=0.1)
    if free < 1.7:
        logger.info("Only %.1f idle cores: the branch-and-bound stays in one process", free)
        return False
    return True


class WorkerLostError(Exception):
    """The pipe to the other process broke (it exited, or sent something unreadable)."""


def send(fd: int, message: object) -> None:
    """Write one message (a length-prefixed pickle) to the pipe ``fd``.

    Raises :class:`WorkerLostError` if the other side has gone.
    """
    data = pickle.dumps(message)
    view = memoryview(len(data).to_bytes(8, "little") + data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise WorkerLostError(str(exc)) from exc


def receive(fd: int, timeout: float | None) -> tuple[Any, ...] | None:
    """The next message from the pipe ``fd``, or None if none starts within ``timeout``.

    ``timeout`` None waits for ever. Raises :class:`WorkerLostError` if the other side closed the
    pipe or sent something unreadable. Messages come only from the worker this process started
    (or its parent), never from a user: unpickling them is safe.
    """
    try:
        if not select.select([fd], [], [], timeout)[0]:
            return None
        size = int.from_bytes(_read_exactly(fd, 8), "little")
        message: tuple[Any, ...] = pickle.loads(_read_exactly(fd, size))
    except (OSError, EOFError, ValueError, pickle.UnpicklingError) as exc:
        raise WorkerLostError(f"{type(exc).__name__}: {exc}") from exc
    return message


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other process closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
