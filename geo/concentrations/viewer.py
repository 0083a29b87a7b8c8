"""Concentration views for viewers, derived only from a programme's protected release.

Viewers (park authorities, investors, …) never see records. Every figure of their heat and
catchment surfaces, hexagons, hot spots, clusters and park totals is read from one
:class:`~geo.disclosure.ProgrammeRelease` (built once per data version), or is a function of
released figures only — so no combination of views, selections and downloads tells a viewer
more than the release itself (see :mod:`geo.disclosure.tree`).

What a viewer chooses is a :class:`ReleaseQuery`: haves, wants or both (the sum of the two
releases), some release streams (a partition of the catalogue; all by default) and some
parks (a park authority: only the parks of its grant). No quantity, precision or code filter
and no free hexagon resolution: three fixed levels (coarse, middle, fine). A catalogue code
or chapter is answered with the nearest release streams (:func:`nearest_streams`), and the
page says so.

- **Heat / Catchment**: a kernel density (or tonnes within a radius) of the release's
  :meth:`~geo.disclosure.ProgrammeRelease.mass_points` in a metric CRS, quantised into a few
  geometric classes (:mod:`geo.concentrations.classes`); tonnage with no place is stated.
- **Hexagons**: released cells at one fixed level, summed over the selection.
- **Hot spots**: Getis-Ord Gi* over the released fine cells (withheld cells count as 0).
- **Clusters**: weighted clustering of released fine-cell centres; a cluster's outline is the
  union of its cells, its total the sum of their released figures, its centre their
  tonnage-weighted centre — nothing drawn from a site.
- **Parks**: released stream-in-park figures summed per park, haves and wants apart, with
  whether the sum is complete.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.concentrations.classes import N_CLASSES, ClassedSurface, classed_surface
from geo.concentrations.clusters import ClusterParams, cluster_labels
from geo.concentrations.density import KDEParams, default_bandwidth_m, kde_surface
from geo.concentrations.grid import metric_crs_for, project_lonlat
from geo.concentrations.hotspots import hot_spots
from geo.concentrations.within_radius import RadiusParams, within_radius_surface
from geo.disclosure.release import (
    HEX_LEVELS,
    OUTSIDE_PARKS,
    MassPoints,
    ProgrammeRelease,
    streams_for_selectors,
)
from geo.errors import AccessError, SymbiosisError
from geo.hexcells import cell_centres, cells_to_polygons, cells_to_str, str_to_cells
from geo.i18n import N_, _, current_locale, format_tonnes

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from geo.catalogue import Catalogue
    from geo.concentrations.raster import DisplayImage
    from geo.disclosure.release import Direction, HexLevel

__all__ = [
    "SUMMARY",
    "VIEWER_DIRECTIONS",
    "ReleaseQuery",
    "caption",
    "empty_message",
    "nearest_streams",
    "release_query",
    "selection_total",
    "view_note",
    "viewer_bandwidth_m",
    "viewer_catchment",
    "viewer_cells",
    "viewer_clusters",
    "viewer_heat",
    "viewer_hot_spots",
    "viewer_mass_points",
    "viewer_parks",
    "viewer_picture",
    "widened_notice",
]

logger = logging.getLogger(__name__)

ViewerDirection = Literal["have", "want", "both"]
VIEWER_DIRECTIONS: Final[tuple[ViewerDirection, ...]] = ("have", "want", "both")
SUMMARY: Final = N_("Viewers see fixed protected releases by stream group and park: no "
                    "quantity, code or precision filter, and hexagons at three fixed levels.")
"""One sentence for the page: what a viewer can choose, and why no more (``_(SUMMARY)``)."""
DIRECTION_TEXT: Final = {"have": N_("haves"), "want": N_("wants"), "both": N_("haves + wants")}
LEVEL_TEXT: Final = {"coarse": N_("coarse"), "middle": N_("middle"), "fine": N_("fine")}
"""The hexagon levels as a person reads them (translated where shown)."""


@dataclass(frozen=True)
class ReleaseQuery:
    """What a viewer picked (build it with :func:`release_query`, which checks the grant).

    Attributes
    ----------
    direction : str
        ``"have"``, ``"want"`` or ``"both"`` (the sum of the two releases).
    streams : tuple of str
        Release streams (``release.streams["stream"]``); empty = all.
    parks : tuple of str
        ``park_id`` values; empty = the whole programme (not for a park authority).
    """

    direction: ViewerDirection = "have"
    streams: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.direction not in VIEWER_DIRECTIONS:
            msg = _("direction must be 'have', 'want' or 'both', got {value}.").format(
                value=repr(self.direction))
            raise SymbiosisError(msg)

    @property
    def directions(self) -> tuple[Direction, ...]:
        """The releases summed: ``("have",)``, ``("want",)`` or both."""
        return ("have", "want") if self.direction == "both" else (self.direction,)

    def describe(self, release: ProgrammeRelease) -> str:
        """One line for captions and file metadata, in this session's language."""
        labels = release.stream_labels()
        parts = [_(DIRECTION_TEXT[self.direction]),
                 ", ".join(labels.get(s, s) for s in self.streams) or _("all streams")]
        if self.parks:
            names = dict(zip(release.parks["park_id"], release.parks["name"], strict=True))
            parts.append(", ".join(str(names.get(p, p)) for p in self.parks))
        return " · ".join(parts)


def release_query(release: ProgrammeRelease, *, direction: str = "have",
                  streams: Iterable[str] = (), parks: Iterable[str] = (),
                  grant: Sequence[str] = ()) -> ReleaseQuery:
    """A viewer's query, checked against the release and limited to their grant.

    Parameters
    ----------
    release : ProgrammeRelease
    direction : str
        ``have``, ``want`` or ``both`` (``any`` is read as ``both``).
    streams : iterable of str
        Release streams; empty = all.
    parks : iterable of str
        Parks; empty = all of ``grant`` (or the whole programme without a grant).
    grant : sequence of str
        The parks a park authority may see (empty: no limit).

    Raises
    ------
    AccessError
        For a park outside the grant.
    SymbiosisError
        For a stream the release does not have.
    """
    known = set(release.streams["stream"])
    chosen = tuple(dict.fromkeys(str(s) for s in streams))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        msg = _("{unknown} are not release streams; pick from {known} (a code or chapter maps "
                "to its nearest release stream).").format(unknown=repr(unknown),
                                                          known=repr(sorted(known)))
        raise SymbiosisError(msg)
    picked = tuple(dict.fromkeys(str(p) for p in parks))
    outside = [p for p in picked if grant and p not in grant]
    if outside:
        msg = _("Your grant covers the parks {grant} only, not {outside}.").format(
            grant=repr(list(grant)), outside=repr(outside))
        raise AccessError(msg)
    if set(chosen) == known:
        chosen = ()
    direction = "both" if direction == "any" else direction
    return ReleaseQuery(direction=direction,  # type: ignore[arg-type]
                        streams=chosen, parks=picked or tuple(grant))


def nearest_streams(release: ProgrammeRelease, catalogue: Catalogue,
                    selectors: Iterable[str]) -> tuple[tuple[str, ...], bool]:
    """Release streams nearest to catalogue selectors, and whether that is exact."""
    streams, exact = streams_for_selectors(release, catalogue, list(selectors))
    return tuple(streams), exact


def widened_notice(release: ProgrammeRelease, streams: Sequence[str]) -> str:
    """What the page says when a code or chapter was answered with whole release streams."""
    labels = release.stream_labels()
    return _("Your selection was widened to the nearest release streams: {streams}.").format(
        streams=", ".join(labels.get(s, s) for s in streams))


def view_note(release: ProgrammeRelease, view: str, *, level: HexLevel = "fine") -> str:
    """One sentence for the page under a viewer's table view (``view`` is the page's view code:
    ``Hexagons``, ``Hot spots``, ``Clusters``, ``Parks``): what its figures are."""
    if view == "Hexagons":
        # Translators: {level} is a hexagon level (coarse, middle or fine).
        return _("Released {level} hexagons (H3 resolution {resolution}); withheld cells are "
                 "not drawn.").format(level=_(LEVEL_TEXT[level]),
                                      resolution=release.resolutions[level])
    if view == "Hot spots":
        return _("Getis-Ord Gi* (FDR) from released figures: the released fine hexagons (H3 "
                 "resolution {resolution}); withheld cells count as 0.").format(
                     resolution=release.resolutions["fine"])
    if view == "Clusters":
        return _("Clusters of released fine hexagons: outline, total and centre from them.")
    if view == "Parks":
        return _("Sums of released stream figures per park; not complete where a stream of "
                 "the park is withheld.")
    return ""


def caption(release: ProgrammeRelease, query: ReleaseQuery) -> str:
    """One line for the page: what viewers see, the rules, the released total (or —)."""
    total = selection_total(release, query)
    # Translators: {rules} is the disclosure rule ("a figure is shown only when…"), {total}
    # the released tonnes or "—", {query} what was picked.
    return _("{summary} Released figures only: {rules}. · {total} · {query}").format(
        summary=_(SUMMARY), rules=release.rules.describe(),
        total=format_tonnes(total, digits=0, per_year=True), query=query.describe(release))


# -- figures ----------------------------------------------------------------------------------

def selection_total(release: ProgrammeRelease, query: ReleaseQuery) -> float | None:
    """Released tonnes of the selection, or None when any figure in it is withheld.

    With parks, the total is the sum of the stream-in-park figures of every chosen stream.
    """
    streams = list(query.streams) or (list(release.streams["stream"]) if query.parks else [])
    total = 0.0
    for d in query.directions:
        t = release.total(d, streams=streams, parks=query.parks)
        if t is None:
            return None
        total += t
    return total


def viewer_mass_points(release: ProgrammeRelease, query: ReleaseQuery) -> MassPoints:
    """The release's mass points of the selection (both directions added): computed once per
    release and query and shared (do not change its arrays)."""
    return release.memo.get(("mass points", query), lambda: _mass_points(release, query))


def _mass_points(release: ProgrammeRelease, query: ReleaseQuery) -> MassPoints:
    parts = [release.mass_points(d, streams=query.streams, parks=query.parks)
             for d in query.directions]
    return MassPoints(np.concatenate([p.lon for p in parts]),
                      np.concatenate([p.lat for p in parts]),
                      np.concatenate([p.tonnes for p in parts]),
                      float(sum(p.unplaced_tonnes for p in parts)))


def empty_message(release: ProgrammeRelease, query: ReleaseQuery) -> str | None:
    """Why nothing of the selection can be drawn, or None when something can."""
    if viewer_mass_points(release, query).tonnes.sum() > 0:
        return None
    return _empty_message(release, query)


def _empty_message(release: ProgrammeRelease, query: ReleaseQuery) -> str:
    return _("Nothing of {query} can be drawn: no figure of it passes the disclosure rules "
             "({rules}). Pick more streams or parks, or both directions; a programme this "
             "small may have nothing to release.").format(query=query.describe(release),
                                                           rules=release.rules.describe())


def _metric_points(release: ProgrammeRelease, query: ReleaseQuery
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, MassPoints, object]:
    mp = viewer_mass_points(release, query)
    keep = mp.tonnes > 0
    if not keep.any():
        raise SymbiosisError(_empty_message(release, query))
    crs = metric_crs_for(mp.lon[keep], mp.lat[keep])
    x, y = project_lonlat(mp.lon[keep], mp.lat[keep], crs)
    return x, y, mp.tonnes[keep], mp, crs


def viewer_bandwidth_m(release: ProgrammeRelease, query: ReleaseQuery) -> float:
    """A heat bandwidth for the selection's mass points (Silverman's rule), rounded, metres."""
    return release.memo.get(("bandwidth", query), lambda: _bandwidth_m(release, query))


def _bandwidth_m(release: ProgrammeRelease, query: ReleaseQuery) -> float:
    try:
        x, y, w, _mp, _crs = _metric_points(release, query)
    except SymbiosisError:
        return 1000.0
    h = default_bandwidth_m(x, y, w)
    return float(round(h, -math.floor(math.log10(h)) + 1))


def viewer_heat(release: ProgrammeRelease, query: ReleaseQuery, *, bandwidth_m: float,
                n_classes: int = N_CLASSES) -> ClassedSurface:
    """Heat surface (t/yr per km², classed) of the selection's released mass points.

    Raises
    ------
    SymbiosisError
        When nothing of the selection is released (the message says why), or for a
        bandwidth outside 0–500 km.

    Computed once per release, query and settings, and shared by every session that asks
    (twenty viewers of the same streams draw one heat map).
    """
    params = KDEParams(bandwidth_m=bandwidth_m)
    return release.memo.get(("heat", query, params, n_classes),
                            lambda: _heat(release, query, params, n_classes))


def _heat(release: ProgrammeRelease, query: ReleaseQuery, params: KDEParams,
          n_classes: int) -> ClassedSurface:
    x, y, w, mp, crs = _metric_points(release, query)
    surface = kde_surface(x, y, w, crs=crs, params=params)  # type: ignore[arg-type]
    return classed_surface(surface, total_tonnes=selection_total(release, query),
                           unplaced_tonnes=mp.unplaced_tonnes, n_classes=n_classes)


def viewer_catchment(release: ProgrammeRelease, query: ReleaseQuery, *, radius_m: float,
                     n_classes: int = N_CLASSES) -> ClassedSurface:
    """Released tonnes (t/yr, classed) within ``radius_m`` of every cell (computed once per
    release, query and settings, and shared)."""
    params = RadiusParams(radius_m=radius_m)
    return release.memo.get(("catchment", query, params, n_classes),
                            lambda: _catchment(release, query, params, n_classes))


def _catchment(release: ProgrammeRelease, query: ReleaseQuery, params: RadiusParams,
               n_classes: int) -> ClassedSurface:
    x, y, w, mp, crs = _metric_points(release, query)
    surface = within_radius_surface(x, y, w, crs=crs, params=params)  # type: ignore[arg-type]
    return classed_surface(surface, total_tonnes=selection_total(release, query),
                           unplaced_tonnes=mp.unplaced_tonnes, n_classes=n_classes)


def viewer_picture(release: ProgrammeRelease, query: ReleaseQuery, *, view: str,
                   distance_m: float) -> DisplayImage:
    """The web-map picture of a viewer's ``"Heat"`` (bandwidth ``distance_m``) or
    ``"Catchment"`` (radius ``distance_m``) surface, computed once per release, selection and
    language (its legend is translated) and shared like the surface."""
    from geo.concentrations.raster import display_image

    surface = (viewer_heat(release, query, bandwidth_m=distance_m) if view == "Heat"
               else viewer_catchment(release, query, radius_m=distance_m))
    return release.memo.get(("picture", view, query, distance_m, current_locale()),
                            lambda: display_image(surface))


def viewer_cells(release: ProgrammeRelease, query: ReleaseQuery, *,
                 level: HexLevel = "fine") -> gpd.GeoDataFrame:
    """Released hexagons at one fixed level, summed over the selection (EPSG:4326).

    Columns ``h3_cell``, ``resolution``, ``tonnes`` (sum of the released figures in the
    cell), ``figures`` (how many), ``producers`` (only for one stream in one park and one
    direction, else NaN); sorted by tonnes, largest first.
    """
    if level not in HEX_LEVELS:
        msg = _("level must be one of {choices}, got {value}.").format(
            choices=HEX_LEVELS, value=repr(level))
        raise SymbiosisError(msg)
    frames = [release.cells(d, level=level, streams=query.streams, parks=query.parks)
              for d in query.directions]
    cells = pd.concat([pd.DataFrame(f.drop(columns="geometry")) for f in frames],
                      ignore_index=True)
    out = cells.groupby("h3_cell", sort=True).agg(
        resolution=("resolution", "first"), tonnes=("tonnes", "sum"),
        figures=("figures", "sum"), producers=("producers", "sum")).reset_index()
    if len(query.directions) > 1 or len(query.streams) != 1 or len(query.parks) != 1:
        out["producers"] = np.nan
    out = out.sort_values("tonnes", ascending=False, kind="stable").reset_index(drop=True)
    geoms = cells_to_polygons(str_to_cells(out["h3_cell"].to_numpy(dtype=object)))
    return gpd.GeoDataFrame(out, geometry=geoms, crs="EPSG:4326")


def viewer_hot_spots(release: ProgrammeRelease, query: ReleaseQuery) -> gpd.GeoDataFrame:
    """Gi* classes over the released fine cells of the selection (withheld cells count as 0).

    Only the class of each cell is returned (``h3_cell``, ``gi_bin``, ``label``, geometry):
    it is computed from released figures alone, so a withheld producer cannot move it.
    """
    cells = viewer_cells(release, query, level="fine")
    if cells.empty:
        return gpd.GeoDataFrame({"h3_cell": [], "gi_bin": [], "label": []}, geometry=[],
                                crs="EPSG:4326")
    ids = str_to_cells(cells["h3_cell"].to_numpy(dtype=object))
    result = hot_spots(ids, cells["tonnes"].to_numpy(float))
    out_cells = result["cell"].to_numpy(np.int64)
    names = cells_to_str(out_cells)
    geoms = cells_to_polygons(out_cells)
    return gpd.GeoDataFrame({"h3_cell": names, "gi_bin": result["gi_bin"].astype(int),
                             "label": result["label"]}, geometry=geoms, crs="EPSG:4326")


def _park_of_points(release: ProgrammeRelease, lon: np.ndarray, lat: np.ndarray
                    ) -> np.ndarray:
    parks = release.parks[release.parks.geometry.notna()]
    out = np.full(len(lon), None, dtype=object)
    if parks.empty or not len(lon):
        return out
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    hit = gpd.sjoin(pts, parks[["name", "geometry"]], predicate="within", how="left")
    hit = hit[~hit.index.duplicated(keep="first")]
    out[:] = hit["name"].to_numpy(dtype=object)
    return out


def viewer_clusters(release: ProgrammeRelease, query: ReleaseQuery, *, eps_m: float,
                    min_tonnes: float) -> gpd.GeoDataFrame:
    """Clusters of released fine cells (weighted DBSCAN on cell centres), EPSG:4326.

    Returns ``cluster_id`` (1 = largest), ``name`` (after the park holding most of it),
    ``tonnes`` (sum of the released cells), ``cells``, ``centre_lon``/``centre_lat`` (the
    cells' tonnage-weighted centre), ``area_km2`` and the union of the cells as geometry.
    """
    params = ClusterParams(eps_m=eps_m, min_tonnes=min_tonnes)
    cells = viewer_cells(release, query, level="fine")
    columns = ["cluster_id", "name", "tonnes", "cells", "centre_lon", "centre_lat",
               "area_km2"]
    if cells.empty:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs="EPSG:4326")
    centres = cell_centres(str_to_cells(cells["h3_cell"].to_numpy(dtype=object)))
    lat, lon = centres[:, 0], centres[:, 1]
    crs = metric_crs_for(lon, lat)
    x, y = project_lonlat(lon, lat, crs)
    w = cells["tonnes"].to_numpy(float)
    labels = cluster_labels(x, y, w, params=params)
    parks = _park_of_points(release, lon, lat)
    rows = []
    for lab in range(int(labels.max()) + 1 if len(labels) else 0):
        m = labels == lab
        tonnes = float(w[m].sum())
        cx, cy = float((x[m] * w[m]).sum() / tonnes), float((y[m] * w[m]).sum() / tonnes)
        by_park = pd.Series(w[m]).groupby(pd.Series(parks[m])).sum()
        outline = shapely.union_all(cells.geometry.to_numpy()[m])
        rows.append({"cluster_id": lab + 1, "tonnes": tonnes, "cells": int(m.sum()),
                     "cx": cx, "cy": cy, "place": by_park.idxmax() if len(by_park) else None,
                     "geometry": outline})
    out = pd.DataFrame(rows, columns=["cluster_id", "tonnes", "cells", "cx", "cy", "place",
                                      "geometry"])
    out["name"] = [f"Cluster {i} · {p}" if isinstance(p, str) else f"Cluster {i}"
                   for i, p in zip(out["cluster_id"], out["place"], strict=True)]
    to_wgs = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon_c, lat_c = to_wgs.transform(out["cx"].to_numpy(float), out["cy"].to_numpy(float))
    out["centre_lon"], out["centre_lat"] = np.asarray(lon_c), np.asarray(lat_c)
    gdf = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
    gdf["area_km2"] = gdf.to_crs(crs).area.to_numpy() / 1e6
    return gdf[[*columns, "geometry"]].sort_values("tonnes", ascending=False,
                                                    kind="stable").reset_index(drop=True)


def viewer_parks(release: ProgrammeRelease, query: ReleaseQuery) -> gpd.GeoDataFrame:
    """Released tonnes per park of the chosen streams, haves and wants apart (EPSG:4326).

    Per direction ``D`` of the query: ``D_tonnes`` (sum of the released stream-in-park
    figures; NaN when none is released) and ``D_complete`` (whether every chosen stream is
    released in the park — otherwise the sum may be a lower bound; a stream with no record
    there counts as not released, so that no park reads as "has none of it"). ``tonnes``
    adds the directions (NaN unless each is shown), ``complete`` all of them. Parks outside
    ``query.parks`` (when given) are not read; ``(outside parks)`` has no geometry.
    """
    out = release.parks[["park_id", "name"]].copy()
    outside = pd.DataFrame({"park_id": [OUTSIDE_PARKS], "name": [_("(outside parks)")]})
    out = pd.concat([out, outside], ignore_index=True)
    if query.parks:
        out = out[out["park_id"].isin(query.parks)]
    out["tonnes"] = 0.0
    out["complete"] = True
    for d in query.directions:
        table = release.park_table(d, streams=query.streams).set_index("park_id")
        shown = table["released_streams"] > 0
        tonnes = table["tonnes"].where(shown)
        out[f"{d}_tonnes"] = out["park_id"].map(tonnes)
        out[f"{d}_complete"] = out["park_id"].map(table["complete"]).fillna(True).astype(bool)
        out["tonnes"] = out["tonnes"] + out[f"{d}_tonnes"]
        out["complete"] &= out[f"{d}_complete"]
    outlines = gpd.GeoSeries(release.parks.geometry.to_numpy(), crs="EPSG:4326",
                             index=release.parks["park_id"].to_numpy())
    geoms = outlines.reindex(out["park_id"].to_numpy())  # None outside the parks
    gdf = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geoms.to_numpy(),
                           crs="EPSG:4326")
    return gdf.sort_values("tonnes", ascending=False, kind="stable",
                           na_position="last").reset_index(drop=True)
