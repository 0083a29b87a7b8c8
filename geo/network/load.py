"""Load a road graph: the embedded demo, a user's ``.osm.pbf`` file, or an osmnx download.

- :func:`demo_graph` — the real OSM extract of Karhula, Kotka, shipped in the ``pyrosm`` wheel
  (works offline);
- :func:`graph_from_pbf` — a ``.osm.pbf`` extract the user supplies, read with pyrosm;
- :func:`graph_from_bbox` — the drivable network of a bounding box downloaded with osmnx when
  online OSM is switched on, cached on disk under ``settings.cache_dir``.

All three return a :class:`~geo.network.graph.RoadGraph` (WGS84 nodes, metric lengths).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import NetworkError, OfflineError
from geo.i18n import _
from geo.network.graph import RoadGraph, graph_from_edges

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd

    from geo.settings import Settings

__all__ = ["demo_graph", "graph_from_bbox", "graph_from_pbf", "open_pbf", "pbf_landuse"]


def open_pbf(path: str | Path, *, bounding_box: Sequence[float] | None = None) -> Any:
    """An OpenStreetMap ``.osm.pbf`` file opened with pyrosm: the one reader of PBF files, for
    the extract shipped with pyrosm and for one a user uploaded (checked first by
    :func:`geo.uploads.store_osm_extract`).

    Raises
    ------
    NetworkError
        The file does not exist or cannot be opened as PBF.
    """
    import pyrosm

    path = Path(path)
    if not path.exists():
        msg = _("Road network file {path} does not exist; give the path of a .osm.pbf "
                "file.").format(path=repr(str(path)))
        raise NetworkError(msg)
    try:
        return pyrosm.OSM(str(path), bounding_box=list(bounding_box) if bounding_box else None)
    except Exception as exc:  # pyrosm raises bare exceptions on bad files
        raise _unreadable(path, exc) from exc


def _unreadable(path: Path, exc: Exception) -> NetworkError:
    msg = _("Could not read {file} as an OSM PBF file ({error}); export it again as "
            ".osm.pbf.").format(file=repr(path.name), error=exc)
    return NetworkError(msg)


def pbf_landuse(path: str | Path) -> gpd.GeoDataFrame | None:
    """The land-use polygons of a ``.osm.pbf`` file (``landuse``, ``geometry``; EPSG:4326), or
    None when it has none.

    Raises
    ------
    NetworkError
        The file cannot be read as PBF.
    """
    osm = open_pbf(path)
    try:
        landuse = osm.get_landuse()
    except Exception as exc:  # pyrosm raises bare exceptions on bad files
        raise _unreadable(Path(path), exc) from exc
    return None if landuse is None else landuse[["landuse", "geometry"]]


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
        (min lon, min lat, max lon, max lat), WGS84, to read only part of the file.
    source : str, optional
        Label shown with the attribution; defaults to the file name.

    Raises
    ------
    NetworkError
        The file does not exist, cannot be read as PBF, or has no drivable roads there.
    """
    path = Path(path)
    osm = open_pbf(path, bounding_box=bounding_box)
    try:
        result = osm.get_network(network_type="driving", nodes=True)
    except Exception as exc:  # pyrosm raises bare exceptions on bad files
        raise _unreadable(path, exc) from exc
    if result is None:
        msg = _("{file} has no drivable roads in the area asked for.").format(
            file=repr(path.name))
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
        msg = _("Downloading roads needs the online OSM setting (SYMBIOMAP_ONLINE_OSM=1); "
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
            msg = _("Could not download roads from OpenStreetMap ({error}). Check the "
                    "connection, or load a .osm.pbf file of the region instead.").format(
                error=f"{type(exc).__name__}: {exc}")
            raise OfflineError(msg) from exc
        ox.save_graphml(g, graph_file)
    nodes, edges = ox.graph_to_gdfs(g)
    nodes = nodes.reset_index().rename(columns={"osmid": "id", "x": "lon", "y": "lat"})
    edges = edges.reset_index()
    edges["oneway"] = np.where(edges["oneway"].astype(bool), "yes", "no")
    return graph_from_edges(nodes, edges.to_crs(4326), source="OpenStreetMap via osmnx")
