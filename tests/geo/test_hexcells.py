"""The vectorised H3 wrappers agree cell for cell with h3-py, pentagons and both hemispheres
included."""

from __future__ import annotations

import h3
import numpy as np
import pytest
import shapely
from h3.api import numpy_int as h3i

from geo import hexcells


@pytest.fixture(scope="module")
def cells() -> np.ndarray:
    rng = np.random.default_rng(7)
    lat, lng = rng.uniform(-85, 85, 300), rng.uniform(-180, 180, 300)
    res = rng.integers(0, 12, 300)
    found = [h3i.latlng_to_cell(a, b, int(r)) for a, b, r in zip(lat, lng, res, strict=True)]
    pentagons = [int(p) for p in h3i.get_pentagons(5)[:4]]
    return np.array(found + pentagons, dtype=np.uint64).view(np.int64)


def test_latlng_to_cells_matches_h3() -> None:
    rng = np.random.default_rng(3)
    lat, lng = rng.uniform(-89, 89, 2000), rng.uniform(-180, 180, 2000)
    for res in (0, 7, 9, 15):
        expect = [h3i.latlng_to_cell(a, b, res) for a, b in zip(lat, lng, strict=True)]
        got = hexcells.latlng_to_cells(lat, lng, res)
        assert got.dtype == np.int64
        assert got.view(np.uint64).tolist() == [int(e) for e in expect]


def test_grid_disks_match_h3(cells: np.ndarray) -> None:
    for k in (1, 2):
        owner, neigh = hexcells.grid_disks(cells, k)
        for i, c in enumerate(cells.view(np.uint64)):
            got = sorted(neigh[owner == i].view(np.uint64).tolist())
            assert got == sorted(int(x) for x in h3i.grid_disk(int(c), k)), (i, k)


def test_polygons_centres_and_ids_match_h3(cells: np.ndarray) -> None:
    polys = hexcells.cells_to_polygons(cells)
    centres = hexcells.cell_centres(cells)
    ids = hexcells.cells_to_str(cells)
    for i, c in enumerate(cells.view(np.uint64)):
        ref = shapely.Polygon([(lng, lat) for lat, lng in h3i.cell_to_boundary(int(c))])
        # the same vertices in the same order (WKB closes the ring)
        assert np.allclose(shapely.get_coordinates(polys[i])[:-1],
                           shapely.get_coordinates(ref)[:-1], atol=1e-9)
        assert np.allclose(centres[i], h3i.cell_to_latlng(int(c)), atol=1e-9)
        assert ids[i] == h3.int_to_str(int(c))
    assert (hexcells.str_to_cells(ids) == cells).all()


def test_empty_inputs_and_bad_ids() -> None:
    assert len(hexcells.cells_to_polygons([])) == 0
    assert hexcells.cell_centres([]).shape == (0, 2)
    assert len(hexcells.grid_disks([], 1)[1]) == 0
    with pytest.raises(ValueError):
        hexcells.str_to_cells(["not a cell"])
