"""A programme as the flat record table the matcher works on (one row per resource).

:func:`prepare_records` joins each resource to its site's position, park and sector, gives it
its matching key (:func:`record_key`) and frequency rank, and notes what cannot be matched
(unknown, unlocated or archived sites; uncoded material haves) instead of dropping it.
Coordinates are WGS84 (:func:`site_lonlat`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.programme import FREQUENCIES, tonnes_per_year
from geo.synergies.text import Note

if TYPE_CHECKING:
    from geo.programme import Programme

__all__ = ["archived_mask", "prepare_records", "record_key", "site_lonlat"]

logger = logging.getLogger(__name__)

_FREQ_RANK = {f: i for i, f in enumerate(FREQUENCIES)}


def archived_mask(sites: pd.DataFrame) -> pd.Series:
    """True for sites marked archived (``archived`` true or an ``archived_at`` date)."""
    mask = pd.Series(False, index=sites.index)
    if "archived" in sites.columns:
        mask |= sites["archived"].fillna(False).astype(bool)
    if "archived_at" in sites.columns:
        mask |= sites["archived_at"].notna()
    return mask


def site_lonlat(sites: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each site's point (NaN where not located), EPSG:4326."""
    geom = sites.geometry
    located = (geom.notna() & ~geom.is_empty).to_numpy()
    lon = np.full(len(sites), np.nan)
    lat = np.full(len(sites), np.nan)
    if located.any():
        pts = geom[located]
        lon[located] = pts.x.to_numpy()
        lat[located] = pts.y.to_numpy()
    return lon, lat


def record_key(code: pd.Series, klass: pd.Series) -> pd.Series:
    """The matching key: the catalogue code, ``class:<class>`` for uncoded non-material
    records, and "" for uncoded material records (which cannot be matched)."""
    has_code = code.notna() & (code.astype(str) != "")
    key = pd.Series("", index=code.index, dtype=object)
    key[has_code] = code[has_code].astype(str)
    uncoded = ~has_code & klass.notna() & (klass != "material")
    key[uncoded] = "class:" + klass[uncoded].astype(str)
    return key


def prepare_records(programme: Programme
                    ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, list[Note]]:
    """Flat record table, site coordinates and notes on what could not be used.

    Returns
    -------
    records : DataFrame
        Positional index; ``resource_id``, ``site_id``, ``site`` (position in the site
        arrays), ``site_name``, ``direction``, ``klass``, ``code``, ``key``, ``sector``,
        ``park``, ``quantity``, ``unit``, ``tonnes``, ``freq`` (rank, -1 unknown),
        ``hazardous``, ``description``, ``fate``, ``active`` (site not archived), and integer
        ``unit_code`` and ``park_code`` (-1 for none) for fast comparisons.
    lon, lat : ndarray
        Per site position (one extra NaN slot at the end for records of unknown sites).
    notes : list of Note
        What could not be used, translated when shown (``str(note)``).
    """
    sites = programme.sites.reset_index(drop=True)
    res = programme.resources.reset_index(drop=True)
    notes: list[Note] = []
    lon, lat = site_lonlat(sites)
    lon = np.append(lon, np.nan)
    lat = np.append(lat, np.nan)
    pos = pd.Series(np.arange(len(sites)), index=sites["site_id"].to_numpy())
    pos = pos[~pos.index.duplicated()]
    site = res["site_id"].map(pos)
    unknown = int(site.isna().sum())
    if unknown:
        notes.append(Note.ngettext(
            "{n} record names a site that is not in the programme; it is kept without a "
            "location.",
            "{n} records name a site that is not in the programme; they are kept without a "
            "location.", unknown))
    site = site.fillna(len(sites)).astype(np.int64)
    archived = archived_mask(sites).to_numpy()
    active = ~np.append(archived, False)[site.to_numpy()]
    if (~active).any():
        notes.append(Note.ngettext("{n} record of an archived site is not matched.",
                                   "{n} records of archived sites are not matched.",
                                   int((~active).sum())))
    unlocated = int((~np.isfinite(lon[site.to_numpy()])).sum())
    if unlocated:
        notes.append(Note.ngettext(
            "{n} record belongs to a site without a location: matched without a distance "
            "and ranked lower.",
            "{n} records belong to sites without a location: matched without a distance and "
            "ranked lower.", unlocated))
    code = res["ewc_code"].astype(object).where(res["ewc_code"].notna(), None)
    klass = res["resource_class"].astype(object)
    key = record_key(code, klass)
    uncoded = int(((key == "") & (res["direction"] == "have")).sum())
    if uncoded:
        notes.append(Note.ngettext(
            "{n} material have has no catalogue code and cannot be matched.",
            "{n} material haves have no catalogue code and cannot be matched.", uncoded))
    meta = sites.set_index("site_id")
    meta = meta[~meta.index.duplicated()]
    records = pd.DataFrame({
        "resource_id": res["resource_id"].astype(str).to_numpy(),
        "site_id": res["site_id"].to_numpy(),
        "site": site.to_numpy(),
        "site_name": res["site_id"].map(meta["name"]).to_numpy(),
        "direction": res["direction"].to_numpy(),
        "klass": klass.to_numpy(),
        "code": code.to_numpy(),
        "key": key.to_numpy(),
        "sector": res["site_id"].map(meta["sector_nace"]).to_numpy(),
        "park": res["site_id"].map(meta["park_id"]).to_numpy(),
        "quantity": pd.to_numeric(res["quantity"], errors="coerce").to_numpy(float),
        "unit": res["unit"].to_numpy(),
        "tonnes": tonnes_per_year(res).to_numpy(float),
        "freq": res["frequency"].map(_FREQ_RANK).fillna(-1).astype(np.int64).to_numpy(),
        "hazardous": res["hazardous"].fillna(False).astype(bool).to_numpy(),
        "description": res["description"].to_numpy(),
        "fate": res["fate"].to_numpy(),
        "active": active,
    })
    records["unit_code"] = pd.factorize(records["unit"], use_na_sentinel=True)[0]
    records["park_code"] = pd.factorize(records["park"], use_na_sentinel=True)[0]
    return records, lon, lat, notes
