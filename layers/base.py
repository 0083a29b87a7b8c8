"""Base maps that work with no internet: local Leaflet, vector base layers, escaped text.

- Leaflet and jQuery come from pip-installed XStatic packages, copied into Streamlit's static
  folder (:func:`install_static_assets`) and referenced by URL (``/app/static/vendor/…``);
  folium's CDN defaults (Bootstrap, Font Awesome, awesome-markers) are dropped, so only
  vector layers that need Leaflet alone are used anywhere in the app.
- Without a tile server (the default), the base map is drawn from the region's own
  OpenStreetMap roads and land use; with ``Settings.tile_url`` set, that server's tiles are
  used instead (users in China set their own tile server).
- Every text shown in a tooltip or popup goes through :func:`escape_text`.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.settings import OSM_ATTRIBUTION, Settings

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ASSET_URL_PREFIX",
    "SITE_COLOUR",
    "Attribution",
    "GeoJson",
    "add_parks",
    "add_sites",
    "base_map",
    "escape_text",
    "frame_to_geojson",
    "install_static_assets",
    "local_assets",
    "map_figure",
    "tooltip",
    "zoom_for_bounds",
]

ASSET_URL_PREFIX: Final = "/app/static/vendor"
"""Where Streamlit's static file serving exposes ``static/vendor`` (``enableStaticServing``)."""

_LANDUSE_COLOURS: Final = {
    "industrial": "#e6d3e8", "commercial": "#f2dada", "retail": "#f2dada",
    "residential": "#e8e4de", "farmland": "#eef0d5", "meadow": "#def0c8",
    "grass": "#def0c8", "forest": "#c8dfb8", "cemetery": "#d5e5d0",
}
_ROAD_WEIGHTS: Final = {"motorway": 4.0, "trunk": 3.5, "primary": 3.0, "secondary": 2.6,
                        "tertiary": 2.2, "motorway_link": 2.0}
SITE_COLOUR: Final = "#1f6f8b"


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
        msg = (f"The map is not drawn in a branca Figure (its root is a "
               f"{type(root).__name__}); build it with folium.Map or base_map().")
        raise TypeError(msg)
    return root


def _round_coords(gdf: gpd.GeoDataFrame, decimals: int) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out["geometry"] = out.geometry.set_precision(10.0 ** -decimals, mode="pointwise")
    return out


def frame_to_geojson(gdf: gpd.GeoDataFrame, *, columns: Sequence[str] = (),
                     decimals: int = 6) -> dict[str, Any]:
    """A GeoJSON dict of ``gdf`` (EPSG:4326) with only ``columns`` as properties.

    String properties are HTML-escaped (folium tooltips insert them as HTML); numbers are
    kept as numbers; NaN becomes null. Coordinates are rounded to ``decimals``.
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    sub = gdf[[*columns, gdf.geometry.name]].copy()
    for c in columns:
        if sub[c].dtype == object or pd.api.types.is_string_dtype(sub[c]):
            sub[c] = sub[c].map(escape_text)
    sub = _round_coords(sub[~(sub.geometry.isna() | sub.geometry.is_empty)], decimals)
    data: dict[str, Any] = json.loads(sub.to_json(na="null", drop_id=True))
    return data


class GeoJson(folium.GeoJson):
    """``folium.GeoJson`` that accepts a layer without features.

    Folium refuses to render a tooltip or popup on an empty feature collection ("The field
    … is not available in the data"), which a filter matching nothing produces; every layer
    of the app is built with this class so an empty selection draws an empty layer instead.
    """

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        features = (data.get("features") if isinstance(data, dict)
                    else None if isinstance(data, str) else getattr(data, "empty", None))
        empty = features is True or (isinstance(features, list) and not features)
        if empty:
            kwargs.pop("tooltip", None)
            kwargs.pop("popup", None)
        super().__init__(data, *args, **kwargs)


def tooltip(data: dict[str, Any], fields: Sequence[str],
            aliases: Sequence[str] | None = None) -> folium.GeoJsonTooltip | None:
    """A GeoJSON tooltip over ``fields``, or None when there is nothing to show.

    Folium refuses a tooltip on a layer without features, so empty layers get none.
    """
    if not fields or not data.get("features"):
        return None
    return folium.GeoJsonTooltip(
        fields=list(fields),
        aliases=list(aliases) if aliases else [f.replace("_", " ").capitalize() for f in fields])


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
    """
    settings = settings or Settings()
    lon0, lat0, lon1, lat1 = map(float, bounds)
    m = folium.Map(location=[(lat0 + lat1) / 2, (lon0 + lon1) / 2], tiles=None,
                   control_scale=True, prefer_canvas=True,
                   zoom_start=zoom_for_bounds(bounds))
    js, css = local_assets(asset_prefix)
    m.default_js = js
    m.default_css = css
    map_figure(m).header.add_child(Element(
        "<style>.leaflet-container{background:#f5f3ef;font:12px/1.4 sans-serif}</style>"))
    if settings.tile_url:
        folium.TileLayer(tiles=settings.tile_url,
                         attr=settings.tile_attribution or OSM_ATTRIBUTION,
                         name="Base map").add_to(m)
    else:
        if landuse is not None and len(landuse):
            lu = landuse[["landuse", "geometry"]]
            folium.GeoJson(
                frame_to_geojson(lu, columns=["landuse"], decimals=5),
                name="Land use (OSM)",
                style_function=lambda f: {
                    "fillColor": _LANDUSE_COLOURS.get(f["properties"]["landuse"], "#ecebe6"),
                    "color": "#d8d4cc", "weight": 0.5, "fillOpacity": 0.9},
                interactive=False, control=False,
            ).add_to(m)
        if roads is not None and len(roads):
            rd = roads[["highway", "geometry"]].copy()
            rd["highway"] = rd["highway"].astype(str)
            folium.GeoJson(
                frame_to_geojson(rd, columns=["highway"], decimals=5),
                name="Roads (OSM)",
                style_function=lambda f: {
                    "color": "#ffffff" if f["properties"]["highway"] not in _ROAD_WEIGHTS
                    else "#f7d9a0",
                    "weight": _ROAD_WEIGHTS.get(f["properties"]["highway"], 1.6),
                    "opacity": 1.0},
                interactive=False, control=False,
            ).add_to(m)
            # A casing makes white roads visible on the light background.
        Attribution(OSM_ATTRIBUTION + (f" · {source}" if source else "")).add_to(m)
    m.fit_bounds([[lat0, lon0], [lat1, lon1]])
    return m


def add_parks(m: folium.Map, parks: gpd.GeoDataFrame, *, name: str = "Parks",
              tooltip_cols: Sequence[str] = ("name",)) -> folium.GeoJson:
    """Park polygons with their names as tooltips (one GeoJson layer)."""
    cols = [c for c in tooltip_cols if c in parks.columns]
    data = frame_to_geojson(parks, columns=cols)
    layer = folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {"color": "#7b3294", "weight": 2, "fillColor": "#c2a5cf",
                                  "fillOpacity": 0.25, "dashArray": "4 3"},
        tooltip=tooltip(data, cols),
    )
    layer.add_to(m)
    return layer


def add_sites(m: folium.Map, sites: gpd.GeoDataFrame, *, name: str = "Member sites",
              tooltip_cols: Sequence[str] = ("name", "sector_nace"),
              colour: str = SITE_COLOUR, radius: float = 6.0,
              max_features: int = 5000) -> tuple[folium.GeoJson, int]:
    """Site points as circle markers in one GeoJson layer, capped at ``max_features``.

    Returns the layer and the number of sites drawn (show "showing N of M" when capped).
    Sites without a location are skipped here; count and list them on the page.
    """
    located = sites[sites.geometry.notna() & ~sites.geometry.is_empty]
    drawn = located.head(max_features)
    cols = [c for c in tooltip_cols if c in drawn.columns]
    data = frame_to_geojson(drawn, columns=cols)
    layer = folium.GeoJson(
        data,
        name=name,
        marker=folium.CircleMarker(radius=radius, weight=1, color="#ffffff",
                                   fill=True, fill_color=colour, fill_opacity=0.9),
        tooltip=tooltip(data, cols),
    )
    layer.add_to(m)
    return layer, len(drawn)
