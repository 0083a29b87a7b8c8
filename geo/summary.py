"""Programme summaries shown on the overview page and in reports.

Practitioners get :func:`tonnes_by_chapter` over the records. Viewers get figures of the
protected release only (:mod:`geo.disclosure.release`): :func:`released_totals`,
:func:`released_streams_table` and :func:`released_parks_table` are sums of released
figures, with what is withheld marked, never recomputed from records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from geo.disclosure.release import OUTSIDE_PARKS
from geo.i18n import N_, _

if TYPE_CHECKING:
    from geo.disclosure import ProgrammeRelease
    from geo.disclosure.release import Direction

__all__ = ["released_parks_table", "released_streams_table", "released_totals",
           "tonnes_by_chapter"]

DIRECTIONS: Final[tuple[Direction, ...]] = ("have", "want")


def tonnes_by_chapter(resources: pd.DataFrame) -> pd.DataFrame:
    """Tonnes per year of haves and wants per waste-catalogue chapter.

    Parameters
    ----------
    resources : DataFrame
        With ``ewc_code``, ``direction`` and ``tonnes_per_year`` (see
        :func:`geo.programme.resources_with_sites`).

    Returns
    -------
    DataFrame
        ``chapter``, ``title``, ``have_t``, ``want_t``, ``records``; sorted by haves, largest
        first. Records without a code or not in t/yr are left out (they carry no tonnage).

    Examples
    --------
    >>> df = pd.DataFrame({"ewc_code": ["020304", "020202", "150101"],
    ...                    "direction": ["have", "want", "have"],
    ...                    "tonnes_per_year": [10.0, 5.0, 2.0]})
    >>> tonnes_by_chapter(df)[["chapter", "have_t", "want_t"]].values.tolist()
    [['02', 10.0, 5.0], ['15', 2.0, 0.0]]
    """
    from geo.catalogue import load_catalogue

    res = resources[resources["ewc_code"].notna() & resources["tonnes_per_year"].notna()]
    if res.empty:
        return pd.DataFrame(columns=["chapter", "title", "have_t", "want_t", "records"])
    chapter = res["ewc_code"].astype(str).str[:2]
    table = (res.assign(chapter=chapter)
             .pivot_table(index="chapter", columns="direction", values="tonnes_per_year",
                          aggfunc="sum", fill_value=0.0)
             .reindex(columns=["have", "want"], fill_value=0.0)
             .rename(columns={"have": "have_t", "want": "want_t"}))
    table["records"] = chapter.value_counts()
    table = table.reset_index()
    table.columns.name = None
    cat = load_catalogue()
    table.insert(1, "title", table["chapter"].map(cat.describe))  # the code is its own column
    return table.sort_values("have_t", ascending=False, kind="stable").reset_index(drop=True)


def released_totals(release: ProgrammeRelease, *, parks: Sequence[str] = ()
                    ) -> dict[str, tuple[float | None, bool]]:
    """Headline tonnes of haves and wants a viewer may see: ``direction → (t/yr, complete)``.

    Without ``parks``: the released programme total (None when withheld). With ``parks`` (a
    park authority): the sum of the released figures of those parks; ``complete`` False when
    part of it is withheld (the sum is then a lower bound).

    Examples
    --------
    >>> from geo.catalogue import load_catalogue
    >>> from geo.demo import load_demo_programme
    >>> from geo.disclosure import build_release
    >>> release = build_release(load_demo_programme(), catalogue=load_catalogue())
    >>> have_t, complete = released_totals(release)["have"]
    >>> round(have_t), complete
    (21837, True)
    """
    out: dict[str, tuple[float | None, bool]] = {}
    for d in DIRECTIONS:
        if not parks:
            total = release.total(d)
            out[d] = (total, total is not None)
            continue
        table = release.park_table(d)
        mine = table[table["park_id"].isin(list(parks))]
        out[d] = (float(mine["tonnes"].sum()), bool(mine["complete"].all()))
    return out


_WITHHELD: Final = {
    ("all", ""): N_("haves"), ("part", ""): N_("part of the haves"),
    ("", "all"): N_("wants"), ("", "part"): N_("part of the wants"),
    ("all", "all"): N_("haves and wants"), ("all", "part"): N_("haves and part of the wants"),
    ("part", "all"): N_("part of the haves and wants"),
    ("part", "part"): N_("part of the haves and part of the wants"),
}
"""What a stream's withheld figures are (haves: all/part/none, wants: all/part/none)."""


def released_streams_table(release: ProgrammeRelease, *, parks: Sequence[str] = ()
                           ) -> pd.DataFrame:
    """Tonnes and producers per release stream, haves and wants side by side.

    Parameters
    ----------
    release : ProgrammeRelease
    parks : sequence of str
        Limit to these parks (a park authority): each stream's figures in them, summed.

    Returns
    -------
    DataFrame
        ``stream``, ``label``, ``have_t``, ``have_producers``, ``want_t``,
        ``want_producers`` (NaN where withheld) and ``withheld`` (``""``, ``"haves"``,
        ``"wants"`` or ``"haves and wants"``; with parks, ``"part of the haves"`` when some
        park's figure is withheld), in this session's language. Every release stream has its
        row: one with no record is withheld like a protected one.
    """
    frames = []
    for d in DIRECTIONS:
        t = release.stream_table(d, parks=list(parks))
        agg = t.groupby("stream", sort=False).agg(
            tonnes=("tonnes", lambda x: x.sum(min_count=1)),
            producers=("producers", lambda x: x.sum(min_count=1)),
            withheld=("withheld", "sum"), figures=("withheld", "size"))
        agg[f"{d}_note"] = np.where(agg["withheld"] == 0, "",
                                    np.where(agg["withheld"] == agg["figures"], "all", "part"))
        frames.append(agg.rename(columns={"tonnes": f"{d}_t", "producers": f"{d}_producers"})
                      [[f"{d}_t", f"{d}_producers", f"{d}_note"]])
    out = frames[0].join(frames[1], how="outer").fillna({"have_note": "", "want_note": ""})
    out["withheld"] = [_(_WITHHELD[(h, w)]) if (h or w) else ""
                       for h, w in zip(out["have_note"], out["want_note"], strict=True)]
    labels = release.stream_labels()
    order = {s: i for i, s in enumerate(release.streams["stream"])}
    out = out.reset_index().rename(columns={"index": "stream"})
    out.insert(1, "label", out["stream"].map(labels))
    out = out.sort_values("stream", key=lambda s: s.map(order), kind="stable")
    return out.drop(columns=["have_note", "want_note"]).reset_index(drop=True)


def released_parks_table(release: ProgrammeRelease, *, parks: Sequence[str] = ()
                         ) -> pd.DataFrame:
    """Released tonnes per park, haves and wants in separate columns.

    Each figure sums the park's released stream figures
    (:meth:`~geo.disclosure.ProgrammeRelease.park_table`); ``have_complete`` /
    ``want_complete`` say whether every stream's figure in the park was released (otherwise
    the figure may be a lower bound; a stream with no record there counts as not released,
    so that a park without some waste looks like one where it is withheld). Every park of
    the release and "outside parks" is listed; ``parks`` limits the table to those parks.
    """
    out = release.parks[["park_id", "name"]].copy()
    if not parks:
        out = pd.concat([out, pd.DataFrame({"park_id": [OUTSIDE_PARKS],
                                            "name": [_("(outside parks)")]})],
                        ignore_index=True)
    for d in DIRECTIONS:
        t = release.park_table(d)
        t = t.set_index("park_id")
        # "—" where no stream figure is released there, as on the Concentrations map
        out[f"{d}_t"] = out["park_id"].map(t["tonnes"].where(t["released_streams"] > 0)
                                           ).astype(float)
        out[f"{d}_complete"] = out["park_id"].map(t["complete"]).fillna(True).astype(bool)
    if parks:
        out = out[out["park_id"].isin(list(parks))]
    return out.reset_index(drop=True)
