"""Best sites as maps: plants, supplier → plant flows and catchment polygons.

:func:`best_sites_from_scored` is the adapter over :func:`geo.siting.locate.solve_best_sites`:
it takes the top-ranked candidates of a scored ranking, builds their supplier × candidate
haul matrix (road network or the labelled straight-line stand-in), solves, and returns
GeoDataFrames (EPSG:4326) ready to draw and export:

- ``plants`` — the chosen sites with their tonnage and number of suppliers;
- ``flows`` — one line per supplier → plant flow with tonnes, km, cost and CO2e;
- ``catchments`` — per plant, the area its suppliers lie in (convex hull of the plant and its
  suppliers, buffered by ``pad_m`` in a metric CRS).

:func:`road_reach_polygon` draws the area reachable within the haul limit over the network.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely

from geo.confidentiality import can_see_companies
from geo.errors import SitingError
from geo.i18n import _, format_number, format_percent, ngettext
from geo.network import snap_points, travel_matrix
from geo.siting.finder import viewer_only_released
from geo.siting.locate import Allocation, Objective, method_label, solve_best_sites
from geo.siting.released import round_significant

if TYPE_CHECKING:
    from geo.network import RoadGraph
    from geo.settings import Role
    from geo.siting.feedstock import SupplierPoints
    from geo.siting.finder import ScoredSites

__all__ = ["BestSites", "best_sites_for_role", "best_sites_from_scored", "plant_label",
           "road_reach_polygon"]

logger = logging.getLogger(__name__)

_PLANT = re.compile(r"Plant (\d+)")


def plant_label(plant: object) -> str:
    """A plant's name (``Plant 2``, kept in English in tables and files) as the reader's
    language writes it; other names as given."""
    found = _PLANT.fullmatch(str(plant))
    # Translators: the name of a chosen plant, numbered.
    return _("Plant {n}").format(n=found[1]) if found else str(plant)


@dataclass(frozen=True)
class BestSites:
    """The chosen plants, flows and catchments (all EPSG:4326), with the solver's result."""

    allocation: Allocation
    plants: gpd.GeoDataFrame
    flows: gpd.GeoDataFrame
    catchments: gpd.GeoDataFrame
    unserved: gpd.GeoDataFrame
    method: str
    requested: int = 0
    released: bool = False
    """Chosen on a protected release's pseudo-suppliers (hexagons): a viewer's best sites."""
    min_throughput_t: float = 0.0
    """The profile's minimum viable throughput (t/yr) the plants are judged against."""

    @property
    def short_of_minimum(self) -> int:
        """How many chosen plants take less feedstock than the minimum viable throughput."""
        if "meets_minimum" not in self.plants:
            return 0
        return int((~self.plants["meets_minimum"].astype(bool)).sum())

    def describe(self) -> str:
        """How the plants were chosen, how good the answer is proven to be, and whether every
        plant reaches the minimum viable throughput."""
        a = self.allocation
        n = len(a.unserved)
        if self.released:
            unserved = ngettext("{n} hexagon unserved", "{n} hexagons unserved", n)
        else:
            unserved = ngettext("{n} supplier site unserved", "{n} supplier sites unserved", n)
        unserved = unserved.format(n=format_number(n))
        if a.proven_optimal:
            # Translators: {method} is how the sites were found, e.g. p-median (lagrangian).
            text = _("{method}: proven optimal; {unserved}").format(
                method=method_label(a.method), unserved=unserved)
        else:
            text = _("{method}: proven gap {gap}; {unserved}").format(
                method=method_label(a.method), gap=format_percent(a.gap, digits=2),
                unserved=unserved)
        if self.requested > len(self.plants):
            return ngettext(
                "{text}; only {n} of {requested} plant is worth opening (each must reach the "
                "minimum throughput).",
                "{text}; only {n} of {requested} plants are worth opening (each must reach the "
                "minimum throughput).", self.requested).format(
                text=text, n=format_number(len(self.plants)),
                requested=format_number(self.requested))
        short = self.short_of_minimum
        if short:
            # Translators: {text} says how the plants were chosen; {k} of {n} plants take less
            # feedstock than the profile's minimum {minimum} (t/yr).
            return ngettext(
                "{text}. {k} of {n} plants falls short of the minimum throughput ({minimum} "
                "t/yr), so it is not viable as it stands: choose fewer plants, or the "
                "capacitated objective, which opens only plants that reach it.",
                "{text}. {k} of {n} plants fall short of the minimum throughput ({minimum} "
                "t/yr), so they are not viable as they stand: choose fewer plants, or the "
                "capacitated objective, which opens only plants that reach it.", short).format(
                text=text, k=format_number(short), n=format_number(len(self.plants)),
                minimum=format_number(self.min_throughput_t))
        return _("{text}.").format(text=text)


def best_sites_from_scored(scored: ScoredSites, suppliers: SupplierPoints, p: int, *,
                           objective: Objective = "p-median", top_n: int = 150,
                           pad_m: float = 150.0, time_limit_s: float = 10.0) -> BestSites:
    """Choose ``p`` plants among the ``top_n`` best-ranked reachable candidates.

    Parameters
    ----------
    scored : ScoredSites
        From :func:`geo.siting.finder.score_sites_from_gdf`.
    suppliers : SupplierPoints
        The same supplier points the ranking was scored with.
    p : int
        Number of plants.
    objective : {"p-median", "max-cover", "capacitated"}
    top_n : int
        Candidates considered (best ranks first); more is slower.
    pad_m : float
        Buffer of the catchment polygons (metres).
    time_limit_s : float
        Solver time limit.
    """
    ranked = scored.sites[scored.sites["rank"].notna()].head(top_n)
    if len(ranked) < p:
        msg = ngettext("Only {n} reachable candidate sites are available for {p} plant; ask "
                       "for fewer plants or add candidate sites.",
                       "Only {n} reachable candidate sites are available for {p} plants; ask "
                       "for fewer plants or add candidate sites.", p).format(
            n=format_number(len(ranked)), p=format_number(p))
        raise SitingError(msg)
    pos = scored.input_index.get_indexer(ranked.index)
    h = scored.haul
    dist = (h.distance_m[h.row_of[pos]] + h.offset_m[pos, None]).T  # groups × candidates
    dist_sup = dist[h.group_of]  # supply points × candidates
    tonnes = suppliers.sites["tonnes_per_year"].to_numpy(float)
    prm = scored.params
    alloc = solve_best_sites(dist_sup, tonnes, p, objective=objective,
                             max_haul_m=prm.max_haul_m, cost_per_tkm=prm.cost_per_tkm,
                             capacity_t=prm.max_throughput_t,
                             min_throughput_t=prm.min_throughput_t,
                             site_preference=ranked["score"].to_numpy(float),
                             time_limit_s=time_limit_s)
    chosen = ranked.iloc[alloc.sites]
    per_site = alloc.flows.groupby("site").agg(tonnes=("tonnes", "sum"),
                                               suppliers=("supplier", "nunique"))
    per_site = per_site.reindex(alloc.sites, fill_value=0)
    plants = gpd.GeoDataFrame({
        "plant": [f"Plant {i + 1}" for i in range(len(chosen))],
        "candidate_id": chosen["candidate_id"].to_numpy() if "candidate_id" in chosen else
        chosen.index.astype(str).to_numpy(),
        "name": chosen["name"].astype(str).to_numpy() if "name" in chosen else "",
        "rank": chosen["rank"].to_numpy(),
        "tonnes_per_year": per_site["tonnes"].to_numpy(float),
        "suppliers": per_site["suppliers"].to_numpy(int),
        "meets_minimum": per_site["tonnes"].to_numpy(float) >= prm.min_throughput_t,
    }, geometry=chosen.geometry.to_numpy(), crs=4326)
    plant_of_site = dict(zip(alloc.sites.tolist(), range(len(chosen)), strict=True))
    f = alloc.flows
    sup_pts = suppliers.sites.geometry.to_numpy()
    plant_pts = plants.geometry.to_numpy()
    plant_idx = f["site"].map(plant_of_site).to_numpy(int)
    km = f["distance_m"].to_numpy(float) / 1000.0
    flows = gpd.GeoDataFrame({
        "supplier_id": suppliers.sites["site_id"].to_numpy()[f["supplier"].to_numpy(int)],
        "supplier": suppliers.sites["site_name"].astype(str).to_numpy()[
            f["supplier"].to_numpy(int)],
        "plant": plants["plant"].to_numpy()[plant_idx],
        "tonnes_per_year": f["tonnes"].to_numpy(float),
        "haul_km": km,
        "within_haul": f["within_haul"].to_numpy(bool),
        "transport_cost_eur": f["tonnes"].to_numpy(float) * km * prm.cost_per_tkm,
        "transport_co2e_t": f["tonnes"].to_numpy(float) * km * prm.co2e_kg_per_tkm / 1000.0,
    }, geometry=shapely.linestrings(
        np.stack([np.column_stack([shapely.get_x(sup_pts[f["supplier"].to_numpy(int)]),
                                   shapely.get_y(sup_pts[f["supplier"].to_numpy(int)])]),
                  np.column_stack([shapely.get_x(plant_pts[plant_idx]),
                                   shapely.get_y(plant_pts[plant_idx])])], axis=1))
        if len(f) else [], crs=4326)
    catchments = _catchment_polygons(plants, flows, suppliers, pad_m)
    unserved = suppliers.sites.iloc[alloc.unserved][["site_id", "site_name", "tonnes_per_year",
                                                     "geometry"]]
    return BestSites(allocation=alloc, plants=plants, flows=flows, catchments=catchments,
                     unserved=unserved.reset_index(drop=True), method=scored.method,
                     requested=int(p), released=suppliers.released,
                     min_throughput_t=float(prm.min_throughput_t))


def _catchment_polygons(plants: gpd.GeoDataFrame, flows: gpd.GeoDataFrame,
                        suppliers: SupplierPoints, pad_m: float) -> gpd.GeoDataFrame:
    """Convex hull of each plant and its suppliers, buffered, in a metric CRS."""
    if plants.empty:
        return gpd.GeoDataFrame({"plant": [], "tonnes_per_year": []},
                                geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    metric = plants.estimate_utm_crs()
    plant_m = plants.to_crs(metric)
    sup_m = suppliers.sites.set_index("site_id").to_crs(metric).geometry
    polys = []
    for row in plant_m.itertuples():
        ids = flows.loc[flows["plant"] == row.plant, "supplier_id"]
        pts = [row.geometry, *sup_m.loc[sup_m.index.isin(ids)].to_numpy()]
        polys.append(shapely.buffer(shapely.convex_hull(shapely.multipoints(pts)), pad_m))
    out = gpd.GeoDataFrame({"plant": plants["plant"].to_numpy(),
                            "tonnes_per_year": plants["tonnes_per_year"].to_numpy(),
                            "suppliers": plants["suppliers"].to_numpy()},
                           geometry=polys, crs=metric)
    return out.to_crs(4326)


def road_reach_polygon(graph: RoadGraph, lon: float, lat: float, limit_m: float, *,
                       ratio: float = 0.3) -> shapely.Geometry:
    """Area (EPSG:4326) from which the network reaches the point within ``limit_m``.

    The concave hull (``ratio``: 0 tight, 1 convex) of every node whose road distance to
    the point is within the limit.
    """
    snap = snap_points(graph, [lon], [lat])
    tm = travel_matrix(graph, np.arange(graph.n_nodes), snap.node, limit_m=float(limit_m),
                       with_time=False)
    near = np.flatnonzero(np.isfinite(tm.distance_m[:, 0]))
    pts = shapely.multipoints(np.column_stack([graph.x[near], graph.y[near]]))
    hull = shapely.concave_hull(pts, ratio=ratio)
    return gpd.GeoSeries([hull], crs=graph.crs_metric).to_crs(4326).iloc[0]


def best_sites_for_role(best: BestSites, *, role: Role
                        ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Plants, flows and catchments as a viewer of ``role`` may see them.

    Practitioners see everything. A viewer's best sites must stand on the protected release
    (refused otherwise): plants and catchments count ``cells`` (released hexagons) instead
    of suppliers, with tonnages to two significant figures; flows keep only the plant, the
    haul and whether it is within the limit (no supplier, no tonnage).
    """
    if can_see_companies(role):
        return best.plants, best.flows, best.catchments
    viewer_only_released(role, released=best.released, what="choice of best sites")

    def banded(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        out = frame.rename(columns={"suppliers": "cells"})
        out["tonnes_per_year"] = round_significant(out["tonnes_per_year"].to_numpy(float))
        return out

    flows = best.flows[["plant", "haul_km", "within_haul", "geometry"]].copy()
    flows["haul_km"] = flows["haul_km"].round(1)
    return banded(best.plants), flows, banded(best.catchments)
