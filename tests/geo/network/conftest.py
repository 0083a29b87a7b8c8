"""Fixtures of the road-network tests.

- ``line_graph`` / ``oneway_line_graph``: three nodes on a parallel at 60° N, 0.01° of
  longitude (~556 m) apart, joined by two residential edges (30 km/h), two-way or one-way.
- ``karhula_points``: 25 node positions of the Karhula demo graph's connected core, so that
  snapping adds no access leg.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.network import RoadGraph, graph_from_edges


def line_graph_with(oneway: str | None) -> RoadGraph:
    """Three nodes on a parallel, 0.01° of longitude apart (~556 m at 60° N)."""
    nodes = pd.DataFrame({"id": [1, 2, 3], "lon": [27.0, 27.01, 27.02],
                          "lat": [60.0, 60.0, 60.0]})
    edges = gpd.GeoDataFrame(
        {"u": [1, 2], "v": [2, 3], "oneway": [oneway, oneway],
         "highway": ["residential", "residential"], "maxspeed": [None, None],
         "name": ["A", "B"]},
        geometry=[LineString([(27.0, 60.0), (27.01, 60.0)]),
                  LineString([(27.01, 60.0), (27.02, 60.0)])], crs=4326)
    return graph_from_edges(nodes, edges, source="test")


@pytest.fixture(scope="module")
def line_graph() -> RoadGraph:
    """A two-way line of two ~556 m residential edges."""
    return line_graph_with(None)


@pytest.fixture(scope="module")
def oneway_line_graph() -> RoadGraph:
    """The same line, one-way from node 0 to node 2."""
    return line_graph_with("yes")


@pytest.fixture(scope="module")
def karhula_points(demo_graph: RoadGraph) -> tuple[np.ndarray, np.ndarray]:
    """25 node positions of the Karhula graph's connected core (lon, lat)."""
    rng = np.random.default_rng(3)
    nodes = rng.choice(demo_graph.core_nodes, 25, replace=False)
    return demo_graph.lon[nodes], demo_graph.lat[nodes]
