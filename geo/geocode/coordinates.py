"""Step 1: coordinates already in the record, checked before they are trusted.

Checks, in order (WGS84 degrees): both given; within range (|lat| ≤ 90, |lon| ≤ 180); not the
``0, 0`` placeholder; and, when the record's country is known, inside that country's extent.
Coordinates that are valid only with longitude and latitude exchanged are reported as swapped
(never silently fixed: the user corrects the columns); coordinates outside the record's country
are reported too. Rejected coordinates are not used, the chain goes on with the address, and the
warning stays in the record's ``reason``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from geo.geocode.base import PRECISION_RANK, empty_output
from geo.geocode.countries import inside_country
from geo.i18n import _

__all__ = ["CoordinatesGeocoder", "check_coordinates"]

_NOT_GIVEN: Final = {"", "not_found", "manual"}


def check_coordinates(lon: np.ndarray, lat: np.ndarray, country: np.ndarray, *,
                      extents: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which given coordinates can be trusted, and why the others cannot.

    Parameters
    ----------
    lon, lat
        Longitude and latitude as given, EPSG:4326 degrees (NaN when missing).
    country
        ISO-2 code of each record (``""`` when unknown: no country check).
    extents
        Country extents (:func:`geo.geocode.countries.country_extents` by default).

    Returns
    -------
    ok : numpy.ndarray
        True where the coordinates can be used as they are.
    reason : numpy.ndarray
        Why not, for coordinates that were given but cannot be used (``""`` otherwise).

    Examples
    --------
    >>> ext = pd.DataFrame({"min_lon": [-8.0], "min_lat": [49.0], "max_lon": [2.5],
    ...                     "max_lat": [61.0]}, index=["GB"])
    >>> ok, why = check_coordinates(np.array([-1.89, 52.48, 0.0, 200.0]),
    ...                             np.array([52.48, -1.89, 0.0, 10.0]),
    ...                             np.array(["GB", "GB", "", ""]), extents=ext)
    >>> ok.tolist()
    [True, False, False, False]
    >>> why[1].split(":")[0], why[1].endswith("exchange the columns")
    ('lon/lat look swapped', True)
    """
    n = len(lon)
    reason = np.full(n, "", dtype=object)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    missing = np.isnan(lon) & np.isnan(lat)
    half = np.isnan(lon) ^ np.isnan(lat)
    given = ~missing & ~half
    with np.errstate(invalid="ignore"):
        in_range = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        swapped_in_range = (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    zero = (lon == 0) & (lat == 0)
    known, inside = inside_country(country, lon, lat, extents)
    _known, inside_swapped = inside_country(country, lat, lon, extents)
    ok = given & in_range & ~zero & (~known | inside)
    for i in np.flatnonzero(half):
        reason[i] = _("only one of lon/lat is given; both are needed")
    for i in np.flatnonzero(given & ~ok):
        where = f"(lon={lon[i]:g}, lat={lat[i]:g})"
        swapped = f"(lon={lat[i]:g}, lat={lon[i]:g})"
        if not in_range[i]:
            if swapped_in_range[i] and (not known[i] or inside_swapped[i]):
                reason[i] = _("lon/lat look swapped: {where} is out of range but {swapped} "
                              "is valid; exchange the columns").format(where=where,
                                                                       swapped=swapped)
            else:
                reason[i] = _("coordinates out of range: {where}; lat must be within ±90, lon "
                              "±180").format(where=where)
        elif zero[i]:
            reason[i] = _("coordinates 0, 0 are a placeholder, not a location")
        elif inside_swapped[i]:
            # Translators: {country} is an ISO country code such as GB.
            reason[i] = _("lon/lat look swapped: {where} lies outside {country} but {swapped} "
                          "lies inside; exchange the columns").format(
                where=where, country=country[i], swapped=swapped)
        else:
            reason[i] = _("coordinates {where} lie outside {country}; check the country or the "
                          "coordinates").format(where=where, country=country[i])
    return ok, reason


class CoordinatesGeocoder:
    """Use the record's own coordinates when they pass :func:`check_coordinates`.

    The precision is the one recorded with them (an earlier run's ``town``, say), or ``exact``
    when none was recorded; the source is the recorded source, or ``coordinates``.

    With ``only_recorded`` (used when the ``coordinates`` step is switched off) only points an
    earlier run recorded with a precision are kept, so that a re-run never loses a location,
    while raw coordinates in the record are ignored.
    """

    name = "coordinates"
    best_precision = "exact"

    def __init__(self, *, extents: pd.DataFrame | None = None, only_recorded: bool = False
                 ) -> None:
        self._extents = extents
        self._only_recorded = only_recorded
        self.notes: list[str] = []

    def locate(self, records: pd.DataFrame) -> pd.DataFrame:
        """See :class:`geo.geocode.base.Geocoder`."""
        out = empty_output(records.index)
        ok, why = check_coordinates(records["lon"].to_numpy(), records["lat"].to_numpy(),
                                    records["country"].to_numpy(dtype=object),
                                    extents=self._extents)
        given = records["given_precision"].to_numpy(dtype=object)
        recorded = np.array([p in PRECISION_RANK and p not in _NOT_GIVEN for p in given])
        precision = np.where(recorded, given, "exact").astype(object)
        if self._only_recorded:
            ok &= recorded
            why = np.full(len(why), "", dtype=object)
        out.loc[ok, "lon"] = records.loc[ok, "lon"]
        out.loc[ok, "lat"] = records.loc[ok, "lat"]
        out.loc[ok, "precision"] = precision[ok]
        out.loc[ok, "candidate"] = records.loc[ok, "given_candidate"]
        source = records["given_source"].to_numpy(dtype=object)
        out["source"] = np.where(source == "", self.name, source)
        out["note"] = why
        return out
