"""Which records a concentration map shows: the filter, the selection and per-park totals.

A :class:`ConcentrationQuery` says what the user picked (haves or wants, catalogue selectors,
a quantity range, parks, the least precise location accepted). :func:`prepare_resources`
turns a programme into column arrays once (projected coordinates, catalogue chapters,
producer codes…), so that every filter change afterwards is a few vectorised comparisons —
the UI caches the prepared object per programme. :func:`select_resources` applies a query
and returns a :class:`Selection`: the located records drawn on the maps, and the ones that
match but cannot be drawn (not located, too imprecise, not in t/yr) counted and listed —
never dropped silently. No match is an empty selection with an explanation, not an error.

The analyses on a selection (heat, tonnes within a radius, hexagons, hot spots, clusters) take
its arrays. They work on records, so they are for practitioners only: viewers' concentration
views are read from the protected release (:mod:`geo.concentrations.viewer`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalogue import load_catalogue
from geo.concentrations.clusters import ClusterParams, clusters_from_arrays
from geo.concentrations.density import KDEParams, Surface, kde_surface
from geo.concentrations.density import default_bandwidth_m as bandwidth_for_points
from geo.concentrations.grid import metric_crs_for, project_lonlat
from geo.concentrations.hexagons import (
    H3_BASE_RES,
    cells_for_points,
    choose_resolution,
    hexagon_totals,
    hexagons_gdf,
    parent_cells,
)
from geo.concentrations.within_radius import RadiusParams, within_radius_surface
from geo.errors import SymbiosisError
from geo.i18n import N_, _, format_number, ngettext
from geo.lazy import cached_property
from geo.programme import DIRECTIONS, PRECISIONS, precision_rank, resources_with_sites

if TYPE_CHECKING:
    import pyproj

    from geo.catalogue import Catalogue
    from geo.programme import Programme

__all__ = [
    "ConcentrationQuery",
    "PreparedResources",
    "Selection",
    "bandwidth_for_selection",
    "clusters_for_selection",
    "heat_for_selection",
    "hexagons_for_selection",
    "park_totals",
    "prepare_resources",
    "select_resources",
    "stream_choices",
    "within_radius_for_selection",
]

logger = logging.getLogger(__name__)

Direction = Literal["have", "want", "any"]
OUTSIDE_PARKS: Final = "(outside parks)"
OUTSIDE_PARKS_NAME: Final = N_("Outside parks")
"""The name of the ``(outside parks)`` row of :func:`park_totals` (translated where built)."""
DIRECTION_TEXT: Final = {"have": N_("haves"), "want": N_("wants"), "any": N_("haves and wants")}
NOT_LOCATED_COLUMNS: Final = ("resource_id", "site_id", "site_name", "direction", "ewc_code",
                              "description", "quantity", "unit", "location_precision")


@dataclass(frozen=True)
class ConcentrationQuery:
    """What to map.

    Attributes
    ----------
    direction : str
        ``"have"`` (wastes, by-products), ``"want"`` (feedstocks) or ``"any"``.
    selectors : tuple of str
        Catalogue entry codes, chapters (``"02"``), subchapters (``"0203"``) or stream groups
        (``"plastics"``); empty = every code (and uncoded records).
    min_tonnes, max_tonnes : float or None
        Quantity range per record, t/yr (inclusive).
    parks : tuple of str
        ``park_id`` values; empty = everywhere (inside and outside parks).
    min_precision : str
        The least precise location accepted, from :data:`geo.programme.PRECISIONS`.
    """

    direction: Direction = "have"
    selectors: tuple[str, ...] = ()
    min_tonnes: float | None = None
    max_tonnes: float | None = None
    parks: tuple[str, ...] = ()
    min_precision: str = "town"

    def __post_init__(self) -> None:
        if self.direction not in (*DIRECTIONS, "any"):
            msg = _("direction must be 'have', 'want' or 'any', got {value}.").format(
                value=repr(self.direction))
            raise SymbiosisError(msg)
        for name in ("selectors", "parks"):
            value = getattr(self, name)
            items = (value,) if isinstance(value, str) else tuple(value)
            object.__setattr__(self, name, tuple(str(v) for v in items))
        for name in ("min_tonnes", "max_tonnes"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(float(v)) and float(v) >= 0):
                msg = _("{name} must be a number of t/yr ≥ 0 or empty, got {value}.").format(
                    name=name, value=repr(v))
                raise SymbiosisError(msg)
        if (self.min_tonnes is not None and self.max_tonnes is not None
                and self.min_tonnes > self.max_tonnes):
            msg = _("The quantity range is empty: the minimum ({low} t/yr) is above the maximum "
                    "({high} t/yr). Swap them, or set the maximum to 0 for no upper limit."
                    ).format(low=format_number(self.min_tonnes),
                             high=format_number(self.max_tonnes))
            raise SymbiosisError(msg)
        if self.min_precision not in PRECISIONS:
            msg = _("min_precision must be one of {choices}, got {value}.").format(
                choices=PRECISIONS, value=repr(self.min_precision))
            raise SymbiosisError(msg)

    def describe(self) -> str:
        """One line for captions and file metadata, in this session's language (a list of
        facets joined by `` · ``; codes and park ids as they are)."""
        parts = [_(DIRECTION_TEXT[self.direction])]
        parts.append(", ".join(self.selectors) if self.selectors else _("all streams"))
        if self.min_tonnes is not None or self.max_tonnes is not None:
            lo = format_number(self.min_tonnes) if self.min_tonnes is not None else "0"
            hi = format_number(self.max_tonnes) if self.max_tonnes is not None else "∞"
            parts.append(_("{low}–{high} t/yr per record").format(low=lo, high=hi))
        if self.parks:
            parts.append(_("parks {parks}").format(parks=", ".join(self.parks)))
        return " · ".join(parts)


@dataclass(frozen=True, eq=False)
class PreparedResources:
    """A programme's resources as column arrays, computed once (see the module docstring).

    ``frame`` is :func:`geo.programme.resources_with_sites` plus a ``chapter`` column; every
    array has one entry per row of it. ``x_m``/``y_m`` are metres in ``crs`` (NaN where not
    located); ``producer`` is the factorised ``site_id``.
    """

    frame: gpd.GeoDataFrame
    crs: pyproj.CRS | None
    lon: np.ndarray
    lat: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray
    tonnes: np.ndarray
    located: np.ndarray
    direction: np.ndarray
    code: np.ndarray
    chapter: np.ndarray
    park: np.ndarray
    precision_rank: np.ndarray
    producer: np.ndarray
    park_names: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)

    @cached_property
    def direction_codes(self) -> np.ndarray:
        """0 for haves, 1 for wants, -1 otherwise (fast to compare)."""
        d = pd.Series(self.direction, dtype=object)
        return np.select([d == "have", d == "want"], [0, 1], -1).astype(np.int8)

    @cached_property
    def code_factors(self) -> tuple[np.ndarray, np.ndarray]:
        """(index into the distinct codes, distinct codes) of every record (-1 = no code)."""
        codes, uniq = pd.factorize(pd.Series(self.code, dtype=object))
        return codes, np.asarray(uniq, dtype=object)

    @cached_property
    def base_cells(self) -> np.ndarray:
        """H3 cell of every record at :data:`~geo.concentrations.hexagons.H3_BASE_RES` (0: none)."""
        return cells_for_points(self.lon, self.lat, H3_BASE_RES)


def prepare_resources(programme: Programme, *, catalogue: Catalogue | None = None
                      ) -> PreparedResources:
    """Column arrays of a programme's resources for fast filtering (cache the result).

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> prep = prepare_resources(load_demo_programme())
    >>> len(prep) == len(prep.frame), bool(prep.located.all())
    (True, True)
    """
    cat = catalogue or load_catalogue()
    frame = resources_with_sites(programme)
    geom = frame.geometry
    located = np.array(geom.notna() & ~geom.is_empty, dtype=bool)
    lon = np.full(len(frame), np.nan)
    lat = np.full(len(frame), np.nan)
    if located.any():
        lon[located] = geom[located].x.to_numpy()
        lat[located] = geom[located].y.to_numpy()
    crs = metric_crs_for(lon, lat) if located.any() else None
    x, y = project_lonlat(lon, lat, crs) if crs is not None else (lon.copy(), lat.copy())
    code = cat.normalise_codes(frame["ewc_code"]).to_numpy(dtype=object)
    codes, uniq = pd.factorize(pd.Series(code, dtype=object))
    chapter_of = np.array([c[:2] if cat.ewc_shaped else cat.chapter_of(c) for c in uniq]
                          + [None], dtype=object)
    chapter = chapter_of[codes]  # -1 (no code) picks the final None
    frame["chapter"] = chapter
    names = programme.parks.set_index("park_id")["name"].astype(str).to_dict() \
        if len(programme.parks) else {}
    return PreparedResources(
        frame=frame, crs=crs, lon=lon, lat=lat, x_m=x, y_m=y,
        tonnes=frame["tonnes_per_year"].to_numpy(dtype=float),
        located=located, direction=frame["direction"].astype(str).to_numpy(dtype=object),
        code=code, chapter=chapter, park=frame["park_id"].to_numpy(dtype=object),
        precision_rank=precision_rank(frame["location_precision"].fillna("")).to_numpy(),
        producer=pd.factorize(frame["site_id"].astype(str))[0].astype(np.int64),
        park_names=names)


@dataclass(frozen=True, eq=False)
class Selection:
    """The records a query selects, split into those drawn and those that cannot be.

    Attributes
    ----------
    query : ConcentrationQuery
    prepared : PreparedResources
    used : ndarray of bool
        Records drawn on the maps (match, located, precise enough, in t/yr).
    not_located_mask, imprecise_mask : ndarray of bool
        Records that match but have no coordinates / a location less precise than asked.
    not_in_tonnes : int
        Records that match the stream/direction/park filter but are not in t/yr.
    """

    query: ConcentrationQuery
    prepared: PreparedResources
    used: np.ndarray
    not_located_mask: np.ndarray
    imprecise_mask: np.ndarray
    not_in_tonnes: int

    @property
    def is_empty(self) -> bool:
        """Whether nothing can be drawn."""
        return not bool(self.used.any())

    @property
    def n_used(self) -> int:
        """Records drawn."""
        return int(self.used.sum())

    @property
    def n_not_located(self) -> int:
        """Matching records without coordinates (listed by :attr:`not_located`)."""
        return int(self.not_located_mask.sum())

    @property
    def n_imprecise(self) -> int:
        """Matching records located less precisely than ``query.min_precision``."""
        return int(self.imprecise_mask.sum())

    @cached_property
    def located(self) -> gpd.GeoDataFrame:
        """The records drawn (EPSG:4326, index of the programme's resources)."""
        return self.prepared.frame.loc[self.used]

    @cached_property
    def not_located(self) -> pd.DataFrame:
        """The matching records that have no coordinates: geocode them."""
        f = self.prepared.frame.loc[self.not_located_mask]
        return pd.DataFrame(f[[c for c in NOT_LOCATED_COLUMNS if c in f.columns]])

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(x_m, y_m, tonnes, producer) of the records drawn."""
        p, m = self.prepared, self.used
        return p.x_m[m], p.y_m[m], p.tonnes[m], p.producer[m]

    @property
    def total_tonnes(self) -> float:
        """Tonnes (t/yr) of the records drawn."""
        return float(self.prepared.tonnes[self.used].sum())

    @property
    def n_producers(self) -> int:
        """Distinct producers (sites) among the records drawn."""
        return len(pd.unique(self.prepared.producer[self.used]))

    def notes(self) -> list[str]:
        """One sentence per kind of matching record that is not drawn (none if all are)."""
        out = []
        if n := self.n_not_located:
            out.append(ngettext("{n} record not located — geocode it on the 'Locate records' "
                                "page.",
                                "{n} records not located — geocode them on the 'Locate "
                                "records' page.", n).format(n=format_number(n)))
        if n := self.n_imprecise:
            # Translators: {precision} is a location precision code (street, town…).
            out.append(ngettext("{n} record located less precisely than '{precision}' — "
                                "accept a coarser precision to draw it.",
                                "{n} records located less precisely than '{precision}' — "
                                "accept a coarser precision to draw them.", n).format(
                                    n=format_number(n), precision=self.query.min_precision))
        if n := self.not_in_tonnes:
            out.append(ngettext("{n} record in other units (m3/yr, MWh/yr) is not in tonnage "
                                "maps.",
                                "{n} records in other units (m3/yr, MWh/yr) are not in tonnage "
                                "maps.", n).format(n=format_number(n)))
        return out

    def empty_message(self) -> str:
        """Why nothing is drawn, and what to do (for the empty state)."""
        notes = self.notes() or [_("Widen the filter: another stream, direction or quantity "
                                   "range.")]
        return " ".join([_("No located records in t/yr match {query}.").format(
            query=self.query.describe()), *notes])


def stream_choices(catalogue: Catalogue | None = None) -> dict[str, str]:
    """Selectors a user can pick, with labels: stream groups first, then chapters."""
    cat = catalogue or load_catalogue()
    groups = cat.groups()
    # Stream group labels are ours (data/matching/streams.csv, in the catalogues); chapter
    # labels are the catalogue's own text.
    out = {g: _(label) for g, label in zip(groups["group"], groups["label"], strict=True)}
    out.update({c: cat.chapter_label(c)[:70] for c in cat.chapters()["code"]})
    return out


def select_resources(programme_or_prepared: Programme | PreparedResources,
                     query: ConcentrationQuery, *,
                     catalogue: Catalogue | None = None) -> Selection:
    """Apply a query: records to draw, and matching ones that cannot be drawn, counted.

    Parameters
    ----------
    programme_or_prepared : Programme or PreparedResources
        Pass the prepared arrays (cached) to make filter changes cheap.
    query : ConcentrationQuery
    catalogue : Catalogue, optional
        Resolves ``query.selectors``; default :func:`geo.catalogue.load_catalogue`.

    Raises
    ------
    CatalogueError
        For an unknown selector (the message names close matches).

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> sel = select_resources(load_demo_programme(), ConcentrationQuery(selectors=("02",)))
    >>> sel.n_used > 0, sel.n_not_located
    (True, 0)
    """
    prep = programme_or_prepared if isinstance(programme_or_prepared, PreparedResources) \
        else prepare_resources(programme_or_prepared, catalogue=catalogue)
    q = query
    base = np.ones(len(prep), dtype=bool)
    if q.direction != "any":
        base &= prep.direction_codes == DIRECTIONS.index(q.direction)
    if q.selectors:
        codes = (catalogue or load_catalogue()).codes_matching(q.selectors)
        inv, uniq = prep.code_factors
        allowed = np.array([u in codes for u in uniq] + [False], dtype=bool)
        base &= allowed[inv]  # -1 (no code) picks the final False
    if q.parks:
        base &= pd.Series(prep.park).isin(q.parks).to_numpy()
    t = prep.tonnes
    has_t = np.isfinite(t)
    in_range = has_t.copy()
    if q.min_tonnes is not None:
        in_range &= t >= q.min_tonnes
    if q.max_tonnes is not None:
        in_range &= t <= q.max_tonnes
    matched = base & in_range
    precise = prep.precision_rank <= PRECISIONS.index(q.min_precision)
    used = matched & prep.located & precise
    sel = Selection(query=q, prepared=prep, used=used,
                    not_located_mask=matched & ~prep.located,
                    imprecise_mask=matched & prep.located & ~precise,
                    not_in_tonnes=int((base & ~has_t).sum()))
    logger.debug("Selection %r: %d drawn, %d not located", q, sel.n_used,
                 sel.n_not_located)
    return sel


def park_totals(programme: Programme, selection: Selection) -> gpd.GeoDataFrame:
    """Tonnes, producers and records of the selection per park (EPSG:4326 polygons).

    Records of sites outside every park are totalled in a last row ``(outside parks)``
    with no geometry. For practitioners: viewers read park totals from the release
    (:func:`geo.concentrations.viewer.viewer_parks`).

    Returns
    -------
    GeoDataFrame
        ``park_id``, ``name``, ``tonnes``, ``producers``, ``records``, ``share`` (of the
        selection's tonnes); sorted by tonnes, largest first.
    """
    prep = selection.prepared
    m = selection.used
    df = pd.DataFrame({"park_id": pd.Series(prep.park[m], dtype=object).fillna(OUTSIDE_PARKS),
                       "tonnes": prep.tonnes[m], "producer": prep.producer[m]})
    agg = df.groupby("park_id").agg(tonnes=("tonnes", "sum"), producers=("producer", "nunique"),
                                    records=("tonnes", "size"))
    parks = programme.parks[["park_id", "name", "geometry"]]
    out = parks.merge(agg, left_on="park_id", right_index=True, how="left")
    if OUTSIDE_PARKS in agg.index:
        extra = gpd.GeoDataFrame(
            {"park_id": [OUTSIDE_PARKS], "name": [_(OUTSIDE_PARKS_NAME)],
             **{c: [agg.loc[OUTSIDE_PARKS, c]] for c in ("tonnes", "producers", "records")}},
            geometry=gpd.GeoSeries([None], crs="EPSG:4326"), crs="EPSG:4326")
        out = pd.concat([out, extra], ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
    out[["tonnes", "producers", "records"]] = out[["tonnes", "producers", "records"]].fillna(0)
    total = float(out["tonnes"].sum())
    out["share"] = out["tonnes"] / total if total > 0 else 0.0
    return out.sort_values("tonnes", ascending=False, kind="stable",
                           na_position="last").reset_index(drop=True)


# -- analyses of a selection (thin adapters over the array cores) ------------------------------

def _require(selection: Selection) -> None:
    if selection.is_empty:
        raise SymbiosisError(selection.empty_message())


def bandwidth_for_selection(selection: Selection) -> float:
    """A heat-map bandwidth for the selection (Silverman's spatial rule), rounded, metres.

    See :func:`geo.concentrations.density.default_bandwidth_m` for the rule on arrays.
    """
    x, y, t, _producers = selection.arrays()
    h = bandwidth_for_points(x, y, t)
    return float(round(h, -math.floor(math.log10(h)) + 1))


def heat_for_selection(selection: Selection, *, bandwidth_m: float) -> Surface:
    """Heat surface (t/yr per km²) of the selection (see :func:`kde_surface`)."""
    _require(selection)
    x, y, t, p = selection.arrays()
    assert selection.prepared.crs is not None
    return kde_surface(x, y, t, crs=selection.prepared.crs,
                       params=KDEParams(bandwidth_m=bandwidth_m), producers=p)


def within_radius_for_selection(selection: Selection, *, radius_m: float) -> Surface:
    """Tonnes (t/yr) of the selection within ``radius_m`` of every cell (the Catchment view)."""
    _require(selection)
    x, y, t, p = selection.arrays()
    assert selection.prepared.crs is not None
    return within_radius_surface(x, y, t, crs=selection.prepared.crs,
                                 params=RadiusParams(radius_m=radius_m), producers=p)


def hexagons_for_selection(selection: Selection, *, resolution: int | None = None
                           ) -> gpd.GeoDataFrame:
    """Hexagon totals of the selection's records (for practitioners; viewers read
    :func:`geo.concentrations.viewer.viewer_cells`)."""
    _require(selection)
    prep, m = selection.prepared, selection.used
    base = prep.base_cells[m]
    if resolution is None:
        lon, lat = prep.lon[m], prep.lat[m]
        resolution = choose_resolution(base, (lon.min(), lat.min(), lon.max(), lat.max()))
    totals = hexagon_totals(parent_cells(base, resolution), prep.tonnes[m], prep.producer[m])
    return hexagons_gdf(totals)


def clusters_for_selection(selection: Selection, *, eps_m: float,
                           min_tonnes: float) -> gpd.GeoDataFrame:
    """Named resource clusters of the selection (as :func:`~geo.concentrations.find_clusters`)."""
    _require(selection)
    prep, m = selection.prepared, selection.used
    assert prep.crs is not None
    names = pd.Series(prep.park[m], dtype=object).map(prep.park_names).to_numpy(dtype=object)
    return clusters_from_arrays(prep.x_m[m], prep.y_m[m], prep.tonnes[m], crs=prep.crs,
                                params=ClusterParams(eps_m=eps_m, min_tonnes=min_tonnes),
                                producers=prep.producer[m], chapters=prep.chapter[m],
                                place_names=names)
