"""Resource clusters: where producers of a stream concentrate, as named, summarised areas.

Tonnage-weighted DBSCAN in a metric CRS (:func:`weighted_dbscan`, vectorised with a k-d
tree, hand-written for the reason its docstring gives): a place is the *core* of a cluster
when the tonnes within ``eps_m`` of it (its own included) reach ``min_tonnes``; clusters are
the connected cores plus the places within ``eps_m`` of a core. Records at the same site are
one place. With many places (more than :data:`MAX_EXACT_PLACES`) places are first pooled
into grid bins of ``eps_m / 2`` at their tonnage-weighted centroid (a place moves by less
than 0.71 · ``eps_m``, typically far less), which keeps a million records to about a second.

:func:`find_clusters` returns one row per cluster (a GeoDataFrame in EPSG:4326): id, name,
tonnes, producers, records, tonnes per catalogue chapter, a footprint polygon (convex hull
of the members, buffered) and the tonnage-weighted centre. The site finder and the
milk-round planner start from it; :func:`label_clusters` gives each record's cluster. These
work on records (for practitioners); viewers' clusters are built from released hexagons
(:func:`geo.concentrations.viewer.viewer_clusters`, on :func:`cluster_labels`).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from geo.concentrations.grid import check_distance_m, points_from_gdf
from geo.errors import SymbiosisError
from geo.i18n import _

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "MAX_EXACT_PLACES",
    "ClusterParams",
    "cluster_centres",
    "cluster_display_name",
    "cluster_labels",
    "clusters_from_arrays",
    "find_clusters",
    "label_clusters",
    "summarise_clusters",
    "weighted_dbscan",
]

logger = logging.getLogger(__name__)

MAX_EXACT_PLACES: Final = 20_000
"""Above this many distinct places, places are pooled into bins of ``eps_m / 2``."""
NOISE: Final = -1
_NAME: Final = re.compile(r"^Cluster (?P<n>\d+)(?: · (?P<place>.+))?$")


def cluster_display_name(name: object) -> str:
    """A cluster's ``name`` (``"Cluster 2 · Park A"``, stored in English) as a person reads
    it in this session's language; the place name is kept as recorded.

    Examples
    --------
    >>> cluster_display_name("Cluster 2 · Kouvola RailGate")
    'Cluster 2 · Kouvola RailGate'
    """
    text = str(name)
    found = _NAME.match(text)
    if found is None:
        return text
    if found["place"] is None:
        return _("Cluster {n}").format(n=found["n"])
    # Translators: {place} is the park or place holding most of the cluster.
    return _("Cluster {n} · {place}").format(n=found["n"], place=found["place"])


@dataclass(frozen=True)
class ClusterParams:
    """Knobs of the clustering.

    Attributes
    ----------
    eps_m : float
        Neighbourhood radius in metres (straight line); > 0 and ≤ 500 km.
    min_tonnes : float
        Tonnes (t/yr) within ``eps_m`` that make a place a cluster core; > 0.
    bin_m : float or None
        Pool places into bins of this size first; default: exact up to
        :data:`MAX_EXACT_PLACES` places, ``eps_m / 2`` above.
    buffer_m : float or None
        Buffer of the footprint around the members' convex hull; default ``eps_m / 2``.
    """

    eps_m: float = 1000.0
    min_tonnes: float = 100.0
    bin_m: float | None = None
    buffer_m: float | None = None

    def __post_init__(self) -> None:
        check_distance_m(self.eps_m, _("The cluster neighbourhood (eps_m)"))
        if not (math.isfinite(float(self.min_tonnes)) and self.min_tonnes > 0):
            msg = _("min_tonnes must be a positive number of t/yr, got {value}; e.g. 500 for "
                    "clusters worth a collection round.").format(value=repr(self.min_tonnes))
            raise SymbiosisError(msg)
        if self.bin_m is not None:
            check_distance_m(self.bin_m, _("The cluster grid size (bin_m)"))
        if self.buffer_m is not None and not (0 <= self.buffer_m <= 500_000):
            msg = _("buffer_m must be between 0 and 500,000 m, got {value}.").format(
                value=repr(self.buffer_m))
            raise SymbiosisError(msg)


def _places(x: np.ndarray, y: np.ndarray, w: np.ndarray, bin_m: float | None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pool records into places: (place of each record, place x, place y, place tonnes)."""
    if bin_m is None:
        codes, uniq = pd.factorize(x + 1j * y)
    else:
        ix, iy = np.floor(x / bin_m).astype(np.int64), np.floor(y / bin_m).astype(np.int64)
        span = int(iy.max() - iy.min()) + 1
        codes, uniq = pd.factorize((ix - ix.min()) * span + (iy - iy.min()))
    n = len(uniq)
    tw = np.bincount(codes, weights=w, minlength=n)
    cnt = np.bincount(codes, minlength=n).astype(float)
    # tonnage-weighted centroid, plain centroid for places with no tonnage
    base = np.where(tw > 0, tw, cnt)
    ww = np.where(tw[codes] > 0, w, 1.0)
    px = np.bincount(codes, weights=ww * x, minlength=n) / base
    py = np.bincount(codes, weights=ww * y, minlength=n) / base
    return codes, px, py, tw


def weighted_dbscan(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *, eps_m: float,
                    min_tonnes: float) -> np.ndarray:
    """DBSCAN with tonnage weights, vectorised (one k-d tree pair query, one graph labelling).

    A point is a core when the tonnes within ``eps_m`` (itself included) reach
    ``min_tonnes``; clusters are the connected components of cores linked within ``eps_m``,
    numbered by their first core; a non-core point within ``eps_m`` of a core joins the
    cluster of its heaviest core neighbour; the rest is noise (-1).

    Cores and clusters are those of ``sklearn.cluster.DBSCAN(eps=eps_m, min_samples=1,
    metric="euclidean").fit(X, sample_weight=tonnes / min_tonnes)`` (``min_samples`` must be
    an integer, so the threshold goes into the weights), and every label equals sklearn's
    once its border points are given to their heaviest core: the tests check it on random
    scenes. It stays hand-written because sklearn is slower at the page's scale and has
    another border rule: ``benchmarks/concentration_bench.py`` timed sklearn at 0.028 s
    against 0.004 s here (×7.7) on the 6,030 distinct sites of a 20,000-record programme, and
    0.138 s against 0.015 s (×9.4) on 30,090 sites (2 shared cores, load 1.1); and sklearn
    gives a border point to the first cluster that reaches it, so matching these labels
    would take a second neighbour query on top of it.
    """
    pts = np.column_stack([x_m, y_m])
    w = np.asarray(tonnes, dtype=float)
    n = len(pts)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    pairs = cKDTree(pts).query_pairs(eps_m, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    near = np.bincount(i, weights=w[j], minlength=n) + np.bincount(j, weights=w[i], minlength=n)
    core = near + w >= min_tonnes * (1 - 1e-12)
    both = core[i] & core[j]
    graph = sparse.coo_matrix((np.ones(int(both.sum())), (i[both], j[both])), shape=(n, n))
    _n_comp, comp = csgraph.connected_components(graph, directed=False)
    labels = np.where(core, comp, NOISE)
    # border points: the heaviest core neighbour's cluster
    src = np.concatenate([i, j])
    dst = np.concatenate([j, i])
    link = ~core[src] & core[dst]
    if link.any():
        order = np.lexsort((-w[dst[link]], src[link]))
        s, d = src[link][order], dst[link][order]
        first = np.r_[True, s[1:] != s[:-1]]
        labels[s[first]] = comp[d[first]]
    _uniq, dense = np.unique(labels[labels >= 0], return_inverse=True)
    out = np.full(n, NOISE, dtype=np.int64)
    out[labels >= 0] = dense
    return out


def cluster_labels(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *,
                   params: ClusterParams) -> np.ndarray:
    """Cluster of each record (0, 1, … by tonnes, largest first; -1 = in no cluster).

    The core, on arrays: positions in metres (a projected CRS), tonnes in t/yr.
    """
    return _cluster_places(x_m, y_m, tonnes, params=params)[0]


def _cluster_places(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *,
                    params: ClusterParams) -> tuple[np.ndarray, np.ndarray]:
    """Record labels, and the clustered places as rows (x, y, label) for footprints."""
    x, y = np.asarray(x_m, dtype=float), np.asarray(y_m, dtype=float)
    w = np.nan_to_num(np.asarray(tonnes, dtype=float))
    if not (len(x) == len(y) == len(w)):
        msg = _("x_m, y_m and tonnes must have one value per record, got {n_x}, {n_y}, "
                "{n_w}.").format(n_x=len(x), n_y=len(y), n_w=len(w))
        raise SymbiosisError(msg)
    if len(x) == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, 3))
    if np.any(w < 0):
        msg = _("Tonnages must be ≥ 0 t/yr, got {n} negative values.").format(
            n=int((w < 0).sum()))
        raise SymbiosisError(msg)
    bin_m = params.bin_m
    codes, px, py, pw = _places(x, y, w, None if bin_m is None else bin_m)
    if bin_m is None and len(px) > MAX_EXACT_PLACES:
        bin_m = params.eps_m / 2
        codes, px, py, pw = _places(x, y, w, bin_m)
        logger.info("Clustering %d records pooled into %d bins of %.0f m", len(x), len(px), bin_m)
    place_labels = weighted_dbscan(px, py, pw, eps_m=params.eps_m,
                                   min_tonnes=params.min_tonnes)
    # order clusters by tonnes, largest first
    n_cl = int(place_labels.max()) + 1
    if n_cl > 0:
        in_cl = place_labels >= 0
        totals = np.bincount(place_labels[in_cl], weights=pw[in_cl], minlength=n_cl)
        rank = np.empty(n_cl, dtype=np.int64)
        rank[np.argsort(-totals, kind="stable")] = np.arange(n_cl)
        place_labels = np.where(in_cl, rank[np.clip(place_labels, 0, None)], NOISE)
    place_labels = np.asarray(place_labels, dtype=np.int64)
    return place_labels[codes], np.column_stack([px, py, place_labels])


def summarise_clusters(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray,
                       labels: np.ndarray, *, crs: pyproj.CRS, producers: np.ndarray,
                       chapters: np.ndarray | None = None, buffer_m: float = 500.0,
                       place_names: Sequence[str] | None = None,
                       footprint_points: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """One row per cluster: totals, tonnes per chapter, footprint and centre (the core).

    Parameters
    ----------
    x_m, y_m, tonnes, labels : ndarray
        Per record: metric position, t/yr, cluster (from :func:`cluster_labels`).
    crs : pyproj.CRS
        CRS of the positions.
    producers : ndarray of int
        Producer code per record.
    chapters : ndarray of str, optional
        Catalogue chapter of each record (``"02"``; empty/None for none).
    buffer_m : float
        Buffer of the convex hull, metres.
    place_names : sequence of str, optional
        A place name per record (e.g. its park); a cluster is named after its largest one.
    footprint_points : ndarray of shape (m, 3), optional
        Rows (x, y, label) to draw footprints around; default the records' distinct points.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, sorted by tonnes: ``cluster_id`` (1 = largest), ``name``, ``tonnes``,
        ``producers``, ``records``, ``main_chapter``, ``chapters`` (text), one
        ``tonnes_chXX`` column per chapter present, ``centre_lon``, ``centre_lat``,
        ``area_km2`` and the footprint polygon as geometry.
    """
    lab = np.asarray(labels, dtype=np.int64)
    inc = lab >= 0
    n = int(lab.max()) + 1 if inc.any() else 0
    x, y = np.asarray(x_m, float)[inc], np.asarray(y_m, float)[inc]
    w = np.nan_to_num(np.asarray(tonnes, float))[inc]
    lab = lab[inc]
    tonnes_c = np.bincount(lab, weights=w, minlength=n)
    records = np.bincount(lab, minlength=n)
    p = np.asarray(producers, dtype=np.int64)[inc]
    p = p - (p.min() if len(p) else 0)
    pair = pd.unique(lab * (int(p.max(initial=0)) + 1) + p)
    n_prod = np.bincount(pair // (int(p.max(initial=0)) + 1), minlength=n)
    wsum = np.where(tonnes_c > 0, tonnes_c, records)
    ww = np.where(tonnes_c[lab] > 0, w, 1.0)
    cx = np.bincount(lab, weights=ww * x, minlength=n) / np.maximum(wsum, 1e-300)
    cy = np.bincount(lab, weights=ww * y, minlength=n) / np.maximum(wsum, 1e-300)
    # footprints: hull of each cluster's distinct member positions, buffered
    if footprint_points is None:
        codes, uniq = pd.factorize(x + 1j * y)
        one = np.empty(len(uniq), dtype=np.int64)
        one[codes] = np.arange(len(codes))  # any record of each distinct point
        fp = np.column_stack([x[one], y[one], lab[one]])
    else:
        fp = np.asarray(footprint_points, dtype=float)
        fp = fp[fp[:, 2] >= 0]
    fp = fp[np.argsort(fp[:, 2], kind="stable")]
    mp = shapely.multipoints(shapely.points(fp[:, :2]), indices=fp[:, 2].astype(np.int64),
                             out=np.empty(n, dtype=object)) if n else np.array([])
    hulls = shapely.buffer(shapely.convex_hull(mp), buffer_m) if n else np.array([])
    frame = pd.DataFrame({"cluster_id": np.arange(1, n + 1), "tonnes": tonnes_c,
                          "producers": n_prod.astype(np.int64),
                          "records": records.astype(np.int64)})
    if chapters is not None and n:
        ch_codes, ch_uniq = pd.factorize(np.asarray(chapters, dtype=object)[inc], sort=True,
                                         use_na_sentinel=False)
        ch_uniq = np.array(["" if not isinstance(c, str) else c for c in ch_uniq], dtype=object)
        by_ch = np.bincount(lab * len(ch_uniq) + ch_codes, weights=w,
                            minlength=n * len(ch_uniq)).reshape(n, len(ch_uniq))
        names = [f"tonnes_ch{c}" if c else "tonnes_no_chapter" for c in ch_uniq]
        wide = pd.DataFrame(by_ch, columns=names)
        frame = pd.concat([frame, wide], axis=1)
        frame["main_chapter"] = [ch_uniq[i] for i in by_ch.argmax(axis=1)]
        frame["chapters"] = [
            "; ".join(f"{ch_uniq[j] or '—'}: {row[j]:,.0f} t" for j in np.argsort(-row)
                      if row[j] > 0) for row in by_ch]
    for col in ("main_chapter", "chapters"):
        if col not in frame.columns:
            frame[col] = pd.Series([""] * n, dtype=object)
    frame["name"] = [f"Cluster {i}" for i in frame["cluster_id"]]
    if place_names is not None and n:
        pn = pd.Series(np.asarray(place_names, dtype=object)[inc])
        top = (pd.DataFrame({"lab": lab, "place": pn, "w": w}).dropna(subset=["place"])
               .groupby(["lab", "place"])["w"].sum().reset_index()
               .sort_values("w", ascending=False).drop_duplicates("lab").set_index("lab"))
        frame["name"] = [f"Cluster {i + 1} · {top.loc[i, 'place']}" if i in top.index
                         else f"Cluster {i + 1}" for i in range(n)]
    to_wgs = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(cx, cy)
    frame["centre_lon"], frame["centre_lat"] = np.asarray(lon), np.asarray(lat)
    frame["area_km2"] = shapely.area(hulls) / 1e6 if n else np.array([])
    first = ["cluster_id", "name", "tonnes", "producers", "records"]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(hulls, crs=crs).to_crs(4326).values,
                           crs="EPSG:4326")
    return gdf.sort_values("tonnes", ascending=False, kind="stable").reset_index(drop=True)


def label_clusters(resources_gdf: gpd.GeoDataFrame, *, eps_m: float, min_tonnes: float,
                   weight_col: str = "tonnes_per_year") -> pd.Series:
    """Cluster of each record (1 = largest by tonnes, 0 = in no cluster), on its index."""
    params = ClusterParams(eps_m=eps_m, min_tonnes=min_tonnes)
    if resources_gdf.empty:
        return pd.Series(np.zeros(0, dtype=np.int64), index=resources_gdf.index,
                         name="cluster_id")
    x, y, w, _crs = points_from_gdf(resources_gdf, weight_col)
    return pd.Series(cluster_labels(x, y, w, params=params) + 1, index=resources_gdf.index,
                     name="cluster_id")


def find_clusters(resources_gdf: gpd.GeoDataFrame, *, eps_m: float, min_tonnes: float,
                  weight_col: str = "tonnes_per_year", producer_col: str = "site_id",
                  code_col: str = "ewc_code",
                  park_names: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """Named clusters of producers, with totals, footprint and centre (EPSG:4326).

    Parameters
    ----------
    resources_gdf : GeoDataFrame
        Located records (any CRS) with ``weight_col`` (t/yr), ``producer_col`` and
        ``code_col`` (catalogue code; its first two digits are the chapter), e.g. the
        ``located`` frame of :func:`geo.concentrations.selection.select_resources`.
    eps_m : float
        Neighbourhood radius, metres.
    min_tonnes : float
        Tonnes (t/yr) within ``eps_m`` that make a core.
    park_names : mapping, optional
        ``park_id`` → park name, to name clusters after their main park.

    Returns
    -------
    GeoDataFrame
        See :func:`summarise_clusters`; empty (same columns) when nothing clusters.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> from geo.programme import resources_with_sites
    >>> res = resources_with_sites(load_demo_programme())
    >>> haves = res[(res["direction"] == "have") & res["tonnes_per_year"].notna()]
    >>> cl = find_clusters(haves, eps_m=300, min_tonnes=1000)
    >>> bool(cl["tonnes"].is_monotonic_decreasing), cl.crs.to_epsg()
    (True, 4326)
    """
    params = ClusterParams(eps_m=eps_m, min_tonnes=min_tonnes)
    if resources_gdf.empty:
        return summarise_clusters(np.zeros(0), np.zeros(0), np.zeros(0),
                                  np.zeros(0, np.int64), crs=pyproj.CRS.from_epsg(3857),
                                  producers=np.zeros(0, np.int64))
    x, y, w, crs = points_from_gdf(resources_gdf, weight_col)
    producers = pd.factorize(resources_gdf[producer_col].astype(str))[0] \
        if producer_col in resources_gdf.columns else np.arange(len(x))
    chapters = None
    if code_col in resources_gdf.columns:
        chapters = (resources_gdf[code_col].astype("string").str.replace(r"\D", "", regex=True)
                    .str[:2].fillna("").to_numpy(dtype=object))
    names = None
    if park_names is not None and "park_id" in resources_gdf.columns:
        names = resources_gdf["park_id"].map(park_names).to_numpy(dtype=object)
    return clusters_from_arrays(x, y, w, crs=crs, params=params, producers=producers,
                                chapters=chapters, place_names=names)


def clusters_from_arrays(x_m: np.ndarray, y_m: np.ndarray, tonnes: np.ndarray, *,
                         crs: pyproj.CRS, params: ClusterParams, producers: np.ndarray,
                         chapters: np.ndarray | None = None,
                         place_names: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """:func:`cluster_labels` then :func:`summarise_clusters`, on arrays (metric CRS).

    Footprints are drawn around the places that were clustered (sites, or bins when pooled).
    """
    labels, places = _cluster_places(x_m, y_m, tonnes, params=params)
    return summarise_clusters(x_m, y_m, tonnes, labels, crs=crs, producers=producers,
                              chapters=chapters, place_names=place_names,
                              footprint_points=places,
                              buffer_m=params.buffer_m if params.buffer_m is not None
                              else params.eps_m / 2)


def cluster_centres(clusters: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The clusters' tonnage-weighted centres as points (EPSG:4326), same rows and columns."""
    pts = gpd.points_from_xy(clusters["centre_lon"], clusters["centre_lat"], crs=4326)
    return gpd.GeoDataFrame(clusters.drop(columns=clusters.geometry.name), geometry=pts,
                            crs="EPSG:4326")
