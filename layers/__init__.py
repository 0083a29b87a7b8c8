"""Folium map layers (and Plotly figures) drawn from the results of ``geo/``; no Streamlit here.

- :mod:`~layers.base` — the offline base map, local Leaflet assets, escaped GeoJSON, parks and
  sites, attribution;
- :mod:`~layers.quality` — sites coloured by location precision, reference towns;
- :mod:`~layers.concentration` — heat surface, catchment, hexagons, hot spots, clusters;
- :mod:`~layers.siting` — screened and ranked candidates, best plants, flows, catchments;
- :mod:`~layers.routing` — milk-round routes, numbered stops, the depot;
- :mod:`~layers.synergies` — the synergy network, proposed matches, the Sankey.

Every layer is one ``GeoJson`` (or image) per kind of feature, and every text shown passes
through :func:`~layers.geojson.escape_text`.
"""

from __future__ import annotations

from layers.base import Attribution, add_parks, add_sites, base_map, map_figure, zoom_for_bounds
from layers.basemap import ASSET_URL_PREFIX, install_static_assets, local_assets
from layers.concentration import (
    add_clusters,
    add_heat,
    add_hexagons,
    add_hot_spots,
    add_legend,
    add_park_totals,
    add_resource_points,
    add_selection_points,
)
from layers.geojson import GeoJson, escape_text, frame_to_geojson, tooltip
from layers.quality import add_reference_places, add_sites_by_precision
from layers.routing import add_depot, add_routes, add_stops
from layers.siting import (
    add_best_sites,
    add_competitors,
    add_ranked_sites,
    add_screened_candidates,
    add_suppliers,
    breakdown_figure,
)
from layers.synergies import (
    add_match_lines,
    add_synergy_network,
    network_graph_figure,
    sankey_figure,
)

__all__ = [
    "ASSET_URL_PREFIX",
    "Attribution",
    "GeoJson",
    "add_best_sites",
    "add_clusters",
    "add_competitors",
    "add_depot",
    "add_heat",
    "add_hexagons",
    "add_hot_spots",
    "add_legend",
    "add_match_lines",
    "add_park_totals",
    "add_parks",
    "add_ranked_sites",
    "add_reference_places",
    "add_resource_points",
    "add_routes",
    "add_screened_candidates",
    "add_selection_points",
    "add_sites",
    "add_sites_by_precision",
    "add_stops",
    "add_suppliers",
    "add_synergy_network",
    "base_map",
    "breakdown_figure",
    "escape_text",
    "frame_to_geojson",
    "install_static_assets",
    "local_assets",
    "map_figure",
    "network_graph_figure",
    "sankey_figure",
    "tooltip",
    "zoom_for_bounds",
]
