"""Edge weights the searches run on: float metres, or lexicographic (time, length) integers.

Two ways to choose a path, named by what they optimise:

- ``"shortest"`` — the graph's float adjacency in metres (:attr:`RoadGraph.length_m`); a
  separate search over :attr:`RoadGraph.time_s` gives the fastest time where one is asked for.
- ``"fastest"`` — one float64 weight per directed edge,
  ``W = round(100 · time_s) · 2**25 + round(10 · length_m)``: integers below 2**53, so sums
  along a path are exact in any order. Minimising ``W`` finds the fastest path (ties broken
  by the shorter one), and a sum decodes into that path's time (0.01 s resolution) and length
  (0.1 m), so distance and time belong to the *same* path. Valid for paths under 3,355 km
  and 31 days. For parallel edges the fastest is kept, with its own length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, get_args

import numpy as np
from scipy.sparse import csr_matrix

from geo.errors import NetworkError
from geo.i18n import _

if TYPE_CHECKING:
    from geo.network.graph import RoadGraph

__all__ = [
    "LENGTH_UNITS_PER_M",
    "OPTIMISE",
    "TIME_SHIFT",
    "TIME_UNITS_PER_S",
    "Optimise",
    "check_optimise",
    "decode_lexicographic",
    "lexicographic_adjacency",
    "search_adjacency",
]

Optimise = Literal["shortest", "fastest"]
OPTIMISE: Final = get_args(Optimise)
"""What a path minimises: road length (``"shortest"``) or driving time (``"fastest"``)."""

TIME_UNITS_PER_S: Final = 100.0
LENGTH_UNITS_PER_M: Final = 10.0
TIME_SHIFT: Final = float(2**25)
"""One time unit in lexicographic weights; lengths below it (3,355 km) never carry over."""


def check_optimise(optimise: str) -> None:
    """Refuse anything but the names in :data:`OPTIMISE`, saying which exist."""
    if optimise not in OPTIMISE:
        msg = _("optimise must be one of {choices}, got {value}.").format(
            choices=repr(OPTIMISE), value=repr(optimise))
        raise NetworkError(msg)


def lexicographic_adjacency(graph: RoadGraph) -> csr_matrix:
    """The graph's directed adjacency with lexicographic (time, length) integer weights.

    For parallel edges the fastest is kept (the shorter of equally fast ones), with its own
    length; indices are sorted.
    """
    e = graph.edges[["u", "v", "time_s", "length_m"]]
    best = e.sort_values(["time_s", "length_m"]).drop_duplicates(["u", "v"])
    t = np.maximum(np.rint(best["time_s"].to_numpy(float) * TIME_UNITS_PER_S), 1.0)
    ln = np.maximum(np.rint(best["length_m"].to_numpy(float) * LENGTH_UNITS_PER_M), 1.0)
    w = t * TIME_SHIFT + ln
    n = graph.n_nodes
    adj = csr_matrix((w, (best["u"].to_numpy(), best["v"].to_numpy())), shape=(n, n))
    adj.sort_indices()
    return adj


def decode_lexicographic(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split summed lexicographic weights into (length m, time s); ``inf`` stays ``inf``.

    Examples
    --------
    >>> decode_lexicographic(np.array([3 * TIME_SHIFT + 25, np.inf]))
    (array([2.5, inf]), array([0.03,  inf]))
    """
    finite = np.isfinite(w)
    safe = np.where(finite, w, 0.0)
    t_units = np.floor(safe / TIME_SHIFT)
    l_units = safe - t_units * TIME_SHIFT
    length = np.where(finite, l_units / LENGTH_UNITS_PER_M, np.inf)
    time = np.where(finite, t_units / TIME_UNITS_PER_S, np.inf)
    return length, time


def search_adjacency(graph: RoadGraph, optimise: Optimise) -> csr_matrix:
    """The adjacency a search for ``optimise`` paths runs on (see the module docstring)."""
    check_optimise(optimise)
    return graph.length_m if optimise == "shortest" else lexicographic_adjacency(graph)
