"""The site finder on GeoDataFrames: candidates and suppliers in, a scored ranking out.

:func:`score_sites_from_gdf` is the thin adapter over :func:`geo.siting.scoring.score_sites`:
it validates the frames' CRS, builds the haul matrix over the road network (or the labelled
straight-line stand-in), measures the haul to the nearest wanter of the output and counts
competing plants within the haul limit, then scores. :func:`ranking_for_role` gives the
ranking as a viewer may see it: viewers' rankings stand on a protected release (see
:mod:`geo.siting.released`) and are shown banded, with hexagons counted instead of suppliers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.confidentiality import can_see_companies
from geo.errors import ConfidentialityError, CRSError, SitingError
from geo.i18n import N_, _, format_number, ngettext
from geo.network import DEFAULT_DETOUR_FACTOR, RoadGraph, travel_matrix_for_points
from geo.siting.haul import HaulMatrix, haul_matrix
from geo.siting.released import round_significant
from geo.siting.scoring import CRITERIA, ScoreWeights, ScoringParams, score_sites

if TYPE_CHECKING:
    from geo.settings import Role
    from geo.siting.feedstock import SupplierPoints
    from geo.siting.profiles import TechnologyProfile

__all__ = ["ScoredSites", "ranking_for_role", "score_sites_from_gdf", "suppliers_in_reach",
           "viewer_only_released"]

logger = logging.getLogger(__name__)

BANDED_COLUMNS = ("feedstock_t", "used_t", "output", "gate_fee_eur", "transport_cost_eur",
                  "transport_co2e_t", "mean_haul_km")
"""Ranking figures a viewer sees to two significant figures (also every ``t_<stream>``)."""
POINT_COLUMNS = ("score", *(f"c_{c}" for c in CRITERIA))
"""Score points (of 100) a viewer sees as whole points."""
SHARE_COLUMNS = (*(f"s_{c}" for c in CRITERIA), "largest_share")
"""Criteria and shares (0–1) a viewer sees to two decimals."""


@dataclass(frozen=True)
class ScoredSites:
    """A scored ranking and everything it was computed from.

    Attributes
    ----------
    sites : GeoDataFrame
        EPSG:4326 candidate points with the columns of :func:`score_sites` (plus the
        candidates' own columns), sorted by rank (unranked last).
    haul : HaulMatrix
        Supply groups → candidates (in the input order of the candidates).
    supply_t : ndarray, shape (n_groups, n_streams)
        Tonnage per supply group and stream.
    streams : tuple of str
    method : str
        ``"road"`` or ``"straight-line"``; the page labels straight-line figures.
    weights : ScoreWeights
    params : ScoringParams
    input_index : Index
        The candidates' index in input order (the haul matrix's candidate order).
    released : bool
        Scored on a protected release's pseudo-suppliers (a viewer's ranking).
    """

    sites: gpd.GeoDataFrame
    haul: HaulMatrix
    supply_t: np.ndarray
    streams: tuple[str, ...]
    method: str
    weights: ScoreWeights
    params: ScoringParams
    input_index: pd.Index
    released: bool = False

    @property
    def criteria(self) -> np.ndarray:
        """The ``s_<criterion>`` columns as an array (rank order of :attr:`sites`)."""
        return np.asarray(self.sites[[f"s_{c}" for c in CRITERIA]].to_numpy(float))


_POINTS: Final = {"candidate sites": N_("candidate sites"), "wanters": N_("wanters"),
                  "competitors": N_("competitors")}
"""The point layers :func:`_points_4326` checks, as named in its messages (marked)."""
_VIEWS: Final = {"memo": N_("memo"), "site ranking": N_("site ranking"),
                 "choice of best sites": N_("choice of best sites")}
"""What :func:`viewer_only_released` may refuse, as named in its message (marked)."""


def _points_4326(gdf: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        # Translators: {what} is "candidate sites", "wanters" or "competitors" (translated).
        msg = _("The {what} have no CRS; set it with .set_crs('EPSG:4326') before "
                "scoring.").format(what=_(_POINTS[what]) if what in _POINTS else what)
        raise CRSError(msg)
    out = gdf.to_crs(4326)
    bad = out.geometry.isna() | out.geometry.is_empty
    if bad.any():
        n = int(bad.sum())
        msg = ngettext("{n} of the {what} has no location (e.g. {examples}); locate it or "
                       "leave it out before scoring.",
                       "{n} of the {what} have no location (e.g. {examples}); locate them or "
                       "leave them out before scoring.", n).format(
            n=format_number(n), what=_(_POINTS[what]) if what in _POINTS else what,
            examples=", ".join(map(str, out.index[bad][:3].tolist())))
        raise SitingError(msg)
    if not (out.geom_type == "Point").all():
        out = out.set_geometry(out.geometry.representative_point())
    return out


def _lonlat(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return np.column_stack([gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()])


def score_sites_from_gdf(
    candidates: gpd.GeoDataFrame,
    suppliers: SupplierPoints,
    profile: TechnologyProfile,
    *,
    graph: RoadGraph | None = None,
    weights: ScoreWeights | None = None,
    wanters: gpd.GeoDataFrame | None = None,
    competitors: gpd.GeoDataFrame | None = None,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
) -> ScoredSites:
    """Score candidate sites for ``profile`` over the road network.

    Parameters
    ----------
    candidates : GeoDataFrame
        Candidate sites (points, or polygons scored at a point inside), any CRS with one set.
    suppliers : SupplierPoints
        From :func:`geo.siting.feedstock.supplier_points`.
    profile : TechnologyProfile
    graph : RoadGraph, optional
        The region's network; None uses straight-line × ``detour_factor`` (flagged in
        :attr:`ScoredSites.method`).
    weights : ScoreWeights, optional
    wanters, competitors : GeoDataFrame, optional
        Sites wanting the output; existing plants of the same kind.
    detour_factor : float
        For the straight-line stand-in.
    """
    cand = _points_4326(candidates, "candidate sites")
    if cand.empty:
        msg = _("There are no candidate sites to score; choose a candidate source with some.")
        raise SitingError(msg)
    if suppliers.tonnes.sum() <= 0:
        msg = _("No feedstock for {profile}: no supplier in the programme records a stream it "
                "accepts ({codes}). Record those haves, or choose another technology.").format(
            profile=_(profile.name), codes=", ".join(s.selector for s in profile.streams))
        raise SitingError(msg)
    params = ScoringParams.from_profile(profile)
    if suppliers.conversion:  # release streams, not the profile's own streams
        params = replace(params, conversion=suppliers.conversion)
    weights = weights or ScoreWeights()
    cand_ll = _lonlat(cand)
    haul = haul_matrix(graph, cand_ll, suppliers.lonlat, detour_factor=detour_factor,
                       with_time=params.max_haul_s is not None)
    supply_t = haul.group_sum(suppliers.tonnes)
    producers = haul.group_sum(np.ones(len(suppliers.sites)))
    limit = params.max_haul_m
    market = None
    if wanters is not None and len(wanters):
        tm = travel_matrix_for_points(graph, cand_ll, _lonlat(_points_4326(wanters, "wanters")),
                                      with_time=False, detour_factor=detour_factor)
        market = np.where(np.isfinite(haul.offset_m), tm.distance_m.min(axis=1), np.inf)
    n_comp = None
    if competitors is not None and len(competitors):
        tm = travel_matrix_for_points(graph, _lonlat(_points_4326(competitors, "competitors")),
                                      cand_ll, with_time=False, detour_factor=detour_factor)
        n_comp = (tm.distance_m <= limit).sum(axis=0).astype(float)
    table = score_sites(haul.distance_m, supply_t, params, weights=weights, time_s=haul.time_s,
                        producers=producers, row_of=haul.row_of, offset_m=haul.offset_m,
                        offset_s=haul.offset_s, extra_tm=haul.rounding_tm(suppliers.tonnes.sum(1)),
                        market_distance_m=market, competitors=n_comp,
                        streams=suppliers.streams)
    table.index = cand.index
    keep = [c for c in cand.columns if c not in table.columns and c != "geometry"]
    sites = gpd.GeoDataFrame(pd.concat([cand[keep], table], axis=1),
                             geometry=cand.geometry, crs=4326)
    sites["haul_method"] = haul.method
    sites = sites.sort_values("rank", na_position="last", kind="stable")
    logger.info("Scored %d candidates for %s (%s)", len(sites), profile.id, haul.method)
    return ScoredSites(sites=sites, haul=haul, supply_t=supply_t, streams=suppliers.streams,
                       method=haul.method, weights=weights, params=params,
                       input_index=cand.index, released=suppliers.released)


def suppliers_in_reach(scored: ScoredSites, suppliers: SupplierPoints, *,
                       limit: int = 12) -> pd.Series:
    """Names of the suppliers within the haul limit of each candidate (practitioners only).

    Returns a Series of ``"name (t/yr); …"`` strings, largest first, on the ranking's index.
    """
    h = scored.haul
    position = scored.input_index.get_indexer(scored.sites.index)
    reach = h.distance_m[:, h.group_of]  # rows × supply points
    tonnes = suppliers.sites["tonnes_per_year"].to_numpy(float)
    names = suppliers.sites["site_name"].astype(str).to_numpy()
    out = []
    for pos in position:
        d = reach[h.row_of[pos]] + h.offset_m[pos]
        near = np.flatnonzero(d <= scored.params.max_haul_m)
        near = near[np.argsort(-tonnes[near], kind="stable")][:limit]
        # A column of the ranking (also in its CSV): kept in one machine-readable form.
        out.append("; ".join(f"{names[i]} ({tonnes[i]:,.0f} t/yr)" for i in near))
    return pd.Series(out, index=scored.sites.index, name="supplier_names")


def viewer_only_released(role: Role, *, released: bool, what: str) -> None:
    """Refuse to show a viewer ``what`` unless it stands on a protected release.

    Raises
    ------
    ConfidentialityError
        For a viewer's figures computed from records (run the site finder with the
        programme's release instead).
    """
    if not can_see_companies(role) and not released:
        # Translators: {what} is "memo", "site ranking" or "choice of best sites" (translated).
        msg = _("The {what} was computed from member records; a viewer may only see one "
                "computed from the programme's protected release (pass release= to "
                "geo.siting.find_sites / run_site_finder).").format(
            what=_(_VIEWS[what]) if what in _VIEWS else what)
        raise ConfidentialityError(msg)


def ranking_for_role(sites: pd.DataFrame, *, role: Role, released: bool = False
                     ) -> pd.DataFrame:
    """The ranking as a viewer of ``role`` may see it.

    Practitioners see everything. A viewer's ranking must stand on the protected release
    (``released``; refused otherwise): it has no supplier names, ``suppliers`` becomes
    ``cells`` (released hexagons within reach, not producers), tonnages and money to two
    significant figures, score points whole and criteria to two decimals (the release
    already applies the programme's disclosure rules).
    """
    if can_see_companies(role):
        return sites
    viewer_only_released(role, released=released, what="site ranking")
    out = sites.drop(columns=[c for c in ("supplier_names",) if c in sites.columns])
    out = out.rename(columns={"suppliers": "cells"})
    for col in out.columns:
        if col in BANDED_COLUMNS or col.startswith("t_"):
            out[col] = round_significant(out[col].to_numpy(float))
        elif col in POINT_COLUMNS:
            out[col] = out[col].astype(float).round(0)
        elif col in SHARE_COLUMNS:
            out[col] = out[col].astype(float).round(2)
    return out
