"""Tests of geo.synergies.scoring: fits, pair scores, the knobs and block scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.errors import SynergyError
from geo.programme import Programme
from geo.synergies.distances import SiteDistances
from geo.synergies.matching import build_links
from geo.synergies.records import prepare_records
from geo.synergies.rules import expand_rules, load_rules
from geo.synergies.scoring import (
    MatchParams,
    frequency_fit,
    quantity_fit,
    score_block,
    score_pairs,
)


def test_fit_functions() -> None:
    """Quantity fit is min/max (0.5 when units differ); frequency fit falls with distance."""
    assert quantity_fit(np.array([50.0]), np.array([100.0]), np.array([True]))[0] == 0.5
    assert quantity_fit(np.array([80.0]), np.array([100.0]), np.array([True]))[0] == 0.8
    assert frequency_fit(np.array([2]), np.array([2]))[0] == 1.0
    assert frequency_fit(np.array([0]), np.array([7]))[0] == 0.0


def test_score_is_one_for_a_perfect_pair_and_falls_with_distance() -> None:
    """A same-site-like perfect pair scores 1; at one scale away nearness is exp(-1); an
    unknown distance scores 0 on nearness."""
    p = MatchParams()
    ones = np.ones(3)
    got = score_pairs(ones, ones, ones, np.array([0.0, p.distance_scale_km, np.nan]), p)
    assert got[0] == pytest.approx(1.0)
    assert got[1] == pytest.approx(0.7 + 0.3 * np.exp(-1.0))
    assert got[2] == pytest.approx(0.7)


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [({"top_k": 0}, "top_k"), ({"scope": "nearby"}, "scope"), ({"max_distance_km": 0},
     "max_distance_km"), ({"weight_basis": -1.0}, "weights"), ({"kb_max": 1.5}, "kb_max"),
     ({"detour_factor": 0.9}, "detour_factor"), ({"block_cells": 10}, "block_cells")],
)
def test_bad_params_are_refused(changes: dict[str, object], pattern: str) -> None:
    """Each knob out of range is refused with its name."""
    with pytest.raises(SynergyError, match=pattern):
        MatchParams(**changes)


def test_block_scoring_keeps_the_best_k_per_have(tiny_programme: Programme) -> None:
    """H1's candidates are scored in one block; top_k=2 keeps its two best, never its own site."""
    records, lon, lat, _ = prepare_records(tiny_programme)
    wants = records[records["direction"] == "want"]
    rules = expand_rules(load_rules(), codes=records["code"].dropna().unique().tolist(),
                         sectors=records["sector"].dropna().unique())
    links = build_links(pd.Index(["150102"]), wants, rules, pd.DataFrame(), MatchParams())
    h1 = records.index[records["resource_id"] == "H1"].to_numpy()
    dist = SiteDistances.straight_line(lon, lat, detour_factor=1.3)
    every = score_block(records, h1, links, wants, dist, params=MatchParams(), top_k=None)
    best = score_block(records, h1, links, wants, dist, params=MatchParams(), top_k=2)
    partners = wants["resource_id"].to_numpy()[every["want"].to_numpy(int)]
    assert set(partners) == {"W1", "W2", "W3"}  # WS is at H1's own site
    assert len(best) == 2
    assert sorted(best["score"]) == sorted(every["score"])[-2:]
