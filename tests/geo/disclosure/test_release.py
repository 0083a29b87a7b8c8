"""Tests of geo.disclosure.release: the demo's protected release and its viewer tables."""

from __future__ import annotations

import pytest

from geo.catalogue import load_catalogue
from geo.disclosure import audit_tree
from geo.disclosure.release import (
    LEVELS,
    OTHER_STREAM,
    ProgrammeRelease,
    build_release,
    release_streams,
    streams_for_selectors,
)
from geo.programme import Programme


@pytest.fixture(scope="module")
def release(demo_programme: Programme) -> ProgrammeRelease:
    """The demo programme's release under the default rules."""
    return build_release(demo_programme, catalogue=load_catalogue())


def test_release_streams_partition_the_catalogue() -> None:
    """Every entry code is in exactly one release stream; codes of no group are 'other'."""
    cat = load_catalogue()
    streams = release_streams(cat)
    seen: list[str] = [c for codes in streams["codes"] for c in codes]
    assert len(seen) == len(set(seen)) == len(cat.entries)
    assert streams["stream"].iloc[-1] == OTHER_STREAM
    assert "150102" in streams.set_index("stream").loc["plastics", "codes"]
    assert "150102" not in streams.set_index("stream").loc["packaging", "codes"]


def test_released_totals_match_the_records(release: ProgrammeRelease,
                                           demo_programme: Programme) -> None:
    """The have tree's root is the t/yr total of the located have material records."""
    res = demo_programme.resources
    haves = res[(res["direction"] == "have") & (res["unit"] == "t/yr")
                & (res["resource_class"] != "logistics")]
    root = release.trees["have"].nodes.query("depth == 0").iloc[0]
    assert root["tonnes"] == pytest.approx(haves["quantity"].sum())


def test_viewer_tables_hide_what_is_withheld(release: ProgrammeRelease) -> None:
    """Stream and park tables give no figure for withheld rows and never a count below k."""
    table = release.stream_table("have")
    assert table.loc[table["withheld"], "tonnes"].isna().all()
    assert (table.loc[~table["withheld"], "producers"] >= release.rules.k).all()
    parks = release.park_table("have")
    assert set(parks.columns) >= {"park_id", "name", "tonnes", "complete"}


def test_a_stream_with_no_record_looks_withheld_not_absent(release: ProgrammeRelease) -> None:
    """A park's few companies are public: listing only the streams with records in a park,
    or saying "0 t" for one with none, would tell which wastes they have. Every stream has
    its row in every park, and "none" reads exactly like "withheld"."""
    nodes = release.trees["have"].nodes
    in_parks = nodes[nodes["depth"] == 2]
    all_streams = set(release.streams["stream"])
    for park in [*release.parks["park_id"], "(outside parks)"]:
        present = set(in_parks.loc[in_parks["park"] == park, "stream"])
        absent = sorted(all_streams - present)
        assert absent, "the demo has streams missing from every park"
        table = release.stream_table("have", parks=[park])
        assert set(table["stream"]) == all_streams and len(table) == len(all_streams)
        rows = table.set_index("stream")
        assert rows.loc[absent, "withheld"].all()
        assert rows.loc[absent, ["tonnes", "producers", "records"]].isna().all().all()
        assert release.total("have", streams=[absent[0]], parks=[park]) is None
    # the whole programme too: a stream no member has is not "0 t/yr"
    whole = release.stream_table("have")
    assert set(whole["stream"]) == all_streams
    nowhere = sorted(all_streams - set(nodes.loc[nodes["depth"] == 1, "stream"]))
    assert nowhere and release.total("have", streams=[nowhere[0]]) is None
    # park totals count every stream, so the withheld count says nothing about presence
    parks = release.park_table("have")
    assert set(parks["park_id"]) == {*release.parks["park_id"], "(outside parks)"}
    assert ((parks["released_streams"] + parks["withheld_streams"])
            == len(release.streams)).all()


def test_cells_sum_released_figures_only(release: ProgrammeRelease) -> None:
    """The fine hexagons drawn for viewers add up to the released fine figures."""
    nodes = release.trees["have"].nodes
    fine = nodes[(nodes["depth"] == len(LEVELS)) & nodes["published"]]
    cells = release.cells("have", level="fine")
    assert cells["tonnes"].sum() == pytest.approx(fine["tonnes"].sum())


def test_mass_points_place_only_released_tonnage(release: ProgrammeRelease) -> None:
    """Points for surfaces carry no more than the released tonnage of the tree."""
    mp = release.mass_points("have")
    nodes = release.trees["have"].nodes
    released_h = nodes.loc[nodes["published"] & (nodes["depth"] >= 1), "hidden_tonnes"].sum()
    assert mp.tonnes.sum() + mp.unplaced_tonnes == pytest.approx(released_h)


def test_demo_release_survives_the_audit(release: ProgrammeRelease) -> None:
    """No producer of the demo is pinned within 10 % by any attacker from the have release."""
    assert audit_tree(release.trees["have"], tolerance=0.10) == []


def test_selectors_map_to_the_nearest_release_streams(release: ProgrammeRelease) -> None:
    """A code maps to its release stream, flagged as not exact; a whole group is exact."""
    cat = load_catalogue()
    assert streams_for_selectors(release, cat, ["150102"]) == (["plastics"], False)
    for group in cat.groups()["group"]:
        streams, exact = streams_for_selectors(release, cat, [group])
        own = release.streams.set_index("stream").loc[group, "codes"]
        assert (group in streams) == bool(own)
        assert exact == (streams == [group])


def _release_records_by_merge(programme: Programme, catalogue, streams):
    """The release's records computed the plain way (each record joined to its site),
    as :func:`release_records` did before it looked things up per site and per code."""
    import pandas as pd

    from geo.disclosure.release import LEAST_PRECISE, OUTSIDE_PARKS, code_streams
    from geo.programme import PRECISIONS, precision_rank, resources_with_sites

    res = resources_with_sites(programme)
    located = ~res.geometry.isna() & ~res.geometry.is_empty
    precise = precision_rank(res["location_precision"].fillna("not_found")) \
        <= PRECISIONS.index(LEAST_PRECISE)
    tonnes = pd.to_numeric(res["tonnes_per_year"], errors="coerce")
    keep = located & precise & tonnes.notna() & (tonnes >= 0)
    res = res[keep]
    stream = catalogue.normalise_codes(res["ewc_code"]).map(code_streams(streams)) \
        .fillna(OTHER_STREAM)
    park = res["park_id"].astype("string").fillna(OUTSIDE_PARKS).replace("", OUTSIDE_PARKS)
    return pd.DataFrame({"direction": res["direction"].to_numpy(), "stream": stream.to_numpy(),
                         "park": park.to_numpy(), "site_id": res["site_id"].astype(str),
                         "tonnes": tonnes[keep].to_numpy(float),
                         "lon": res.geometry.x.to_numpy(), "lat": res.geometry.y.to_numpy()})


def test_release_records_match_each_record_joined_to_its_site(
        demo_programme: Programme) -> None:
    """Records of unplaced, imprecise or missing sites, without tonnes, with unknown or
    missing codes, in no park or a blank one: the per-site, per-code look-ups keep and label
    exactly the records the plain join does."""
    import copy

    import numpy as np
    import pandas as pd
    from shapely.geometry import Point

    from geo.disclosure.release import release_records

    prog = copy.deepcopy(demo_programme)
    sites, res = prog.sites.copy(), prog.resources.copy()
    sites.loc[sites.index[0], "geometry"] = None
    sites.loc[sites.index[1], "geometry"] = Point()
    sites.loc[sites.index[2], "location_precision"] = "country"
    sites.loc[sites.index[3], "location_precision"] = None
    sites["park_id"] = sites["park_id"].astype(object)
    sites.loc[sites.index[4], "park_id"] = ""
    sites.loc[sites.index[5], "park_id"] = None
    res["ewc_code"] = res["ewc_code"].astype(object)
    res.loc[res.index[0], "ewc_code"] = None
    res.loc[res.index[1], "ewc_code"] = "99 99 99"
    res.loc[res.index[2], "quantity"] = np.nan
    res.loc[res.index[3], "site_id"] = "no such site"
    prog.sites, prog.resources = sites, res
    cat = load_catalogue()
    streams = release_streams(cat)
    got = release_records(prog, cat, streams)
    want = _release_records_by_merge(prog, cat, streams)
    assert 0 < len(got) < len(res)
    assert list(got.columns) == list(want.columns)
    for col in ("direction", "stream", "park", "site_id"):
        assert got[col].astype(str).tolist() == want[col].astype(str).tolist(), col
    for col in ("tonnes", "lon", "lat"):
        np.testing.assert_array_equal(got[col].to_numpy(float), want[col].to_numpy(float))
    assert set(got["park"].astype(str)) >= {"(outside parks)"}
    assert pd.api.types.is_float_dtype(got["tonnes"])


def test_each_direction_is_protected_when_first_read_and_only_once(
        demo_programme: Programme, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an import every reader waits for the new release: a viewer of haves waits for
    the haves' tree alone, and sessions reading a direction at once share one build."""
    from concurrent.futures import ThreadPoolExecutor

    import geo.disclosure.release as rel_mod

    built: list[int] = []
    real = rel_mod.protect_tree

    def counting(recs, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(len(recs))
        return real(recs, *args, **kwargs)

    monkeypatch.setattr(rel_mod, "protect_tree", counting)
    release = build_release(demo_programme, catalogue=load_catalogue())
    assert built == [] and "want" in release.trees and sorted(release.trees) == ["have", "want"]
    table = release.stream_table("have")
    assert len(built) == 1 and len(table)
    with ThreadPoolExecutor(8) as pool:
        trees = list(pool.map(lambda _: release.trees["want"], range(16)))
    assert len(built) == 2 and all(t is trees[0] for t in trees)
    assert sum(built) == len(rel_mod.release_records(demo_programme, load_catalogue(),
                                                     release_streams(load_catalogue())))
    with pytest.raises(KeyError):
        release.trees["both"]


def test_a_release_pickles_with_every_tree_built(demo_programme: Programme) -> None:
    """A release sent from another process (the import worker) arrives with both trees built,
    equal to the sender's, its builders gone and its shared memo empty."""
    import pickle

    import pandas as pd

    fresh = build_release(demo_programme, catalogue=load_catalogue())
    fresh.memo.get("kept", lambda: 1)
    copy = pickle.loads(pickle.dumps(fresh))  # the wants' tree was never read before
    assert sorted(copy.trees) == ["have", "want"] and len(copy.memo) == 0
    assert all(b is None for b in copy.trees._builders.values())  # type: ignore[attr-defined]
    for direction in ("have", "want"):
        pd.testing.assert_frame_equal(copy.trees[direction].nodes,
                                      fresh.trees[direction].nodes)
    assert copy.rules == fresh.rules
