"""Tests of the viewers' concentration views (geo.concentrations.viewer): read from the release."""

from __future__ import annotations

import h3
import numpy as np
import pytest

from geo.catalogue import load_catalogue
from geo.concentrations import viewer as cv
from geo.concentrations.selection import ConcentrationQuery, heat_for_selection, select_resources
from geo.disclosure import DisclosureRules, ProgrammeRelease, build_release
from geo.errors import AccessError, SymbiosisError
from geo.programme import Programme


@pytest.fixture(scope="module")
def release(demo_programme: Programme) -> ProgrammeRelease:
    """The demo programme's release under the default rules."""
    return build_release(demo_programme, catalogue=load_catalogue())


def _published(release: ProgrammeRelease, direction: str, depth: int):
    nodes = release.trees[direction].nodes
    return nodes[(nodes["depth"] == depth) & nodes["published"]]


def test_query_keeps_a_park_authority_in_its_grant(release: ProgrammeRelease) -> None:
    """No park means the grant's parks; a park outside the grant is refused."""
    q = cv.release_query(release, direction="have", grant=("KAR-P1",))
    assert q.parks == ("KAR-P1",)
    with pytest.raises(AccessError, match="KAR-P2"):
        cv.release_query(release, parks=["KAR-P2"], grant=("KAR-P1",))
    with pytest.raises(SymbiosisError, match="release streams"):
        cv.release_query(release, streams=["150102"])
    assert cv.release_query(release, direction="any").directions == ("have", "want")


def test_a_code_is_answered_with_its_release_stream(release: ProgrammeRelease) -> None:
    """A code maps to the release stream holding it, flagged as not exact."""
    assert cv.nearest_streams(release, load_catalogue(), ["150102"]) == (("plastics",), False)


def test_totals_are_released_figures_or_none(release: ProgrammeRelease) -> None:
    """The whole direction is its root; a stream its node; a withheld stream gives None."""
    have = _published(release, "have", 1)
    s = str(have["stream"].iloc[0])
    assert cv.selection_total(release, cv.release_query(release, streams=[s])) == \
        pytest.approx(float(have["tonnes"].iloc[0]))
    nodes = release.trees["have"].nodes
    withheld = nodes[(nodes["depth"] == 1) & ~nodes["published"]]
    if len(withheld):
        q = cv.release_query(release, streams=[str(withheld["stream"].iloc[0])])
        assert cv.selection_total(release, q) is None


def test_both_directions_add_the_two_releases(release: ProgrammeRelease) -> None:
    """'Both' cells are the sum of the have and want cells, per hexagon."""
    both = cv.viewer_cells(release, cv.release_query(release, direction="both"), level="coarse")
    parts = [cv.viewer_cells(release, cv.release_query(release, direction=d), level="coarse")
             for d in ("have", "want")]
    expected = sum(float(p["tonnes"].sum()) for p in parts)
    assert both["tonnes"].sum() == pytest.approx(expected)
    assert both["producers"].isna().all()


def test_cells_list_released_figures_at_the_fixed_levels(release: ProgrammeRelease) -> None:
    """Each level's cells add up to the released figures of that depth, at its resolution."""
    q = cv.release_query(release)
    for depth, level in enumerate(("coarse", "middle", "fine"), start=3):
        cells = cv.viewer_cells(release, q, level=level)
        assert cells["tonnes"].sum() == pytest.approx(
            _published(release, "have", depth)["tonnes"].sum())
        assert all(h3.get_resolution(c) == release.resolutions[level] for c in cells["h3_cell"])
    with pytest.raises(SymbiosisError):
        cv.viewer_cells(release, q, level="street")


def test_heat_is_classed_and_states_what_it_cannot_place(release: ProgrammeRelease) -> None:
    """The viewer's heat surface has classes only, and says how much released tonnage is
    drawn nowhere; placed plus unplaced is the released tonnage of the selection."""
    q = cv.release_query(release)
    heat = cv.viewer_heat(release, q, bandwidth_m=cv.viewer_bandwidth_m(release, q))
    assert heat.classes.dtype == np.uint8 and heat.n_classes == 7
    mp = cv.viewer_mass_points(release, q)
    assert heat.unplaced_tonnes == pytest.approx(mp.unplaced_tonnes)
    nodes = release.trees["have"].nodes
    released_h = nodes.loc[nodes["published"] & (nodes["depth"] >= 1), "hidden_tonnes"].sum()
    assert mp.tonnes.sum() + mp.unplaced_tonnes == pytest.approx(released_h)
    catch = cv.viewer_catchment(release, q, radius_m=5000)
    assert catch.units == "t/yr" and not catch.is_empty


def test_viewer_heat_follows_the_practitioners(release: ProgrammeRelease,
                                               demo_programme: Programme) -> None:
    """On the demo, the viewer's heat (before classing) correlates with the practitioner's
    on the same grid: protection is not bought with a blank map."""
    from geo.concentrations.density import KDEParams, kde_surface
    from geo.concentrations.grid import project_lonlat

    sel = select_resources(demo_programme, ConcentrationQuery())
    truth = heat_for_selection(sel, bandwidth_m=1000.0)
    mp = cv.viewer_mass_points(release, cv.release_query(release))
    x, y = project_lonlat(mp.lon, mp.lat, truth.grid.crs)
    viewer = kde_surface(x, y, mp.tonnes, crs=truth.grid.crs, grid=truth.grid,
                         params=KDEParams(bandwidth_m=1000.0))
    r = np.corrcoef(truth.values.ravel(), viewer.values.ravel())[0, 1]
    assert r > 0.5


def test_hot_spots_carry_classes_only(release: ProgrammeRelease) -> None:
    """Hot spots give a class per cell and nothing a figure could be read from."""
    hot = cv.viewer_hot_spots(release, cv.release_query(release))
    assert set(hot.columns) == {"h3_cell", "gi_bin", "label", "geometry"}


def test_clusters_are_unions_of_released_cells(release: ProgrammeRelease) -> None:
    """A cluster's total is the sum of its released cells and its outline their union."""
    q = cv.release_query(release)
    cells = cv.viewer_cells(release, q)
    clusters = cv.viewer_clusters(release, q, eps_m=10_000, min_tonnes=1.0)
    assert clusters["tonnes"].sum() == pytest.approx(cells["tonnes"].sum())
    assert clusters["cells"].sum() == len(cells)
    assert not {"producers", "chapters"} & set(clusters.columns)
    assert clusters.geometry.union_all().buffer(1e-9).covers(cells.geometry.union_all())


def test_parks_keep_haves_and_wants_apart(release: ProgrammeRelease) -> None:
    """Park rows hold each direction's released sum and whether it is complete."""
    parks = cv.viewer_parks(release, cv.release_query(release, direction="both"))
    assert {"have_tonnes", "have_complete", "want_tonnes", "want_complete"} <= set(parks.columns)
    table = release.park_table("have").set_index("park_id")
    for row in parks.itertuples():
        if row.park_id in table.index and table.loc[row.park_id, "released_streams"]:
            assert row.have_tonnes == pytest.approx(table.loc[row.park_id, "tonnes"])
    authority = cv.viewer_parks(release, cv.release_query(release, grant=("KAR-P1",)))
    assert authority["park_id"].tolist() == ["KAR-P1"]


def test_a_programme_too_small_for_any_release_is_explained(demo_programme: Programme) -> None:
    """Under rules no figure passes, every view explains instead of drawing."""
    strict = build_release(demo_programme, catalogue=load_catalogue(),
                           rules=DisclosureRules(k=500))
    q = cv.release_query(strict)
    assert "disclosure rules" in (cv.empty_message(strict, q) or "")
    with pytest.raises(SymbiosisError, match="disclosure rules"):
        cv.viewer_heat(strict, q, bandwidth_m=500.0)
    assert cv.viewer_cells(strict, q).empty and cv.viewer_hot_spots(strict, q).empty
    assert cv.viewer_clusters(strict, q, eps_m=500, min_tonnes=1).empty


def test_a_programme_without_parks_has_one_outside_row(demo_programme: Programme) -> None:
    """With no park at all, the park view is the one 'outside parks' row, without geometry."""
    sites = demo_programme.sites.assign(park_id=None)
    prog = Programme(demo_programme.name, demo_programme.parks.iloc[:0], sites,
                     demo_programme.contacts, demo_programme.resources)
    rel = build_release(prog, catalogue=load_catalogue())
    parks = cv.viewer_parks(rel, cv.release_query(rel))
    assert parks["park_id"].tolist() == ["(outside parks)"]
    assert parks.geometry.isna().all()


def test_a_selections_figures_are_computed_once_per_release_and_shared(
        demo_programme: Programme, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every session asking the same release for the same selection gets the one surface (its
    points, bandwidth, heat and catchment computed once), equal to a fresh computation; another
    selection or bandwidth is computed on its own; a new release starts empty."""
    release = build_release(demo_programme, catalogue=load_catalogue())
    q = cv.release_query(release, direction="have")
    other = cv.release_query(release, direction="want")
    heat = cv.viewer_heat(release, q, bandwidth_m=500.0)
    assert cv.viewer_heat(release, q, bandwidth_m=500.0) is heat
    assert cv.viewer_heat(release, other, bandwidth_m=500.0) is not heat
    assert cv.viewer_heat(release, q, bandwidth_m=800.0) is not heat
    fresh = cv._heat(release, q, cv.KDEParams(bandwidth_m=500.0), cv.N_CLASSES)
    np.testing.assert_array_equal(heat.classes, fresh.classes)
    assert heat.breaks == fresh.breaks
    assert cv.viewer_mass_points(release, q) is cv.viewer_mass_points(release, q)
    computed: list[float] = []
    compute = cv._bandwidth_m

    def counted(*args: object) -> float:
        computed.append(compute(*args))  # type: ignore[arg-type]
        return computed[-1]

    monkeypatch.setattr(cv, "_bandwidth_m", counted)
    bandwidth = cv.viewer_bandwidth_m(release, q)
    assert cv.viewer_bandwidth_m(release, q) == bandwidth and computed == [bandwidth]
    ring = cv.viewer_catchment(release, q, radius_m=2000.0)
    assert cv.viewer_catchment(release, q, radius_m=2000.0) is ring
    picture = cv.viewer_picture(release, q, view="Heat", distance_m=500.0)
    assert cv.viewer_picture(release, q, view="Heat", distance_m=500.0) is picture
    from geo.i18n import use_locale

    with use_locale("pt_BR"):  # its legend is translated: one picture per language
        other_language = cv.viewer_picture(release, q, view="Heat", distance_m=500.0)
    assert other_language is not picture and other_language.png == picture.png
    assert other_language.legend_items != picture.legend_items
    ring_picture = cv.viewer_picture(release, q, view="Catchment", distance_m=2000.0)
    assert ring_picture is not picture
    # points of two selections, one bandwidth, three heat surfaces, one catchment, and three
    # pictures: each kept once
    assert len(release.memo) == 10
    again = build_release(demo_programme, catalogue=load_catalogue())
    assert len(again.memo) == 0 and cv.viewer_heat(again, q, bandwidth_m=500.0) is not heat
