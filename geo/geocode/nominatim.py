"""Step 6: Nominatim (OpenStreetMap) through geopy — online, and only when switched on.

Follows the Nominatim usage policy: an identifying user agent (``settings.user_agent``), at most
one request per second (geopy's ``RateLimiter``), a timeout (``settings.timeout_s``), retries
with exponential back-off (honouring ``Retry-After`` on HTTP 429), and a persistent cache
(:class:`geo.geocode.cache.GeocodeCache` in ``settings.cache_dir``) so that the same query is
never sent twice. Identical queries in one batch are sent once.

When ``settings.nominatim`` is off, or the service cannot be reached, or refuses us, the step
says so once (a batch note) and the chain goes on; records keep what the offline steps found.

Only records that the offline steps could not place, or placed no better than a street while an
address line is given, are sent; an answer replaces an offline result only when it is finer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo.errors import GeocodingError
from geo.geocode.base import PRECISION_RANK, candidate_label, empty_output
from geo.geocode.cache import GeocodeCache, cache_key
from geo.geocode.countries import country_names
from geo.i18n import _, format_number, ngettext
from geo.settings import Settings

__all__ = ["NominatimAnswer", "NominatimGeocoder", "NominatimPolicy", "precision_of_place"]

_DISTRICT_TYPES: Final = frozenset({"suburb", "city_district", "district", "borough", "quarter",
                                    "neighbourhood", "neighborhood", "industrial", "residential",
                                    "commercial", "retail"})


@dataclass(frozen=True)
class NominatimPolicy:
    """How politely Nominatim is asked.

    Attributes
    ----------
    min_delay_s : float
        Seconds between two requests; the usage policy requires at least 1.
    max_tries : int
        Tries per query on timeouts, HTTP 429 and unavailability (≥ 1).
    backoff_s : float
        Wait before the second try in seconds; doubled before each further try (a 429's
        ``Retry-After`` wins when given).
    limit : int
        Candidates asked for per query (their count is reported).
    """

    min_delay_s: float = 1.0
    max_tries: int = 3
    backoff_s: float = 2.0
    limit: int = 5

    def __post_init__(self) -> None:
        if self.min_delay_s < 1.0:
            msg = (f"min_delay_s must be at least 1 s (Nominatim usage policy), got "
                   f"{self.min_delay_s!r}.")
            raise ValueError(msg)
        if self.max_tries < 1:
            msg = f"max_tries must be at least 1, got {self.max_tries!r}."
            raise ValueError(msg)
        if self.backoff_s < 0:
            msg = f"backoff_s must not be negative, got {self.backoff_s!r}."
            raise ValueError(msg)
        if not 1 <= self.limit <= 40:
            msg = f"limit must be within 1..40, got {self.limit!r}."
            raise ValueError(msg)


@dataclass(frozen=True)
class NominatimAnswer:
    """What one query gave: the raw places (best first), or why there are none.

    ``error`` is ``""`` for a real answer (which may be an empty list), otherwise a sentence
    for the record's ``reason``; ``from_cache`` tells whether a request was saved.
    """

    places: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    from_cache: bool = False


def precision_of_place(place: Mapping[str, Any]) -> str:
    """Precision label of one Nominatim place (``format=json``), from its rank and type.

    ``place_rank`` ≥ 28 is a building or point of interest, 26–27 a street; postcodes,
    suburbs and neighbourhoods follow their type; 12–25 is a town or village; coarser places
    (counties, states, countries) are ``not_found``.

    Examples
    --------
    >>> precision_of_place({"place_rank": "30", "type": "house"})
    'building'
    >>> precision_of_place({"place_rank": "16", "type": "city", "addresstype": "city"})
    'town'
    >>> precision_of_place({"place_rank": "8", "type": "administrative"})
    'not_found'
    """
    rank = int(place.get("place_rank", 0) or 0)
    kind = {str(place.get("type", "")), str(place.get("addresstype", ""))}
    if "postcode" in kind:
        return "postcode"
    if rank >= 28:
        return "building"
    if rank >= 26:
        return "street"
    if kind & _DISTRICT_TYPES and rank >= 12:
        return "district"
    if rank >= 12:
        return "town"
    return "not_found"


class _Limiter(RateLimiter):  # type: ignore[misc]
    """geopy's RateLimiter with an injectable clock and sleep (tests run without waiting)."""

    def __init__(self, func: Callable[..., Any], *, min_delay_s: float,
                 sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        super().__init__(func, min_delay_seconds=min_delay_s, max_retries=0,
                         error_wait_seconds=min_delay_s, swallow_exceptions=False)
        self._sleep_fn = sleep
        self._clock_fn = clock

    def _sleep(self, seconds: float) -> None:
        self._sleep_fn(seconds)

    def _clock(self) -> float:
        return self._clock_fn()


class NominatimGeocoder:
    """The Nominatim step (see the module docstring).

    Parameters
    ----------
    settings
        Uses ``nominatim`` (on/off), ``user_agent``, ``timeout_s`` and ``cache_dir``.
    policy
        Rate, retries and back-off.
    adapter_factory
        geopy adapter factory (tests pass one that replays recorded responses).
    sleep, clock
        ``time.sleep`` and ``time.monotonic`` unless given (tests pass fakes).
    cache
        Defaults to ``GeocodeCache(settings.cache_dir / "geocode.sqlite3")``.
    """

    name = "nominatim"
    best_precision = "building"

    def __init__(self, settings: Settings, *, policy: NominatimPolicy | None = None,
                 adapter_factory: Callable[..., Any] | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] | None = None,
                 cache: GeocodeCache | None = None) -> None:
        self.settings = settings
        self.policy = policy or NominatimPolicy()
        self.cache = cache or GeocodeCache(settings.cache_dir / "geocode.sqlite3")
        self._adapter_factory = adapter_factory
        self._sleep = sleep or time.sleep
        self._clock = clock or time.monotonic
        self._limiter: _Limiter | None = None
        self._blocked = ""
        self.requests_sent = 0
        self.notes: list[str] = []
        self.progress: Callable[[int, int], None] | None = None

    def _request(self) -> _Limiter:
        if self._limiter is None:
            agent = self.settings.user_agent.strip()
            if not agent or agent.lower().startswith("geopy"):
                msg = _("Nominatim needs a user agent that identifies you, got {agent!r}; set "
                        "SYMBIOMAP_USER_AGENT='my-programme/1.0 (me@example.org)'.").format(
                    agent=agent)
                raise GeocodingError(msg)
            kwargs: dict[str, Any] = {"user_agent": agent, "timeout": self.settings.timeout_s}
            if self._adapter_factory is not None:
                kwargs["adapter_factory"] = self._adapter_factory
            client = Nominatim(**kwargs)
            self._limiter = _Limiter(client.geocode, min_delay_s=self.policy.min_delay_s,
                                     sleep=self._sleep, clock=self._clock)
        return self._limiter

    def _block(self, why: str) -> NominatimAnswer:
        if not self._blocked:
            self._blocked = why
            # Translators: {problem} says what went wrong with Nominatim (a translated clause).
            self.notes.append(_("{problem}; the chain went on without Nominatim for this "
                                "batch.").format(problem=why))
        return NominatimAnswer(error=why)

    def search(self, query: str, country: str = "") -> NominatimAnswer:
        """Places for one free-text query, from the cache or (politely) from Nominatim.

        Parameters
        ----------
        query
            Free text (``"Mussalontie 5, Kotka"``); whitespace is collapsed.
        country
            ISO-2 code to restrict the search to, or ``""``.
        """
        text = " ".join(query.split())
        request = {"service": "nominatim", "q": text.casefold(), "countrycodes": country.lower(),
                   "limit": self.policy.limit}
        key = cache_key(request)
        cached = self.cache.get(key)
        if isinstance(cached, list):
            return NominatimAnswer(places=cached, from_cache=True)
        if self._blocked:
            return NominatimAnswer(error=self._blocked)
        limiter = self._request()
        last, unreachable = "", False
        for attempt in range(self.policy.max_tries):
            wait = self.policy.backoff_s * 2 ** attempt
            try:
                self.requests_sent += 1
                found = limiter(text, exactly_one=False, limit=self.policy.limit,
                                country_codes=country.lower() or None)
            except GeocoderRateLimited as exc:
                last, unreachable = _("Nominatim answered HTTP 429 (too many requests)"), False
                wait = float(exc.retry_after) if exc.retry_after else wait
            except GeocoderTimedOut:
                last = _("Nominatim timed out (timeout {seconds} s)").format(
                    seconds=format_number(self.settings.timeout_s,
                                          digits=0 if float(self.settings.timeout_s).is_integer()
                                          else 1))
                unreachable = False
            except GeocoderUnavailable as exc:
                last = _("Nominatim could not be reached ({reason})").format(reason=exc)
                unreachable = True
            except (GeocoderInsufficientPrivileges, GeocoderAuthenticationFailure,
                    GeocoderQuotaExceeded) as exc:
                return self._block(_("Nominatim refused the requests ({reason}); check that "
                                     "SYMBIOMAP_USER_AGENT identifies you").format(reason=exc))
            except GeocoderQueryError as exc:
                return NominatimAnswer(error=_("Nominatim rejected the query ({reason})").format(
                    reason=exc))
            except GeocoderServiceError as exc:
                last = _("Nominatim failed ({reason})").format(reason=exc)
                unreachable = False
            else:
                places = [dict(loc.raw) for loc in (found or [])]
                self.cache.put(key, places, service="nominatim", request=request)
                return NominatimAnswer(places=places)
            if attempt + 1 < self.policy.max_tries:
                self._sleep(wait)
        tries = self.policy.max_tries
        # Translators: {problem} says what went wrong with Nominatim (a translated clause).
        why = ngettext("{problem} after {n} try", "{problem} after {n} tries", tries).format(
            problem=last, n=tries)
        if unreachable:
            return self._block(why)
        return NominatimAnswer(error=why)

    def _queries(self, records: pd.DataFrame) -> np.ndarray:
        current = (records["current"].to_numpy(dtype=object) if "current" in records
                   else np.full(len(records), "not_found", dtype=object))
        address = records["address"].to_numpy(dtype=object)
        worse_than_postcode = np.array([PRECISION_RANK.get(p, 99) > PRECISION_RANK["postcode"]
                                        for p in current])
        wanted = (current == "not_found") | (worse_than_postcode & (address != ""))
        queries = np.full(len(records), "", dtype=object)
        for i in np.flatnonzero(wanted):
            row = records.iloc[i]
            parts = [row["address"] or row["name"], row["postcode"], row["city"]]
            queries[i] = ", ".join(dict.fromkeys(p for p in parts if p))
        return queries

    def locate(self, records: pd.DataFrame) -> pd.DataFrame:
        """See :class:`geo.geocode.base.Geocoder`."""
        out = empty_output(records.index)
        queries = self._queries(records)
        todo = np.flatnonzero(queries != "")
        if not len(todo):
            return out
        if not self.settings.nominatim:
            self.notes.append(ngettext(
                "Nominatim (online) is switched off, so {n} record was not sent to it; set "
                "SYMBIOMAP_NOMINATIM=1 to use it.",
                "Nominatim (online) is switched off, so {n} records were not sent to it; set "
                "SYMBIOMAP_NOMINATIM=1 to use it.", len(todo)).format(n=format_number(len(todo))))
            return out
        country = records["country"].to_numpy(dtype=object)
        pairs = pd.DataFrame({"q": queries[todo], "c": country[todo]})
        unique = pairs.drop_duplicates().to_numpy()
        answers: dict[tuple[str, str], NominatimAnswer] = {}
        for n, (query, code) in enumerate(unique, start=1):
            answers[(query, code)] = self.search(query, code)
            if self.progress is not None:
                self.progress(n, len(unique))
        names = country_names()
        nothing_in = _("Nominatim found nothing for {query!r} in {country}")
        nothing = _("Nominatim found nothing for {query!r}")
        for i in todo:
            answer = answers[(queries[i], country[i])]
            row = records.index[i]
            if answer.error:
                out.at[row, "reason"] = answer.error
            elif not answer.places:
                out.at[row, "reason"] = (
                    nothing_in.format(query=queries[i],
                                      country=names.get(country[i], country[i]))
                    if country[i] else nothing.format(query=queries[i]))
            else:
                place = answer.places[0]
                precision = precision_of_place(place)
                label = str(place.get("display_name", ""))[:80]
                if precision == "not_found":
                    out.at[row, "reason"] = _("Nominatim matched only a region ({place})").format(
                        place=label)
                    continue
                count = len(answer.places)
                out.loc[row, ["lon", "lat", "precision", "candidate"]] = [
                    float(place["lon"]), float(place["lat"]), precision,
                    candidate_label(label, "", count)]
        return out
