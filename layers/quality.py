"""Map layer of member sites coloured by how precisely they are located."""

from __future__ import annotations

import html
from typing import Final

import folium
import geopandas as gpd

from geo.i18n import N_, _
from geo.programme import PRECISIONS
from layers.base import Attribution, GeoJson, frame_to_geojson, map_figure, tooltip

__all__ = ["PRECISION_COLOURS", "PRECISION_LABELS", "add_reference_places",
           "add_sites_by_precision"]

PRECISION_COLOURS: Final = {
    "manual": "#1a9850", "exact": "#1a9850", "building": "#66bd63", "postcode": "#a6d96a",
    "street": "#fee08b", "district": "#fdae61", "town": "#f46d43", "not_found": "#a50026",
}
# Translators: how precisely a site is placed on the map: set by hand, exact coordinates,
# or found at a building, postcode, street, district or town; "not found" = not placed.
PRECISION_LABELS: Final = {
    "manual": N_("manual"), "exact": N_("exact"), "building": N_("building"),
    "postcode": N_("postcode"), "street": N_("street"), "district": N_("district"),
    "town": N_("town"), "not_found": N_("not found"),
}
"""Display label of each precision code (translated with ``_`` where shown)."""


def _precision_label(code: object) -> str:
    label = PRECISION_LABELS.get(str(code))
    return _(label) if label is not None else str(code)


def add_sites_by_precision(m: folium.Map, sites: gpd.GeoDataFrame, *,
                           name: str | None = None) -> int:
    """Sites as circles coloured from green (exact, set by hand) to red (town centroid).

    Returns the number of points drawn (unlocated sites have no point to draw). ``name``
    defaults to "Sites by location precision" in the session's language.
    """
    located = sites[sites.geometry.notna() & ~sites.geometry.is_empty].copy()
    located["location_precision"] = located["location_precision"].fillna("not_found")
    located["precision_shown"] = [_precision_label(p) for p in located["location_precision"]]
    shown = [c for c in ("name", "precision_shown", "location_source") if c in located]
    aliases = {"name": _("Site"), "precision_shown": _("Precision"),
               "location_source": _("Source")}
    data = frame_to_geojson(located, columns=[*shown, "location_precision"])
    GeoJson(
        data,
        name=name or _("Sites by location precision"),
        marker=folium.CircleMarker(radius=6, weight=1, color="#333333", fill=True,
                                   fill_opacity=0.9),
        style_function=lambda f: {"fillColor": PRECISION_COLOURS.get(
            f["properties"].get("location_precision"), "#777777")},
        tooltip=tooltip(data, shown, [aliases[c] for c in shown]),
    ).add_to(m)
    legend = "".join(
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:5px;'
        f'background:{PRECISION_COLOURS[p]};margin:0 4px 0 8px"></span>'
        f"{html.escape(_precision_label(p))}"
        for p in PRECISIONS)
    map_figure(m).html.add_child(folium.Element(
        f'<div style="position:absolute;bottom:24px;left:8px;z-index:999;background:#fff;'
        f'padding:4px 6px;font:11px sans-serif;border-radius:4px">{legend}</div>'))
    return len(located)


def add_reference_places(m: folium.Map, places: gpd.GeoDataFrame, *,
                         name: str | None = None) -> int:
    """Towns as small grey dots with their names, for orientation where no base map exists.

    Returns the number drawn. GeoNames data is CC BY 4.0 (attribution added to the map).
    ``name`` defaults to "Towns (GeoNames)" in the session's language.
    """
    if places.empty:
        return 0
    data = frame_to_geojson(places, columns=["name"])
    GeoJson(
        data, name=name or _("Towns (GeoNames)"),
        marker=folium.CircleMarker(radius=3, weight=0, fill=True, fill_color="#6b6b6b",
                                   fill_opacity=0.8),
        tooltip=tooltip(data, ["name"], [_("Town")]),
    ).add_to(m)
    Attribution(_("Towns: GeoNames (CC BY 4.0)")).add_to(m)
    return len(places)
