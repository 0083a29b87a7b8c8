"""Tests of geo.search: each criterion with hand-checked counts, several at once, distances in
metres, and invalid queries."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Point, box

from geo.catalogue import Catalogue, load_catalogue
from geo.errors import CatalogueError, SymbiosisError
from geo.programme import Programme
from geo.search import ResourceQuery, search_resources

CENTRE = (26.90, 60.50)
GEOD = Geod(ellps="WGS84")


def _at(distance_m: float, azimuth: float = 45.0) -> Point:
    lon, lat, _ = GEOD.fwd(*CENTRE, azimuth, distance_m)
    return Point(lon, lat)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The shipped European Waste Catalogue."""
    return load_catalogue()


@pytest.fixture(scope="module")
def programme() -> Programme:
    """Four sites (at the centre, 1,000 m and 5,000 m from it, one not located) and eight
    resources with known codes, directions, quantities, parks, sectors and hazard marks."""
    parks = gpd.GeoDataFrame({"park_id": ["P1", "P2"], "name": ["North", "South"],
                              "country": "FI", "region": "K", "city": "Kotka", "source": "t"},
                             geometry=[box(26.8, 60.4, 27.0, 60.6), box(27.0, 60.4, 27.2, 60.6)],
                             crs="EPSG:4326")
    sites = gpd.GeoDataFrame({
        "site_id": ["S1", "S2", "S3", "S4"], "name": ["Centre", "Near", "Far", "Nowhere"],
        "sector_nace": ["20.14", "20.1", "22.2", None], "address": None, "postcode": None,
        "city": None, "country": "FI", "park_id": ["P1", "P1", "P2", None],
        "location_precision": ["exact", "exact", "exact", None], "location_source": None,
        "provenance": "survey", "recorded_on": "2026-01-15",
    }, geometry=[Point(CENTRE), _at(1000), _at(5000), None], crs="EPSG:4326")
    resources = pd.DataFrame({
        "resource_id": [f"R{i}" for i in range(1, 9)],
        "site_id": ["S1", "S1", "S2", "S2", "S3", "S3", "S4", "S4"],
        "direction": ["have", "want", "have", "want", "have", "have", "have", "want"],
        "resource_class": "material",
        "ewc_code": ["150102", "030105", "020104", "150102", "070101", "170405", "150102",
                     "200108"],
        "hazardous": [False, False, False, False, True, False, False, False],
        "description": "x",
        "quantity": [10.0, 50.0, 5.0, 200.0, 1.0, 80.0, 30.0, None],
        "unit": ["t/yr"] * 7 + ["t/yr"], "frequency": None, "fate": None,
        "disposal_cost_per_year": None, "provenance": "survey", "recorded_on": "2026-01-15",
    }, index=pd.Index([11, 12, 13, 14, 15, 16, 17, 18]))  # unnamed: resources_with_sites
    return Programme(name="Search test", parks=parks, sites=sites,
                     contacts=pd.DataFrame(columns=["contact_id", "site_id", "name", "role",
                                                    "email", "phone"]),
                     resources=resources)


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["resource_id"])


@pytest.mark.parametrize(("query", "expected"), [
    (ResourceQuery(), ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"]),
    (ResourceQuery(codes=("150102",)), ["R1", "R4", "R7"]),
    (ResourceQuery(codes=("15 01 02",)), ["R1", "R4", "R7"]),
    (ResourceQuery(chapters=("15",)), ["R1", "R4", "R7"]),
    (ResourceQuery(chapters=("0201",)), ["R3"]),
    (ResourceQuery(groups=("plastics",)), ["R1", "R3", "R4", "R7"]),
    (ResourceQuery(codes=("030105",), groups=("plastics",)), ["R1", "R2", "R3", "R4", "R7"]),
    (ResourceQuery(direction="want"), ["R2", "R4", "R8"]),
    (ResourceQuery(quantity_min=10), ["R1", "R2", "R4", "R6", "R7"]),
    (ResourceQuery(quantity_min=10, quantity_max=50), ["R1", "R2", "R7"]),
    (ResourceQuery(unit="MWh/yr"), []),
    (ResourceQuery(parks=("P1",)), ["R1", "R2", "R3", "R4"]),
    (ResourceQuery(sectors=("20",)), ["R1", "R2", "R3", "R4"]),
    (ResourceQuery(sectors=("20.14",)), ["R1", "R2"]),
    (ResourceQuery(sectors=("C22",)), ["R5", "R6"]),
    (ResourceQuery(hazardous=True), ["R5"]),
    (ResourceQuery(hazardous=False), ["R1", "R2", "R3", "R4", "R6", "R7", "R8"]),
])
def test_single_criteria(programme: Programme, catalogue: Catalogue, query: ResourceQuery,
                         expected: list[str]) -> None:
    """Each criterion alone selects the hand-checked resources."""
    assert ids(search_resources(programme, query, catalogue=catalogue)) == expected


def test_several_criteria_at_once(programme: Programme, catalogue: Catalogue) -> None:
    """Plastics haves of at least 5 t/yr in park P1 within 2 km: R1 and R3 only."""
    query = ResourceQuery(groups=("plastics",), direction="have", quantity_min=5, unit="t/yr",
                          parks=("P1",), sectors=("20",), hazardous=False,
                          near=CENTRE, radius_m=2000)
    hits = search_resources(programme, query, catalogue=catalogue)
    assert ids(hits) == ["R1", "R3"]
    assert hits.index.tolist() == [11, 13]  # the resources' index is kept
    assert hits.crs == "EPSG:4326"


@pytest.mark.parametrize(("radius_m", "expected"), [
    (900, ["R1", "R2"]), (1100, ["R1", "R2", "R3", "R4"]),
    (4900, ["R1", "R2", "R3", "R4"]), (5100, ["R1", "R2", "R3", "R4", "R5", "R6"]),
])
def test_distance_is_in_metres(programme: Programme, radius_m: float,
                               expected: list[str]) -> None:
    """A site 1,000 m away is in at 1,100 m and out at 900 m (5,000 m likewise)."""
    hits = search_resources(programme, ResourceQuery(near=CENTRE, radius_m=radius_m))
    assert ids(hits) == expected
    assert hits.attrs["unlocated"] == 2
    near = hits.set_index("resource_id")["distance_m"]
    if "R3" in near:
        assert near["R3"] == pytest.approx(1000, abs=0.5)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"direction": "offer"}, "('have', 'want')"),
    ({"quantity_min": -1}, "[0, inf]"),
    ({"quantity_min": 10, "quantity_max": 5}, "minimum quantity (10) is above the maximum (5)"),
    ({"quantity_max": float("nan")}, "quantity_max"),
    ({"unit": "kg"}, "t/yr"),
    ({"near": (200, 60), "radius_m": 10}, "[-180, 180]"),
    ({"near": (26.9, 95), "radius_m": 10}, "[-90, 90]"),
    ({"near": CENTRE}, "needs radius_m"),
    ({"near": (*CENTRE, 100), "radius_m": 50}, "give the radius once"),
    ({"near": CENTRE, "radius_m": 0}, "radius_m"),
    ({"near": CENTRE, "radius_m": 3e7}, "radius_m"),
    ({"sectors": ("chemicals",)}, "NACE prefixes"),
    ({"hazardous": "yes"}, "True, False or None"),
    ({"codes": ("",)}, "empty"),
])
def test_invalid_queries_name_the_allowed_range(kwargs: dict[str, object], words: str) -> None:
    """Bad query values raise SymbiosisError saying what is allowed."""
    with pytest.raises(SymbiosisError) as err:
        ResourceQuery(**kwargs)
    assert words in str(err.value)


def test_unknown_group_is_a_catalogue_error(programme: Programme, catalogue: Catalogue) -> None:
    """An unknown stream group raises CatalogueError naming close matches."""
    with pytest.raises(CatalogueError, match="plastics"):
        search_resources(programme, ResourceQuery(groups=("plastic",)), catalogue=catalogue)


def test_near_with_radius_in_the_tuple(programme: Programme) -> None:
    """near=(lon, lat, radius_m) is the same query as near=(lon, lat), radius_m=…."""
    triple = ResourceQuery(near=(*CENTRE, 1100))
    assert (triple.near, triple.radius_m) == (CENTRE, 1100.0)
    assert ids(search_resources(programme, triple)) == ["R1", "R2", "R3", "R4"]


def test_mixed_selectors(programme: Programme, catalogue: Catalogue) -> None:
    """One selectors tuple may mix codes, chapters and groups, as typed in a search box."""
    query = ResourceQuery(selectors=("03", "plastics", "07 01 01*"))
    assert ids(search_resources(programme, query, catalogue=catalogue)) == [
        "R1", "R2", "R3", "R4", "R5", "R7"]


def test_single_string_selector_is_one_selector() -> None:
    """codes='150102' is taken as one code, not six characters."""
    assert ResourceQuery(codes="150102").codes == ("150102",)


def test_demo_search_uses_default_catalogue(demo_programme: Programme) -> None:
    """On the demo programme, haves in chapter 03 are all coded 03xxxx and are haves."""
    hits = search_resources(demo_programme, ResourceQuery(chapters=("03",), direction="have"))
    assert len(hits) > 0
    assert hits["ewc_code"].str.startswith("03").all()


def test_a_viewers_park_table_lists_released_figures_first() -> None:
    """Every stream has its row in every park, most of them withheld: the released ones come
    first, so that a viewer does not page through dashes to find them."""
    from geo.catalogue import load_catalogue
    from geo.demo import load_demo_programme
    from geo.disclosure import build_release
    from geo.search import ReleaseQuery, search_release

    catalogue = load_catalogue()
    release = build_release(load_demo_programme(), catalogue=catalogue)
    parks = tuple(release.parks["park_id"])
    answer = search_release(release, ReleaseQuery("have", (), parks), catalogue=catalogue)
    status = answer.table["status"].tolist()
    assert 0 < answer.released < len(status)
    assert status == sorted(status, key=lambda s: s != "released")
