"""Concentrations: where the wastes of a stream are, how much, and where they concentrate.

- :mod:`~geo.concentrations.selection` — the query, the selection of records, park totals;
- :mod:`~geo.concentrations.grid` — the metric raster grid and binning;
- :mod:`~geo.concentrations.density` — tonnage heat surfaces (weighted KDE, t/yr per km²);
- :mod:`~geo.concentrations.within_radius` — tonnes available within a radius of every point;
- :mod:`~geo.concentrations.hexagons` — H3 hexagon totals of records;
- :mod:`~geo.concentrations.hotspots` — Getis-Ord Gi* hot spots with an FDR correction;
- :mod:`~geo.concentrations.clusters` — named, summarised resource clusters;
- :mod:`~geo.concentrations.classes` — surfaces quantised into a few geometric classes;
- :mod:`~geo.concentrations.raster` — surfaces out as GeoTIFF, PNG + world file, map image;
- :mod:`~geo.concentrations.viewer` — every view for viewers, read from the protected release
  (import it as a module: it stands on :mod:`geo.disclosure`, which stands on this package).
"""

from geo.concentrations.classes import ClassedSurface, class_breaks, classed_surface, quantise
from geo.concentrations.clusters import (
    ClusterParams,
    cluster_labels,
    find_clusters,
    label_clusters,
)
from geo.concentrations.density import KDEParams, Surface, kde_from_gdf, kde_surface
from geo.concentrations.grid import Grid, bin_tonnes, grid_for_points
from geo.concentrations.hexagons import (
    H3_BASE_RES,
    cells_for_points,
    hexagon_totals,
    hexagon_totals_from_gdf,
    parent_cells,
)
from geo.concentrations.hotspots import (
    BIN_LABELS,
    HotSpotParams,
    hot_spots,
    hot_spots_from_hexagons,
)
from geo.concentrations.raster import (
    ColourScale,
    DisplayImage,
    classed_display_image,
    classed_surface_to_geotiff_bytes,
    classed_surface_to_png_zip_bytes,
    display_image,
    ramp_colour,
    surface_to_geotiff_bytes,
    surface_to_png_zip_bytes,
    write_surface_files,
)
from geo.concentrations.selection import (
    ConcentrationQuery,
    PreparedResources,
    Selection,
    bandwidth_for_selection,
    clusters_for_selection,
    heat_for_selection,
    hexagons_for_selection,
    park_totals,
    prepare_resources,
    select_resources,
    stream_choices,
    within_radius_for_selection,
)
from geo.concentrations.within_radius import (
    RadiusParams,
    SurfaceStack,
    disc_kernel,
    sample_surface,
    within_radius_by_group,
    within_radius_surface,
)

__all__ = [
    "BIN_LABELS",
    "H3_BASE_RES",
    "ClassedSurface",
    "ClusterParams",
    "ColourScale",
    "ConcentrationQuery",
    "DisplayImage",
    "Grid",
    "HotSpotParams",
    "KDEParams",
    "PreparedResources",
    "RadiusParams",
    "Selection",
    "Surface",
    "SurfaceStack",
    "bandwidth_for_selection",
    "bin_tonnes",
    "cells_for_points",
    "class_breaks",
    "classed_display_image",
    "classed_surface",
    "classed_surface_to_geotiff_bytes",
    "classed_surface_to_png_zip_bytes",
    "cluster_labels",
    "clusters_for_selection",
    "disc_kernel",
    "display_image",
    "find_clusters",
    "grid_for_points",
    "heat_for_selection",
    "hexagon_totals",
    "hexagon_totals_from_gdf",
    "hexagons_for_selection",
    "hot_spots",
    "hot_spots_from_hexagons",
    "kde_from_gdf",
    "kde_surface",
    "label_clusters",
    "parent_cells",
    "park_totals",
    "prepare_resources",
    "quantise",
    "ramp_colour",
    "sample_surface",
    "select_resources",
    "stream_choices",
    "surface_to_geotiff_bytes",
    "surface_to_png_zip_bytes",
    "within_radius_by_group",
    "within_radius_for_selection",
    "within_radius_surface",
    "write_surface_files",
]
