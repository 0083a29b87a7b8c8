"""Maps on a page: the offline base map of the programme's region, rendering, bounds.

The layers themselves are drawn by :mod:`layers`; this module picks the region, the base
layers and the settings, and renders with ``streamlit-folium`` so that panning does not rerun
the script.

The region's roads and land use are not sent with every map: they are written once per road
network to ``static/basemaps/<content hash>.geojson`` (:func:`basemap_url`), which Streamlit
serves at ``/app/static/basemaps/…`` and the browser caches; each map carries only the few
lines of JavaScript that fetch and draw that file (:class:`layers.basemap.StaticBaseMap`) and its
own aggregated overlays.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, TypedDict, cast

import streamlit as st

from geo.i18n import N_
from geo.settings import PROJECT_ROOT
from ui.widgets import LazyText

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from ui.context import PageContext
    from ui.network import NetworkSource

logger = logging.getLogger(__name__)

STATIC_DIR: Final = PROJECT_ROOT / "static"
"""The folder Streamlit serves at ``/app/static``: local Leaflet and jQuery for every map, and
the regions' base map files (``basemaps/``, generated on first use)."""
STATIC_URL: Final = "/app/static"
"""Where Streamlit serves :data:`STATIC_DIR` (``server.enableStaticServing``)."""

WORLD_BOUNDS: Final = (-170.0, -58.0, 170.0, 75.0)
"""(west, south, east, north) shown when nothing is located yet."""


class LatLng(TypedDict):
    """A point the user clicked, in WGS84 degrees."""

    lat: float
    lng: float


class MapEvents(TypedDict, total=False):
    """What a rendered map reports back (only the objects asked for)."""

    last_clicked: LatLng | None


def coarse_bounds(bounds: Sequence[float], step: float = 0.02
                  ) -> tuple[float, float, float, float]:
    """``bounds`` widened out to a grid of ``step`` degrees (about 2 km): a viewer's map is
    fitted to the programme's area without its exact edges, which are member sites.

    Examples
    --------
    >>> coarse_bounds((26.9312, 60.5021, 26.9876, 60.5399))
    (26.92, 60.5, 27.0, 60.54)
    """
    west, south, east, north = (float(v) for v in bounds)
    snap = 1.0 / step
    return (math.floor(west * snap) / snap, math.floor(south * snap) / snap,
            math.ceil(east * snap) / snap, math.ceil(north * snap) / snap)


def located_bounds(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Bounds (west, south, east, north) of the located features of ``frames``, EPSG:4326.

    :data:`WORLD_BOUNDS` where nothing is located.
    """
    boxes = []
    for f in frames:
        geoms = f.geometry[~(f.geometry.isna() | f.geometry.is_empty)]
        if len(geoms):
            boxes.append(geoms.total_bounds)
    if not boxes:
        return WORLD_BOUNDS
    return (float(min(b[0] for b in boxes)), float(min(b[1] for b in boxes)),
            float(max(b[2] for b in boxes)), float(max(b[3] for b in boxes)))


@st.cache_resource(max_entries=8, show_spinner=LazyText(N_("Preparing the base map…")))
def _basemap_file(network: NetworkSource) -> str | None:
    """Write the base map file of ``network``'s region once; its path under the static folder.

    None when the region has no roads and no land use, or the static folder cannot be
    written (the maps then carry the layers themselves).
    """
    from layers.basemap import write_basemap
    from ui.network import region_layers

    region = region_layers(network)
    try:
        return write_basemap(STATIC_DIR, roads=region.roads, landuse=region.landuse)
    except OSError:
        logger.exception("Cannot write the base map file under %s; maps carry the layers",
                         STATIC_DIR)
        return None


def basemap_url(network: NetworkSource) -> str | None:
    """URL of the static base map file of ``network``'s region (written on first use), or None.

    A file removed while the app runs (the folder cleared) is written again.
    """
    name = _basemap_file(network)
    if name is not None and not (STATIC_DIR / name).is_file():
        _basemap_file.clear()
        name = _basemap_file(network)
    return None if name is None else f"{STATIC_URL}/{name}"


def base_map(ctx: PageContext, *, bounds: Sequence[float] | None = None) -> folium.Map:
    """An offline base map of the page's programme (see :func:`layers.base.base_map`).

    ``bounds`` (west, south, east, north, degrees) default to the programme's located sites
    and parks; roads and land use come from its road network where known, as the static file
    of :func:`basemap_url` that the browser fetches once (inlined only if it cannot be written).
    """
    from layers.base import base_map as _base_map

    prog = ctx.programme
    if bounds is None:
        bounds = located_bounds(prog.sites, prog.parks)
        if not ctx.practitioner:  # the extent's edges would be single companies' positions
            bounds = coarse_bounds(bounds)
    source = prog.notes.get("source", "")
    if ctx.settings.tile_url:
        return _base_map(bounds=bounds, settings=ctx.settings, source=source)
    url = basemap_url(ctx.network)
    if url is not None:
        return _base_map(bounds=bounds, settings=ctx.settings, basemap_url=url, source=source)
    region = ctx.region_layers
    return _base_map(bounds=bounds, settings=ctx.settings, roads=region.roads,
                     landuse=region.landuse, source=source)


def show_map(m: folium.Map, *, key: str, height: int = 520,
             returned_objects: Sequence[str] = (),
             overlays: folium.FeatureGroup | None = None) -> MapEvents:
    """Render a folium map; panning does not rerun the script unless objects are asked for.

    ``st_folium`` renders the map itself (``render=False`` only skips its first, redundant
    rendering of the whole page, which gives the same script and halves the time).

    ``overlays`` (:class:`layers.base.Overlays`, not added to ``m``) are the layers that change
    with the page's filters: while ``m`` itself stays the same, a rerun that changes only them
    swaps them in the browser's map instead of building a new map — no new frame, Leaflet and
    the base map are not loaded and drawn again, and the user's pan and zoom are kept.
    """
    from streamlit_folium import st_folium

    out = st_folium(m, key=key, height=height, width="stretch",
                    returned_objects=list(returned_objects), render=False,
                    feature_group_to_add=overlays)
    return cast("MapEvents", out or {})
