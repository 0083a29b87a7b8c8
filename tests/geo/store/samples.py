"""Hand-made programmes of the store tests (tiny, with known contents), a store holding a
bit of everything (:func:`populate`), and a canonical dump of a database (:func:`dump`)."""

from __future__ import annotations

import io
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon
from sqlalchemy import select

from geo import access
from geo.disclosure.settings import set_programme_rules
from geo.importer import import_file
from geo.programme import Programme
from geo.store import Store
from geo.store.backup import encode_value, table_scopes
from geo.synergies import repository as repo
from geo.synergies.outcomes import OutcomeConfig

__all__ = ["MEMBERS_CSV", "dump", "populate", "synergy_programme", "tiny_programme"]

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


MEMBERS_CSV = """\
Company,Postcode,Country,Have/Want,EWC code,Description,Quantity,Unit,Longitude,Latitude,\
Contact,E-mail
Acme Oy,48600,FI,have,15 01 02,plastic film,12.5,t/yr,26.90,60.50,Aino Laine,aino@example.fi
Acme Oy,48600,FI,want,030105,sawdust,300,tpa,26.90,60.50,Aino Laine,aino@example.fi
Beta Oy,48601,FI,have,070101*,washing liquids,3,t,,,Eero,
Gamma Oy,48602,FI,have,999999,bad code,1,t,26.91,60.51,,
"""
"""A member list: two companies' records, one contact each, one row rejected (bad code)."""


def populate(store: Store) -> None:
    """Put a bit of everything in ``store``: two programmes (one with parks, an import with
    contacts and a rejected row, a synergy with stage history and outcomes, outcome
    settings), users with grants, disclosure rules, and audit entries."""
    p = synergy_programme()
    store.save_programme(p)
    store.save_programme(tiny_programme("Other programme"))
    import_file(io.BytesIO(MEMBERS_CSV.encode()), store=store, programme=p.name,
                filename="members.csv")
    store.archive_site("S3", programme=p.name)
    store.update_site_location("S2", 26.93, 60.506, "manual", "pinned ✓ on the map",
                               programme=p.name)
    sid = repo.create_synergy(store, p, have_id="R1", want_id="R5", practitioner="Aino",
                              note="met at the workshop")
    repo.change_stage(store, p.name, sid, "implemented", expected_version=1,
                      practitioner="Aino", note="contract signed")
    repo.record_outcome(store, p.name, sid, "landfill_diverted_t", 8.5, period=2026,
                        expected_version=2, practitioner="Aino")
    repo.save_outcome_config(store, p, OutcomeConfig(currency="SEK"))
    access.add_user(store, "sub-ana", email="ana@example.org", name="Ana Lima", actor="admin")
    access.add_user(store, "sub-eero", email=None, name="Eero", actor="admin")
    access.grant(store, "sub-ana", "practitioner", programme=p.name,
                 available=[p.name, "Other programme"], actor="admin")
    access.grant(store, "sub-eero", "park_authority", programme="Other programme",
                 available=[p.name, "Other programme"], parks=["P1"], actor="admin")
    access.set_active(store, "sub-eero", False, actor="admin")
    set_programme_rules(store, p.name, k=5, p_percent=20.0, actor="admin", administrator=False)
    set_programme_rules(store, "Other programme", k=4, p_percent=15.0, actor="admin",
                        administrator=False)


_NOT_COMPARED = {("programmes", "data_version"), ("programmes", "synergy_version"),
                 ("programmes", "records_reset_version")}

WRITTEN_VERSIONS = frozenset({("sites", "written_version"), ("resources", "written_version"),
                              ("contacts", "written_version")})
"""The columns that stamp records with the data version that added them (revision 0007)."""


def dump(store: Store, *, without: frozenset[tuple[str, str]] = frozenset()
         ) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, ordered by id, with values as a backup writes them (times in UTC);
    without the data versions (a restore raises them), the audit entries of restores, and the
    ``(table, column)`` pairs of ``without``."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.read("dump") as conn:
        for scope in table_scopes():
            t = scope.table
            cols = [c for c in t.c if (t.name, c.name) not in _NOT_COMPARED | without]
            stmt = select(*cols).order_by(t.c.id)
            if t.name == "audit_log":
                stmt = stmt.where(t.c.action != "restore")
            out[t.name] = [tuple(encode_value(v) for v in row) for row in conn.execute(stmt)]
    return out
