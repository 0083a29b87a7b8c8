"""Red team: what a hostile viewer can learn from Browse & export and the Overview.

The viewer knows where every member site is, which park it is in and which streams it records
(addresses and trades are public). The attacks of issue 12 against these pages:

- **count bisection with a minimum-quantity filter around a known site**: on records, "N of M
  records match" within 5 m of a site flips where the minimum passes the site's quantity, so
  bisection gives it to the tonne (the control shows it still does for practitioners). A
  viewer has no such filter: whatever quantity, code, sector, hazard or distance values sit
  in the session state, every viewer query returns the same released figures;
- **per-chapter and per-park figures of the overview** (one chapter's wants came from one
  site; the park table's haves added wants), and the stream × park tables of Browse: every
  figure a viewer sees is written as an equation over producers' tonnages
  (``<site>|<stream>|<direction>``) and :func:`tests.redteam.attacks.pinned` bounds each
  producer as an outsider; insiders are the two largest other contributors of each target's
  smallest figure (the p % rule's threat). Every such figure is also shown to be a sum of
  released nodes, so the complete insider audit of the release
  (``geo.disclosure.audit_tree``, run by ``tests/geo/disclosure``) covers them.

On the demo through the pages (AppTest), and on two random programmes through the functions
the pages call.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.catalogue import load_catalogue
from geo.demo import load_demo_programme
from geo.disclosure import ProgrammeRelease, build_release, disclosed, producer_bounds
from geo.disclosure.audit import tree_equations
from geo.programme import Programme
from geo.search import ReleaseQuery, ResourceQuery, search_release, search_resources
from geo.summary import released_parks_table, released_streams_table, released_totals
from tests.pages.support import open_page
from tests.redteam.attacks import TOLERANCE, Knowledge, pinned
from ui import Key

BROWSE = "pages/browse.py"
OVERVIEW = "pages/home.py"
DIRECTIONS = ("have", "want")


def _release(seed: int = 7) -> tuple[Programme, ProgrammeRelease]:
    prog = load_demo_programme(seed=seed)
    return prog, build_release(prog, catalogue=load_catalogue())


# --- producers as the attacker names them --------------------------------------------------

def _variables(release: ProgrammeRelease) -> pd.DataFrame:
    """One row per producer, stream and direction: its park and true tonnage."""
    frames = []
    for d in DIRECTIONS:
        c = release.trees[d].contributions
        frames.append(pd.DataFrame({"var": c["_producer"] + "|" + c["stream"] + "|" + d,
                                    "stream": c["stream"], "park": c["park"], "direction": d,
                                    "tonnes": c["_value"].astype(float)}))
    return pd.concat(frames, ignore_index=True)


def _add(knowledge: Knowledge, vars_: pd.DataFrame, value: float) -> None:
    knowledge.add(dict.fromkeys(vars_["var"], 1.0), value)


def _released_in_park(release: ProgrammeRelease, direction: str, park: str) -> list[str]:
    """The streams released in a park (what Browse shows the attacker)."""
    nodes = release.trees[direction].nodes
    sel = nodes[(nodes["depth"] == 2) & nodes["published"] & (nodes["park"] == park)]
    return sel["stream"].tolist()


def _overview_equations(knowledge: Knowledge, release: ProgrammeRelease, v: pd.DataFrame,
                        streams: pd.DataFrame, parks: pd.DataFrame,
                        totals: dict[str, float | None], *, scope: tuple[str, ...] = ()) -> None:
    """The overview's figures: totals, stream rows, park rows (haves and wants apart).

    ``scope``: a park authority's parks (its stream rows sum the released figures of those).
    """
    label_to_stream = {lbl: s for s, lbl in release.stream_labels().items()}
    for d in DIRECTIONS:
        mine = v[v["direction"] == d]
        total = totals[d]
        if total is not None:
            _add(knowledge, mine, float(total))
        for row in streams.itertuples(index=False):
            value = getattr(row, f"{d}_t")
            if pd.isna(value):
                continue
            s = getattr(row, "stream", None) or label_to_stream[row.label]
            sel = mine[mine["stream"] == s]
            if scope:
                sel = sel[sel["park"].isin([p for p in scope
                                            if s in _released_in_park(release, d, p)])]
            _add(knowledge, sel, float(value))
        for row in parks.itertuples(index=False):
            shown = _released_in_park(release, d, str(row.park_id))
            if shown:
                _add(knowledge, mine[(mine["park"] == row.park_id)
                                     & mine["stream"].isin(shown)], float(getattr(row, f"{d}_t")))


def _browse_equations(knowledge: Knowledge, v: pd.DataFrame, table: pd.DataFrame,
                      direction: str) -> None:
    """Browse's released rows: a stream's total, or a stream in a park."""
    mine = v[v["direction"] == direction]
    for row in table[table["status"] == "released"].itertuples(index=False):
        sel = mine[mine["stream"] == row.stream]
        if "park_id" in table.columns:
            sel = sel[sel["park"] == row.park_id]
        _add(knowledge, sel, float(row.tonnes_per_year))


def _insiders_pin(knowledge: Knowledge, truth: dict[str, float]) -> list[tuple[str, str]]:
    """Targets pinned by an insider who knows its own tonnage: the two largest other
    contributors of the target's smallest figure (whom the p % rule guards against)."""
    a, b = knowledge.matrix()
    names = knowledge.producers
    found = []
    for j, target in enumerate(names):
        rows = [r for r in knowledge.rows if j in r]
        if not rows:
            continue
        others = sorted((i for i in min(rows, key=len) if i != j),
                        key=lambda i: -truth[names[i]])
        for i in others[:2]:
            lo, hi = producer_bounds(a, b, [np.array([j])], known={i: truth[names[i]]})
            if disclosed(truth[target], float(lo[0]), float(hi[0]), TOLERANCE):
                found.append((target, names[i]))
    return found


def _in_release_span(knowledge: Knowledge, release: ProgrammeRelease, v: pd.DataFrame) -> bool:
    """Whether every equation is a combination of released nodes' figures (rank test)."""
    index = {name: i for i, name in enumerate(v["var"])}
    blocks = []
    offset = 0
    for d in DIRECTIONS:
        a, _ = tree_equations(release.trees[d])
        n = len(release.trees[d].contributions)
        full = np.zeros((a.shape[0], len(v)))
        full[:, offset:offset + n] = a.toarray()
        blocks.append(full)
        offset += n
    tree = np.vstack(blocks)
    mine, _ = knowledge.matrix()
    cols = [index[p] for p in knowledge.producers]
    views = np.zeros((mine.shape[0], len(v)))
    views[:, cols] = mine.toarray()
    rank = np.linalg.matrix_rank(tree)
    return bool(np.linalg.matrix_rank(np.vstack([tree, views])) == rank)


def _assert_safe(knowledge: Knowledge, release: ProgrammeRelease, v: pd.DataFrame) -> None:
    truth = dict(zip(v["var"], v["tonnes"], strict=True))
    a, b = knowledge.matrix()
    x = np.array([truth[p] for p in knowledge.producers])
    assert np.allclose(a @ x, b, rtol=1e-9, atol=1e-6)  # the attacker's equations are true
    assert _in_release_span(knowledge, release, v)
    assert pinned(knowledge, truth, insiders=False) == []
    assert _insiders_pin(knowledge, truth) == []


# --- count bisection -----------------------------------------------------------------------

def test_count_bisection_recovers_a_quantity_from_records() -> None:
    """Control: on records, bisecting a minimum quantity within 5 m of a known site gives its
    largest record's quantity to the tonne — the attack viewers used to have."""
    prog = load_demo_programme()
    res = prog.resources[prog.resources["unit"] == "t/yr"]
    record = res.loc[res["quantity"].astype(float).idxmax()]
    site = prog.sites.set_index("site_id").geometry[record["site_id"]]
    lo, hi = 0.0, 1e6
    while hi - lo > 0.5:
        mid = (lo + hi) / 2
        hits = search_resources(prog, ResourceQuery(quantity_min=mid, unit="t/yr",
                                                    near=(site.x, site.y),
                                                    radius_m=5.0))
        lo, hi = (mid, hi) if len(hits) else (lo, mid)
    assert lo == pytest.approx(float(record["quantity"]), abs=0.5)


def test_viewers_cannot_filter_whatever_the_session_holds() -> None:
    """Quantity, code, sector, hazard and distance values in the session state (a bisection
    around a known site) change nothing a viewer sees: the same released figures each time."""
    assert {f.name for f in dataclasses.fields(ReleaseQuery)} == {"direction", "selectors",
                                                                   "parks"}
    prog = load_demo_programme()
    site = prog.sites.iloc[0]
    base = {Key.BR_DIRECTION: "have"}
    reference = open_page(BROWSE, role="viewer", state=base)
    seen = [_shown(reference)]
    for qmin in (0.0, 37.5, 150.0):
        hostile = {**base, Key.BR_QMIN: qmin, Key.BR_QMAX: 1e6, "br_near": True,
                   "br_lon": site.geometry.x, "br_lat": site.geometry.y, "br_radius": 0.005,
                   "br_codes": "020202", "br_hazardous": "non-hazardous",
                   "br_sectors": [str(site["sector_nace"])]}
        seen.append(_shown(open_page(BROWSE, role="viewer", state=hostile)))
    for other in seen[1:]:
        assert other == seen[0]


def _shown(at: AppTest) -> tuple[str, ...]:
    return (*[m.value for m in at.markdown], *[d.value.to_csv() for d in at.dataframe])


# --- overview and browse figures as equations -----------------------------------------------

def test_demo_overview_and_browse_pin_no_producer() -> None:
    """Everything the demo's Overview and Browse show a viewer (read off the pages) pins no
    producer within 10 %."""
    _, release = _release()
    v = _variables(release)
    knowledge = Knowledge(v["var"].tolist())
    home = open_page(OVERVIEW, role="viewer")
    streams = next(d.value for d in home.dataframe if "have_producers" in d.value.columns)
    parks = next(d.value for d in home.dataframe if "have_complete" in d.value.columns)
    metrics = {m.label: m.value for m in home.metric}
    totals = {d: (None if metrics[label] == "withheld" else float(
        metrics[label].replace(",", "").rstrip(" +")))
        for d, label in (("have", "Haves (t/yr)"), ("want", "Wants (t/yr)"))}
    assert all(float(t or 0) == pytest.approx(float(released_totals(release)[d][0] or 0),
                                              abs=0.5) for d, t in totals.items())
    _overview_equations(knowledge, release, v, streams, parks, _totals(release))
    all_parks = release.parks["park_id"].tolist()
    for d in DIRECTIONS:
        for state in ({}, {"br_parks": all_parks}):
            at = open_page(BROWSE, role="viewer", state={Key.BR_DIRECTION: d, **state})
            _browse_equations(knowledge, v, at.dataframe[0].value, d)
    assert len(knowledge.rows) > 10
    _assert_safe(knowledge, release, v)


def _totals(release: ProgrammeRelease) -> dict[str, float | None]:
    """The headline totals (the page rounds them to the tonne; the attacker may know more)."""
    return {d: t for d, (t, _) in released_totals(release).items()}


@pytest.mark.parametrize("seed", [11, 23])
def test_random_programmes_overview_and_browse_pin_no_producer(seed: int) -> None:
    """On random programmes, the overview's and Browse's figures (from the functions the
    pages call) pin no producer within 10 %; a park authority's view neither."""
    _, release = _release(seed)
    v = _variables(release)
    cat = load_catalogue()
    knowledge = Knowledge(v["var"].tolist())
    _overview_equations(knowledge, release, v, released_streams_table(release),
                        released_parks_table(release), _totals(release))
    parks = tuple(release.parks["park_id"])
    for d in DIRECTIONS:
        for chosen in ((), parks):
            answer = search_release(release, ReleaseQuery(d, (), chosen), catalogue=cat)
            _browse_equations(knowledge, v, answer.table, d)
    mine = parks[:1]  # a park authority of the first park
    _overview_equations(knowledge, release, v, released_streams_table(release, parks=mine),
                        released_parks_table(release, parks=mine),
                        dict.fromkeys(DIRECTIONS), scope=mine)
    _assert_safe(knowledge, release, v)


def test_an_unprotected_release_would_be_caught() -> None:
    """Control: the same equations over a release with k = 1 and no dominance rule pin
    producers — the test has teeth."""
    from geo.disclosure import DisclosureRules

    prog = load_demo_programme()
    weak = DisclosureRules(k=1, p_percent=0.0, by_administrator=True)
    release = build_release(prog, catalogue=load_catalogue(), rules=weak)
    v = _variables(release)
    knowledge = Knowledge(v["var"].tolist())
    _overview_equations(knowledge, release, v, released_streams_table(release),
                        released_parks_table(release), _totals(release))
    truth = dict(zip(v["var"], v["tonnes"], strict=True))
    assert pinned(knowledge, truth, insiders=False)
