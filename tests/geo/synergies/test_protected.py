"""Tests of geo.synergies.protected: the synergy release on the demo's illustrative synergies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.catalogue import load_catalogue
from geo.disclosure import DisclosureRules, release_streams
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.programme import Programme
from geo.synergies.book import SynergyBook
from geo.synergies.demo import demo_synergy_book
from geo.synergies.lifecycle import ALL_STAGES, STAGES
from geo.synergies.protected import (
    COUNT,
    OTHER_STAGES,
    OTHER_STREAMS,
    TONNES,
    SynergyRelease,
    build_synergy_release,
    synergy_records,
)

OPEN = DisclosureRules(k=1, p_percent=0, by_administrator=True)
"""Rules that release everything (to check sums against the truth)."""


@pytest.fixture(scope="module")
def book(demo_programme: Programme) -> SynergyBook:
    """The demo's illustrative synergies (36, every stage, two years of outcomes)."""
    return demo_synergy_book(demo_programme)


@pytest.fixture(scope="module")
def release(demo_programme: Programme, book: SynergyBook) -> SynergyRelease:
    """Their release at the default rules."""
    return build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                 factors=load_factors())


def test_records_use_the_release_streams_and_parks(demo_programme: Programme,
                                                   book: SynergyBook) -> None:
    """Each synergy's stream is its release stream; unknown parks are '(outside parks)'."""
    recs = synergy_records(demo_programme, book, catalogue=load_catalogue(),
                           factors=load_factors())
    assert len(recs) == len(book.synergies)
    assert set(recs["stream"]) <= set(release_streams(load_catalogue())["stream"])
    assert "(outside parks)" in set(recs["from_park"])
    assert recs[TONNES].sum() == pytest.approx(book.synergies["quantity"].sum())
    assert recs["landfill_diverted_t"].sum() > 0


def test_every_stage_is_listed_and_withheld_figures_are_blank(release: SynergyRelease) -> None:
    """The stages are listed in order; a figure is shown only where its node is released."""
    stages = release.figures(depth=1)
    assert stages["stage"].tolist() == list(ALL_STAGES)
    tree = release.trees[TONNES]
    pub = tree.nodes[(tree.nodes["depth"] == 1) & tree.nodes["published"]]
    shown = stages.set_index("stage")[TONNES].dropna()
    assert shown.to_dict() == pytest.approx(pub.set_index("stage")["value"].to_dict())
    assert stages[TONNES].isna().any()


def test_co2e_is_landfill_diverted_times_one_factor(release: SynergyRelease) -> None:
    """Viewers' CO2e is released where landfill diverted is, at one programme-wide factor."""
    fig = release.figures()
    _, factor = release.derived["co2e_avoided_t"]
    pd.testing.assert_series_equal(fig["co2e_avoided_t"], fig["landfill_diverted_t"] * factor,
                                   check_names=False)
    assert 0.45 < factor < 0.53  # 520 kg/t landfill less a few km of haul


def test_totals_over_stages_use_released_figures_only(demo_programme: Programme,
                                                      book: SynergyBook) -> None:
    """With everything released, the stage sums are the book's; otherwise they are a released
    figure, the total less released ones, or None."""
    full = build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                 factors=load_factors(), rules=OPEN)
    live = book.synergies[book.synergies["stage"].isin(STAGES)]
    assert full.total(TONNES, stages=STAGES) == pytest.approx(live["quantity"].sum())
    assert full.total(COUNT) == len(book.synergies)
    strict = build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                   factors=load_factors(), rules=DisclosureRules(k=30))
    assert strict.total(TONNES, stages=("idea",)) is None


def test_sankey_flows_add_up_to_what_is_released(release: SynergyRelease) -> None:
    """Flows sum to the released total; named flows are released figures."""
    flows = release.sankey_flows(TONNES)
    assert flows["value"].sum() == pytest.approx(release.total(TONNES))
    stages = release.figures(depth=1).set_index("stage")[TONNES]
    for stage, value in flows.groupby("stage")["value"].sum().items():
        if stage != OTHER_STAGES:
            assert value == pytest.approx(stages[stage])
    assert set(flows["stream"]) <= {*release.stream_labels.values(), OTHER_STREAMS}


def test_park_links_and_totals_with_everything_released(demo_programme: Programme,
                                                         book: SynergyBook) -> None:
    """Park links sum the park-pair figures of the chosen stages; totals by stream equal the
    book's when every figure is released; a park filter keeps pairs touching the park."""
    full = build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                 factors=load_factors(), rules=OPEN)
    links = full.park_links(stages=("completed",))
    done = book.synergies[book.synergies["stage"] == "completed"]
    assert links["value"].sum() == pytest.approx(done["quantity"].sum())
    assert (links["stage"] == "completed").all()
    by_stream = full.totals_by("stream")
    assert by_stream[TONNES].sum() == pytest.approx(book.synergies["quantity"].sum())
    only = full.park_links(parks=("KAR-P3",))
    assert len(only) and ((only["from_park"] == "KAR-P3") | (only["to_park"] == "KAR-P3")).all()
    with pytest.raises(ConfidentialityError, match="'stream' or 'park_pair'"):
        full.totals_by("sector")


def test_stream_totals_need_every_stage_figure(release: SynergyRelease) -> None:
    """A stream total is blank unless each of its stage × stream figures is released."""
    by_stream = release.totals_by("stream")
    nodes = release.trees[TONNES].nodes
    nodes = nodes[nodes["depth"] == 2]
    complete = nodes.groupby("stream")["published"].all()
    shown = by_stream.set_index("stream")[TONNES].notna()
    assert (shown == complete.reindex(shown.index).fillna(False)).all()


def test_totals_list_no_stream_or_park_pair_with_nothing_released(
        release: SynergyRelease) -> None:
    """A park pair listed with every figure blank would still say that a synergy runs
    between two parks (their few firms are public): such rows are left out."""
    for level in ("stream", "park_pair"):
        table = release.totals_by(level)
        measures = table[list(release.all_measures)]
        assert measures.notna().any(axis=1).all(), table
    count = release.trees[COUNT].nodes
    pairs = set(count.loc[count["depth"] == 3, "park_pair"].astype(str))
    assert set(release.totals_by("park_pair")["park_pair"]) < pairs  # the demo hides some


def test_share_released_is_a_share(release: SynergyRelease) -> None:
    """Shares of the true totals released per depth lie in [0, 1] and the total is released."""
    for m in (COUNT, TONNES, "landfill_diverted_t"):
        shares = [release.share_released(m, d) for d in range(4)]
        assert all(0.0 <= s <= 1.0 + 1e-9 for s in shares)
        assert shares[0] == pytest.approx(1.0)
    assert np.isfinite(release.total(TONNES))


def test_an_unknown_figure_is_refused(release: SynergyRelease) -> None:
    """Asking for a figure the release does not hold says which it holds."""
    with pytest.raises(ConfidentialityError, match="choose from"):
        release.total("gold_t")
