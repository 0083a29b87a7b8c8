"""The site finder end to end, as the page and ``python -m geo site-score`` run it.

:func:`candidate_set` builds candidates from a chosen source; :func:`run_site_finder` screens
them with the profile's siting rules, gathers the feedstock, wanters and competitors from the
programme and scores the passing candidates over the road network. Every step stays callable
on its own (see :mod:`geo.siting`).

Given a protected ``release`` (viewers), the feedstock and the wanters come from the release
instead of the records (:mod:`geo.siting.released`) and competitors only from the user's own
layer; everything after that is the same code on protected figures.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import SitingError
from geo.i18n import N_, _
from geo.network import DEFAULT_DETOUR_FACTOR, RoadGraph
from geo.siting.candidates import (
    CandidateScreen,
    SitingLayers,
    candidates_from_hexagons,
    candidates_from_points,
    candidates_from_polygons,
    far_from_sites,
    screen_candidates,
    siting_layers,
)
from geo.siting.feedstock import (
    FeedstockTable,
    SupplierPoints,
    competitor_sites,
    feedstock_records,
    output_wanters,
    supplier_points,
)
from geo.siting.finder import ScoredSites, score_sites_from_gdf
from geo.siting.released import feedstock_from_release, wanters_from_release

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.disclosure import ProgrammeRelease
    from geo.programme import Programme
    from geo.siting.profiles import TechnologyProfile
    from geo.siting.scoring import ScoreWeights

__all__ = ["CANDIDATE_SOURCES", "SiteFinderRun", "candidate_set", "find_sites",
           "largest_housing_distance", "run_site_finder"]

logger = logging.getLogger(__name__)

CandidateSource = Literal["parks", "industrial", "hexagons", "user"]
CANDIDATE_SOURCES: dict[str, str] = {
    "parks": N_("The programme's parks"),
    "industrial": N_("OSM industrial land parcels"),
    "hexagons": N_("Hexagon grid over the region (H3)"),
    "user": N_("Points or parcels I upload"),
}
"""Candidate source (a stable value) → its label (marked; translate with ``_`` where shown)."""


def candidate_set(programme: Programme, source: CandidateSource, *,
                  landuse: gpd.GeoDataFrame | None = None, resolution: int = 10,
                  uploaded: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Candidate sites (EPSG:4326) from one source.

    Parameters
    ----------
    programme : Programme
    source : {"parks", "industrial", "hexagons", "user"}
    landuse : GeoDataFrame, optional
        OSM land use (``landuse`` column) for ``"industrial"``.
    resolution : int
        H3 resolution of the hexagon grid (9 ≈ 10 ha, 10 ≈ 1.5 ha cells).
    uploaded : GeoDataFrame, optional
        The user's points or parcels for ``"user"``.
    """
    if source == "parks":
        if programme.parks.empty:
            msg = _("The programme has no parks; choose industrial land or the hexagon grid.")
            raise SitingError(msg)
        return candidates_from_polygons(programme.parks, source="park", id_prefix="P")
    if source == "industrial":
        if landuse is None or not (landuse["landuse"] == "industrial").any():
            msg = _("No OSM industrial land is loaded for this region; choose the parks or the "
                    "hexagon grid.")
            raise SitingError(msg)
        return candidates_from_polygons(landuse[landuse["landuse"] == "industrial"],
                                        source="OSM industrial", name_col="name",
                                        id_prefix="L")
    if source == "hexagons":
        frames = [f for f in (programme.parks, programme.sites) if len(f)]
        if not frames:
            msg = _("The programme has no located parks or sites to lay a grid over.")
            raise SitingError(msg)
        # The grid covers the bounding box of the parks and sites plus 500 m (not a buffer of
        # their union: 33,000 sites buffered one by one took 15 GB).
        located = gpd.GeoSeries(pd.concat([f.to_crs(4326).geometry for f in frames]),
                                crs=4326)
        located = located[located.notna() & ~located.is_empty]
        metric = located.estimate_utm_crs()
        x0, y0, x1, y1 = located.to_crs(metric).total_bounds
        box = gpd.GeoSeries([shapely.box(x0 - 500, y0 - 500, x1 + 500, y1 + 500)],
                            crs=metric).to_crs(4326).total_bounds
        hexes = candidates_from_hexagons(tuple(box), resolution=resolution)
        return _name_after_parks(hexes, programme.parks)
    if source == "user":
        if uploaded is None or uploaded.empty:
            msg = _("Upload points or parcels (GeoJSON or GeoPackage) to use your own "
                    "candidates.")
            raise SitingError(msg)
        return candidates_from_points(uploaded)
    msg = _("Unknown candidate source {source}; use one of {sources}.").format(
        source=repr(source), sources=", ".join(CANDIDATE_SOURCES))
    raise SitingError(msg)


def _name_after_parks(cells: gpd.GeoDataFrame, parks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Name grid cells after the park they overlap most ("Tikankatu industrial area · H00012")."""
    cells = cells.copy()
    cells["name"] = "Cell " + cells["candidate_id"]
    if parks.empty:
        return cells
    metric = cells.estimate_utm_crs()
    joined = gpd.overlay(cells.to_crs(metric)[["candidate_id", "geometry"]],
                         parks.to_crs(metric)[["name", "geometry"]], how="intersection",
                         keep_geom_type=True)
    if joined.empty:
        return cells
    joined["a"] = joined.area
    best = joined.sort_values("a").drop_duplicates("candidate_id", keep="last")
    park_of = best.set_index("candidate_id")["name"]
    hit = cells["candidate_id"].isin(park_of.index)
    cells.loc[hit, "name"] = (cells.loc[hit, "candidate_id"].map(park_of) + " · "
                              + cells.loc[hit, "candidate_id"])
    return cells


@dataclass(frozen=True)
class SiteFinderRun:
    """Everything one site-finder run produced."""

    profile: TechnologyProfile
    screen: CandidateScreen
    feedstock: FeedstockTable
    suppliers: SupplierPoints
    wanters: gpd.GeoDataFrame
    competitors: gpd.GeoDataFrame
    scored: ScoredSites

    @property
    def released(self) -> bool:
        """Whether the run stands on a protected release (a viewer's run), not on records."""
        return self.feedstock.released


def run_site_finder(programme: Programme, profile: TechnologyProfile,
                    candidates: gpd.GeoDataFrame, layers: SitingLayers, *,
                    graph: RoadGraph | None, weights: ScoreWeights | None = None,
                    competitor_layer: gpd.GeoDataFrame | None = None,
                    catalogue: Catalogue | None = None,
                    detour_factor: float = DEFAULT_DETOUR_FACTOR,
                    screen: CandidateScreen | None = None,
                    release: ProgrammeRelease | None = None,
                    parks: Sequence[str] = ()) -> SiteFinderRun:
    """Screen, gather and score: the whole site finder for one profile.

    Pass ``screen`` when the candidates were already screened with this profile. With a
    ``release`` (viewers), feedstock and wanters are its released figures (limited to
    ``parks`` when given: a park authority's grant) and competitors only ``competitor_layer``.
    Raises :class:`SitingError` when no candidate passes the rules (naming what each rule
    removed) or when there is no feedstock the profile accepts.
    """
    screen = screen or screen_candidates(candidates, profile, layers)
    # viewers measure to the parks (public), never to the member sites: distances to the
    # sites' extent from probe points would give away its edges, each one company's position
    area = programme.sites if release is None else programme.parks
    if screen.passing.empty and (far := far_from_sites(screen.sites, area)):
        raise SitingError(far)
    passing = screen.require_some()
    if release is None:
        feedstock = feedstock_records(programme, profile, catalogue=catalogue)
        wanters = output_wanters(programme, profile, catalogue=catalogue)
    else:
        feedstock = feedstock_from_release(release, profile, catalogue=catalogue, parks=parks)
        wanters = wanters_from_release(release, profile, catalogue=catalogue, parks=parks)
        if feedstock.records.empty:
            msg = _("No released feedstock for {profile}: the release streams {streams} hold "
                    "no tonnage a viewer may see at park or hexagon level (the disclosure rules "
                    "withhold it). Choose another technology.").format(
                profile=_(profile.name),
                streams=", ".join(feedstock.streams) or _("(none)"))
            raise SitingError(msg)
    suppliers = supplier_points(feedstock)
    competitors = competitor_sites(programme, profile, extra=competitor_layer,
                                   members=release is None)
    scored = score_sites_from_gdf(passing, suppliers, profile, graph=graph, weights=weights,
                                  wanters=wanters, competitors=competitors,
                                  detour_factor=detour_factor)
    return SiteFinderRun(profile=profile, screen=screen, feedstock=feedstock,
                         suppliers=suppliers, wanters=wanters, competitors=competitors,
                         scored=scored)


def find_sites(programme: Programme, profile: TechnologyProfile, source: CandidateSource, *,
               graph: RoadGraph | None, landuse: gpd.GeoDataFrame | None = None,
               roads: gpd.GeoDataFrame | None = None, resolution: int = 10,
               uploaded: gpd.GeoDataFrame | None = None, weights: ScoreWeights | None = None,
               competitor_layer: gpd.GeoDataFrame | None = None,
               release: ProgrammeRelease | None = None, parks: Sequence[str] = ()
               ) -> tuple[CandidateScreen, SiteFinderRun | None]:
    """Candidates from ``source``, screened and (when some pass) scored.

    Returns the screen and the run, or the screen and None when no candidate passes the
    siting rules (so a page can show which rule removed what). ``roads`` defaults to the
    graph's edges. ``release`` and ``parks``: a viewer's run (see :func:`run_site_finder`).
    """
    cands = candidate_set(programme, source, landuse=landuse, resolution=resolution,
                          uploaded=uploaded)
    if roads is None and graph is not None:
        roads = graph.edges
    layers = siting_layers(programme.parks, landuse=landuse, roads=roads)
    screen = screen_candidates(cands, profile, layers)
    if screen.passing.empty:
        return screen, None
    run = run_site_finder(programme, profile, cands, layers, graph=graph, weights=weights,
                          competitor_layer=competitor_layer, screen=screen, release=release,
                          parks=parks)
    return screen, run


RELAXATION_STEPS_M: tuple[float, ...] = (200.0, 150.0, 100.0, 75.0, 50.0, 25.0, 0.0)
"""Housing distances tried, largest first, by :func:`largest_housing_distance`."""


def largest_housing_distance(programme: Programme, profile: TechnologyProfile,
                             source: CandidateSource, *,
                             landuse: gpd.GeoDataFrame | None = None,
                             roads: gpd.GeoDataFrame | None = None, resolution: int = 10,
                             uploaded: gpd.GeoDataFrame | None = None,
                             steps_m: tuple[float, ...] = RELAXATION_STEPS_M) -> float | None:
    """The largest distance from housing (m, to 10 m) below the profile's at which a
    candidate passes.

    Used when no candidate passes: the page offers this relaxation in one click instead of
    leaving the user to guess. Only the housing rule is relaxed; the others stay as set.
    The first of ``steps_m`` that lets a candidate through is refined by halving the gap to
    the step above it, to the 10 m below the distance where the last candidate drops out
    (the page promises the largest distance, not the next round figure). Returns None when
    no step below the profile's distance lets a candidate through.
    """
    cands = candidate_set(programme, source, landuse=landuse, resolution=resolution,
                          uploaded=uploaded)
    layers = siting_layers(programme.parks, landuse=landuse, roads=roads)
    current = profile.rules.min_residential_distance_m

    def passes(d: float) -> bool:
        relaxed = profile.with_changes(rules={"min_residential_distance_m": d})
        return not screen_candidates(cands, relaxed, layers).passing.empty

    above = current
    for d in (s for s in steps_m if s < current):
        if passes(d):
            low, high = d, above  # passes at low, not at high
            while high - low > 10.0:
                mid = low + 10.0 * max(1, int((high - low) / 20.0))
                low, high = (mid, high) if passes(mid) else (low, mid)
            return low
        above = d
    return None
