"""Hand-made programmes of the store tests (tiny, with known contents)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon

from geo.programme import Programme

__all__ = ["synergy_programme", "tiny_programme"]

SQUARE = Polygon([(26.90, 60.50), (26.91, 60.50), (26.91, 60.51), (26.90, 60.51)])
TWO_SQUARES = MultiPolygon([
    Polygon([(26.92, 60.50), (26.93, 60.50), (26.93, 60.51)]),
    Polygon([(26.94, 60.50), (26.95, 60.50), (26.95, 60.51)]),
])


def tiny_programme(name: str = "Tiny programme") -> Programme:
    """Two parks, three sites (one not located), contacts and resources with gaps."""
    parks = gpd.GeoDataFrame({
        "park_id": ["P1", "P2"], "name": ["North park", "South park"],
        "country": ["FI", "FI"], "region": ["Kymenlaakso", None], "city": ["Kotka", "Kotka"],
        "source": ["survey", "OpenStreetMap"],
    }, geometry=[SQUARE, TWO_SQUARES], crs="EPSG:4326")
    sites = gpd.GeoDataFrame({
        "site_id": ["S1", "S2", "S3"],
        "name": ["<img src=x onerror=alert(1)> Oy", "Päivän Puu", "=cmd|' /C calc'!A0"],
        "sector_nace": ["20.1", "16.1", None], "address": ["Tie 1", "Katu 2", None],
        "postcode": ["48600", "48600", None], "city": ["Kotka"] * 3, "country": ["FI"] * 3,
        "park_id": ["P1", "P2", None], "location_precision": ["exact", "manual", None],
        "location_source": ["survey", "map", None], "provenance": ["survey"] * 3,
        "recorded_on": ["2026-01-15", "2025-12-01", None],
    }, geometry=[Point(26.905, 60.505), Point(26.93, 60.505), None], crs="EPSG:4326")
    contacts = pd.DataFrame({"contact_id": ["C1", "C2"], "site_id": ["S1", "S2"],
                             "name": ["Aino Laine", "Eero Virtanen"],
                             "role": ["Environmental manager", None],
                             "email": ["aino@example.fi", None], "phone": [None, "+358 5 1"]})
    resources = pd.DataFrame({
        "resource_id": ["R1", "R2", "R3", "R4"], "site_id": ["S1", "S1", "S2", "S3"],
        "direction": ["have", "want", "have", "have"],
        "resource_class": ["material", "energy", "material", "material"],
        "ewc_code": ["070101", None, "030105", "150102"],
        "hazardous": [True, False, False, False],
        "description": ["aqueous washing liquids", "steam", "sawdust", "-plastic film"],
        "quantity": [12.5, 300.0, None, 4.0], "unit": ["t/yr", "MWh/yr", "t/yr", "t/yr"],
        "frequency": ["monthly", "continuous", None, "weekly"],
        "fate": ["incineration", None, "landfill", "recycling"],
        "disposal_cost_per_year": [1500.0, None, None, 80.0],
        "provenance": ["survey", "workshop", "site visit", "import file"],
        "recorded_on": ["2026-01-15", "2026-01-15", None, "2026-02-01"],
    })
    return Programme(name=name, parks=parks, sites=sites, contacts=contacts,
                     resources=resources, region_name="Kotka", notes={"k": "v"})


def synergy_programme(name: str = "Synergy programme") -> Programme:
    """tiny_programme plus R5, a want at S2 that R1 (a have at S1) can supply."""
    p = tiny_programme(name)
    r5 = p.resources.iloc[[0]].assign(resource_id="R5", site_id="S2", direction="want",
                                      quantity=10.0, hazardous=False)
    p.resources = pd.concat([p.resources, r5], ignore_index=True)
    return p
