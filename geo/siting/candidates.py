"""Candidate sites for a plant, and the siting rules that screen them.

Candidates come from the parks' polygons, OSM ``landuse=industrial`` parcels, a hexagon grid
(H3) over the region, or points and parcels the user draws or uploads
(:func:`candidates_from_polygons`, :func:`candidates_from_hexagons`,
:func:`candidates_from_points`). :func:`screen_candidates` applies a profile's siting rules in
a metric CRS, in this order, and reports how many candidates each rule removed:

1. *industrial* — the part of the candidate on industrial land or in a park;
2. *residential* — minus everything within ``d`` metres of residential land;
3. *land* — what is left must be at least the plant's land need (polygons only);
4. *main road* — the site point (a point inside what is left) within ``m`` metres of a
   main road.

A rule whose layer is missing (no land-use data for the region) is reported as not checked,
never passed silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import CRSError, SitingError
from geo.hexcells import cells_to_polygons, str_to_cells
from geo.i18n import N_, _, format_number, ngettext
from geo.siting.profiles import TechnologyProfile

__all__ = [
    "RULES",
    "RULE_LABELS",
    "CandidateScreen",
    "SitingLayers",
    "candidates_from_hexagons",
    "candidates_from_points",
    "candidates_from_polygons",
    "far_from_sites",
    "rule_label",
    "screen_candidates",
    "siting_layers",
]

logger = logging.getLogger(__name__)

RULES = ("industrial", "residential", "land", "main_road")
# Translators: the names of the four siting rules, as in "main road: removed 3".
RULE_LABELS = {"industrial": N_("industrial"), "residential": N_("residential"),
               "land": N_("land"), "main_road": N_("main road")}
"""Rule (a stable value in the screening report) → its label (marked; ``_`` where shown)."""
MIN_PIECE_M2 = 100.0
"""Slivers of usable land smaller than this (m²) do not count as usable."""
_CANDIDATE_COLUMNS = ["candidate_id", "name", "source", "geometry"]


def _check_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is None:
        # Translators: {layer} names the layer in English (park, candidate, area…).
        msg = _("The {layer} layer has no CRS; set it with .set_crs('EPSG:4326') "
                "first.").format(layer=what)
        raise CRSError(msg)


@dataclass(frozen=True)
class SitingLayers:
    """The land-use and road layers the rules are checked against (EPSG:4326).

    ``residential`` or ``roads`` of None means that rule cannot be checked for the region.
    """

    industrial: gpd.GeoDataFrame
    residential: gpd.GeoDataFrame | None
    roads: gpd.GeoDataFrame | None


def siting_layers(parks: gpd.GeoDataFrame, *, landuse: gpd.GeoDataFrame | None = None,
                  roads: gpd.GeoDataFrame | None = None) -> SitingLayers:
    """Industrial land (parks ∪ OSM industrial), residential land and roads of a region.

    Parameters
    ----------
    parks : GeoDataFrame
        The programme's park polygons.
    landuse : GeoDataFrame, optional
        OSM land use with a ``landuse`` column (e.g. :func:`geo.demo.demo_region`).
    roads : GeoDataFrame, optional
        Road lines with a ``highway`` column (e.g. ``RoadGraph.edges``).
    """
    frames = [parks[["geometry"]].to_crs(4326)] if len(parks) else []
    residential = None
    if landuse is not None:
        _check_crs(landuse, "land-use")
        lu = landuse.to_crs(4326)
        frames.append(lu.loc[lu["landuse"] == "industrial", ["geometry"]])
        residential = lu.loc[lu["landuse"] == "residential", ["geometry"]].reset_index(drop=True)
    industrial = (gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326) if frames
                  else gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326), crs=4326))
    if roads is not None:
        _check_crs(roads, "road")
        roads = roads[["highway", "geometry"]].to_crs(4326)
    return SitingLayers(industrial=industrial, residential=residential, roads=roads)


def candidates_from_polygons(polygons: gpd.GeoDataFrame, *, source: str,
                             name_col: str | None = "name", id_prefix: str = "C"
                             ) -> gpd.GeoDataFrame:
    """One candidate per polygon (parks, industrial parcels, uploaded parcels)."""
    _check_crs(polygons, source)
    poly = polygons[polygons.geometry.notna() & ~polygons.geometry.is_empty].to_crs(4326)
    names = (poly[name_col].astype(str).to_numpy() if name_col and name_col in poly.columns
             else [f"{source} {i + 1}" for i in range(len(poly))])
    return gpd.GeoDataFrame({
        "candidate_id": [f"{id_prefix}{i + 1:03d}" for i in range(len(poly))],
        "name": names, "source": source}, geometry=poly.geometry.to_numpy(), crs=4326)


def candidates_from_hexagons(area: gpd.GeoDataFrame | tuple[float, float, float, float], *,
                             resolution: int = 9, max_cells: int = 50_000) -> gpd.GeoDataFrame:
    """H3 hexagons (``resolution``; 9 ≈ 0.1 km², 10 ≈ 0.015 km²) covering an area.

    ``area`` is a GeoDataFrame (its union is covered) or a WGS84 bounding box.
    """
    import h3

    if isinstance(area, gpd.GeoDataFrame):
        _check_crs(area, "area")
        shape = area.to_crs(4326).union_all()
    else:
        shape = shapely.box(*area)
    if shape.is_empty:
        msg = _("The area to cover with hexagons is empty; give a region with some extent.")
        raise SitingError(msg)
    shape = shape.buffer(0)
    n_est = shapely.area(shape) * (111_000 ** 2) * np.cos(np.radians(shape.centroid.y)) \
        / h3.average_hexagon_area(resolution, unit="m^2")
    if n_est > max_cells:
        msg = _("A hexagon grid at resolution {resolution} would have about {n} cells "
                "(limit {limit}); choose a coarser resolution (a smaller number).").format(
            resolution=resolution, n=format_number(n_est), limit=format_number(max_cells))
        raise SitingError(msg)
    cells = sorted(h3.geo_to_cells(shape.__geo_interface__, resolution))
    polys = cells_to_polygons(str_to_cells(np.asarray(cells, dtype=object)))
    return gpd.GeoDataFrame({"candidate_id": [f"H{i + 1:05d}" for i in range(len(cells))],
                             "name": cells, "source": f"H3 grid r{resolution}"},
                            geometry=polys, crs=4326)


def candidates_from_points(points: gpd.GeoDataFrame, *, name_col: str | None = "name"
                           ) -> gpd.GeoDataFrame:
    """Candidates the user draws or uploads (points, or polygons for parcels)."""
    return candidates_from_polygons(points, source="user", name_col=name_col, id_prefix="U")


def _largest_piece_point(usable: shapely.Geometry, footprint: shapely.Geometry
                         ) -> shapely.Geometry:
    """A point inside the largest usable piece, or in the footprint when nothing is usable."""
    if usable is None or shapely.is_empty(usable) or shapely.area(usable) < MIN_PIECE_M2:
        return shapely.point_on_surface(footprint)
    parts = shapely.get_parts(usable)
    return shapely.point_on_surface(parts[int(np.argmax(shapely.area(parts)))])


@dataclass(frozen=True)
class CandidateScreen:
    """Every candidate with the outcome of each rule, and what each rule removed.

    Attributes
    ----------
    sites : GeoDataFrame
        EPSG:4326 site points (a point inside the usable part, or the candidate's centre if
        nothing is usable): ``candidate_id``, ``name``, ``source``, ``area_ha``,
        ``usable_ha`` (NaN for points), ``contiguous_ha`` (the usable land the site point
        stands in), ``main_road_m``, ``ok_<rule>`` per rule, ``passes``, ``failed_rule``.
    footprints : GeoDataFrame
        EPSG:4326 usable part of each candidate (same index as ``sites``).
    report : DataFrame
        One row per rule: ``rule``, ``checked``, ``removed`` (among those that passed the
        earlier rules), ``failing`` (on its own).
    """

    sites: gpd.GeoDataFrame
    footprints: gpd.GeoDataFrame
    report: pd.DataFrame

    @property
    def passing(self) -> gpd.GeoDataFrame:
        """The candidates that pass every checked rule."""
        return self.sites[self.sites["passes"]]

    def explain(self) -> str:
        """One sentence per rule: how many candidates it removed (in the reader's language)."""
        parts = []
        for r in self.report.itertuples():
            rule = rule_label(r.rule)
            if not r.checked:
                # Translators: {rule} is a siting rule's name, {note} why it was not checked.
                note = _(r.note) if r.note else ""
                parts.append(_("{rule}: not checked ({note})").format(rule=rule, note=note))
            else:
                parts.append(ngettext(
                    "{rule}: removed {removed} ({failing} fail it on their own)",
                    "{rule}: removed {removed} ({failing} fail it on their own)",
                    int(r.removed)).format(rule=rule, removed=format_number(r.removed),
                                           failing=format_number(r.failing)))
        n = len(self.sites)
        # Translators: {rules} lists what each siting rule did, separated by semicolons.
        return ngettext("{n} candidate; {rules}.", "{n} candidates; {rules}.", n).format(
            n=format_number(n), rules="; ".join(parts))

    def require_some(self) -> gpd.GeoDataFrame:
        """The passing candidates; raises :class:`SitingError` naming the rules if none."""
        if len(self.passing):
            return self.passing
        msg = _("No candidate passes the siting rules. {screening} Relax the rule that "
                "removed most, or choose another candidate source.").format(
            screening=self.explain())
        raise SitingError(msg)


def rule_label(rule: object) -> str:
    """A siting rule's name in the reader's language (unknown: as given)."""
    label = RULE_LABELS.get(str(rule))
    return _(label) if label is not None else str(rule)


def screen_candidates(candidates: gpd.GeoDataFrame, profile: TechnologyProfile,
                      layers: SitingLayers) -> CandidateScreen:
    """Apply ``profile.rules`` (and its land need) to candidates, in a metric CRS.

    Parameters
    ----------
    candidates : GeoDataFrame
        From one of the ``candidates_from_*`` functions (any CRS, set).
    profile : TechnologyProfile
    layers : SitingLayers
    """
    _check_crs(candidates, "candidate")
    if candidates.empty:
        msg = _("There are no candidate sites to screen; choose a candidate source with some.")
        raise SitingError(msg)
    rules = profile.rules
    metric = candidates.to_crs(4326).estimate_utm_crs()
    cand = candidates.to_crs(metric)
    geom = cand.geometry.to_numpy()
    is_area = shapely.get_dimensions(geom) == 2
    area_m2 = np.where(is_area, shapely.area(geom), np.nan)
    geom = shapely.set_precision(shapely.make_valid(geom), 0.01)
    usable = geom.copy()
    n = len(cand)
    ok: dict[str, np.ndarray] = {}
    notes: dict[str, str] = {}

    def union(gdf: gpd.GeoDataFrame | None) -> shapely.Geometry | None:
        if gdf is None or gdf.empty:
            return None
        # A 1 cm precision grid keeps the overlays robust on OSM's touching polygons.
        geoms = shapely.make_valid(gdf.to_crs(metric).geometry.to_numpy())
        return shapely.union_all(geoms, grid_size=0.01)

    # 1. Industrial land or a park.
    industrial = union(layers.industrial)
    if not rules.inside_industrial:
        ok["industrial"], notes["industrial"] = np.ones(n, bool), N_("rule off")
    elif industrial is None:
        ok["industrial"], notes["industrial"] = np.ones(n, bool), N_("no industrial land layer")
    else:
        shapely.prepare(industrial)
        usable = np.where(is_area, shapely.intersection(usable, industrial), usable)
        inside = np.where(is_area, shapely.area(usable) >= MIN_PIECE_M2,
                          shapely.intersects(usable, industrial))
        ok["industrial"] = np.asarray(inside, bool)
    # 2. Residential buffer.
    d = rules.min_residential_distance_m
    residential = union(layers.residential)
    if d <= 0:
        ok["residential"], notes["residential"] = np.ones(n, bool), N_("rule off")
    elif residential is None:
        ok["residential"], notes["residential"] = np.ones(n, bool), N_("no residential land layer")
    else:
        zone = shapely.buffer(residential, d)
        before = usable
        usable = np.where(is_area, shapely.difference(usable, zone), usable)
        ok["residential"] = np.where(
            is_area, (shapely.area(usable) >= MIN_PIECE_M2) | (shapely.area(before) < MIN_PIECE_M2),
            shapely.distance(usable, residential) >= d)
    # 3. Land need: the contiguous usable land the site point stands in (a plant may spread
    # over neighbouring grid cells, not over a road into the next estate).
    usable_m2 = np.where(is_area, shapely.area(usable), np.nan)
    site = np.array([_largest_piece_point(u, g) if a else g
                     for u, g, a in zip(usable, geom, is_area, strict=True)], dtype=object)
    need = profile.land_ha * 10_000.0
    contiguous_m2 = np.full(n, np.nan)
    if is_area.any():
        land = industrial if industrial is not None else shapely.union_all(geom[is_area])
        if residential is not None and d > 0:
            land = shapely.difference(land, shapely.buffer(residential, d))
        pieces = np.asarray(shapely.get_parts(land))
        if len(pieces):
            tree = shapely.STRtree(pieces)
            hit_site, hit_piece = tree.query(site[is_area], predicate="intersects")
            piece_area = np.zeros(int(is_area.sum()))
            np.maximum.at(piece_area, hit_site, shapely.area(pieces[hit_piece]))
            contiguous_m2[is_area] = piece_area
            contiguous_m2[is_area & (usable_m2 < MIN_PIECE_M2)] = 0.0
    if need <= 0:
        ok["land"], notes["land"] = np.ones(n, bool), N_("no land need")
    else:
        ok["land"] = np.where(is_area, np.nan_to_num(contiguous_m2) >= need, True)
        if not is_area.any():
            notes["land"] = N_("points only: parcel sizes unknown")
    # 4. Main road near the site point.
    max_road = rules.max_main_road_distance_m
    roads = None
    if layers.roads is not None and max_road is not None:
        roads = union(layers.roads[layers.roads["highway"].astype(str)
                                   .isin(rules.main_road_classes)])
    road_m = shapely.distance(site, roads) if roads is not None else np.full(n, np.nan)
    if max_road is None:
        ok["main_road"], notes["main_road"] = np.ones(n, bool), N_("rule off")
    elif roads is None:
        ok["main_road"] = np.ones(n, bool)
        notes["main_road"] = N_("no main roads in the road layer")
    else:
        ok["main_road"] = road_m <= max_road

    passes = np.ones(n, bool)
    rows, failed = [], np.full(n, "", dtype=object)
    for rule in RULES:
        checked = rule not in notes
        removed = passes & ~ok[rule]
        failed[removed] = rule
        rows.append({"rule": rule, "checked": checked, "removed": int(removed.sum()),
                     "failing": int((~ok[rule]).sum()), "note": notes.get(rule, "")})
        passes &= ok[rule]
    sites = gpd.GeoDataFrame({
        "candidate_id": cand["candidate_id"].to_numpy(),
        "name": cand["name"].to_numpy(),
        "source": cand["source"].to_numpy(),
        "area_ha": area_m2 / 10_000.0,
        "usable_ha": usable_m2 / 10_000.0,
        "contiguous_ha": contiguous_m2 / 10_000.0,
        "main_road_m": road_m,
        **{f"ok_{r}": ok[r] for r in RULES},
        "passes": passes,
        "failed_rule": failed,
    }, geometry=list(site), crs=metric, index=cand.index).to_crs(4326)
    footprints = gpd.GeoDataFrame({"candidate_id": cand["candidate_id"].to_numpy()},
                                  geometry=list(usable), crs=metric, index=cand.index).to_crs(4326)
    report = pd.DataFrame(rows)
    logger.debug("Screened %d candidates: %d pass", n, passes.sum())
    return CandidateScreen(sites=sites, footprints=footprints, report=report)


def far_from_sites(candidates: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> str | None:
    """Why no candidate can serve the programme when every one lies far from its area
    (``sites``: the located member sites for a practitioner, the parks for a viewer; more
    than :data:`geo.geocode.reference.FAR_KM`), with a hint when swapping longitude and
    latitude would bring them in; ``None`` when some candidate is near, or nothing is
    located to compare with.

    An uploaded layer with its coordinates swapped otherwise gets "relax the housing rule"
    as advice, which cannot help.
    """
    from geo.geocode.reference import FAR_KM, km_outside

    located = sites.geometry[~(sites.geometry.isna() | sites.geometry.is_empty)]
    points = candidates.to_crs(4326).geometry if candidates.crs is not None else \
        candidates.geometry
    points = points[~(points.isna() | points.is_empty)].representative_point()
    if located.empty or points.empty:
        return None
    bounds = tuple(float(v) for v in located.total_bounds)
    km = min(km_outside(p.x, p.y, bounds) for p in points)
    if km <= FAR_KM:
        return None
    swapped = all(abs(p.x) <= 90 for p in points) and \
        min(km_outside(p.y, p.x, bounds) for p in points) <= FAR_KM
    n = len(points)
    text = ngettext("The {n} candidate lies {km} km or more from the programme's area.",
                    "The {n} candidates lie {km} km or more from the programme's area.",
                    n).format(n=format_number(n), km=format_number(km))
    if swapped:
        return _("{text} Its longitude and latitude look swapped: with them the other way "
                 "round the candidates fall in it. Fix the layer's coordinates and upload "
                 "it again.").format(text=text)
    return _("{text} Check the layer's coordinate reference system, or upload candidates of "
             "this programme's region.").format(text=text)
