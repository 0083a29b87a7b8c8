"""The chain through its public API: ordering, manual records, bad rows, re-runs, the gazetteer.

All offline (``Settings(nominatim=False)``); the Nominatim path is in test_geocode_nominatim.py.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.errors import GeocodingError
from geo.geocode import (
    GAZETTEER_SOURCES,
    GEOCODER_STEPS,
    NOTES_ATTR,
    RESULT_COLUMNS,
    default_gazetteer,
    gazetteer_from_parks,
    geocode_frame,
    geocode_one,
    read_gazetteer,
)
from geo.i18n import use_locale
from geo.programme import PRECISIONS
from geo.settings import Settings


@pytest.fixture
def offline(tmp_path: Path) -> Settings:
    """Settings with Nominatim off and a private data directory."""
    return Settings(data_dir=tmp_path, nominatim=False)


def members() -> pd.DataFrame:
    """A mixed member list: UK, US, China, Brazil, Finland, blanks, garbage and bad coordinates."""
    return pd.DataFrame({
        "name": ["Acme", "Brum", "Bama", "扬州厂", "Usina", "Blank", "Junk", "Swap", "Kotka Oy",
                 "Hand", "Zero"],
        "address": ["", "", "", "江苏省扬州市邗江区", "Av. João XXIII, Ipatinga - MG", "",
                    "%%% ???", "", "Mussalon satama", "", ""],
        "postcode": ["b47da", "", "", "", "", "", "", "", "", "", ""],
        "city": ["", "Birmingham", "Birmingham", "", "", "", "", "Birmingham", "Kotka", "", ""],
        "country": ["GB", "United Kingdom", "US", "CN", "Brasil", "", "", "GB", "FI", "FI", ""],
        "lon": [None, None, None, None, None, None, None, 52.48, None, 26.91, 0.0],
        "lat": [None, None, None, None, None, None, None, -1.89, None, 60.48, 0.0],
        "location_precision": [""] * 9 + ["manual", ""],
    }, index=pd.Index([f"r{i}" for i in range(11)], name="row"))


def test_mixed_batch(offline: Settings) -> None:
    """Each record goes to the right step; bad rows get not_found and a reason; index is kept."""
    out = geocode_frame(members(), settings=offline)
    assert out.index.equals(members().index)
    assert list(out.columns) == [*members().columns, "precision", "source", "candidate", "reason"]
    assert set(RESULT_COLUMNS) <= set(out.columns)
    assert set(out["precision"]) <= set(PRECISIONS)
    assert out["source"].tolist() == ["uk_postcodes", "geonames", "geonames", "china", "geonames",
                                      "", "", "geonames", "gazetteer", "manual", ""]
    assert out["precision"].tolist() == ["postcode", "town", "town", "district", "town",
                                         "not_found", "not_found", "town", "district", "manual",
                                         "not_found"]
    assert out.loc["r2", "lon"] < -80 and out.loc["r1", "lon"] > -3  # Birmingham US vs GB
    assert "nothing to locate it by" not in out.loc["r5", "reason"]  # it has a name
    assert out.loc["r5", "reason"] and out.loc["r6", "reason"]
    assert "swapped" in out.loc["r7", "reason"]  # kept as a warning, though placed by its city
    assert "placeholder" in out.loc["r10", "reason"]
    located = out["precision"] != "not_found"
    assert out.loc[located, ["lon", "lat"]].notna().all().all()
    assert out.loc[~located, ["lon", "lat"]].isna().all().all()


def test_blank_row_reason(offline: Settings) -> None:
    """A row with nothing in it says so."""
    result = geocode_one({"name": "", "address": "  "}, settings=offline)
    assert not result.located
    assert result.reason.startswith("nothing to locate it by")


def test_manual_record_survives_a_rerun(offline: Settings) -> None:
    """A record placed by hand keeps its point, precision and source through batch runs."""
    first = geocode_frame(members(), settings=offline)
    moved = first.copy()
    moved.loc["r1", ["lon", "lat"]] = [-1.95, 52.45]
    moved["location_precision"] = moved["precision"]
    moved.loc["r1", "location_precision"] = "manual"
    moved.loc["r1", "location_source"] = "manual"
    second = geocode_frame(moved, settings=offline)
    assert second.loc["r1", ["lon", "lat", "precision", "source"]].tolist() == [
        -1.95, 52.45, "manual", "manual"]


def test_rerun_on_own_output_loses_nothing(offline: Settings) -> None:
    """Feeding the output back in keeps every point, precision, source and candidate."""
    first = geocode_frame(members(), settings=offline)
    second = geocode_frame(first, settings=offline, steps=["coordinates"])
    located = first["precision"] != "not_found"
    cols = ["lon", "lat", "precision", "source", "candidate"]
    pd.testing.assert_frame_equal(second.loc[located, cols], first.loc[located, cols])


def test_rerun_with_fewer_steps_loses_nothing(offline: Settings) -> None:
    """Switching steps off never drops a location recorded by an earlier run."""
    first = geocode_frame(members(), settings=offline)
    second = geocode_frame(first.drop(columns="location_precision"), settings=offline,
                           steps=["geonames"])
    located = first["precision"] != "not_found"
    assert (second.loc[located, "precision"] == first.loc[located, "precision"]).all()
    raw = geocode_frame(pd.DataFrame({"lon": [26.9], "lat": [60.5]}), settings=offline,
                        steps=["geonames"])
    assert raw.loc[0, "precision"] == "not_found"  # raw coordinates are the switched-off step


def test_steps_are_switchable(offline: Settings) -> None:
    """Without the postcode step, a UK record falls back to later steps or is not found."""
    out = geocode_frame(pd.DataFrame({"postcode": ["B4 7DA"], "country": ["GB"]}),
                        settings=offline, steps=["coordinates", "geonames"])
    assert out.loc[0, "precision"] == "not_found"
    with pytest.raises(GeocodingError, match="Unknown geocoder step"):
        geocode_frame(pd.DataFrame({"city": ["Kotka"]}), settings=offline, steps=["bing"])


def test_finer_offline_result_is_not_replaced_by_coarser(offline: Settings) -> None:
    """A postcode hit is not moved to the town centre named in the same record."""
    out = geocode_frame(pd.DataFrame({"postcode": ["B4 7DA"], "city": ["Birmingham"],
                                      "country": ["GB"]}), settings=offline)
    assert out.loc[0, "source"] == "uk_postcodes"


def test_progress_is_monotonic_and_complete(offline: Settings) -> None:
    """Progress goes from 0 to the number of records, never backwards."""
    seen: list[tuple[int, int]] = []
    geocode_frame(members(), settings=offline, progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done[0] == 0 and done[-1] == len(members()) and done == sorted(done)
    assert {t for _, t in seen} == {len(members())}


def test_offline_note_said_once(offline: Settings) -> None:
    """With Nominatim off, one batch note says so, however many records it could have helped."""
    out = geocode_frame(members(), settings=offline)
    notes = out.attrs[NOTES_ATTR]
    assert len([n for n in notes if "Nominatim" in n]) == 1


def test_programme_gazetteer_from_csv_and_parks(tmp_path: Path, offline: Settings) -> None:
    """A programme's CSV and its parks extend the gazetteer; aliases and addresses match."""
    csv = tmp_path / "estates.csv"
    csv.write_text("name,aliases,country,lon,lat,precision\n"
                   "Tyseley Energy Park,TEP|Tyseley EP,GB,-1.835,52.455,building\n",
                   encoding="utf-8")
    parks = gpd.GeoDataFrame({"name": ["Aston Science Park"], "country": ["GB"]},
                             geometry=[box(-1.89, 52.48, -1.88, 52.49)], crs="EPSG:4326")
    gazetteer = pd.concat([read_gazetteer(csv), gazetteer_from_parks(parks)], ignore_index=True)
    out = geocode_frame(pd.DataFrame({"address": ["Unit 4, TEP, Birmingham",
                                                  "Aston Science Park, Birmingham"],
                                      "country": ["GB", "GB"]}),
                        settings=offline, gazetteer=gazetteer)
    assert out["source"].tolist() == ["gazetteer", "gazetteer"]
    assert out["precision"].tolist() == ["building", "district"]
    assert out.loc[0, "candidate"] == "Tyseley Energy Park, GB"


def test_demo_gazetteer_is_in_karhula(offline: Settings) -> None:
    """The shipped demo gazetteer is valid and lies around Kotka (lon 26.8–27.0, lat 60.4–60.6)."""
    demo = default_gazetteer()
    assert len(demo) >= 3 and set(demo["country"]) == {"FI"}
    assert demo["lon"].between(26.8, 27.0).all() and demo["lat"].between(60.4, 60.6).all()


def test_bad_gazetteer_rows_are_listed(tmp_path: Path) -> None:
    """Every bad gazetteer row is named in one error message."""
    csv = tmp_path / "bad.csv"
    csv.write_text("name,country,lon,lat,precision\nA,FI,200,60,town\n,FI,26,60,town\n"
                   "C,FI,26,60,somewhere\n", encoding="utf-8")
    with pytest.raises(GeocodingError) as err:
        read_gazetteer(csv)
    assert all(f"row {i}" in str(err.value) for i in (1, 2, 3))


def test_sources_name_licences_for_every_data_step() -> None:
    """Every data step has a licence and an attribution to show."""
    steps = {s.step for s in GAZETTEER_SOURCES}
    assert steps == set(GEOCODER_STEPS)
    assert all(s.licence and s.attribution for s in GAZETTEER_SOURCES)
    table = pd.DataFrame(GAZETTEER_SOURCES)
    assert {"name", "licence", "attribution"} <= set(table.columns)


def test_numeric_text_and_decimal_commas(offline: Settings) -> None:
    """Coordinates given as text with decimal commas are read; non-numbers are reported."""
    out = geocode_frame(pd.DataFrame({"lat": ["60,47", "north"], "lon": ["26,94", "east"],
                                      "country": ["FI", "FI"]}), settings=offline)
    assert out.loc[0, "precision"] == "exact"
    assert np.isclose(out.loc[0, "lat"], 60.47)
    assert "not numbers" in out.loc[1, "reason"]


def test_reasons_and_notes_follow_the_session_language(offline: Settings) -> None:
    """Reasons and batch notes are written in the session's language, values filled in."""
    with use_locale("qps_PLOC"):
        out = geocode_frame(members(), settings=offline)
    reasons = out["reason"].to_dict()
    assert reasons["r7"].startswith("⟦") and "(lon=52.48, lat=-1.89)" in reasons["r7"]
    assert reasons["r6"].startswith("⟦")
    notes = out.attrs[NOTES_ATTR]
    assert notes and all(n.startswith("⟦") for n in notes)
    assert geocode_frame(members(), settings=offline).loc["r7", "reason"].startswith("lon/lat")
