"""Tests of outcomes: bounds, configurable types, CO2e with cited factors, totals that add up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.errors import SynergyError
from geo.factors import load_factors
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import change_stage, create_synergy
from geo.synergies.outcomes import (
    OutcomeConfig,
    co2e_avoided,
    effective_outcomes,
    outcome_totals,
    outcomes_wide,
    record_outcome,
)

HAVE = {"resource_id": "H1", "site_id": "S1", "direction": "have", "quantity": 100.0,
        "unit": "t/yr", "ewc_code": "150102", "hazardous": False}
WANT = {"resource_id": "W1", "site_id": "S2", "direction": "want", "quantity": 100.0,
        "unit": "t/yr"}


def _implemented(distance_km: float = 12.0) -> tuple[SynergyBook, str]:
    book, sid = create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino",
                               distance_km=distance_km, distance_method="road")
    return change_stage(book, sid, "implemented", expected_version=1, practitioner="Aino"), sid


@pytest.mark.parametrize(("kind", "value", "match"), [
    ("landfill_diverted_t", -1.0, "at least 0"),
    ("landfill_diverted_t", 101.0, "exceeds the resource's quantity"),
    ("hazardous_reused_t", 5.0, "not marked hazardous"),
    ("co2e_avoided_t", 5.0, "computed"),
    ("new_technologies", 1.0, "does not track"),
    ("landfill_diverted_t", 1e300, "beyond any yearly figure"),  # once a babel traceback
    ("jobs_created", 2.5, "a count: enter a whole number, got 2.5"),
])
def test_bad_outcomes_are_refused(kind: str, value: float, match: str) -> None:
    """Negative figures, tonnes above the resource, counts that are not whole, and untracked or
    computed types are refused."""
    book, sid = _implemented()
    with pytest.raises(SynergyError, match=match):
        record_outcome(book, sid, kind, value, period=2026, have=HAVE, expected_version=2,
                       practitioner="Aino")


def test_outcomes_are_for_past_or_current_years() -> None:
    """A year still to come is refused (an outcome is achieved, not forecast)."""
    from datetime import UTC, datetime

    book, sid = _implemented()
    next_year = datetime.now(UTC).year + 1
    with pytest.raises(SynergyError, match=f"got {next_year}"):
        record_outcome(book, sid, "landfill_diverted_t", 5.0, period=next_year, have=HAVE,
                       expected_version=2, practitioner="Aino")


def test_outcomes_wait_for_implementation() -> None:
    """An idea-stage synergy cannot report outcomes yet."""
    book, sid = create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino")
    with pytest.raises(SynergyError, match="implemented"):
        record_outcome(book, sid, "landfill_diverted_t", 5, period=2026, have=HAVE,
                       expected_version=1, practitioner="Aino")


def test_latest_entry_counts_and_history_keeps_both() -> None:
    """A correction is a new entry; the latest counts, both stay in the history."""
    book, sid = _implemented()
    book = record_outcome(book, sid, "landfill_diverted_t", 60, period=2026, have=HAVE,
                          expected_version=2, practitioner="Aino")
    book = record_outcome(book, sid, "landfill_diverted_t", 70, period=2026, have=HAVE,
                          expected_version=3, practitioner="Aino", note="weighbridge data")
    assert len(book.outcomes) == 2
    assert effective_outcomes(book.outcomes)["value"].tolist() == [70.0]
    assert (book.events["kind"] == "outcome").sum() == 2


def test_co2e_uses_the_cited_factors_from_the_file() -> None:
    """CO2e avoided = diverted × landfill factor − diverted × km × HGV factor, cited."""
    f = load_factors()
    book, sid = _implemented(distance_km=12.0)
    book = record_outcome(book, sid, "landfill_diverted_t", 80, period=2026, have=HAVE,
                          expected_version=2, practitioner="Aino")
    wide = outcomes_wide(book, factors=f)
    expected = (80 * f.value("landfill_co2e_kg_per_t")
                - 80 * 12.0 * f.value("hgv_co2e_kg_per_tkm")) / 1000
    assert wide["co2e_avoided_t"].iloc[0] == pytest.approx(expected)
    cite = wide["co2e_factors"].iloc[0]
    landfill = f.get("landfill_co2e_kg_per_t")
    assert landfill.source in cite and landfill.version in cite
    t, _ = co2e_avoided(np.array([1.0]), np.array([np.nan]), factors=f)
    assert t[0] == pytest.approx(f.value("landfill_co2e_kg_per_t") / 1000)


def test_totals_by_every_grouping_add_up_to_the_same_total() -> None:
    """Totals by park, year, sector and stream each sum to the programme's total."""
    f = load_factors()
    book = empty_book()
    rows = []
    for i in range(6):
        have = HAVE | {"resource_id": f"H{i}", "site_id": f"S{i}"}
        want = WANT | {"resource_id": f"W{i}", "site_id": f"T{i}"}
        book, sid = create_synergy(book, have=have, want=want, practitioner="Aino",
                                   distance_km=float(i))
        book = change_stage(book, sid, "completed", expected_version=1, practitioner="Aino")
        for year in (2025, 2026):
            v = int(book.get(sid)["version"])
            book = record_outcome(book, sid, "landfill_diverted_t", 10.0 * (i + 1) + year % 2,
                                  period=year, have=have, expected_version=v,
                                  practitioner="Aino")
            book = record_outcome(book, sid, "jobs_created", 1, period=year, have=have,
                                  expected_version=v + 1, practitioner="Aino")
        rows.append({"synergy_id": sid, "from_site_id": f"S{i}", "park_id": f"P{i % 2}",
                     "sector_nace": ["10.1", "22.2", "35.3"][i % 3],
                     "stream": ["Plastics", "Wood"][i % 2]})
    attrs = pd.DataFrame(rows)
    wide = outcomes_wide(book, factors=f)
    for by in ("park_id", "period", "sector_nace", "stream"):
        totals = outcome_totals(book, attrs, by=by, factors=f)
        for col in ("landfill_diverted_t", "co2e_avoided_t", "jobs_created"):
            assert totals[col].sum() == pytest.approx(wide[col].sum())
    by_year = outcome_totals(book, attrs, by="period", factors=f).set_index("period")
    assert by_year.loc[2026, "landfill_diverted_t"] == pytest.approx(210.0)


def test_innovation_programme_tracks_other_types() -> None:
    """An innovation programme counts technologies and businesses assisted, not tonnes."""
    config = OutcomeConfig.preset("innovation")
    book, sid = _implemented()
    book = record_outcome(book, sid, "new_technologies", 2, period=2026, have=HAVE,
                          expected_version=2, practitioner="Aino", config=config)
    wide = outcomes_wide(book, factors=load_factors(), config=config)
    assert "landfill_diverted_t" not in wide.columns
    assert wide["new_technologies"].iloc[0] == 2
    with pytest.raises(SynergyError, match="landfill_diverted_t"):
        OutcomeConfig(tracked=("co2e_avoided_t",))
