"""The site finder end to end on the Karhula demo: road hauls, roles, best sites, memo."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.errors import ConfidentialityError, SitingError
from geo.siting import (
    best_sites_for_role,
    best_sites_from_scored,
    feedstock_records,
    find_sites,
    load_profiles,
    memo_blocks,
    memo_html,
    memo_markdown,
    ranking_for_role,
    score_sites_from_gdf,
    supplier_points,
    weight_sensitivity,
)


@pytest.fixture(scope="module")
def region():
    """OSM land use and roads of the demo extract."""
    from geo.demo import demo_region

    return demo_region()


@pytest.fixture(scope="module")
def ad_run(demo_programme, demo_graph, region):
    """Anaerobic digestion on the demo's hexagon grid, 100 m from housing."""
    prof = load_profiles()["anaerobic_digestion"].with_changes(
        rules={"min_residential_distance_m": 100})
    _, run = find_sites(demo_programme, prof, "hexagons", graph=demo_graph,
                        landuse=region.landuse, roads=region.roads)
    assert run is not None
    return run


def test_ranking_uses_road_hauls_and_only_passing_candidates(ad_run) -> None:
    """Scores come from the road network; every ranked candidate passed every rule."""
    sites = ad_run.scored.sites
    assert ad_run.scored.method == "road"
    assert sites["passes"].all()
    assert sites["rank"].iloc[0] == 1 and sites["status"].iloc[0] == "viable"
    assert sites["suppliers"].max() == len(ad_run.suppliers.sites)
    assert (sites["mean_haul_km"] > 0).all()
    # Road hauls are never shorter than the straight line between the same points.
    straight = score_sites_from_gdf(sites.head(5), ad_run.suppliers, ad_run.profile, graph=None,
                                    detour_factor=1.0)
    assert straight.method == "straight-line"
    road = sites.head(5)["mean_haul_km"].to_numpy()
    crow = straight.sites.loc[sites.head(5).index, "mean_haul_km"].to_numpy()
    assert (road >= crow * 0.95).all()


def test_candidate_off_the_network_is_reported_unreachable(ad_run, demo_graph) -> None:
    """A candidate 30 km from any road gets no score, not a zero-cost one."""
    far = gpd.GeoDataFrame({"candidate_id": ["X"], "name": ["far away"]},
                           geometry=[Point(27.5, 60.6)], crs=4326)
    near = ad_run.scored.sites.head(1)[["candidate_id", "name", "geometry"]]
    both = gpd.GeoDataFrame(pd.concat([near, far]), crs=4326)
    scored = score_sites_from_gdf(both, ad_run.suppliers, ad_run.profile, graph=demo_graph)
    row = scored.sites.set_index("candidate_id").loc["X"]
    assert row["status"] == "off the road network"
    assert np.isnan(row["score"]) and np.isnan(row["rank"])


def test_a_ranking_from_records_is_refused_to_viewers(ad_run) -> None:
    """A viewer may not see a ranking scored on member records; a practitioner sees it whole."""
    sites = ad_run.scored.sites.assign(supplier_names="x")
    assert not ad_run.released
    with pytest.raises(ConfidentialityError, match="protected release"):
        ranking_for_role(sites, role="viewer")
    assert ranking_for_role(sites, role="practitioner") is sites


def test_best_sites_flows_and_catchments(ad_run) -> None:
    """Two plants: every supplier flows to one, and each catchment holds its suppliers."""
    best = best_sites_from_scored(ad_run.scored, ad_run.suppliers, 2)
    assert len(best.plants) == 2 and best.allocation.proven_optimal
    assert best.flows["supplier_id"].is_unique
    assert len(best.flows) == len(ad_run.suppliers.sites)
    sup = ad_run.suppliers.sites.set_index("site_id")
    for row in best.catchments.itertuples():
        ids = best.flows.loc[best.flows["plant"] == row.plant, "supplier_id"]
        assert sup.loc[ids].geometry.within(row.geometry).all()
    assert best_sites_for_role(best, role="practitioner")[1] is best.flows
    with pytest.raises(ConfidentialityError):
        best_sites_for_role(best, role="viewer")


def test_memo_escapes_names_and_respects_the_role(ad_run) -> None:
    """A company-like name with markup is escaped in the HTML memo; viewers get no figures."""
    import dataclasses

    sites = ad_run.scored.sites.copy()
    sites.iloc[0, sites.columns.get_loc("name")] = "<img src=x onerror=alert(1)>"
    run = dataclasses.replace(ad_run, scored=dataclasses.replace(ad_run.scored, sites=sites))
    _, sens = weight_sensitivity(run.scored.criteria, run.scored.weights)
    blocks = memo_blocks(run, role="practitioner", programme_name="Demo",
                         illustrative=True, sensitivity=sens)
    page = memo_html(blocks)
    assert "<img" not in page and "&lt;img src=x" in page
    assert "Robustness" in memo_markdown(blocks)
    with pytest.raises(ConfidentialityError):
        memo_blocks(run, role="viewer", programme_name="Demo", illustrative=True)


def test_no_feedstock_says_which_streams(demo_programme, demo_graph, region) -> None:
    """Plasterboard has no supplier in the demo: the message names the accepted codes."""
    prof = load_profiles()["plasterboard_recycling"].with_changes(
        rules={"min_residential_distance_m": 0})
    assert feedstock_records(demo_programme, prof).total_t == 0
    assert len(supplier_points(feedstock_records(demo_programme, prof)).sites) == 0
    with pytest.raises(SitingError, match="170802"):
        find_sites(demo_programme, prof, "parks", graph=demo_graph, landuse=region.landuse,
                   roads=region.roads)


def test_screen_without_passing_candidates_is_returned(demo_programme, demo_graph, region) -> None:
    """With the profile's 250 m rule, the demo parks all fail and the screen says why."""
    prof = load_profiles()["anaerobic_digestion"]
    screen, run = find_sites(demo_programme, prof, "parks", graph=demo_graph,
                             landuse=region.landuse, roads=region.roads)
    assert run is None
    assert screen.report["removed"].sum() == len(screen.sites)
    with pytest.raises(SitingError, match="residential: removed"):
        screen.require_some()


def test_loaded_competitor_layer_lowers_the_competition_score(ad_run, demo_programme,
                                                               demo_graph) -> None:
    """Existing plants loaded by the user count within the haul limit and cut that criterion."""
    from geo.siting import competitor_sites

    sites = ad_run.scored.sites.head(3)
    layer = gpd.GeoDataFrame({"name": ["Plant A", "Plant B"]},
                             geometry=[Point(26.95, 60.53), Point(26.94, 60.525)], crs=4326)
    comp = competitor_sites(demo_programme, ad_run.profile, extra=layer)
    assert (comp["source"] == "loaded layer").sum() == 2
    scored = score_sites_from_gdf(sites, ad_run.suppliers, ad_run.profile, graph=demo_graph,
                                  competitors=comp)
    assert (scored.sites["competitors"] == len(comp)).all()
    assert (scored.sites["s_competition"] == 1 / (1 + len(comp))).all()
    with pytest.raises(SitingError, match="no CRS"):
        competitor_sites(demo_programme, ad_run.profile,
                         extra=gpd.GeoDataFrame(geometry=[Point(0, 0)]))


def test_plants_below_the_minimum_throughput_are_called_out(ad_run) -> None:
    """Best sites whose plants take less than the profile's minimum say so in words, with
    how many and what to do; plants that all reach it get no such sentence."""
    best = best_sites_from_scored(ad_run.scored, ad_run.suppliers, 2)
    tonnes = best.plants["tonnes_per_year"].to_numpy(float)
    short = int((tonnes < ad_run.profile.min_throughput_t).sum())
    assert best.short_of_minimum == short
    text = best.describe()
    if short:
        assert f"{short} of 2 plant" in text and "minimum throughput" in text
    lowered = dataclasses.replace(best, plants=best.plants.assign(meets_minimum=True))
    assert lowered.short_of_minimum == 0 and "minimum throughput" not in lowered.describe()
    raised = dataclasses.replace(best, plants=best.plants.assign(meets_minimum=False),
                                 min_throughput_t=1e9)
    assert raised.short_of_minimum == 2
    assert "2 of 2 plants fall short of the minimum throughput (1,000,000,000 t/yr)" in \
        raised.describe()


def test_the_housing_relaxation_is_the_largest_distance_to_10_m(demo_programme) -> None:
    """The distance offered when no candidate passes lets a candidate through, and 10 m more
    does not (it was the next round step: 150 m offered where 190 m still left 7)."""
    from geo.demo import demo_region
    from geo.siting.candidates import screen_candidates, siting_layers
    from geo.siting.pipeline import candidate_set, largest_housing_distance

    region = demo_region()
    prof = load_profiles()["anaerobic_digestion"]
    cands = candidate_set(demo_programme, "hexagons", landuse=region.landuse)
    layers = siting_layers(demo_programme.parks, landuse=region.landuse, roads=region.roads)

    def passing(d: float) -> int:
        rules = {"min_residential_distance_m": d}
        return len(screen_candidates(cands, prof.with_changes(rules=rules), layers).passing)

    assert passing(prof.rules.min_residential_distance_m) == 0  # the case the page handles
    d = largest_housing_distance(demo_programme, prof, "hexagons", landuse=region.landuse,
                                 roads=region.roads)
    assert d is not None and d < prof.rules.min_residential_distance_m
    assert passing(d) > 0 and passing(d + 10.0) == 0
