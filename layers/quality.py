"""Map layer of member sites coloured by how precisely they are located."""

from __future__ import annotations

from typing import Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import N_, _, format_number, ngettext
from geo.programme import PRECISIONS, precision_rank
from layers.base import Attribution, hexagon_groups, map_view
from layers.concentration import add_legend
from layers.geojson import GeoJson, frame_to_geojson, tooltip

__all__ = ["MAX_SITE_POINTS", "PRECISION_COLOURS", "PRECISION_LABELS", "add_reference_places",
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


MAX_SITE_POINTS: Final = 1000
"""Above this many sites in view, sites are counted per H3 hexagon instead of drawn one by one
(15,000 sites one by one made every rerun of the page 15 MB)."""


def add_sites_by_precision(m: folium.Map, sites: gpd.GeoDataFrame, *,
                           name: str | None = None,
                           max_points: int = MAX_SITE_POINTS) -> int:
    """Sites as circles coloured from green (exact, set by hand) to red (town centroid).

    Only sites within a view-width of the view the map is fitted to are sent. Up to
    ``max_points`` of them are drawn one by one; above, they are counted per H3 hexagon (the
    finest resolution with at most ``max_points`` occupied cells), each circle sized by its
    sites and coloured by its *least* precise one, so poorly located sites still show.
    Returns the number of sites on the map (unlocated sites have no point to draw). ``name``
    defaults to "Sites by location precision" in the session's language.
    """
    located = sites[sites.geometry.notna() & ~sites.geometry.is_empty].copy()
    if located.crs is not None and not located.crs.equals("EPSG:4326"):
        located = located.to_crs(4326)
    if (view := map_view(m)) is not None and len(located):
        w, s_, e, n = view
        dx, dy = max(e - w, 1e-6), max(n - s_, 1e-6)
        located = located.cx[w - dx:e + dx, s_ - dy:n + dy]
    located["location_precision"] = located["location_precision"].fillna("not_found")
    name = name or _("Sites by location precision")
    if len(located) > max_points:
        _add_precision_cells(m, located, name=name, max_points=max_points)
    else:
        located["precision_shown"] = [_precision_label(p) for p in located["location_precision"]]
        located["fill"] = [PRECISION_COLOURS.get(str(p), "#777777")
                           for p in located["location_precision"]]
        shown = [c for c in ("name", "precision_shown", "location_source") if c in located]
        aliases = {"name": _("Site"), "precision_shown": _("Precision"),
                   "location_source": _("Source")}
        data = frame_to_geojson(located, columns=[*shown, "fill"], decimals=5)
        GeoJson(
            data,
            name=name,
            marker=folium.CircleMarker(radius=6, weight=1, color="#333333", fill=True,
                                       fill_opacity=0.9),
            style_from={"fillColor": "fill"},
            tooltip=tooltip(data, shown, [aliases[c] for c in shown]),
        ).add_to(m)
    # a Leaflet control, stacked with the map's others (a box placed by hand at the bottom
    # left hid the scale bar, and the scale bar hid the legend's "manual")
    add_legend(m, _("Location precision"),
               [(PRECISION_COLOURS[p], _precision_label(p)) for p in PRECISIONS])
    return len(located)


def _add_precision_cells(m: folium.Map, located: gpd.GeoDataFrame, *, name: str,
                         max_points: int) -> None:
    """Sites counted per H3 hexagon, coloured by the least precise site of each."""
    group, centres = hexagon_groups(located, max_points)
    rank = precision_rank(located["location_precision"]).to_numpy()
    cells = pd.DataFrame({"cell": group, "rank": rank}).groupby("cell").agg(
        sites=("rank", "size"), worst=("rank", "max"))
    worst = [PRECISIONS[min(int(r), len(PRECISIONS) - 1)] for r in cells["worst"]]
    frame = gpd.GeoDataFrame({
        "sites": [ngettext("{n} site", "{n} sites", int(n)).format(n=format_number(n))
                  for n in cells["sites"]],
        "worst": [_precision_label(p) for p in worst],
        "fill": [PRECISION_COLOURS.get(p, "#777777") for p in worst],
        "r": np.round(np.clip(3 * np.sqrt(cells["sites"].to_numpy()), 4, 16), 1)},
        geometry=centres.to_numpy()[cells.index.to_numpy()], crs=4326)
    data = frame_to_geojson(frame, columns=["sites", "worst", "fill", "r"], decimals=5)
    GeoJson(
        data,
        name=name,
        marker=folium.CircleMarker(radius=6, weight=1, color="#333333", fill=True,
                                   fill_opacity=0.9),
        style_from={"fillColor": "fill", "radius": "r"},
        tooltip=tooltip(data, ["sites", "worst"], [_("Sites"), _("Least precise")]),
    ).add_to(m)


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
