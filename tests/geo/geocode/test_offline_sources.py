"""Offline gazetteers: normalisation, countries, coordinates checks, UK postcodes, China, GeoNames.

Known answers come from the issue (B4 7DA, Yangzhou, Ipatinga) and from the packaged data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geo.geocode.china import ChinaGeocoder, gcj02_to_wgs84, wgs84_to_gcj02
from geo.geocode.coordinates import check_coordinates
from geo.geocode.countries import country_codes, country_extents, inside_country
from geo.geocode.geonames import GeoNamesGeocoder, load_geonames
from geo.geocode.records import records_from_frame
from geo.geocode.text import address_parts, normalise_names
from geo.geocode.uk_postcodes import (
    UKPostcodeGeocoder,
    format_postcodes,
    lookup_postcodes,
    normalise_postcode,
)

GEOD = Geod(ellps="WGS84")


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance on WGS84, metres."""
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def locate(geocoder: object, **columns: list[object]) -> pd.DataFrame:
    """Run one step on records built from columns."""
    return geocoder.locate(records_from_frame(pd.DataFrame(columns)))


@pytest.mark.parametrize(("raw", "expected"), [
    ("São Paulo", "sao paulo"), ("SAO PAULO", "sao paulo"), ("Straße", "strasse"),
    ("ＫＯＴＫＡ", "kotka"), ("扬州市", "扬州市"), ("Newcastle-upon-Tyne", "newcastle upon tyne"),
    ("", ""), (None, ""), (1234, "1234"),
])
def test_normalise_names(raw: object, expected: str) -> None:
    """Accents, case, width and punctuation are folded; other scripts are kept."""
    assert normalise_names([raw]).tolist() == [expected]


def test_address_parts_split_on_commas_and_dashes() -> None:
    """Brazilian-style addresses split into their parts."""
    assert address_parts("Rua A, 12 - Centro, Ipatinga - MG") == ["Rua A", "12", "Centro",
                                                                 "Ipatinga", "MG"]


def test_country_codes_names_codes_and_local_names() -> None:
    """ISO-2, ISO-3, English and local names all map to ISO-2; unknown names are flagged."""
    codes, unknown = country_codes(["GB", "GBR", "United Kingdom", "UK", "Brasil", "中国",
                                    "Finland", "Narnia", None])
    assert codes.tolist() == ["GB", "GB", "GB", "GB", "BR", "CN", "FI", "", ""]
    assert unknown.tolist() == [False] * 7 + [True, False]


def test_country_extents_contain_known_towns() -> None:
    """The shipped extents contain Birmingham, Kotka, Yangzhou and Ipatinga, and Namibia's NA."""
    extents = country_extents()
    assert "NA" in extents.index
    known, inside = inside_country(np.array(["GB", "FI", "CN", "BR"], dtype=object),
                                   np.array([-1.89, 26.95, 119.43, -42.54]),
                                   np.array([52.48, 60.47, 32.39, -19.47]))
    assert known.all() and inside.all()


@pytest.mark.parametrize(("lon", "lat", "country", "ok", "words"), [
    (-1.89, 52.48, "GB", True, ""),
    (52.48, -1.89, "GB", False, "swapped"),
    (-19.47, -42.54, "BR", False, "swapped"),
    (32.39, 119.43, "", False, "swapped"),
    (0.0, 0.0, "", False, "placeholder"),
    (200.0, 100.0, "", False, "out of range"),
    (119.43, 32.39, "GB", False, "outside GB"),
    (np.nan, 52.0, "GB", False, "only one"),
    (np.nan, np.nan, "GB", False, ""),
    (26.9, 60.5, "", True, ""),
])
def test_check_coordinates(lon: float, lat: float, country: str, ok: bool, words: str) -> None:
    """Range, placeholder, swap and country checks, each with its own reason."""
    good, why = check_coordinates(np.array([lon]), np.array([lat]),
                                  np.array([country], dtype=object))
    assert bool(good[0]) is ok
    assert words in why[0]
    assert (why[0] == "") is (ok or words == "")


@pytest.mark.parametrize(("raw", "expected"), [
    ("b47da", "B4 7DA"), ("B4 7DA", "B4 7DA"), (" sw1a1aa ", "SW1A 1AA"), ("EC1A-1BB", "EC1A 1BB"),
    ("35160-000", None), ("hello", None), ("", None),
])
def test_normalise_postcode(raw: str, expected: str | None) -> None:
    """Postcodes are upper-cased and spaced before the inward code; others give None."""
    assert normalise_postcode(raw) == expected


def test_postcode_b4_7da_known_answer() -> None:
    """B4 7DA lies within 100 m of 52.4856 N, 1.8910 W (issue's known answer)."""
    found = lookup_postcodes(format_postcodes(["b47da"]))
    assert distance_m(found.loc[0, "lon"], found.loc[0, "lat"], -1.8910, 52.4856) < 100


def test_postcode_step_reasons_and_address_fallback() -> None:
    """Postcodes are found in the address too; bad, unknown and NI postcodes get reasons."""
    out = locate(UKPostcodeGeocoder(),
                 postcode=["", "ZZ9 9ZZ", "B4 9ZZ", "BT1 1AA", "not a code", "B4 7DA"],
                 address=["Curzon St, Birmingham B4 7DA", "", "", "", "", ""],
                 country=["GB", "GB", "", "GB", "GB", "FI"])
    assert out["precision"].tolist() == ["postcode"] + ["not_found"] * 5
    assert out.loc[0, "candidate"] == "B4 7DA"
    assert "not in a Great Britain postcode area" in out.loc[1, "reason"]
    assert "not in Code-Point Open" in out.loc[2, "reason"]
    assert "Northern Ireland" in out.loc[3, "reason"]
    assert "not shaped like a UK postcode" in out.loc[4, "reason"]
    assert out.loc[5, "reason"] == ""  # a Finnish record is not this step's business


def test_gcj02_round_trip_and_shift() -> None:
    """GCJ-02 → WGS84 inverts the forward shift; the shift in Beijing is 100–700 m."""
    lon, lat = np.array([116.407394, 119.412939]), np.array([39.904211, 32.394209])
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    blon, blat = wgs84_to_gcj02(wlon, wlat)
    assert np.allclose(blon, lon, atol=1e-8) and np.allclose(blat, lat, atol=1e-8)
    assert 100 < distance_m(lon[0], lat[0], wlon[0], wlat[0]) < 700
    same = gcj02_to_wgs84(np.array([-1.89]), np.array([52.48]))
    assert same[0][0] == -1.89  # outside China: unchanged


def test_china_step_district_city_and_province() -> None:
    """A full Chinese address gives its district; a city its centre; a province alone fails."""
    out = locate(ChinaGeocoder(), address=["江苏省扬州市邗江区文昌西路", "", "江苏省", "Yangzhou"],
                 city=["", "扬州", "", ""], country=["CN", "中国", "CN", "CN"])
    assert out["precision"].tolist() == ["district", "town", "not_found", "not_found"]
    assert "邗江区" in out.loc[0, "candidate"]
    assert distance_m(out.loc[1, "lon"], out.loc[1, "lat"], 119.43, 32.39) < 20_000
    assert "only the province" in out.loc[2, "reason"]


@pytest.fixture(scope="module")
def geonames() -> GeoNamesGeocoder:
    """The GeoNames step with its index loaded once for this module."""
    load_geonames()
    return GeoNamesGeocoder()


@pytest.mark.parametrize(("city", "address", "country", "lon", "lat"), [
    ("Yangzhou", "", "CN", 119.43, 32.39),
    ("", "Yangzhou, CN", "", 119.43, 32.39),
    ("Ipatinga", "", "BR", -42.54, -19.47),
    ("", "Rua Diamantina 100, Centro, Ipatinga - MG, Brasil", "", -42.54, -19.47),
    ("扬州", "", "", 119.43, 32.39),
    ("sao paulo", "", "Brazil", -46.63, -23.55),
    ("KOTKA", "", "FI", 26.95, 60.47),
    ("Çan", "", "TR", 27.05, 40.03),  # reads like Canada's ISO-3 code, but it is the city column
    ("Colombia", "", "CU", -77.43, 20.99),  # a town named like a country
])
def test_geonames_known_answers(geonames: GeoNamesGeocoder, city: str, address: str,
                                country: str, lon: float, lat: float) -> None:
    """Towns are found within 20 km, from the city, the address, other scripts or no accents."""
    out = locate(geonames, city=[city], address=[address], country=[country])
    assert out.loc[0, "precision"] == "town"
    assert distance_m(out.loc[0, "lon"], out.loc[0, "lat"], lon, lat) < 20_000


def test_geonames_country_disambiguates_birmingham(geonames: GeoNamesGeocoder) -> None:
    """Birmingham GB and Birmingham US by country; without one, the largest wins, with a count."""
    out = locate(geonames, city=["Birmingham"] * 3, country=["GB", "US", ""])
    assert out.loc[0, "lat"] == pytest.approx(52.48, abs=0.05)
    assert out.loc[1, "lat"] == pytest.approx(33.52, abs=0.05)
    assert out.loc[1, "candidate"].startswith("Birmingham, US [1 of ")
    assert out.loc[2, "candidate"].startswith("Birmingham, GB [1 of ")


def test_geonames_misses_have_reasons(geonames: GeoNamesGeocoder) -> None:
    """Names that match nothing, and airport codes, are not found, with the names tried."""
    out = locate(geonames, city=["Qwxzy", "BHX", ""], address=["", "", "12"],
                 country=["FI", "GB", ""])
    assert out["precision"].tolist() == ["not_found"] * 3
    assert out.loc[0, "reason"] == "no GeoNames place named 'Qwxzy' in FI"
    assert out.loc[2, "reason"] == ""  # nothing name-like to try
