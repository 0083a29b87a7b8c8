"""Base maps that work with no internet: local Leaflet, vector base layers, escaped text.

- Leaflet and jQuery come from pip-installed XStatic packages, copied into Streamlit's static
  folder (:func:`install_static_assets`) and referenced by URL (``/app/static/vendor/…``);
  folium's CDN defaults (Bootstrap, Font Awesome, awesome-markers) are dropped, so only
  vector layers that need Leaflet alone are used anywhere in the app.
- Without a tile server (the default), the base map is drawn from the region's own
  OpenStreetMap roads and land use; with ``Settings.tile_url`` set, that server's tiles are
  used instead (users in China set their own tile server).
- In the app the roads and land use are not written into every map: :func:`write_basemap`
  stores them once per region as ``static/basemaps/<content hash>.geojson`` (served by
  Streamlit at ``/app/static/basemaps/…``), and ``base_map(basemap_url=…)`` adds a few lines
  of JavaScript that fetch that file (the browser caches it) and draw it with the same styles
  under every overlay. Without a URL the layers are inlined, as a standalone HTML file needs.
- Every text shown in a tooltip or popup goes through :func:`escape_text`.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import math
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.hexcells import cell_centres
from geo.i18n import _, column_label, format_number, ngettext
from geo.settings import OSM_ATTRIBUTION, Settings

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "ASSET_URL_PREFIX",
    "BASEMAP_FOLDER",
    "SITE_COLOUR",
    "Attribution",
    "GeoJson",
    "MapTarget",
    "Overlays",
    "StaticBaseMap",
    "add_parks",
    "add_sites",
    "base_map",
    "basemap_geojson",
    "compact_json",
    "display_decimals",
    "display_tolerance_deg",
    "escape_text",
    "for_display",
    "frame_to_geojson",
    "hexagon_groups",
    "install_static_assets",
    "local_assets",
    "map_figure",
    "map_view",
    "pixel_rounded",
    "tooltip",
    "write_basemap",
    "zoom_for_bounds",
]

logger = logging.getLogger(__name__)

ASSET_URL_PREFIX: Final = "/app/static/vendor"
"""Where Streamlit's static file serving exposes ``static/vendor`` (``enableStaticServing``)."""
BASEMAP_FOLDER: Final = "basemaps"
"""Sub-folder of the static folder with the regions' base map files (generated, not committed)."""

_LANDUSE_COLOURS: Final = {
    "industrial": "#e6d3e8", "commercial": "#f2dada", "retail": "#f2dada",
    "residential": "#e8e4de", "farmland": "#eef0d5", "meadow": "#def0c8",
    "grass": "#def0c8", "forest": "#c8dfb8", "cemetery": "#d5e5d0",
}
_LANDUSE_OTHER: Final = "#ecebe6"
_ROAD_WEIGHTS: Final = {"motorway": 4.0, "trunk": 3.5, "primary": 3.0, "secondary": 2.6,
                        "tertiary": 2.2, "motorway_link": 2.0}
_ROAD_OTHER_WEIGHT: Final = 1.6
SITE_COLOUR: Final = "#1f6f8b"

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


def escape_text(value: object) -> str:
    """Text for HTML: ``<img src=x>`` shows as that text, never as markup.

    Examples
    --------
    >>> escape_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def local_assets(prefix: str = ASSET_URL_PREFIX) -> tuple[list[tuple[str, str]],
                                                           list[tuple[str, str]]]:
    """Folium ``default_js`` and ``default_css`` lists pointing at local copies."""
    js = [("leaflet", f"{prefix}/leaflet/leaflet.js"),
          ("jquery", f"{prefix}/jquery/jquery.min.js")]
    css = [("leaflet_css", f"{prefix}/leaflet/leaflet.css")]
    return js, css


def install_static_assets(static_dir: Path) -> Path:
    """Copy Leaflet, jQuery and Leaflet.markercluster from their XStatic packages.

    Files go to ``static_dir/vendor/{leaflet,jquery,markercluster}``; existing files are kept.
    Returns the vendor folder.
    """
    # The asset packages are only needed once, at app start-up: loaded here, not by every map.
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet
    import xstatic.pkg.leaflet_markercluster as xcluster

    vendor = Path(static_dir) / "vendor"
    for name, pkg in (("leaflet", xleaflet), ("jquery", xjquery), ("markercluster", xcluster)):
        target = vendor / name
        if not (target / ".complete").exists():
            shutil.copytree(pkg.BASE_DIR, target, dirs_exist_ok=True)
            (target / ".complete").write_text(str(pkg.VERSION))
    return vendor


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


def frame_to_geojson(gdf: gpd.GeoDataFrame, *, columns: Sequence[str] = (),
                     decimals: int = 6) -> dict[str, Any]:
    """A GeoJSON dict of ``gdf`` (EPSG:4326) with only ``columns`` as properties.

    String properties are HTML-escaped (folium tooltips insert them as HTML); numbers and
    booleans are kept as such; NaN becomes null. Coordinates are rounded to ``decimals``.
    Rows without a geometry (missing or empty) are left out.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> gdf = gpd.GeoDataFrame({"name": ["<b>A</b>"], "t": [float("nan")]},
    ...                        geometry=[Point(26.1234567, 60.5)], crs=4326)
    >>> frame_to_geojson(gdf, columns=["name", "t"], decimals=5)["features"][0]
    {'type': 'Feature', 'properties': {'name': '&lt;b&gt;A&lt;/b&gt;', 't': None}, \
'geometry': {'type': 'Point', 'coordinates': [26.12346, 60.5]}}
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    cols = list(columns)
    geoms = gdf.geometry.values
    sub = gdf[~(geoms.isna() | geoms.is_empty)]
    values: dict[str, list[Any]] = {}
    for c in cols:
        col = sub[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            values[c] = [escape_text(v) for v in col]
        elif pd.api.types.is_bool_dtype(col) or (pd.api.types.is_numeric_dtype(col)
                                                 and not pd.api.types.is_complex_dtype(col)):
            values[c] = col.astype(object).where(col.notna(), None).tolist()
        else:  # dates, categories …: geopandas knows how to write them
            return _frame_to_geojson_via_geopandas(sub, cols, decimals)
    rounded = shapely.set_precision(np.asarray(sub.geometry.values), 10.0 ** -decimals,
                                    mode="pointwise")
    geometries = json.loads("[" + ",".join(shapely.to_geojson(rounded).tolist()) + "]")
    features = [{"type": "Feature", "properties": {c: values[c][i] for c in cols},
                 "geometry": g} for i, g in enumerate(geometries)]
    return {"type": "FeatureCollection", "features": features}


def _frame_to_geojson_via_geopandas(sub: gpd.GeoDataFrame, cols: list[str],
                                    decimals: int) -> dict[str, Any]:
    out = sub[[*cols, sub.geometry.name]].copy()
    for c in cols:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(escape_text)
    out["geometry"] = out.geometry.set_precision(10.0 ** -decimals, mode="pointwise")
    data: dict[str, Any] = json.loads(out.to_json(na="null", drop_id=True))
    return data


_PIXEL_STYLE_KEYS: Final = frozenset({"radius", "weight"})


def pixel_rounded(style_function: Callable[[dict[str, Any]], dict[str, Any]]
                  ) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``style_function`` with its sizes in pixels (``radius``, ``weight``) rounded to 0.1 px.

    Folium sends one style per distinct result (a ``switch`` over feature ids), so radii
    computed to 15 digits give every feature its own style; a tenth of a pixel is not seen.

    Examples
    --------
    >>> pixel_rounded(lambda f: {"radius": 7.3452, "fillOpacity": 0.8512})({})
    {'radius': 7.3, 'fillOpacity': 0.8512}
    """
    def style(feature: dict[str, Any]) -> dict[str, Any]:
        return {k: round(v, 1) if k in _PIXEL_STYLE_KEYS and isinstance(v, float) else v
                for k, v in style_function(feature).items()}

    return style


def compact_json(data: Any) -> str:
    r"""``data`` as JSON for a ``<script>``: no spaces, UTF-8 text kept, HTML-significant
    characters escaped (as jinja's ``tojson`` does), so a name cannot close the script.

    Examples
    --------
    >>> compact_json({"name": "</script> & 'A'", "t": [1, 2.5]})
    '{"name":"\\u003c/script\\u003e \\u0026 \\u0027A\\u0027","t":[1,2.5]}'
    >>> compact_json({"name": "园区"})
    '{"name":"园区"}'
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


_SCRIPT_ESCAPES: Final = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
                          "\u2028": "\\u2028", "\u2029": "\\u2029"}


class GeoJson(folium.GeoJson):
    """``folium.GeoJson`` that accepts a layer without features and sends compact data.

    - Folium refuses to render a tooltip or popup on an empty feature collection ("The field
      … is not available in the data"), which a filter matching nothing produces; every layer
      of the app is built with this class so an empty selection draws an empty layer instead.
    - The features are written as compact JSON (:func:`compact_json`), not with folium's
      spaces after every comma and colon.
    - A style that only *reads* feature properties is given as ``fixed_style`` (the same for
      every feature) and ``style_from`` (style key → property name, e.g. ``{"fillColor":
      "fill"}``): the browser reads the property, instead of folium's ``switch`` over one id
      per feature, which doubled what a map of many small features sends. A
      ``style_function`` is still accepted (wrapped in :func:`pixel_rounded`).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.leaflet_script(kwargs) }}
        {{ this.get_name() }}_add({{ this.data_json() }});
        {% endmacro %}
    """)

    def __init__(self, data: Any, *args: Any, fixed_style: dict[str, Any] | None = None,
                 style_from: dict[str, str] | None = None, **kwargs: Any) -> None:
        features = (data.get("features") if isinstance(data, dict)
                    else None if isinstance(data, str) else getattr(data, "empty", None))
        empty = features is True or (isinstance(features, list) and not features)
        if empty:
            kwargs.pop("tooltip", None)
            kwargs.pop("popup", None)
        by_properties = fixed_style is not None or style_from is not None
        if by_properties and (kwargs.get("style_function") is not None
                              or kwargs.get("highlight_function") is not None):
            msg = ("A property style (fixed_style/style_from) takes no style_function or "
                   "highlight_function.")
            raise TypeError(msg)
        if callable(kwargs.get("style_function")):
            kwargs["style_function"] = pixel_rounded(kwargs["style_function"])
        super().__init__(data, *args, **kwargs)
        self._style_js: str | None = None
        if by_properties:
            if self.data.get("type") != "FeatureCollection":
                self.convert_to_feature_collection()
            entries = [f"{json.dumps(k)}:{compact_json(v)}" for k, v in (fixed_style or {}).items()]
            entries += [f"{json.dumps(k)}:feature.properties[{json.dumps(p)}]"
                        for k, p in (style_from or {}).items()]
            self._style_js = "{" + ",".join(entries) + "}"
            self.style = True
            self.style_function = _read_in_browser
            self.feature_identifier = "feature.id"  # the switch below has only its default

    def render(self, **kwargs: Any) -> Any:
        """Folium's rendering; a property style is written once, not per feature."""
        if self._style_js is None:
            return super().render(**kwargs)  # type: ignore[no-untyped-call]
        self.style_map = {"default": self._style_js}
        return super(folium.GeoJson, self).render(**kwargs)  # type: ignore[no-untyped-call]

    def leaflet_script(self, kwargs: dict[str, Any]) -> str:
        """Folium's script for this layer, without the features (added compactly after it)."""
        data, self.data = self.data, {"type": "FeatureCollection", "features": []}
        try:
            return str(folium.GeoJson._template.module.script(self, kwargs))
        finally:
            self.data = data

    def data_json(self) -> str:
        """The layer's features as :func:`compact_json`."""
        return compact_json(self.data)


def _read_in_browser(feature: dict[str, Any]) -> dict[str, Any]:
    """Placeholder ``style_function`` of a property style (the browser computes it)."""
    return {}


def tooltip(data: dict[str, Any], fields: Sequence[str],
            aliases: Sequence[str] | None = None) -> folium.GeoJsonTooltip | None:
    """A GeoJSON tooltip over ``fields``, or None when there is nothing to show.

    Folium refuses a tooltip on a layer without features, so empty layers get none. Without
    ``aliases`` each field shows its :func:`~geo.i18n.column_label` in this session's language.
    """
    if not fields or not data.get("features"):
        return None
    return folium.GeoJsonTooltip(
        fields=list(fields),
        aliases=list(aliases) if aliases else [_field_label(f) for f in fields])


def _field_label(field: str) -> str:
    label = column_label(field)
    return label if label != field else field.replace("_", " ").capitalize()


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


def _landuse_style(landuse: object) -> dict[str, Any]:
    return {"fillColor": _LANDUSE_COLOURS.get(str(landuse), _LANDUSE_OTHER),
            "color": "#d8d4cc", "weight": 0.5, "fillOpacity": 0.9}


def _road_style(highway: object) -> dict[str, Any]:
    main = str(highway) in _ROAD_WEIGHTS
    return {"color": "#f7d9a0" if main else "#ffffff",
            "weight": _ROAD_WEIGHTS.get(str(highway), _ROAD_OTHER_WEIGHT), "opacity": 1.0}


def basemap_geojson(*, roads: gpd.GeoDataFrame | None = None,
                    landuse: gpd.GeoDataFrame | None = None, decimals: int = 5) -> bytes:
    """The region's vector base map as one GeoJSON FeatureCollection (UTF-8 bytes).

    Land-use polygons come first (property ``landuse``), then roads (property ``highway``),
    so drawn in order the roads lie on top. Coordinates are WGS84 rounded to ``decimals``
    (5 ≈ 1 m); no other property (road names included) is written. The same layers always
    give the same bytes, so the file can be named by its content hash.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import LineString
    >>> roads = gpd.GeoDataFrame({"highway": ["primary"], "name": ["Main St"]},
    ...                          geometry=[LineString([(26.9, 60.5), (26.95, 60.52)])], crs=4326)
    >>> basemap_geojson(roads=roads).decode()[:61]
    '{"type": "FeatureCollection", "features": [{"type": "Feature"'
    >>> b"Main St" in basemap_geojson(roads=roads)
    False
    """
    features: list[Any] = []
    if landuse is not None and len(landuse):
        lu = landuse[["landuse", landuse.geometry.name]].copy()
        lu["landuse"] = lu["landuse"].astype(str)
        features += frame_to_geojson(lu, columns=["landuse"], decimals=decimals)["features"]
    if roads is not None and len(roads):
        rd = roads[["highway", roads.geometry.name]].copy()
        rd["highway"] = rd["highway"].astype(str)
        features += frame_to_geojson(rd, columns=["highway"], decimals=decimals)["features"]
    return json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(", ", ": "), ensure_ascii=False).encode()


def write_basemap(static_dir: Path, *, roads: gpd.GeoDataFrame | None = None,
                  landuse: gpd.GeoDataFrame | None = None) -> str | None:
    """Store the region's base map in ``static_dir/basemaps/<sha>.geojson`` once; its path.

    ``<sha>`` is the first 20 hex digits of the SHA-256 of the file's bytes
    (:func:`basemap_geojson`), so a region that changes gets a new name and a browser that
    cached the old file never shows stale roads. An existing file is not written again; a new
    one is written to a temporary name and renamed, so a concurrent reader never sees half a
    file. Returns the path relative to ``static_dir`` (``basemaps/<sha>.geojson``, the URL
    under ``/app/static/``), or None when there are no roads and no land use.
    """
    if (roads is None or not len(roads)) and (landuse is None or not len(landuse)):
        return None
    data = basemap_geojson(roads=roads, landuse=landuse)
    name = f"{BASEMAP_FOLDER}/{hashlib.sha256(data).hexdigest()[:20]}.geojson"
    target = Path(static_dir) / name
    if not target.is_file() or target.stat().st_size != len(data):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")
        tmp.write_bytes(data)
        tmp.replace(target)
        logger.info("Base map written: %s (%d bytes)", target, len(data))
    return name


class StaticBaseMap(MacroElement):
    """The region's roads and land use fetched from a static GeoJSON file and drawn beneath
    every overlay (a pane of their own below Leaflet's overlay pane, never interactive).

    The file is fetched with ``cache: "force-cache"``: the browser downloads it once and then
    takes its cached copy for every later map, whatever the server's cache headers say
    (Streamlit sends ``ETag`` and ``Last-Modified`` but no ``Cache-Control`` for static files,
    and answers a revalidation with the whole file), which is safe because the file's name is
    the hash of its content. The map's container gets ``data-basemap="drawn"`` when it is
    drawn (``"failed"`` if the file cannot be read; the overlays are drawn either way). Styles
    are those of the inline layers of :func:`base_map`.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          var pane = map.createPane("symbiomapBasemap");
          pane.style.zIndex = 250;
          pane.style.pointerEvents = "none";
          var landuse = {{ this.landuse_colours|tojson }}, roads = {{ this.road_weights|tojson }};
          var box = map.getContainer();
          box.dataset.basemap = "loading";
          // The name is the content's hash: any cached copy, however old, is the right one.
          fetch({{ this.url|tojson }}, {cache: "force-cache"}).then(function (r) {
            if (!r.ok) { throw new Error("HTTP " + r.status); }
            return r.json();
          }).then(function (data) {
            L.geoJSON(data, {
              pane: "symbiomapBasemap", interactive: false,
              renderer: L.canvas({pane: "symbiomapBasemap"}),
              style: function (f) {
                var p = f.properties || {};
                if (p.landuse !== undefined) {
                  return {fillColor: landuse[p.landuse] || {{ this.landuse_other|tojson }},
                          color: "#d8d4cc", weight: 0.5, fillOpacity: 0.9};
                }
                return {color: roads[p.highway] ? "#f7d9a0" : "#ffffff",
                        weight: roads[p.highway] || {{ this.road_other|tojson }}, opacity: 1.0};
              }
            }).addTo(map);
            box.dataset.basemap = "drawn";
          }).catch(function (e) {
            box.dataset.basemap = "failed";
            console.warn("SymbioMap base map not drawn:", e);
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, url: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "StaticBaseMap"
        self.url = url
        self.landuse_colours = dict(_LANDUSE_COLOURS)
        self.landuse_other = _LANDUSE_OTHER
        self.road_weights = dict(_ROAD_WEIGHTS)
        self.road_other = _ROAD_OTHER_WEIGHT


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
    lon0, lat0, lon1, lat1 = map(float, bounds)
    m = folium.Map(location=[(lat0 + lat1) / 2, (lon0 + lon1) / 2], tiles=None,
                   control_scale=True, prefer_canvas=True,
                   zoom_start=zoom_for_bounds(bounds))
    js, css = local_assets(asset_prefix)
    m.default_js = js
    m.default_css = css
    # The tooltip table rules folium adds to the header when it renders a GeoJsonTooltip, here
    # too: streamlit-folium reads the header before it renders swapped overlays (Overlays).
    map_figure(m).header.add_child(Element(
        "<style>.leaflet-container{background:#f5f3ef;font:12px/1.4 sans-serif}"
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
                style_function=lambda f: _landuse_style(f["properties"]["landuse"]),
                interactive=False, control=False,
            ).add_to(m)
        if roads is not None and len(roads):
            rd = roads[["highway", "geometry"]].copy()
            rd["highway"] = rd["highway"].astype(str)
            folium.GeoJson(
                frame_to_geojson(rd, columns=["highway"], decimals=5),
                name=_("Roads (OSM)"),
                style_function=lambda f: _road_style(f["properties"]["highway"]),
                interactive=False, control=False,
            ).add_to(m)
    if not settings.tile_url:
        Attribution(OSM_ATTRIBUTION + (f" · {source}" if source else "")).add_to(m)
    m.fit_bounds([[lat0, lon0], [lat1, lon1]])
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
