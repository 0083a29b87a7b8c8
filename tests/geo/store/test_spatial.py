"""Tests of geo.store.spatial: the same answers from PostGIS, from PostgreSQL without PostGIS
and from SQLite, for points near a centre, in a park and in a box; pushed down on PostGIS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa
from pyproj import Geod
from shapely.geometry import Point, Polygon

from geo.errors import StoreError
from geo.programme import Programme, empty_programme
from geo.store import Store, open_store
from geo.store.spatial import InBBox, InPark, Near
from tests.geo.store.databases import PostgresServer

GEOD = Geod(ellps="WGS84")
CENTRE = (26.9, 60.5)
PARK = Polygon([(26.95, 60.45), (27.0, 60.45), (27.0, 60.5), (26.95, 60.5)])


def _at(bearing_deg: float, distance_m: float) -> Point:
    lon, lat, _ = GEOD.fwd(*CENTRE, bearing_deg, distance_m)
    return Point(lon, lat)


SITES = {  # site_id → point (None: not located)
    "near_900": _at(30, 900.0),
    "far_1100": _at(200, 1100.0),
    "centre": Point(*CENTRE),
    "park_inside": Point(26.97, 60.47),
    "park_edge": Point(26.95, 60.47),  # on the west edge
    "park_corner_out": Point(26.9499, 60.4999),
    "unlocated": None,
}


def programme(name: str = "Spatial") -> Programme:
    """One park and the sites of SITES, each with one resource and one contact."""
    p = empty_programme(name)
    p.parks = gpd.GeoDataFrame({"park_id": ["P1"], "name": ["Park"], "country": ["FI"],
                                "region": [None], "city": ["Kotka"], "source": ["survey"]},
                               geometry=[PARK], crs="EPSG:4326")
    ids = list(SITES)
    p.sites = gpd.GeoDataFrame({"site_id": ids, "name": [f"{i} Oy" for i in ids]},
                               geometry=list(SITES.values()), crs="EPSG:4326").reindex(
        columns=[*p.sites.columns]).set_geometry("geometry")
    p.resources = pd.DataFrame({"resource_id": [f"R-{i}" for i in ids], "site_id": ids,
                                "direction": "have", "ewc_code": "150102",
                                "quantity": 1.0, "unit": "t/yr"}).reindex(
        columns=list(p.resources.columns))
    p.contacts = pd.DataFrame({"contact_id": [f"C-{i}" for i in ids], "site_id": ids,
                               "name": "Someone"}).reindex(columns=list(p.contacts.columns))
    return p


@pytest.fixture(params=["sqlite", "postgis", "postgresql-without-postgis"])
def spatial_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store holding programme(): on SQLite, PostGIS, and PostgreSQL without PostGIS."""
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path / 's.db'}")
        assert store.spatial_backend == "python"
        store.save_programme(programme())
        yield store
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.database("head" if request.param == "postgis" else "plain")
    store = open_store(url)
    assert store.spatial_backend == ("postgis" if request.param == "postgis" else "python")
    store.save_programme(programme())
    yield store
    store.engine.dispose()
    server.drop(url)


def ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["site_id"])


def test_near_keeps_sites_within_the_geodesic_radius(spatial_store: Store) -> None:
    """Near(r = 1 km) keeps the sites 0 and 900 m away and not the one 1,100 m away."""
    found = spatial_store.sites("Spatial", within=Near(*CENTRE, radius_m=1000))
    assert ids(found) == {"centre", "near_900"}
    assert ids(spatial_store.sites("Spatial", within=Near(*CENTRE, radius_m=1200))) == {
        "centre", "near_900", "far_1100"}
    assert ids(spatial_store.sites("Spatial", within=Near(*CENTRE, radius_m=0))) == {"centre"}


def test_in_park_counts_the_edge(spatial_store: Store) -> None:
    """InPark keeps sites inside the boundary and on its edge, not one just outside."""
    found = spatial_store.sites("Spatial", within=InPark("P1"))
    assert ids(found) == {"park_inside", "park_edge"}


def test_in_bbox_is_inclusive(spatial_store: Store) -> None:
    """InBBox keeps points on its edges; the frame is that of Store.sites (same order)."""
    box = InBBox(26.95, 60.47, 27.0, 60.5)
    found = spatial_store.sites("Spatial", within=box)
    assert found["site_id"].tolist() == ["park_inside", "park_edge"]
    every = spatial_store.sites("Spatial")
    assert list(found.columns) == list(every.columns) and found.crs == every.crs


def test_load_programme_within_keeps_records_of_kept_sites(spatial_store: Store) -> None:
    """load_programme(within=…) keeps the sites in the area with their resources and contacts."""
    p = spatial_store.load_programme("Spatial", within=Near(*CENTRE, radius_m=1000))
    assert ids(p.sites) == {"centre", "near_900"}
    assert set(p.resources["site_id"]) == set(p.contacts["site_id"]) == {"centre", "near_900"}
    assert len(p.parks) == 1


def test_unknown_park_and_bad_areas_are_refused(spatial_store: Store) -> None:
    """An unknown park names the programme's parks; bad coordinates say what is wrong."""
    with pytest.raises(StoreError, match="its parks are: P1"):
        spatial_store.sites("Spatial", within=InPark("P9"))
    with pytest.raises(StoreError, match="swap them"):
        Near(60.5, 126.9, radius_m=10)
    with pytest.raises(StoreError, match="radius_m"):
        Near(26.9, 60.5, radius_m=-1)
    with pytest.raises(StoreError, match="antimeridian"):
        InBBox(27.0, 60.0, 26.0, 61.0)


def test_random_points_agree_with_a_brute_force_answer(spatial_store: Store) -> None:
    """300 random sites: every filter gives what pyproj/shapely say on the whole frame."""
    rng = np.random.default_rng(7)
    lon = 26.9 + rng.normal(0, 0.03, 300)
    lat = 60.5 + rng.normal(0, 0.015, 300)
    sites = gpd.GeoDataFrame({"site_id": [f"X{i}" for i in range(300)], "name": "x"},
                             geometry=shapely.points(lon, lat), crs="EPSG:4326")
    spatial_store.create_programme("Random")
    spatial_store.add_sites("Random", sites.reindex(columns=[*programme().sites.columns]))
    _, _, dist = GEOD.inv(np.full(300, CENTRE[0]), np.full(300, CENTRE[1]), lon, lat)
    for radius in (500.0, 1500.0, 2500.0):
        expected = {f"X{i}" for i in np.flatnonzero(dist <= radius)}
        assert ids(spatial_store.sites("Random", within=Near(*CENTRE, radius_m=radius))) == \
            expected
    box = (26.88, 60.49, 26.93, 60.52)
    inside = (lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3])
    assert ids(spatial_store.sites("Random", within=InBBox(*box))) == {
        f"X{i}" for i in np.flatnonzero(inside)}


def test_postgis_runs_the_filter_in_the_database_with_its_index(
        postgres: PostgresServer) -> None:
    """On PostGIS the SQL itself filters (ST_DWithin), and the geography index can serve it."""
    url = postgres.database("head")
    store = open_store(url)
    store.save_programme(programme())
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda *args: statements.append(str(args[2])))
    found = store.sites("Spatial", within=Near(*CENTRE, radius_m=1000))
    assert ids(found) == {"centre", "near_900"}
    assert any("ST_DWithin" in s for s in statements)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM sites WHERE ST_DWithin(geom::geography, "
            "ST_SetSRID(ST_MakePoint(26.9, 60.5), 4326)::geography, 1000)").scalars())
        park_plan = "\n".join(conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM sites WHERE geom && "
            "ST_MakeEnvelope(26.9, 60.4, 27, 60.5, 4326)").scalars())
    assert "ix_sites_geog" in plan and "ix_sites_geom" in park_plan
    store.engine.dispose()
    postgres.drop(url)
