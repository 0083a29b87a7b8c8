"""Report data: the resource-pool Sankey, the synergy network and the KPI figures.

- :func:`sankey_data` — every have recorded in tonnes, by stream, split into the tonnes in
  synergies (by stage) and the rest by current fate (landfill, incineration…). A have's
  tonnes go first to its most advanced live synergies (capped at its quantity), the rest to
  its fate, so flows conserve tonnes at every node (:func:`conservation_errors`).
- :func:`network_edges` — lines between sites (or between parks for viewers), width by
  tonnes; :func:`graph_layout` places the same network for a graph view.
- :func:`kpis` — the dashboard figures, each with its unit and, for CO2e, its factors.

Labels, units and notes are in the language of the session that asks (none of these frames
is cached); node, stage and KPI *keys* are codes, for code that picks a node or a figure.

Viewers who may not see companies (park authorities, investors) get the same views drawn from
one :class:`~geo.synergies.protected.SynergyRelease` (all synergies → stage → stream → park
pair, protected for the giving and the receiving companies): the Sankey runs all synergies →
stage → stream with unreleased mass in "other" flows that are themselves released remainders,
the network's links are released park-pair figures summed over the chosen stages, and the KPIs
are released totals. Every figure is a released node or a sum of released nodes, so views,
filters and the workbook cannot be differenced against each other.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import linestrings

from geo.confidentiality import can_see_companies
from geo.disclosure import MIN_K
from geo.i18n import N_, _, format_number, ngettext
from geo.programme import tonnes_per_year
from geo.synergies.lifecycle import ABANDONED, STAGES, stage_label, stage_rank
from geo.synergies.outcomes import OUTCOME_TYPES, OutcomeConfig, outcomes_wide
from geo.synergies.protected import SynergyRelease
from geo.synergies.records import site_lonlat
from geo.synergies.streams import stream_labels

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.factors import Factors
    from geo.programme import Programme
    from geo.settings import Role
    from geo.synergies.book import SynergyBook

__all__ = [
    "EDGE_COLUMNS",
    "FATE_LABELS",
    "KPI_LABELS",
    "SankeyData",
    "allocate_tonnes",
    "assemble_sankey",
    "conservation_errors",
    "edge_lines",
    "fate_label",
    "graph_layout",
    "kpi_label",
    "kpi_table",
    "kpis",
    "network_edges",
    "sankey_data",
    "synergy_attributes",
]

logger = logging.getLogger(__name__)

ROOT_LABEL: Final = N_("All haves")
"""The root of the practitioners' Sankey (translated with ``_`` where shown)."""
ROOT_KEY: Final = "root"
"""Key of the root node of every Sankey."""
# Translators: what happens today to a waste that is not in a synergy (its current fate).
FATE_LABELS: Final = {"landfill": N_("landfill"), "incineration": N_("incineration"),
                      "recycling": N_("recycling"), "recovery": N_("recovery"),
                      "reuse": N_("reuse"), "other": N_("other"), "unknown": N_("unknown")}
"""Display label of each fate code of :data:`geo.programme.FATES`."""
KPI_LABELS: Final = {
    "member_sites": N_("Member sites"),
    "members_in_live_synergies": N_("Members in live synergies"),
    "haves_recorded": N_("Haves recorded"),
    "haves_in_live_synergies": N_("Haves in live synergies"),
    "synergy_tonnes": N_("Synergy tonnes (all stages)"),
    # Viewers: the synergies' own tonnes summed, so a have in two synergies counts twice —
    # not "haves in live synergies", which counts each have once, up to its quantity.
    "synergy_tonnes_live": N_("Synergy tonnes (live stages)"),
    "synergies": N_("Synergies (all stages)"),
    "completion_rate": N_("Completion rate (completed ÷ closed)"),
}
"""Labels of the fixed KPIs by key; ``synergies:<stage>`` and ``outcome:<type>`` keys are
labelled by :func:`kpi_label`."""


def fate_label(fate: object) -> str:
    """A fate code as shown in this session's language (an unknown one as it is)."""
    label = FATE_LABELS.get(str(fate))
    return _(label) if label is not None else str(fate)


def kpi_label(key: str) -> str:
    """The label of a KPI key in this session's language.

    Examples
    --------
    >>> kpi_label("synergies:in progress"), kpi_label("outcome:landfill_diverted_t")
    ('Synergies: in progress', 'Landfill diverted (all years)')
    """
    kind, _sep, code = key.partition(":")
    if kind == "synergies" and code:
        return _("Synergies: {stage}").format(stage=stage_label(code))
    if kind == "outcome" and code in OUTCOME_TYPES:
        return _("{outcome} (all years)").format(outcome=OUTCOME_TYPES[code].shown())
    label = KPI_LABELS.get(key)
    return _(label) if label is not None else key


def kpi_table(rows: list[tuple[str, float | None, str, float, str]]) -> pd.DataFrame:
    """The KPI frame: ``key`` (code), ``kpi`` (label), ``value``, ``unit`` (a code, which the
    workbook formats by; show it with :func:`geo.synergies.text.unit_label`), ``producers``
    and ``note``, from rows of (key, value, unit, producers, note)."""
    out = pd.DataFrame(rows, columns=["key", "value", "unit", "producers", "note"])
    out.insert(1, "kpi", [kpi_label(k) for k in out["key"]])
    return out


def synergy_attributes(book: SynergyBook, programme: Programme,
                       catalogue: Catalogue | None = None) -> pd.DataFrame:
    """One row per synergy with its producer's park and sector, receiver, stream and tonnes."""
    syn = book.synergies
    sites = programme.sites.drop_duplicates("site_id").set_index("site_id")
    return pd.DataFrame({
        "synergy_id": syn["synergy_id"].to_numpy(),
        "from_site_id": syn["from_site_id"].to_numpy(),
        "to_site_id": syn["to_site_id"].to_numpy(),
        "park_id": syn["from_site_id"].map(sites["park_id"]).to_numpy(),
        "to_park_id": syn["to_site_id"].map(sites["park_id"]).to_numpy(),
        "sector_nace": syn["from_site_id"].map(sites["sector_nace"]).to_numpy(),
        "stage": syn["stage"].to_numpy(),
        "stream": stream_labels(syn["ewc_code"], syn["resource_class"], catalogue).to_numpy(),
        "tonnes_per_year": tonnes_per_year(syn).to_numpy(),
    })


def allocate_tonnes(haves: pd.DataFrame, synergies: pd.DataFrame) -> pd.DataFrame:
    """Split each have's tonnes between its live synergies (most advanced first) and its fate.

    Parameters
    ----------
    haves : DataFrame
        ``resource_id``, ``tonnes`` (t/yr), ``fate``.
    synergies : DataFrame
        ``have_resource_id``, ``stage``, ``quantity``, ``unit``; abandoned ones and non-t/yr
        ones are ignored.

    Returns
    -------
    DataFrame
        ``resource_id``, ``sink`` (a stage, or ``fate:<fate>``) and ``tonnes``; per have the
        tonnes sum exactly to its own.

    Examples
    --------
    >>> h = pd.DataFrame({"resource_id": ["R1"], "tonnes": [10.0], "fate": ["landfill"]})
    >>> s = pd.DataFrame({"have_resource_id": ["R1", "R1"], "stage": ["idea", "completed"],
    ...                   "quantity": [8.0, 6.0], "unit": ["t/yr", "t/yr"]})
    >>> allocate_tonnes(h, s).values.tolist()
    [['R1', 'completed', 6.0], ['R1', 'idea', 4.0]]
    """
    cap = haves.set_index("resource_id")["tonnes"]
    cap = cap[~cap.index.duplicated()]
    live = synergies[(synergies["stage"] != ABANDONED) & (synergies["unit"] == "t/yr")]
    # Synergies of haves outside the picture (other units, archived) are left out; a hash
    # look-up, as Series.isin on Arrow strings loops in Python.
    live = live[live["have_resource_id"].map(cap).notna().to_numpy()]
    rows = [pd.DataFrame(columns=["resource_id", "sink", "tonnes"])]
    used = pd.Series(0.0, index=cap.index)
    if len(live):
        live = live.assign(_rank=stage_rank(live["stage"]),
                           _q=pd.to_numeric(live["quantity"], errors="coerce").fillna(0.0))
        live = live.sort_values(["have_resource_id", "_rank"], ascending=[True, False],
                                kind="stable")
        before = live.groupby("have_resource_id")["_q"].cumsum() - live["_q"]
        room = live["have_resource_id"].map(cap).to_numpy(float) - before.to_numpy(float)
        alloc = np.clip(np.minimum(live["_q"].to_numpy(float), room), 0.0, None)
        part = pd.DataFrame({"resource_id": live["have_resource_id"].to_numpy(),
                             "sink": live["stage"].to_numpy(), "tonnes": alloc})
        part = part.groupby(["resource_id", "sink"], sort=False, as_index=False)["tonnes"].sum()
        rows.append(part)
        used = used.add(part.groupby("resource_id")["tonnes"].sum(), fill_value=0.0)
    fate = haves.drop_duplicates("resource_id").set_index("resource_id")["fate"]
    rest = pd.DataFrame({"resource_id": cap.index,
                         "sink": "fate:" + fate.reindex(cap.index).fillna("unknown").astype(str),
                         "tonnes": (cap - used.reindex(cap.index).fillna(0.0)).to_numpy()})
    rows.append(rest)
    out = pd.concat([r for r in rows if len(r)], ignore_index=True)
    return out[out["tonnes"] > 0].reset_index(drop=True)


@dataclass(frozen=True)
class SankeyData:
    """Nodes and links of the resource-pool Sankey (tonnes per year).

    ``nodes``: ``node`` (position), ``key`` (``root``, ``stream:<label>``,
    ``stage:<stage>``, ``fate:<fate>``, ``other:stages``, ``other:streams``), ``label`` (in
    the language of the session that built it), ``column`` (0 root, 1 stream, 2 stage/fate),
    ``tonnes_in``, ``tonnes_out``, ``producers``. ``links``: ``source``, ``target`` (node
    positions), ``tonnes``, ``producers`` (distinct producing sites behind the link).
    ``notes``: what was left out and why.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    notes: tuple[str, ...] = ()


def _sink_labels(sinks: list[str]) -> dict[str, str]:
    """Labels of the practitioners' column-2 keys (``stage:<stage>``, ``fate:<fate>``)."""
    out = {}
    for key in sinks:
        kind, _sep, code = key.partition(":")
        out[key] = (_("Not in a synergy: {fate}").format(fate=fate_label(code))
                    if kind == "fate" else
                    _("In synergy: {stage}").format(stage=stage_label(code)))
    return out


def assemble_sankey(root: str, first: pd.DataFrame, mid: pd.DataFrame, *,
                    second: list[str], labels: Mapping[str, str], producers: dict[str, int],
                    notes: list[str]) -> SankeyData:
    """A three-column Sankey from its flows, its nodes named by keys.

    ``root``: the root's key; ``first``: ``key``, ``tonnes``, ``producers`` of the root →
    column-1 links, in order; ``mid``: ``a``, ``b`` (keys), ``tonnes``, ``producers`` of the
    column-1 → column-2 links; ``second``: column-2 keys in order; ``labels``: key → label
    shown (a key without one is shown as it is); ``producers``: per key (root included).
    """
    keys = [root, *first["key"], *second]
    column = [0] + [1] * len(first) + [2] * len(second)
    pos = {key: i for i, key in enumerate(keys)}
    links = pd.concat([
        pd.DataFrame({"source": 0, "target": first["key"].map(pos).to_numpy(),
                      "tonnes": first["tonnes"].to_numpy(float),
                      "producers": first["producers"].to_numpy()}),
        pd.DataFrame({"source": mid["a"].map(pos).to_numpy(),
                      "target": mid["b"].map(pos).to_numpy(),
                      "tonnes": mid["tonnes"].to_numpy(float),
                      "producers": mid["producers"].to_numpy()}),
    ], ignore_index=True)
    tin = links.groupby("target")["tonnes"].sum()
    tout = links.groupby("source")["tonnes"].sum()
    nodes = pd.DataFrame({"node": range(len(keys)), "key": keys,
                          "label": [labels.get(k, k) for k in keys], "column": column})
    nodes["tonnes_in"] = nodes["node"].map(tin).fillna(0.0)
    nodes["tonnes_out"] = nodes["node"].map(tout).fillna(0.0)
    nodes["producers"] = [int(producers.get(key, 0)) for key in keys]
    return SankeyData(nodes=nodes, links=links.astype({"source": int, "target": int,
                                                       "producers": int}),
                      notes=tuple(notes))


def sankey_data(programme: Programme, book: SynergyBook, *, catalogue: Catalogue | None = None,
                role: Role = "practitioner", k: int = MIN_K,
                release: SynergyRelease | None = None) -> SankeyData:
    """The resource pool as a Sankey: All haves → stream → synergy stage or current fate.

    Parameters
    ----------
    role, k : viewer role and the disclosure ``k``
        Viewers who may not see companies get :func:`viewer_sankey` of ``release`` (built
        with ``k`` when not given): all synergies → stage → stream from released figures.
    release : SynergyRelease, optional
        The programme's synergy release (viewers only).

    Raises
    ------
    ConfidentialityError
        For such a viewer when no tonnage can be shown.
    """
    if not can_see_companies(role):
        from geo.synergies.viewer import viewer_release, viewer_sankey

        return viewer_sankey(release or viewer_release(programme, book, catalogue=catalogue,
                                                       k=k))
    res = programme.resources
    t = tonnes_per_year(res)
    is_have = (res["direction"] == "have").to_numpy()
    notes: list[str] = []
    other_units = int((is_have & t.isna().to_numpy()).sum())
    if other_units:
        notes.append(ngettext(
            "{n} have recorded in another unit (MWh/yr, m3/yr) or without a quantity is not "
            "in this tonnage picture.",
            "{n} haves recorded in other units (MWh/yr, m3/yr) or without a quantity are not "
            "in this tonnage picture.", other_units).format(n=format_number(other_units)))
    haves = res[is_have & t.notna().to_numpy()]
    haves = pd.DataFrame({"resource_id": haves["resource_id"].to_numpy(),
                          "site_id": haves["site_id"].to_numpy(),
                          "tonnes": t[haves.index].to_numpy(float),
                          "fate": haves["fate"].to_numpy(),
                          "stream": stream_labels(haves["ewc_code"], haves["resource_class"],
                                                  catalogue).to_numpy()})
    flows = allocate_tonnes(haves, book.synergies)
    meta = haves.drop_duplicates("resource_id").set_index("resource_id")
    flows["stream"] = flows["resource_id"].map(meta["stream"])
    flows["site_id"] = flows["resource_id"].map(meta["site_id"])
    is_fate = flows["sink"].str.startswith("fate:")
    flows["sink"] = flows["sink"].where(is_fate, "stage:" + flows["sink"])
    flows["stream"] = "stream:" + flows["stream"].astype(str)
    order = {s: i for i, s in enumerate(STAGES)}
    sinks = sorted(flows["sink"].unique(),
                   key=lambda s: (not s.startswith("stage:"),
                                  order.get(s.removeprefix("stage:"), 99), s))
    first = (flows.groupby("stream", sort=False)
             .agg(tonnes=("tonnes", "sum"), producers=("site_id", "nunique"))
             .sort_values("tonnes", ascending=False, kind="stable")
             .reset_index().rename(columns={"stream": "key"}))
    mid = (flows.groupby(["stream", "sink"], sort=False)
           .agg(tonnes=("tonnes", "sum"), producers=("site_id", "nunique")).reset_index()
           .rename(columns={"stream": "a", "sink": "b"}))
    producers = {ROOT_KEY: int(flows["site_id"].nunique()),
                 **flows.groupby("stream")["site_id"].nunique().to_dict(),
                 **flows.groupby("sink")["site_id"].nunique().to_dict()}
    labels = {ROOT_KEY: _(ROOT_LABEL), **_sink_labels(sinks),
              # stream groups are ours (translated); chapter titles stay the catalogue's
              **{k: _(k.removeprefix("stream:")) for k in first["key"]}}
    return assemble_sankey(ROOT_KEY, first, mid, second=sinks, labels=labels,
                           producers=producers, notes=notes)


def conservation_errors(sankey: SankeyData, *, tol_t: float = 1e-6) -> pd.DataFrame:
    """Nodes where tonnes in ≠ tonnes out (sources and sinks checked against the total).

    An empty frame means flows conserve tonnes at every node: each stream passes on what it
    receives, and what the root sends equals what the sinks receive.
    """
    n = sankey.nodes
    mid = n[n["column"] == 1]
    bad = mid[(mid["tonnes_in"] - mid["tonnes_out"]).abs() > tol_t * max(1.0, mid["tonnes_in"]
                                                                          .abs().max())]
    sent = float(n.loc[n["column"] == 0, "tonnes_out"].sum())
    received = float(n.loc[n["column"] == 2, "tonnes_in"].sum())
    rows = [bad[["label", "tonnes_in", "tonnes_out"]]]
    if abs(sent - received) > tol_t * max(1.0, sent):
        rows.append(pd.DataFrame({"label": [_("(root → sinks)")], "tonnes_in": [received],
                                  "tonnes_out": [sent]}))
    return pd.concat(rows, ignore_index=True)


def edge_lines(edges: pd.DataFrame, points: gpd.GeoSeries) -> list[object]:
    """Straight lines from ``from`` to ``to`` of each edge (None where an end has no point)."""
    lon, lat = np.asarray(points.x, dtype=float), np.asarray(points.y, dtype=float)
    pos = pd.Series(np.arange(len(points)), index=points.index)
    ia, ib = edges["from"].map(pos), edges["to"].map(pos)
    ok = np.array(ia.notna() & ib.notna(), dtype=bool)
    ia_i = ia.fillna(0).astype(int).to_numpy()
    ib_i = ib.fillna(0).astype(int).to_numpy()
    if len(lon):
        ok &= np.isfinite(lon[ia_i]) & np.isfinite(lon[ib_i])
    geom = np.full(len(edges), None, dtype=object)
    if len(lon) and ok.any():
        coords = np.stack([np.column_stack([lon[ia_i], lat[ia_i]]),
                           np.column_stack([lon[ib_i], lat[ib_i]])], axis=1)
        geom[ok] = linestrings(coords[ok])
    return list(geom)


EDGE_COLUMNS: Final = ["from", "to", "from_name", "to_name", "synergies", "producers",
                        "tonnes_per_year", "stage", "codes"]


def network_edges(book: SynergyBook, programme: Programme, *, role: Role = "practitioner",
                  k: int = MIN_K, stages: tuple[str, ...] = STAGES,
                  release: SynergyRelease | None = None) -> gpd.GeoDataFrame:
    """Synergy links as lines (EPSG:4326), width by tonnes.

    Practitioners get one line per (from site, to site) with its synergies, tonnes, most
    advanced stage and site names; other viewers get :func:`viewer_network_edges` of
    ``release`` (built with ``k`` when not given): lines between parks carrying released
    figures only.
    """
    if not can_see_companies(role):
        from geo.synergies.viewer import park_points, viewer_network_edges, viewer_release

        release = release or viewer_release(programme, book, catalogue=None, k=k)
        return viewer_network_edges(release, park_points(programme), stages=stages)
    syn = book.synergies[book.synergies["stage"].isin(stages)]
    syn = syn.assign(tonnes=tonnes_per_year(syn), _rank=stage_rank(syn["stage"]))
    sites = programme.sites.drop_duplicates("site_id").set_index("site_id")
    if syn.empty:
        return gpd.GeoDataFrame({c: [] for c in EDGE_COLUMNS}, geometry=[], crs=4326)
    grouped = syn.rename(columns={"from_site_id": "from", "to_site_id": "to"}).assign(
        from_site_id=syn["from_site_id"]).groupby(["from", "to"], sort=True)
    edges = grouped.agg(synergies=("synergy_id", "size"), producers=("from_site_id", "nunique"),
                        tonnes_per_year=("tonnes", "sum"), _rank=("_rank", "max"))
    # Each link's distinct codes, sorted: one join per link on deduplicated rows (a Python
    # set per group took most of a rerun at 20,000 synergies).
    pairs = syn[["from_site_id", "to_site_id", "ewc_code"]].dropna().drop_duplicates()
    codes = pairs.sort_values(["from_site_id", "to_site_id", "ewc_code"]).groupby(
        ["from_site_id", "to_site_id"], sort=False)["ewc_code"].agg(" ".join)
    codes.index = codes.index.set_names(["from", "to"])
    edges["codes"] = codes.reindex(edges.index).fillna("").astype(str)
    edges = edges.reset_index()
    edges["stage"] = np.asarray(STAGES, dtype=object)[edges["_rank"].clip(0).astype(int)]
    edges["from_name"] = edges["from"].map(sites["name"])
    edges["to_name"] = edges["to"].map(sites["name"])
    lon, lat = site_lonlat(sites)
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=sites.index, crs=4326)
    return gpd.GeoDataFrame(edges[EDGE_COLUMNS], geometry=edge_lines(edges, points), crs=4326)


def graph_layout(edges: pd.DataFrame, *, seed: int = 7) -> pd.DataFrame:
    """Positions of the network's nodes for a graph view (spring layout weighted by tonnes).

    Returns one row per node: ``node``, ``name``, ``x``, ``y`` (unitless), ``tonnes_out``,
    ``tonnes_in``.
    """
    import networkx as nx  # heavy and needed by this drawing only: loaded on first use

    g = nx.DiGraph()
    for row in edges.itertuples(index=False):
        w = float(row.tonnes_per_year) if np.isfinite(row.tonnes_per_year) else 0.0
        g.add_edge(row[0], row[1], weight=np.log1p(w) + 1.0)
    if g.number_of_nodes() == 0:
        return pd.DataFrame(columns=["node", "name", "x", "y", "tonnes_out", "tonnes_in"])
    pos = nx.spring_layout(g, seed=seed, weight="weight")
    names = dict(zip(edges["from"], edges["from_name"], strict=False)) | dict(
        zip(edges["to"], edges["to_name"], strict=False))
    t = pd.to_numeric(edges["tonnes_per_year"], errors="coerce").fillna(0.0)
    out_t = t.groupby(edges["from"]).sum()
    in_t = t.groupby(edges["to"]).sum()
    nodes = list(g.nodes)
    return pd.DataFrame({"node": nodes, "name": [names.get(n, n) for n in nodes],
                         "x": [pos[n][0] for n in nodes], "y": [pos[n][1] for n in nodes],
                         "tonnes_out": [float(out_t.get(n, 0.0)) for n in nodes],
                         "tonnes_in": [float(in_t.get(n, 0.0)) for n in nodes]})


def kpis(programme: Programme, book: SynergyBook, *, factors: Factors,
         config: OutcomeConfig | None = None, sankey: SankeyData | None = None,
         role: Role = "practitioner", k: int = MIN_K,
         release: SynergyRelease | None = None) -> pd.DataFrame:
    """The dashboard: members, synergies by stage, tonnes placed, outcome totals.

    Returns ``key`` (a code: ``haves_recorded``, ``synergies:completed``,
    ``outcome:landfill_diverted_t``…; see :data:`KPI_LABELS` and :func:`kpi_label`), ``kpi``
    (its label in this session's language), ``value``, ``unit`` (a code: ``t/yr``,
    ``sites``, ``share``…), ``producers`` and ``note`` (the factor citation for CO2e).
    Viewers who may not see companies get :func:`viewer_kpis` of ``release`` (built with
    ``k`` when not given).
    """
    config = config or OutcomeConfig()
    if not can_see_companies(role):
        from geo.synergies.viewer import viewer_kpis, viewer_release

        release = release or viewer_release(programme, book, catalogue=None, k=k,
                                            factors=factors, config=config)
        return viewer_kpis(release, member_sites=len(programme.sites))
    syn = book.synergies
    sankey = sankey or sankey_data(programme, book, role="practitioner")
    n = sankey.nodes
    total_t = float(n.loc[n["column"] == 0, "tonnes_out"].sum())
    in_syn = n[(n["column"] == 2) & n["key"].str.startswith("stage:")]
    live = syn[syn["stage"] != ABANDONED]
    rows: list[tuple[str, float | None, str, float, str]] = [
        ("member_sites", float(len(programme.sites)), "sites", len(programme.sites), ""),
        ("members_in_live_synergies",
         float(pd.concat([live["from_site_id"], live["to_site_id"]]).nunique()), "sites",
         int(live["from_site_id"].nunique()), ""),
        ("haves_recorded", total_t, "t/yr", int(n.loc[n["column"] == 0, "producers"].sum()),
         ""),
        ("haves_in_live_synergies", float(in_syn["tonnes_in"].sum()), "t/yr",
         int(live["from_site_id"].nunique()), ""),
    ]
    for stage in (*STAGES, ABANDONED):
        part = syn[syn["stage"] == stage]
        rows.append((f"synergies:{stage}", float(len(part)), "synergies",
                     int(part["from_site_id"].nunique()), ""))
    closed = syn["stage"].isin(["completed", ABANDONED])
    done = float((syn["stage"] == "completed").sum())
    rows.append(("completion_rate", done / closed.sum() if closed.any() else float("nan"),
                 "share", int(syn.loc[closed, "from_site_id"].nunique()), ""))
    wide = outcomes_wide(book, factors=factors, config=config)
    producers = wide["synergy_id"].map(syn.set_index("synergy_id")["from_site_id"]).nunique()
    for name in config.tracked:
        note = str(wide["co2e_factors"].iloc[0]) if name == "co2e_avoided_t" and len(wide) \
            else ""
        rows.append((f"outcome:{name}", float(wide[name].sum()), config.unit_of(name),
                     int(producers), note))
    return kpi_table(rows)
