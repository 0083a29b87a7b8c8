"""Tests of geo.network.matrix: the one travel matrix (shortest and fastest paths)."""

from __future__ import annotations

import io
import itertools
import logging
import subprocess
import sys
from pathlib import Path
from typing import Literal

import networkx as nx
import numpy as np
import pytest
from scipy.sparse import csr_matrix

from geo.errors import NetworkError
from geo.network import RoadGraph, SnapResult, snap_points, travel_matrix
from geo.network import matrix as matrix_module
from geo.network.worker import run_job


def test_two_way_line_distances_are_symmetric_and_metric(line_graph: RoadGraph) -> None:
    """A two-way line of two ~556 m edges gives ~1,112 m end to end both ways."""
    d = travel_matrix(line_graph, [0, 2], [0, 2]).distance_m
    assert d[0, 1] == pytest.approx(1112, rel=0.01)
    assert d[1, 0] == pytest.approx(d[0, 1])
    assert d[0, 0] == 0.0


def test_oneway_streets_make_the_reverse_unreachable(oneway_line_graph: RoadGraph) -> None:
    """With oneway=yes the way back does not exist (inf), not zero or the forward cost."""
    for optimise in ("shortest", "fastest"):
        m = travel_matrix(oneway_line_graph, [2], [0], optimise=optimise)
        assert np.isinf(m.distance_m[0, 0]) and np.isinf(m.time_s[0, 0])
        assert m.unreachable[0, 0]


def test_time_is_the_fastest_time_at_road_speeds(line_graph: RoadGraph) -> None:
    """Residential roads run at 30 km/h: 1,112 m take ~133 s."""
    t = travel_matrix(line_graph, [0], [2]).time_s
    assert t[0, 0] == pytest.approx(1112 / (30 / 3.6), rel=0.01)


def test_access_legs_are_added_at_both_ends(line_graph: RoadGraph) -> None:
    """Snapped points pay their access legs (metres, and seconds at 30 km/h) at both ends."""
    o = SnapResult(node=np.array([0]), distance_m=np.array([100.0]))
    d = SnapResult(node=np.array([2]), distance_m=np.array([150.0]))
    bare = travel_matrix(line_graph, [0], [2])
    m = travel_matrix(line_graph, o, d)
    assert m.distance_m[0, 0] == pytest.approx(bare.distance_m[0, 0] + 250.0)
    assert m.time_s[0, 0] == pytest.approx(bare.time_s[0, 0] + 250.0 / (30 / 3.6))
    assert m.origin_snap_m.tolist() == [100.0] and m.destination_snap_m.tolist() == [150.0]


def test_points_too_far_from_the_road_are_off_it(line_graph: RoadGraph) -> None:
    """With max_snap_m, rows and columns of points further off are inf; others are kept."""
    o = SnapResult(node=np.array([0, 0]), distance_m=np.array([10.0, 600.0]))
    m = travel_matrix(line_graph, o, [1, 2], max_snap_m=500.0)
    assert np.isfinite(m.distance_m[0]).all() and np.isinf(m.distance_m[1]).all()
    assert np.isinf(m.time_s[1]).all()


def test_limit_cuts_the_length_search(line_graph: RoadGraph) -> None:
    """Beyond limit_m of road the distance is inf; the time is still searched in full."""
    m = travel_matrix(line_graph, [0], [1, 2], limit_m=800.0)
    assert np.isfinite(m.distance_m[0, 0]) and np.isinf(m.distance_m[0, 1])
    assert np.isfinite(m.time_s[0, 1])


def test_options_that_do_not_apply_are_refused(line_graph: RoadGraph) -> None:
    """A limit on fastest paths, contracting float weights and unknown names are refused."""
    with pytest.raises(NetworkError, match="limit_m"):
        travel_matrix(line_graph, [0], [2], optimise="fastest", limit_m=100.0)
    with pytest.raises(NetworkError, match="contract"):
        travel_matrix(line_graph, [0], [2], contract=True)
    with pytest.raises(NetworkError, match="fastest"):
        travel_matrix(line_graph, [0], [2], optimise="quickest")


def test_without_time_there_is_none(line_graph: RoadGraph) -> None:
    """with_time=False leaves time_s None for both kinds of path."""
    for optimise in ("shortest", "fastest"):
        assert travel_matrix(line_graph, [0], [2], optimise=optimise, with_time=False).time_s \
            is None


def test_no_origins_give_an_empty_matrix(line_graph: RoadGraph) -> None:
    """Zero origins give a (0, n) matrix, not an error."""
    m = travel_matrix(line_graph, [], [0, 1])
    assert m.distance_m.shape == (0, 2) and m.time_s is not None and m.time_s.shape == (0, 2)


def test_shortest_lengths_equal_networkx(demo_graph: RoadGraph) -> None:
    """One sparse Dijkstra call gives the same costs as networkx on the Karhula graph."""
    coo = demo_graph.length_m.tocoo()
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(),
                                  strict=True))
    rng = np.random.default_rng(1)
    src = rng.choice(demo_graph.core_nodes, 5, replace=False)
    dst = rng.choice(demo_graph.core_nodes, 7, replace=False)
    ours = travel_matrix(demo_graph, src, dst).distance_m
    for i, s in enumerate(src):
        lengths = nx.single_source_dijkstra_path_length(g, int(s))
        for j, t in enumerate(dst):
            assert ours[i, j] == pytest.approx(lengths[int(t)])


def test_backward_search_equals_forward(demo_graph: RoadGraph) -> None:
    """Many origins to few destinations (searched backward) give the forward costs."""
    rng = np.random.default_rng(2)
    many = rng.choice(demo_graph.core_nodes, 40, replace=False)
    few = rng.choice(demo_graph.core_nodes, 3, replace=False)
    backward = travel_matrix(demo_graph, many, few)
    rows = [travel_matrix(demo_graph, [s], few).distance_m[0] for s in many[:5]]
    np.testing.assert_allclose(backward.distance_m[:5], rows, rtol=1e-12)
    fast_back = travel_matrix(demo_graph, many, few, optimise="fastest")
    fast_rows = [travel_matrix(demo_graph, [s], few, optimise="fastest").distance_m[0]
                 for s in many[:5]]
    assert np.array_equal(fast_back.distance_m[:5], fast_rows)  # integer sums: exact


def test_fastest_equals_networkx_fastest_paths(demo_graph: RoadGraph,
                                               karhula_points: tuple[np.ndarray, np.ndarray]
                                               ) -> None:
    """Times equal networkx's fastest paths and distances the lengths of those same paths."""
    lon, lat = karhula_points
    snap = snap_points(demo_graph, lon, lat)
    assert np.all(snap.distance_m < 1e-6)  # points are nodes: no access walk
    m = travel_matrix(demo_graph, snap, snap, optimise="fastest")
    assert m.time_s is not None
    e = demo_graph.edges.sort_values(["time_s", "length_m"]).drop_duplicates(["u", "v"])
    g = nx.DiGraph()
    for u, v, t, ln in zip(e["u"], e["v"], e["time_s"], e["length_m"], strict=True):
        g.add_edge(int(u), int(v), time=float(t), length=float(ln))
    for i, s in enumerate(snap.node):
        times, paths = nx.single_source_dijkstra(g, int(s), weight="time")
        for j, t in enumerate(snap.node):
            path = paths[int(t)]
            length = sum(g[a][b]["length"] for a, b in itertools.pairwise(path))
            assert m.time_s[i, j] == pytest.approx(times[int(t)], abs=0.01 * len(path) + 0.01)
            # Equal-time alternatives are rare; where one exists ours is the shorter.
            assert m.distance_m[i, j] <= length + 0.1 * len(path) + 0.1


def test_fastest_times_agree_with_the_float_search(demo_graph: RoadGraph,
                                                   karhula_points: tuple[np.ndarray, np.ndarray]
                                                   ) -> None:
    """The integer fastest times (contracted graph) match the float fastest-time search."""
    lon, lat = karhula_points
    snap = snap_points(demo_graph, lon, lat)
    fast = travel_matrix(demo_graph, snap, snap, optimise="fastest")
    ref = travel_matrix(demo_graph, snap.node, snap.node).time_s
    assert fast.time_s is not None and ref is not None
    assert np.allclose(fast.time_s, ref, atol=0.5)


def test_contraction_changes_no_fastest_figure(demo_graph: RoadGraph,
                                               karhula_points: tuple[np.ndarray, np.ndarray]
                                               ) -> None:
    """Fastest matrices with and without pass-through contraction are identical."""
    lon, lat = karhula_points
    snap = snap_points(demo_graph, lon, lat)
    on = travel_matrix(demo_graph, snap, snap, optimise="fastest", contract=True)
    off = travel_matrix(demo_graph, snap, snap, optimise="fastest", contract=False)
    assert np.array_equal(on.distance_m, off.distance_m)
    assert on.time_s is not None and off.time_s is not None
    assert np.array_equal(on.time_s, off.time_s)


@pytest.mark.parametrize("optimise", ["shortest", "fastest"])
def test_a_helper_process_changes_no_figure(demo_graph: RoadGraph,
                                            optimise: Literal["shortest", "fastest"]) -> None:
    """Searches shared with a helper process give the matrix of one process, bit for bit."""
    stops = np.random.default_rng(5).choice(demo_graph.core_nodes, 60, replace=False)
    two = travel_matrix(demo_graph, stops, stops[:45], optimise=optimise, parallel=True)
    one = travel_matrix(demo_graph, stops, stops[:45], optimise=optimise, parallel=False)
    assert np.array_equal(two.distance_m, one.distance_m)
    assert two.time_s is not None and one.time_s is not None
    assert np.array_equal(two.time_s, one.time_s)


def test_a_failing_helper_leaves_the_work_to_this_process(
        demo_graph: RoadGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper that dies at once does no search; this process does them all."""
    broken = tmp_path / "worker.py"
    broken.write_text("import sys\nsys.exit('no searching here')\n")
    monkeypatch.setattr(matrix_module, "_WORKER", broken)
    matrix_module._SPARE.stop()  # a healthy spare from an earlier test would be used
    stops = np.random.default_rng(6).choice(demo_graph.core_nodes, 40, replace=False)
    got = travel_matrix(demo_graph, stops, stops, optimise="fastest", parallel=True)
    want = travel_matrix(demo_graph, stops, stops, optimise="fastest", parallel=False)
    assert np.array_equal(got.distance_m, want.distance_m)


def test_no_processes_means_one_process(demo_graph: RoadGraph, monkeypatch: pytest.MonkeyPatch,
                                        caplog: pytest.LogCaptureFixture) -> None:
    """Where processes cannot be started, the searches run here, with a warning."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("not allowed")

    monkeypatch.setattr(matrix_module.subprocess, "Popen", refuse)
    matrix_module._SPARE.stop()
    stops = np.random.default_rng(7).choice(demo_graph.core_nodes, 40, replace=False)
    with caplog.at_level(logging.WARNING, logger="geo.network.matrix"):
        got = travel_matrix(demo_graph, stops, stops, optimise="fastest", parallel=True)
    want = travel_matrix(demo_graph, stops, stops, optimise="fastest", parallel=False)
    assert np.array_equal(got.distance_m, want.distance_m)
    assert "Could not start a search helper (not allowed)" in caplog.text


def test_the_next_helper_is_started_after_a_job_and_used_by_the_next(
        demo_graph: RoadGraph) -> None:
    """After a shared matrix a spare helper waits (started up, no job yet); the next matrix
    takes it instead of starting one, with the same figures."""
    matrix_module._SPARE.stop()
    stops = np.random.default_rng(8).choice(demo_graph.core_nodes, 40, replace=False)
    first = travel_matrix(demo_graph, stops, stops, optimise="fastest", parallel=True)
    spare = matrix_module._SPARE._proc
    assert spare is not None and spare.poll() is None
    second = travel_matrix(demo_graph, stops, stops, optimise="fastest", parallel=True)
    assert spare.poll() is not None  # it did the job and was stopped
    assert matrix_module._SPARE._proc is not spare  # a new spare waits
    assert np.array_equal(first.distance_m, second.distance_m)


def test_a_spare_worker_whose_parent_leaves_exits_quietly() -> None:
    """The worker waiting for a job exits with 0 and says nothing when its stdin closes."""
    proc = subprocess.run([sys.executable, "-P", str(matrix_module._WORKER)], input=b"",
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr == b""


def test_the_worker_streams_chunks_from_the_last_source_backwards() -> None:
    """On a 3-node line 0→1→2 (weights 1, 2) the worker writes sources [2], [1], [0] in turn."""
    adj = csr_matrix((np.array([1.0, 2.0]), (np.array([0, 1]), np.array([1, 2]))),
                     shape=(3, 3))
    out = io.BytesIO()
    run_job({"data": adj.data, "indices": adj.indices, "indptr": adj.indptr,
             "shape": adj.shape, "sources": np.array([0, 1, 2]), "targets": np.array([2, 0]),
             "limit": np.inf, "chunk": 1}, out)
    raw = out.getvalue()
    rows = {}
    for k in range(3):
        block = raw[k * 32:(k + 1) * 32]
        start, count = np.frombuffer(block[:16], np.int64)
        assert count == 1
        rows[int(start)] = np.frombuffer(block[16:], np.float64).tolist()
    assert list(rows) == [2, 1, 0]
    assert rows == {0: [3.0, 0.0], 1: [2.0, np.inf], 2: [0.0, np.inf]}
