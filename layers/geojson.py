"""GeoJSON for Leaflet maps: escaped text, rounded coordinates, compact JSON, styles and
tooltips read from feature properties in the browser.

Every text shown in a tooltip or popup goes through :func:`escape_text`
(:func:`frame_to_geojson` escapes every string property).
"""

from __future__ import annotations

import html
import json
import logging
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template

from geo.i18n import column_label

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["GeoJson", "compact_json", "escape_text", "frame_to_geojson", "pixel_rounded",
           "tooltip"]

logger = logging.getLogger(__name__)

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
