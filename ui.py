"""Streamlit helpers shared by the pages: cached data, session keys, maps, errors, downloads.

The only module besides ``app.py`` and ``pages/`` that imports Streamlit. ``geo/`` computes,
this module caches and renders.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import streamlit as st

from geo.errors import SymbiosisError
from geo.settings import OSM_ATTRIBUTION, PROJECT_ROOT, Settings, get_settings

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.synergies.lifecycle import SynergyBook
    from geo.synergies.matching import Matcher

logger = logging.getLogger(__name__)

STATIC_DIR: Final = PROJECT_ROOT / "static"

# Session-state keys, in one place.
KEY_ROLE: Final = "viewer_role"
KEY_PROGRAMME: Final = "programme_name"
KEY_PROGRAMME_VERSION: Final = "programme_version"
KEY_SYNERGY_VERSION: Final = "synergy_version"
DEMO_PROGRAMME: Final = "__demo__"


def leave_legacy_pages_mode() -> None:
    """Make sure every page runs inside ``app.py``'s frame, deep links included.

    Streamlit treats a ``pages/`` folder beside the entry script as a legacy multipage app
    until ``st.navigation`` has run once in the process. On a freshly started server, a
    deep link such as ``/reports`` would therefore run ``pages/reports.py`` bare — without
    the sidebar, the viewer role or the local map assets. Every page imports this module
    first, so switching the legacy mode off here and rerunning sends the request through
    ``app.py``, whose ``st.navigation`` then opens the linked page.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if st.runtime.exists():
            st.rerun()


leave_legacy_pages_mode()


def settings() -> Settings:
    """The settings, read from the environment once per session."""
    if "_settings" not in st.session_state:
        st.session_state["_settings"] = get_settings()
    s: Settings = st.session_state["_settings"]
    return s


def role() -> str:
    """The viewer's role chosen in the sidebar (defaults to the setting)."""
    return str(st.session_state.get(KEY_ROLE, settings().role))


def is_practitioner() -> bool:
    """Whether the viewer may see individual companies and contacts."""
    return role() == "practitioner"


@st.cache_resource(show_spinner="Loading the demo programme…")
def _demo_programme() -> Programme:
    from geo.demo import load_demo_programme

    return load_demo_programme()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Any:
    from geo.store import open_store

    return open_store(url)


def store() -> Any:
    """The programme database (opened and migrated once per process)."""
    return _store(settings().database_url)


@st.cache_data(show_spinner="Loading programme…", max_entries=4)
def _stored_programme(url: str, name: str, version: int) -> Programme:
    _ = version  # part of the cache key: bumped after each write
    prog: Programme = _store(url).load_programme(name)
    return prog


def programme_name() -> str:
    """Name of the programme in use (the demo unless the user picked a stored one)."""
    return str(st.session_state.get(KEY_PROGRAMME, DEMO_PROGRAMME))


def programme() -> Programme:
    """The programme in use. Returns a shared object: copy frames before modifying them."""
    return _current()


def _current() -> Programme:
    name = programme_name()
    if name == DEMO_PROGRAMME:
        return _demo_programme()
    version = int(st.session_state.get(KEY_PROGRAMME_VERSION, 0))
    return _stored_programme(settings().database_url, name, version)


def programme_changed() -> None:
    """Call after writing to the store so cached programme frames are reloaded."""
    st.session_state[KEY_PROGRAMME_VERSION] = int(st.session_state.get(KEY_PROGRAMME_VERSION,
                                                                        0)) + 1


@st.cache_resource(show_spinner="Loading the road network…")
def _demo_graph() -> RoadGraph:
    from geo.network import demo_graph

    return demo_graph()


@st.cache_resource(show_spinner="Reading the road network file…", max_entries=2)
def _pbf_graph(path: str, modified: float) -> RoadGraph:
    from geo.network import graph_from_pbf

    _ = modified  # cache key: a replaced file is read again
    return graph_from_pbf(path)


@st.cache_resource(show_spinner="Downloading roads from OpenStreetMap (cached on disk)…",
                   max_entries=2)
def _bbox_graph(bbox: tuple[float, float, float, float]) -> RoadGraph:
    from geo.network import graph_from_bbox

    return graph_from_bbox(bbox, settings=settings())


def programme_pbf(name: str | None = None) -> Path:
    """Where the road network file (``.osm.pbf``) of a stored programme is kept."""
    import hashlib

    key = hashlib.sha256((name or programme_name()).encode()).hexdigest()[:16]
    return Path(settings().data_dir) / "networks" / f"{key}.osm.pbf"


def road_graph() -> RoadGraph | None:
    """Road graph of the current programme's region, or None where none is available.

    The demo uses the Karhula extract shipped with pyrosm. A stored programme uses the
    ``.osm.pbf`` file uploaded for it (sidebar *Road network*), else — when online OSM is
    switched on — an osmnx download of its sites' extent, cached on disk. Callers label the
    straight-line fallback they use when this returns None.
    """
    name = programme_name()
    if name == DEMO_PROGRAMME:
        return _demo_graph()
    pbf = programme_pbf(name)
    if pbf.exists():
        return _pbf_graph(str(pbf), pbf.stat().st_mtime)
    if settings().online_osm:
        prog = programme()
        bounds = located_bounds(prog.sites)
        if bounds != WORLD_BOUNDS:
            from geo.errors import OfflineError

            try:
                return _bbox_graph(tuple(round(b, 4) for b in bounds))  # type: ignore[arg-type]
            except OfflineError as exc:
                st.warning(str(exc), icon=":material/cloud_off:")
    return None


def road_network_panel() -> None:
    """Sidebar panel: which road network the analyses use, and a way to supply one."""
    name = programme_name()
    with st.expander("Road network", icon=":material/route:"):
        if name == DEMO_PROGRAMME:
            st.caption("Karhula's OpenStreetMap roads (shipped with pyrosm), offline.")
            return
        pbf = programme_pbf(name)
        if pbf.exists():
            st.caption(f"From the uploaded file ({pbf.stat().st_size / 1e6:.1f} MB).")
        elif settings().online_osm:
            st.caption("Downloaded from OpenStreetMap for the sites' extent (cached on disk).")
        else:
            st.caption("None: distances are straight-line × detour estimates. Upload an "
                       ".osm.pbf extract of the region (e.g. from a national extract "
                       "provider), or set SYMBIOMAP_ONLINE_OSM=1 to download roads.")
        upload = st.file_uploader("OpenStreetMap extract (.osm.pbf)", type=["pbf"],
                                  key="road_pbf_upload")
        if upload is not None and st.button("Use this road network", key="road_pbf_use"):
            pbf.parent.mkdir(parents=True, exist_ok=True)
            pbf.write_bytes(upload.getvalue())
            st.rerun()


@st.cache_resource
def _demo_base_layers() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    from geo.demo import demo_region

    region = demo_region()
    return region.roads, region.landuse


WORLD_BOUNDS: Final = (-170.0, -58.0, 170.0, 75.0)


def located_bounds(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Bounds of the located features of ``frames``; the world where nothing is located."""
    boxes = []
    for f in frames:
        geoms = f.geometry[f.geometry.notna() & ~f.geometry.is_empty]
        if len(geoms):
            boxes.append(geoms.total_bounds)
    if not boxes:
        return WORLD_BOUNDS
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def base_map(*, bounds: Sequence[float] | None = None) -> folium.Map:
    """An offline base map of the current programme's region (see :mod:`layers.base`)."""
    from layers.base import base_map as _base_map

    prog = programme()
    if bounds is None:
        bounds = located_bounds(prog.sites, prog.parks)
    landuse, roads = _landuse_and_roads(programme_name())
    return _base_map(bounds=bounds, settings=settings(), roads=roads, landuse=landuse,
                     source=prog.notes.get("source", ""))


def show_map(m: folium.Map, *, key: str, height: int = 520,
             returned_objects: Sequence[str] = ()) -> dict[str, Any]:
    """Render a folium map; panning does not rerun the script unless asked for."""
    from streamlit_folium import st_folium

    out = st_folium(m, key=key, height=height, width="stretch",
                    returned_objects=list(returned_objects))
    return out or {}


@contextlib.contextmanager
def domain_errors() -> Iterator[None]:
    """Show a :class:`SymbiosisError` as an error box and stop the page; let bugs through."""
    try:
        yield
    except SymbiosisError as exc:
        st.error(str(exc))
        st.stop()


def illustrative_note(prog: Programme | None = None) -> None:
    """Label generated demo figures as illustrative."""
    prog = prog or programme()
    if prog.illustrative:
        st.caption(":material/info: Demo programme: the sites, parks and roads are real "
                   f"OpenStreetMap features ({OSM_ATTRIBUTION}); company names, contacts and "
                   "**all quantities are illustrative**, generated for demonstration.")


def download_buttons(frame: pd.DataFrame | gpd.GeoDataFrame, *, stem: str, key: str,
                     formats: Sequence[str] = ("csv", "xlsx", "gpkg", "geojson")) -> None:
    """Download buttons for a table: CSV and Excel always, GeoPackage/GeoJSON for geometry."""
    import geopandas as gpd

    from geo import export

    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None
    makers = {
        "csv": ("CSV", export.to_csv_bytes, "text/csv"),
        "xlsx": ("Excel", export.to_excel_bytes,
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "gpkg": ("GeoPackage", export.to_geopackage_bytes, "application/geopackage+sqlite3"),
        "geojson": ("GeoJSON", export.to_geojson_bytes, "application/geo+json"),
    }
    chosen = [f for f in formats if f in makers and (is_geo or f in ("csv", "xlsx"))]
    cols = st.columns(len(chosen) or 1)
    for col, fmt in zip(cols, chosen, strict=False):
        label, make, mime = makers[fmt]
        with col:
            # A callable is run only when the button is clicked: no export work per rerun.
            st.download_button(label, data=functools.partial(make, frame),
                               file_name=f"{stem}.{fmt}", mime=mime,
                               key=f"{key}_{fmt}", width="stretch")


def static_dir() -> Path:
    """The folder Streamlit serves at ``/app/static`` (holds local map assets)."""
    return STATIC_DIR


def data_versions() -> tuple[int, int]:
    """(programme, synergy) data versions: part of every cache key of programme data."""
    return (int(st.session_state.get(KEY_PROGRAMME_VERSION, 0)),
            int(st.session_state.get(KEY_SYNERGY_VERSION, 0)))


def synergies_changed() -> None:
    """Call after writing synergies, stages or outcomes so cached books are reloaded."""
    st.session_state[KEY_SYNERGY_VERSION] = data_versions()[1] + 1


@st.cache_data(show_spinner="Loading synergies…", max_entries=4)
def _synergy_book(url: str, name: str, versions: tuple[int, int]) -> SynergyBook:
    from geo.synergies import repository

    _ = versions  # cache key: bumped by programme_changed() / synergies_changed()
    book: SynergyBook = repository.load_book(_store(url), name)
    return book


def synergy_book() -> SynergyBook:
    """The current programme's synergies, stage history and outcomes (cached)."""
    return _synergy_book(settings().database_url, programme().name, data_versions())


@st.cache_resource(show_spinner="Preparing matches…", max_entries=4)
def _matcher(url: str, name: str, versions: tuple[int, int], roads: bool,
             network: str) -> Matcher:
    from geo.catalogue import load_catalogue
    from geo.synergies.matching import Matcher

    _ = network
    book = _synergy_book(url, name, versions)
    return Matcher.from_programme(programme(), synergies=book.synergies,
                                  graph=road_graph() if roads else None,
                                  catalogue=load_catalogue())


def matcher(*, roads: bool = True) -> Matcher:
    """Have–want matcher of the current programme (road distances where a network exists)."""
    return _matcher(settings().database_url, programme().name, data_versions(), roads,
                    network_key())


def _read_layer(data: bytes | None) -> gpd.GeoDataFrame | None:
    import io

    import geopandas as gpd

    return gpd.read_file(io.BytesIO(data)) if data else None


@st.cache_resource(show_spinner="Reading land use from the road network file…", max_entries=2)
def _pbf_landuse(path: str, modified: float) -> gpd.GeoDataFrame | None:
    import pyrosm

    _ = modified
    landuse = pyrosm.OSM(path).get_landuse()
    return None if landuse is None else landuse[["landuse", "geometry"]]


def network_key() -> str:
    """Identifies the road network in use: part of the cache key of road-based results."""
    name = programme_name()
    if name == DEMO_PROGRAMME:
        return "demo"
    pbf = programme_pbf(name)
    if pbf.exists():
        return f"pbf:{pbf.stat().st_mtime}"
    return "online" if settings().online_osm else "none"


def _landuse_and_roads(name: str) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    """The region's OSM land use and roads where known (demo, or an uploaded extract)."""
    if name == DEMO_PROGRAMME:
        roads, landuse = _demo_base_layers()
        return landuse, roads
    pbf = programme_pbf(name)
    landuse = _pbf_landuse(str(pbf), pbf.stat().st_mtime) if pbf.exists() else None
    graph = road_graph()
    return landuse, graph.edges if graph is not None else None


@st.cache_data(show_spinner="Screening and scoring candidate sites…", max_entries=8)
def site_finder_run(profile_json: str, source: str, *, resolution: int,
                    weights: tuple[float, ...], programme: str, version: int,
                    upload: bytes | None, plants: bytes | None,
                    network: str = "") -> tuple[Any, Any]:
    # ``programme`` names the programme (the cache key); the frames come from _current().
    """Screened and scored candidates for a profile (see :func:`geo.siting.find_sites`)."""
    import json

    from geo import siting

    _ = version, network  # cache key: the stored programme and its road network
    landuse, roads = _landuse_and_roads(programme)
    return siting.find_sites(
        _current(), siting.profile_from_dict(json.loads(profile_json)), source,
        graph=road_graph(), landuse=landuse, roads=roads, resolution=resolution,
        uploaded=_read_layer(upload), weights=siting.ScoreWeights(*weights),
        competitor_layer=_read_layer(plants))


@st.cache_data(show_spinner="Looking for a rule that lets candidates through…", max_entries=8)
def housing_relaxation(profile_json: str, source: str, *, resolution: int, programme: str,
                       upload: bytes | None, network: str = "") -> float | None:
    """Largest distance from housing that lets a candidate through (None if none does)."""
    import json

    from geo import siting

    _ = network
    landuse, roads = _landuse_and_roads(programme)
    return siting.largest_housing_distance(
        _current(), siting.profile_from_dict(json.loads(profile_json)), source,
        landuse=landuse, roads=roads, resolution=resolution, uploaded=_read_layer(upload))


@st.cache_resource(max_entries=4, show_spinner="Preparing the records…")
def _prepared(name: str, version: int) -> Any:
    from geo.concentrations.selection import prepare_resources

    _ = name, version  # cache key
    return prepare_resources(_current())


def prepared_resources() -> Any:
    """The current programme's records as arrays for concentration maps (once per version)."""
    return _prepared(programme_name(), data_versions()[0])


@st.cache_resource(max_entries=32, show_spinner="Computing…")
def concentration_layer(key: tuple[object, ...], _selection: Any) -> Any:
    """A heat/catchment surface, hexagon totals or clusters for a selection (cached).

    ``key`` is ``(kind, *query key, params)`` with kind ``heat``, ``catchment``,
    ``hexagons`` or ``clusters``; the query key identifies ``_selection`` (not hashed).
    """
    from geo.concentrations import selection as conc

    kind, params = key[0], cast("tuple[Any, ...]", key[-1])
    if kind == "heat":
        return conc.heat_for_selection(_selection, bandwidth_m=params[0],
                                       min_producers=params[1])
    if kind == "catchment":
        return conc.within_radius_for_selection(_selection, radius_m=params[0],
                                                min_producers=params[1])
    if kind == "hexagons":
        return conc.hexagons_for_selection(_selection, resolution=params[0])
    return conc.clusters_for_selection(_selection, eps_m=params[0], min_tonnes=params[1])
