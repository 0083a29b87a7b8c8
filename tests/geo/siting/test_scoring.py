"""Site scores on arrays: known answers, scores that add up, reach, sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import SitingError
from geo.siting.scoring import (
    CRITERIA,
    ScoreWeights,
    ScoringParams,
    catchment_totals,
    score_sites,
    weight_sensitivity,
)

PARAMS = ScoringParams(max_haul_m=25_000, min_throughput_t=500, max_throughput_t=2000,
                       cost_per_tkm=0.15, co2e_kg_per_tkm=0.107)


def _line_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates every 10 km along a line; a cluster of supply around 30 km, one supplier at 0."""
    cand_x = np.arange(0, 60_001, 10_000.0)
    sup_x = np.array([29_000.0, 30_500.0, 31_000.0, 0.0])
    tonnes = np.array([[400.0], [300.0], [350.0], [50.0]])
    dist = np.abs(cand_x[:, None] - sup_x[None, :]) * 1.3
    return cand_x, dist, tonnes


def test_one_cluster_of_supply_puts_the_best_site_next_to_it() -> None:
    """The top-ranked candidate is the one at the supply cluster (x = 30 km)."""
    cand_x, dist, tonnes = _line_problem()
    table = score_sites(dist, tonnes, PARAMS)
    best = int(table["rank"].idxmin())
    assert cand_x[best] == 30_000
    assert table.loc[best, "feedstock_t"] == pytest.approx(1050.0)
    assert table.loc[best, "viable"]


def test_score_adds_up_from_its_breakdown() -> None:
    """For every candidate the per-criterion points sum to the score, within 0–100."""
    _, dist, tonnes = _line_problem()
    table = score_sites(dist, tonnes, PARAMS, weights=ScoreWeights(3, 1, 1, 0, 2),
                        market_distance_m=np.linspace(0, 30_000, dist.shape[0]),
                        competitors=np.arange(dist.shape[0], dtype=float))
    parts = table[[f"c_{c}" for c in CRITERIA]].sum(axis=1)
    np.testing.assert_allclose(parts, table["score"])
    assert table["score"].between(0, 100).all()
    # Each contribution is its weight share times the criterion score.
    w = ScoreWeights(3, 1, 1, 0, 2).normalised()
    np.testing.assert_allclose(table["c_feedstock"], 100 * w[0] * table["s_feedstock"])


def test_haul_limit_and_figures() -> None:
    """Only supply within the haul limit counts; cost and CO2e follow the t·km."""
    dist = np.array([[10_000.0, 24_000.0, 26_000.0]])
    tonnes = np.array([100.0, 100.0, 100.0])
    t = score_sites(dist, tonnes, PARAMS)
    assert t.loc[0, "feedstock_t"] == 200.0
    assert t.loc[0, "mean_haul_km"] == pytest.approx(17.0)
    assert t.loc[0, "transport_cost_eur"] == pytest.approx(200 * 17 * 0.15)
    assert t.loc[0, "transport_co2e_t"] == pytest.approx(200 * 17 * 0.107 / 1000)
    assert t.loc[0, "status"] == "below minimum throughput"


def test_no_feedstock_is_not_scored_as_free_haul() -> None:
    """A candidate with nothing in reach gets 0 for feedstock, haul and security."""
    dist = np.array([[90_000.0, 99_000.0], [1000.0, 2000.0]])
    t = score_sites(dist, np.array([10.0, 20.0]), PARAMS)
    assert t.loc[0, "status"] == "no feedstock within reach"
    assert t.loc[0, ["s_feedstock", "s_haul", "s_security"]].tolist() == [0.0, 0.0, 0.0]
    assert t.loc[0, "score"] < t.loc[1, "score"]


def test_unreachable_candidates_are_reported_not_scored() -> None:
    """A candidate off the network (infinite access leg) has no score and no rank."""
    dist = np.array([[1000.0, 2000.0]])
    t = score_sites(dist, np.array([600.0, 600.0]), PARAMS, row_of=np.array([0, 0]),
                    offset_m=np.array([0.0, np.inf]))
    assert t.loc[1, "status"] == "off the road network"
    assert np.isnan(t.loc[1, "score"]) and np.isnan(t.loc[1, "rank"])
    assert np.isnan(t.loc[1, "feedstock_t"])
    assert t.loc[0, "rank"] == 1


def test_shared_rows_with_offsets_equal_the_dense_matrix() -> None:
    """Candidates sharing a network row plus their own access leg total as the full matrix."""
    rng = np.random.default_rng(3)
    rows = rng.uniform(0, 30_000, size=(4, 40))
    row_of = rng.integers(0, 4, size=25)
    offset = rng.uniform(0, 2000, size=25)
    supply = rng.uniform(0, 50, size=(40, 3))
    dense = rows[row_of] + offset[:, None]
    a = catchment_totals(rows, supply, limit=20_000, row_of=row_of, offset=offset)
    b = catchment_totals(dense, supply, limit=20_000)
    np.testing.assert_allclose(a.tonnes, b.tonnes)
    np.testing.assert_allclose(a.tkm, b.tkm)
    np.testing.assert_array_equal(a.suppliers, b.suppliers)
    within = dense <= 20_000
    np.testing.assert_allclose(a.tonnes, within @ supply)


def test_time_limit_applies_when_profile_sets_one() -> None:
    """With a haul-time limit, reach is decided on minutes, not kilometres."""
    params = ScoringParams(max_haul_m=100_000, max_haul_s=600, min_throughput_t=0,
                           max_throughput_t=100, cost_per_tkm=0.1, co2e_kg_per_tkm=0.1)
    dist = np.array([[5000.0, 5000.0]])
    time = np.array([[300.0, 900.0]])
    t = score_sites(dist, np.array([10.0, 10.0]), params, time_s=time)
    assert t.loc[0, "feedstock_t"] == 10.0
    with pytest.raises(SitingError, match="time_s"):
        score_sites(dist, np.array([10.0, 10.0]), params)


def test_sensitivity_reports_stable_and_unstable_leads() -> None:
    """A dominant site keeps first place in every scenario; a near-tie can swap."""
    crit = np.array([[1.0, 1.0, 1.0, 1.0, 1.0], [0.2, 0.2, 0.2, 0.2, 0.2]])
    table, summary = weight_sensitivity(crit, ScoreWeights(), top=1)
    assert summary["leader_kept"] == summary["scenarios"] == 10
    assert table["rank_worst"].tolist() == [1, 2]
    tie = np.array([[0.80, 0.20, 0.5, 0.5, 0.5], [0.20, 0.79, 0.5, 0.5, 0.5]])
    _, s2 = weight_sensitivity(tie, ScoreWeights(feedstock=0.3, haul=0.3), top=1)
    assert s2["leader_kept"] < s2["scenarios"]
    assert s2["max_rank_shift"] == 1


def test_bad_weights_are_refused() -> None:
    """Negative or all-zero weights say what is allowed."""
    with pytest.raises(SitingError, match="≥ 0"):
        ScoreWeights(feedstock=-1)
    with pytest.raises(SitingError, match="above 0"):
        ScoreWeights(0, 0, 0, 0, 0)
