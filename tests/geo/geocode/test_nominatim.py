"""The Nominatim step, offline: recorded responses replayed through a fake geopy adapter.

No test here touches the network: the adapter answers from ``tests/data/geocode/`` or raises
what a real adapter raises on HTTP 429, timeouts and unreachable hosts; sleep and clock are fakes.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

from geo.errors import GeocodingError
from geo.geocode import geocode_frame
from geo.geocode.nominatim import NominatimGeocoder, NominatimPolicy, precision_of_place
from geo.geocode.records import records_from_frame
from geo.settings import Settings
from tests.paths import DATA as TEST_DATA

DATA = TEST_DATA / "geocode"
AGENT = "SymbioMap-tests/0.1 (tests@example.org)"


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def recorded_adapter(answers: dict[str, Any], calls: list[tuple[float, str]],
                     clock: FakeClock) -> Callable[..., BaseSyncAdapter]:
    """An adapter factory replaying ``answers`` by query text: a file name, or an exception."""

    class Recorded(BaseSyncAdapter):
        def __init__(self, *, proxies: Any = None, ssl_context: Any = None) -> None:
            super().__init__(proxies=proxies, ssl_context=ssl_context)

        def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
            assert headers["User-Agent"] == AGENT
            query = parse_qs(urlparse(url).query)["q"][0]
            calls.append((clock.now, query))
            answer = answers.get(query, "nominatim_empty.json")
            if isinstance(answer, BaseException):
                raise answer
            return json.loads((DATA / answer).read_text(encoding="utf-8"))

        def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
            raise NotImplementedError

    return Recorded


@pytest.fixture
def clock() -> FakeClock:
    """A fresh fake clock."""
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Nominatim on, with a test user agent and a cache in tmp_path."""
    return Settings(data_dir=tmp_path, nominatim=True, user_agent=AGENT, timeout_s=5.0)


def make(settings: Settings, clock: FakeClock, answers: dict[str, Any],
         calls: list[tuple[float, str]], **policy: Any) -> NominatimGeocoder:
    """A Nominatim step wired to the recorded adapter and the fake clock."""
    return NominatimGeocoder(settings, policy=NominatimPolicy(**policy),
                             adapter_factory=recorded_adapter(answers, calls, clock),
                             sleep=clock.sleep, clock=clock.clock)


def records(**columns: list[object]) -> pd.DataFrame:
    """Tidy records of not-yet-located rows."""
    return records_from_frame(pd.DataFrame(columns)).assign(current="not_found")


def test_recorded_building_answer(settings: Settings, clock: FakeClock) -> None:
    """A building-level answer gives precision building, its point and the candidate count."""
    calls: list[tuple[float, str]] = []
    step = make(settings, clock, {"Mussalontie 5, Kotka": "nominatim_mussalontie.json"}, calls)
    out = step.locate(records(address=["Mussalontie 5"], city=["Kotka"], country=["FI"]))
    assert out.loc[0, "precision"] == "building"
    assert (out.loc[0, "lon"], out.loc[0, "lat"]) == (26.8712, 60.4471)
    assert out.loc[0, "candidate"].endswith("[1 of 2]")
    assert len(calls) == 1


def test_cache_prevents_a_second_request(settings: Settings, clock: FakeClock) -> None:
    """The same query (any case or spacing), even from a new step object, is not sent again."""
    calls: list[tuple[float, str]] = []
    answers = {"Mussalontie 5, Kotka": "nominatim_mussalontie.json"}
    make(settings, clock, answers, calls).locate(
        records(address=["Mussalontie 5"], city=["Kotka"], country=["FI"]))
    again = make(settings, clock, answers, calls)
    out = again.locate(records(address=["mussalontie  5", "Mussalontie 5"],
                               city=["KOTKA", "Kotka"], country=["FI", "FI"]))
    assert len(calls) == 1 and again.requests_sent == 0
    assert out["precision"].tolist() == ["building", "building"]


def test_one_request_per_second(settings: Settings, clock: FakeClock) -> None:
    """Distinct queries are spaced at least one second apart."""
    calls: list[tuple[float, str]] = []
    step = make(settings, clock, {}, calls)
    step.locate(records(address=["A street 1", "B street 2", "C street 3"], country=["FI"] * 3))
    times = [t for t, _ in calls]
    assert len(times) == 3
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


def test_http_429_backs_off_then_not_found_and_batch_goes_on(settings: Settings,
                                                             clock: FakeClock) -> None:
    """HTTP 429 is retried with growing waits, then reported; the next record is still asked."""
    calls: list[tuple[float, str]] = []
    too_many = AdapterHTTPError("Too Many Requests", status_code=429, headers={}, text="")
    step = make(settings, clock, {"Busy street 1": too_many,
                                  "Mussalontie 5, Kotka": "nominatim_mussalontie.json"}, calls,
                max_tries=3, backoff_s=2.0)
    out = step.locate(records(address=["Busy street 1", "Mussalontie 5"], city=["", "Kotka"],
                              country=["FI", "FI"]))
    assert [q for _, q in calls] == ["Busy street 1"] * 3 + ["Mussalontie 5, Kotka"]
    assert 2.0 in clock.sleeps and 4.0 in clock.sleeps
    assert out.loc[0, "precision"] == "not_found"
    assert "HTTP 429" in out.loc[0, "reason"] and "after 3 tries" in out.loc[0, "reason"]
    assert out.loc[1, "precision"] == "building"


def test_retry_after_header_is_honoured(settings: Settings, clock: FakeClock) -> None:
    """A 429 with Retry-After waits that long before the next try."""
    calls: list[tuple[float, str]] = []
    too_many = AdapterHTTPError("Too Many Requests", status_code=429,
                                headers={"retry-after": "30"}, text="")
    make(settings, clock, {"Busy street 1": too_many}, calls, max_tries=2).locate(
        records(address=["Busy street 1"], country=["FI"]))
    assert 30.0 in clock.sleeps


def test_timeout_is_retried_then_reported(settings: Settings, clock: FakeClock) -> None:
    """Timeouts are retried and then give a reason naming the timeout; nothing is cached."""
    calls: list[tuple[float, str]] = []
    step = make(settings, clock, {"Slow street 1": GeocoderTimedOut("timed out")}, calls,
                max_tries=2)
    out = step.locate(records(address=["Slow street 1"], country=["FI"]))
    assert len(calls) == 2
    assert "timed out (timeout 5 s) after 2 tries" in out.loc[0, "reason"]
    assert len(step.cache) == 0


def test_unreachable_says_so_once_and_stops_asking(settings: Settings, clock: FakeClock) -> None:
    """When the service cannot be reached, one note is made and no further requests are sent."""
    calls: list[tuple[float, str]] = []
    down = GeocoderUnavailable("Service not available")
    step = make(settings, clock, {"A street 1": down, "B street 2": down}, calls, max_tries=2)
    out = step.locate(records(address=["A street 1", "B street 2"], country=["FI", "FI"]))
    assert len(calls) == 2  # two tries for the first query, none for the second
    assert len(step.notes) == 1 and "could not be reached" in step.notes[0]
    assert out["precision"].tolist() == ["not_found", "not_found"]


def test_answers_that_are_empty_or_too_coarse(settings: Settings, clock: FakeClock) -> None:
    """Nothing found, or only a province found, are not found with a reason."""
    calls: list[tuple[float, str]] = []
    step = make(settings, clock, {"Nowhere 1": "nominatim_empty.json",
                                  "江苏": "nominatim_region.json"}, calls)
    out = step.locate(records(address=["Nowhere 1", "江苏"], country=["FI", "CN"]))
    assert out.loc[0, "reason"] == "Nominatim found nothing for 'Nowhere 1' in Finland"
    assert "matched only a region" in out.loc[1, "reason"]


def test_switched_off_says_so_once_without_requests(tmp_path: Path, clock: FakeClock) -> None:
    """With settings.nominatim off, nothing is sent and one note says how to turn it on."""
    calls: list[tuple[float, str]] = []
    step = make(Settings(data_dir=tmp_path, nominatim=False, user_agent=AGENT), clock, {}, calls)
    step.locate(records(address=["A street 1", "B street 2"], country=["FI", "FI"]))
    assert calls == [] and len(step.notes) == 1 and "SYMBIOMAP_NOMINATIM=1" in step.notes[0]


def test_user_agent_must_identify(tmp_path: Path, clock: FakeClock) -> None:
    """A blank or geopy-default user agent is refused before any request."""
    step = make(Settings(data_dir=tmp_path, nominatim=True, user_agent="geopy/2.4"), clock, {},
                [])
    with pytest.raises(GeocodingError, match="SYMBIOMAP_USER_AGENT"):
        step.search("A street 1", "FI")


def test_policy_refuses_faster_than_one_per_second() -> None:
    """The usage policy's one request per second cannot be configured away."""
    with pytest.raises(ValueError, match="at least 1 s"):
        NominatimPolicy(min_delay_s=0.5)


@pytest.mark.parametrize(("place", "precision"), [
    ({"place_rank": 30, "type": "house"}, "building"),
    ({"place_rank": 26, "type": "residential", "addresstype": "road"}, "street"),
    ({"place_rank": 21, "type": "postcode"}, "postcode"),
    ({"place_rank": 20, "type": "suburb", "addresstype": "suburb"}, "district"),
    ({"place_rank": 16, "type": "city", "addresstype": "city"}, "town"),
    ({"place_rank": 4, "type": "administrative", "addresstype": "country"}, "not_found"),
])
def test_precision_of_place(place: dict[str, object], precision: str) -> None:
    """Nominatim ranks and types map to the programme's precision labels."""
    assert precision_of_place(place) == precision


def test_chain_uses_nominatim_only_for_what_offline_steps_missed(
        settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through geocode_frame: offline hits are not sent; an address Nominatim knows is refined."""
    calls: list[tuple[float, str]] = []
    answers = {"Mussalontie 5, Kotka": "nominatim_mussalontie.json"}
    monkeypatch.setattr("geopy.geocoders.options.default_adapter_factory",
                        recorded_adapter(answers, calls, clock))
    monkeypatch.setattr("geo.geocode.nominatim.time.sleep", clock.sleep)
    monkeypatch.setattr("geo.geocode.nominatim.time.monotonic", clock.clock)
    df = pd.DataFrame({"postcode": ["B4 7DA", "", ""], "address": ["", "Mussalontie 5", ""],
                       "city": ["", "Kotka", "Ipatinga"], "country": ["GB", "FI", "BR"]})
    out = geocode_frame(df, settings=settings, gazetteer=pd.DataFrame(
        columns=["name", "aliases", "country", "lon", "lat", "precision"]))
    assert out["source"].tolist() == ["uk_postcodes", "nominatim", "geonames"]
    assert out["precision"].tolist() == ["postcode", "building", "town"]
    assert [q for _, q in calls] == ["Mussalontie 5, Kotka"]
