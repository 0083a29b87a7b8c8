"""Tests of the filter, the selection and per-park totals (geo.concentrations.selection)."""

from __future__ import annotations

import numpy as np
import pytest

from geo.catalogue import load_catalogue
from geo.concentrations.density import default_bandwidth_m
from geo.concentrations.selection import (
    ConcentrationQuery,
    bandwidth_for_selection,
    clusters_for_selection,
    heat_for_selection,
    hexagons_for_selection,
    park_totals,
    prepare_resources,
    select_resources,
    within_radius_for_selection,
)
from geo.errors import CatalogueError, SymbiosisError
from geo.programme import Programme


def _copy(p: Programme) -> Programme:
    return Programme(name=p.name, parks=p.parks.copy(), sites=p.sites.copy(),
                     contacts=p.contacts.copy(), resources=p.resources.copy(),
                     illustrative=p.illustrative, region_name=p.region_name)


def test_stream_filter_selects_only_its_codes(demo_programme) -> None:
    """Selecting 'plastics' keeps only haves whose code is in that catalogue group."""
    sel = select_resources(demo_programme, ConcentrationQuery(selectors=("plastics",)))
    codes = load_catalogue().codes_matching(["plastics"])
    assert sel.n_used > 0
    assert set(sel.located["ewc_code"]) <= codes
    assert (sel.located["direction"] == "have").all()
    everything = select_resources(demo_programme, ConcentrationQuery())
    assert sel.n_used < everything.n_used


def test_records_without_coordinates_are_counted_and_listed(demo_programme) -> None:
    """Unlocated sites' records are listed as not located, never silently dropped."""
    prog = _copy(demo_programme)
    lost = prog.sites["site_id"].iloc[:3].tolist()
    prog.sites.loc[prog.sites["site_id"].isin(lost), "geometry"] = None
    sel = select_resources(prog, ConcentrationQuery())
    base = select_resources(demo_programme, ConcentrationQuery())
    assert sel.n_not_located > 0
    assert set(sel.not_located["site_id"]) <= set(lost)
    assert sel.n_used + sel.n_not_located == base.n_used
    assert "geocode" in sel.empty_message() or sel.n_used > 0


def test_imprecise_locations_are_counted_not_drawn(demo_programme) -> None:
    """Sites placed only to the town are excluded and counted when street precision is asked."""
    prog = _copy(demo_programme)
    prog.sites.loc[prog.sites.index[:5], "location_precision"] = "town"
    sel = select_resources(prog, ConcentrationQuery(min_precision="street"))
    assert sel.n_imprecise > 0
    assert not sel.located["site_id"].isin(prog.sites["site_id"].iloc[:5]).any()


def test_no_match_is_an_explained_empty_state(demo_programme) -> None:
    """A filter matching nothing gives an empty selection with advice, not an exception."""
    sel = select_resources(demo_programme, ConcentrationQuery(selectors=("asbestos",)))
    assert sel.is_empty
    assert "Widen the filter" in sel.empty_message()
    with pytest.raises(SymbiosisError, match="No located records"):
        heat_for_selection(sel, bandwidth_m=500)


def test_quantity_range_is_inclusive(demo_programme) -> None:
    """Records within [min, max] t/yr are kept, the others not."""
    sel = select_resources(demo_programme, ConcentrationQuery(min_tonnes=100, max_tonnes=1000))
    t = sel.located["tonnes_per_year"]
    assert sel.n_used > 0 and t.between(100, 1000).all()


@pytest.mark.parametrize("kwargs", [{"min_tonnes": 10, "max_tonnes": 5},
                                    {"min_precision": "roughly"}, {"direction": "both"},
                                    {"min_tonnes": -1}])
def test_bad_queries_are_refused(kwargs: dict[str, object]) -> None:
    """An empty range, unknown precision or direction, or negative tonnes are refused."""
    with pytest.raises(SymbiosisError):
        ConcentrationQuery(**kwargs)


def test_unknown_stream_names_close_matches(demo_programme) -> None:
    """A misspelt stream group raises a catalogue error instead of selecting nothing."""
    with pytest.raises(CatalogueError):
        select_resources(demo_programme, ConcentrationQuery(selectors=("plastic",)))


def test_park_totals_add_up(demo_programme) -> None:
    """Park totals (for practitioners) sum to the selection's tonnes and records."""
    sel = select_resources(demo_programme, ConcentrationQuery())
    full = park_totals(demo_programme, sel)
    assert full["tonnes"].sum() == pytest.approx(sel.total_tonnes)
    assert full["records"].sum() == sel.n_used


def test_one_record_gives_a_valid_picture_everywhere(demo_programme) -> None:
    """A single matching record still yields heat, tonnes within a radius, hexagons, clusters."""
    prog = _copy(demo_programme)
    keep = prog.resources.index[(prog.resources["unit"] == "t/yr")][:1]
    prog.resources = prog.resources.loc[keep]
    sel = select_resources(prepare_resources(prog), ConcentrationQuery(direction="any"))
    assert sel.n_used == 1
    t = sel.total_tonnes
    heat = heat_for_selection(sel, bandwidth_m=200)
    assert np.nansum(heat.values) * heat.grid.cell_km2 == pytest.approx(t)
    assert np.nanmax(within_radius_for_selection(sel, radius_m=1000).values) == pytest.approx(t)
    assert hexagons_for_selection(sel)["tonnes"].sum() == pytest.approx(t)
    assert clusters_for_selection(sel, eps_m=300, min_tonnes=t / 2)["tonnes"].tolist() == \
        pytest.approx([t])


def test_prepared_arrays_make_repeated_filters_consistent(demo_programme) -> None:
    """Selecting from the prepared arrays equals selecting from the programme."""
    prep = prepare_resources(demo_programme)
    q = ConcentrationQuery(selectors=("02", "organics"), direction="any")
    a, b = select_resources(prep, q), select_resources(demo_programme, q)
    assert a.located.index.equals(b.located.index)
    assert a.located.crs.to_epsg() == 4326


def test_selection_bandwidth_is_silvermans_rule_to_two_figures(demo_programme) -> None:
    """The selection's bandwidth is Silverman's rule on its arrays, to two significant figures."""
    sel = select_resources(demo_programme, ConcentrationQuery())
    x, y, t, _ = sel.arrays()
    h = bandwidth_for_selection(sel)
    assert h == pytest.approx(default_bandwidth_m(x, y, t), rel=0.05)
    assert float(f"{h:.2g}") == h


def test_an_empty_quantity_range_says_both_figures_and_the_fix() -> None:
    """The page shows this message as it is: it names the figures in the reader's format and
    what to change, not the query's field names."""
    from geo.i18n import use_locale

    with pytest.raises(SymbiosisError) as err:
        ConcentrationQuery(min_tonnes=5000, max_tonnes=10)
    text = str(err.value)
    assert "5,000 t/yr" in text and "10 t/yr" in text and "Swap them" in text
    assert "min_tonnes" not in text
    with use_locale("pt_BR"), pytest.raises(SymbiosisError) as err:
        ConcentrationQuery(min_tonnes=5000, max_tonnes=10)
    assert "5.000" in str(err.value) and "Swap" not in str(err.value)
