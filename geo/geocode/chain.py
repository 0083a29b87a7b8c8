"""The geocoding chain: cheapest and most precise geocoders first, each one switchable.

Steps, in order (:data:`GEOCODER_STEPS`): the record's own ``coordinates``; the programme's
``gazetteer``; ``uk_postcodes`` (OS Code-Point Open); ``china`` (cpca, to district level);
``geonames`` (towns worldwide); ``nominatim`` (online, only when ``settings.nominatim``).

Each record is offered to a step only when that step could place it more precisely than it is
placed so far, and a step's answer is kept only when it is more precise; so an earlier step wins
ties, and a record placed by its postcode is not moved to a town centre. Records marked
``manual`` (placed by hand) with valid coordinates are never touched. A record no step places
gets precision ``not_found`` and a ``reason``; warnings about its own data (swapped or
out-of-country coordinates, an unrecognised country) stay in ``reason`` even when a later step
places it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.errors import GeocodingError
from geo.geocode.base import PRECISION_RANK, Geocoder
from geo.geocode.china import ChinaGeocoder, load_cpca
from geo.geocode.coordinates import CoordinatesGeocoder
from geo.geocode.countries import country_codes, country_extents
from geo.geocode.gazetteer import GazetteerGeocoder, default_gazetteer
from geo.geocode.geonames import GeoNamesGeocoder, load_geonames
from geo.geocode.nominatim import NominatimGeocoder
from geo.geocode.records import records_from_frame
from geo.geocode.uk_postcodes import UKPostcodeGeocoder, load_all_areas
from geo.i18n import _
from geo.settings import Settings, get_settings

__all__ = [
    "GEOCODER_STEPS",
    "RESULT_COLUMNS",
    "GeocodeResult",
    "build_geocoders",
    "geocode_frame",
    "geocode_one",
    "preload",
    "run_chain",
]

logger = logging.getLogger(__name__)

GEOCODER_STEPS: Final = ("coordinates", "gazetteer", "uk_postcodes", "china", "geonames",
                         "nominatim")
"""The chain's steps, in the order they run."""
RESULT_COLUMNS: Final = ("lon", "lat", "precision", "source", "candidate", "reason")
"""Columns :func:`geocode_frame` adds (``lon``/``lat`` in WGS84 degrees)."""
NOTES_ATTR: Final = "geocode_notes"
"""Key in the result's ``DataFrame.attrs`` holding the batch notes (said once per batch)."""


@dataclass(frozen=True)
class GeocodeResult:
    """Where one record was placed.

    Attributes
    ----------
    lon, lat : float
        WGS84 degrees (NaN when not found).
    precision : str
        One of :data:`geo.programme.PRECISIONS`.
    source : str
        The step that placed it (one of :data:`GEOCODER_STEPS`), the recorded source of given
        coordinates, or ``""`` when not found.
    candidate : str
        The name matched, with ``[1 of N]`` when N candidates matched.
    reason : str
        Why it was not found, or warnings about the record's own data.
    """

    lon: float
    lat: float
    precision: str
    source: str
    candidate: str = ""
    reason: str = ""

    @property
    def located(self) -> bool:
        """Whether the record has a point."""
        return self.precision != "not_found"


def build_geocoders(steps: Sequence[str] | None = None, *, settings: Settings | None = None,
                    gazetteer: pd.DataFrame | None = None) -> list[Geocoder]:
    """The chain's geocoders for the chosen steps, in chain order.

    Parameters
    ----------
    steps
        Names from :data:`GEOCODER_STEPS` (any order; they run in chain order). None: all.
    settings
        For Nominatim (on/off, user agent, timeout, cache folder). None: :func:`get_settings`.
    gazetteer
        The programme gazetteer (:mod:`geo.geocode.gazetteer`). None: the shipped demo.

    Without the ``coordinates`` step, raw coordinates in the records are ignored, but points an
    earlier run recorded with a precision are still kept (nothing located is lost).

    Raises
    ------
    GeocodingError
        For an unknown step name.
    """
    chosen = GEOCODER_STEPS if steps is None else tuple(steps)
    unknown = [s for s in chosen if s not in GEOCODER_STEPS]
    if unknown:
        msg = _("Unknown geocoder step(s) {steps!r}; choose from {choices}.").format(
            steps=unknown, choices=list(GEOCODER_STEPS))
        raise GeocodingError(msg)
    resolved = settings or get_settings()
    factories: dict[str, Callable[[], Geocoder]] = {
        "coordinates": CoordinatesGeocoder,
        "gazetteer": lambda: GazetteerGeocoder(default_gazetteer() if gazetteer is None
                                               else gazetteer),
        "uk_postcodes": UKPostcodeGeocoder,
        "china": ChinaGeocoder,
        "geonames": GeoNamesGeocoder,
        "nominatim": lambda: NominatimGeocoder(resolved),
    }
    geocoders = [factories[name]() for name in GEOCODER_STEPS if name in chosen]
    if "coordinates" not in chosen:  # keep what earlier runs located, whatever the steps
        geocoders.insert(0, CoordinatesGeocoder(only_recorded=True))
    return geocoders


def preload(steps: Sequence[str] | None = None) -> dict[str, float]:
    """Load the offline gazetteers now rather than on first use; seconds taken per step.

    Each is loaded once per process (all UK postcode areas, the GeoNames index, cpca's table,
    country names and extents); an app can call this in a cached resource at start-up.
    """
    chosen = GEOCODER_STEPS if steps is None else tuple(steps)
    loaders: dict[str, Callable[[], object]] = {
        "coordinates": lambda: (country_extents(), country_codes(["GB"])),
        "uk_postcodes": load_all_areas,
        "china": load_cpca,
        "geonames": load_geonames,
    }
    seconds: dict[str, float] = {}
    for name, load in loaders.items():
        if name in chosen:
            start = time.perf_counter()
            load()
            seconds[name] = time.perf_counter() - start
    return seconds


def _ranks(precision: np.ndarray) -> np.ndarray:
    """Rank of each precision label (0 = manual), vectorised."""
    ranks = pd.Series(precision, dtype=object).map(PRECISION_RANK)
    return np.asarray(ranks.to_numpy(dtype=np.int64), dtype=np.int64)


def _manual(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Records placed by hand (kept as they are), and manual records without coordinates."""
    marked = records["given_precision"].to_numpy(dtype=object) == "manual"
    lon, lat = records["lon"].to_numpy(), records["lat"].to_numpy()
    with np.errstate(invalid="ignore"):
        valid = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return marked & valid, marked & ~valid


def run_chain(records: pd.DataFrame, geocoders: Sequence[Geocoder], *,
              progress: Callable[[int, int], None] | None = None
              ) -> tuple[pd.DataFrame, list[str]]:
    """Run geocoders over tidy records (:func:`geo.geocode.records.records_from_frame`).

    Returns
    -------
    result : pandas.DataFrame
        :data:`RESULT_COLUMNS` on ``records.index``.
    notes : list of str
        Batch notes from the steps (each said once).
    """
    n = len(records)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    precision = np.full(n, "not_found", dtype=object)
    source = np.full(n, "", dtype=object)
    candidate = np.full(n, "", dtype=object)
    warnings: list[list[str]] = [[w] if w else [] for w in records["note"].to_numpy(dtype=object)]
    misses: list[list[str]] = [[] for _ in range(n)]
    manual, manual_without = _manual(records)
    lon[manual] = records["lon"].to_numpy()[manual]
    lat[manual] = records["lat"].to_numpy()[manual]
    precision[manual] = "manual"
    given_source = records["given_source"].to_numpy(dtype=object)
    source[manual] = np.where(given_source[manual] == "", "manual", given_source[manual])
    candidate[manual] = records["given_candidate"].to_numpy(dtype=object)[manual]
    for j in np.flatnonzero(manual_without):
        warnings[j].append("marked manual but has no valid coordinates, so it was geocoded")

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(n - total + done, n)

    report(0, n)
    notes: list[str] = []
    for geocoder in geocoders:
        rank = _ranks(precision)
        todo = np.flatnonzero((rank > PRECISION_RANK[geocoder.best_precision]) & ~manual)
        if not len(todo):
            continue
        if hasattr(geocoder, "progress"):
            geocoder.progress = report
        found = geocoder.locate(records.iloc[todo].assign(current=precision[todo]))
        found_rank = _ranks(found["precision"].to_numpy(dtype=object))
        better = found_rank < rank[todo]
        at = todo[better]
        lon[at] = found["lon"].to_numpy()[better]
        lat[at] = found["lat"].to_numpy()[better]
        precision[at] = found["precision"].to_numpy(dtype=object)[better]
        step_source = (found["source"].to_numpy(dtype=object) if "source" in found
                       else np.full(len(todo), geocoder.name, dtype=object))
        source[at] = step_source[better]
        candidate[at] = found["candidate"].to_numpy(dtype=object)[better]
        found_reason = found["reason"].to_numpy(dtype=object)
        for k in np.flatnonzero(found_reason != ""):
            misses[todo[k]].append(str(found_reason[k]))
        found_note = found["note"].to_numpy(dtype=object)
        for k in np.flatnonzero(found_note != ""):
            warnings[todo[k]].append(str(found_note[k]))
        notes += [note for note in geocoder.notes if note not in notes]
    reason = np.full(n, "", dtype=object)
    has_warning = np.array([bool(w) for w in warnings], dtype=bool)
    for i in np.flatnonzero(has_warning | (precision == "not_found")):
        said = warnings[i] + (misses[i] if precision[i] == "not_found" else [])
        if not said and precision[i] == "not_found":
            row = records.iloc[i]
            said = ([_("nothing to locate it by: no coordinates, postcode, address or city")]
                    if not (row["address"] or row["city"] or row["postcode"] or row["name"])
                    else [_("no geocoder recognised its postcode, address, city or name")])
        reason[i] = "; ".join(dict.fromkeys(said))
    report(n, n)
    for note in notes:
        logger.info("Geocoding: %s", note)
    result = pd.DataFrame({"lon": lon, "lat": lat, "precision": precision, "source": source,
                           "candidate": candidate, "reason": reason}, index=records.index)
    return result, notes


def geocode_frame(df: pd.DataFrame, *, settings: Settings | None = None,
                  steps: Sequence[str] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  gazetteer: pd.DataFrame | None = None) -> pd.DataFrame:
    """Locate every record of a member list.

    Parameters
    ----------
    df
        Records with any of the columns name, address, postcode, city, country (ISO-2 or a
        name), lon, lat (WGS84 degrees), location_precision (and location_source); common
        aliases (``Latitude``, ``zip``, ``town`` …) are recognised.
    settings
        Nominatim on/off, user agent, timeout and cache folder. None: :func:`get_settings`.
    steps
        The steps to run (names from :data:`GEOCODER_STEPS`). None: all of them.
    progress
        Called as ``progress(done, total)`` with records done so far (monotonic; the online step
        advances it query by query).
    gazetteer
        The programme's gazetteer (:mod:`geo.geocode.gazetteer`). None: the shipped demo.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` (same index and columns) with :data:`RESULT_COLUMNS` added or replaced;
        the batch notes (e.g. "Nominatim is switched off") are in ``result.attrs["geocode_notes"]``.

    Examples
    --------
    >>> from geo.settings import Settings
    >>> out = geocode_frame(pd.DataFrame({"postcode": ["b47da"], "city": ["Birmingham"]}),
    ...                     settings=Settings(nominatim=False))
    >>> out.loc[0, ["precision", "source", "candidate"]].tolist()
    ['postcode', 'uk_postcodes', 'B4 7DA']
    """
    records = records_from_frame(df)
    geocoders = build_geocoders(steps, settings=settings, gazetteer=gazetteer)
    result, notes = run_chain(records, geocoders, progress=progress)
    out = df.copy()
    for column in RESULT_COLUMNS:
        out[column] = result[column].to_numpy()
    out.attrs[NOTES_ATTR] = notes
    return out


def geocode_one(record: Mapping[str, object], *, settings: Settings | None = None,
                steps: Sequence[str] | None = None,
                gazetteer: pd.DataFrame | None = None) -> GeocodeResult:
    """Locate one record (a mapping with the columns :func:`geocode_frame` reads).

    Examples
    --------
    >>> from geo.settings import Settings
    >>> geocode_one({"city": "Ipatinga", "country": "BR"}, settings=Settings()).source
    'geonames'
    """
    row = geocode_frame(pd.DataFrame([dict(record)]), settings=settings, steps=steps,
                        gazetteer=gazetteer).iloc[0]
    return GeocodeResult(lon=float(row["lon"]), lat=float(row["lat"]),
                         precision=str(row["precision"]), source=str(row["source"]),
                         candidate=str(row["candidate"]), reason=str(row["reason"]))
