"""What a map needs offline: local Leaflet assets and the region's vector base map.

- Leaflet and jQuery come from pip-installed XStatic packages, copied into Streamlit's static
  folder (:func:`install_static_assets`) and referenced by URL (``/app/static/vendor/…``).
- In the app the roads and land use are not written into every map: :func:`write_basemap`
  stores them once per region as ``static/basemaps/<content hash>.geojson`` (served by
  Streamlit at ``/app/static/basemaps/…``), and :class:`StaticBaseMap` adds a few lines of
  JavaScript that fetch that file (the browser caches it) and draw it with the same styles
  (:func:`landuse_style`, :func:`road_style`) under every overlay.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

if TYPE_CHECKING:
    pass

from layers.geojson import frame_to_geojson

__all__ = ["ASSET_URL_PREFIX", "BASEMAP_FOLDER", "StaticBaseMap", "basemap_geojson",
           "install_static_assets", "landuse_style", "local_assets", "road_style",
           "write_basemap"]

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


def landuse_style(landuse: object) -> dict[str, Any]:
    return {"fillColor": _LANDUSE_COLOURS.get(str(landuse), _LANDUSE_OTHER),
            "color": "#d8d4cc", "weight": 0.5, "fillOpacity": 0.9}


def road_style(highway: object) -> dict[str, Any]:
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
