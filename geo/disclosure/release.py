"""The protected release of a programme: every figure a viewer may see, computed once.

Viewers (park authorities, investors, logistics planners) never query records. They read one
:class:`ProgrammeRelease`, built once per data version: for haves and for wants, a tree of
tonnage totals

    all records → stream → park → hexagon (coarse) → hexagon (middle) → hexagon (fine)

protected by :func:`geo.disclosure.tree.protect_tree`. Every viewer figure — tables, maps,
surfaces, clusters, site scores, downloads — is a released node or a function of released
nodes, so no combination of views, filters or downloads tells a viewer more than the release.

- **Streams** are a partition of the catalogue: each code counts once, in the first stream
  group (catalogue order) that holds it; codes in no group fall under ``other``
  (:func:`release_streams`). A viewer's "packaging" therefore excludes plastic packaging,
  which counts under "plastics"; the page says so.
- **Parks**: the site's park, or ``(outside parks)``.
- **Hexagons**: H3 cells at three fixed resolutions chosen from the site positions
  (:func:`fine_resolution`: about ten sites per occupied fine cell; middle and coarse one and
  two levels up).
- Only t/yr records of located sites count (location precision town or better).

What a viewer cannot do, by design: filter by quantity, by code or chapter, by distance, or
pick another hexagon resolution — the nearest release is shown and the page says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely

from geo.concentrations.hexagons import (
    H3_BASE_RES,
    cells_for_points,
    parent_cells,
)
from geo.disclosure.rules import DEFAULT_RULES, DisclosureRules
from geo.disclosure.tree import MAX_WITHDRAWN_SHARE, ProtectedTree, protect_tree
from geo.errors import ConfidentialityError
from geo.hexcells import cell_centres, cells_to_polygons, cells_to_str, str_to_cells
from geo.i18n import N_, _
from geo.lazy import Memo, cached_property
from geo.programme import PRECISIONS, precision_rank, tonnes_per_year

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.programme import Programme

__all__ = [
    "HEX_LEVELS",
    "LEVELS",
    "OTHER_STREAM",
    "OUTSIDE_PARKS",
    "MassPoints",
    "ProgrammeRelease",
    "ReleaseTrees",
    "build_release",
    "code_streams",
    "fine_resolution",
    "release_records",
    "release_streams",
    "streams_for_selectors",
]

logger = logging.getLogger(__name__)

Direction = Literal["have", "want"]
HexLevel = Literal["coarse", "middle", "fine"]
HEX_LEVELS: Final[tuple[HexLevel, ...]] = ("coarse", "middle", "fine")
LEVELS: Final = ("stream", "park", "coarse", "middle", "fine")
OTHER_STREAM: Final = "other"
OUTSIDE_PARKS: Final = "(outside parks)"
MEMO_ENTRIES: Final = 32
"""Values a release keeps for its viewers (:attr:`ProgrammeRelease.memo`): surfaces of up to a
million cells and their pictures, and bandwidths and radii are typed freely, so few; as many
as the practitioners' surface caches keep for the whole process (``ui.runs``)."""
LEAST_PRECISE: Final = "town"
"""Least precise site location a released record may have."""


def release_streams(catalogue: Catalogue) -> pd.DataFrame:
    """The partition of entry codes into release streams: columns ``stream``, ``label``, ``codes``.

    Each code belongs to the first stream group (catalogue order) that holds it; codes of no
    group form :data:`OTHER_STREAM`.
    """
    taken: set[str] = set()
    rows = []
    for g in catalogue.groups().itertuples(index=False):
        codes = set(catalogue.codes_matching([str(g.group)])) - taken
        taken |= codes
        rows.append((str(g.group), str(g.label), frozenset(codes)))
    rest = set(catalogue.entries["code"]) - taken
    # Labels are kept as written (English group labels, the catalogue's chapter text) and
    # translated where shown (Release.stream_labels).
    rows.append((OTHER_STREAM, N_("Other streams (in no stream group)"), frozenset(rest)))
    return pd.DataFrame(rows, columns=["stream", "label", "codes"])


@dataclass(frozen=True)
class MassPoints:
    """Tonnage placed at points for drawing surfaces, all from released figures.

    Attributes
    ----------
    lon, lat, tonnes : ndarray
        Released fine cells at their centres, and each released node's remainder ``H``
        spread evenly over its own cell's fine cells (for a park, over the park's fine cells);
        one point per fine cell, its masses added.
    unplaced_tonnes : float
        Released tonnage with no place finer than a stream or "outside parks" (not drawn).
    """

    lon: np.ndarray
    lat: np.ndarray
    tonnes: np.ndarray
    unplaced_tonnes: float


class ReleaseTrees(Mapping[str, ProtectedTree]):
    """Direction → its protected tree, each protected when first read and then kept.

    After an import every reader's next page waits for the release at the new data version;
    a viewer of haves then waits for the haves' tree alone (the wants' tree, about half of
    the work, is built by the first page that reads wants). Safe to read from several
    sessions' threads at once: each tree is built once.

    Examples
    --------
    >>> calls = []
    >>> trees = ReleaseTrees({"have": lambda: calls.append("have") or "H",
    ...                       "want": lambda: calls.append("want") or "W"})
    >>> ("want" in trees, sorted(trees), calls)
    (True, ['have', 'want'], [])
    >>> (trees["have"], trees["have"], calls)
    ('H', 'H', ['have'])
    """

    def __init__(self, builders: Mapping[str, Callable[[], ProtectedTree]]) -> None:
        self._builders: dict[str, Callable[[], ProtectedTree] | None] = dict(builders)
        self._built: dict[str, ProtectedTree] = {}
        self._locks = {d: threading.Lock() for d in builders}

    def __getitem__(self, direction: str) -> ProtectedTree:
        tree = self._built.get(direction)
        if tree is not None:
            return tree
        if direction not in self._locks:
            raise KeyError(direction)
        with self._locks[direction]:
            if direction not in self._built:
                build = self._builders[direction]
                assert build is not None  # dropped only once built
                self._built[direction] = build()
                self._builders[direction] = None  # its records are no longer needed
            return self._built[direction]

    def __contains__(self, direction: object) -> bool:
        return direction in self._locks  # without building it

    @classmethod
    def from_built(cls, trees: Mapping[str, ProtectedTree]) -> ReleaseTrees:
        """Trees already built, with nothing left to build (a pickled release arriving)."""
        out = cls({})
        out._built = dict(trees)
        out._builders = dict.fromkeys(trees)
        out._locks = {d: threading.Lock() for d in trees}
        return out

    def __reduce__(self) -> tuple[Callable[..., ReleaseTrees], tuple[dict[str, ProtectedTree]]]:
        """Pickled with every tree built (a release built in another process arrives whole)."""
        return ReleaseTrees.from_built, (self.build_all(),)

    def build_all(self) -> dict[str, ProtectedTree]:
        """Every direction's tree, each built now if it was not yet."""
        return {d: self[d] for d in self._locks}

    def __iter__(self) -> Iterator[str]:
        return iter(self._locks)

    def __len__(self) -> int:
        return len(self._locks)


@dataclass(frozen=True)
class ProgrammeRelease:
    """Everything a viewer may see of a programme's tonnages (see the module docstring).

    Attributes
    ----------
    programme : str
    rules : DisclosureRules
    resolutions : dict
        H3 resolution of each hexagon level.
    streams : DataFrame
        From :func:`release_streams`.
    trees : mapping
        ``have`` / ``want`` → :class:`ProtectedTree` over :data:`LEVELS` (from
        :func:`build_release`, a :class:`ReleaseTrees`: each built when first read).
    parks : GeoDataFrame
        Park ids, names and outlines (EPSG:4326).
    memo : Memo
        What pages derive alike from this release (a selection's points, its heat map …),
        computed once and shared by every session that reads it: a function of the release
        and the selection only, like every figure here.
    """

    programme: str
    rules: DisclosureRules
    resolutions: dict[str, int]
    streams: pd.DataFrame
    trees: Mapping[str, ProtectedTree]
    parks: gpd.GeoDataFrame = field(repr=False)
    memo: Memo = field(default_factory=lambda: Memo(max_entries=MEMO_ENTRIES), repr=False,
                       compare=False)

    # -- tables -------------------------------------------------------------------------------

    def _nodes(self, direction: Direction) -> pd.DataFrame:
        if direction not in self.trees:
            msg = _("direction must be 'have' or 'want', got {direction!r}.").format(
                direction=direction)
            raise ConfidentialityError(msg)
        return self.trees[direction].nodes

    def stream_labels(self) -> dict[str, str]:
        """Release stream → label in the session's language (stream group labels are ours,
        chapter labels the catalogue's own text; the release keeps them as written)."""
        return {s: _(label) for s, label in zip(self.streams["stream"], self.streams["label"],
                                                  strict=True)}

    def _all_streams(self, nodes: pd.DataFrame) -> list[str]:
        """Every release stream, in the release's order (and any other the tree holds)."""
        known = list(self.streams["stream"])
        return [*known, *sorted(set(nodes.loc[nodes["depth"] == 1, "stream"]) - set(known))]

    def _all_parks(self, nodes: pd.DataFrame) -> list[str]:
        """Every park of the release and "outside parks" (and any other the tree holds)."""
        known = [*self.parks["park_id"], OUTSIDE_PARKS]
        return [*known, *sorted(set(nodes.loc[nodes["depth"] == 2, "park"]) - set(known))]

    def total(self, direction: Direction, *, streams: Sequence[str] = (),
              parks: Sequence[str] = ()) -> float | None:
        """Released tonnes of a selection, or None when it cannot be shown.

        The whole direction's total, one stream, or one stream in one park are single released
        figures; a selection of several is the sum of its released figures, shown only when
        each of them is released (otherwise None: part of it is withheld). A stream with no
        record (in a park, or at all) is not released either: telling "none" from "withheld"
        would say which streams a park's few companies have.
        """
        nodes = self._nodes(direction)
        if nodes.empty and not streams and not parks:
            return 0.0  # a programme with no record in this direction: nothing to protect
        want_streams: list[str | None] = [*streams] or [None]
        want_parks: list[str | None] = [*parks] or [None]
        total = 0.0
        for s in want_streams:
            for p in want_parks:
                depth = 0 if s is None else (1 if p is None else 2)
                if s is None and p is not None:
                    return None  # all streams in a park is not a released figure
                sel = nodes[nodes["depth"] == depth]
                if s is not None:
                    sel = sel[sel["stream"] == s]
                if p is not None:
                    sel = sel[sel["park"] == p]
                if sel.empty or not bool(sel["published"].iloc[0]):
                    return None
                total += float(sel["tonnes"].iloc[0])
        return total

    def stream_table(self, direction: Direction, *, parks: Sequence[str] = ()) -> pd.DataFrame:
        """Per release stream: tonnes and producers where released (``withheld`` otherwise).

        With ``parks``, the figures are those of the stream in each of those parks (one row per
        stream and park). Every release stream (and park) has its row: one with no record is
        withheld like a protected one, so the rows never tell which streams a park holds.
        """
        nodes = self._nodes(direction)
        labels = self.stream_labels()
        streams = self._all_streams(nodes)
        if parks:
            sel = nodes[(nodes["depth"] == 2) & nodes["park"].isin(list(parks))]
            cols = ["stream", "park"]
            grid = pd.MultiIndex.from_product([streams, list(dict.fromkeys(parks))],
                                              names=cols).to_frame(index=False)
        else:
            sel = nodes[nodes["depth"] == 1]
            cols = ["stream"]
            grid = pd.DataFrame({"stream": streams})
        figures = sel[[*cols, "tonnes", "producers", "records", "published"]]
        out = grid.merge(figures, on=cols, how="left")
        out["published"] = out["published"].fillna(False).astype(bool)
        out.insert(1, "label", out["stream"].map(labels).fillna(out["stream"]))
        out["withheld"] = ~out["published"]
        for col in ("tonnes", "producers", "records"):
            out[col] = out[col].astype(float).where(out["published"])
        return (out.drop(columns="published")
                .sort_values(["withheld", "tonnes"], ascending=[True, False], kind="stable")
                .reset_index(drop=True))

    def park_table(self, direction: Direction, *, streams: Sequence[str] = ()) -> pd.DataFrame:
        """Per park: released tonnes of the chosen streams (all streams when none chosen).

        ``tonnes`` sums the released stream-in-park figures; ``complete`` says whether every
        chosen stream was released in the park (otherwise the sum may be a lower bound);
        ``withheld_streams`` counts the others. A stream with no record in the park counts as
        withheld, so neither column tells which or how many streams a park holds. Every park
        of the release and "outside parks" has its row.
        """
        nodes = self._nodes(direction)
        chosen = list(dict.fromkeys(streams)) or self._all_streams(nodes)
        grid = pd.MultiIndex.from_product([self._all_parks(nodes), chosen],
                                          names=["park", "stream"]).to_frame(index=False)
        sel = nodes.loc[nodes["depth"] == 2, ["park", "stream", "tonnes", "published"]]
        cells = grid.merge(sel, on=["park", "stream"], how="left")
        published = cells["published"].fillna(False).astype(bool)
        out = (pd.DataFrame({"park_id": cells["park"].to_numpy(),
                             "tonnes": cells["tonnes"].where(published, 0.0).astype(float),
                             "released_streams": published.astype(int),
                             "withheld_streams": (~published).astype(int)})
               .groupby("park_id", sort=True).sum().reset_index())
        out["complete"] = out["withheld_streams"] == 0
        names = dict(zip(self.parks["park_id"], self.parks["name"], strict=True))
        out.insert(1, "name", out["park_id"].map(names).fillna(out["park_id"]))
        return out

    def cells(self, direction: Direction, *, level: HexLevel = "fine",
              streams: Sequence[str] = (), parks: Sequence[str] = ()) -> gpd.GeoDataFrame:
        """Released hexagons at one fixed level, summed over the chosen streams and parks.

        Returns a GeoDataFrame (EPSG:4326): ``h3_cell``, ``resolution``, ``tonnes`` (sum of
        the released figures in the cell), ``figures`` (how many released figures it sums),
        ``producers`` (when a single stream and park is chosen, else NaN). Withheld figures
        are not drawn and not listed.
        """
        depth = 3 + HEX_LEVELS.index(level)
        nodes = self._nodes(direction)
        sel = nodes[(nodes["depth"] == depth) & nodes["published"]]
        if streams:
            sel = sel[sel["stream"].isin(list(streams))]
        if parks:
            sel = sel[sel["park"].isin(list(parks))]
        grouped = sel.groupby(level, sort=True).agg(
            tonnes=("tonnes", "sum"), figures=("tonnes", "size"),
            producers=("producers", "sum")).reset_index().rename(columns={level: "h3_cell"})
        single = len(streams) == 1 and len(parks) == 1
        if not single:
            grouped["producers"] = np.nan
        grouped.insert(1, "resolution", self.resolutions[level])
        geoms = cells_to_polygons(str_to_cells(grouped["h3_cell"].to_numpy(dtype=object)))
        return gpd.GeoDataFrame(grouped, geometry=geoms, crs="EPSG:4326")

    # -- surfaces -----------------------------------------------------------------------------

    def mass_points(self, direction: Direction, *, streams: Sequence[str] = (),
                    parks: Sequence[str] = ()) -> MassPoints:
        """Released tonnage as points, for heat and within-radius surfaces (see MassPoints)."""
        nodes = self._nodes(direction)
        sel = nodes[nodes["published"] & (nodes["depth"] >= 1)]
        if streams:
            sel = sel[sel["stream"].isin(list(streams))]
        if parks:
            sel = sel[sel["park"].isin(list(parks))]
        fine = self.resolutions["fine"]
        sel = sel[sel["hidden_tonnes"] > 0]
        cells: list[str] = []
        tonnes: list[np.ndarray] = []
        unplaced = float(sel.loc[sel["depth"] <= 1, "hidden_tonnes"].sum())
        for depth, part in sel[sel["depth"] >= 2].groupby("depth", sort=True):
            if depth == 2:
                where = [self._park_cell_index.get(str(p), ()) for p in part["park"]]
            elif depth < 5:
                where = [tuple(h3.cell_to_children(str(c), fine))
                         for c in part[LEVELS[int(depth) - 1]]]
            else:
                where = [(str(c),) for c in part[LEVELS[int(depth) - 1]]]
            counts = np.fromiter((len(w) for w in where), int, len(where))
            mass = part["hidden_tonnes"].to_numpy(float)
            unplaced += float(mass[counts == 0].sum())
            cells.extend(c for w in where for c in w)
            tonnes.append(np.repeat(mass / np.maximum(counts, 1), counts))
        if not cells:
            return MassPoints(np.zeros(0), np.zeros(0), np.zeros(0), unplaced)
        per_cell = pd.Series(np.concatenate(tonnes), index=cells).groupby(level=0).sum()
        centres = cell_centres(str_to_cells(per_cell.index.to_numpy(dtype=object)))
        return MassPoints(centres[:, 1].copy(), centres[:, 0].copy(),
                          per_cell.to_numpy(float), unplaced)

    def _park_cells(self, park: str) -> list[str]:
        return list(self._park_cell_index.get(park, ()))

    @cached_property
    def _park_cell_index(self) -> dict[str, tuple[str, ...]]:
        """Park id → its fine cells (those whose centre lies inside, else the one holding a
        point of it); computed once per release."""
        fine = self.resolutions["fine"]
        out: dict[str, tuple[str, ...]] = {}
        for park, geom in zip(self.parks["park_id"], self.parks.geometry, strict=True):
            if geom is None or geom.is_empty:
                continue
            cells = h3.h3shape_to_cells(h3.geo_to_h3shape(geom.__geo_interface__), fine)
            if not cells:
                c = geom.representative_point()
                cells = [h3.latlng_to_cell(c.y, c.x, fine)]
            out[str(park)] = tuple(sorted(cells))
        return out

    # -- what a viewer still gets -------------------------------------------------------------

    def share_released(self, direction: Direction, level: str) -> float:
        """Share (0–1) of the direction's tonnes released at ``level`` (``park``, ``fine``…)."""
        return self.trees[direction].share_released(LEVELS.index(level) + 1)


def code_streams(streams: pd.DataFrame) -> dict[str, str]:
    """Catalogue code → its release stream, from a release's ``streams`` table (a code in no
    stream group is in :data:`OTHER_STREAM`)."""
    return {c: s for s, codes in zip(streams["stream"], streams["codes"], strict=True)
            for c in codes}


def release_records(programme: Programme, catalogue: Catalogue, streams: pd.DataFrame
                    ) -> pd.DataFrame:
    """The records a release is built from: one row per located, precise enough, t/yr record.

    Columns ``direction``, ``stream`` (release stream, or :data:`OTHER_STREAM`), ``park``
    (or :data:`OUTSIDE_PARKS`), ``site_id`` (text, as categoricals), ``tonnes``, ``lon``,
    ``lat``. Records without a place precise enough or without a tonnage are not in any
    release.

    A site's place, precision and park are looked up once per site and a code's stream once
    per distinct code: this runs after every import, for every reader's next page.
    """
    res, sites = programme.resources, programme.sites
    site_ids = sites["site_id"].astype(str).to_numpy(dtype=object)
    at = pd.Index(site_ids).get_indexer(res["site_id"].astype(str))  # -1: no such site
    geoms = sites.geometry
    shapes = np.asarray(geoms.values, dtype=object)
    located = ~shapely.is_missing(shapes) & ~shapely.is_empty(shapes)
    precise = (precision_rank(sites["location_precision"].fillna("not_found"))
               <= PRECISIONS.index(LEAST_PRECISE)).to_numpy()
    lon = np.full(len(sites), np.nan)
    lat = np.full(len(sites), np.nan)
    lon[located], lat[located] = geoms[located].x.to_numpy(), geoms[located].y.to_numpy()
    tonnes = pd.to_numeric(tonnes_per_year(res), errors="coerce").to_numpy(float)
    safe_at = np.where(at >= 0, at, 0)
    keep = (at >= 0) & located[safe_at] & precise[safe_at] & (tonnes >= 0)  # NaN fails
    at = at[keep]
    park = (sites["park_id"].astype("string").fillna(OUTSIDE_PARKS)
            .replace("", OUTSIDE_PARKS).to_numpy(dtype=object))
    code_stream = code_streams(streams)
    codes, distinct = pd.factorize(res["ewc_code"].to_numpy(dtype=object)[keep],
                                   use_na_sentinel=False)
    stream = (catalogue.normalise_codes(pd.Series(distinct, dtype=object)).map(code_stream)
              .fillna(OTHER_STREAM).to_numpy(dtype=object))
    direction, directions = pd.factorize(res["direction"].to_numpy(dtype=object)[keep],
                                         use_na_sentinel=False)
    return pd.DataFrame({
        "direction": _categorical(np.asarray(directions, dtype=object).astype(str), direction),
        "stream": _categorical(stream, codes),
        "park": _categorical(park, at),
        "site_id": _categorical(site_ids, at),
        "tonnes": tonnes[keep], "lon": lon[at], "lat": lat[at]})


def _categorical(values: np.ndarray, codes: np.ndarray) -> pd.Categorical:
    """``values[codes]`` (text) as a categorical with sorted categories, without making a
    text per row."""
    categories, renumber = np.unique(values.astype(str).astype(object), return_inverse=True)
    return pd.Categorical.from_codes(renumber.reshape(-1)[codes], categories=categories)


SITES_PER_FINE_CELL: Final = 10
"""The fine hexagons are the finest at which the located sites average at least this many per
occupied cell (site positions are public, so the choice reveals nothing)."""


def fine_resolution(programme: Programme) -> int:
    """The fine H3 resolution of a programme's release (see :data:`SITES_PER_FINE_CELL`).

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> fine_resolution(load_demo_programme())
    7
    """
    geoms = programme.sites.geometry
    geoms = geoms[geoms.notna() & ~geoms.is_empty]
    if geoms.empty:
        return 8
    base = cells_for_points(geoms.x.to_numpy(), geoms.y.to_numpy(), H3_BASE_RES)
    limit = max(len(geoms) / SITES_PER_FINE_CELL, 1.0)
    for res in range(10, 2, -1):
        if len(np.unique(parent_cells(base, res))) <= limit:
            return res
    return 2


def build_release(programme: Programme, *, catalogue: Catalogue,
                  rules: DisclosureRules = DEFAULT_RULES,
                  resolution: int | None = None) -> ProgrammeRelease:
    """Compute a programme's protected release (once per data version).

    Parameters
    ----------
    programme : Programme
    catalogue : Catalogue
        The catalogue the records are coded with (for the release streams).
    rules : DisclosureRules
        The programme's rules.
    resolution : int, optional
        Fine H3 resolution; default :func:`fine_resolution`.
    """
    streams = release_streams(catalogue)
    recs = release_records(programme, catalogue, streams)
    if resolution is None:
        resolution = fine_resolution(programme)
    fine = int(min(max(resolution, 2), H3_BASE_RES))
    resolutions = {"coarse": fine - 2, "middle": fine - 1, "fine": fine}
    base = cells_for_points(recs["lon"].to_numpy(), recs["lat"].to_numpy(), H3_BASE_RES)
    for level, res in resolutions.items():  # ids of the distinct cells, then per record
        cells, where = np.unique(parent_cells(base, res), return_inverse=True)
        recs[level] = _categorical(cells_to_str(cells), where.reshape(-1))
    # At the top, keep the stream totals and give up the direction's grand total when they
    # cannot both be shown: viewers read streams; the total is their sum where complete.
    share = (0.0, *([MAX_WITHDRAWN_SHARE] * len(LEVELS)))

    def builder(direction: str) -> Callable[[], ProtectedTree]:
        part = recs[recs["direction"] == direction]
        return lambda: protect_tree(part, LEVELS, value="tonnes", producer="site_id",
                                    rules=rules, children_share=share)

    trees = ReleaseTrees({d: builder(d) for d in ("have", "want")})
    parks = programme.parks[["park_id", "name", "geometry"]].copy()
    logger.info("Release of %s: %d records", programme.name, len(recs))
    return ProgrammeRelease(programme.name, rules, resolutions, streams, trees, parks)


def streams_for_selectors(release: ProgrammeRelease, catalogue: Catalogue,
                          selectors: Iterable[str]) -> tuple[list[str], bool]:
    """The release streams nearest to catalogue selectors (codes, chapters, groups).

    Returns the streams holding any selected code, and whether that is exactly the selection
    (False: the viewer gets whole release streams, and the page should say so).
    """
    codes = set(catalogue.codes_matching(list(selectors))) if selectors else set()
    out: list[str] = []
    exact = True
    for s, scodes in zip(release.streams["stream"], release.streams["codes"], strict=True):
        if codes & scodes:
            out.append(str(s))
            exact &= scodes <= codes
    return out, exact
