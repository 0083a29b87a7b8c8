"""Tests of choosing producers and depots from a programme (geo.routing.select)."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point

from geo.errors import RoutingError
from geo.programme import Programme
from geo.routing.select import (
    ProducerQuery,
    depot_from_park,
    depot_from_site,
    producers_from_programme,
)


def _copy(prog: Programme) -> Programme:
    return Programme(name=prog.name, parks=prog.parks.copy(), sites=prog.sites.copy(),
                     contacts=prog.contacts.copy(), resources=prog.resources.copy())


def test_organics_are_one_stop_per_site_with_summed_quantities(demo_programme) -> None:
    """Each producer combines its site's organic haves; quantities add up to the records."""
    sel = producers_from_programme(demo_programme, ProducerQuery(stream=("organics",)))
    res = demo_programme.resources
    for p in sel.producers:
        rows = res[res["resource_id"].isin(p.resource_ids)]
        assert set(rows["site_id"]) == {p.site_id}
        assert p.quantity_per_year == pytest.approx(rows["quantity"].sum())
    assert len({p.site_id for p in sel.producers}) == len(sel.producers)


def test_left_out_records_are_reported_not_dropped(demo_programme) -> None:
    """A site without location and a record in m3/yr are reported with reasons."""
    prog = _copy(demo_programme)
    sel0 = producers_from_programme(prog, ProducerQuery(stream=("organics",)))
    victim = sel0.producers[0].site_id
    prog.sites.loc[prog.sites["site_id"] == victim, "geometry"] = None
    first = prog.resources.index[prog.resources["resource_id"] ==
                                 sel0.producers[1].resource_ids[0]][0]
    prog.resources.loc[first, "unit"] = "m3/yr"
    sel = producers_from_programme(prog, ProducerQuery(stream=("organics",)))
    out = sel.report[sel.report["status"] == "left out"]
    assert "not located" in " ".join(out.loc[out["site_id"] == victim, "reason"])
    assert out["reason"].str.contains("not in t/yr").any()
    assert victim not in {p.site_id for p in sel.producers}
    assert {e.stop_id for e in sel.excluded} >= {victim}


def test_quantity_range_and_frequency_filter_producers(demo_programme) -> None:
    """The minimum per collection keeps only producers at or above it, at the set frequency."""
    q = ProducerQuery(stream=("organics",), frequency="monthly", min_per_visit=10.0)
    sel = producers_from_programme(demo_programme, q)
    assert sel.producers and all(p.quantity_per_visit >= 10.0 for p in sel.producers)
    assert all(p.frequency == "monthly" for p in sel.producers)
    small = sel.report[sel.report["reason"].str.contains("outside the range", na=False)]
    assert len(small) > 0


def test_optional_producers_get_a_prize_from_the_value_per_tonne(demo_programme) -> None:
    """The prize of an optional producer is its pickup per collection × the value per t."""
    q = ProducerQuery(stream=("organics",), optional=True, value_per_unit=20.0)
    for p in producers_from_programme(demo_programme, q).producers:
        assert p.optional and p.prize == pytest.approx(20.0 * p.quantity_per_visit)


def test_depots_from_a_site_or_a_park(demo_programme) -> None:
    """A depot sits at its site, or inside its park; unknown ids say what to pick."""
    site = demo_programme.sites.iloc[0]
    d = depot_from_site(demo_programme, site["site_id"])
    assert (d.lon, d.lat) == (site.geometry.x, site.geometry.y)
    park = demo_programme.parks.iloc[0]
    dp = depot_from_park(demo_programme, park["park_id"])
    assert park.geometry.contains(Point(dp.lon, dp.lat))
    with pytest.raises(RoutingError, match="No member site 'nope'"):
        depot_from_site(demo_programme, "nope")
    assert math.isfinite(dp.lon)


def test_clusters_give_site_groups_of_the_stream(demo_programme) -> None:
    """Every cluster's sites are producers of the stream, and clusters do not overlap."""
    from geo.routing.select import cluster_sites

    groups = cluster_sites(demo_programme, ("organics",), eps_m=500, min_tonnes=200)
    assert groups
    producers = {p.site_id for p in producers_from_programme(
        demo_programme, ProducerQuery(stream=("organics",))).producers}
    seen: set[str] = set()
    for label, sites in groups.items():
        assert label.startswith("Cluster ") and "t/yr" in label
        assert not seen & set(sites)
        seen |= set(sites)
    assert seen - {"KAR-S012"} <= producers  # the AD plant's own digestate is a have too
