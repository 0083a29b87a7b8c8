"""Searching a programme's resources by several criteria at once.

A :class:`ResourceQuery` holds the criteria (all optional, combined with AND):
catalogue selectors (entry codes, chapters or subchapters, stream groups — resolved by
:meth:`geo.catalogue.Catalogue.codes_matching`), have/want, a quantity range, parks, sectors
(NACE prefixes), the hazardous flag and a distance from a point. Distances are measured in
metres in an azimuthal equidistant projection centred on the point (exact distances from the
centre), never in degrees.

Viewers do not search records: :func:`search_release` answers a :class:`ReleaseQuery` — a
direction, catalogue selectors (answered with the nearest release streams) and parks — from
the programme's protected release, within the viewer's scope (a park authority's parks).
Quantity, code, sector, hazard and distance filters are not offered to them: any two such
filters over records could be subtracted from each other.

Examples
--------
>>> from geo.demo import load_demo_programme
>>> prog = load_demo_programme()
>>> hits = search_resources(prog, ResourceQuery(groups=("plastics",), direction="have"))
>>> bool((hits["direction"] == "have").all())
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.errors import SymbiosisError
from geo.i18n import _, format_number
from geo.programme import DIRECTIONS, UNITS, Programme, resources_with_sites

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.disclosure import ProgrammeRelease

__all__ = ["MAX_RADIUS_M", "ReleaseAnswer", "ReleaseQuery", "ResourceQuery", "search_release",
           "search_resources"]

MAX_RADIUS_M: Final = 20_037_509.0
"""Half the Earth's circumference: no two places are farther apart (m)."""

_NACE_PREFIX: Final = re.compile(r"^(?:[A-U]\s*)?(\d{2}(?:\.\d{0,2})?)$")


def _strings(value: object, name: str) -> tuple[str, ...]:
    items: Iterable[object] = (value,) if isinstance(value, str) else value  # type: ignore[assignment]
    try:
        out = tuple(str(v).strip() for v in items)
    except TypeError as exc:
        msg = _("{name} must be a list of strings, got {value!r}.").format(name=name,
                                                                           value=value)
        raise SymbiosisError(msg) from exc
    if any(not v for v in out):
        msg = _("{name} must not contain empty strings, got {value!r}.").format(name=name,
                                                                                value=value)
        raise SymbiosisError(msg)
    return out


def _number(value: object, name: str, *, low: float, high: float) -> float | None:
    if value is None:
        return None
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not low <= float(value) <= high:  # type: ignore[arg-type]
        # Translators: {name} is a parameter name, e.g. quantity_min.
        msg = _("{name} must be a number within [{low}, {high}], got {value!r}.").format(
            name=name, low=f"{low:g}", high=f"{high:g}", value=value)
        raise SymbiosisError(msg)
    return float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ResourceQuery:
    """Criteria for :func:`search_resources` (each optional; all given ones must hold).

    Parameters
    ----------
    selectors : tuple of str
        Any mix of entry codes, chapters, subchapters and stream groups (as typed in one
        search box); joined with ``codes``, ``chapters`` and ``groups``.
    codes : tuple of str
        Catalogue entry codes (``"150102"``, ``"15 01 02*"``).
    chapters : tuple of str
        Chapters (``"02"``) or subchapters (``"0203"``).
    groups : tuple of str
        Stream groups of the catalogue (``"plastics"``, ``"organics"``).
    direction : {"have", "want"}, optional
    quantity_min, quantity_max : float, optional
        Bounds on ``quantity`` in the row's own unit (≥ 0); set ``unit`` to compare like
        with like. Rows without a quantity are left out when a bound is set.
    unit : {"t/yr", "m3/yr", "MWh/yr"}, optional
    parks : tuple of str
        ``park_id`` values.
    sectors : tuple of str
        NACE prefixes: ``"20"`` matches 20.1 and 20.14; a section letter is ignored
        (``"C20.1"``).
    hazardous : bool, optional
    near : (float, float, float) or (float, float), optional
        ``(lon, lat, radius_m)``: a point in degrees (EPSG:4326) and a distance from it in
        metres, within (0, :data:`MAX_RADIUS_M`]. ``(lon, lat)`` with ``radius_m`` works
        too; after validation ``near`` is ``(lon, lat)`` and ``radius_m`` is set.
    radius_m : float, optional

    A code, chapter or group selector matches a row when the row's code is among the
    union of what the selectors select. Invalid values raise :class:`SymbiosisError`
    naming the allowed range.
    """

    selectors: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    chapters: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    direction: str | None = None
    quantity_min: float | None = None
    quantity_max: float | None = None
    unit: str | None = None
    parks: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    hazardous: bool | None = None
    near: tuple[float, float] | tuple[float, float, float] | None = None
    radius_m: float | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in ("selectors", "codes", "chapters", "groups", "parks", "sectors"):
            set_(self, name, _strings(getattr(self, name), name))
        prefixes = []
        for sector in self.sectors:
            m = _NACE_PREFIX.match(sector.upper())
            if m is None:
                msg = _("sectors are NACE prefixes such as '20', '20.1' or 'C20.14', got "
                        "{sector!r}.").format(sector=sector)
                raise SymbiosisError(msg)
            prefixes.append(m.group(1).rstrip("."))
        set_(self, "sectors", tuple(prefixes))
        if self.direction is not None and self.direction not in DIRECTIONS:
            msg = _("direction must be one of {choices} or None, got {direction!r}.").format(
                choices=DIRECTIONS, direction=self.direction)
            raise SymbiosisError(msg)
        if self.unit is not None and self.unit not in UNITS:
            msg = _("unit must be one of {choices} or None, got {unit!r}.").format(
                choices=UNITS, unit=self.unit)
            raise SymbiosisError(msg)
        qmin = _number(self.quantity_min, "quantity_min", low=0, high=math.inf)
        qmax = _number(self.quantity_max, "quantity_max", low=0, high=math.inf)
        if qmin is not None and qmax is not None and qmin > qmax:
            msg = _("The minimum quantity ({low}) is above the maximum ({high}): lower the "
                    "minimum or raise the maximum.").format(
                low=format_number(qmin), high=format_number(qmax))
            raise SymbiosisError(msg)
        set_(self, "quantity_min", qmin)
        set_(self, "quantity_max", qmax)
        if self.hazardous is not None and not isinstance(self.hazardous, bool | np.bool_):
            msg = _("hazardous must be True, False or None, got {value!r}.").format(
                value=self.hazardous)
            raise SymbiosisError(msg)
        self._check_near()

    def _check_near(self) -> None:
        near: tuple[object, ...] | None = None
        if self.near is not None:
            try:
                near = tuple(self.near)
            except TypeError:
                near = (self.near,)
        if near is not None and len(near) == 3:
            if self.radius_m is not None and self.radius_m != near[2]:
                msg = _("near=(lon, lat, radius_m) gives radius {near!r} but radius_m is "
                        "{radius!r}; give the radius once.").format(near=near[2],
                                                                    radius=self.radius_m)
                raise SymbiosisError(msg)
            object.__setattr__(self, "radius_m", near[2])
            near = near[:2]
        if (near is None) != (self.radius_m is None):
            msg = _("near=(lon, lat) needs radius_m (or use near=(lon, lat, radius_m)), got "
                    "near={near!r}, radius_m={radius!r}.").format(near=self.near,
                                                                  radius=self.radius_m)
            raise SymbiosisError(msg)
        if near is None:
            return
        if len(near) != 2:
            msg = _("near must be (lon, lat) or (lon, lat, radius_m), got {near!r}.").format(
                near=self.near)
            raise SymbiosisError(msg)
        point = (_number(near[0], "near lon", low=-180, high=180),
                 _number(near[1], "near lat", low=-90, high=90))
        object.__setattr__(self, "near", point)
        radius = _number(self.radius_m, "radius_m", low=0, high=MAX_RADIUS_M)
        if not radius:
            msg = _("radius_m must be within (0, {limit}] metres, got {radius!r}.").format(
                limit=format_number(MAX_RADIUS_M), radius=radius)
            raise SymbiosisError(msg)
        object.__setattr__(self, "radius_m", radius)

    @property
    def all_selectors(self) -> tuple[str, ...]:
        """Every catalogue selector (selectors, codes, chapters, groups) together."""
        return (*self.selectors, *self.codes, *self.chapters, *self.groups)


def _distance_m(geoms: gpd.GeoSeries, lon: float, lat: float) -> pd.Series:
    """Metres from (lon, lat) to each geometry (NaN when missing/empty), via a local AEQD."""
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    arr = geoms.to_numpy()
    present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    out = np.full(len(arr), np.nan)
    if present.any():
        projected = gpd.GeoSeries(arr[present], crs=geoms.crs).to_crs(aeqd)
        out[present] = projected.distance(shapely.Point(0.0, 0.0)).to_numpy()
    return pd.Series(out, index=geoms.index)


def search_resources(programme: Programme, query: ResourceQuery, *,
                     catalogue: Catalogue | None = None) -> gpd.GeoDataFrame:
    """Resources of ``programme`` that meet every criterion of ``query``.

    Parameters
    ----------
    programme : Programme
    query : ResourceQuery
    catalogue : Catalogue, optional
        Resolves code, chapter and group selectors (default: the settings' catalogue).

    Returns
    -------
    GeoDataFrame
        Rows of :func:`geo.programme.resources_with_sites` (index preserved, EPSG:4326);
        with ``near`` set, a ``distance_m`` column (metres) and ``attrs["unlocated"]``, the
        number of resources left out because their site has no location.

    Raises
    ------
    SymbiosisError
        For an unknown selector (:class:`~geo.errors.CatalogueError` naming close matches).
    """
    res = resources_with_sites(programme)
    keep = pd.Series(True, index=res.index)
    if query.all_selectors:
        if catalogue is None:
            from geo.catalogue import load_catalogue

            catalogue = load_catalogue()
        wanted = catalogue.codes_matching(query.all_selectors)
        keep &= catalogue.normalise_codes(res["ewc_code"]).isin(list(wanted))
    if query.direction is not None:
        keep &= res["direction"] == query.direction
    if query.unit is not None:
        keep &= res["unit"] == query.unit
    qty = pd.to_numeric(res["quantity"], errors="coerce")
    if query.quantity_min is not None:
        keep &= qty >= query.quantity_min
    if query.quantity_max is not None:
        keep &= qty <= query.quantity_max
    if query.parks:
        keep &= res["park_id"].isin(list(query.parks))
    if query.sectors:
        nace = res["sector_nace"].astype("str").fillna("")
        hits = [(nace == p) | nace.str.startswith(p + ".") if len(p) == 2  # a division
                else nace.str.startswith(p) for p in query.sectors]  # a group or class
        keep &= pd.concat(hits, axis=1).any(axis=1)
    if query.hazardous is not None:
        keep &= res["hazardous"].fillna(False).astype(bool) == bool(query.hazardous)
    distance = None
    if query.near is not None and query.radius_m is not None:
        distance = _distance_m(res.geometry, *query.near)
        unlocated = int((keep & distance.isna()).sum())
        keep &= distance <= query.radius_m
    out = res[keep.to_numpy()].copy()
    if distance is not None:
        out["distance_m"] = distance[keep]
        out.attrs["unlocated"] = unlocated
    return out


@dataclass(frozen=True)
class ReleaseQuery:
    """What a viewer may ask of a programme's protected release.

    Parameters
    ----------
    direction : {"have", "want"}
    selectors : tuple of str
        Catalogue selectors (codes, chapters, stream groups); answered with the release
        streams holding any selected code (all streams when empty).
    parks : tuple of str
        ``park_id`` values: one row per stream and park; empty: stream totals (a park
        authority always gets its parks).
    """

    direction: Literal["have", "want"] = "have"
    selectors: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            msg = _("direction must be one of {choices}, got {direction!r}.").format(
                choices=DIRECTIONS, direction=self.direction)
            raise SymbiosisError(msg)
        object.__setattr__(self, "selectors", _strings(self.selectors, "selectors"))
        object.__setattr__(self, "parks", _strings(self.parks, "parks"))


@dataclass(frozen=True)
class ReleaseAnswer:
    """The release's figures for a :class:`ReleaseQuery`.

    Attributes
    ----------
    table : DataFrame
        ``stream``, ``label``, (``park_id``, ``park``), ``tonnes_per_year``, ``producers``,
        ``records`` (blank where withheld) and ``status`` (``released`` or ``withheld``).
    streams : tuple of str
        The release streams answered.
    exact : bool
        False when the selectors were answered with the nearest release streams (whole
        streams holding codes that were not selected).
    """

    table: pd.DataFrame
    streams: tuple[str, ...]
    exact: bool

    @property
    def released(self) -> int:
        """Rows with a released figure."""
        return int((self.table["status"] == "released").sum())


def search_release(release: ProgrammeRelease, query: ReleaseQuery, *, catalogue: Catalogue,
                   scope_parks: tuple[str, ...] = ()) -> ReleaseAnswer:
    """A viewer's figures: the release's stream (× park) table for ``query``.

    ``scope_parks`` is the viewer's scope (a park authority's parks; empty: the whole
    programme). A park outside the scope is refused; with a scope, rows are always per park.

    Examples
    --------
    >>> from geo.catalogue import load_catalogue
    >>> from geo.demo import load_demo_programme
    >>> from geo.disclosure import build_release
    >>> cat = load_catalogue()
    >>> release = build_release(load_demo_programme(), catalogue=cat)
    >>> answer = search_release(release, ReleaseQuery("have", ("02",)), catalogue=cat)
    >>> answer.exact, set(answer.table["status"]) <= {"released", "withheld"}
    (False, True)
    """
    from geo.disclosure import streams_for_selectors

    if scope_parks and (outside := sorted(set(query.parks) - set(scope_parks))):
        msg = _("Parks {parks!r} are outside your grant ({granted!r}).").format(
            parks=outside, granted=list(scope_parks))
        raise SymbiosisError(msg)
    parks = list(query.parks or scope_parks)
    if query.selectors:
        streams, exact = streams_for_selectors(release, catalogue, query.selectors)
    else:
        streams, exact = release.streams["stream"].tolist(), True
    table = release.stream_table(query.direction, parks=parks)
    table = table[table["stream"].isin(streams)].copy()
    if parks:
        names = dict(zip(release.parks["park_id"], release.parks["name"], strict=True))
        table = table.rename(columns={"park": "park_id"})
        table.insert(3, "park", table["park_id"].map(names).fillna(table["park_id"]))
        # released figures first: every stream has its row in every park, most withheld
        table = table.sort_values(["withheld", "stream", "park_id"], kind="stable")
    table["status"] = np.where(table.pop("withheld"), "withheld", "released")
    table = table.rename(columns={"tonnes": "tonnes_per_year"}).reset_index(drop=True)
    return ReleaseAnswer(table=table, streams=tuple(streams), exact=exact)
