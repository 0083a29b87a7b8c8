"""Technology profiles: the shipped file and the validation of bad profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.catalogue import load_catalogue
from geo.errors import SitingError
from geo.factors import load_factors
from geo.siting.profiles import PROFILES_PATH, load_profiles, profile_from_dict

RAW = json.loads(PROFILES_PATH.read_text(encoding="utf-8"))["profiles"]


def _raw(**changes: object) -> dict:
    """The anaerobic digestion profile's dict with some fields changed."""
    base = dict(next(p for p in RAW if p["id"] == "anaerobic_digestion"))
    base.update(changes)
    return base


def test_shipped_profiles_load_with_sources_and_known_codes() -> None:
    """Every shipped profile cites sources, and each accepted stream selects catalogue codes."""
    profiles = load_profiles()
    assert {"anaerobic_digestion", "plastics_pyrolysis", "plasterboard_recycling",
            "waste_oil_rerefining", "wood_biomass_chp"} <= set(profiles)
    cat = load_catalogue()
    for prof in profiles.values():
        assert prof.sources and all(len(s) > 20 for s in prof.sources)
        for stream in prof.streams:
            assert cat.codes_matching([stream.selector]), stream.selector


def test_null_transport_figures_come_from_the_factor_table() -> None:
    """A profile without its own CO2e per t·km takes the cited DESNZ factor."""
    prof = load_profiles()["anaerobic_digestion"]
    factor = load_factors().get("hgv_co2e_kg_per_tkm")
    assert prof.co2e_kg_per_tkm == factor.value
    assert "2024" in prof.co2e_source
    assert load_profiles()["waste_oil_rerefining"].transport_cost_per_tkm == 0.2


@pytest.mark.parametrize(("changes", "rule"), [
    ({"streams": []}, "at least one accepted stream"),
    ({"min_throughput_t": 9000, "max_throughput_t": 5000}, "minimum throughput cannot exceed"),
    ({"transport_cost_per_tkm": -0.1}, "transport_cost_per_tkm cannot be negative"),
    ({"land_ha": -1}, "land_ha cannot be negative"),
    ({"max_haul_km": 0}, "maximum haul must be > 0"),
])
def test_bad_profiles_are_refused_with_the_rule(changes: dict, rule: str) -> None:
    """A broken profile raises SitingError naming the rule broken and the value found."""
    with pytest.raises(SitingError, match=rule):
        profile_from_dict(_raw(**changes))


def test_with_changes_validates_edits() -> None:
    """Edits in the page go through the same validation (min above max is refused)."""
    prof = load_profiles()["wood_biomass_chp"]
    assert prof.with_changes(rules={"min_residential_distance_m": 50}).rules \
        .min_residential_distance_m == 50
    with pytest.raises(SitingError, match="minimum throughput"):
        prof.with_changes(min_throughput_t=prof.max_throughput_t + 1)


def test_round_trip_through_dict() -> None:
    """A profile written with to_dict reads back equal (the page caches it as JSON)."""
    prof = load_profiles()["plastics_pyrolysis"]
    assert profile_from_dict(json.loads(json.dumps(prof.to_dict()))) == prof


def test_unreadable_profile_file(tmp_path: Path) -> None:
    """A file without a profiles list says what shape is expected."""
    f = tmp_path / "p.json"
    f.write_text("{}")
    with pytest.raises(SitingError, match="no 'profiles' list"):
        load_profiles(f)


def test_refusal_in_the_pseudo_locale_is_one_sentence_with_the_profile_filled() -> None:
    """A broken edit is refused in the reader's language: one marked sentence, placeholders
    filled with the profile's id and the figures given."""
    from geo.i18n import use_locale

    prof = load_profiles()["anaerobic_digestion"]
    with use_locale("qps_PLOC"), pytest.raises(SitingError) as err:
        prof.with_changes(min_throughput_t=prof.max_throughput_t + 1)
    text = str(err.value)
    assert text.startswith("⟦") and text.endswith("⟧")
    assert "'anaerobic_digestion'" in text and "(50001.0, 50000.0)" in text
