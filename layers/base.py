"""Base maps that work with no internet: local Leaflet, vector base layers, escaped text.

- Leaflet and jQuery come from pip-installed XStatic packages, copied into Streamlit's static
  folder (:func:`~layers.basemap.install_static_assets`) and referenced by URL
  (``/app/static/vendor/…``); folium's CDN defaults (Bootstrap, Font Awesome,
  awesome-markers) are dropped, so only vector layers that need Leaflet alone are used
  anywhere in the app.
- Without a tile server (the default), the base map is drawn from the region's own
  OpenStreetMap roads and land use; with ``Settings.tile_url`` set, that server's tiles are
  used instead (users in China set their own tile server).
- In the app the roads and land use are not written into every map:
  :func:`~layers.basemap.write_basemap` stores them once per region as
  ``static/basemaps/<content hash>.geojson`` (served by Streamlit at
  ``/app/static/basemaps/…``), and ``base_map(basemap_url=…)`` adds a few lines of
  JavaScript that fetch that file (the browser caches it) and draw it with the same styles
  under every overlay. Without a URL the layers are inlined, as a standalone HTML file needs.
- Every text shown in a tooltip or popup goes through :func:`~layers.geojson.escape_text`.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.hexcells import cell_centres
from geo.i18n import _, format_number, ngettext
from geo.settings import OSM_ATTRIBUTION, Settings
from layers.basemap import (
    ASSET_URL_PREFIX,
    StaticBaseMap,
    landuse_style,
    local_assets,
    road_style,
)
from layers.geojson import (
    GeoJson,
    frame_to_geojson,
    tooltip,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "SITE_COLOUR",
    "Attribution",
    "MapTarget",
    "Overlays",
    "add_parks",
    "add_sites",
    "base_map",
    "display_decimals",
    "display_tolerance_deg",
    "for_display",
    "hexagon_groups",
    "map_figure",
    "map_view",
    "padded_bounds",
    "zoom_for_bounds",
]

logger = logging.getLogger(__name__)

SITE_COLOUR: Final = "#1f6f8b"
MAX_ZOOM: Final = 19
"""The closest zoom of every map (street level)."""
MIN_SPAN_DEG: Final = 0.005
"""The smallest extent a map is fitted to, each way (about 550 m of latitude)."""

MapTarget = folium.Map | folium.FeatureGroup
"""Where a layer function draws: the map itself, or its :class:`Overlays`."""


class Overlays(folium.FeatureGroup):
    """The layers of a map that change with the page's filters, as one group.

    Shown with ``ui.show_map(m, overlays=…)``, a filter change swaps this group in the
    browser and keeps the map: its base layers are not fetched and drawn again, Leaflet is not
    started again, and the user's pan and zoom stay where they were. The group remembers the
    view its map was fitted to (:func:`map_view`), so outlines drawn into it are simplified
    for that view as on the map itself.
    """

    def __init__(self, m: folium.Map) -> None:
        super().__init__(name="overlays", control=False)
        self.view = map_view(m)


class Attribution(MacroElement):
    """Adds an attribution line (a data source and its licence) to the map's attribution control.

    Add it to the map: ``Attribution("Towns: GeoNames (CC BY 4.0)").add_to(m)``; the text is
    written as a JSON string, never as markup.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        # branca's MacroElement.__init__ has no annotations: a stub gap, not an untyped call here.
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Attribution"
        self.text = text


class RefitWhenShown(MacroElement):
    """Fits the map to its bounds again when it first gets a size: a map drawn in a tab the
    reader has not opened yet (or any hidden box) is laid out at zero size, where Leaflet's
    fit gives the whole world; Leaflet sizes it again when shown, but does not fit it again.
    Nothing happens to a map shown at once, so a reader's own pan and zoom stay."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            var box = map.getContainer();
            var hidden = function () { return !box.clientWidth || !box.clientHeight; };
            if (!hidden() || typeof ResizeObserver === "undefined") { return; }
            var watch = new ResizeObserver(function () {
                if (hidden()) { return; }
                watch.disconnect();
                map.invalidateSize(false);
                map.fitBounds(bounds, {animate: false});
            });
            watch.observe(box);
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
    """)

    def __init__(self, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "RefitWhenShown"
        self.bounds = [[float(v) for v in corner] for corner in bounds]


def map_figure(m: folium.Map) -> Figure:
    """The branca figure (the HTML page) a map is drawn in.

    Its ``header`` takes page-level CSS and its ``html`` fixed elements such as legends.
    """
    root = m.get_root()
    if not isinstance(root, Figure):
        msg = _("The map is not drawn in a branca Figure (its root is a {kind}); build it "
                "with folium.Map or base_map().").format(kind=type(root).__name__)
        raise TypeError(msg)
    return root


def padded_bounds(bounds: Sequence[float], *, min_span_deg: float = MIN_SPAN_DEG
                  ) -> tuple[float, float, float, float]:
    """``bounds`` (west, south, east, north) widened about their centre to at least
    ``min_span_deg`` each way, so that one site, or several at one address, shows its
    surroundings instead of a map fitted to a point.

    Examples
    --------
    >>> padded_bounds((26.9, 60.5, 26.9, 60.5))
    (26.8975, 60.4975, 26.9025, 60.5025)
    >>> padded_bounds((26.0, 60.0, 27.0, 61.0))
    (26.0, 60.0, 27.0, 61.0)
    """
    lon0, lat0, lon1, lat1 = map(float, bounds)
    half = min_span_deg / 2
    if lon1 - lon0 < min_span_deg:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = round(mid - half, 9), round(mid + half, 9)
    if lat1 - lat0 < min_span_deg:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = round(max(mid - half, -90.0), 9), round(min(mid + half, 90.0), 9)
    return lon0, lat0, lon1, lat1


def zoom_for_bounds(bounds: Sequence[float], *, width_px: int = 700,
                    height_px: int = 480) -> int:
    """The largest web-map zoom at which ``bounds`` fit a ``width_px`` × ``height_px`` map.

    ``st_folium`` applies the map's ``zoom_start`` after ``fit_bounds``, so the zoom itself
    must fit the data.

    Examples
    --------
    >>> zoom_for_bounds((26.93, 60.52, 26.97, 60.54))
    14
    >>> zoom_for_bounds((-10.0, 35.0, 30.0, 60.0))
    4
    """
    lon0, lat0, lon1, lat1 = map(float, bounds)
    span_lon = max(lon1 - lon0, 1e-6)

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    span_y = max(merc(lat1) - merc(lat0), 1e-9)
    z_lon = np.log2(width_px * 360.0 / (256.0 * span_lon))
    z_lat = np.log2(height_px * 2 * np.pi / (256.0 * span_y))
    return int(np.clip(np.floor(min(z_lon, z_lat)), 1, 18))


def base_map(
    *,
    bounds: Sequence[float],
    settings: Settings | None = None,
    roads: gpd.GeoDataFrame | None = None,
    landuse: gpd.GeoDataFrame | None = None,
    asset_prefix: str = ASSET_URL_PREFIX,
    source: str = "",
    basemap_url: str | None = None,
) -> folium.Map:
    """A folium map fitted to ``bounds`` that needs no CDN and, by default, no tile server.

    Parameters
    ----------
    bounds : sequence of 4 floats
        (min lon, min lat, max lon, max lat), WGS84.
    settings : Settings, optional
        ``tile_url`` (and ``tile_attribution``) switch to a tile server; empty = vector base.
    roads, landuse : GeoDataFrame, optional
        EPSG:4326 layers of the region drawn as the vector base map (``highway`` and
        ``landuse`` columns style them).
    asset_prefix : str
        URL prefix where Leaflet is served (see :func:`install_static_assets`).
    source : str
        The data source, added to the attribution after the OSM credit.
    basemap_url : str, optional
        URL of the region's base map file (:func:`write_basemap`, served from the static
        folder): the map fetches and draws it instead of carrying ``roads`` and ``landuse``
        in its HTML. Without it the layers are inlined (a standalone HTML file).
    """
    settings = settings or Settings()
    lon0, lat0, lon1, lat1 = bounds = padded_bounds(bounds)
    # maxZoom: without a tile layer Leaflet has no zoom limit, and fitting the bounds of a
    # single point would zoom to infinity (a blank map)
    m = folium.Map(location=[(lat0 + lat1) / 2, (lon0 + lon1) / 2], tiles=None,
                   control_scale=True, prefer_canvas=True,
                   zoom_start=zoom_for_bounds(bounds), maxZoom=MAX_ZOOM)
    js, css = local_assets(asset_prefix)
    m.default_js = js
    m.default_css = css
    # The tooltip table rules folium adds to the header when it renders a GeoJsonTooltip, here
    # too: streamlit-folium reads the header before it renders swapped overlays (Overlays).
    map_figure(m).header.add_child(Element(
        "<style>.leaflet-container{background:#f5f3ef;font:12px/1.4 sans-serif}"
        # the attribution stays whole but leaves the scale bar (bottom left) uncovered
        ".leaflet-control-attribution{font-size:11px;line-height:1.3;max-width:70%}"
        ".foliumtooltip table{margin:auto}.foliumtooltip tr{text-align:left}"
        ".foliumtooltip th{padding:2px;padding-right:8px}</style>"))
    if settings.tile_url:
        folium.TileLayer(tiles=settings.tile_url,
                         attr=settings.tile_attribution or OSM_ATTRIBUTION,
                         name=_("Base map")).add_to(m)
    elif basemap_url:
        StaticBaseMap(basemap_url).add_to(m)
    else:
        if landuse is not None and len(landuse):
            lu = landuse[["landuse", "geometry"]]
            folium.GeoJson(
                frame_to_geojson(lu, columns=["landuse"], decimals=5),
                name=_("Land use (OSM)"),
                style_function=lambda f: landuse_style(f["properties"]["landuse"]),
                interactive=False, control=False,
            ).add_to(m)
        if roads is not None and len(roads):
            rd = roads[["highway", "geometry"]].copy()
            rd["highway"] = rd["highway"].astype(str)
            folium.GeoJson(
                frame_to_geojson(rd, columns=["highway"], decimals=5),
                name=_("Roads (OSM)"),
                style_function=lambda f: road_style(f["properties"]["highway"]),
                interactive=False, control=False,
            ).add_to(m)
    if not settings.tile_url:
        Attribution(OSM_ATTRIBUTION + (f" · {source}" if source else "")).add_to(m)
    m.fit_bounds([[lat0, lon0], [lat1, lon1]])
    RefitWhenShown([[lat0, lon0], [lat1, lon1]]).add_to(m)
    return m


def map_view(m: MapTarget) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) the map was fitted to (:func:`base_map`), or None; for
    :class:`Overlays`, that of their map."""
    from folium.map import FitBounds

    if isinstance(m, Overlays):
        return m.view
    for child in m._children.values():
        if isinstance(child, FitBounds):
            (lat0, lon0), (lat1, lon1) = child.bounds
            return (float(lon0), float(lat0), float(lon1), float(lat1))
    return None


def display_tolerance_deg(bounds: Sequence[float], *, width_px: int = 700,
                          height_px: int = 480) -> float:
    """Simplification tolerance (degrees) no one sees on a map fitted to ``bounds``.

    A sixteenth of a pixel at the map's first zoom (:func:`zoom_for_bounds`): outlines stay
    within one pixel until the user has zoomed in four levels; at least 1e-5° (about 1 m).

    Examples
    --------
    >>> round(display_tolerance_deg((26.93, 60.52, 26.97, 60.54)), 6)  # a district: 1 m
    1e-05
    >>> round(display_tolerance_deg((-7.0, 54.8, -1.5, 58.6)), 5)  # Scotland: ~0.0014° (~100 m)
    0.00137
    """
    zoom = zoom_for_bounds(bounds, width_px=width_px, height_px=height_px)
    deg_per_px = 360.0 / (256.0 * 2.0**zoom)
    return max(deg_per_px / 16.0, 1e-5)


def for_display(gdf: gpd.GeoDataFrame, view: Sequence[float] | None) -> gpd.GeoDataFrame:
    """Polygons as a map fitted to ``view`` needs them: those within three view-widths of it,
    simplified below a pixel (:func:`display_tolerance_deg`); unchanged without a view."""
    if view is None or gdf.empty:
        return gdf
    w, s, e, n = map(float, view)
    dx, dy = max(e - w, 1e-6), max(n - s, 1e-6)
    out = gdf.to_crs(4326) if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") else gdf
    near = out.cx[w - dx:e + dx, s - dy:n + dy]
    simple = near.copy()
    simple["geometry"] = near.geometry.simplify(display_tolerance_deg(view),
                                                preserve_topology=True)
    return simple


def display_decimals(view: Sequence[float] | None) -> int:
    """Decimals of degrees that keep coordinates well within the simplification of a map
    fitted to ``view`` (:func:`display_tolerance_deg`): a tenth of it, 5 at most (about 1 m).

    Examples
    --------
    >>> display_decimals((26.93, 60.52, 26.97, 60.54)), display_decimals((-7.0, 54.8, -1.5, 58.6))
    (5, 4)
    >>> display_decimals(None)
    5
    """
    if view is None:
        return 5
    tol = display_tolerance_deg(view)
    return int(min(5, max(1, math.ceil(-math.log10(tol)) + 1)))


def add_parks(m: MapTarget, parks: gpd.GeoDataFrame, *, name: str | None = None,
              tooltip_cols: Sequence[str] = ("name",)) -> folium.GeoJson:
    """Park polygons with their names as tooltips (one GeoJson layer).

    Outlines are sent as the map shows them: parks more than a view-width beyond the view the
    map is fitted to are left out, and outlines are simplified below a pixel
    (:func:`display_tolerance_deg`) and rounded to match (:func:`display_decimals`), so a
    programme of hundreds of parks does not send every vertex of every park to every map.
    """
    cols = [c for c in tooltip_cols if c in parks.columns]
    view = map_view(m)
    data = frame_to_geojson(for_display(parks, view), columns=cols,
                            decimals=display_decimals(view))
    layer = GeoJson(
        data,
        name=name if name is not None else _("Parks"),
        fixed_style={"color": "#7b3294", "weight": 2, "fillColor": "#c2a5cf",
                     "fillOpacity": 0.25, "dashArray": "4 3"},
        tooltip=tooltip(data, cols),
    )
    layer.add_to(m)
    return layer


def add_sites(m: folium.Map, sites: gpd.GeoDataFrame, *, name: str | None = None,
              tooltip_cols: Sequence[str] = ("name", "sector_nace"),
              colour: str = SITE_COLOUR, radius: float = 6.0,
              max_features: int = 1000) -> tuple[folium.GeoJson, int]:
    """Site points as circle markers in one GeoJson layer; aggregated above ``max_features``.

    Up to ``max_features`` located sites are drawn one by one with ``tooltip_cols``. Beyond
    that they are counted per H3 hexagon (the finest resolution with at most ``max_features``
    occupied cells) and drawn as one circle per hexagon, sized by and labelled with its number
    of sites, so a map never carries more than ``max_features`` site features (a programme of
    30,000 members would otherwise send megabytes to every map).

    Returns the layer and the number of sites on the map (every located site, one by one or
    counted in a hexagon). Sites without a location are skipped here; count and list them on
    the page.
    """
    name = name if name is not None else _("Member sites")
    located = sites[sites.geometry.notna() & ~sites.geometry.is_empty]
    if len(located) > max_features:
        return _add_site_cells(m, located, name=name, colour=colour, radius=radius,
                               max_features=max_features), len(located)
    cols = [c for c in tooltip_cols if c in located.columns]
    data = frame_to_geojson(located, columns=cols, decimals=5)
    layer = GeoJson(
        data,
        name=name,
        marker=folium.CircleMarker(radius=radius, weight=1, color="#ffffff",
                                   fill=True, fill_color=colour, fill_opacity=0.9),
        tooltip=tooltip(data, cols),
    )
    layer.add_to(m)
    return layer, len(located)


def hexagon_groups(points: gpd.GeoSeries | gpd.GeoDataFrame, max_cells: int
                   ) -> tuple[np.ndarray, gpd.GeoSeries]:
    """Points grouped into H3 hexagons of the finest resolution with at most ``max_cells``
    occupied cells (never more features than that on a map).

    Returns the group of each point (0 … k-1, the hexagons sorted by their H3 index) and the
    k hexagon centres (EPSG:4326). Points must be located (no missing or empty geometry).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoSeries([Point(26.9, 60.5), Point(26.9001, 60.5), Point(27.5, 60.9)], crs=4326)
    >>> group, centres = hexagon_groups(pts, 2)
    >>> bool(group[0] == group[1] != group[2]), len(centres)
    (True, 2)
    """

    from geo.concentrations.hexagons import H3_BASE_RES, cells_for_points, parent_cells

    geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if geoms.crs is not None and not geoms.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs(4326)
    base = cells_for_points(geoms.x.to_numpy(), geoms.y.to_numpy(), H3_BASE_RES)
    res = H3_BASE_RES
    while res > 0 and len(pd.unique(parent_cells(base, res))) > max(max_cells, 1):
        res -= 1
    cells, group = np.unique(parent_cells(base, res), return_inverse=True)
    latlng = cell_centres(cells)
    return group.reshape(-1), gpd.GeoSeries(gpd.points_from_xy(latlng[:, 1], latlng[:, 0]),
                                            crs=4326)


def _add_site_cells(m: folium.Map, located: gpd.GeoDataFrame, *, name: str, colour: str,
                    radius: float, max_features: int) -> folium.GeoJson:
    """Located sites counted per H3 hexagon, one circle per hexagon (see :func:`add_sites`)."""
    group, centres = hexagon_groups(located, max_features)
    counts = np.bincount(group, minlength=len(centres))
    frame = gpd.GeoDataFrame(
        {"sites": [ngettext("{n} site", "{n} sites", int(n)).format(n=format_number(n))
                   for n in counts],
         "r": np.round(np.clip(radius * np.sqrt(counts) / 2, radius, 4 * radius), 1)},
        geometry=centres.to_numpy(), crs=4326)
    data = frame_to_geojson(frame, columns=["sites", "r"], decimals=5)
    layer = GeoJson(
        data,
        name=name,
        marker=folium.CircleMarker(radius=radius, weight=1, color="#ffffff",
                                   fill=True, fill_color=colour, fill_opacity=0.85),
        style_from={"radius": "r"},
        tooltip=tooltip(data, ["sites"], [_("Sites")]),
    )
    layer.add_to(m)
    return layer
