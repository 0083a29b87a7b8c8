"""Red team: what a hostile viewer can learn from the Reports, the workbook and the network.

The attacker knows the **structure** of every synergy — who gives to whom, its stage, stream and
parks (companies talk, and site addresses are public) — and which synergies report an outcome
at all (outcomes come only once implemented); the figures are what they are after. Each figure
a viewer sees (read off the viewer's outputs) becomes an equation over the synergies' unknown
figures, and linear programmes bound every company's figure — as giver and as receiver, for
the tonnage and each outcome — for an outsider and for every **insider**: a company knows all
synergies it is party to, as giver or receiver, so its target is the part of another company's
figure it does not already know. A company counts as recovered when that part is pinned within
±10 % (:data:`tests.redteam.attacks.TOLERANCE`). The attacks of issue 12:

- the funders' workbook: stage, stream and park-pair sheets summed against the KPI totals;
- the park network under several stage filters, differenced;
- the Sankey's links against its node totals;
- all of them together, on the demo's illustrative synergies and on seeded random books.

Controls show the attacks bite: everything released, the givers alone as contributors, and both
attributions without the insider rule each let some company be pinned.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from geo.catalogue import load_catalogue
from geo.demo import load_demo_programme
from geo.disclosure import DisclosureRules, protect_tree
from geo.factors import load_factors
from geo.synergies.demo import demo_synergy_book
from geo.synergies.lifecycle import ALL_STAGES, STAGES
from geo.synergies.protected import (
    COUNT,
    LEVELS,
    OTHER_STAGES,
    OTHER_STREAMS,
    PAIR_SEP,
    TONNES,
    SynergyRelease,
    build_synergy_release,
    release_from_records,
    synergy_records,
)
from geo.synergies.viewer import (
    STAGE_PREFIX,
    park_points,
    viewer_kpis,
    viewer_network_edges,
    viewer_sankey,
)
from geo.synergies.workbook import read_workbook, viewer_sheets, workbook_bytes
from tests.redteam.attacks import TOLERANCE, Knowledge

LANDFILL = "landfill_diverted_t"
OPEN = DisclosureRules(k=1, p_percent=0, by_administrator=True)
"""No protection at all: the controls' release."""

# --- the attacker's picture and their equations -------------------------------------------


def _picture(recs: pd.DataFrame, release: SynergyRelease) -> pd.DataFrame:
    """The structure the attacker knows, with the labels the outputs use."""
    out = recs.copy()
    out["stream_label"] = out["stream"].map(release.stream_labels).fillna(out["stream"])
    out["from_name"] = out["from_park"].map(release.park_names).fillna(out["from_park"])
    out["to_name"] = out["to_park"].map(release.park_names).fillna(out["to_park"])
    return out.reset_index(drop=True)


def _add(k: dict[str, Knowledge], pic: pd.DataFrame, measure: str, mask: np.ndarray,
         value: float, factor: float = 1.0) -> None:
    """Record ``Σ figure of the synergies in mask = value / factor`` and check it is true."""
    ids = pic.loc[mask, "synergy_id"]
    assert pic.loc[mask, measure].sum() * factor == pytest.approx(value, rel=1e-6, abs=1e-6), \
        (measure, value)
    k[measure].add(dict.fromkeys(ids, 1.0), value / factor)


def _measure_of(column: str, release: SynergyRelease) -> tuple[str, float] | None:
    """The protected measure behind a workbook column ``Label (unit)``, and its factor."""
    for m in release.all_measures:
        if column == f"{release.labels[m]} ({release.units[m]})" and m != COUNT:
            return release.derived.get(m, (m, 1.0))
    return None


def workbook_equations(pic: pd.DataFrame, release: SynergyRelease,
                       sheets: dict[str, pd.DataFrame], k: dict[str, Knowledge]) -> None:
    """Every figure of a viewer's workbook, read back from the file, as equations."""
    kpi = sheets["KPIs"].set_index("kpi")["value"]
    live = pic["stage"].isin(STAGES).to_numpy()
    if pd.notna(kpi.get("Synergy tonnes (live stages)")):
        _add(k, pic, TONNES, live, float(kpi["Synergy tonnes (live stages)"]))
    if pd.notna(kpi.get("Synergy tonnes (all stages)")):
        _add(k, pic, TONNES, np.ones(len(pic), bool), float(kpi["Synergy tonnes (all stages)"]))
    for m in release.all_measures:
        name = f"{release.labels[m]} (all years)"
        base, factor = release.derived.get(m, (m, 1.0))
        if name in kpi.index and pd.notna(kpi[name]) and base in k:
            _add(k, pic, base, np.ones(len(pic), bool), float(kpi[name]), factor)
    keys = {"Totals by stage": ["stage"], "By stage and stream": ["stage", "stream"],
            "By park pair": ["stage", "stream", "from_park", "to_park"],
            "Totals by stream": ["stream"], "Totals by park pair": ["from_park", "to_park"]}
    columns = {"stream": "stream_label", "from_park": "from_name", "to_park": "to_name",
               "stage": "stage"}
    for sheet, by in keys.items():
        for _, row in sheets[sheet].iterrows():
            mask = np.ones(len(pic), bool)
            for col in by:
                mask &= (pic[columns[col]] == row[col]).to_numpy()
            for col, value in row.items():
                found = _measure_of(str(col), release)
                if found and found[0] in k and pd.notna(value):
                    _add(k, pic, found[0], mask, float(value), found[1])


def _released_nodes(release: SynergyRelease, measure: str) -> pd.DataFrame:
    """What the viewer's tables say is released (stage, stream, park pair; depth)."""
    fig = release.figures()
    return fig[fig[measure].notna()]


def _node_masks(pic: pd.DataFrame, nodes: pd.DataFrame) -> Iterator[np.ndarray]:
    for _, n in nodes.iterrows():
        mask = np.ones(len(pic), bool)
        if n["depth"] >= 1:
            mask &= (pic["stage"] == n["stage"]).to_numpy()
        if n["depth"] >= 2:
            mask &= (pic["stream"] == n["stream"]).to_numpy()
        if n["depth"] >= 3:
            mask &= ((pic["from_park"] == n["from_park"])
                     & (pic["to_park"] == n["to_park"])).to_numpy()
        yield mask


def network_equations(pic: pd.DataFrame, release: SynergyRelease, points: gpd.GeoSeries,
                      k: dict[str, Knowledge],
                      filters: Sequence[tuple[str, ...]] | None = None) -> int:
    """Each park link under each stage filter: the released park-pair figures it sums."""
    pairs = _released_nodes(release, TONNES)
    pairs = pairs[pairs["depth"] == 3]
    filters = filters or [STAGES, *((s,) for s in STAGES),
                          *itertools.combinations(STAGES, 2)]
    n = 0
    for chosen in filters:
        edges = viewer_network_edges(release, points, stages=tuple(chosen))
        for _, e in edges.iterrows():
            nodes = pairs[pairs["stage"].isin(chosen) & (pairs["from_park"] == e["from"])
                          & (pairs["to_park"] == e["to"])]
            mask = np.zeros(len(pic), bool)
            for m in _node_masks(pic, nodes):
                mask |= m
            _add(k, pic, TONNES, mask, float(e["tonnes_per_year"]))
            n += 1
    return n


def sankey_equations(pic: pd.DataFrame, release: SynergyRelease,
                     k: dict[str, Knowledge]) -> int:
    """Each link and node of the viewer's Sankey, with the set the released tables imply."""
    nodes = _released_nodes(release, TONNES)
    under = np.zeros(len(pic), bool)
    for m in _node_masks(pic, nodes):
        under |= m
    key = pic["stage"].astype(str)
    stage_ok = key.isin(nodes.loc[nodes["depth"] == 1, "stage"]).to_numpy()
    pair_key = key + "|" + pic["stream"].astype(str)
    two = nodes[nodes["depth"] == 2]
    stream_ok = pair_key.isin(two["stage"].astype(str) + "|" + two["stream"].astype(str))
    a = np.where(stage_ok, STAGE_PREFIX + key, OTHER_STAGES)
    b = np.where(stream_ok.to_numpy(), pic["stream_label"], OTHER_STREAMS)
    s = viewer_sankey(release)
    label = s.nodes.set_index("node")["label"]
    n = 0
    for link in s.links.itertuples(index=False):
        src, dst = label[link.source], label[link.target]
        mask = under & ((a == dst) if link.source == 0 else ((a == src) & (b == dst)))
        _add(k, pic, TONNES, mask, float(link.tonnes))
        n += 1
    for node in s.nodes.itertuples(index=False):
        side = a if node.column == 1 else b
        mask = under if node.column == 0 else under & (side == node.label)
        _add(k, pic, TONNES, mask, float(max(node.tonnes_in, node.tonnes_out)))
    return n


def recovered(k: Knowledge, pic: pd.DataFrame, measure: str,
              tolerance: float = TOLERANCE) -> list[tuple[str, str, str]]:
    """(company, role, attacker) whose unknown part of the figure the equations pin."""
    if not k.rows:
        return []
    a, b = k.matrix()
    v = pic.set_index("synergy_id").loc[k.producers, measure].to_numpy(float)
    giver = pic.set_index("synergy_id").loc[k.producers, "from_site_id"].to_numpy()
    receiver = pic.set_index("synergy_id").loc[k.producers, "to_site_id"].to_numpy()
    in_any = np.asarray(abs(a).sum(axis=0)).ravel() > 0
    found = []
    for attacker in ["(outsider)", *sorted(set(giver) | set(receiver))]:
        known = (v == 0) | (giver == attacker) | (receiver == attacker)
        bounds = [(float(x), float(x)) if kn else (0.0, None) for x, kn in zip(v, known,
                                                                              strict=True)]
        for company, (role, who) in itertools.product(sorted(set(giver) | set(receiver)),
                                                      (("giver", giver),
                                                       ("receiver", receiver))):
            idx = (who == company) & ~known
            truth = float(v[idx].sum())
            if company == attacker or truth <= 0 or not in_any[idx].all():
                continue  # nothing unknown, or a figure in no equation: unbounded
            c = idx.astype(float)
            hi = linprog(-c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            if hi.status == 3 or -hi.fun > (1 + tolerance) * truth:
                continue
            lo = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            assert hi.status == 0 and lo.status == 0, (hi.message, lo.message)
            if lo.fun >= (1 - tolerance) * truth:
                found.append((company, role, attacker))
    return found


def _knowledge(pic: pd.DataFrame, measures: Sequence[str]) -> dict[str, Knowledge]:
    return {m: Knowledge(list(pic["synergy_id"])) for m in measures}


def _assert_nobody_pinned(k: dict[str, Knowledge], pic: pd.DataFrame) -> None:
    for m, eq in k.items():
        assert recovered(eq, pic, m) == [], m


# --- the demo ------------------------------------------------------------------------------

DEMO_MEASURES = (TONNES, LANDFILL, "cost_savings", "new_sales", "jobs_created")


@pytest.fixture(scope="module")
def demo() -> tuple[SynergyRelease, pd.DataFrame, gpd.GeoSeries, dict[str, pd.DataFrame]]:
    """The demo's illustrative synergies: their release, the attacker's picture, the parks'
    points and the viewer's workbook as read back from the file."""
    prog = load_demo_programme()
    book = demo_synergy_book(prog)
    release = build_synergy_release(prog, book, catalogue=load_catalogue(),
                                    factors=load_factors())
    recs = synergy_records(prog, book, catalogue=load_catalogue(), factors=load_factors())
    from geo.synergies.workbook import funder_workbook

    sheets = read_workbook(funder_workbook(prog, book, factors=load_factors(), role="viewer",
                                           release=release))
    return release, _picture(recs, release), park_points(prog), sheets


def test_workbook_groups_against_the_kpi_totals_pin_no_company(demo) -> None:
    """Stage, stream and park-pair sheets summed against the KPI totals pin nobody."""
    release, pic, _, sheets = demo
    k = _knowledge(pic, DEMO_MEASURES)
    workbook_equations(pic, release, sheets, k)
    assert len(k[TONNES].rows) >= 5
    _assert_nobody_pinned(k, pic)


def test_network_under_stage_filters_differenced_pins_no_company(demo) -> None:
    """Park links under all stages, each stage and each pair of stages pin nobody."""
    release, pic, points, _ = demo
    k = _knowledge(pic, (TONNES,))
    network_equations(pic, release, points, k)
    workbook_equations(pic, release, demo[3], k)  # with the totals they are differenced from
    _assert_nobody_pinned(k, pic)


def test_sankey_links_against_node_totals_pin_no_company(demo) -> None:
    """The Sankey's links, its node totals and the workbook together pin nobody."""
    release, pic, _, sheets = demo
    k = _knowledge(pic, (TONNES,))
    assert sankey_equations(pic, release, k) >= 4
    workbook_equations(pic, release, sheets, k)
    _assert_nobody_pinned(k, pic)


def test_control_everything_released_pins_companies(demo) -> None:
    """Control: the same attack on a release without protection pins companies."""
    _, pic, points, _ = demo
    release = release_from_records(pic, measures=(COUNT, TONNES), rules=OPEN,
                                   park_names=demo[0].park_names,
                                   stream_labels=demo[0].stream_labels)
    k = _knowledge(pic, (TONNES,))
    workbook_equations(pic, release, _sheets(release), k)
    network_equations(pic, release, points, k, filters=[STAGES])
    assert recovered(k[TONNES], pic, TONNES)


# --- random synergy books -----------------------------------------------------------------

def random_records(seed: int) -> pd.DataFrame:
    """A random synergy book as records: 8–30 companies, 15–60 synergies over one to three
    parks, streams and favoured stages, a few receivers taking most flows, big and small
    tonnages, outcomes once implemented."""
    rng = np.random.default_rng(seed)
    n_co = int(rng.integers(8, 31))
    hubs = int(rng.integers(3, n_co))
    parks, streams = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    stages = rng.choice(ALL_STAGES, size=int(rng.integers(2, 7)), replace=False)
    rows = []
    for i in range(int(rng.integers(15, 61))):
        a = int(rng.integers(0, n_co))
        b = int(rng.integers(0, hubs if rng.random() < 0.7 else n_co))
        if a == b:
            b = (b + 1) % n_co
        stage = str(stages[int(rng.integers(0, len(stages)))])
        tonnes = float(np.round(rng.uniform(200, 3000) if rng.random() < 0.3
                                else rng.uniform(5, 150), 1))
        done = stage in ("implemented", "completed")
        pa, pb = f"P{a % parks}", f"P{b % parks}"
        rows.append({"synergy_id": f"S{i:02d}", "from_site_id": f"C{a}",
                     "to_site_id": f"C{b}", "from_park": pa, "to_park": pb, "stage": stage,
                     "stream": ["plastics", "metals", "organics"][int(rng.integers(0, streams))],
                     "park_pair": f"{pa}{PAIR_SEP}{pb}", COUNT: 1.0, TONNES: tonnes,
                     LANDFILL: float(np.round(tonnes * rng.uniform(0.3, 0.9), 1)) if done
                     else 0.0})
    return pd.DataFrame(rows)


def _sheets(release: SynergyRelease) -> dict[str, pd.DataFrame]:
    """A viewer's workbook of ``release``, written and read back."""
    sheets = viewer_sheets(release, factors=load_factors(), kpi=viewer_kpis(release),
                           about=[("Programme", "random")])
    return read_workbook(workbook_bytes(sheets))


SEEDS = (2, 3, 5, 8, 10, 12)
"""Books whose releases reach park pairs (network links) and stage × stream figures."""


@pytest.mark.parametrize("seed", SEEDS)
def test_every_view_together_pins_no_company_on_random_books(seed: int) -> None:
    """Workbook, park links under every stage filter and the Sankey, together, pin nobody."""
    recs = random_records(seed)
    release = release_from_records(recs, measures=(COUNT, TONNES, LANDFILL))
    pic = _picture(recs, release)
    k = _knowledge(pic, (TONNES, LANDFILL))
    workbook_equations(pic, release, _sheets(release), k)
    network_equations(pic, release, gpd.GeoSeries([], crs=4326), k)
    if release.total(TONNES) is not None:
        sankey_equations(pic, release, k)
    assert len(k[TONNES].rows) >= 10
    _assert_nobody_pinned(k, pic)


def _node_equations(recs: pd.DataFrame, nodes: pd.DataFrame, value: str) -> Knowledge:
    k = Knowledge(list(recs["synergy_id"]))
    for _, n in nodes.iterrows():
        mask = np.ones(len(recs), bool)
        for col in LEVELS[:int(n["depth"])]:
            mask &= (recs[col] == n[col]).to_numpy()
        k.add(dict.fromkeys(recs.loc[mask, "synergy_id"], 1.0), float(n[value]))
    return k


def _path(nodes: pd.DataFrame) -> pd.Series:
    return nodes[list(LEVELS)].fillna("").astype(str).agg("|".join, axis=1) + "#" + \
        nodes["depth"].astype(str)


def test_control_givers_alone_or_no_insider_rule_pin_companies() -> None:
    """Controls: protecting with the givers alone as contributors, or with both attributions
    but without the insider rule, lets insiders pin companies (book 4; on books 0–39 the first
    happens on five, the second on this one), while the synergy release pins nobody."""
    recs = random_records(4)
    recs = recs[recs[TONNES] > 0].reset_index(drop=True)
    trees = [protect_tree(recs, LEVELS, value=TONNES, producer=c)
             for c in ("from_site_id", "to_site_id")]
    g = trees[0].released()
    assert recovered(_node_equations(recs, g, "tonnes"), recs, TONNES)
    both = g[_path(g).isin(set(_path(trees[1].released()))).to_numpy()]
    found = recovered(_node_equations(recs, both, "tonnes"), recs, TONNES)
    assert found and all(attacker != "(outsider)" for _, _, attacker in found)
    ours = release_from_records(recs, measures=(COUNT, TONNES)).trees[TONNES].released()
    assert not recovered(_node_equations(recs, ours, "value"), recs, TONNES)


# --- property: what is released passes the rules for both attributions ---------------------

@st.composite
def books(draw: st.DrawFn) -> pd.DataFrame:
    """Random books from the seeded generator, with random figures."""
    recs = random_records(draw(st.integers(0, 10_000)))
    scale = draw(st.lists(st.floats(0.01, 100), min_size=len(recs), max_size=len(recs)))
    return recs.assign(**{TONNES: recs[TONNES].to_numpy() * np.array(scale)})


def _passes(rules: DisclosureRules, rows: pd.DataFrame, who: str) -> bool:
    c = rows.groupby(who)[TONNES].sum().sort_values(ascending=False)
    if c.empty:
        return True
    top2 = c.iloc[1] if len(c) > 1 else 0.0
    return bool(rules.passes(np.array([len(c)]), np.array([c.sum()]), np.array([c.iloc[0]]),
                             np.array([top2]))[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.sampled_from([DisclosureRules(), DisclosureRules(k=4, p_percent=25)]))
def test_every_released_node_and_remainder_passes_for_both_attributions(
        recs: pd.DataFrame, rules: DisclosureRules) -> None:
    """Every released node, and every remainder H(N), passes the rules with the givers and
    with the receivers as contributors."""
    release = release_from_records(recs, measures=(COUNT, TONNES), rules=rules)
    tree = release.trees[TONNES]
    contrib = tree.records
    for _, node in tree.released().iterrows():
        under = tree.node_at[int(node["depth"])] == int(node["node"])
        remainder = contrib["assigned"].to_numpy() == int(node["node"])
        for rows, who in itertools.product((under, remainder), ("from_site_id", "to_site_id")):
            assert _passes(rules, contrib[rows], who), (node.to_dict(), who)
