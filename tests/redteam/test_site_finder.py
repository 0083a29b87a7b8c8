"""Red team: what a hostile viewer can learn from the Site finder.

The viewer (an investor) knows where every member site is (addresses are public) and which
producers record which stream. The attacks of issue 12, run against what the viewer's Site
finder shows:

- **flags against an editable minimum throughput**: a candidate's *viable* flag (and a best
  plant's *meets minimum* flag) flips exactly where the minimum passes its feedstock, so a
  bisection recovers the feedstock within reach to the tonne, whatever the banding of the
  figures shown (checked on one candidate; the attacker is then given every feedstock
  exactly);
- **two haul radii on uploaded candidates**: candidates uploaded on known sites, scored at
  several haul limits, so that differences of feedstock isolate what lies between two
  circles.

Every such figure is a function of the release. The attacker writes each one as an equation
over producers' unknown tonnages (``<site>|<stream>``): a released hexagon's or remainder's
tonnage is the sum of the producers it holds (which the attacker works out from the public
structure of the release), and the share of it a candidate reaches is known to the attacker
(the spreading is public). :func:`tests.redteam.attacks.pinned` then bounds every producer,
as an outsider and as each insider.

The same attack against the former viewer output — feedstock from member records with flags
left visible — pins producers (the control), so the attack has teeth.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.catalogue import load_catalogue
from geo.demo import load_demo_programme
from geo.disclosure import ProgrammeRelease, build_release
from geo.programme import Programme
from geo.siting import (
    SiteFinderRun,
    TechnologyProfile,
    best_sites_for_role,
    best_sites_from_scored,
    feedstock_from_release,
    feedstock_records,
    find_sites,
    load_profiles,
    profile_release_streams,
    ranking_for_role,
    score_sites_from_gdf,
    supplier_points,
)
from geo.siting.feedstock import SupplierPoints
from tests.redteam.attacks import Knowledge, pinned

RADII_KM = (0.5, 1.0, 2.0, 4.0)
"""Haul limits the attacker tries on the same uploaded candidates."""
OPEN_RULES = {"inside_industrial": False, "min_residential_distance_m": 0.0,
              "max_main_road_distance_m": None}
"""Siting rules that let every uploaded point through (the attack is about feedstock)."""
SEEDS = (7, 11, 23)
"""The demo (seed 7) and two random programmes from the same generator."""


@dataclass(frozen=True)
class Case:
    """One programme attacked with one technology."""

    programme: Programme
    release: ProgrammeRelease
    profile: TechnologyProfile
    candidates: gpd.GeoDataFrame


def _profile(base: TechnologyProfile, haul_km: float, min_t: float = 0.0) -> TechnologyProfile:
    return base.with_changes(rules=OPEN_RULES, land_ha=0.0, max_haul_km=haul_km,
                             min_throughput_t=min_t, max_throughput_t=1e6)


def _case(seed: int) -> Case:
    """The profile with most released feedstock, candidates on its largest producers' sites."""
    prog = load_demo_programme(seed=seed)
    cat = load_catalogue()
    release = build_release(prog, catalogue=cat)
    best = max(load_profiles().values(),
               key=lambda p: feedstock_from_release(release, p, catalogue=cat).total_t)
    recs = feedstock_records(prog, best, catalogue=cat).records
    top = (recs.groupby("site_id")["tonnes_per_year"].sum().sort_values(ascending=False)
           .index[:4])
    sites = prog.sites.set_index("site_id").loc[top]
    points = [*sites.geometry, *prog.parks.geometry.representative_point()]
    candidates = gpd.GeoDataFrame({"name": [f"upload {i}" for i in range(len(points))]},
                                  geometry=points, crs=4326)
    return Case(prog, release, best, candidates)


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def case(request: pytest.FixtureRequest) -> Case:
    """The demo and two random programmes, each with its best-supplied technology."""
    return _case(int(request.param))


def _viewer_run(case: Case, profile: TechnologyProfile) -> SiteFinderRun:
    _, run = find_sites(case.programme, profile, "user", graph=None,
                        uploaded=case.candidates, release=case.release)
    assert run is not None
    return run


def _feed(run: SiteFinderRun) -> pd.Series:
    """Unbanded feedstock within reach per candidate name (what the flags give away)."""
    return run.scored.sites.set_index("name")["feedstock_t"].astype(float)


# --- the attacker's model of the release --------------------------------------------------

def _only_node(release: ProgrammeRelease, node: int) -> ProgrammeRelease:
    """The release with every remainder but ``node``'s emptied (to place one node's mass)."""
    tree = release.trees["have"]
    nodes = tree.nodes.copy()
    nodes.loc[nodes["node"] != node, "hidden_tonnes"] = 0.0
    return dataclasses.replace(release, trees={
        **release.trees, "have": dataclasses.replace(tree, nodes=nodes)})


def _node_supply(case: Case) -> tuple[SupplierPoints, list[int]]:
    """One "stream" per released remainder: its mass at the points the release puts it."""
    streams = list(profile_release_streams(case.release, case.profile).streams)
    nodes = case.release.trees["have"].nodes
    live = nodes[nodes["published"] & (nodes["hidden_tonnes"] > 0) & (nodes["depth"] >= 1)
                 & nodes["stream"].isin(streams)]
    frames = []
    ids: list[int] = []
    for node in live["node"].astype(int):
        rel = _only_node(case.release, node)
        table = feedstock_from_release(rel, case.profile).records
        if table.empty:
            continue  # a stream remainder: it has no place and is not counted
        ids.append(node)
        frames.append(table.assign(stream=f"n{node}"))
    rec = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
    pivot = rec.pivot_table(index="site_id", columns="stream", values="tonnes_per_year",
                            aggfunc="sum", fill_value=0.0).reindex(columns=[f"n{i}" for i in ids])
    geom = rec.drop_duplicates("site_id").set_index("site_id").geometry.loc[pivot.index]
    sites = gpd.GeoDataFrame({"site_id": pivot.index, "site_name": "x",
                              "tonnes_per_year": pivot.sum(axis=1).to_numpy(), "output": 0.0},
                             geometry=geom.to_numpy(), crs=4326)
    return SupplierPoints(sites, pivot.to_numpy(float), tuple(pivot.columns)), ids


def _members(release: ProgrammeRelease, node: int) -> dict[str, float]:
    """Producer-stream variables in a released node's remainder, with their tonnages."""
    tree = release.trees["have"]
    rows = tree.contributions[tree.assigned == node]
    return {f"{p}|{s}": float(v) for p, s, v in
            zip(rows["_producer"], rows["stream"], rows["_value"], strict=True)}


def _truth(release: ProgrammeRelease, streams: list[str]) -> dict[str, float]:
    c = release.trees["have"].contributions
    c = c[c["stream"].isin(streams)]
    return {f"{p}|{s}": float(v) for p, s, v in
            zip(c["_producer"], c["stream"], c["_value"], strict=True)}


def _released_figures(knowledge: Knowledge, release: ProgrammeRelease,
                      streams: list[str]) -> None:
    """Every released figure of those streams (the viewer sees them on other pages too)."""
    tree = release.trees["have"]
    c = tree.contributions
    names = np.array([f"{p}|{s}" for p, s in zip(c["_producer"], c["stream"], strict=True)])
    for node in tree.released().itertuples(index=False):
        if node.depth == 0 or node.stream not in streams:
            continue
        mask = np.ones(len(c), bool)
        for col in tree.levels[:int(node.depth)]:
            mask &= c[col].astype(str).to_numpy() == str(getattr(node, col))
        knowledge.add(dict.fromkeys(names[mask], 1.0), float(node.tonnes))


# --- the attacks ---------------------------------------------------------------------------

def test_flags_give_the_feedstock_to_the_tonne(case: Case) -> None:
    """Bisecting the minimum throughput on one candidate's viable flag recovers its feedstock
    within 1 t — so the attacker may be assumed to know every feedstock exactly."""
    base = _profile(case.profile, RADII_KM[1])
    target = _feed(_viewer_run(case, base))
    name = str(target.idxmax())
    lo, hi = 0.0, float(target.max()) * 2 + 10
    while hi - lo > 1.0:
        mid = (lo + hi) / 2
        run = _viewer_run(case, _profile(case.profile, RADII_KM[1], min_t=mid))
        viable = run.scored.sites.set_index("name")["viable"]
        lo, hi = (mid, hi) if bool(viable[name]) else (lo, mid)
    assert lo == pytest.approx(target[name], abs=1.0)
    shown = ranking_for_role(run.scored.sites, role="viewer", released=True)
    assert "cells" in shown and "suppliers" not in shown


def _one_per_column(sites: gpd.GeoDataFrame, tonnes: np.ndarray | None = None
                    ) -> SupplierPoints:
    """Supply points scored as one stream each, so the scores say which are within reach."""
    t = np.ones(len(sites)) if tonnes is None else tonnes
    ids = tuple(str(i) for i in sites["site_id"])
    return SupplierPoints(sites, np.diag(t), ids, conversion=(1.0,) * len(ids))


def _weights(case: Case, supply: SupplierPoints, ids: list[int],
             cell_share: dict[str, float]) -> dict[str, float]:
    """Producer weights of the mass a view takes from hexagons (``cell → share taken``)."""
    hidden = case.release.trees["have"].nodes.set_index("node")["hidden_tonnes"]
    rows = {c: i for i, c in enumerate(supply.sites["site_id"])}
    weights: dict[str, float] = {}
    for cell, share in cell_share.items():
        for j, node in enumerate(ids):
            part = share * float(supply.tonnes[rows[cell], j]) / float(hidden[node])
            for var in _members(case.release, node) if part else ():
                weights[var] = weights.get(var, 0.0) + part
    return weights


def _attack(case: Case) -> tuple[Knowledge, dict[str, float]]:
    """What the viewer's Site finder gives away, as equations over producers (and the truth).

    Feedstock at every haul limit on the uploaded candidates, the best plants' tonnages
    (their meets-minimum flags bisected), and every released figure of the streams.
    """
    streams = list(profile_release_streams(case.release, case.profile).streams)
    truth = _truth(case.release, streams)
    knowledge = Knowledge(sorted(truth))
    supply, ids = _node_supply(case)
    for km in RADII_KM:
        profile = _profile(case.profile, km)
        run = _viewer_run(case, profile)
        # Which share of each hexagon's mass lies within reach of each candidate.
        each = _one_per_column(supply.sites)
        reach = score_sites_from_gdf(case.candidates, each, profile, graph=None).sites
        reach = reach.set_index("name")
        for name, feed in _feed(run).items():
            taken = {c: float(reach.loc[name, f"t_{c}"]) for c in supply.sites["site_id"]}
            knowledge.add(_weights(case, supply, ids, taken), feed)
        best = best_sites_from_scored(run.scored, run.suppliers, 2)
        assert list(best_sites_for_role(best, role="viewer")[1].columns) == [
            "plant", "haul_km", "within_haul", "geometry"]
        cell_t = run.suppliers.sites.set_index("site_id")["tonnes_per_year"]
        for _, flows in best.flows.groupby("plant"):  # meets-minimum flags, bisected
            taken = {str(c): float(t) / float(cell_t[c]) for c, t in
                     zip(flows["supplier_id"], flows["tonnes_per_year"], strict=True)}
            knowledge.add(_weights(case, supply, ids, taken),
                          float(flows["tonnes_per_year"].sum()))
    assert len(knowledge.rows) >= len(case.candidates)  # the site finder gave figures away
    _released_figures(knowledge, case.release, streams)
    a, b = knowledge.matrix()
    x = np.array([truth[v] for v in knowledge.producers])
    assert np.allclose(a @ x, b, rtol=1e-9, atol=1e-6)  # the attacker's model is right
    return knowledge, truth


def test_two_haul_radii_and_flags_pin_no_producer(case: Case) -> None:
    """Feedstock at four haul limits on candidates uploaded on known sites, the best plants'
    tonnages, and every released figure of the streams: no producer within 10 %."""
    knowledge, truth = _attack(case)
    assert pinned(knowledge, truth) == []


def test_the_same_attack_on_member_records_pins_producers() -> None:
    """Control: feedstock from member records (the former viewer output, flags visible) at
    four haul limits around known sites pins producers — the attack has teeth."""
    case = _case(7)
    cat = load_catalogue()
    table = feedstock_records(case.programme, case.profile, catalogue=cat)
    suppliers = supplier_points(table)
    ids = suppliers.sites["site_id"].tolist()
    each = _one_per_column(suppliers.sites, suppliers.sites["tonnes_per_year"].to_numpy(float))
    truth = dict(zip(ids, suppliers.sites["tonnes_per_year"].astype(float), strict=True))
    knowledge = Knowledge(ids)
    for km in RADII_KM:
        profile = _profile(case.profile, km)
        per = score_sites_from_gdf(case.candidates, each, profile, graph=None).sites
        for _, row in per.iterrows():
            reach = {i: 1.0 for i in ids if row[f"t_{i}"] > 0}
            knowledge.add(reach, float(sum(row[f"t_{i}"] for i in ids)))
    assert pinned(knowledge, truth, insiders=False)


def test_the_same_attack_on_an_unprotected_release_pins_producers() -> None:
    """Control: with k = 1 and no dominance rule (an administrator's weakest release) the very
    same viewer pipeline and attack pin producers — so the test would catch a weak release."""
    from geo.disclosure import DisclosureRules

    case = _case(7)
    weak = DisclosureRules(k=1, p_percent=0.0, by_administrator=True)
    case = dataclasses.replace(case, release=build_release(case.programme,
                                                           catalogue=load_catalogue(),
                                                           rules=weak))
    knowledge, truth = _attack(case)
    assert pinned(knowledge, truth, insiders=False)
