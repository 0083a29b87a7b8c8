"""Road networks: load a drivable graph, snap points to it, and compute travel matrices.

One shared piece for the site finder, the milk-round planner and synergy matching.

- Load: :func:`demo_graph` (the real OSM extract of Karhula, Kotka, shipped in the ``pyrosm``
  wheel — works offline), :func:`graph_from_pbf` (a ``.osm.pbf`` the user supplies, read with
  pyrosm), :func:`graph_from_bbox` (an osmnx download when online, cached on disk).
- Snap: :func:`snap_points` places points on the nearest drivable node and reports the
  snapping distance in metres.
- Measure: :func:`travel_matrix` runs one ``scipy.sparse.csgraph.dijkstra`` call over the
  directed graph (one-way streets respected) for all sources at once; unreachable pairs are
  ``inf`` — callers report them, never treat them as free.
- Fallback: :func:`straight_line_matrix` gives straight-line distance × a detour factor where
  no network exists; results carry ``method="straight-line"`` so the UI can say so.

Coordinates in and out are WGS84 lon/lat; all measuring happens in the graph's metric CRS
(UTM zone estimated from the data).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from geo.errors import NetworkError, OfflineError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.settings import Settings

__all__ = [
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_SPEEDS_KMH",
    "RoadGraph",
    "SnapResult",
    "TravelMatrix",
    "demo_graph",
    "graph_from_bbox",
    "graph_from_edges",
    "graph_from_pbf",
    "route_geometry",
    "shortest_path_nodes",
    "snap_points",
    "straight_line_matrix",
    "travel_matrix",
    "travel_matrix_for_points",
]

logger = logging.getLogger(__name__)

Weight = Literal["length", "time"]

DEFAULT_SPEEDS_KMH: dict[str, float] = {
    "motorway": 100.0, "motorway_link": 60.0, "trunk": 80.0, "trunk_link": 50.0,
    "primary": 60.0, "primary_link": 40.0, "secondary": 50.0, "secondary_link": 40.0,
    "tertiary": 40.0, "tertiary_link": 30.0, "unclassified": 40.0, "residential": 30.0,
    "living_street": 15.0, "service": 20.0, "road": 30.0,
}
"""Free-flow speed by OSM ``highway`` class where ``maxspeed`` is missing (km/h). Heavy goods
vehicles are slower than the posted limit, so posted limits are capped at 80 km/h."""

HGV_SPEED_CAP_KMH = 80.0

DEFAULT_DETOUR_FACTOR = 1.3
"""Road distance ÷ straight-line distance used where no network exists. 1.3 is the usual
circuity of road networks (Ballou et al. 2002, *Transportation Research A* 36: 843–848,
found 1.12–1.40 by region); calibrate it per region with :func:`calibrate_detour_factor`."""


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
        Directed adjacency with the shortest parallel edge kept; entry (i, j) is the cost of
        the edge i→j.
    edges : GeoDataFrame
        EPSG:4326, one row per directed edge: ``u``, ``v`` (node indices), ``length_m``,
        ``time_s``, ``highway``, ``name``, geometry oriented u→v. For drawing and routes.
    source : str
        Where the graph came from (shown on screen with the OSM attribution).
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
    _tree: cKDTree = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    _core: np.ndarray = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        # Snap only to nodes of the largest strongly connected component, so every snapped
        # stop can reach and be reached from every other one (no one-way traps).
        n_comp, labels = connected_components(self.length_m, directed=True, connection="strong")
        core = labels == np.bincount(labels).argmax() if n_comp else np.zeros(0, bool)
        object.__setattr__(self, "_core", np.flatnonzero(core))
        pts = np.column_stack([self.x[self._core], self.y[self._core]])
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
        """Project WGS84 lon/lat arrays to the graph's metric CRS."""
        tr = Transformer.from_crs("EPSG:4326", self.crs_metric, always_xy=True)
        x, y = tr.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x), np.asarray(y)


@dataclass(frozen=True)
class SnapResult:
    """Where each point joined the network: node index and the snapping distance (m)."""

    node: np.ndarray
    distance_m: np.ndarray


@dataclass(frozen=True)
class TravelMatrix:
    """Travel distances and times between origins (rows) and destinations (columns).

    ``method`` is ``"road"`` (shortest paths on the network; ``inf`` where unreachable) or
    ``"straight-line"`` (great-circle distance × ``detour_factor``, a stand-in the UI must
    label). Snapping distances are reported so that far-off points can be flagged.
    """

    distance_m: np.ndarray
    time_s: np.ndarray
    method: Literal["road", "straight-line"]
    detour_factor: float = 1.0
    origin_snap_m: np.ndarray | None = None
    destination_snap_m: np.ndarray | None = None

    @property
    def unreachable(self) -> np.ndarray:
        """Boolean matrix: True where no route exists."""
        return ~np.isfinite(self.distance_m)


def _speed_kmh(highway: pd.Series, maxspeed: pd.Series) -> np.ndarray:
    hw = highway.astype(str).str.split(",").str[0].str.strip("[]' ")
    default = hw.map(DEFAULT_SPEEDS_KMH).fillna(30.0).to_numpy(float)
    posted = pd.to_numeric(maxspeed.astype(str).str.extract(r"(\d+)")[0], errors="coerce")
    posted_arr = posted.to_numpy(float)
    speed = np.where(np.isfinite(posted_arr) & (posted_arr > 0), posted_arr, default)
    return np.minimum(speed, HGV_SPEED_CAP_KMH)


def graph_from_edges(
    nodes: pd.DataFrame,
    edges: gpd.GeoDataFrame,
    *,
    source: str,
) -> RoadGraph:
    """Build a :class:`RoadGraph` from node and edge tables (as pyrosm returns them).

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
    """
    if edges.crs is None or not edges.crs.equals("EPSG:4326"):
        msg = f"Road edges must be in EPSG:4326, got {edges.crs}; reproject with .to_crs(4326)."
        raise NetworkError(msg)
    if len(edges) == 0:
        msg = "The road data has no drivable edges; choose a larger area or another file."
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


def graph_from_pbf(
    path: str | Path,
    *,
    bounding_box: Sequence[float] | None = None,
    source: str | None = None,
) -> RoadGraph:
    """Read the drivable road graph of a ``.osm.pbf`` file with pyrosm.

    Parameters
    ----------
    path : str or Path
        An OpenStreetMap PBF extract.
    bounding_box : sequence of 4 floats, optional
        (min lon, min lat, max lon, max lat) to read only part of the file.
    source : str, optional
        Label shown with the attribution; defaults to the file name.
    """
    import pyrosm

    path = Path(path)
    if not path.exists():
        msg = f"Road network file {str(path)!r} does not exist; give the path of a .osm.pbf file."
        raise NetworkError(msg)
    try:
        osm = pyrosm.OSM(str(path), bounding_box=list(bounding_box) if bounding_box else None)
        result = osm.get_network(network_type="driving", nodes=True)
    except Exception as exc:  # pyrosm raises bare exceptions on bad files
        msg = f"Could not read {path.name!r} as an OSM PBF file ({exc}); export it again as .osm.pbf."
        raise NetworkError(msg) from exc
    if result is None:
        msg = f"{path.name!r} has no drivable roads in the area asked for."
        raise NetworkError(msg)
    nodes, edges = result
    return graph_from_edges(nodes, edges, source=source or f"OpenStreetMap extract {path.name}")


def demo_graph() -> RoadGraph:
    """The embedded default: Karhula industrial district (Kotka, Finland), real OSM roads.

    The extract ships inside the ``pyrosm`` wheel, so this works with no network.

    Examples
    --------
    >>> g = demo_graph()
    >>> g.n_nodes > 500 and g.crs_metric == "EPSG:32635"
    True
    """
    import pyrosm

    return graph_from_pbf(pyrosm.get_data("test_pbf"),
                          source="OpenStreetMap extract of Karhula, Kotka (shipped with pyrosm)")


def graph_from_bbox(
    bbox: Sequence[float],
    *,
    settings: Settings,
    margin_m: float = 2000.0,
) -> RoadGraph:
    """Download the drivable network of a bounding box with osmnx (online, cached on disk).

    Parameters
    ----------
    bbox : sequence of 4 floats
        (min lon, min lat, max lon, max lat), WGS84.
    settings : Settings
        ``online_osm`` must be on; ``cache_dir``, ``timeout_s`` and ``user_agent`` are used.
    margin_m : float
        Added around the box so routes may leave it (metres).

    Raises
    ------
    OfflineError
        When online OSM is switched off or the Overpass API cannot be reached.
    """
    if not settings.online_osm:
        msg = ("Downloading roads needs the online OSM setting (SYMBIOMAP_ONLINE_OSM=1); "
               "offline, load a .osm.pbf file of the region instead.")
        raise OfflineError(msg)
    import osmnx as ox

    lon0, lat0, lon1, lat1 = map(float, bbox)
    pad = margin_m / 111_320.0
    padded = (lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad)
    key = hashlib.sha256(repr(tuple(round(v, 5) for v in padded)).encode()).hexdigest()[:16]
    cache = Path(settings.cache_dir) / "osm"
    cache.mkdir(parents=True, exist_ok=True)
    graph_file = cache / f"drive-{key}.graphml"
    if graph_file.exists():
        g = ox.load_graphml(graph_file)
    else:
        ox.settings.cache_folder = str(cache / "http")
        ox.settings.use_cache = True
        ox.settings.requests_timeout = settings.timeout_s
        ox.settings.http_user_agent = settings.user_agent
        try:
            g = ox.graph_from_bbox(padded, network_type="drive", simplify=True)
        except Exception as exc:
            msg = (f"Could not download roads from OpenStreetMap ({type(exc).__name__}: {exc}). "
                   "Check the connection, or load a .osm.pbf file of the region instead.")
            raise OfflineError(msg) from exc
        ox.save_graphml(g, graph_file)
    nodes, edges = ox.graph_to_gdfs(g)
    nodes = nodes.reset_index().rename(columns={"osmid": "id", "x": "lon", "y": "lat"})
    edges = edges.reset_index()
    edges["oneway"] = np.where(edges["oneway"].astype(bool), "yes", "no")
    return graph_from_edges(nodes, edges.to_crs(4326), source="OpenStreetMap via osmnx")


def snap_points(graph: RoadGraph, lon: Sequence[float] | np.ndarray,
                lat: Sequence[float] | np.ndarray) -> SnapResult:
    """Nearest drivable node of each point (in the graph's strongly connected core).

    Returns node indices and straight-line snapping distances in metres.
    """
    lon_a = np.asarray(lon, float)
    lat_a = np.asarray(lat, float)
    if lon_a.shape != lat_a.shape:
        msg = f"lon and lat must have the same length, got {lon_a.shape} and {lat_a.shape}."
        raise NetworkError(msg)
    if len(lon_a) == 0:
        return SnapResult(np.zeros(0, np.int64), np.zeros(0))
    if not (np.isfinite(lon_a).all() and np.isfinite(lat_a).all()):
        msg = "Points to snap must all have coordinates; geocode the missing ones first."
        raise NetworkError(msg)
    x, y = graph.to_metric(lon_a, lat_a)
    dist, pos = graph._tree.query(np.column_stack([x, y]))
    return SnapResult(node=graph._core[pos].astype(np.int64), distance_m=np.asarray(dist, float))


def travel_matrix(graph: RoadGraph, sources: np.ndarray, targets: np.ndarray,
                  *, weight: Weight = "length") -> np.ndarray:
    """Shortest-path costs from each source node to each target node (one Dijkstra call).

    Parameters
    ----------
    sources, targets : ndarray of int
        Node indices (may repeat).
    weight : {"length", "time"}
        Metres or seconds.

    Returns
    -------
    ndarray, shape (len(sources), len(targets))
        ``inf`` where the target cannot be reached.
    """
    sources = np.asarray(sources, np.int64)
    targets = np.asarray(targets, np.int64)
    if len(sources) == 0 or len(targets) == 0:
        return np.zeros((len(sources), len(targets)))
    adj = graph.length_m if weight == "length" else graph.time_s
    uniq, inv = np.unique(sources, return_inverse=True)
    dist = dijkstra(adj, directed=True, indices=uniq)
    return np.asarray(dist[inv][:, targets])


def shortest_path_nodes(graph: RoadGraph, source: int, target: int,
                        *, weight: Weight = "time") -> list[int]:
    """Node indices of the shortest path from ``source`` to ``target`` (empty if none)."""
    adj = graph.length_m if weight == "length" else graph.time_s
    _, pred = dijkstra(adj, directed=True, indices=int(source), return_predecessors=True)
    if source != target and pred[target] < 0:
        return []
    path = [int(target)]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    return path[::-1]


def route_geometry(graph: RoadGraph, nodes: Sequence[int]) -> LineString:
    """The road geometry (WGS84) along consecutive node indices, following edge shapes."""
    if len(nodes) < 2:
        i = int(nodes[0]) if len(nodes) else 0
        return LineString([(graph.lon[i], graph.lat[i])] * 2)
    e = graph.edges
    lookup = e.sort_values("length_m").drop_duplicates(["u", "v"]).set_index(["u", "v"]).geometry
    coords: list[tuple[float, float]] = []
    for a, b in zip(nodes[:-1], nodes[1:], strict=True):
        try:
            seg = list(lookup.loc[(int(a), int(b))].coords)
        except KeyError:
            seg = [(graph.lon[a], graph.lat[a]), (graph.lon[b], graph.lat[b])]
        coords.extend(seg if not coords else seg[1:])
    return LineString(coords)


def _haversine_m(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray,
                 lat2: np.ndarray) -> np.ndarray:
    r = 6_371_008.8
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dphi = p2 - p1
    dlmb = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * r * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


def straight_line_matrix(
    origins_lonlat: np.ndarray,
    destinations_lonlat: np.ndarray,
    *,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    speed_kmh: float = 40.0,
) -> TravelMatrix:
    """Great-circle distance × detour factor, and time at an average speed.

    A labelled stand-in where no road network exists (``method="straight-line"``).
    """
    if detour_factor < 1.0:
        msg = f"detour_factor must be at least 1.0 (roads are never shorter), got {detour_factor!r}."
        raise NetworkError(msg)
    o = np.asarray(origins_lonlat, float).reshape(-1, 2)
    d = np.asarray(destinations_lonlat, float).reshape(-1, 2)
    dist = _haversine_m(o[:, 0], o[:, 1], d[:, 0], d[:, 1]) * detour_factor
    return TravelMatrix(distance_m=dist, time_s=dist / (speed_kmh / 3.6),
                        method="straight-line", detour_factor=detour_factor)


def travel_matrix_for_points(
    graph: RoadGraph | None,
    origins_lonlat: np.ndarray,
    destinations_lonlat: np.ndarray,
    *,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
) -> TravelMatrix:
    """Road distances and times between WGS84 points, or the straight-line stand-in.

    With a graph, points are snapped to it and the snapping distance (a straight walk to the
    road) is added to both ends at the graph's mean speed of 30 km/h; without one
    (``graph=None``) the straight-line × detour stand-in is returned.
    """
    o = np.asarray(origins_lonlat, float).reshape(-1, 2)
    d = np.asarray(destinations_lonlat, float).reshape(-1, 2)
    if graph is None:
        return straight_line_matrix(o, d, detour_factor=detour_factor)
    so = snap_points(graph, o[:, 0], o[:, 1])
    sd = snap_points(graph, d[:, 0], d[:, 1])
    dist = travel_matrix(graph, so.node, sd.node, weight="length")
    time = travel_matrix(graph, so.node, sd.node, weight="time")
    access = so.distance_m[:, None] + sd.distance_m[None, :]
    return TravelMatrix(distance_m=dist + access, time_s=time + access / (30 / 3.6),
                        method="road", origin_snap_m=so.distance_m,
                        destination_snap_m=sd.distance_m)


def calibrate_detour_factor(graph: RoadGraph, *, n_pairs: int = 400, seed: int = 0) -> float:
    """Median road ÷ straight-line distance over random node pairs of ``graph``.

    Use it to set the straight-line stand-in's detour factor for a region where part of the
    area has a network. Pairs closer than 500 m are skipped (snapping noise dominates).
    """
    rng = np.random.default_rng(seed)
    core = graph._core
    if len(core) < 3:
        return DEFAULT_DETOUR_FACTOR
    a = rng.choice(core, size=min(n_pairs, len(core)), replace=False)
    b = rng.choice(core, size=min(20, len(core)), replace=False)
    road = travel_matrix(graph, a, b)
    crow = np.hypot(graph.x[a][:, None] - graph.x[b][None, :],
                    graph.y[a][:, None] - graph.y[b][None, :])
    ok = np.isfinite(road) & (crow > 500)
    if not ok.any():
        return DEFAULT_DETOUR_FACTOR
    return float(np.median(road[ok] / crow[ok]))


__all__ += ["calibrate_detour_factor"]
