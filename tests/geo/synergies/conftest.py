"""Fixtures of the synergy tests: a small hand-made programme with known matches, and books.

``tiny_programme`` — sites near Kotka (WGS84): S1, S2, S6 in park A; S3, S4, S7 in park B
(about 11 km east); S5 outside parks. Records (``H`` haves, ``W`` wants):

- H1 150102 plastic packaging at S1 → W1 same code at S2 (near), W2 same code at S3 (far),
  W3 191204 at S4 (family rule F03); WS is a same-code want at S1 itself (never a partner);
- H2 100101 ash at S1 → W4 010408 at S5, a concrete works (sector rule S05 only);
- H3 020304 food waste at S2 → W7 020399 at S7, a feed maker (sector 10.9): only the
  knowledge base links them, once a 020304 synergy to sector 10.9 has completed
  (``feed_synergy``);
- H4 070101 at S4: no want anywhere (a gap);
- H5 surplus heat (energy, uncoded) at S1 → W5 heat demand at S2 (class rule C01).

``tiny_matcher`` is that programme prepared without roads or past synergies; ``demo_book``
holds 30 synergies on the embedded demo over every stage, with outcomes. Module- and
session-scoped fixtures are shared: do not modify them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.catalogue import load_catalogue
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS, Programme, empty_programme
from geo.synergies.book import SYNERGY_COLUMNS, SynergyBook, empty_book
from geo.synergies.lifecycle import STAGES, change_stage, create_synergy
from geo.synergies.matching import Matcher
from geo.synergies.outcomes import record_outcome

SITES = {  # site: (lon, lat, park, sector)
    "S1": (26.90, 60.50, "PA", "22.2"), "S2": (26.91, 60.50, "PA", "38.3"),
    "S3": (27.10, 60.50, "PB", "38.3"), "S4": (27.11, 60.51, "PB", "22.2"),
    "S5": (26.95, 60.55, None, "23.6"), "S6": (26.92, 60.51, "PA", "10.9"),
    "S7": (27.12, 60.52, "PB", "10.9"),
}
RECORDS = [  # id, site, direction, class, code, qty, unit, frequency, fate
    ("H1", "S1", "have", "material", "150102", 100.0, "t/yr", "weekly", "landfill"),
    ("W1", "S2", "want", "material", "150102", 100.0, "t/yr", "weekly", None),
    ("W2", "S3", "want", "material", "150102", 100.0, "t/yr", "weekly", None),
    ("W3", "S4", "want", "material", "191204", 100.0, "t/yr", "weekly", None),
    ("WS", "S1", "want", "material", "150102", 100.0, "t/yr", "weekly", None),
    ("H2", "S1", "have", "material", "100101", 500.0, "t/yr", "monthly", "landfill"),
    ("W4", "S5", "want", "material", "010408", 800.0, "t/yr", "monthly", None),
    ("H3", "S2", "have", "material", "020304", 60.0, "t/yr", "weekly", "incineration"),
    ("W7", "S7", "want", "material", "020399", 50.0, "t/yr", "weekly", None),
    ("H4", "S4", "have", "material", "070101", 40.0, "t/yr", "monthly", "incineration"),
    ("H5", "S1", "have", "energy", None, 900.0, "MWh/yr", "continuous", "other"),
    ("W5", "S2", "want", "energy", None, 700.0, "MWh/yr", "continuous", None),
]


def _build_tiny_programme() -> Programme:
    base = empty_programme("Tiny test programme")
    sites = gpd.GeoDataFrame({
        "site_id": list(SITES), "name": [f"Company {s}" for s in SITES],
        "sector_nace": [v[3] for v in SITES.values()], "address": None, "postcode": None,
        "city": "Kotka", "country": "FI", "park_id": [v[2] for v in SITES.values()],
        "location_precision": "exact", "location_source": "test", "provenance": "survey",
        "recorded_on": "2026-01-01",
    }, geometry=[Point(v[0], v[1]) for v in SITES.values()], crs=4326)[[*SITE_COLUMNS,
                                                                          "geometry"]]
    parks = gpd.GeoDataFrame({"park_id": ["PA", "PB"], "name": ["Park A", "Park B"],
                              "country": "FI", "region": "Kymenlaakso", "city": "Kotka",
                              "source": "test"},
                             geometry=[box(26.89, 60.49, 26.93, 60.52),
                                       box(27.09, 60.49, 27.13, 60.53)], crs=4326)
    res = pd.DataFrame(RECORDS, columns=["resource_id", "site_id", "direction",
                                         "resource_class", "ewc_code", "quantity", "unit",
                                         "frequency", "fate"])
    res["hazardous"] = False
    res["description"] = "record " + res["resource_id"]
    res["disposal_cost_per_year"] = None
    res["provenance"] = "survey"
    res["recorded_on"] = "2026-01-01"
    return Programme(name=base.name, parks=parks, sites=sites, contacts=base.contacts,
                     resources=res[RESOURCE_COLUMNS])


@pytest.fixture
def tiny_programme() -> Programme:
    """The hand-made programme of the module docstring (a fresh copy for each test)."""
    return _build_tiny_programme()


@pytest.fixture
def feed_synergy() -> pd.DataFrame:
    """A book's synergies frame holding one completed 020304 synergy into sector 10.9 (S6)."""
    row = dict.fromkeys(SYNERGY_COLUMNS)
    row.update(synergy_id="SYN-00001", have_resource_id="OLD-H", want_resource_id="OLD-W",
               from_site_id="S2", to_site_id="S6", ewc_code="020304", stage="completed",
               case_study="https://example.org/feed-case", version=3,
               updated_at=pd.Timestamp("2025-05-01", tz="UTC"))
    return pd.DataFrame([row], columns=SYNERGY_COLUMNS)


@pytest.fixture(scope="module")
def tiny_matcher() -> Matcher:
    """The tiny programme prepared without a road network or past synergies (shared)."""
    return Matcher.from_programme(_build_tiny_programme(), catalogue=load_catalogue())


@pytest.fixture(scope="session")
def demo_book(demo_programme: Programme) -> SynergyBook:
    """30 synergies on the demo from its best matches, over every stage, with outcomes; two
    synergies share one have and together exceed its quantity (shared)."""
    m = Matcher.from_programme(demo_programme, catalogue=load_catalogue())
    table = m.all_pairs(top_k=2).table
    res = demo_programme.resources.set_index("resource_id")
    book = empty_book()
    picks = table[table["unit"] == "t/yr"].head(40)
    for i, row in enumerate(picks.itertuples()):
        have = res.loc[row.have_id].to_dict() | {"resource_id": row.have_id}
        want = res.loc[row.want_id].to_dict() | {"resource_id": row.want_id}
        book, sid = create_synergy(book, have=have, want=want, practitioner="Aino",
                                   distance_km=row.distance_km)
        stage = [*STAGES, "abandoned"][i % 6]
        if stage == "abandoned":
            book = change_stage(book, sid, stage, expected_version=1, practitioner="Aino",
                                reason="test")
        elif stage != "idea":
            book = change_stage(book, sid, stage, expected_version=1, practitioner="Aino")
        if stage in ("implemented", "completed"):
            book = record_outcome(book, sid, "landfill_diverted_t", have["quantity"] / 2,
                                  period=2025 + i % 2, have=have, expected_version=2,
                                  practitioner="Aino")
    return book
