"""ui/runs.py: typed cached runs computed from their arguments alone, keyed by them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit

from geo.concentrations.selection import ConcentrationQuery
from geo.settings import Settings
from ui import runs
from ui.data import ProgrammeRef
from ui.network import DEMO_NETWORK
from ui.state import DEMO_PROGRAMME


class _NoSession:
    """Stands in for ``st.session_state``: any use fails the test."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"a cached run used session state ({name})")

    def __getitem__(self, key: object) -> object:
        raise AssertionError(f"a cached run read session state[{key!r}]")

    def __contains__(self, key: object) -> bool:
        raise AssertionError(f"a cached run looked up session state[{key!r}]")


@pytest.fixture
def no_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any session-state access in this test fail."""
    monkeypatch.setattr(streamlit, "session_state", _NoSession())


@pytest.fixture
def demo(settings: Settings) -> ProgrammeRef:
    """The demo programme's cache key."""
    return ProgrammeRef(DEMO_PROGRAMME, settings.database_url)


HAVES = ConcentrationQuery(direction="have")


@pytest.mark.usefixtures("no_session")
def test_concentration_layers_come_from_their_arguments(demo: ProgrammeRef) -> None:
    """Heat, within-radius, hexagon and cluster layers compute without any session state."""
    heat = runs.heat_surface(demo, HAVES, bandwidth_m=500.0)
    near = runs.within_radius_surface(demo, HAVES, radius_m=2000.0)
    assert heat.units != near.units and heat.values.shape and near.values.shape
    hexagons = runs.hexagon_totals(demo, HAVES, resolution=8)
    assert set(hexagons["resolution"]) == {8}
    found = runs.clusters(demo, HAVES, eps_m=500.0, min_tonnes=500.0)
    assert found["tonnes"].is_monotonic_decreasing


def test_a_layer_is_cached_by_its_arguments(demo: ProgrammeRef) -> None:
    """The same arguments give the cached object; another query or version recomputes."""
    first = runs.heat_surface(demo, HAVES, bandwidth_m=400.0)
    assert runs.heat_surface(demo, HAVES, bandwidth_m=400.0) is first
    plastics = ConcentrationQuery(direction="have", selectors=("plastics",))
    assert runs.heat_surface(demo, plastics, bandwidth_m=400.0) is not first
    from geo.synergies import repository as repo
    from ui.data import data_versions, programme, store

    repo.ensure_programme(store(demo.database_url), programme(demo))  # the demo stored: v1+
    newer = ProgrammeRef(demo.name, demo.database_url,
                         data_versions(demo.name, demo.database_url).programme)
    assert newer.version > demo.version
    assert runs.heat_surface(newer, HAVES, bandwidth_m=400.0) is not first
    assert runs.selection(demo, plastics).n_used < runs.selection(demo, HAVES).n_used


@pytest.mark.usefixtures("no_session")
def test_site_finder_runs_come_from_their_arguments(demo: ProgrammeRef) -> None:
    """The site finder and the housing relaxation compute without any session state."""
    from geo import siting

    profile = siting.load_profiles()["anaerobic_digestion"]
    query = runs.SiteFinderQuery.of(profile, "hexagons", resolution=10)
    assert query.profile() == profile
    screen, run = runs.site_finder_run(demo, DEMO_NETWORK, query,
                                       weights=siting.ScoreWeights(), plants=None)
    assert run is None and screen.report["rule"].nunique() == 4
    relax_m = runs.housing_relaxation(demo, DEMO_NETWORK, query)
    assert relax_m is not None and relax_m < profile.rules.min_residential_distance_m
    relaxed = profile.with_changes(rules={"min_residential_distance_m": relax_m})
    _, run = runs.site_finder_run(demo, DEMO_NETWORK,
                                  runs.SiteFinderQuery.of(relaxed, "hexagons", resolution=10),
                                  weights=siting.ScoreWeights(), plants=None)
    assert run is not None and run.scored.method == "road"


@pytest.mark.usefixtures("no_session")
def test_matcher_and_workbook_come_from_their_arguments(demo: ProgrammeRef) -> None:
    """The matcher (roads or straight lines) and the funders' workbook need no session state."""
    import openpyxl

    by_road = runs.matcher(demo, synergy_version=0, network=DEMO_NETWORK)
    straight = runs.matcher(demo, synergy_version=0, network=None)
    assert by_road.graph is not None and straight.graph is None
    assert runs.matcher(demo, synergy_version=0, network=None) is straight
    workbook = runs.funder_workbook(demo, synergy_version=0, locale="en_GB", role="viewer", k=3)
    assert openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames


@pytest.mark.usefixtures("no_session")
def test_funder_workbook_is_kept_per_language(demo: ProgrammeRef) -> None:
    """The workbook's sheet names are translated: a session in another language must not be
    handed the workbook cached for the first session's language."""
    import openpyxl

    def sheets(locale: str) -> list[str]:
        data = runs.funder_workbook(demo, synergy_version=0, locale=locale, role="viewer", k=3)
        return openpyxl.load_workbook(io.BytesIO(data)).sheetnames

    english, chinese = sheets("en_GB"), sheets("zh_CN")
    assert len(english) == len(chinese)
    assert english != chinese
    assert sheets("en_GB") == english


def test_warm_after_write_builds_what_the_next_readers_need(
        settings: Settings, stored_demo: ProgrammeRef, no_session: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After a write, the background warm-up loads the programme and builds its protected
    release at the new data version: the next reader's calls are cache hits (loading or
    building again would fail here), on the programme's own rules."""
    from geo.disclosure.settings import default_rules
    from geo.store import Store
    from ui.data import data_versions, programme

    version = data_versions("Stored demo", settings.database_url).programme
    runs.warm_after_write("Stored demo", settings).join(60)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("rebuilt after the warm-up")

    monkeypatch.setattr(Store, "load_programme", refuse)
    monkeypatch.setattr("geo.disclosure.build_release", refuse)
    monkeypatch.setattr("geo.disclosure.release.protect_tree", refuse)
    ref = ProgrammeRef("Stored demo", settings.database_url, version)
    assert len(programme(ref).resources) > 0
    release = runs.release(ref, default_rules(settings))
    assert release.stream_labels()
    assert len(release.stream_table("have"))  # the haves' tree, every viewer's first read


def test_a_release_the_import_worker_built_is_used_not_built_again(
        settings: Settings, stored_demo: ProgrammeRef, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """With an import worker, the release at the import's data version comes back with the
    report, node for node the release the app would build, and the app uses it instead of
    building one (building would fail here)."""
    import pandas as pd

    from geo.catalogue import load_catalogue
    from geo.disclosure import build_release
    from geo.disclosure.settings import default_rules
    from geo.importer import worker
    from ui.data import data_versions, store

    members = tmp_path / "members.csv"
    members.write_text("Company,City,Country,Have/Want,EWC code,Quantity,Unit,Longitude,"
                       "Latitude\nWorker Oy,Kotka,FI,have,150101,12,t/yr,26.95,60.51\n")
    try:
        report, prepared = worker.import_and_prepare(
            members, database_url=settings.database_url, programme="Stored demo")
        version = data_versions("Stored demo", settings.database_url).programme
        expected = build_release(store(settings.database_url).load_programme("Stored demo"),
                                 catalogue=load_catalogue(), rules=default_rules(settings))
        again, nothing = worker.import_and_prepare(  # all duplicates: nothing to prepare
            members, database_url=settings.database_url, programme="Stored demo")
    finally:
        worker.shutdown()
    assert report.imported == 1 and prepared is not None
    assert again.duplicates == 1 and nothing is None
    rules = default_rules(settings)
    assert (prepared.programme, prepared.version, prepared.rules) == (
        "Stored demo", version, rules)
    runs.offer_release(settings.database_url, prepared)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("built again in the app")

    monkeypatch.setattr("geo.disclosure.build_release", refuse)
    release = runs.release(ProgrammeRef("Stored demo", settings.database_url, version), rules)
    assert release is prepared.release
    for direction in ("have", "want"):
        pd.testing.assert_frame_equal(release.trees[direction].nodes,
                                      expected.trees[direction].nodes)
