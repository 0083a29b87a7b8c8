"""Feedstock, output markets and competitors of a technology, taken from a programme.

- :func:`feedstock_records` — the programme's *haves* a profile accepts (by catalogue code),
  with their stream, tonnes per year and output; records that cannot be used (no location,
  a unit other than t/yr) are counted in the report, never dropped silently.
- :func:`supplier_points` — the records summed per supplier site and stream: the supply
  points the scoring works on.
- :func:`output_wanters` — sites that want what the plant makes.
- :func:`competitor_sites` — member sites already running this kind of plant.

For viewers, :mod:`geo.siting.released` builds the same :class:`FeedstockTable` from a
protected release instead of records (``released=True``), and :func:`supplier_points` turns
it into pseudo-suppliers at hexagon centres.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalogue import Catalogue, load_catalogue
from geo.errors import SitingError
from geo.i18n import N_, _
from geo.programme import Programme, resources_with_sites
from geo.siting.profiles import TechnologyProfile

__all__ = [
    "COMPETITOR_SOURCES",
    "LOADED_LAYER",
    "MEMBER_SITE",
    "FeedstockTable",
    "SupplierPoints",
    "competitor_sites",
    "feedstock_records",
    "output_wanters",
    "supplier_points",
]

logger = logging.getLogger(__name__)

MEMBER_SITE = N_("member site")
"""``source`` of a competitor that is a member site (kept in English; ``_`` where shown)."""
LOADED_LAYER = N_("loaded layer")
"""``source`` of a competitor from a layer the user loads (likewise)."""
COMPETITOR_SOURCES = (MEMBER_SITE, LOADED_LAYER)


@dataclass(frozen=True)
class FeedstockTable:
    """Accepted *have* records of a programme for one profile.

    Attributes
    ----------
    records : GeoDataFrame
        EPSG:4326, one row per usable record: ``resource_id``, ``site_id``, ``site_name``,
        ``ewc_code``, ``stream``, ``tonnes_per_year``, ``output`` (in the profile's output
        unit), geometry (the site point).
    streams : tuple of str
        The profile's stream labels, in profile order.
    report : dict
        Counts of accepted records left out and why (``not located``, ``not in t/yr``) with
        their tonnage where known.
    released : bool
        True when the rows are released figures of a protected release (one per hexagon and
        release stream, ``site_id`` the hexagon) rather than records: see
        :func:`geo.siting.released.feedstock_from_release`.
    conversion : tuple of float
        Output per tonne of each of ``streams`` when they are not the profile's own streams
        (release streams); empty: the profile's conversions.
    """

    records: gpd.GeoDataFrame
    streams: tuple[str, ...]
    report: dict[str, float] = field(default_factory=dict)
    released: bool = False
    conversion: tuple[float, ...] = ()

    @property
    def total_t(self) -> float:
        """Usable accepted tonnage (t/yr)."""
        return float(self.records["tonnes_per_year"].sum())


def feedstock_records(programme: Programme, profile: TechnologyProfile, *,
                      catalogue: Catalogue | None = None) -> FeedstockTable:
    """The programme's haves that ``profile`` accepts.

    Parameters
    ----------
    programme : Programme
    profile : TechnologyProfile
    catalogue : Catalogue, optional
        Default :func:`geo.catalogue.load_catalogue`.
    """
    catalogue = catalogue or load_catalogue()
    codes = profile.codes(catalogue)
    conv = {s.label: s.conversion for s in profile.streams}
    res = resources_with_sites(programme)
    haves = res[res["direction"] == "have"].copy()
    haves["ewc_code"] = catalogue.normalise_codes(haves["ewc_code"])
    haves["stream"] = haves["ewc_code"].map(codes)
    acc = haves[haves["stream"].notna()]
    located = acc.geometry.notna() & ~acc.geometry.is_empty
    tonnes = pd.to_numeric(acc["tonnes_per_year"], errors="coerce")
    in_t = tonnes.notna() & (tonnes >= 0)
    report = {
        "accepted_records": float(len(acc)),
        "not_located_records": float((~located).sum()),
        "not_located_t": float(tonnes[~located].fillna(0).sum()),
        "not_tonnes_records": float((~in_t).sum()),
    }
    if report["not_located_records"] or report["not_tonnes_records"]:
        logger.info("Feedstock for %s: %d records not located, %d not in t/yr", profile.id,
                    report["not_located_records"], report["not_tonnes_records"])
    use = acc[located & in_t]
    out = gpd.GeoDataFrame({
        "resource_id": use["resource_id"].to_numpy(),
        "site_id": use["site_id"].to_numpy(),
        "site_name": use["site_name"].to_numpy(),
        "ewc_code": use["ewc_code"].to_numpy(),
        "stream": use["stream"].to_numpy(),
        "tonnes_per_year": tonnes[located & in_t].to_numpy(float),
    }, geometry=use.geometry.to_numpy(), crs=4326, index=use.index)
    out["output"] = out["tonnes_per_year"] * out["stream"].map(conv).astype(float)
    return FeedstockTable(records=out, streams=tuple(s.label for s in profile.streams),
                          report=report)


@dataclass(frozen=True)
class SupplierPoints:
    """Supply summed per supplier site: one row per site, one column per stream.

    Attributes
    ----------
    sites : GeoDataFrame
        EPSG:4326 points with ``site_id``, ``site_name``, ``tonnes_per_year``, ``output``.
    tonnes : ndarray, shape (n_sites, n_streams)
        t/yr of each stream at each site.
    streams : tuple of str
    released : bool
        The "sites" are released hexagons (pseudo-suppliers at cell centres), not members.
    conversion : tuple of float
        Output per tonne of each stream when the streams are not the profile's (see
        :class:`FeedstockTable`).
    """

    sites: gpd.GeoDataFrame
    tonnes: np.ndarray
    streams: tuple[str, ...]
    released: bool = False
    conversion: tuple[float, ...] = ()

    @property
    def lonlat(self) -> np.ndarray:
        """(n, 2) WGS84 coordinates."""
        return np.column_stack([self.sites.geometry.x, self.sites.geometry.y])


def supplier_points(feedstock: FeedstockTable) -> SupplierPoints:
    """Sum the feedstock rows per site (or released hexagon) and stream."""
    rec = feedstock.records
    streams = feedstock.streams
    if rec.empty:
        empty = gpd.GeoDataFrame({"site_id": [], "site_name": [], "tonnes_per_year": [],
                                  "output": []}, geometry=gpd.GeoSeries([], crs=4326), crs=4326)
        return SupplierPoints(sites=empty, tonnes=np.zeros((0, len(streams))), streams=streams,
                              released=feedstock.released, conversion=feedstock.conversion)
    pivot = (rec.pivot_table(index="site_id", columns="stream", values="tonnes_per_year",
                             aggfunc="sum", fill_value=0.0)
             .reindex(columns=list(streams), fill_value=0.0))
    first = rec.drop_duplicates("site_id").set_index("site_id").loc[pivot.index]
    sites = gpd.GeoDataFrame({
        "site_id": pivot.index.to_numpy(),
        "site_name": first["site_name"].to_numpy(),
        "tonnes_per_year": pivot.sum(axis=1).to_numpy(),
        "output": rec.groupby("site_id")["output"].sum().loc[pivot.index].to_numpy(),
    }, geometry=first.geometry.to_numpy(), crs=4326)
    return SupplierPoints(sites=sites, tonnes=pivot.to_numpy(float), streams=streams,
                          released=feedstock.released, conversion=feedstock.conversion)


def output_wanters(programme: Programme, profile: TechnologyProfile, *,
                   catalogue: Catalogue | None = None) -> gpd.GeoDataFrame:
    """Located sites that want the plant's output (EPSG:4326, one row per site).

    A site qualifies when it records a *want* whose class or catalogue code the profile's
    ``output_wanted_by`` names, or when its sector is one of the listed NACE codes.
    """
    market = profile.output_wanted_by
    catalogue = catalogue or load_catalogue()
    res = resources_with_sites(programme)
    wants = res[res["direction"] == "want"]
    hit = wants["resource_class"].isin(market.resource_classes)
    if market.selectors:
        codes = catalogue.codes_matching(list(market.selectors))
        hit |= catalogue.normalise_codes(wants["ewc_code"]).isin(codes)
    site_ids = set(wants.loc[hit, "site_id"])
    sites = programme.sites
    nace = sites["sector_nace"].astype(str)
    by_sector = pd.Series(False, index=sites.index)
    for code in market.nace:
        by_sector |= nace.str.startswith(code)
    chosen = sites[sites["site_id"].isin(site_ids) | by_sector]
    return chosen[chosen.geometry.notna() & ~chosen.geometry.is_empty][
        ["site_id", "name", "sector_nace", "geometry"]].reset_index(drop=True)


def competitor_sites(programme: Programme, profile: TechnologyProfile,
                     extra: gpd.GeoDataFrame | None = None, *,
                     members: bool = True) -> gpd.GeoDataFrame:
    """Existing plants of the same kind: member sites in ``competitor_nace`` plus ``extra``.

    ``extra`` is a layer the user loads (points or polygons, any CRS with one set); its
    ``name`` column is kept when present. ``members=False`` leaves member sites out (viewers:
    a member's sector is not theirs to see; their own layer is).
    """
    sites = programme.sites
    nace = sites["sector_nace"].astype(str)
    mask = pd.Series(False, index=sites.index)
    for code in profile.competitor_nace if members else ():
        mask |= nace.str.startswith(code)
    own = sites[mask & sites.geometry.notna() & ~sites.geometry.is_empty]
    frames = [gpd.GeoDataFrame({"name": own["name"].to_numpy(), "source": MEMBER_SITE},
                               geometry=own.geometry.to_numpy(), crs=4326)]
    if extra is not None and len(extra):
        if extra.crs is None:
            msg = _("The competitor layer has no CRS; set it (e.g. .set_crs('EPSG:4326')) "
                    "before loading it.")
            raise SitingError(msg)
        ex = extra.to_crs(4326)
        names = ex["name"].astype(str) if "name" in ex.columns else pd.Series(
            [f"Plant {i + 1}" for i in range(len(ex))], index=ex.index)
        frames.append(gpd.GeoDataFrame({"name": names.to_numpy(), "source": LOADED_LAYER},
                                       geometry=ex.geometry.representative_point().to_numpy(),
                                       crs=4326))
    return pd.concat(frames, ignore_index=True)
