"""Maps on a page: the offline base map of the programme's region, rendering, bounds.

The layers themselves are drawn by :mod:`layers`; this module picks the region, the base
layers and the settings, and renders with ``streamlit-folium`` so that panning does not rerun
the script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, TypedDict, cast

from geo.settings import PROJECT_ROOT

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from ui.context import PageContext

STATIC_DIR: Final = PROJECT_ROOT / "static"
"""The folder Streamlit serves at ``/app/static``: local Leaflet and jQuery for every map."""

WORLD_BOUNDS: Final = (-170.0, -58.0, 170.0, 75.0)
"""(west, south, east, north) shown when nothing is located yet."""


class LatLng(TypedDict):
    """A point the user clicked, in WGS84 degrees."""

    lat: float
    lng: float


class MapEvents(TypedDict, total=False):
    """What a rendered map reports back (only the objects asked for)."""

    last_clicked: LatLng | None


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


def base_map(ctx: PageContext, *, bounds: Sequence[float] | None = None) -> folium.Map:
    """An offline base map of the page's programme (see :func:`layers.base.base_map`).

    ``bounds`` (west, south, east, north, degrees) default to the programme's located sites
    and parks; roads and land use come from its road network where known.
    """
    from layers.base import base_map as _base_map

    prog = ctx.programme
    if bounds is None:
        bounds = located_bounds(prog.sites, prog.parks)
    region = ctx.region_layers
    return _base_map(bounds=bounds, settings=ctx.settings, roads=region.roads,
                     landuse=region.landuse, source=prog.notes.get("source", ""))


def show_map(m: folium.Map, *, key: str, height: int = 520,
             returned_objects: Sequence[str] = ()) -> MapEvents:
    """Render a folium map; panning does not rerun the script unless objects are asked for."""
    from streamlit_folium import st_folium

    out = st_folium(m, key=key, height=height, width="stretch",
                    returned_objects=list(returned_objects))
    return cast("MapEvents", out or {})
