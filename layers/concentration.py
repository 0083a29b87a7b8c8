"""Folium layers of the concentration maps: heat image, hexagons, hot spots, clusters, parks.

Each function adds *one* layer (a single ``ImageOverlay`` or ``GeoJson``) to a map from
:mod:`layers.base`, using only what Leaflet itself draws (no plugin, no CDN, no default
icon). Every text shown is escaped (:func:`layers.geojson.frame_to_geojson`), figures are
pre-formatted strings, and legends take their extremes only from figures the viewer may see.

Viewers' layers are drawn from :mod:`geo.concentrations.viewer` results, which hold released
figures only: :func:`add_heat` of a classed image, :func:`add_released_hexagons`,
:func:`add_hot_spots`, :func:`add_clusters` and :func:`add_park_totals` show nothing else
in their tooltips and legends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.concentrations.classes import format_class_limit
from geo.concentrations.clusters import cluster_display_name
from geo.concentrations.density import unit_label
from geo.concentrations.hexagons import (
    H3_BASE_RES,
    cells_for_points,
    hexagon_totals,
    parent_cells,
)
from geo.concentrations.hotspots import bin_label
from geo.concentrations.raster import ColourScale, polygons_image, ramp_colour
from geo.hexcells import cell_centres
from geo.i18n import N_, _, column_label, column_labels, format_number, ngettext
from layers.base import MapTarget, add_parks, display_decimals, for_display, map_view
from layers.geojson import GeoJson, escape_text, frame_to_geojson

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from geo.concentrations.raster import DisplayImage
    from geo.concentrations.selection import Selection

__all__ = [
    "CLUSTER_FIELDS",
    "HOTSPOT_COLOURS",
    "MAX_CELL_FEATURES",
    "MAX_RAW_POINTS",
    "PARK_FIELDS",
    "TOOLTIP_CHARS",
    "add_clusters",
    "add_heat",
    "add_hexagons",
    "add_hot_spots",
    "add_legend",
    "add_park_totals",
    "add_released_hexagons",
    "add_resource_points",
    "add_selection_points",
    "add_table_layer",
    "add_view_layers",
    "table_for_display",
]

MAX_RAW_POINTS: Final = 1000
"""Above this many records, points are aggregated before they are sent to the browser (a
thousand points with their tooltips are about 180 kB of a rerun's map)."""
TOOLTIP_CHARS: Final = 80
"""Free text (a record's description) is cut to this many characters in a map tooltip."""
MAX_CELL_FEATURES: Final = 3000
"""Above this many hexagons, a hexagon layer is sent as one picture, not one shape each
(50,000 hexagons as shapes are megabytes on every rerun; the picture a few tens of kB)."""
HOTSPOT_COLOURS: Final = {3: "#d62f27", 2: "#ed7551", 1: "#fab984", 0: "#eeeeee",
                          -1: "#c0ccbe", -2: "#849eba", -3: "#4575b5"}
"""The ArcGIS hot-spot palette, by ``gi_bin``."""
SUPPRESSED_COLOUR: Final = "#b0b0b0"
CLUSTER_COLOUR: Final = "#3f007d"


def _fmt(value: object, unit: str = "", *, missing: str | None = None) -> str:
    """A figure for a tooltip or legend in this session's language, with its unit
    (``"t/yr"``, ``"t/yr per km²"``, translated); ``missing`` (default "hidden") for none."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return _("hidden") if missing is None else missing
    v = float(value)  # type: ignore[arg-type]
    text = format_number(v) if abs(v) >= 10 else format_class_limit(v)
    return f"{text} {unit_label(unit)}".strip() if unit else text


COUNT_COLUMNS: Final = frozenset({"figures", "producers", "cells", "sites", "haves", "records"})
"""Columns that count things: shown as whole numbers."""


def _text(column: str, values: pd.Series) -> list[str]:
    """Tooltip text of a column: tonnes with units, flags as words, cluster names in this
    session's language, the rest as text."""
    if column.endswith("complete"):
        yes, no = _("yes"), _("no: part is withheld")
        return [yes if bool(v) else no for v in values]
    if column.endswith("tonnes"):
        return [_fmt(v, "t/yr", missing=_("withheld")) for v in values]
    if column in COUNT_COLUMNS:  # counts: 3, not 3.0 (a withheld count makes them floats)
        return ["—" if pd.isna(v) else format_number(int(v)) for v in values]
    if pd.api.types.is_numeric_dtype(values):
        return [_fmt(v, missing="—") for v in values]
    if column == "name" and values.astype(str).str.startswith("Cluster ").all():
        return [cluster_display_name(v) for v in values]
    return [str(v) for v in values]


class _Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML, added as a layer.

    The control is wrapped in a layer that adds it when the layer joins a map and removes it
    when the layer leaves, so a legend drawn into :class:`layers.base.Overlays` goes and comes
    with the overlays it explains when the browser swaps them.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
          var c = L.control({position: {{ this.position|tojson }}});
          c.onAdd = function() {
            var d = L.DomUtil.create('div', 'symbiomap-legend');
            d.style.cssText = 'background:rgba(255,255,255,.92);padding:6px 8px;' +
              'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:11px sans-serif';
            d.innerHTML = {{ this.html|tojson }};
            return d;
          };
          var Holder = L.Layer.extend({
            onAdd: function(map) { c.addTo(map); },
            onRemove: function(map) { map.removeControl(c); }
          });
          return new Holder();
        })();
        {{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.html = html
        self.position = position


def add_legend(m: MapTarget, title: str, items: Sequence[tuple[str, str]], *,
               note: str = "", position: str = "bottomright") -> None:
    """A legend box: a title, (colour, label) rows and an optional note; all text escaped."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:10px;margin-right:4px;'
        f'background:{escape_text(c)}"></span>{escape_text(label)}</div>' for c, label in items)
    html = f"<b>{escape_text(title)}</b>{rows}"
    if note:
        html += f'<div style="color:#555;max-width:180px">{escape_text(note)}</div>'
    _Legend(html, position).add_to(m)


def add_heat(m: MapTarget, image: DisplayImage, *, name: str | None = None,
             note: str = "") -> folium.raster_layers.ImageOverlay:
    """The heat surface as one image overlay (a PNG data URL) with its legend.

    The legend runs from 0 to the largest figure shown (hidden cells never set it); a
    classed image (a viewer's) lists its classes instead. ``name`` (the layer control's)
    defaults to "Heat (t/yr per km²)" in this session's language.
    """
    name = name if name is not None else _("Heat (t/yr per km²)")
    layer = folium.raster_layers.ImageOverlay(
        image=image.data_url(), bounds=[list(image.bounds[0]), list(image.bounds[1])],
        name=name, opacity=1.0, interactive=False, pixelated=False, zindex=400)
    layer.add_to(m)
    items = list(image.legend_items) or [(c, _fmt(v)) for c, v in image.scale.legend(5)][::-1]
    add_legend(m, unit_label(image.scale.units) if image.scale.units else name, items,
               note=note)
    return layer


def _choropleth_colours(values: pd.Series, suppressed: pd.Series, *, levels: int | None = None
                        ) -> tuple[list[str], ColourScale]:
    """Ramp colours of ``values`` (grey where suppressed), in ``levels`` steps if given."""
    shown = pd.to_numeric(values, errors="coerce")[~suppressed.astype(bool)]
    vmax = float(shown.max()) if shown.notna().any() else 0.0
    cs = ColourScale(vmax=vmax, scale="sqrt", floor_fraction=0.0)
    pos = cs.position(pd.to_numeric(values, errors="coerce").to_numpy(float))
    if levels is not None:
        pos = np.round(pos * (levels - 1)) / (levels - 1)
    colours = [SUPPRESSED_COLOUR if s or not np.isfinite(p) else ramp_colour(float(p))
               for p, s in zip(pos, suppressed.astype(bool), strict=True)]
    return colours, cs


def _cells_picture(m: MapTarget, cells: gpd.GeoDataFrame, colours: Sequence[str], *,
                   name: str, opacity: float) -> folium.raster_layers.ImageOverlay:
    """Many hexagons as one picture (:func:`~geo.concentrations.raster.polygons_image`)."""
    image = polygons_image(cells.geometry, colours, opacity=opacity)
    layer = folium.raster_layers.ImageOverlay(
        image=image.data_url(), bounds=[list(image.bounds[0]), list(image.bounds[1])],
        name=name, opacity=1.0, interactive=False, pixelated=False, zindex=400)
    layer.add_to(m)
    return layer


def _picture_note(n: int) -> str:
    return ngettext("{n} hexagon, drawn as a picture (no tooltips); the table lists it.",
                    "{n} hexagons, drawn as a picture (no tooltips); the table lists each.",
                    n).format(n=format_number(n))


def add_hexagons(m: MapTarget, hexes: gpd.GeoDataFrame, *, k: int,
                 name: str | None = None) -> folium.map.Layer:
    """Hexagon totals as a choropleth (one GeoJson) with tooltips and a legend.

    ``hexes`` comes from :func:`geo.concentrations.hexagons.hexagons_for_role`: suppressed
    units are grey, their tooltip says why, and they never set the legend's extremes. Above
    :data:`MAX_CELL_FEATURES` hexagons the layer is one picture (colours in 64 steps).
    """
    sup = hexes["suppressed"] if "suppressed" in hexes else pd.Series(False, index=hexes.index)
    many = len(hexes) > MAX_CELL_FEATURES
    colours, cs = _choropleth_colours(hexes["tonnes"], sup, levels=64 if many else None)
    name = name if name is not None else _("Hexagon totals")
    if many:
        layer: folium.map.Layer = _cells_picture(m, hexes, colours, name=name, opacity=0.75)
        _hexagon_legend(m, cs, sup, k, note=_picture_note(len(hexes)))
        return layer
    hidden = ngettext("fewer than {k} producer: hidden", "fewer than {k} producers: hidden",
                      k).format(k=format_number(k))
    frame = gpd.GeoDataFrame({
        "fill": colours,
        "cell": hexes["h3_cell"].astype(str),
        "tonnes": [hidden if s else _fmt(v, "t/yr")
                   for v, s in zip(hexes["tonnes"], sup, strict=True)],
        "producers": ["—" if s else _fmt(v) for v, s in zip(hexes["producers"], sup,
                                                            strict=True)],
        "records": ["—" if s else _fmt(v) for v, s in zip(hexes["records"], sup, strict=True)],
    }, geometry=hexes.geometry.values, crs=hexes.crs)
    layer = GeoJson(
        frame_to_geojson(frame, columns=["fill", "cell", "tonnes", "producers", "records"],
                         decimals=5),
        name=name,
        fixed_style={"color": "#666666", "weight": 0.5, "fillOpacity": 0.75},
        style_from={"fillColor": "fill"},
        tooltip=folium.GeoJsonTooltip(fields=["tonnes", "producers", "records", "cell"],
                                      aliases=[_("Tonnes"), _("Producers"), _("Records"),
                                               _("H3 cell")]),
    )
    layer.add_to(m)
    _hexagon_legend(m, cs, sup, k)
    return layer


def _hexagon_legend(m: MapTarget, cs: ColourScale, suppressed: pd.Series, k: int, *,
                    note: str = "") -> None:
    items = [(c, _fmt(v, "t/yr")) for c, v in cs.legend(5)][::-1]
    if bool(suppressed.any()):
        items.append((SUPPRESSED_COLOUR, ngettext(
            "fewer than {k} producer", "fewer than {k} producers", k).format(
                k=format_number(k))))
    add_legend(m, _("Tonnes per hexagon"), items, note=note)


def add_released_hexagons(m: MapTarget, cells: gpd.GeoDataFrame, *,
                          name: str | None = None) -> folium.map.Layer:
    """A viewer's hexagons (:func:`geo.concentrations.viewer.viewer_cells`) as a choropleth.

    Only released cells are drawn; tooltips show the released tonnes, how many released
    figures they sum and, for one stream in one park, the producers behind the figure.
    """
    many = len(cells) > MAX_CELL_FEATURES
    colours, cs = _choropleth_colours(cells["tonnes"], pd.Series(False, index=cells.index),
                                      levels=64 if many else None)
    name = name if name is not None else _("Released hexagons")
    legend = [(c, _fmt(v, "t/yr")) for c, v in cs.legend(5)][::-1]
    if many:
        picture = _cells_picture(m, cells, colours, name=name, opacity=0.75)
        add_legend(m, _("Released tonnes per hexagon"), legend,
                   note=_("Withheld cells are not drawn.") + " " + _picture_note(len(cells)))
        return picture
    frame = gpd.GeoDataFrame({
        "fill": colours, "cell": cells["h3_cell"].astype(str),
        "tonnes": _text("tonnes", cells["tonnes"]),
        "figures": _text("figures", cells["figures"]),
        "producers": _text("producers", cells["producers"]),
    }, geometry=cells.geometry.values, crs=cells.crs)
    fields = ["tonnes", "figures", "producers", "cell"]
    layer = GeoJson(
        frame_to_geojson(frame, columns=["fill", *fields], decimals=5),
        name=name,
        fixed_style={"color": "#666666", "weight": 0.5, "fillOpacity": 0.75},
        style_from={"fillColor": "fill"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[
            _("Tonnes (released)"), _("Released figures"), _("Producers"), _("H3 cell")]),
    )
    layer.add_to(m)
    add_legend(m, _("Released tonnes per hexagon"), legend,
               note=_("Withheld cells are not drawn."))
    return layer


def add_hot_spots(m: MapTarget, hot: gpd.GeoDataFrame, *, name: str | None = None,
                  show_not_significant: bool = False, note: str = ""
                  ) -> tuple[folium.map.Layer, int]:
    """Gi* classes as hexagons in the ArcGIS palette; returns the layer and cells drawn.

    Not-significant cells are left out unless asked for (they are most of the map); above
    :data:`MAX_CELL_FEATURES` drawn cells the layer is one picture. A
    viewer's result carries only classes (no ``gi_z``): the tooltip then shows the class.
    """
    drawn = hot if show_not_significant else hot[hot["gi_bin"] != 0]
    name = name if name is not None else _("Hot spots (Gi*)")
    legend = [(HOTSPOT_COLOURS[b], bin_label(b)) for b in (3, 2, 1, 0, -1, -2, -3)]
    if len(drawn) > MAX_CELL_FEATURES:
        picture = _cells_picture(m, drawn, drawn["gi_bin"].map(HOTSPOT_COLOURS).tolist(),
                                 name=name, opacity=0.8)
        add_legend(m, _("Hot spots (Gi*, FDR)"), legend,
                   note=" ".join(t for t in (note, _picture_note(len(drawn))) if t))
        return picture, len(drawn)
    frame = gpd.GeoDataFrame({
        "fill": drawn["gi_bin"].map(HOTSPOT_COLOURS),
        "label": [bin_label(b) for b in drawn["gi_bin"]],
        "z": [format_number(z, digits=2) for z in drawn["gi_z"]] if "gi_z" in drawn else "—",
    }, geometry=drawn.geometry.values, crs=hot.crs)
    layer = GeoJson(
        frame_to_geojson(frame, columns=["fill", "label", "z"], decimals=5),
        name=name,
        fixed_style={"color": "#555555", "weight": 0.4, "fillOpacity": 0.8},
        style_from={"fillColor": "fill"},
        tooltip=folium.GeoJsonTooltip(fields=["label", "z"], aliases=[_("Class"), _("Gi* z")]),
    )
    layer.add_to(m)
    add_legend(m, _("Hot spots (Gi*, FDR)"), legend, note=note)
    return layer, len(drawn)


CLUSTER_FIELDS: Final = {"name": N_("Cluster"), "tonnes": N_("Tonnes"),
                         "producers": N_("Producers"), "cells": N_("Released hexagons"),
                         "chapters": N_("By chapter")}
"""Tooltip labels of cluster columns (translated where shown)."""


def add_clusters(m: MapTarget, clusters: gpd.GeoDataFrame, *,
                 name: str | None = None) -> folium.FeatureGroup:
    """Cluster footprints and centres (two GeoJson layers in one group).

    Tooltips show the columns of :data:`CLUSTER_FIELDS` the frame has: a practitioner's
    clusters their producers and chapters, a viewer's the released hexagons they join.
    """
    group = folium.FeatureGroup(name=name if name is not None else _("Resource clusters"))
    cols = [c for c in CLUSTER_FIELDS if c in clusters.columns]
    text = gpd.GeoDataFrame({c: _text(c, clusters[c]) for c in cols},
                            geometry=clusters.geometry.values, crs=clusters.crs)
    aliases = [_(CLUSTER_FIELDS[c]) for c in cols]
    GeoJson(frame_to_geojson(text, columns=cols, decimals=5), name=_("Footprints"),
            fixed_style={"color": CLUSTER_COLOUR, "weight": 2, "fillColor": "#9e9ac8",
                         "fillOpacity": 0.25},
            tooltip=folium.GeoJsonTooltip(fields=cols, aliases=aliases)).add_to(group)
    centres = text.set_geometry(gpd.points_from_xy(clusters["centre_lon"],
                                                   clusters["centre_lat"], crs=4326))
    GeoJson(frame_to_geojson(centres, columns=cols, decimals=5), name=_("Centres"),
            marker=folium.CircleMarker(radius=6, weight=2, color="#ffffff", fill=True,
                                       fill_color=CLUSTER_COLOUR, fill_opacity=1.0),
            tooltip=folium.GeoJsonTooltip(fields=cols, aliases=aliases)).add_to(group)
    group.add_to(m)
    return group


PARK_FIELDS: Final = {"name": N_("Park"), "tonnes": N_("Tonnes"), "producers": N_("Producers"),
                      "have_tonnes": N_("Haves"), "have_complete": N_("Haves complete"),
                      "want_tonnes": N_("Wants"), "want_complete": N_("Wants complete")}
"""Tooltip labels of park columns (translated where shown)."""


def add_park_totals(m: MapTarget, totals: gpd.GeoDataFrame, *,
                    fields: Mapping[str, str] | None = None,
                    name: str | None = None) -> folium.GeoJson:
    """Parks shaded by ``tonnes`` (grey where it is withheld), with a legend.

    ``fields`` maps the columns shown in the tooltip to their labels; by default those of
    :data:`PARK_FIELDS` the frame has — for a viewer's parks
    (:func:`geo.concentrations.viewer.viewer_parks`) haves and wants apart, each with
    whether it is complete. Rows without geometry (outside parks) are not drawn.
    """
    if fields is None:
        apart = {"have_tonnes", "want_tonnes"} & set(totals.columns)
        fields = {c: _(a) for c, a in PARK_FIELDS.items()
                  if c in totals.columns and not (apart and c == "tonnes")}
    view = map_view(m)
    parks = for_display(totals[totals.geometry.notna()], view)
    withheld = pd.to_numeric(parks["tonnes"], errors="coerce").isna()
    colours, cs = _choropleth_colours(parks["tonnes"], withheld)
    frame = gpd.GeoDataFrame({"fill": colours, **{c: _text(c, parks[c]) for c in fields}},
                             geometry=parks.geometry.values, crs=parks.crs)
    layer = GeoJson(
        frame_to_geojson(frame, columns=["fill", *fields], decimals=display_decimals(view)),
        name=name if name is not None else _("Parks by tonnes"),
        fixed_style={"color": "#54278f", "weight": 1.5, "fillOpacity": 0.7},
        style_from={"fillColor": "fill"},
        tooltip=folium.GeoJsonTooltip(fields=list(fields), aliases=list(fields.values())),
    )
    layer.add_to(m)
    items = [(c, _fmt(v, "t/yr")) for c, v in cs.legend(4)][::-1]
    if bool(withheld.any()):
        items.append((SUPPRESSED_COLOUR, _("withheld")))
    add_legend(m, _("Tonnes per park"), items, position="bottomleft")
    return layer


def add_table_layer(m: MapTarget, view: str, table: gpd.GeoDataFrame, *, k: int = 3,
                    note: str = "") -> None:
    """The layer of a concentration view's table: ``Hexagons``, ``Hot spots``, ``Clusters``
    or ``Parks`` (a viewer's released hexagons are recognised by their ``figures`` column)."""
    if view == "Hexagons":
        if "figures" in table.columns:
            add_released_hexagons(m, table)
        else:
            add_hexagons(m, table, k=k)
    elif view == "Hot spots":
        add_hot_spots(m, table, note=note)
    elif view == "Clusters":
        add_clusters(m, table)
    elif view == "Parks":
        add_park_totals(m, table)
    else:
        msg = _("No table layer for the view {view}.").format(view=repr(view))
        raise ValueError(msg)


def add_view_layers(m: MapTarget, view: str, *, parks: gpd.GeoDataFrame,
                    image: DisplayImage | None = None, image_name: str | None = None,
                    image_note: str = "", table: gpd.GeoDataFrame | None = None,
                    table_note: str = "", selection: Selection | None = None
                    ) -> tuple[int, bool] | None:
    """Every layer of a Concentrations view, as the page draws it, on ``m``.

    The parks' outlines (left out on the Parks view, whose shaded parks draw the same
    outlines), then the heat ``image``, the view's ``table`` layer and the ``selection``'s
    points (practitioners only; the caller decides). Returns what
    :func:`add_selection_points` returns (features drawn, aggregated) when points are drawn.
    """
    if view != "Parks":
        add_parks(m, parks)
    if image is not None:
        add_heat(m, image, name=image_name, note=image_note)
    if table is not None and len(table):
        add_table_layer(m, view, table, note=table_note)
    if selection is None:
        return None
    _layer, drawn, aggregated = add_selection_points(m, selection)
    return drawn, aggregated


def add_selection_points(m: MapTarget, selection: Selection, *,
                         max_points: int = MAX_RAW_POINTS) -> tuple[folium.GeoJson, int, bool]:
    """:func:`add_resource_points` for a selection, using its pre-indexed H3 cells when many.

    The record frame is only built when it is drawn raw, so a million-record selection costs
    a bincount, not a frame copy.
    """
    if selection.n_used <= max_points:
        return add_resource_points(m, selection.located, max_points=max_points)
    prep, used = selection.prepared, selection.used
    return _add_aggregated_points(m, prep.base_cells[used], prep.tonnes[used],
                                  prep.producer[used], max_points=max_points,
                                  name=_("Records"))


def add_resource_points(m: MapTarget, located: gpd.GeoDataFrame, *,
                        max_points: int = MAX_RAW_POINTS,
                        tooltip_cols: Sequence[str] = ("site_name", "description"),
                        name: str | None = None) -> tuple[folium.GeoJson, int, bool]:
    """Record points for practitioners: raw when at most ``max_points``, else aggregated.

    Above the cap, records are summed per H3 cell (the finest resolution with at most
    half ``max_points`` occupied cells) and drawn as one circle per cell, so the browser never
    receives more than ``max_points`` features. Returns (layer, features drawn, aggregated).
    Only for viewers who may see companies: the page never calls it for others.
    """
    name = name if name is not None else _("Records")
    pts = located[located.geometry.notna() & ~located.geometry.is_empty]
    tonnes = pd.to_numeric(pts["tonnes_per_year"], errors="coerce")
    if len(pts) > max_points:
        base = cells_for_points(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy(),
                                H3_BASE_RES)
        return _add_aggregated_points(m, base, tonnes.to_numpy(float),
                                      pd.factorize(pts["site_id"].astype(str))[0],
                                      max_points=max_points, name=name)
    cols = [c for c in tooltip_cols if c in pts.columns]
    frame = pts[cols].copy()
    for c in cols:
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]):
            frame[c] = [_shortened(v) for v in frame[c]]
    frame["tonnes"] = [_fmt(v, "t/yr") for v in tonnes]
    frame["r"] = np.round(np.clip(np.sqrt(tonnes.fillna(0).to_numpy()) / 3, 3, 14), 1)
    frame = gpd.GeoDataFrame(frame, geometry=pts.geometry.values, crs=pts.crs)
    return _add_points(m, frame, [*cols, "tonnes"], name=name), len(frame), False


def _shortened(value: object) -> object:
    """Text cut to :data:`TOOLTIP_CHARS` characters (with an ellipsis); other values as given."""
    if isinstance(value, str) and len(value) > TOOLTIP_CHARS:
        return value[:TOOLTIP_CHARS - 1].rstrip() + "…"
    return value


def _add_aggregated_points(m: MapTarget, base: np.ndarray, tonnes: np.ndarray,
                           producers: np.ndarray, *, max_points: int, name: str
                           ) -> tuple[folium.GeoJson, int, bool]:
    res = H3_BASE_RES  # an overview under the surface: at most half as many cells as points
    while res > 0 and len(pd.unique(parent_cells(base, res))) > max(max_points // 2, 1):
        res -= 1
    totals = hexagon_totals(parent_cells(base, res), tonnes, producers)
    latlng = cell_centres(totals["cell"].to_numpy())
    frame = gpd.GeoDataFrame({
        "records": [ngettext("{n} record", "{n} records", int(n)).format(n=format_number(n))
                    for n in totals["records"]],
        "tonnes": [_fmt(v, "t/yr") for v in totals["tonnes"]],
        "r": np.round(np.clip(np.sqrt(totals["tonnes"].to_numpy()) / 6, 3, 16), 1)},
        geometry=gpd.points_from_xy(latlng[:, 1], latlng[:, 0]),
        crs=4326)
    return _add_points(m, frame, ["records", "tonnes"], name=name), len(frame), True


def _add_points(m: MapTarget, frame: gpd.GeoDataFrame, fields: list[str], *,
                name: str) -> folium.GeoJson:
    """One GeoJson of circle markers sized by the ``r`` property."""
    layer = GeoJson(
        frame_to_geojson(frame, columns=[*fields, "r"], decimals=5), name=name,
        marker=folium.CircleMarker(radius=5, weight=1, color="#ffffff", fill=True,
                                   fill_color="#08519c", fill_opacity=0.85),
        style_from={"radius": "r"},
        tooltip=folium.GeoJsonTooltip(fields=fields,
                                      aliases=[column_label(c) for c in fields]),
    )
    layer.add_to(m)
    return layer


def table_for_display(table: pd.DataFrame) -> pd.DataFrame:
    """A concentration table as a page shows it, in this session's language.

    No geometry; hot-spot classes (from ``gi_bin``) and cluster names translated; headers are
    :func:`~geo.i18n.column_label` labels. The table itself (and its CSV) is not changed.
    """
    out = pd.DataFrame(table[[c for c in table.columns if c != "geometry"]]).copy()
    if "gi_bin" in out.columns and "label" in out.columns:
        out["label"] = [bin_label(b) for b in out["gi_bin"]]
    if "name" in out.columns and "cluster_id" in out.columns:
        out["name"] = [cluster_display_name(n) for n in out["name"]]
    return out.rename(columns=column_labels(out.columns))
