"""Folium layers of a milk round: routes along the roads, numbered stops, the depot.

One GeoJson layer per kind of feature (never one marker per stop); colours come from the
``colour`` column of :func:`geo.routing.geometry.route_lines` / ``stop_points``. Served stops
are numbered dots: core-Leaflet ``divIcon`` markers made per feature by the layer (no icon
fonts, no images, no CDN). Every text goes through :func:`layers.geojson.frame_to_geojson`,
which escapes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
from branca.element import Element
from folium.utilities import JsCode
from shapely.geometry import Point

from geo.i18n import N_, _, column_label, format_number
from layers.base import display_decimals, display_tolerance_deg, map_figure, map_view
from layers.geojson import GeoJson, frame_to_geojson

if TYPE_CHECKING:
    from geo.routing.problem import Depot

__all__ = ["add_depot", "add_routes", "add_stops"]

_LABEL_CSS: Final = (
    "<style>.stop-number .stop-dot{width:18px;height:18px;border-radius:50%;"
    "border:1.5px solid #fff;color:#fff;font:bold 11px/18px sans-serif;text-align:center;"
    "box-shadow:0 0 3px rgba(0,0,0,.6)}</style>")

_NUMBERED_DOT: Final = JsCode(
    "function(feature, layer) {"
    "var p = feature.properties;"
    "var c = /^#[0-9a-fA-F]{6}$/.test(p.colour) ? p.colour : '#777777';"
    "var n = String(p.label).replace(/[^0-9]/g, '');"
    "layer.setIcon(L.divIcon({className: 'stop-number', iconSize: [21, 21],"
    " iconAnchor: [10, 10], html: '<div class=\"stop-dot\" style=\"background:' + c + '\">'"
    " + n + '</div>'}));}")
"""Gives each served stop a core-Leaflet ``divIcon``: a dot in its route colour with its number
(colour and number are checked in JS too, so nothing from the data becomes markup)."""


_FIELD_LABELS: Final = {"method": N_("Distances"), "pickup": N_("Pickup")}
"""Titles of the fields that have no column label (see :func:`geo.i18n.column_label`)."""


def _aliases(cols: list[str]) -> list[str]:
    """Tooltip and popup titles of ``cols`` in the reader's language."""
    return [_(_FIELD_LABELS[c]) if c in _FIELD_LABELS else column_label(c) for c in cols]


def _for_reading(frame: gpd.GeoDataFrame, digits: dict[str, int]) -> gpd.GeoDataFrame:
    """Figures as this session's language writes them and distance methods as labels."""
    from geo.synergies.distances import METHOD_LABELS

    out = frame.copy()
    for col, n in digits.items():
        if col in out.columns:
            out[col] = [format_number(float(v), digits=n) for v in out[col]]
    if "method" in out.columns:
        out["method"] = [_(METHOD_LABELS[v]) if v in METHOD_LABELS else v for v in out["method"]]
    return out


def add_routes(m: folium.Map, lines: gpd.GeoDataFrame, *,
               name: str | None = None) -> folium.GeoJson:
    """Route lines, one colour per vehicle and day, with a tooltip of the route's figures.

    The lines are simplified to a sixteenth of a pixel of the view the map is fitted to (still
    within a pixel four zoom levels in; :func:`layers.base.display_tolerance_deg`) and
    rounded to match: what the browser draws, not every vertex of every road (the 200-stop
    benchmark's routes: 17,372 vertices → 4,853, 99 kB).

    ``name`` is the layer's name in the layer control (default "Routes" in the session's
    language).
    """
    cols = [c for c in ("route", "stops", "trips", "distance_km", "duration_h", "method")
            if c in lines.columns]
    shown = _for_reading(lines, {"distance_km": 1, "duration_h": 1})
    view = map_view(m)
    if view is not None and len(shown):
        shown = shown.to_crs(4326) if shown.crs is not None else shown
        shown["geometry"] = shown.geometry.simplify(display_tolerance_deg(view))
    layer = GeoJson(
        frame_to_geojson(shown, columns=[*cols, "colour"],
                         decimals=display_decimals(view)),
        name=name or _("Routes"),
        style_function=lambda f: {"color": f["properties"]["colour"], "weight": 5,
                                  "opacity": 0.85},
        highlight_function=lambda f: {"weight": 8, "opacity": 1.0},
        tooltip=folium.GeoJsonTooltip(fields=cols, aliases=_aliases(cols)),
    )
    layer.add_to(m)
    return layer


def add_stops(m: folium.Map, stops: gpd.GeoDataFrame, *, show_names: bool = True,
              name: str | None = None) -> tuple[folium.GeoJson | None, folium.GeoJson | None]:
    """Served stops as numbered dots (route colour) and skipped stops as grey circles.

    Clicking a stop shows its route, arrival and pickup (and the company name when
    ``show_names``); a skipped stop shows why it was skipped. ``name`` is the layer's name
    (default "Stops" in the session's language).
    """
    name = name or _("Stops")
    map_figure(m).header.add_child(Element(_LABEL_CSS))
    served = stops[stops["status"] == "served"]
    skipped = stops[stops["status"] == "skipped"]
    details = ["name"] if show_names else []
    keep = ["stop_id"] if show_names else []
    out: list[folium.GeoJson | None] = []
    for frame, fields, numbered in (
        (served, [*details, "route", "seq", "arrival", "pickup"], True),
        (skipped, [*details, "pickup", "reason"], False),
    ):
        if frame.empty:
            out.append(None)
            continue
        cols = [*fields, *keep, "label", "colour"]
        style: dict[str, Any] = {}
        if numbered:
            style = {"marker": folium.Marker(icon=folium.DivIcon(class_name="stop-number")),
                     "on_each_feature": _NUMBERED_DOT}
        else:
            style = {"marker": folium.CircleMarker(radius=6, weight=1.5, color="#ffffff",
                                                   fill=True, fill_opacity=0.95),
                     "style_function": lambda f: {"fillColor": f["properties"]["colour"]}}
        layer = GeoJson(
            frame_to_geojson(frame, columns=list(dict.fromkeys(cols))),
            # Translators: the map layer of the stops left out; {layer} is e.g. "Stops".
            name=name if numbered else _("{layer} skipped").format(layer=name),
            popup=folium.GeoJsonPopup(fields=fields, aliases=_aliases(fields)),
            **style,
        )
        layer.add_to(m)
        out.append(layer)
    return out[0], out[1]


def add_depot(m: folium.Map, depot: Depot) -> folium.GeoJson:
    """The depot as a large dark circle with its name as tooltip."""
    frame = gpd.GeoDataFrame({"depot": [_("Depot: {name}").format(name=depot.name)]},
                             geometry=[Point(depot.lon, depot.lat)], crs=4326)
    style: dict[str, Any] = {"fillColor": "#111111"}
    layer = GeoJson(
        frame_to_geojson(frame, columns=["depot"]),
        name=_("Depot"),
        marker=folium.CircleMarker(radius=11, weight=3, color="#ffffff", fill=True,
                                   fill_opacity=1.0),
        style_function=lambda f: style,
        tooltip=folium.GeoJsonTooltip(fields=["depot"], labels=False),
    )
    layer.add_to(m)
    return layer
