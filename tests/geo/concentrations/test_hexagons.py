"""Tests of hexagon totals (geo.concentrations.hexagons)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from h3.api import numpy_int as h3i
from shapely.geometry import Point

from geo.concentrations.hexagons import (
    cells_for_points,
    choose_resolution,
    hexagon_totals,
    hexagon_totals_from_gdf,
    parent_cells,
    resolution_for_extent,
)

RES = 8


def _records(groups: list[tuple[float, float, int, float]]) -> gpd.GeoDataFrame:
    """Records: (lon, lat, producers, tonnes each) per group, one record per producer."""
    rows = []
    for g, (lon, lat, n_prod, t) in enumerate(groups):
        for p in range(n_prod):
            rows.append({"site_id": f"G{g}-P{p}", "tonnes_per_year": t,
                         "geometry": Point(lon + p * 1e-5, lat)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def test_parent_cells_matches_h3() -> None:
    """The vectorised parent equals h3.cell_to_parent at every coarser resolution."""
    rng = np.random.default_rng(0)
    cells = cells_for_points(rng.uniform(-10, 30, 50), rng.uniform(35, 65, 50), 12)
    for res in range(13):
        expected = [h3i.cell_to_parent(int(c), res) for c in cells.view(np.uint64)]
        assert parent_cells(cells, res).view(np.uint64).tolist() == expected


def test_totals_count_distinct_producers_not_records() -> None:
    """Two records of one producer in a cell count as 2 records but 1 producer."""
    cells = np.array([5, 5, 5, 9], dtype=np.int64)
    out = hexagon_totals(cells, np.array([1.0, 2.0, 4.0, 8.0]), np.array([0, 0, 1, 2]))
    row = out.set_index("cell").loc[5]
    assert (row["tonnes"], row["producers"], row["records"]) == (7.0, 2, 3)


def test_totals_from_records_sum_every_located_record() -> None:
    """Hexagon totals of point records keep every tonne and producer (5·100 + 2·333 + 4·10 t)."""
    gdf = _records([(26.0, 60.0, 5, 100.0), (28.0, 61.0, 2, 333.0), (30.0, 62.0, 4, 10.0)])
    hexes = hexagon_totals_from_gdf(gdf, resolution=RES)
    assert len(hexes) == 3 and set(hexes["resolution"]) == {RES}
    assert hexes["tonnes"].sum() == pytest.approx(1206.0)
    assert sorted(hexes["producers"]) == [2, 4, 5]


def test_resolution_is_coarser_for_wider_extents() -> None:
    """A district gets a finer resolution than a country."""
    district = resolution_for_extent((26.9, 60.5, 27.0, 60.55))
    country = resolution_for_extent((-8.0, 54.0, -0.5, 59.0))
    assert district > country


def test_chosen_resolution_keeps_occupied_cells_under_the_cap() -> None:
    """choose_resolution coarsens until at most max_cells cells are occupied."""
    rng = np.random.default_rng(2)
    lon, lat = rng.uniform(-6, -2, 5000), rng.uniform(55, 58, 5000)
    base = cells_for_points(lon, lat)
    res = choose_resolution(base, (-6, 55, -2, 58), target_cells=100_000, max_cells=300)
    assert len(pd.unique(parent_cells(base, res))) <= 300
    assert len(pd.unique(parent_cells(base, res + 1))) > 300


def test_demo_hexagons_hold_every_have(demo_programme) -> None:
    """On the demo, hexagon tonnes add up to the located haves' tonnes."""
    from geo.programme import resources_with_sites

    res = resources_with_sites(demo_programme)
    haves = res[(res["direction"] == "have") & res["tonnes_per_year"].notna()]
    hexes = hexagon_totals_from_gdf(haves)
    assert hexes["tonnes"].sum() == pytest.approx(haves["tonnes_per_year"].sum())
    assert hexes.crs.to_epsg() == 4326
