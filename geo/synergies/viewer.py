"""What viewers see of a programme's synergies: every figure from the synergy release.

Viewers who may not see companies (park authorities, investors) get the Reports page's views
drawn from one :class:`~geo.synergies.protected.SynergyRelease`:

- :func:`viewer_sankey` — all synergies → stage → stream; withheld mass flows through "Other
  stages" / "Other streams", each such flow a released figure less the released ones beside
  it (a remainder that passes the rules);
- :func:`viewer_network_edges` — park-to-park lines, the released park-pair figures summed over
  the chosen stages (two stage selections differ by released figures only);
- :func:`viewer_kpis` — the released totals.

Every figure is a released node or a sum of released nodes, so views, filters and the
funders' workbook cannot be differenced against each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.confidentiality import check_k
from geo.disclosure import MIN_K, DisclosureRules
from geo.errors import ConfidentialityError
from geo.i18n import N_, _
from geo.synergies.lifecycle import ABANDONED, ALL_STAGES, STAGES, stage_label
from geo.synergies.protected import (
    COUNT,
    OTHER_STAGES,
    OTHER_STREAMS,
    TONNES,
    SynergyRelease,
    build_synergy_release,
)
from geo.synergies.reports import (
    EDGE_COLUMNS,
    ROOT_KEY,
    SankeyData,
    assemble_sankey,
    edge_lines,
    kpi_table,
)

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.factors import Factors
    from geo.programme import Programme
    from geo.synergies.book import SynergyBook
    from geo.synergies.outcomes import OutcomeConfig

__all__ = ["park_points", "viewer_kpis", "viewer_network_edges", "viewer_release",
           "viewer_sankey"]

VIEWER_ROOT: Final = N_("All synergies")
VIEWER_ROOT_PART: Final = N_("Synergies (released part)")
"""Labels of the viewers' Sankey root: the whole released total, or the released part."""
STAGE_PREFIX: Final = "Stage: "
"""How a stage node's label starts in English; code that picks nodes reads their ``key``
(``stage:<stage>``) instead, which is the same in every language."""


def viewer_release(programme: Programme, book: SynergyBook, *, catalogue: Catalogue | None,
                   k: int = MIN_K, rules: DisclosureRules | None = None,
                   factors: Factors | None = None, config: OutcomeConfig | None = None
                   ) -> SynergyRelease:
    """The synergy release for callers that pass only ``k`` (the page passes its own release).

    ``rules`` wins over ``k``; a ``k`` below :data:`~geo.disclosure.MIN_K` is taken as the
    programme administrator's (the caller read it from the programme's rules).
    """
    from geo.catalogue import load_catalogue
    from geo.factors import load_factors

    if rules is None:
        k = check_k(k)
        rules = DisclosureRules(k=k, by_administrator=k < MIN_K)
    return build_synergy_release(programme, book, catalogue=catalogue or load_catalogue(),
                                 factors=factors or load_factors(), config=config, rules=rules)


def viewer_sankey(release: SynergyRelease) -> SankeyData:
    """The viewers' Sankey from the synergy release: all synergies → stage → stream (t/yr).

    Links are released figures; what is withheld flows through "Other stages" or "Other
    streams", each such flow a released figure less the released ones beside it (see
    :meth:`SynergyRelease.sankey_flows`). ``producers`` counts the giving companies.

    Raises
    ------
    ConfidentialityError
        When no tonnage of the synergies can be shown at the programme's rules.
    """
    flows = release.sankey_flows(TONNES)
    if flows.empty or flows["value"].sum() <= 0:
        msg = _("Too few companies are in synergies for any tonnage to be shown to viewers "
                "({rules}, for the giving and for the receiving companies); ask a "
                "practitioner for the report.").format(rules=release.rules.describe())
        raise ConfidentialityError(msg)
    stage_key = {s: f"stage:{s}" for s in ALL_STAGES} | {OTHER_STAGES: "other:stages"}

    def stream_key(streams: pd.Series) -> pd.Series:
        return ("stream:" + streams.astype(str)).where(streams != OTHER_STREAMS,
                                                       "other:streams")

    flows = flows.assign(a=flows["stage"].map(stage_key), b=stream_key(flows["stream"]),
                         tonnes=flows["value"], producers=flows["givers"])
    by_stage = release.sankey_flows(TONNES, by=("stage",))
    first = pd.DataFrame({"key": by_stage["stage"].map(stage_key),
                          "tonnes": by_stage["value"], "producers": by_stage["givers"]})
    by_stream = release.sankey_flows(TONNES, by=("stream",)).assign(
        key=lambda f: stream_key(f["stream"]))
    second = sorted(by_stream["key"], key=lambda k: k.startswith("other:"))
    root = release.sankey_flows(TONNES, by=())
    producers = {**dict(zip(first["key"], first["producers"], strict=True)),
                 **dict(zip(by_stream["key"], by_stream["givers"], strict=True)),
                 ROOT_KEY: int(root["givers"].iloc[0])}
    whole = release.total(TONNES)
    complete = whole is not None and abs(
        whole - float(root["value"].iloc[0])) <= 1e-6 * max(whole, 1.0)
    labels = {**dict(zip(by_stream["key"], by_stream["stream"].astype(str), strict=True)),
              **{f"stage:{s}": _("Stage: {stage}").format(stage=stage_label(s))
                 for s in ALL_STAGES},
              ROOT_KEY: _(VIEWER_ROOT) if complete else _(VIEWER_ROOT_PART),
              "other:stages": _(OTHER_STAGES), "other:streams": _(OTHER_STREAMS)}
    notes = [_("Tonnes per year of synergies recorded in t/yr, by stage and stream; {rules} "
               "(for the giving and for the receiving companies). Withheld figures flow "
               "through '{other_stages}' and '{other_streams}'.").format(
                   rules=release.rules.describe(), other_stages=_(OTHER_STAGES),
                   other_streams=_(OTHER_STREAMS))]
    return assemble_sankey(ROOT_KEY, first, flows[["a", "b", "tonnes", "producers"]],
                           second=second, labels=labels, producers=producers, notes=notes)


def park_points(programme: Programme) -> gpd.GeoSeries:
    """A point inside each park (EPSG:4326), indexed by park id: where park links meet."""
    parks = programme.parks.drop_duplicates("park_id").set_index("park_id")
    if not len(parks):
        return gpd.GeoSeries([], crs=4326)
    metric = parks.estimate_utm_crs()
    return parks.to_crs(metric).representative_point().to_crs(4326)


def viewer_network_edges(release: SynergyRelease, points: gpd.GeoSeries, *,
                         stages: tuple[str, ...] = STAGES,
                         parks: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Park-to-park links for viewers: released park-pair figures summed over ``stages``.

    Each line sums the released stage × stream × park-pair tonnages of the chosen stages (so
    two stage selections differ by released figures only); withheld park pairs are not
    listed. ``points`` places the parks (:func:`park_points`); ``parks`` limits the links to
    those touching a park authority's parks. ``producers`` and ``codes`` are not given.
    """
    links = release.park_links(stages=stages, measure=TONNES, parks=parks)
    edges = pd.DataFrame({"from": links["from_park"], "to": links["to_park"],
                          "from_name": links["from_name"], "to_name": links["to_name"],
                          "synergies": links["synergies"].astype(float),
                          "producers": np.nan, "tonnes_per_year": links["value"].astype(float),
                          "stage": links["stage"], "codes": ""})
    out = gpd.GeoDataFrame(edges[EDGE_COLUMNS], geometry=edge_lines(edges, points), crs=4326)
    out["suppressed"] = False
    return out


def viewer_kpis(release: SynergyRelease, *, member_sites: int | None = None,
                have_total: float | None = None) -> pd.DataFrame:
    """The dashboard for viewers: released totals of the synergy release only.

    ``member_sites`` (the member list's size) and ``have_total`` (the haves' released total
    from the programme's :class:`~geo.disclosure.ProgrammeRelease`) are added when given.
    Returns ``key`` (a code, as :func:`~geo.synergies.reports.kpis` gives), ``kpi`` (its
    label), ``value`` (NaN: withheld), ``unit``, ``producers`` (not given: NaN) and
    ``note``, in the language of this session.
    """
    nan = float("nan")
    rows: list[tuple[str, float | None, str, float, str]] = []
    if member_sites is not None:
        rows.append(("member_sites", float(member_sites), "sites", nan, ""))
    if have_total is not None:
        rows.append(("haves_recorded", have_total, "t/yr", nan,
                     _("located sites, released total")))
    rows.append(("synergy_tonnes", release.total(TONNES), "t/yr", nan,
                 _("synergies recorded in t/yr, abandoned ones included")))
    # Not "haves in live synergies" (the practitioners' figure, each have counted once up to
    # its quantity): the release holds synergies, so a have in two is counted twice here.
    rows.append(("synergy_tonnes_live", release.total(TONNES, stages=STAGES), "t/yr", nan,
                 _("synergies recorded in t/yr; a have in two synergies counts twice")))
    rows.append(("synergies", release.total(COUNT), "synergies", nan, ""))
    counts = {s: release.total(COUNT, stages=(s,)) for s in ALL_STAGES}
    rows += [(f"synergies:{s}", counts[s], "synergies", nan, "") for s in ALL_STAGES]
    done, dropped = counts["completed"], counts[ABANDONED]
    rate = (done / (done + dropped) if done is not None and dropped is not None
            and done + dropped > 0 else None)
    rows.append(("completion_rate", rate, "share", nan, ""))
    for name in release.all_measures:
        if name in (COUNT, TONNES):
            continue
        note = release.co2e_note() if name == "co2e_avoided_t" else ""
        rows.append((f"outcome:{name}", release.total(name), release.units[name], nan, note))
    out = kpi_table(rows)
    withheld = out["value"].isna()
    out["value"] = out["value"].astype(float)
    out.loc[withheld, "note"] = _("withheld (disclosure rules)")
    return out
