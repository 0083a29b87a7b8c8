"""Geocoding member records: offline-first gazetteers, Nominatim when switched on.

Use :func:`geocode_frame` for a member list and :func:`geocode_one` for one record; the chain and
its steps are described in :mod:`geo.geocode.chain`, the data sources and their licences in
:data:`GAZETTEER_SOURCES`.
"""

from __future__ import annotations

from geo.geocode.chain import (
    GEOCODER_STEPS,
    NOTES_ATTR,
    RESULT_COLUMNS,
    GeocodeResult,
    build_geocoders,
    geocode_frame,
    geocode_one,
    preload,
    run_chain,
)
from geo.geocode.gazetteer import (
    GAZETTEER_COLUMNS,
    default_gazetteer,
    gazetteer_from_parks,
    read_gazetteer,
)
from geo.geocode.sources import GAZETTEER_SOURCES, GazetteerSource
from geo.geocode.uk_postcodes import normalise_postcode

__all__ = [
    "GAZETTEER_COLUMNS",
    "GAZETTEER_SOURCES",
    "GEOCODER_STEPS",
    "NOTES_ATTR",
    "RESULT_COLUMNS",
    "GazetteerSource",
    "GeocodeResult",
    "build_geocoders",
    "default_gazetteer",
    "gazetteer_from_parks",
    "geocode_frame",
    "geocode_one",
    "normalise_postcode",
    "preload",
    "read_gazetteer",
    "run_chain",
]
