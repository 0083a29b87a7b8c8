"""Column labels: the title a person reads for each column name of our tables and exports.

Column names (``tonnes_per_year``, ``site_id``) are codes: stable, English, machine-readable,
and kept as they are in CSV, JSON and stored tables. Where a table is shown on a page or
written to an Excel workbook its headers are these labels, in the session's language, with
the unit where the column has one (``Tonnes per year (t/yr)``).

A page renames at display time (``st.dataframe(frame.rename(columns=column_labels(frame)))``
or ``column_config``); :func:`geo.export.workbook_bytes` writes them as workbook headers.
A column without a label keeps its name.

Examples
--------
>>> from geo.i18n.locale import use_locale
>>> column_label("tonnes_per_year")
'Tonnes per year (t/yr)'
>>> with use_locale("qps_PLOC"):
...     column_label("site_id")
'⟦Sîté ÎD⟧'
>>> column_label("no_such_column")
'no_such_column'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from geo.i18n.translate import N_, _

__all__ = ["COLUMN_LABELS", "column_label", "column_labels"]

COLUMN_LABELS: Final[dict[str, str]] = {
    # --- parks, member sites, contacts (geo.programme) --------------------------------------
    "park_id": N_("Park ID"),
    "name": N_("Name"),
    "country": N_("Country"),
    "region": N_("Region"),
    "city": N_("City"),
    "source": N_("Source"),
    "site_id": N_("Site ID"),
    "sector_nace": N_("Sector (NACE)"),
    "address": N_("Address"),
    "postcode": N_("Postcode"),
    "location_precision": N_("Location precision"),
    "location_source": N_("Location source"),
    "provenance": N_("Provenance"),
    "recorded_on": N_("Recorded on"),
    "contact_id": N_("Contact ID"),
    "role": N_("Role"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "geometry": N_("Geometry (WKT)"),
    "lon": N_("Longitude (°)"),
    "lat": N_("Latitude (°)"),
    "park": N_("Park"),
    "site": N_("Site"),
    "site_name": N_("Site name"),
    "sites": N_("Sites"),
    "members": N_("Member sites"),
    "located": N_("Located sites"),
    "resources": N_("Resource records"),
    "haves": N_("Haves"),
    "wants": N_("Wants"),
    # --- resources: haves and wants ---------------------------------------------------------
    "resource_id": N_("Record ID"),
    "direction": N_("Have or want"),
    "resource_class": N_("Resource class"),
    "ewc_code": N_("Waste code"),
    "hazardous": N_("Hazardous"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "frequency": N_("Frequency"),
    "fate": N_("Current fate"),
    "disposal_cost_per_year": N_("Disposal cost per year"),
    "tonnes_per_year": N_("Tonnes per year (t/yr)"),
    "tonnes": N_("Tonnes (t/yr)"),
    "records": N_("Records"),
    "producers": N_("Producers"),
    "have_t": N_("Haves (t/yr)"),
    "want_t": N_("Wants (t/yr)"),
    "have_tonnes": N_("Haves in tonnes (t/yr)"),
    "want_tonnes": N_("Wants in tonnes (t/yr)"),
    "tonnes_have": N_("Tonnes offered (t/yr)"),
    "tonnes_want": N_("Tonnes wanted (t/yr)"),
    "have_complete": N_("Haves complete"),
    "want_complete": N_("Wants complete"),
    "have_note": N_("Note on haves"),
    "want_note": N_("Note on wants"),
    "complete": N_("Complete"),
    "share": N_("Share"),
    "status": N_("Status"),
    "archived": N_("Archived"),
    # --- catalogue ---------------------------------------------------------------------------
    "code": N_("Code"),
    "label": N_("Label"),
    "chapter": N_("Chapter"),
    "subchapter": N_("Subchapter"),
    "level": N_("Level"),
    "catalogue_id": N_("Catalogue"),
    "from_catalogue": N_("From catalogue"),
    "to_catalogue": N_("To catalogue"),
    "from_code": N_("From code"),
    "to_code": N_("To code"),
    "relation": N_("Relation"),
    "reviewed": N_("Reviewed"),
    "notes": N_("Notes"),
    # --- matching and gaps -------------------------------------------------------------------
    "have_id": N_("Have record"),
    "want_id": N_("Want record"),
    "have_site_id": N_("Have site ID"),
    "want_site_id": N_("Want site ID"),
    "have_site": N_("Offering site"),
    "want_site": N_("Wanting site"),
    "have_park": N_("Offering park"),
    "want_park": N_("Wanting park"),
    "have_code": N_("Have waste code"),
    "want_code": N_("Want waste code"),
    "want_sector": N_("Wanting sector"),
    "have_description": N_("What is offered"),
    "want_description": N_("What is wanted"),
    "basis": N_("Basis"),
    "bases": N_("Bases"),
    "rule_id": N_("Rule"),
    "kb_completed": N_("Completed elsewhere"),
    "strength": N_("Strength"),
    "quantity_fit": N_("Quantity fit"),
    "frequency_fit": N_("Frequency fit"),
    "have_quantity": N_("Quantity offered"),
    "want_quantity": N_("Quantity wanted"),
    "matched_quantity": N_("Matched quantity"),
    "transport_cost_per_year": N_("Transport cost per year"),
    "transport_co2e_t_per_year": N_("Transport CO2e (t CO2e/yr)"),
    "other_park": N_("Other park"),
    "score": N_("Score"),
    "rank": N_("Rank"),
    "reasons": N_("Reasons"),
    "reason": N_("Reason"),
    "quantity_without_want": N_("Quantity without a want"),
    "share_of_stream": N_("Share of the stream"),
    "fates": N_("Current fates"),
    "recruit_sectors": N_("Sectors to recruit"),
    # --- synergies, outcomes, KPIs -----------------------------------------------------------
    "synergy_id": N_("Synergy ID"),
    "have_resource_id": N_("Have record ID"),
    "want_resource_id": N_("Want record ID"),
    "from_site_id": N_("From site ID"),
    "to_site_id": N_("To site ID"),
    "from_site": N_("From site"),
    "to_site": N_("To site"),
    "to_park_id": N_("To park ID"),
    "from_park": N_("From park"),
    "to_park": N_("To park"),
    "from_name": N_("From (name)"),
    "to_name": N_("To (name)"),
    "park_pair": N_("Park pair"),
    "stage": N_("Stage"),
    "stream": N_("Stream"),
    "stream_label": N_("Stream name"),
    "practitioner": N_("Practitioner"),
    "proposed_because": N_("Proposed because"),
    "distance_km": N_("Distance (km)"),
    "distance_method": N_("Distance method"),
    "abandon_reason": N_("Reason abandoned"),
    "case_study": N_("Case study"),
    "created_at": N_("Created"),
    "updated_at": N_("Updated"),
    "updated_by": N_("Updated by"),
    "version": N_("Version"),
    "period": N_("Year"),
    "outcome_id": N_("Outcome ID"),
    "outcome_type": N_("Outcome type"),
    "landfill_diverted_t": N_("Landfill diverted (t)"),
    "co2e_avoided_t": N_("CO2e avoided (t CO2e)"),
    "cost_savings": N_("Cost savings"),
    "new_sales": N_("New sales"),
    "jobs_created": N_("Jobs created"),
    "jobs_safeguarded": N_("Jobs safeguarded"),
    "water_saved_m3": N_("Water saved (m3)"),
    "hazardous_reused_t": N_("Hazardous waste reused (t)"),
    "virgin_replaced_t": N_("Virgin material replaced (t)"),
    "new_technologies": N_("New technologies introduced"),
    "businesses_assisted": N_("Businesses assisted"),
    "co2e_factors": N_("CO2e factors used"),
    "co2e_distance_missing": N_("CO2e without a distance"),
    "synergies": N_("Synergies"),
    "givers": N_("Giving companies"),
    "kpi": N_("Indicator"),
    "value": N_("Value"),
    "note": N_("Note"),
    "item": N_("Item"),
    "url": N_("Link"),
    "depth": N_("Depth"),
    "withheld": N_("Withheld"),
    # --- concentrations ----------------------------------------------------------------------
    "h3_cell": N_("Hexagon"),
    "resolution": N_("Resolution"),
    "figures": N_("Figures"),
    "gi_bin": N_("Hot-spot class"),
    "gi_z": N_("Gi* z-score"),
    "p_value": N_("p-value"),
    "neighbours": N_("Neighbours"),
    "cluster_id": N_("Cluster"),
    "cells": N_("Hexagons"),
    "centre_lon": N_("Centre longitude (°)"),
    "centre_lat": N_("Centre latitude (°)"),
    "area_km2": N_("Area (km²)"),
    "main_chapter": N_("Main chapter"),
    "chapters": N_("Chapters"),
    "place": N_("Place"),
    "class": N_("Class"),
    "colour": N_("Colour"),
    "from": N_("From"),
    "to": N_("To"),
    "units": N_("Units"),
    "total_tonnes": N_("Total tonnes (t/yr)"),
    # --- milk rounds -------------------------------------------------------------------------
    "day": N_("Day"),
    "date": N_("Date"),
    "vehicle": N_("Vehicle"),
    "route": N_("Route"),
    "routes": N_("Routes"),
    "trip": N_("Trip"),
    "trips": N_("Trips"),
    "seq": N_("Stop number"),
    "stops": N_("Stops"),
    "activity": N_("Activity"),
    "stop_id": N_("Stop ID"),
    "streams": N_("Streams"),
    "visits": N_("Visits"),
    "arrival": N_("Arrival"),
    "start": N_("Start"),
    "departure": N_("Departure"),
    "leave": N_("Leaves"),
    "back": N_("Back"),
    "wait_min": N_("Waiting (min)"),
    "service_min": N_("Time on site (min)"),
    "pickup_t": N_("Pickup (t)"),
    "load_after_t": N_("Load after the stop (t)"),
    "collected_t": N_("Collected (t)"),
    "leg_km": N_("Leg (km)"),
    "cumulative_km": N_("Cumulative distance (km)"),
    "duration_h": N_("Duration (h)"),
    "vehicle_hours": N_("Vehicle hours (h)"),
    "vs_mean_pct": N_("Against the mean day (%)"),
    "cost": N_("Cost"),
    "metric": N_("Measure"),
    "milk_round": N_("Milk round"),
    "own_trips": N_("Own trips"),
    "saving": N_("Saving"),
    "saving_pct": N_("Saving (%)"),
    "horizon_milk_round": N_("Milk round over the horizon"),
    "horizon_own_trips": N_("Own trips over the horizon"),
    "quantity_per_year": N_("Quantity per year"),
    "quantity_per_visit": N_("Quantity per visit"),
    "resource_ids": N_("Record IDs"),
    "destination": N_("Destination"),
    "co2e_kg": N_("CO2e (kg)"),
    "distance_m": N_("Distance (m)"),
    "duration_s": N_("Duration (s)"),
    # --- site finder -------------------------------------------------------------------------
    "candidate_id": N_("Candidate"),
    "area_ha": N_("Area (ha)"),
    "usable_ha": N_("Usable area (ha)"),
    "contiguous_ha": N_("Largest contiguous area (ha)"),
    "main_road_m": N_("To a main road (m)"),
    "ok_industrial": N_("Industrial land"),
    "ok_residential": N_("Away from housing"),
    "ok_land": N_("Enough land"),
    "ok_main_road": N_("Near a main road"),
    "passes": N_("Passes the rules"),
    "failed_rule": N_("Failed rule"),
    "c_feedstock": N_("Feedstock (criterion)"),
    "c_haul": N_("Haul (criterion)"),
    "c_security": N_("Supply security (criterion)"),
    "c_market": N_("Market (criterion)"),
    "c_competition": N_("Competition (criterion)"),
    "s_feedstock": N_("Feedstock score"),
    "s_haul": N_("Haul score"),
    "s_security": N_("Supply security score"),
    "s_market": N_("Market score"),
    "s_competition": N_("Competition score"),
    "feedstock_t": N_("Feedstock (t/yr)"),
    "used_t": N_("Feedstock used (t/yr)"),
    "viable": N_("Viable"),
    "suppliers": N_("Suppliers"),
    "supplier": N_("Supplier"),
    "supplier_id": N_("Supplier ID"),
    "supplier_names": N_("Supplier names"),
    "largest_share": N_("Largest supplier's share"),
    "mean_haul_km": N_("Mean haul (km)"),
    "haul_km": N_("Haul (km)"),
    "within_haul": N_("Within the haul limit"),
    "transport_cost_eur": N_("Transport cost (EUR/yr)"),
    "transport_co2e_t": N_("Haulage CO2e (t CO2e/yr)"),
    "output": N_("Output"),
    "gate_fee_eur": N_("Gate fees (EUR/yr)"),
    "market_km": N_("To the market (km)"),
    "competitors": N_("Competitors"),
    "haul_method": N_("Haul distances"),
    "plant": N_("Plant"),
    "meets_minimum": N_("Meets the minimum throughput"),
    "rank_base": N_("Rank in the base case"),
    "rank_best": N_("Best rank"),
    "rank_worst": N_("Worst rank"),
    "top_share": N_("Share of scenarios in the top"),
    # --- importer, geocoding, search ---------------------------------------------------------
    "row": N_("Row"),
    "column": N_("Column"),
    "field": N_("Field"),
    "message": N_("Problem"),
    "raw": N_("Row as read"),
    "reject_id": N_("Rejected row"),
    "batch_id": N_("Import batch"),
    "errors": N_("Problems"),
    "reject_key": N_("Row key"),
    "resolved": N_("Resolved"),
    "precision": N_("Precision"),
    "candidate": N_("Match found"),
    "given_precision": N_("Given precision"),
    "given_source": N_("Given source"),
    "geocode_notes": N_("Geocoding notes"),
    "imported_at": N_("Imported at"),
    "file_name": N_("File"),
    # --- people and the audit log ------------------------------------------------------------
    "subject": N_("Sign-in ID"),
    "active": N_("Active"),
    "language": N_("Language"),
    "programme": N_("Programme"),
    "parks": N_("Parks"),
    "at": N_("When"),
    "actor": N_("Who"),
    "action": N_("Action"),
    "detail": N_("Detail"),
}
"""Column name → label (marked for translation; translate with :func:`column_label`)."""

_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # Translators: {chapter} is a two-digit waste-catalogue chapter, e.g. 07.
    (re.compile(r"^tonnes_ch(?P<chapter>\d+)$"), N_("Tonnes, chapter {chapter} (t/yr)")),
    # Translators: {unit} is a quantity unit such as t, m3 or kg.
    (re.compile(r"^pickup_(?P<unit>[a-z0-9]+)$"), N_("Pickup ({unit})")),
    (re.compile(r"^load_after_(?P<unit>[a-z0-9]+)$"), N_("Load after the stop ({unit})")),
    (re.compile(r"^collected_(?P<unit>[a-z0-9]+)$"), N_("Collected ({unit})")),
    # Translators: {stream} is the name of a feedstock stream (data, shown as recorded).
    (re.compile(r"^t_(?P<stream>.+)$"), N_("{stream} (t/yr)")),
)
"""Column families whose names carry a value (a chapter, a unit, a stream)."""


def column_label(name: object) -> str:
    """The label of column ``name`` in this session's language (its name if it has none).

    Examples
    --------
    >>> column_label("tonnes_ch07"), column_label("pickup_m3"), column_label(3)
    ('Tonnes, chapter 07 (t/yr)', 'Pickup (m3)', '3')
    """
    text = str(name)
    label = COLUMN_LABELS.get(text)
    if label is not None:
        return _(label)
    for pattern, template in _PATTERNS:
        found = pattern.match(text)
        if found:
            return _(template).format(**found.groupdict())
    return text


def column_labels(columns: Iterable[str]) -> dict[str, str]:
    """``{column: label}`` for each of ``columns`` (a frame iterates over its columns).

    Ready for ``frame.rename(columns=column_labels(frame))``.
    """
    return {c: column_label(c) for c in columns}
