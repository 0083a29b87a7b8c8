"""Tests of geo.network.weights: lexicographic (time, length) integer weights."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.errors import NetworkError
from geo.network import RoadGraph, graph_from_edges
from geo.network.weights import (
    LENGTH_UNITS_PER_M,
    TIME_SHIFT,
    TIME_UNITS_PER_S,
    check_optimise,
    decode_lexicographic,
    lexicographic_adjacency,
)


def test_decoding_recovers_time_and_length_of_a_sum() -> None:
    """A sum of two encoded edges decodes into their summed seconds and metres."""
    w = (120 * TIME_SHIFT + 5_000) + (30 * TIME_SHIFT + 2_500)
    length, time = decode_lexicographic(np.array([w, np.inf]))
    assert length[0] == pytest.approx(7_500 / LENGTH_UNITS_PER_M)
    assert time[0] == pytest.approx(150 / TIME_UNITS_PER_S)
    assert np.isinf(length[1]) and np.isinf(time[1])


def test_parallel_edges_keep_the_fastest_with_its_own_length() -> None:
    """Of a slow short road and a fast long one between two nodes, the fast one is kept."""
    nodes = pd.DataFrame({"id": [1, 2], "lon": [27.0, 27.01], "lat": [60.0, 60.0]})
    edges = gpd.GeoDataFrame(
        {"u": [1, 1], "v": [2, 2], "oneway": "yes", "highway": ["service", "primary"],
         "maxspeed": None},
        geometry=[LineString([(27.0, 60.0), (27.01, 60.0)]),
                  LineString([(27.0, 60.0), (27.005, 60.002), (27.01, 60.0)])], crs=4326)
    g: RoadGraph = graph_from_edges(nodes, edges, source="test")
    length, time = decode_lexicographic(np.array([lexicographic_adjacency(g)[0, 1]]))
    fast = g.edges[g.edges["highway"] == "primary"].iloc[0]
    assert time[0] == pytest.approx(fast["time_s"], abs=0.01)
    assert length[0] == pytest.approx(fast["length_m"], abs=0.1)
    assert length[0] > g.length_m[0, 1]  # the float adjacency keeps the shorter road


def test_unknown_optimise_is_refused() -> None:
    """Only 'shortest' and 'fastest' exist; the message lists them."""
    with pytest.raises(NetworkError, match="'shortest', 'fastest'"):
        check_optimise("cheapest")
