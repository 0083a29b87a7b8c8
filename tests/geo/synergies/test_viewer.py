"""Tests of geo.synergies.viewer: the viewers' Sankey, park links and KPIs from the release."""

from __future__ import annotations

import pytest

from geo.catalogue import load_catalogue
from geo.disclosure import DisclosureRules
from geo.errors import ConfidentialityError
from geo.factors import load_factors
from geo.i18n import use_locale
from geo.programme import Programme
from geo.synergies.book import SynergyBook
from geo.synergies.demo import demo_synergy_book
from geo.synergies.protected import TONNES, SynergyRelease, build_synergy_release
from geo.synergies.reports import conservation_errors
from geo.synergies.viewer import (
    park_points,
    viewer_kpis,
    viewer_network_edges,
    viewer_release,
    viewer_sankey,
)

OPEN = DisclosureRules(k=1, p_percent=0, by_administrator=True)


@pytest.fixture(scope="module")
def book(demo_programme: Programme) -> SynergyBook:
    """The demo's illustrative synergies."""
    return demo_synergy_book(demo_programme)


@pytest.fixture(scope="module")
def release(demo_programme: Programme, book: SynergyBook) -> SynergyRelease:
    """Their release at the default rules."""
    return build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                 factors=load_factors())


def test_sankey_runs_synergies_stage_stream_and_conserves(release: SynergyRelease) -> None:
    """All synergies → stage → stream, tonnes conserved; the root is the released total."""
    s = viewer_sankey(release)
    assert conservation_errors(s).empty
    assert s.nodes.loc[0, "label"] == "All synergies"
    assert s.nodes.loc[0, "tonnes_out"] == pytest.approx(release.total(TONNES))
    assert set(s.nodes["column"]) == {0, 1, 2}
    assert s.notes and "giving and for the receiving" in s.notes[0]


def test_sankey_names_streams_where_released(demo_programme: Programme,
                                             book: SynergyBook) -> None:
    """With every figure released, no flow goes through 'Other'."""
    full = build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                 factors=load_factors(), rules=OPEN)
    s = viewer_sankey(full)
    assert not s.nodes["label"].str.startswith("Other").any()
    assert conservation_errors(s).empty


def test_nothing_released_is_explained(demo_programme: Programme, book: SynergyBook) -> None:
    """Rules no programme of this size can meet give an explanation, not an empty chart."""
    strict = build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                   factors=load_factors(), rules=DisclosureRules(k=60))
    with pytest.raises(ConfidentialityError, match="Too few companies"):
        viewer_sankey(strict)


def test_park_links_are_lines_between_parks(demo_programme: Programme,
                                            book: SynergyBook) -> None:
    """Park links end at park points; outside parks has no point and is not drawn; the
    stage filter sums released figures of the chosen stages."""
    full = build_synergy_release(demo_programme, book, catalogue=load_catalogue(),
                                 factors=load_factors(), rules=OPEN)
    points = park_points(demo_programme)
    edges = viewer_network_edges(full, points)
    located = edges[edges.geometry.notna()]
    assert len(located) and edges.crs.equals("EPSG:4326")
    assert set(located["from"]) | set(located["to"]) <= set(points.index)
    assert edges.loc[edges.geometry.isna(), ["from", "to"]].isin(["(outside parks)"]).any(
        axis=1).all()
    one = viewer_network_edges(full, points, stages=("idea",))
    two = viewer_network_edges(full, points, stages=("idea", "completed"))
    done = viewer_network_edges(full, points, stages=("completed",))
    assert two["tonnes_per_year"].sum() == pytest.approx(
        one["tonnes_per_year"].sum() + done["tonnes_per_year"].sum())


def test_kpis_hold_released_totals_only(release: SynergyRelease) -> None:
    """The KPIs are the release's totals; a have total is added only when given. The live
    synergies' tonnes are named as what they are (a have in two synergies counts twice), not
    as the practitioners' "Haves in live synergies", which counts each have once."""
    k = viewer_kpis(release, member_sites=69).set_index("kpi")
    assert k.loc["Member sites", "value"] == 69
    assert "Haves in live synergies" not in k.index
    assert k.loc["Synergy tonnes (live stages)", "value"] == pytest.approx(
        release.total(TONNES, stages=("idea", "identified", "in progress", "implemented",
                                      "completed")))
    assert "Haves recorded" not in k.index
    assert viewer_kpis(release, have_total=5.0).set_index("kpi").loc["Haves recorded",
                                                                     "value"] == 5.0


def test_a_low_k_is_taken_as_the_administrators(demo_programme: Programme,
                                                book: SynergyBook) -> None:
    """A k below the floor builds rules marked as an administrator's; rules win over k."""
    rel = viewer_release(demo_programme, book, catalogue=None, k=2)
    assert rel.rules.k == 2 and rel.rules.by_administrator
    rel = viewer_release(demo_programme, book, catalogue=None, k=2,
                         rules=DisclosureRules(k=4))
    assert rel.rules.k == 4


def test_one_release_serves_every_language(release: SynergyRelease) -> None:
    """The release (cached across sessions) keeps its notes and labels untranslated: the
    viewers' Sankey, KPIs and notes come out in the language of the session that reads them,
    with the same keys and figures."""
    english = viewer_kpis(release, member_sites=69)
    with use_locale("qps_PLOC"):
        pseudo = viewer_kpis(release, member_sites=69)
        sankey = viewer_sankey(release)
        notes = release.shown_notes()
    assert pseudo["key"].tolist() == english["key"].tolist()
    assert pseudo["kpi"].str.startswith("⟦").all()
    co2e = english.set_index("key").loc["outcome:co2e_avoided_t", "note"]
    assert co2e.startswith("CO2e avoided = released landfill diverted")
    assert pseudo.set_index("key").loc["outcome:co2e_avoided_t", "note"].startswith("⟦")
    assert notes and all(n.startswith("⟦") for n in notes)
    assert release.shown_notes()[0] == co2e
    stages = sankey.nodes[sankey.nodes["key"].str.startswith("stage:")]
    assert stages["label"].str.startswith("⟦").all()
    assert sankey.notes[0].startswith("⟦")
