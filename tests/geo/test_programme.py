"""Tests of the programme model helpers."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.errors import CRSError
from geo.programme import (
    Programme,
    empty_programme,
    precision_rank,
    resources_with_sites,
    tonnes_per_year,
)


def test_only_tonnes_count_as_tonnes() -> None:
    """MWh and m3 rows give NaN tonnes, never their number as if it were tonnes."""
    df = pd.DataFrame({"quantity": ["5", "7", "x"], "unit": ["t/yr", "MWh/yr", "t/yr"]})
    out = tonnes_per_year(df)
    assert out.iloc[0] == 5.0 and pd.isna(out.iloc[1]) and pd.isna(out.iloc[2])


def test_precision_rank_orders_best_first() -> None:
    """Manual placement ranks above exact coordinates, which rank above town centroids."""
    ranks = precision_rank(pd.Series(["town", "manual", "exact", "not_found"])).tolist()
    assert ranks == [6, 0, 1, 7]


def test_programme_refuses_projected_or_missing_crs() -> None:
    """Frames must be stored in WGS84; the error says how to fix it."""
    p = empty_programme()
    with pytest.raises(CRSError, match="to_crs"):
        Programme(name="x", parks=p.parks.to_crs(3857), sites=p.sites, contacts=p.contacts,
                  resources=p.resources)


def test_resources_join_their_site_and_keep_index(demo_programme) -> None:
    """Every resource gets its site's point; the index is the resources' index."""
    out = resources_with_sites(demo_programme)
    assert out.index.equals(demo_programme.resources.index)
    assert out.geometry.notna().all()
    first = out.iloc[0]
    site = demo_programme.sites.set_index("site_id").loc[first["site_id"]]
    assert first.geometry.equals(site.geometry)


def test_unlocated_sites_keep_their_resources() -> None:
    """A resource of a site without a point is kept with empty geometry, not dropped."""
    p = empty_programme()
    sites = gpd.GeoDataFrame({"site_id": ["a", "b"], "name": ["A", "B"], "sector_nace": None,
                              "park_id": None, "location_precision": ["exact", "not_found"]},
                             geometry=[Point(1, 2), None], crs=4326)
    res = pd.DataFrame({"resource_id": ["r1", "r2"], "site_id": ["a", "b"],
                        "quantity": [1.0, 2.0], "unit": ["t/yr", "t/yr"]})
    prog = Programme(name="t", parks=p.parks, sites=sites, contacts=p.contacts, resources=res)
    out = resources_with_sites(prog)
    assert len(out) == 2 and out.geometry.isna().sum() == 1


def test_logistics_capacity_is_not_tonnes_of_resource() -> None:
    """Spare truck capacity in t/yr is not counted as tonnes of a have."""
    df = pd.DataFrame({"quantity": [5.0, 500.0], "unit": ["t/yr", "t/yr"],
                       "resource_class": ["material", "logistics"]})
    assert tonnes_per_year(df).sum() == 5.0
