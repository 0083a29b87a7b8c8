"""Tests of the embedded Karhula demo programme."""

from __future__ import annotations

import geopandas as gpd

from geo.demo import demo_region, load_demo_programme
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS


def test_demo_is_real_geography_with_illustrative_figures(demo_programme) -> None:
    """Parks come from OSM industrial land, and the programme says its figures are illustrative."""
    assert demo_programme.illustrative
    assert len(demo_programme.parks) >= 3
    assert (demo_programme.parks["source"] == "OpenStreetMap landuse=industrial").all()
    assert demo_programme.sites.crs.equals("EPSG:4326")


def test_sites_in_parks_lie_inside_their_park(demo_programme) -> None:
    """Each site with a park_id lies within 10 m of that park's polygon."""
    sites = demo_programme.sites.dropna(subset=["park_id"]).to_crs(32635)
    parks = demo_programme.parks.to_crs(32635).set_index("park_id")
    dist = [parks.loc[pid].geometry.distance(pt) for pid, pt in
            zip(sites["park_id"], sites.geometry, strict=True)]
    assert max(dist) <= 10.0


def test_sites_lie_in_the_karhula_extract(demo_programme) -> None:
    """All member sites fall inside the bounds of the OSM extract."""
    x0, y0, x1, y1 = demo_region().roads.total_bounds
    b = demo_programme.sites.total_bounds
    assert x0 - 0.01 <= b[0] and b[2] <= x1 + 0.01 and y0 - 0.01 <= b[1] and b[3] <= y1 + 0.01


def test_columns_follow_the_contract(demo_programme) -> None:
    """Sites and resources carry exactly the contract's columns."""
    assert list(demo_programme.sites.columns) == [*SITE_COLUMNS, "geometry"]
    assert list(demo_programme.resources.columns) == RESOURCE_COLUMNS


def test_resources_reference_sites_and_codes_are_valid(demo_programme) -> None:
    """Every resource belongs to a site; material rows carry a valid catalogue entry."""
    from geo.catalogue import load_catalogue

    res = demo_programme.resources
    assert res["site_id"].isin(demo_programme.sites["site_id"]).all()
    material = res[res["resource_class"] == "material"]
    assert load_catalogue().entry_mask(material["ewc_code"]).all()
    assert (res["quantity"] > 0).all()


def test_hazardous_marks_come_from_the_catalogue(demo_programme) -> None:
    """Waste engine oil (13 02 05*) is flagged hazardous; sawdust (03 01 05) is not."""
    res = demo_programme.resources.set_index("ewc_code")
    assert bool(res.loc[["130205"], "hazardous"].all())
    assert not bool(res.loc[["030105"], "hazardous"].any())


def test_generator_is_deterministic_and_seeded() -> None:
    """The same seed gives the same quantities; another seed gives others."""
    a, b = load_demo_programme(seed=7), load_demo_programme(seed=7)
    c = load_demo_programme(seed=8)
    assert a.resources["quantity"].tolist() == b.resources["quantity"].tolist()
    assert a.resources["quantity"].tolist() != c.resources["quantity"].tolist()


def test_copies_are_independent(demo_programme) -> None:
    """Changing a returned copy does not change the next one."""
    p = load_demo_programme()
    p.sites.loc[p.sites.index[0], "name"] = "changed"
    assert load_demo_programme().sites["name"].iloc[0] != "changed"
    assert isinstance(p.sites, gpd.GeoDataFrame)
