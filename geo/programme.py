"""The programme model as frames: parks, member sites, contacts and resources.

This is the in-memory form every analysis works on. It is what :mod:`geo.store` loads and
saves, what :mod:`geo.demo` generates, and what the importer produces.

Frames and their columns (``*_COLUMNS`` below are the contract):

- ``parks`` — GeoDataFrame, EPSG:4326, polygon per park, with the location hierarchy a
  programme configures (``country`` → ``region`` → ``city`` → park).
- ``sites`` — GeoDataFrame, EPSG:4326, one point per member site (may be empty geometry when
  the site is not located yet), with how it was located (``location_precision``,
  ``location_source``).
- ``contacts`` — DataFrame of people at sites: personal data, shown only to practitioners.
- ``resources`` — DataFrame of haves and wants coded against the waste catalogue, with
  quantity, unit, frequency, current fate, disposal cost and provenance.

Quantities keep the unit they were given in (``t/yr``, ``m3/yr``, ``MWh/yr``); tonnage
analyses use ``t/yr`` rows (:func:`tonnes_per_year`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import CRSError
from geo.i18n import _

__all__ = [
    "CONTACT_COLUMNS",
    "DIRECTIONS",
    "FATES",
    "FREQUENCIES",
    "PARK_COLUMNS",
    "PRECISIONS",
    "PROVENANCES",
    "RESOURCE_CLASSES",
    "RESOURCE_COLUMNS",
    "SITE_COLUMNS",
    "UNITS",
    "Programme",
    "empty_programme",
    "is_blank",
    "precision_rank",
    "resources_with_sites",
    "tonnes_per_year",
]

WGS84: Final = "EPSG:4326"

PARK_COLUMNS: Final = ["park_id", "name", "country", "region", "city", "source"]
SITE_COLUMNS: Final = [
    "site_id",
    "name",
    "sector_nace",
    "address",
    "postcode",
    "city",
    "country",
    "park_id",
    "location_precision",
    "location_source",
    "provenance",
    "recorded_on",
]
CONTACT_COLUMNS: Final = ["contact_id", "site_id", "name", "role", "email", "phone"]
RESOURCE_COLUMNS: Final = [
    "resource_id",
    "site_id",
    "direction",
    "resource_class",
    "ewc_code",
    "hazardous",
    "description",
    "quantity",
    "unit",
    "frequency",
    "fate",
    "disposal_cost_per_year",
    "provenance",
    "recorded_on",
]

DIRECTIONS: Final = ("have", "want")
RESOURCE_CLASSES: Final = ("material", "energy", "water", "logistics")
"""``material`` rows carry a 6-digit catalogue code; energy (MWh/yr), water (m3/yr) and
logistics capacity may have none."""
UNITS: Final = ("t/yr", "m3/yr", "MWh/yr")
FREQUENCIES: Final = ("continuous", "daily", "weekly", "fortnightly", "monthly", "quarterly",
                      "annual", "one-off")
FATES: Final = ("landfill", "incineration", "recycling", "recovery", "reuse", "other", "unknown")
PROVENANCES: Final = ("workshop", "site visit", "survey", "public register", "import file",
                      "demo generator", "manual entry")

PRECISIONS: Final = ("manual", "exact", "building", "postcode", "street", "district", "town",
                     "not_found")
"""How precisely a site is placed, best first. ``manual`` = set by hand on the map (never
overwritten by a batch run); ``exact`` = coordinates given in the record."""


def is_blank(value: object) -> bool:
    """Whether a recorded field holds nothing to show: None, NaN, NA, NaT or only spaces.

    >>> [is_blank(v) for v in (None, float("nan"), pd.NA, "  ", "Kotka", 0)]
    [True, True, True, True, False, False]
    """
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return True
    return not str(value).strip()


def precision_rank(precision: pd.Series) -> pd.Series:
    """Rank of each precision label, 0 = best; unknown labels rank last.

    Examples
    --------
    >>> precision_rank(pd.Series(["exact", "town", "nonsense"])).tolist()
    [1, 6, 8]
    """
    order = {p: i for i, p in enumerate(PRECISIONS)}
    return precision.map(order).fillna(len(PRECISIONS)).astype(int)


def _empty_gdf(columns: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in columns},
                            geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)


@dataclass
class Programme:
    """A programme's records as frames (see the module docstring for the columns).

    Attributes
    ----------
    name : str
        The programme's name, shown in the app.
    parks, sites : GeoDataFrame
        EPSG:4326.
    contacts, resources : DataFrame
    illustrative : bool
        True when the quantities are generated demo figures, which the UI must label.
    region_name : str
        The region the programme covers (used to pick the road network).
    """

    name: str
    parks: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    contacts: pd.DataFrame
    resources: pd.DataFrame
    illustrative: bool = False
    region_name: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for label, frame in (("parks", self.parks), ("sites", self.sites)):
            if frame.crs is None:
                msg = (_("Programme parks have no CRS; set it with .set_crs('EPSG:4326').")
                       if label == "parks" else
                       _("Programme sites have no CRS; set it with .set_crs('EPSG:4326')."))
                raise CRSError(msg)
            if not frame.crs.equals(WGS84):
                msg = (_("Programme parks must be stored in EPSG:4326 (WGS84), got {crs}; "
                         "reproject with .to_crs('EPSG:4326').") if label == "parks" else
                       _("Programme sites must be stored in EPSG:4326 (WGS84), got {crs}; "
                         "reproject with .to_crs('EPSG:4326').")).format(crs=frame.crs)
                raise CRSError(msg)

    def restricted_to_parks(self, park_ids: Sequence[str]) -> Programme:
        """The programme as a person limited to ``park_ids`` may see it.

        Only those parks, their sites, and the sites' contacts and resources are kept (a
        park authority's grant names its parks; an empty list keeps everything).

        Examples
        --------
        >>> from geo.demo import load_demo_programme
        >>> p = load_demo_programme().restricted_to_parks(["KAR-P1"])
        >>> p.parks["park_id"].tolist(), set(p.sites["park_id"])
        (['KAR-P1'], {'KAR-P1'})
        """
        if not park_ids:
            return self
        keep = {str(p) for p in park_ids}
        sites = self.sites[self.sites["park_id"].astype("string").isin(keep).fillna(False)]
        ids = set(sites["site_id"])
        return replace(self, parks=self.parks[self.parks["park_id"].isin(keep)],
                       sites=sites,
                       contacts=self.contacts[self.contacts["site_id"].isin(ids)],
                       resources=self.resources[self.resources["site_id"].isin(ids)])

    def summary(self) -> dict[str, float]:
        """Headline figures: members, parks, resource records, haves, wants, tonnes (t/yr)."""
        res = self.resources
        tonnes = tonnes_per_year(res)
        return {
            "members": len(self.sites),
            "parks": len(self.parks),
            "resources": len(res),
            "haves": int((res["direction"] == "have").sum()),
            "wants": int((res["direction"] == "want").sum()),
            "tonnes_have": float(tonnes[res["direction"] == "have"].sum()),
            "tonnes_want": float(tonnes[res["direction"] == "want"].sum()),
            "located": int((~self.sites.geometry.is_empty & self.sites.geometry.notna()).sum()),
        }


def empty_programme(name: str = "New programme") -> Programme:
    """A programme with no records (all frames present with their columns)."""
    return Programme(
        name=name,
        parks=_empty_gdf(PARK_COLUMNS),
        sites=_empty_gdf(SITE_COLUMNS),
        contacts=pd.DataFrame({c: pd.Series(dtype=object) for c in CONTACT_COLUMNS}),
        resources=pd.DataFrame({c: pd.Series(dtype=object) for c in RESOURCE_COLUMNS}),
    )


def tonnes_per_year(resources: pd.DataFrame) -> pd.Series:
    """Quantity in t/yr for rows whose unit is ``t/yr``, NaN for other units.

    Logistics rows (spare vehicle capacity, recorded in t/yr) are not tonnes of a resource and
    give NaN too.

    Examples
    --------
    >>> df = pd.DataFrame({"quantity": [5.0, 7.0], "unit": ["t/yr", "MWh/yr"]})
    >>> tonnes_per_year(df).tolist()[0]
    5.0
    """
    qty = pd.to_numeric(resources["quantity"], errors="coerce")
    is_tonnes = resources["unit"] == "t/yr"
    if "resource_class" in resources.columns:
        is_tonnes &= resources["resource_class"].fillna("material") != "logistics"
    return qty.where(is_tonnes, np.nan)


def resources_with_sites(programme: Programme) -> gpd.GeoDataFrame:
    """Each resource record with its site's point, name, sector and park (EPSG:4326).

    The index is the resources' index. Adds ``site_name``, ``sector_nace``, ``park_id``,
    ``location_precision``, ``tonnes_per_year`` and ``geometry``; a resource whose site is
    not located has an empty/missing geometry (count those; never drop them silently).
    """
    sites = programme.sites[["site_id", "name", "sector_nace", "park_id", "location_precision",
                             "geometry"]].rename(columns={"name": "site_name"})
    res = programme.resources.drop(
        columns=[c for c in ("site_name", "sector_nace", "park_id", "location_precision",
                             "geometry", "tonnes_per_year") if c in programme.resources.columns]
    )
    index = programme.resources.index
    merged = res.reset_index(drop=True).merge(sites, on="site_id", how="left", validate="m:1")
    merged.index = index
    merged["tonnes_per_year"] = tonnes_per_year(merged)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)
