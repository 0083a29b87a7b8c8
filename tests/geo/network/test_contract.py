"""Tests of geo.network.contract: pass-through contraction keeps every shortest path."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.network import RoadGraph
from geo.network.contract import contract_pass_through
from geo.network.weights import lexicographic_adjacency


def test_a_chain_becomes_one_edge_of_the_summed_weight() -> None:
    """0→1→2→3 with kept ends becomes one edge 0→3 of weight 1 + 2 + 4."""
    adj = csr_matrix((np.array([1.0, 2.0, 4.0]), (np.array([0, 1, 2]), np.array([1, 2, 3]))),
                     shape=(4, 4))
    contracted, kept = contract_pass_through(adj, np.array([0, 3]))
    assert kept.tolist() == [0, 3]
    assert contracted.toarray().tolist() == [[0.0, 7.0], [0.0, 0.0]]


def test_kept_nodes_stay_even_on_a_chain() -> None:
    """A node asked to stay splits the chain in two edges."""
    adj = csr_matrix((np.array([1.0, 2.0, 4.0]), (np.array([0, 1, 2]), np.array([1, 2, 3]))),
                     shape=(4, 4))
    contracted, kept = contract_pass_through(adj, np.array([0, 2, 3]))
    assert kept.tolist() == [0, 2, 3]
    assert contracted[0, 1] == 3.0 and contracted[1, 2] == 4.0 and contracted.nnz == 2


def test_contraction_keeps_every_shortest_path(demo_graph: RoadGraph) -> None:
    """Contracting pass-through nodes removes most nodes and changes no kept-node distance."""
    adj = lexicographic_adjacency(demo_graph)
    terminals = demo_graph.core_nodes[::40]
    contracted, kept = contract_pass_through(adj, terminals)
    assert contracted.shape[0] < 0.7 * demo_graph.n_nodes
    pos = np.full(demo_graph.n_nodes, -1)
    pos[kept] = np.arange(len(kept))
    full = dijkstra(adj, indices=terminals)[:, terminals]
    small = dijkstra(contracted, indices=pos[terminals])[:, pos[terminals]]
    assert np.array_equal(full, small)
