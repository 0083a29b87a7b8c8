"""The site finder's feedstock and output market taken from a protected release (viewers).

Viewers (investors, park authorities) never see records. For them the site finder stands on
the programme's :class:`~geo.disclosure.ProgrammeRelease`:

- the profile's accepted streams map to the nearest **release streams**
  (:func:`geo.disclosure.streams_for_selectors`) — whole streams, so a stream the profile
  does not take may be counted with them (:func:`released_note` says so);
- the supply points are :meth:`~geo.disclosure.ProgrammeRelease.mass_points` of those streams:
  released fine hexagons at their centres, released remainders spread over their hexagon's
  (or park's) fine hexagons. Each becomes a pseudo-supplier named after its hexagon, so the
  scoring, the best p sites and the memo run unchanged on them; tonnage released only as a
  stream total has no place and is not counted (reported);
- wanters of the output are the want release's points of the streams its catalogue selectors
  map to (resource classes and sectors are not released, so they are not used).

Every figure a viewer then sees — scores, flags, rankings, best sites, flows, catchments — is
a function of released figures, so moving a threshold or a haul radius tells nothing finer
than the release. What is shown is still banded (:func:`round_significant`), so that no
figure reads as a single hexagon's exact tonnage.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalogue import Catalogue, load_catalogue
from geo.disclosure import streams_for_selectors
from geo.hexcells import cell_centres, cells_to_str, latlng_to_cells, str_to_cells
from geo.i18n import N_, _, format_number, ngettext
from geo.siting.feedstock import FeedstockTable

if TYPE_CHECKING:
    from geo.disclosure import ProgrammeRelease
    from geo.disclosure.release import Direction
    from geo.siting.pipeline import SiteFinderRun
    from geo.siting.profiles import TechnologyProfile

__all__ = [
    "RELEASED_SUPPLIER",
    "RELEASED_WANTER",
    "ReleaseStreams",
    "feedstock_from_release",
    "profile_release_streams",
    "released_note",
    "round_significant",
    "viewer_notes",
    "wanters_from_release",
]

RELEASED_SUPPLIER = N_("Released hexagon")
"""The name every pseudo-supplier of a released feedstock carries (no company name; kept in
English in tables and files, translated with ``_`` where shown)."""
RELEASED_WANTER = N_("Released want hexagon")
"""The name every released wanter point carries (marked like :data:`RELEASED_SUPPLIER`)."""


def round_significant(values: np.ndarray | pd.Series | float, digits: int = 2
                      ) -> np.ndarray:
    """Values to ``digits`` significant figures (NaN and 0 stay as they are).

    Examples
    --------
    >>> round_significant(np.array([3196.8, 0.0, 12.34, np.nan])).tolist()[:3]
    [3200.0, 0.0, 12.0]
    """
    x = np.asarray(values, dtype=float)
    out = x.copy()
    ok = np.isfinite(x) & (x != 0)
    mag = np.floor(np.log10(np.abs(x[ok])))
    scale = 10.0 ** (mag - digits + 1)
    out[ok] = np.round(x[ok] / scale) * scale
    return out


@dataclass(frozen=True)
class ReleaseStreams:
    """The release streams a profile's accepted streams map to.

    Attributes
    ----------
    streams : tuple of str
        Release stream ids (``"organics"``), in release order.
    labels : tuple of str
        Their labels (the column names of the viewer's ranking).
    conversion : tuple of float
        Output per tonne of each: the mean of the conversions of the profile's streams that
        share codes with it, weighted by the codes shared (an estimate: the mix is not
        released).
    exact : bool
        Whether the release streams hold exactly the codes the profile accepts.
    """

    streams: tuple[str, ...]
    labels: tuple[str, ...]
    conversion: tuple[float, ...]
    exact: bool


def _streams_of(release: ProgrammeRelease, catalogue: Catalogue, selectors: Sequence[str]
                ) -> tuple[list[str], bool]:
    if not selectors:
        return [], True
    return streams_for_selectors(release, catalogue, selectors)


def profile_release_streams(release: ProgrammeRelease, profile: TechnologyProfile, *,
                            catalogue: Catalogue | None = None) -> ReleaseStreams:
    """The release streams nearest to the streams ``profile`` accepts."""
    catalogue = catalogue or load_catalogue()
    streams, exact = _streams_of(release, catalogue, [s.selector for s in profile.streams])
    codes_of = dict(zip(release.streams["stream"], release.streams["codes"], strict=True))
    labels = release.stream_labels()
    accepted = [(set(catalogue.codes_matching([s.selector])), s.conversion)
                for s in profile.streams]
    conversion = []
    for s in streams:
        weights = [(len(codes & codes_of[s]), conv) for codes, conv in accepted]
        total = sum(w for w, _ in weights)
        conversion.append(sum(w * c for w, c in weights) / total if total else 1.0)
    return ReleaseStreams(tuple(streams), tuple(labels[s] for s in streams),
                          tuple(conversion), exact)


def _points(release: ProgrammeRelease, direction: Direction, stream: str,
            parks: Sequence[str]) -> tuple[pd.DataFrame, float]:
    """One stream's released points, summed per fine hexagon; and its unplaced tonnes."""
    mp = release.mass_points(direction, streams=[stream], parks=parks)
    fine = release.resolutions["fine"]
    cells = cells_to_str(latlng_to_cells(np.asarray(mp.lat, float), np.asarray(mp.lon, float),
                                         fine))
    frame = (pd.DataFrame({"h3_cell": pd.Series(cells, dtype=object),
                           "tonnes": np.asarray(mp.tonnes, dtype=float)})
             .groupby("h3_cell", sort=True, as_index=False)["tonnes"].sum())
    frame = frame[frame["tonnes"] > 0]
    return frame, float(mp.unplaced_tonnes)


def _cell_points(cells: pd.Series) -> gpd.GeoSeries:
    centres = cell_centres(str_to_cells(cells.to_numpy(dtype=object)))
    return gpd.GeoSeries(gpd.points_from_xy(centres[:, 1], centres[:, 0]),
                         index=cells.index, crs=4326)


def feedstock_from_release(release: ProgrammeRelease, profile: TechnologyProfile, *,
                           catalogue: Catalogue | None = None,
                           parks: Sequence[str] = ()) -> FeedstockTable:
    """The released haves of the streams ``profile`` accepts, as a feedstock table.

    Parameters
    ----------
    release : ProgrammeRelease
    profile : TechnologyProfile
    catalogue : Catalogue, optional
        Default :func:`geo.catalogue.load_catalogue`.
    parks : sequence of str
        Only these parks' released figures (a park authority's grant); empty: all.

    Returns
    -------
    FeedstockTable
        ``released=True``: one row per fine hexagon and release stream (``site_id`` the
        hexagon, ``site_name`` :data:`RELEASED_SUPPLIER`, EPSG:4326 point at its centre);
        ``streams`` the release streams' labels with their ``conversion``; ``report`` holds
        ``release_streams``, ``exact`` (1 or 0), ``placed_t`` and ``unplaced_t`` (released
        tonnage with no place finer than a stream or "outside parks", not counted).
    """
    rs = profile_release_streams(release, profile, catalogue=catalogue)
    frames = []
    unplaced = 0.0
    for stream, label, conv in zip(rs.streams, rs.labels, rs.conversion, strict=True):
        pts, lost = _points(release, "have", stream, parks)
        unplaced += lost
        frames.append(pts.assign(stream=label, output=pts["tonnes"] * conv))
    table = (pd.concat(frames, ignore_index=True) if frames else
             pd.DataFrame({"h3_cell": [], "tonnes": [], "stream": [], "output": []}))
    records = gpd.GeoDataFrame({
        "resource_id": (table["h3_cell"].astype(str) + ":"
                        + table["stream"].astype(str)).to_numpy(object),
        "site_id": table["h3_cell"].to_numpy(object),
        "site_name": RELEASED_SUPPLIER,
        "ewc_code": "",
        "stream": table["stream"].to_numpy(object),
        "tonnes_per_year": table["tonnes"].to_numpy(float),
        "output": table["output"].to_numpy(float),
    }, geometry=_cell_points(table["h3_cell"]).to_numpy(), crs=4326)
    report = {"release_streams": float(len(rs.streams)), "exact": float(rs.exact),
              "placed_t": float(records["tonnes_per_year"].sum()), "unplaced_t": unplaced}
    return FeedstockTable(records=records, streams=rs.labels, report=report, released=True,
                          conversion=rs.conversion)


def wanters_from_release(release: ProgrammeRelease, profile: TechnologyProfile, *,
                         catalogue: Catalogue | None = None,
                         parks: Sequence[str] = ()) -> gpd.GeoDataFrame:
    """Released want hexagons of the output's catalogue selectors (EPSG:4326 points).

    Columns ``site_id`` (the hexagon), ``name`` (:data:`RELEASED_WANTER`), ``tonnes_per_year``.
    Empty when the profile names no catalogue code for its output market (classes and
    sectors of wanters are not released).
    """
    catalogue = catalogue or load_catalogue()
    streams, _ = _streams_of(release, catalogue, list(profile.output_wanted_by.selectors))
    frames = [_points(release, "want", s, parks)[0] for s in streams]
    table = (pd.concat(frames, ignore_index=True).groupby("h3_cell", as_index=False).sum()
             if frames else pd.DataFrame({"h3_cell": [], "tonnes": []}))
    return gpd.GeoDataFrame({"site_id": table["h3_cell"].to_numpy(object),
                             "name": RELEASED_WANTER,
                             "tonnes_per_year": table["tonnes"].to_numpy(float)},
                            geometry=_cell_points(table["h3_cell"]).to_numpy(), crs=4326)


def released_note(feedstock: FeedstockTable) -> str:
    """One paragraph for the page and the memo: which release streams count, and what not."""
    rep = feedstock.report
    names = ", ".join(feedstock.streams) or _("none")
    if rep.get("exact", 1.0):
        first = _("Feedstock from the protected release (the figures every viewer gets), in the "
                  "release streams {streams}.")
    else:
        first = _("Feedstock from the protected release (the figures every viewer gets), in the "
                  "release streams {streams} — whole streams: they may include materials this "
                  "technology does not take.")
    placed = float(round_significant(rep.get("placed_t", 0.0))[()])
    cells = int(feedstock.records["site_id"].nunique())
    lost = float(round_significant(rep.get("unplaced_t", 0.0))[()])
    if lost > 0 and math.isfinite(lost):
        where = ngettext(
            "About {tonnes} t/yr is placed at {n} hexagon; about {lost} t/yr released only as a "
            "stream or outside-parks total has no place and is not counted.",
            "About {tonnes} t/yr is placed at {n} hexagons; about {lost} t/yr released only as "
            "a stream or outside-parks total has no place and is not counted.", cells)
    else:
        where = ngettext("About {tonnes} t/yr is placed at {n} hexagon.",
                         "About {tonnes} t/yr is placed at {n} hexagons.", cells)
    return " ".join([
        first.format(streams=names),
        where.format(tonnes=format_number(placed), n=format_number(cells),
                     lost=format_number(lost)),
        _("Supplier counts are hexagons, not producers; figures are rounded.")])


def viewer_notes(run: SiteFinderRun) -> list[str]:
    """What a viewer's run counts and leaves out, one sentence each (page, CLI, memo)."""
    notes = [released_note(run.feedstock)]
    n_want = len(run.wanters)
    notes.append(
        ngettext("Output users: {n} released want hexagon of the output's catalogue codes "
                 "(wanters by resource class or sector are not released).",
                 "Output users: {n} released want hexagons of the output's catalogue codes "
                 "(wanters by resource class or sector are not released).",
                 n_want).format(n=format_number(n_want)) if n_want else
        _("No released want hexagon holds the output's catalogue codes: the 'near output users' "
          "criterion scores 0 everywhere (wanters by resource class or sector are not "
          "released)."))
    notes.append(_("Competition counts only the existing plants in a layer you load; member "
                   "sites' sectors are not shown to viewers."))
    return notes
