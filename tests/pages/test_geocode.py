"""AppTest tests of the Locate records page (pages/geocode.py)."""

from __future__ import annotations

from pathlib import Path

from tests.pages.support import click_download, downloads, open_page, table_with
from ui import Key

PAGE = "pages/geocode.py"


def test_geocode_page_shows_quality_view() -> None:
    """The locate page shows every demo site by precision and the gazetteer licences."""
    at = open_page(PAGE)
    assert any("of 69 sites on the map" in c.value or "sites on the map" in c.value
               for c in at.caption)
    assert len(at.dataframe) >= 2


def test_geocode_is_closed_to_viewers() -> None:
    """Geocoding is a practitioner job; viewers get an explanation."""
    at = open_page(PAGE, role="viewer")
    assert any("viewers may not open this page" in e.value for e in at.error)


def test_imported_programme_is_located_on_the_geocode_page(tmp_path: Path) -> None:
    """A stored programme imported without coordinates gets located by the page's batch run."""
    from geo.importer import import_file
    from geo.store import open_store

    csv = tmp_path / "members.csv"
    csv.write_text(
        "Company,Postcode,City,Country,Have/Want,EWC code,Quantity,Unit\n"
        "Brum Metals,B4 7DA,Birmingham,GB,have,120101,40,t/yr\n"
        "Karhula Timber,,Kotka,FI,have,030105,300,t/yr\n"
        "Nowhere Ltd,,Qwzxv,GB,have,150101,5,t/yr\n"
        "Bad Row Ltd,,Kotka,FI,have,999999,5,t/yr\n", encoding="utf-8")
    store = open_store()
    report = import_file(csv, store=store, programme="Geocode test", provenance="import file")
    assert report.imported == 3 and report.rejected == 1

    at = open_page(PAGE, programme="Geocode test", timeout=180)
    at.button(key=Key.GC_RUN).click().run()
    assert not at.exception, at.exception
    sites = store.load_programme("Geocode test").sites.set_index("name")
    assert sites.loc["Brum Metals", "location_precision"] == "postcode"
    assert abs(sites.loc["Brum Metals"].geometry.y - 52.4856) < 0.001
    assert sites.loc["Karhula Timber", "location_precision"] in {"town", "district"}
    assert sites.loc["Nowhere Ltd", "location_precision"] == "not_found"


def test_typed_placement_is_manual_and_survives_a_batch_run(tmp_path: Path) -> None:
    """Coordinates typed on the page place the site 'by hand'; a later batch run keeps them."""
    from geo.importer import import_file
    from geo.store import open_store

    csv = tmp_path / "m.csv"
    csv.write_text("Company,City,Country,Have/Want,EWC code,Quantity,Unit\n"
                   "Typed Place Oy,Kotka,FI,have,150101,12,t/yr\n", encoding="utf-8")
    store = open_store()
    assert import_file(csv, store=store, programme="Typed test").imported == 1

    at = open_page(PAGE, programme="Typed test", timeout=180)
    unplaced = table_with(at, "site_id", "location_precision")  # the worst-placed records
    assert len(unplaced) == 1
    at.number_input(key=Key.GC_MANUAL_LAT).set_value(60.5012)
    at.number_input(key=Key.GC_MANUAL_LON).set_value(26.9123).run()
    at.button(key=Key.GC_MANUAL_TYPED).click().run()
    assert not at.exception, at.exception
    site = store.load_programme("Typed test").sites.iloc[0]
    assert site["location_precision"] == "manual"
    assert (round(site.geometry.x, 4), round(site.geometry.y, 4)) == (26.9123, 60.5012)
    # the page is drawn again at once: the site has left the worst-placed records
    assert table_with(at, "site_id", "location_precision").empty
    version = store.data_versions("Typed test").programme

    at.button(key=Key.GC_RUN).click().run()  # the batch finds "Kotka" as a town…
    assert not at.exception, at.exception
    site = store.load_programme("Typed test").sites.iloc[0]
    assert site["location_precision"] == "manual"  # …but never moves a hand placement
    assert round(site.geometry.x, 4) == 26.9123
    assert store.data_versions("Typed test").programme <= version + 1  # one write at most


def test_the_stored_demo_is_placed_by_hand_from_its_demo_entry(empty_data_dir: Path) -> None:
    """The demo read from the package cannot be edited; once saved to the database, its demo
    entry (which now reads the stored copy) places a site by hand, in that copy."""
    from geo.demo import DEMO_NAME, load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo

    at = open_page(PAGE)
    assert any("save the demo or import a list first" in i.value for i in at.info)
    assert not at.get("selectbox") or "gc_manual_site" not in {
        s.key for s in at.selectbox}
    store = open_store()
    repo.ensure_programme(store, load_demo_programme())
    at = open_page(PAGE, timeout=180)
    site_id = at.selectbox(key="gc_manual_site").value
    at.number_input(key=Key.GC_MANUAL_LAT).set_value(60.5012)
    at.number_input(key=Key.GC_MANUAL_LON).set_value(26.9123).run()
    at.button(key=Key.GC_MANUAL_TYPED).click().run()
    assert not at.exception, at.exception
    sites = store.load_programme(DEMO_NAME).sites.set_index("site_id")
    assert sites.loc[site_id, "location_precision"] == "manual"
    assert round(sites.loc[site_id].geometry.y, 4) == 60.5012


def test_coordinates_far_from_the_other_sites_are_asked_about(empty_data_dir: Path) -> None:
    """Typed coordinates thousands of km from the programme's other sites are not stored at
    once: the page asks, and offers to swap latitude and longitude where that lands among
    them (swapped coordinates were stored silently and moved every distance to the site)."""
    from geo.demo import DEMO_NAME, load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo

    store = open_store()
    repo.ensure_programme(store, load_demo_programme())
    at = open_page(PAGE, timeout=180)
    site_id = at.selectbox(key="gc_manual_site").value
    before = store.load_programme(DEMO_NAME).sites.set_index("site_id").loc[site_id].geometry
    at.number_input(key=Key.GC_MANUAL_LAT).set_value(26.93)
    at.number_input(key=Key.GC_MANUAL_LON).set_value(60.47).run()
    at.button(key=Key.GC_MANUAL_TYPED).click().run()
    assert not at.exception, at.exception
    assert any("km from the programme's other sites" in w.value for w in at.warning)
    unchanged = store.load_programme(DEMO_NAME).sites.set_index("site_id").loc[site_id]
    assert unchanged.geometry.equals(before)  # nothing stored yet
    at.button(key="gc_manual_swap").click().run()
    assert not at.exception, at.exception
    placed = store.load_programme(DEMO_NAME).sites.set_index("site_id").loc[site_id]
    assert placed["location_precision"] == "manual"
    assert (round(placed.geometry.y, 2), round(placed.geometry.x, 2)) == (60.47, 26.93)


def test_located_file_download_is_built_on_click() -> None:
    """A member list located on the page downloads as CSV, built when the button is clicked."""
    at = open_page(PAGE)
    members = b"Company,City,Country\nKotka Works Oy,Kotka,FI\n"
    at.file_uploader(key=Key.GC_FILE).upload("members.csv", members, "text/csv")
    at.run()
    at.button(key=Key.GC_FILE_GO).click().run()
    assert not at.exception, at.exception
    assert downloads(at) == {Key.GC_FILE_DL: True}
    located = click_download(at, Key.GC_FILE_DL).decode("utf-8-sig")
    assert "Kotka Works Oy" in located and "precision" in located.splitlines()[0]



def test_precision_chart_lists_best_to_worst() -> None:
    """The quality chart keeps the precisions' order (manual, exact … not found), as the
    slider under it, rather than sorting the translated labels alphabetically."""
    import json

    import pyarrow as pa

    from geo.programme import PRECISIONS
    from layers.quality import PRECISION_LABELS

    at = open_page(PAGE)
    chart = at.get("vega_lite_chart")[0].proto
    assert json.loads(chart.spec)["encoding"]["y"]["sort"] is None  # data order, not sorted
    rows = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    shown = rows.iloc[:, 0].tolist()
    expected = [PRECISION_LABELS.get(p, p) for p in PRECISIONS]
    assert len(shown) == len(PRECISIONS)
    assert [s.casefold() for s in shown] == [e.casefold() for e in expected], shown
