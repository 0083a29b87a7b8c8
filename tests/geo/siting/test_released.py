"""The site finder on a protected release (viewers): pseudo-suppliers, banding, refusals."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.catalogue import load_catalogue
from geo.disclosure import ProgrammeRelease, build_release
from geo.programme import Programme
from geo.siting import (
    RELEASED_SUPPLIER,
    SiteFinderRun,
    TechnologyProfile,
    best_sites_for_role,
    best_sites_from_scored,
    feedstock_from_release,
    find_sites,
    load_profiles,
    memo_blocks,
    memo_markdown,
    profile_release_streams,
    ranking_for_role,
    round_significant,
    supplier_points,
    viewer_notes,
    wanters_from_release,
)
from geo.siting.profiles import OutputMarket


@pytest.fixture(scope="module")
def release(demo_programme: Programme) -> ProgrammeRelease:
    """The demo programme's release under the default rules."""
    return build_release(demo_programme, catalogue=load_catalogue())


@pytest.fixture(scope="module")
def digestion() -> TechnologyProfile:
    """Anaerobic digestion, 100 m from housing (candidates pass on the demo)."""
    return load_profiles()["anaerobic_digestion"].with_changes(
        rules={"min_residential_distance_m": 100})


@pytest.fixture(scope="module")
def viewer_run(demo_programme: Programme, release: ProgrammeRelease,
               digestion: TechnologyProfile) -> SiteFinderRun:
    """A viewer's run on the demo's parks (straight-line hauls: the disclosure is the point)."""
    _, run = find_sites(demo_programme, digestion, "parks", graph=None, release=release)
    assert run is not None
    return run


def _released_h(release: ProgrammeRelease, streams: list[str]) -> float:
    nodes = release.trees["have"].nodes
    sel = nodes[nodes["published"] & (nodes["depth"] >= 1) & nodes["stream"].isin(streams)]
    return float(sel["hidden_tonnes"].sum())


def test_profile_maps_to_whole_release_streams(release: ProgrammeRelease,
                                               digestion: TechnologyProfile) -> None:
    """Digestion's food and organic codes map to the organics release stream, not exactly."""
    rs = profile_release_streams(release, digestion)
    assert "organics" in rs.streams and not rs.exact
    assert len(rs.conversion) == len(rs.streams)
    low, high = min(s.conversion for s in digestion.streams), max(
        s.conversion for s in digestion.streams)
    assert all(low <= c <= high for c in rs.conversion)


def test_released_feedstock_is_the_released_tonnage_of_its_streams(
        release: ProgrammeRelease, digestion: TechnologyProfile) -> None:
    """Placed plus unplaced tonnage is exactly what the release holds for those streams."""
    table = feedstock_from_release(release, digestion)
    streams = list(profile_release_streams(release, digestion).streams)
    assert table.released
    assert table.total_t + table.report["unplaced_t"] == pytest.approx(
        _released_h(release, streams))
    assert table.report["placed_t"] == pytest.approx(table.total_t)
    assert set(table.records["site_name"]) == {RELEASED_SUPPLIER}


def test_pseudo_suppliers_sit_at_released_hexagon_centres(
        release: ProgrammeRelease, digestion: TechnologyProfile,
        demo_programme: Programme) -> None:
    """Each pseudo-supplier is a fine hexagon's centre, never a member site's point or id."""
    import h3

    sup = supplier_points(feedstock_from_release(release, digestion))
    assert sup.released and len(sup.conversion) == len(sup.streams)
    fine = release.resolutions["fine"]
    for cell, pt in zip(sup.sites["site_id"], sup.sites.geometry, strict=True):
        lat, lng = h3.cell_to_latlng(cell)
        assert (pt.x, pt.y) == pytest.approx((lng, lat))
        assert h3.get_resolution(cell) == fine
    assert not set(sup.sites["site_id"]) & set(demo_programme.sites["site_id"])
    member_points = {(round(p.x, 6), round(p.y, 6)) for p in demo_programme.sites.geometry}
    assert not {(round(p.x, 6), round(p.y, 6)) for p in sup.sites.geometry} & member_points


def test_park_authority_gets_only_its_parks(release: ProgrammeRelease,
                                            digestion: TechnologyProfile) -> None:
    """Limited to a park without released organics figures, there is nothing to place."""
    nodes = release.trees["have"].nodes
    parks = set(nodes.loc[nodes["published"] & (nodes["stream"] == "organics")
                          & (nodes["depth"] >= 2), "park"])
    empty = sorted({"KAR-P1", "KAR-P2", "KAR-P3"} - parks)[0]
    assert feedstock_from_release(release, digestion, parks=[empty]).records.empty
    full = feedstock_from_release(release, digestion, parks=sorted(parks))
    assert full.total_t == pytest.approx(feedstock_from_release(release, digestion).total_t)


def test_wanters_are_released_want_hexagons(release: ProgrammeRelease,
                                            digestion: TechnologyProfile) -> None:
    """Plastics wanted in a released hexagon become a wanter point; no selector, no wanters."""
    market = dataclasses.replace(digestion, output_wanted_by=OutputMarket(selectors=("plastics",)))
    points = wanters_from_release(release, market)
    mp = release.mass_points("want", streams=["plastics"])
    assert points["tonnes_per_year"].sum() == pytest.approx(mp.tonnes.sum())
    none = dataclasses.replace(digestion, output_wanted_by=OutputMarket(
        resource_classes=("energy",), nace=("01.1",)))
    assert wanters_from_release(release, none).empty


def test_viewer_ranking_is_banded_and_counts_hexagons(viewer_run: SiteFinderRun) -> None:
    """The viewer's ranking shows hexagons, not suppliers, and tonnages to 2 significant figures."""
    assert viewer_run.released and viewer_run.scored.released
    table = ranking_for_role(viewer_run.scored.sites, role="viewer", released=True)
    assert "suppliers" not in table and "cells" in table
    feed = table["feedstock_t"].dropna().to_numpy()
    assert np.array_equal(feed, round_significant(feed))
    assert (table["score"].dropna() % 1 == 0).all()
    assert viewer_run.competitors.empty  # member sites' sectors are not a viewer's to see


def test_viewer_outputs_name_no_company(viewer_run: SiteFinderRun,
                                        demo_programme: Programme) -> None:
    """Ranking, best sites, flows, catchments and memo carry no member's name or id."""
    best = best_sites_from_scored(viewer_run.scored, viewer_run.suppliers, 2)
    plants, flows, catchments = best_sites_for_role(best, role="viewer")
    assert list(flows.columns) == ["plant", "haul_km", "within_haul", "geometry"]
    memo = memo_markdown(memo_blocks(viewer_run, role="viewer", programme_name="Demo",
                                     illustrative=True, best=best))
    ranking = ranking_for_role(viewer_run.scored.sites, role="viewer", released=True)
    text = " ".join([memo, *viewer_notes(viewer_run)] + [
        f.drop(columns="geometry").to_csv() for f in (ranking, plants, flows, catchments)])
    for sid, name in zip(demo_programme.sites["site_id"], demo_programme.sites["name"],
                         strict=True):
        assert sid not in text and name not in text
    assert "hexagons" in memo and "protected release" in memo


def test_own_competitor_layer_counts_for_viewers(demo_programme: Programme,
                                                 release: ProgrammeRelease,
                                                 digestion: TechnologyProfile) -> None:
    """A viewer's own layer of plants is used; member sites in the sector are not."""
    layer = gpd.GeoDataFrame({"name": ["Plant A"]}, geometry=[Point(26.95, 60.53)], crs=4326)
    _, run = find_sites(demo_programme, digestion, "parks", graph=None, release=release,
                        competitor_layer=layer)
    assert run is not None
    assert run.competitors["source"].tolist() == ["loaded layer"]


def test_profile_with_nothing_released_says_so(demo_programme: Programme,
                                               release: ProgrammeRelease) -> None:
    """Plasterboard has no released feedstock: the viewer is told why, not shown an error."""
    from geo.errors import SitingError

    prof = load_profiles()["plasterboard_recycling"].with_changes(
        rules={"min_residential_distance_m": 0})
    with pytest.raises(SitingError, match="No released feedstock"):
        find_sites(demo_programme, prof, "parks", graph=None, release=release)


def test_round_significant_keeps_nan_and_zero() -> None:
    """Banding keeps blanks and zeros and rounds the rest to two significant figures."""
    out = round_significant(pd.Series([0.0, np.nan, 1234.5, 0.01234]))
    assert out[0] == 0 and np.isnan(out[1])
    assert out[2:].tolist() == pytest.approx([1200.0, 0.012])
