"""Tests of hexagon totals and their confidentiality rule (geo.concentrations.hexagons)."""

from __future__ import annotations

import geopandas as gpd
import h3
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
    hexagons_for_role,
    parent_cells,
    protect_hexagons,
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


def test_two_producer_cell_is_suppressed_and_its_figure_appears_nowhere() -> None:
    """A 2-producer cell is hidden for viewers, and total − released cannot recover it."""
    gdf = _records([(26.0, 60.0, 5, 100.0),      # A: 5 producers, 500 t
                    (28.0, 61.0, 2, 333.0),      # B: 2 producers, 666 t (must stay hidden)
                    (30.0, 62.0, 4, 10.0)])      # C: 4 producers, 40 t
    hexes = hexagon_totals_from_gdf(gdf, resolution=RES)
    out = protect_hexagons(hexes, k=3)
    released = out[~out["suppressed"]]
    assert 666.0 not in released["tonnes"].tolist()
    assert released["producers"].min() >= 3
    assert int(out["suppressed"].sum()) == 2  # B, and C too: B alone would be total − A − C
    assert released["tonnes"].sum() == pytest.approx(500.0)
    assert out.loc[out["suppressed"], ["tonnes", "producers", "records"]].isna().all().all()


def test_small_neighbouring_cells_merge_into_their_parent() -> None:
    """Sibling cells of 2 and 1 producers merge into one parent unit of 3, figures summed."""
    centre = h3i.latlng_to_cell(60.0, 26.0, RES - 1)
    kids = h3i.cell_to_children(centre, RES)[:2]
    (lat1, lon1), (lat2, lon2) = (h3i.cell_to_latlng(int(c)) for c in kids)
    gdf = pd.concat([_records([(lon1, lat1, 2, 10.0)]), _records([(lon2, lat2, 1, 7.0)]),
                     _records([(27.0, 61.0, 6, 1.0)])])
    gdf["site_id"] = [f"S{i}" for i in range(len(gdf))]
    hexes = hexagon_totals_from_gdf(gdf, resolution=RES)
    out = protect_hexagons(hexes, k=3)
    merged = out[out["merged"]]
    assert len(merged) == 1 and not merged["suppressed"].iloc[0]
    assert merged["tonnes"].iloc[0] == pytest.approx(27.0)
    assert merged["h3_cell"].iloc[0] == h3.int_to_str(centre)
    assert not merged.geometry.iloc[0].overlaps(out[~out["merged"]].geometry.iloc[0])


def test_practitioners_see_every_cell() -> None:
    """For a practitioner nothing is suppressed or merged."""
    gdf = _records([(26.0, 60.0, 1, 5.0), (28.0, 61.0, 2, 6.0)])
    out = hexagons_for_role(hexagon_totals_from_gdf(gdf, resolution=RES),
                            role="practitioner", k=3)
    assert not out["suppressed"].any()
    assert out["tonnes"].sum() == pytest.approx(17.0)


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


def test_demo_hexagons_hold_every_have(demo_programme) -> None:  # type: ignore[no-untyped-def]
    """On the demo, hexagon tonnes add up to the located haves' tonnes."""
    from geo.programme import resources_with_sites

    res = resources_with_sites(demo_programme)
    haves = res[(res["direction"] == "have") & res["tonnes_per_year"].notna()]
    hexes = hexagon_totals_from_gdf(haves)
    assert hexes["tonnes"].sum() == pytest.approx(haves["tonnes_per_year"].sum())
    assert hexes.crs.to_epsg() == 4326
