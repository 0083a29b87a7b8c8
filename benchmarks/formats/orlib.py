"""Read OR-Library p-median instances (Beasley 1985) into a cost matrix.

Format: a first line ``n m p``, then ``m`` lines ``i j cost`` (1-based, undirected edges).
Every node is a demand point of weight 1 and a candidate site; the cost matrix is the all-pairs
shortest path over the graph. **Duplicate edges: the last occurrence counts** (the rule that
reproduces the published optima).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from geo.errors import SitingError

__all__ = ["read_orlib_pmed"]


def read_orlib_pmed(path: str | Path) -> tuple[np.ndarray, int]:
    """Distance matrix and p of an OR-Library ``pmedN.txt`` file.

    Parameters
    ----------
    path : str or Path
        The instance file.

    Returns
    -------
    cost : ndarray, shape (n, n)
        All-pairs shortest-path distances (float64, integer-valued).
    p : int
        The number of medians asked for.
    """
    path = Path(path)
    try:
        tokens = path.read_text().split()
        n, m, p = (int(t) for t in tokens[:3])
        edges = np.asarray(tokens[3:3 + 3 * m], dtype=np.int64).reshape(m, 3)
    except (OSError, ValueError) as exc:
        msg = (f"Expected an OR-Library p-median file ('n m p' then m lines 'i j cost'), "
               f"could not read {str(path)!r}: {exc}.")
        raise SitingError(msg) from exc
    # Keep the last occurrence of each undirected edge.
    lo = np.minimum(edges[:, 0], edges[:, 1]) - 1
    hi = np.maximum(edges[:, 0], edges[:, 1]) - 1
    key = lo * n + hi
    _, last_rev = np.unique(key[::-1], return_index=True)
    keep = len(key) - 1 - last_rev
    lo, hi, w = lo[keep], hi[keep], edges[keep, 2].astype(float)
    graph = csr_matrix((np.concatenate([w, w]), (np.concatenate([lo, hi]),
                                                 np.concatenate([hi, lo]))), shape=(n, n))
    dist = shortest_path(graph, method="D", directed=False)
    if not np.isfinite(dist).all():
        msg = f"The graph of {path.name!r} is not connected; every node must reach every other."
        raise SitingError(msg)
    return dist, p
