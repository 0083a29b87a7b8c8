"""Concentrations: where the wastes of a stream are, how much, and where they concentrate.

- :mod:`~geo.concentrations.selection` — the query, the selection of records, park totals;
- :mod:`~geo.concentrations.grid` — the metric raster grid and binning;
- :mod:`~geo.concentrations.density` — tonnage heat surfaces (weighted KDE, t/yr per km²);
- :mod:`~geo.concentrations.within_radius` — tonnes available within a radius of every point;
- :mod:`~geo.concentrations.hexagons` — H3 hexagon totals with the k rule;
- :mod:`~geo.concentrations.hotspots` — Getis-Ord Gi* hot spots with an FDR correction;
- :mod:`~geo.concentrations.clusters` — named, summarised resource clusters;
- :mod:`~geo.concentrations.raster` — surfaces out as GeoTIFF, PNG + world file, map image.
"""
