"""The road graph: a directed drivable network as arrays, and the speeds its times assume.

:class:`RoadGraph` holds the nodes (WGS84 and a metric CRS), the directed adjacency in metres
and in seconds, and the edges with their shapes for drawing. :func:`graph_from_edges` builds
one from node and edge tables (as pyrosm and osmnx give them; see :mod:`geo.network.load`).

Speeds are defined here once: free-flow speed by OSM road class where ``maxspeed`` is
missing, a cap for heavy goods vehicles, and :data:`ACCESS_SPEED_KMH` for the straight walk
between a point and the node it is snapped to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from geo.errors import NetworkError
from geo.i18n import _

__all__ = [
    "ACCESS_SPEED_KMH",
    "DEFAULT_SPEEDS_KMH",
    "HGV_SPEED_CAP_KMH",
    "OTHER_ROAD_SPEED_KMH",
    "RoadGraph",
    "access_time_s",
    "graph_from_edges",
]

DEFAULT_SPEEDS_KMH: Final[dict[str, float]] = {
    "motorway": 100.0, "motorway_link": 60.0, "trunk": 80.0, "trunk_link": 50.0,
    "primary": 60.0, "primary_link": 40.0, "secondary": 50.0, "secondary_link": 40.0,
    "tertiary": 40.0, "tertiary_link": 30.0, "unclassified": 40.0, "residential": 30.0,
    "living_street": 15.0, "service": 20.0, "road": 30.0,
}
"""Free-flow speed by OSM ``highway`` class where ``maxspeed`` is missing (km/h)."""

OTHER_ROAD_SPEED_KMH: Final = 30.0
"""Speed of a road whose ``highway`` class is not in :data:`DEFAULT_SPEEDS_KMH` (km/h)."""

HGV_SPEED_CAP_KMH: Final = 80.0
"""Heavy goods vehicles are slower than the posted limit: speeds are capped here (km/h)."""

ACCESS_SPEED_KMH: Final = 30.0
"""Speed of the straight walk between a point and the node it is snapped to (km/h)."""


def access_time_s(distance_m: np.ndarray) -> np.ndarray:
    """Seconds for access legs of ``distance_m`` metres at :data:`ACCESS_SPEED_KMH`.

    Examples
    --------
    >>> access_time_s(np.array([250.0]))
    array([30.])
    """
    return np.asarray(distance_m / (ACCESS_SPEED_KMH / 3.6))


@dataclass(frozen=True)
class RoadGraph:
    """A directed drivable road graph as arrays (read-only once built).

    Attributes
    ----------
    node_ids : ndarray of int64
        OSM node ids, position = node index.
    lon, lat : ndarray of float
        WGS84 coordinates of the nodes.
    x, y : ndarray of float
        The nodes in ``crs_metric`` (metres).
    crs_metric : str
        A metric CRS for the region (estimated UTM zone).
    length_m, time_s : csr_matrix
        Directed adjacency with the shortest (resp. fastest) parallel edge kept; entry (i, j)
        is the metres (resp. seconds) of the edge i→j.
    edges : GeoDataFrame
        EPSG:4326, one row per directed edge: ``u``, ``v`` (node indices), ``length_m``,
        ``time_s``, ``highway``, ``name``, geometry oriented u→v. For drawing and routes.
    source : str
        Where the graph came from (shown on screen with the OSM attribution).
    core_nodes : ndarray of int64 (read-only)
        Node indices of the largest strongly connected component, the nodes points are
        snapped to: every snapped point can reach, and be reached from, every other one
        (no one-way traps). Derived when the graph is built.

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> g = demo_graph()
    >>> bool(0 < len(g.core_nodes) <= g.n_nodes)
    True
    """

    node_ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    x: np.ndarray
    y: np.ndarray
    crs_metric: str
    length_m: csr_matrix
    time_s: csr_matrix
    edges: gpd.GeoDataFrame
    source: str
    core_nodes: np.ndarray = field(init=False, repr=False, compare=False)
    _tree: cKDTree = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n_comp, labels = connected_components(self.length_m, directed=True, connection="strong")
        core = labels == np.bincount(labels).argmax() if n_comp else np.zeros(0, bool)
        core_nodes = np.flatnonzero(core)
        core_nodes.setflags(write=False)
        object.__setattr__(self, "core_nodes", core_nodes)
        pts = np.column_stack([self.x[core_nodes], self.y[core_nodes]])
        object.__setattr__(self, "_tree", cKDTree(pts))

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return int(self.length_m.nnz)

    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of the nodes."""
        return (float(self.lon.min()), float(self.lat.min()),
                float(self.lon.max()), float(self.lat.max()))

    def to_metric(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Project WGS84 lon/lat arrays to the graph's metric CRS (metres)."""
        tr = Transformer.from_crs("EPSG:4326", self.crs_metric, always_xy=True)
        x, y = tr.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x), np.asarray(y)

    def nearest_core_nodes(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of :attr:`core_nodes` to each point given in ``crs_metric``.

        Parameters
        ----------
        x, y : ndarray of float
            Coordinates in the graph's metric CRS (metres), same length.

        Returns
        -------
        node : ndarray of int64
            Node index of each point's nearest core node.
        distance_m : ndarray of float
            Straight-line distance to it (metres).
        """
        dist, pos = self._tree.query(np.column_stack([x, y]))
        return self.core_nodes[pos].astype(np.int64), np.asarray(dist, float)


def _speed_kmh(highway: pd.Series, maxspeed: pd.Series) -> np.ndarray:
    hw = highway.astype(str).str.split(",").str[0].str.strip("[]' ")
    default = hw.map(DEFAULT_SPEEDS_KMH).fillna(OTHER_ROAD_SPEED_KMH).to_numpy(float)
    posted = pd.to_numeric(maxspeed.astype(str).str.extract(r"(\d+)")[0], errors="coerce")
    posted_arr = posted.to_numpy(float)
    speed = np.where(np.isfinite(posted_arr) & (posted_arr > 0), posted_arr, default)
    return np.asarray(np.minimum(speed, HGV_SPEED_CAP_KMH))


def graph_from_edges(
    nodes: pd.DataFrame,
    edges: gpd.GeoDataFrame,
    *,
    source: str,
) -> RoadGraph:
    """Build a :class:`RoadGraph` from node and edge tables (as pyrosm returns them).

    Edge lengths are measured in the graph's metric CRS (the UTM zone estimated from the
    nodes); times use ``maxspeed`` where posted, else :data:`DEFAULT_SPEEDS_KMH`, capped at
    :data:`HGV_SPEED_CAP_KMH`.

    Parameters
    ----------
    nodes : DataFrame
        Columns ``id``, ``lon``, ``lat`` (WGS84).
    edges : GeoDataFrame
        EPSG:4326 with ``u``, ``v`` (node ids), ``oneway``, ``highway``, ``maxspeed``,
        ``name`` (optional), line geometry from u to v. ``oneway`` of ``yes``/``true``/``1``
        keeps only u→v, ``-1`` only v→u; anything else is two-way.
    source : str
        Where the data came from, for display.

    Raises
    ------
    NetworkError
        Edges not in EPSG:4326, or no edges at all.
    """
    if edges.crs is None or not edges.crs.equals("EPSG:4326"):
        msg = _("Road edges must be in EPSG:4326, got {crs}; reproject with .to_crs(4326).").format(
            crs=edges.crs)
        raise NetworkError(msg)
    if len(edges) == 0:
        msg = _("The road data has no drivable edges; choose a larger area or another file.")
        raise NetworkError(msg)
    node_ids = nodes["id"].to_numpy(np.int64)
    index = pd.Series(np.arange(len(node_ids)), index=node_ids)
    keep = edges["u"].isin(index.index) & edges["v"].isin(index.index)
    edges = edges[keep]
    lon = nodes["lon"].to_numpy(float)
    lat = nodes["lat"].to_numpy(float)
    crs_metric = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).estimate_utm_crs()
    tr = Transformer.from_crs("EPSG:4326", crs_metric, always_xy=True)
    x, y = tr.transform(lon, lat)

    u = index.loc[edges["u"].to_numpy()].to_numpy()
    v = index.loc[edges["v"].to_numpy()].to_numpy()
    length = edges.to_crs(crs_metric).length.to_numpy(float)
    length = np.maximum(length, 0.1)  # zero-length edges would vanish from a sparse matrix
    speed = _speed_kmh(edges.get("highway", pd.Series("road", index=edges.index)),
                       edges.get("maxspeed", pd.Series(None, index=edges.index)))
    time = length / (speed / 3.6)
    oneway = edges.get("oneway", pd.Series(None, index=edges.index)).astype(str).str.lower()
    forward = ~oneway.isin(["-1", "reverse"]).to_numpy()
    backward = ~oneway.isin(["yes", "true", "1"]).to_numpy()

    geoms = edges.geometry.to_numpy()
    rev_geoms = np.array([LineString(g.coords[::-1]) for g in geoms[backward]], dtype=object)
    meta = pd.DataFrame({"highway": edges.get("highway", pd.Series(None, index=edges.index)),
                         "name": edges.get("name", pd.Series(None, index=edges.index))})
    directed = pd.concat([
        pd.DataFrame({"u": u[forward], "v": v[forward], "length_m": length[forward],
                      "time_s": time[forward]}).assign(**{c: meta[c].to_numpy()[forward]
                                                          for c in meta}),
        pd.DataFrame({"u": v[backward], "v": u[backward], "length_m": length[backward],
                      "time_s": time[backward]}).assign(**{c: meta[c].to_numpy()[backward]
                                                           for c in meta}),
    ], ignore_index=True)
    directed_geom = np.concatenate([geoms[forward], rev_geoms])
    edges_out = gpd.GeoDataFrame(directed, geometry=list(directed_geom), crs=4326)
    edges_out = edges_out[edges_out["u"] != edges_out["v"]]
    # Parallel edges: keep the shortest of each (u, v) for the matrices.
    best = edges_out.sort_values("length_m").drop_duplicates(["u", "v"])
    n = len(node_ids)
    length_m = csr_matrix((best["length_m"].to_numpy(), (best["u"], best["v"])), shape=(n, n))
    best_t = edges_out.sort_values("time_s").drop_duplicates(["u", "v"])
    time_s = csr_matrix((best_t["time_s"].to_numpy(), (best_t["u"], best_t["v"])), shape=(n, n))
    return RoadGraph(node_ids=node_ids, lon=lon, lat=lat, x=np.asarray(x), y=np.asarray(y),
                     crs_metric=str(crs_metric), length_m=length_m, time_s=time_s,
                     edges=edges_out.reset_index(drop=True), source=source)
