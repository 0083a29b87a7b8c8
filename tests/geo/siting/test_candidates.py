"""Candidate sites and the siting rules, on tiny hand-made geometries (metres, UTM 35N)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo.errors import SitingError
from geo.siting.candidates import (
    SitingLayers,
    candidates_from_hexagons,
    candidates_from_points,
    candidates_from_polygons,
    screen_candidates,
)
from geo.siting.profiles import load_profiles

UTM = "EPSG:32635"
X0, Y0 = 500_000.0, 6_710_000.0


def _gdf(geoms: list, **cols: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=geoms, crs=UTM).to_crs(4326)


@pytest.fixture
def layers() -> SitingLayers:
    """Industrial land in two blocks, housing 100 m east of the first, a trunk road south."""
    industrial = _gdf([box(X0, Y0, X0 + 300, Y0 + 300), box(X0 + 2000, Y0, X0 + 2300, Y0 + 300)])
    residential = _gdf([box(X0 + 400, Y0, X0 + 700, Y0 + 300)])
    roads = _gdf([LineString([(X0 - 500, Y0 - 100), (X0 + 3000, Y0 - 100)])],
                 highway=["trunk"])
    return SitingLayers(industrial=industrial, residential=residential, roads=roads)


def _profile(**rules: float):
    base = load_profiles()["anaerobic_digestion"]
    return base.with_changes(land_ha=0.0, rules={"min_residential_distance_m": 0.0,
                                                 "max_main_road_distance_m": 5000.0, **rules})


def test_residential_buffer_removes_the_candidate_next_to_housing(layers: SitingLayers) -> None:
    """At 250 m from housing the first block (100 m away) is removed, the far one stays."""
    cands = candidates_from_points(_gdf([Point(X0 + 250, Y0 + 150), Point(X0 + 2150, Y0 + 150)],
                                        name=["near", "far"]))
    kept = screen_candidates(cands, _profile(), layers)
    assert kept.sites["passes"].tolist() == [True, True]
    screened = screen_candidates(cands, _profile(min_residential_distance_m=250), layers)
    assert screened.sites["passes"].tolist() == [False, True]
    assert screened.sites["failed_rule"].tolist() == ["residential", ""]
    report = screened.report.set_index("rule")
    assert report.loc["residential", "removed"] == 1


def test_polygon_keeps_only_the_part_away_from_housing(layers: SitingLayers) -> None:
    """A parcel's usable land shrinks by the buffer; the site point moves into what is left."""
    parcel = candidates_from_polygons(_gdf([box(X0, Y0, X0 + 300, Y0 + 300)], name=["block"]),
                                      source="park")
    screen = screen_candidates(parcel, _profile(min_residential_distance_m=200), layers)
    usable = screen.footprints.to_crs(UTM).geometry.iloc[0]
    assert usable.area == pytest.approx(200 * 300, rel=1e-3)  # x from 0 to 200 m
    site = screen.sites.to_crs(UTM).geometry.iloc[0]
    assert site.x < X0 + 200 + 1e-6


def test_land_rule_needs_contiguous_usable_land(layers: SitingLayers) -> None:
    """A 9 ha block passes a 5 ha need; with a 200 m buffer only 6 ha remain, failing 7 ha."""
    parcel = candidates_from_polygons(_gdf([box(X0, Y0, X0 + 300, Y0 + 300)], name=["block"]),
                                      source="park")
    prof = _profile().with_changes(land_ha=5.0)
    assert screen_candidates(parcel, prof, layers).sites["passes"].all()
    tight = _profile(min_residential_distance_m=200).with_changes(land_ha=7.0)
    out = screen_candidates(parcel, tight, layers)
    assert out.sites["failed_rule"].tolist() == ["land"]
    assert out.sites["contiguous_ha"].iloc[0] == pytest.approx(6.0, rel=1e-3)


def test_industrial_and_main_road_rules(layers: SitingLayers) -> None:
    """A point off industrial land fails 'industrial'; one far from the trunk road fails it."""
    cands = candidates_from_points(_gdf([Point(X0 + 1000, Y0 + 150), Point(X0 + 150, Y0 + 150)],
                                        name=["field", "estate"]))
    out = screen_candidates(cands, _profile(max_main_road_distance_m=100), layers)
    assert out.sites["failed_rule"].tolist() == ["industrial", "main_road"]
    assert out.sites["main_road_m"].iloc[1] == pytest.approx(250, abs=1)


def test_no_candidate_passing_names_each_rule(layers: SitingLayers) -> None:
    """When every candidate fails, the error says how many each rule removed."""
    cands = candidates_from_points(_gdf([Point(X0 + 1000, Y0 + 150)], name=["field"]))
    screen = screen_candidates(cands, _profile(), layers)
    with pytest.raises(SitingError, match=r"industrial: removed 1"):
        screen.require_some()


def test_missing_layer_is_reported_not_checked() -> None:
    """Without a residential layer the rule is reported as not checked, never passed silently."""
    ind = _gdf([box(X0, Y0, X0 + 300, Y0 + 300)])
    screen = screen_candidates(candidates_from_points(_gdf([Point(X0 + 10, Y0 + 10)], name=["a"])),
                               _profile(min_residential_distance_m=250),
                               SitingLayers(industrial=ind, residential=None, roads=None))
    report = screen.report.set_index("rule")
    assert not report.loc["residential", "checked"]
    assert "not checked" in screen.explain()


def test_hexagons_cover_the_area() -> None:
    """An H3 grid over a box covers it with cells of the expected size and refuses huge grids."""
    cells = candidates_from_hexagons((26.93, 60.52, 26.97, 60.54), resolution=9)
    assert len(cells) > 10
    assert cells.to_crs(UTM).area.mean() == pytest.approx(105_000, rel=0.2)
    with pytest.raises(SitingError, match="coarser resolution"):
        candidates_from_hexagons((20.0, 60.0, 30.0, 65.0), resolution=11)


def test_explanation_in_the_pseudo_locale_names_rules_and_notes_translated() -> None:
    """In the pseudo-locale the screening sentence, the rule names and the notes are ours
    (bracketed), with the counts filled in."""
    from geo.i18n import use_locale

    ind = _gdf([box(X0, Y0, X0 + 300, Y0 + 300)])
    screen = screen_candidates(candidates_from_points(_gdf([Point(X0 + 10, Y0 + 10)], name=["a"])),
                               _profile(min_residential_distance_m=250),
                               SitingLayers(industrial=ind, residential=None, roads=None))
    with use_locale("qps_PLOC"):
        text = screen.explain()
    assert text.startswith("⟦1 çàñdîdàté; ") and "{" not in text
    assert "⟦⟦résîdéñtîàl⟧: ñõt çhéçkéd (⟦ñõ résîdéñtîàl làñd làýér⟧)⟧" in text


def test_candidates_far_from_the_sites_are_explained(demo_programme) -> None:
    """Candidates thousands of km from every site are explained (with a hint when longitude
    and latitude look swapped) instead of "relax a rule"; candidates among the sites, or a
    programme with nothing located, get no such note."""
    from geo.siting.candidates import far_from_sites

    sites = demo_programme.sites
    near = gpd.GeoDataFrame(geometry=sites.geometry.iloc[:3].to_numpy(), crs=4326)
    assert far_from_sites(near, sites) is None
    swapped = gpd.GeoDataFrame(geometry=[Point(p.y, p.x) for p in near.geometry], crs=4326)
    text = far_from_sites(swapped, sites)
    assert text is not None and "3 candidates lie" in text and "swapped" in text
    elsewhere = gpd.GeoDataFrame(geometry=[Point(2.35, 48.85)], crs=4326)  # Paris
    text = far_from_sites(elsewhere, sites)
    assert text is not None and "swapped" not in text and "coordinate reference" in text
    assert far_from_sites(swapped, sites.iloc[:0]) is None
