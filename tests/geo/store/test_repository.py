"""Tests of geo.store: migrations, programme round trip, dedup, archiving, import batches."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from shapely.geometry import Point

from geo.errors import CRSError, StoreError
from geo.programme import Programme, empty_programme
from geo.store import Base, Store, open_store
from geo.store.keys import resource_import_keys
from geo.store.migrate import current_revision, head_revision, upgrade
from tests.geo.store.samples import tiny_programme


def assert_programmes_equal(a: Programme, b: Programme) -> None:
    assert_geodataframe_equal(a.parks.reset_index(drop=True), b.parks, check_dtype=True)
    assert_geodataframe_equal(a.sites.reset_index(drop=True), b.sites)
    assert_frame_equal(a.contacts.reset_index(drop=True), b.contacts)
    assert_frame_equal(a.resources.reset_index(drop=True), b.resources)
    assert (a.name, a.illustrative, a.region_name, a.notes) == (
        b.name, b.illustrative, b.region_name, b.notes)


MY_TABLES = {"programmes", "location_levels", "locations", "parks", "sites", "contacts",
             "resources", "import_batches", "import_rejects"}


def _only_initial_tables(obj: object, name: str | None, type_: str, reflected: bool,
                         compare_to: object) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in MY_TABLES


def _change(diff: object) -> tuple[str, str]:
    kind = diff[0]
    if kind == "add_column":
        return kind, f"{diff[2]}.{diff[3].name}"
    return kind, str(diff[1].name)


def test_migration_0001_matches_the_models(tmp_path: Path) -> None:
    """Revision 0001 creates the tables of geo.store.tables as they are, less what 0004 and
    0007 add."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert current_revision(engine) is None
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert set(sa.inspect(engine).get_table_names()) >= MY_TABLES
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "include_object": _only_initial_tables})
        changes = sorted(_change(d) for d in compare_metadata(ctx, Base.metadata))
    assert changes == [("add_column", "contacts.written_version"),
                       ("add_column", "programmes.data_version"),
                       ("add_column", "programmes.records_reset_version"),
                       ("add_column", "programmes.synergy_version"),
                       ("add_column", "resources.written_version"),
                       ("add_column", "sites.written_version"),
                       ("add_index", "ix_sites_programme_lon_lat")]


def test_migrations_reach_head_from_empty(tmp_path: Path) -> None:
    """open_store on an empty file runs every revision up to the newest one."""
    db = tmp_path / "head.db"
    store = open_store(f"sqlite:///{db}")
    assert current_revision(store.engine) == head_revision()
    assert {"alembic_version", *MY_TABLES} <= set(sa.inspect(store.engine).get_table_names())


def test_open_store_creates_sqlite_file_and_folder(tmp_path: Path) -> None:
    """open_store makes the folder and file on first run and reopening keeps the data."""
    db = tmp_path / "new" / "folder" / "symbiomap.db"
    open_store(f"sqlite:///{db}").save_programme(empty_programme("A"))
    assert db.is_file()
    assert open_store(f"sqlite:///{db}").programme_names() == ["A"]


def test_open_store_default_url_follows_settings(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a URL the store is the SQLite file in SYMBIOMAP_DATA_DIR."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path / "data"))
    open_store().create_programme("B")
    assert (tmp_path / "data" / "symbiomap.db").is_file()


def test_open_store_bad_url_is_a_store_error() -> None:
    """An unreachable database is reported as a StoreError naming the setting to fix."""
    with pytest.raises(StoreError, match="SYMBIOMAP_DATABASE_URL"):
        open_store("sqlite:////proc/no/such/dir/x.db")


def test_round_trip_tiny_programme(store: Store) -> None:
    """Every frame comes back equal after save/load, geometries (multi-polygons) included."""
    p = tiny_programme()
    store.save_programme(p)
    assert_programmes_equal(p, store.load_programme("Tiny programme"))


def test_round_trip_demo_programme(store: Store, demo_programme: Programme) -> None:
    """The embedded demo programme survives a save/load unchanged."""
    store.save_programme(demo_programme)
    assert_programmes_equal(demo_programme, store.load_programme(demo_programme.name))


def test_round_trip_empty_programme(store: Store) -> None:
    """An empty programme loads with all its columns and no rows."""
    store.save_programme(empty_programme("Empty"))
    p = store.load_programme("Empty")
    assert p.sites.empty and p.resources.empty and p.parks.crs == "EPSG:4326"
    assert "ewc_code" in p.resources.columns


def test_save_twice_needs_replace(store: Store) -> None:
    """Saving an existing name without replace=True is refused with the fix in the message."""
    store.save_programme(tiny_programme())
    with pytest.raises(StoreError, match="replace=True"):
        store.save_programme(tiny_programme())


def test_replace_archives_missing_sites_and_updates_others(store: Store) -> None:
    """replace=True updates records in place and archives (not deletes) sites left out."""
    p = tiny_programme()
    store.save_programme(p)
    q = tiny_programme()
    q.sites = q.sites[q.sites["site_id"] != "S3"].copy()
    q.sites.loc[0, "name"] = "Renamed Oy"
    q.resources = q.resources[q.resources["site_id"] != "S3"].copy()
    store.save_programme(q, replace=True)
    loaded = store.load_programme("Tiny programme")
    assert loaded.sites["site_id"].tolist() == ["S1", "S2"]
    assert loaded.sites.loc[0, "name"] == "Renamed Oy"
    everything = store.load_programme("Tiny programme", include_archived=True)
    assert everything.sites.set_index("site_id")["archived"].to_dict() == {
        "S1": False, "S2": False, "S3": True}
    assert everything.resources.set_index("resource_id").loc["R4", "archived"]


def test_load_without_name_needs_a_single_programme(store: Store) -> None:
    """load_programme() picks the only programme and asks which when there are several."""
    store.save_programme(tiny_programme("One"))
    assert store.load_programme().name == "One"
    store.save_programme(tiny_programme("Two"))
    with pytest.raises(StoreError, match="Say which programme"):
        store.load_programme()
    assert store.programme_names() == ["One", "Two"]


def test_unknown_programme_lists_stored_names(store: Store) -> None:
    """Loading an unknown programme names the ones that exist."""
    store.save_programme(tiny_programme("One"))
    with pytest.raises(StoreError, match="One"):
        store.load_programme("Nope")


def test_readding_same_resources_adds_no_duplicates(store: Store) -> None:
    """add_resources skips rows whose import_key is already stored."""
    p = tiny_programme()
    store.save_programme(Programme(name=p.name, parks=p.parks, sites=p.sites,
                                   contacts=p.contacts, resources=p.resources.iloc[:0]))
    new = p.resources.copy()
    assert store.add_resources(p.name, new) == 4
    again = new.assign(resource_id=["X1", "X2", "X3", "X4"])  # new ids, same content
    assert store.add_resources(p.name, again) == 0
    assert len(store.load_programme(p.name).resources) == 4


def test_identical_rows_in_one_frame_are_kept_apart() -> None:
    """Two identical records get different import keys (occurrence suffix), stable on rerun."""
    df = tiny_programme().resources.iloc[[0, 0, 1]].reset_index(drop=True)
    keys = resource_import_keys(df)
    assert keys.nunique() == 3 and keys[1] == keys[0] + ":2"
    assert resource_import_keys(df).equals(keys)


def test_add_sites_skips_known_ids_and_checks_crs(store: Store) -> None:
    """add_sites adds only new site ids and refuses frames that are not EPSG:4326."""
    p = tiny_programme()
    store.create_programme(p.name)
    sites = p.sites.assign(park_id=None)
    assert store.add_sites(p.name, sites) == 3
    assert store.add_sites(p.name, sites) == 0
    with pytest.raises(CRSError, match="EPSG:4326"):
        store.add_sites(p.name, sites.to_crs(3067).assign(site_id=["a", "b", "c"]))


def test_add_resources_to_unknown_site_is_refused(store: Store) -> None:
    """A resource pointing at a site that is not stored raises a StoreError."""
    p = tiny_programme()
    store.save_programme(p)
    with pytest.raises(StoreError, match="not stored"):
        store.add_resources(p.name, p.resources.assign(site_id="S9", resource_id="N1"))


def test_archived_sites_hidden_by_default(store: Store) -> None:
    """An archived site, its contacts and its resources disappear from default loads."""
    p = tiny_programme()
    store.save_programme(p)
    store.archive_site("S1")
    loaded = store.load_programme(p.name)
    assert "S1" not in set(loaded.sites["site_id"])
    assert "S1" not in set(loaded.resources["site_id"])
    assert "S1" not in set(loaded.contacts["site_id"])
    full = store.load_programme(p.name, include_archived=True)
    assert full.sites.set_index("site_id").loc["S1", "archived"]
    assert len(full.resources) == 4


def test_update_site_location(store: Store) -> None:
    """A site can be placed by hand; bad coordinates and precisions are refused."""
    store.save_programme(tiny_programme())
    store.update_site_location("S3", 26.95, 60.47, "manual", "pinned on the map")
    s3 = store.load_programme().sites.set_index("site_id").loc["S3"]
    assert (s3.geometry.x, s3.geometry.y) == (26.95, 60.47)
    assert (s3["location_precision"], s3["location_source"]) == ("manual", "pinned on the map")
    with pytest.raises(StoreError, match=r"\[-90, 90\]"):
        store.update_site_location("S3", 26.9, 95.0, "manual", "x")
    with pytest.raises(StoreError, match="precision must be one of"):
        store.update_site_location("S3", 26.9, 60.0, "roughly", "x")
    with pytest.raises(StoreError, match="No site"):
        store.update_site_location("S404", 26.9, 60.0, "manual", "x")


def test_same_site_id_in_two_programmes_needs_programme(store: Store) -> None:
    """A site id shared by two programmes must be disambiguated with programme=."""
    store.save_programme(tiny_programme("One"))
    store.save_programme(tiny_programme("Two"))
    with pytest.raises(StoreError, match="several programmes"):
        store.archive_site("S1")
    store.archive_site("S1", programme="Two")
    assert "S1" in set(store.load_programme("One").sites["site_id"])
    assert "S1" not in set(store.load_programme("Two").sites["site_id"])


def test_record_import_keeps_rejects_until_resolved(store: Store) -> None:
    """Rejects are listed once per distinct row and marked resolved by a corrected import."""
    rejects = pd.DataFrame({"row": [3, 7], "raw": [{"name": ""}, {"name": "X", "qty": "-1"}],
                            "errors": [[{"column": "name", "message": "missing"}],
                                       [{"column": "qty", "message": "negative"}]],
                            "reject_key": ["k1", "k2"]})
    out = store.record_import("Imported", file_name="a.csv", sha256="0" * 64, rows=10,
                              rejects=rejects)
    assert (out.rejected, out.rejects_added) == (2, 2)
    again = store.record_import("Imported", file_name="a.csv", sha256="0" * 64, rows=10,
                                rejects=rejects)
    assert again.rejects_added == 0
    listed = store.rejects("Imported")
    assert listed["row"].tolist() == [3, 7]
    assert listed.loc[1, "raw"] == {"name": "X", "qty": "-1"}
    assert "qty: negative" in listed.loc[1, "message"]
    fixed = store.record_import("Imported", file_name="a_rejects.csv", sha256="1" * 64, rows=1,
                                resolves=["k2"])
    assert fixed.resolved == 1
    assert store.rejects("Imported")["reject_key"].tolist() == ["k1"]
    assert len(store.rejects("Imported", unresolved_only=False)) == 2
    assert store.import_batches("Imported")["file_name"].tolist() == [
        "a_rejects.csv", "a.csv", "a.csv"]


def test_not_found_is_recorded_without_a_point(tmp_path) -> None:
    """A site searched for and not found keeps no point but says 'not_found'."""

    from geo.programme import empty_programme
    from geo.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'nf.db'}")
    p = empty_programme("NF")
    p.sites = gpd.GeoDataFrame(
        {"site_id": ["s1"], "name": ["A"], "location_precision": ["exact"]},
        geometry=[Point(1.0, 2.0)], crs=4326).reindex(columns=[*p.sites.columns])
    p.sites["site_id"], p.sites["name"] = ["s1"], ["A"]
    store.save_programme(p)
    store.update_site_location("s1", None, None, "not_found", "geonames")
    sites = store.load_programme("NF").sites
    assert sites.loc[0, "location_precision"] == "not_found"
    assert sites.geometry.iloc[0] is None or sites.geometry.iloc[0].is_empty


def test_a_batch_of_placements_lands_whole_with_one_version_bump(store: Store) -> None:
    """A geocoding run's placements are written together (one data version bump); one bad
    value in the batch refuses it all and leaves every site as it was."""
    p = tiny_programme()
    store.save_programme(p)
    sites = store.load_programme(p.name).sites.set_index("site_id")
    first, second = sites.index[:2]
    before = store.data_versions(p.name).programme
    placed = store.update_site_locations(
        [(first, 26.91, 60.51, "street", "gazetteer"), (second, None, None, "not_found", "x")],
        programme=p.name)
    assert placed == 2
    assert store.data_versions(p.name).programme == before + 1
    after = store.load_programme(p.name).sites.set_index("site_id")
    assert after.loc[first, "location_precision"] == "street"
    assert after.loc[first, "geometry"].equals(Point(26.91, 60.51))
    assert after.loc[second, "location_precision"] == "not_found"
    assert after.loc[second, "geometry"] is None or after.loc[second, "geometry"].is_empty
    with pytest.raises(StoreError, match="lat within"):
        store.update_site_locations([(first, 1.0, 2.0, "street", "g"),
                                     (second, 500.0, 60.5, "street", "g")], programme=p.name)
    with pytest.raises(StoreError, match="No site"):
        store.update_site_locations([(first, 1.0, 2.0, "street", "g"),
                                     ("no such site", 1.0, 2.0, "street", "g")],
                                    programme=p.name)
    assert_geodataframe_equal(store.load_programme(p.name).sites, after.reset_index()[
        store.load_programme(p.name).sites.columns])
    assert store.data_versions(p.name).programme == before + 1
