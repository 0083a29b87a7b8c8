"""Tests of tonnage-weighted resource clusters (geo.concentrations.clusters)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
from shapely.geometry import Point
from sklearn.cluster import DBSCAN

from geo.concentrations.clusters import (
    ClusterParams,
    cluster_labels,
    clusters_from_arrays,
    find_clusters,
    label_clusters,
    weighted_dbscan,
)
from geo.errors import CRSError, SymbiosisError

UTM35 = pyproj.CRS.from_epsg(32635)
TO_WGS = pyproj.Transformer.from_crs(UTM35, 4326, always_xy=True)


def _two_groups() -> gpd.GeoDataFrame:
    """Group A: 4 producers, 1,000 t; group B (30 km east): 3 producers, 600 t; a lone 5 t."""
    rows = []
    for i, (dx, dy) in enumerate([(0, 0), (200, 0), (0, 200), (150, 150)]):
        rows.append(("A", i, 500_000 + dx, 6_700_000 + dy, 250.0, "020304"))
    for i, (dx, dy) in enumerate([(0, 0), (300, 0), (0, 300)]):
        rows.append(("B", i, 530_000 + dx, 6_700_000 + dy, 200.0, "150102" if i else "020101"))
    rows.append(("N", 0, 515_000, 6_720_000, 5.0, "020304"))
    lon, lat = TO_WGS.transform([r[2] for r in rows], [r[3] for r in rows])
    return gpd.GeoDataFrame({
        "site_id": [f"{r[0]}{r[1]}" for r in rows], "tonnes_per_year": [r[4] for r in rows],
        "ewc_code": [r[5] for r in rows]},
        geometry=[Point(a, b) for a, b in zip(lon, lat, strict=True)], crs=4326)


def test_two_planted_groups_give_two_clusters_with_the_right_totals() -> None:
    """Two well-separated groups are two clusters: 1,000 t / 4 producers and 600 t / 3."""
    cl = find_clusters(_two_groups(), eps_m=1000, min_tonnes=300)
    assert len(cl) == 2
    assert cl["tonnes"].tolist() == pytest.approx([1000.0, 600.0])
    assert cl["producers"].tolist() == [4, 3]
    assert cl["cluster_id"].tolist() == [1, 2]
    assert cl.loc[1, "tonnes_ch15"] == pytest.approx(400.0)
    assert cl.loc[1, "tonnes_ch02"] == pytest.approx(200.0)
    assert cl.loc[0, "main_chapter"] == "02"
    assert cl.crs.to_epsg() == 4326


def test_footprint_contains_members_and_centre_is_weighted() -> None:
    """Each footprint covers its members; the centre is their tonnage-weighted mean."""
    gdf = _two_groups()
    cl = find_clusters(gdf, eps_m=1000, min_tonnes=300)
    members_a = gdf[gdf["site_id"].str.startswith("A")]
    assert cl.geometry.iloc[0].contains(members_a.union_all())
    assert cl.loc[0, "centre_lon"] == pytest.approx(members_a.geometry.x.mean(), abs=1e-6)
    assert cl.loc[0, "centre_lat"] == pytest.approx(members_a.geometry.y.mean(), abs=1e-6)


def test_groups_below_min_tonnes_are_not_clusters() -> None:
    """With a core threshold above group B's 600 t, only group A remains."""
    cl = find_clusters(_two_groups(), eps_m=1000, min_tonnes=700)
    assert cl["tonnes"].tolist() == pytest.approx([1000.0])


def test_pooled_bins_give_the_same_clusters() -> None:
    """Pooling places into bins (the path for huge programmes) finds the same two groups."""
    gdf = _two_groups()
    x, y = pyproj.Transformer.from_crs(4326, UTM35, always_xy=True).transform(
        gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy())
    w = gdf["tonnes_per_year"].to_numpy()
    exact = cluster_labels(x, y, w, params=ClusterParams(eps_m=1000, min_tonnes=300))
    pooled = cluster_labels(x, y, w, params=ClusterParams(eps_m=1000, min_tonnes=300,
                                                          bin_m=250))
    np.testing.assert_array_equal(exact, pooled)
    cl = clusters_from_arrays(np.asarray(x), np.asarray(y), w, crs=UTM35,
                              params=ClusterParams(eps_m=1000, min_tonnes=300, bin_m=250),
                              producers=np.arange(len(w)))
    assert cl["tonnes"].tolist() == pytest.approx([1000.0, 600.0])


def test_labels_are_aligned_with_the_records() -> None:
    """label_clusters keeps the index: group A is 1, B is 2, the lone record 0."""
    gdf = _two_groups().set_index("site_id")
    labels = label_clusters(gdf, eps_m=1000, min_tonnes=300)
    assert labels["A0"] == 1 and labels["B2"] == 2 and labels["N0"] == 0


@pytest.mark.parametrize("kwargs", [{"eps_m": 0}, {"eps_m": 600_000}, {"min_tonnes": 0},
                                    {"min_tonnes": -5}])
def test_bad_parameters_are_refused(kwargs: dict[str, float]) -> None:
    """A zero/absurd radius or a non-positive core tonnage is refused."""
    with pytest.raises(SymbiosisError):
        ClusterParams(**kwargs)


def test_records_must_be_located_and_have_a_crs() -> None:
    """No CRS, or records without a location, are refused with the fix."""
    gdf = _two_groups()
    with pytest.raises(CRSError):
        find_clusters(gdf.set_crs(None, allow_override=True), eps_m=1000, min_tonnes=300)
    gdf.loc[0, "geometry"] = None
    with pytest.raises(SymbiosisError, match="no location"):
        find_clusters(gdf, eps_m=1000, min_tonnes=300)


def test_one_record_gives_one_cluster_or_none() -> None:
    """A single record is a cluster when it reaches min_tonnes on its own, else none."""
    one = _two_groups().iloc[[0]]
    assert len(find_clusters(one, eps_m=500, min_tonnes=100)) == 1
    assert len(find_clusters(one, eps_m=500, min_tonnes=1000)) == 0


def _sklearn_oracle(pts: np.ndarray, w: np.ndarray, *, eps_m: float, min_tonnes: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """sklearn DBSCAN's cores and clusters; borders join their heaviest core neighbour's cluster."""
    db = DBSCAN(eps=eps_m, min_samples=1, metric="euclidean", algorithm="kd_tree").fit(
        pts, sample_weight=w / min_tonnes)
    labels = db.labels_.astype(np.int64)
    core = np.zeros(len(pts), dtype=bool)
    core[db.core_sample_indices_] = True
    cores = np.flatnonzero(core)
    for b in np.flatnonzero(~core & (labels >= 0)):
        near = cores[np.hypot(*(pts[cores] - pts[b]).T) <= eps_m]
        labels[b] = labels[near[np.argmax(w[near])]]
    return labels, core


def _scene(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Groups of weighted points a few eps apart (touching borders) plus scattered noise."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 20_000, (max(n // 60, 2), 2))
    pts = centres[rng.integers(0, len(centres), n)] + rng.normal(0, 600, (n, 2))
    scattered = rng.random(n) < 0.15
    pts[scattered] = rng.uniform(0, 20_000, (int(scattered.sum()), 2))
    return pts, rng.lognormal(2, 1.2, n)


@pytest.mark.parametrize(("seed", "n", "eps_m", "share"), [
    (0, 50, 400, 0.05), (1, 300, 400, 0.02), (2, 300, 800, 0.05), (3, 1500, 300, 0.01),
    (4, 1500, 600, 0.03), (5, 4000, 500, 0.005)])
def test_weighted_dbscan_equals_sklearn_dbscan(seed: int, n: int, eps_m: float,
                                               share: float) -> None:
    """Labels equal sklearn DBSCAN's (sample_weight=t/min_tonnes) with the heaviest-core rule."""
    pts, w = _scene(seed, n)
    min_tonnes = share * float(w.sum())
    expected, core = _sklearn_oracle(pts, w, eps_m=eps_m, min_tonnes=min_tonnes)
    ours = weighted_dbscan(pts[:, 0], pts[:, 1], w, eps_m=eps_m, min_tonnes=min_tonnes)
    assert core.any() and (~core & (expected >= 0)).any()  # cores and borders both occur
    np.testing.assert_array_equal(ours, expected)


def test_a_core_counts_its_own_tonnes_and_the_threshold_is_inclusive() -> None:
    """A place is a core when its own tonnes plus its neighbours' reach min_tonnes exactly."""
    x, y = np.array([0.0, 100.0, 5000.0]), np.zeros(3)
    w = np.array([60.0, 40.0, 100.0])  # 60 + 40 within 150 m, and a lone 100
    assert weighted_dbscan(x, y, w, eps_m=150, min_tonnes=100).tolist() == [0, 0, 1]
    assert weighted_dbscan(x, y, w, eps_m=99, min_tonnes=100).tolist() == [-1, -1, 0]


def test_a_border_place_joins_its_heaviest_core_neighbour() -> None:
    """A non-core place between two clusters joins the heavier core's, not the first found."""
    x = np.array([0.0, -900.0, 1000.0, 1900.0, 500.0])
    w = np.array([30.0, 80.0, 50.0, 60.0, 1.0])  # cores 0–1 and 2–3; place 4 reaches 0 and 2
    ours = weighted_dbscan(x, np.zeros(5), w, eps_m=950, min_tonnes=100)
    assert ours.tolist() == [0, 0, 1, 1, 1]
    first_found = DBSCAN(eps=950, min_samples=1).fit(np.column_stack([x, np.zeros(5)]),
                                                     sample_weight=w / 100).labels_
    assert first_found.tolist() == [0, 0, 1, 1, 0]  # sklearn alone would differ here
