"""Vectorised H3 operations on whole arrays of cells (h3ronpy), for the analyses that touch
every hexagon of a programme.

``h3`` (h3-py) answers one cell per call: 150,000 neighbourhoods or boundaries cost about a
second each in Python loops. :mod:`h3ronpy` runs the same H3 algorithms (the ``h3o`` port) on
Arrow arrays in Rust; these wrappers take and return NumPy arrays of ``int64`` cell ids, the
form used throughout :mod:`geo` (``uint64`` viewed as ``int64``), and agree cell for cell with
``h3`` (tested against it).
"""

from __future__ import annotations

from collections.abc import Sequence

import h3ronpy
import h3ronpy.vector as h3v
import numpy as np
import pyarrow as pa
import shapely

__all__ = [
    "cell_centres", "cells_to_polygons", "cells_to_str", "grid_disks", "latlng_to_cells",
    "str_to_cells",
]


def _u64(cells: Sequence[int] | np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(cells, dtype=np.int64)).view(np.uint64)


def grid_disks(cells: Sequence[int] | np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Every cell within ``k`` steps of each cell (itself included), flattened.

    Returns
    -------
    owner, neighbour : ndarray
        Parallel arrays: ``owner`` the position of the focal cell in ``cells`` (ascending),
        ``neighbour`` the int64 id of a cell in its disk.

    Examples
    --------
    >>> from h3.api import numpy_int as h3i
    >>> c = h3i.latlng_to_cell(60.48, 26.95, 9)
    >>> owner, neigh = grid_disks([c], 1)
    >>> owner.tolist(), sorted(neigh.tolist()) == sorted(int(x) for x in h3i.grid_disk(c, 1))
    ([0, 0, 0, 0, 0, 0, 0], True)
    """
    u = _u64(cells)
    if not len(u):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    lists = pa.array(h3ronpy.grid_disk(u, k))
    offsets = np.asarray(lists.offsets)
    neigh = np.asarray(lists.values).astype(np.uint64, copy=False).view(np.int64)
    owner = np.repeat(np.arange(len(u)), np.diff(offsets))
    return owner, neigh


def latlng_to_cells(lat: np.ndarray, lng: np.ndarray, resolution: int) -> np.ndarray:
    """The int64 cell at ``resolution`` of each (finite) latitude and longitude in degrees."""
    la = np.ascontiguousarray(lat, dtype=float)
    lo = np.ascontiguousarray(lng, dtype=float)
    if not len(la):
        return np.empty(0, np.int64)
    cells = h3v.coordinates_to_cells(la, lo, int(resolution))
    return np.asarray(cells).astype(np.uint64, copy=False).view(np.int64)


def cells_to_polygons(cells: Sequence[int] | np.ndarray) -> np.ndarray:
    """Shapely polygons (lon/lat, EPSG:4326) of H3 cells, in order."""
    u = _u64(cells)
    if not len(u):
        return np.array([], dtype=object)
    wkb = pa.array(h3v.cells_to_wkb_polygons(u)).to_numpy(zero_copy_only=False)
    return np.asarray(shapely.from_wkb(wkb), dtype=object)


def cell_centres(cells: Sequence[int] | np.ndarray) -> np.ndarray:
    """The centre of each cell as an (n, 2) array of (lat, lng) in degrees."""
    u = _u64(cells)
    if not len(u):
        return np.empty((0, 2))
    batch = h3v.cells_to_coordinates(u)
    return np.column_stack([np.asarray(batch["lat"]), np.asarray(batch["lng"])])


def cells_to_str(cells: Sequence[int] | np.ndarray) -> np.ndarray:
    """Hexadecimal ids (``"891126d6bafffff"``) of int64 cells, as an object array."""
    u = _u64(cells)
    if not len(u):
        return np.array([], dtype=object)
    return np.asarray(pa.array(h3ronpy.cells_to_string(u)).to_numpy(zero_copy_only=False),
                      dtype=object)


def str_to_cells(ids: Sequence[str] | np.ndarray) -> np.ndarray:
    """int64 cells of hexadecimal ids; raises ``ValueError`` on an id that is not one."""
    arr = np.asarray(ids, dtype=object)
    if not len(arr):
        return np.empty(0, np.int64)
    return np.asarray(h3ronpy.cells_parse(arr)).astype(np.uint64, copy=False).view(np.int64)
