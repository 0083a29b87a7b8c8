"""AppTest tests of the Site finder page (pages/site_finder.py) on the demo programme."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.demo import load_demo_programme
from geo.i18n import column_label
from tests.pages.support import click_download, downloads, open_page, page_text
from ui import Key, profile_key

PAGE = "pages/site_finder.py"
HOUSING = profile_key("home", "anaerobic_digestion")  # the default technology's housing rule


@pytest.fixture
def page() -> AppTest:
    """The page, run once with its defaults."""
    return open_page(PAGE, timeout=180)


def test_default_rules_explain_what_removed_the_candidates(page: AppTest) -> None:
    """With digestion's 250 m housing rule, the page says which rule removed how many."""
    assert any("No candidate passes" in w.value and "residential" in w.value
               for w in page.warning)
    report = page.dataframe[0].value  # headers and rule names as a person reads them
    assert set(report["Rule"]) == {"industrial", "residential", "land", "main road"}


def test_relaxed_rule_ranks_sites_with_breakdown_and_best_plants(page: AppTest) -> None:
    """At 100 m from housing a ranking, score bars, best plants and memo downloads appear.
    The two p-median plants take less than the profile's minimum throughput, which the page
    says in a warning (it was an unticked box in the table); the capacitated objective opens
    only plants that reach it, with no warning."""
    page.number_input(key=HOUSING).set_value(100.0).run()
    assert not page.exception, page.exception
    assert [w.value for w in page.warning if "fall short of the minimum" not in w.value
            and "falls short of the minimum" not in w.value] == []
    assert any("proven" in w.value for w in page.warning)
    tables = {len(d.value.columns): d.value for d in page.dataframe}
    names, rank = column_label("supplier_names"), column_label("rank")  # headers are labels
    ranking = next(d.value for d in page.dataframe if names in d.value.columns)
    assert ranking[rank].iloc[0] == 1
    assert ranking[names].str.len().iloc[0] > 0
    assert tables
    page.selectbox(key=Key.SF_OBJECTIVE).set_value("capacitated").run()
    assert not page.exception, page.exception
    assert any("capacitated" in c.value for c in page.caption)
    assert not page.warning


def test_memos_and_tables_download_when_clicked(page: AppTest) -> None:
    """Every download of the ranking is built on click; the memos come out as Markdown and HTML."""
    page.number_input(key=HOUSING).set_value(100.0).run()
    assert not page.exception, page.exception
    built_on_click = downloads(page)
    assert {Key.SF_MEMO_MD, Key.SF_MEMO_HTML, "sf_dl_rank_csv"} <= set(built_on_click)
    assert all(built_on_click.values()), built_on_click
    markdown = click_download(page, Key.SF_MEMO_MD).decode()
    assert markdown.startswith("# ") and "illustrative" in markdown.lower()
    assert b"<html" in click_download(page, Key.SF_MEMO_HTML).lower()


@pytest.fixture
def viewer_page() -> AppTest:
    """The page for a viewer at 100 m from housing (a ranking appears)."""
    return open_page(PAGE, role="viewer", state={HOUSING: 100.0}, timeout=180)


def test_viewer_ranks_on_the_release_and_says_so(viewer_page: AppTest) -> None:
    """A viewer's ranking counts released hexagons, banded, and names its release streams."""
    label = column_label  # the page shows column labels as headers
    ranking = next(d.value for d in viewer_page.dataframe
                   if label("feedstock_t") in d.value.columns)
    assert label("supplier_names") not in ranking and label("suppliers") not in ranking
    assert label("cells") in ranking and ranking[label("rank")].iloc[0] == 1
    feed = ranking[label("feedstock_t")].dropna()
    assert (feed == feed.map(lambda v: float(f"{v:.2g}"))).all()
    notes = " ".join(c.value for c in viewer_page.caption)
    assert "protected release" in notes and "Organic" in notes
    assert "may include materials this technology does not take" in notes


def test_viewer_page_names_no_company(viewer_page: AppTest) -> None:
    """No element of the viewer's page (tables, maps, captions) names a member company."""
    text = page_text(viewer_page)
    prog = load_demo_programme()
    leaked = [n for n in [*prog.sites["name"], *prog.sites["site_id"]] if n in text]
    assert not leaked, leaked[:3]


def test_viewer_downloads_are_built_on_click_and_protected(viewer_page: AppTest) -> None:
    """A viewer's memo and ranking are built on click and carry no company name."""
    built_on_click = downloads(viewer_page)
    assert all(built_on_click.values()), built_on_click
    memo = click_download(viewer_page, Key.SF_MEMO_MD).decode()
    ranking = click_download(viewer_page, "sf_dl_rank_csv").decode()
    assert "protected release" in memo and "hexagons" in memo
    names = load_demo_programme().sites["name"]
    assert not [n for n in names if n in memo or n in ranking]
    header = ranking.lstrip("\ufeff").splitlines()[0].split(",")
    assert "index" not in header and "" not in header, header  # no pandas index leaks out
    import io

    import pandas as pd
    sheet = pd.read_excel(io.BytesIO(click_download(viewer_page, "sf_dl_rank_xlsx")))
    assert "index" not in sheet.columns and not any(
        str(c).startswith("Unnamed") for c in sheet.columns), list(sheet.columns)
    import pyogrio

    # the GeoPackage's layer is named after the file (every one was "resources")
    gpkg = Path(os.environ["SYMBIOMAP_DATA_DIR"]) / "ranking.gpkg"
    gpkg.parent.mkdir(parents=True, exist_ok=True)
    gpkg.write_bytes(click_download(viewer_page, "sf_dl_rank_gpkg"))
    (layer, _kind), = pyogrio.list_layers(gpkg)
    assert layer.startswith("site_ranking_"), layer


def test_empty_screen_offers_a_relaxation_that_yields_a_ranking(page: AppTest) -> None:
    """When no candidate passes, one click relaxes the housing distance and a ranking appears."""
    assert any("No candidate passes" in w.value for w in page.warning)
    page.button(key=Key.SF_RELAX).click().run()
    assert not page.exception, page.exception
    assert not any("No candidate passes" in w.value for w in page.warning)
    assert len(page.tabs) >= 5  # ranking, sensitivity, best p sites, compare, downloads


def test_minimum_above_maximum_is_refused_with_the_rule(page: AppTest) -> None:
    """Editing the profile so its minimum throughput exceeds the maximum is explained."""
    pid = page.selectbox(key=Key.SF_PROFILE).value
    page.number_input(key=profile_key("min_throughput_t", pid)).set_value(1e9).run()
    assert not page.exception, page.exception
    assert page.error, "the broken rule should be shown as an error"
    assert "throughput" in page.error[0].value


def test_stored_programme_uses_its_uploaded_road_network(empty_data_dir: Path) -> None:
    """With an .osm.pbf stored for the programme, the site finder measures hauls on roads;
    without one it says its hauls are straight-line estimates."""
    import hashlib
    import shutil

    import pyrosm

    from geo.demo import load_demo_programme
    from geo.settings import get_settings
    from geo.store import open_store
    from ui.network import programme_pbf

    prog = load_demo_programme()
    prog.name = "Road test programme"
    open_store().save_programme(prog, replace=True)

    def hauls(at: AppTest) -> str:
        return " ".join(c.value for c in at.caption if "hauls measured" in c.value)

    state = {HOUSING: 50.0}
    at = open_page(PAGE, programme=prog.name, state=state, timeout=180)
    assert "straight-line" in hauls(at)

    key = hashlib.sha256(prog.name.encode()).hexdigest()[:16]
    target = Path(os.environ["SYMBIOMAP_DATA_DIR"]) / "networks" / f"{key}.osm.pbf"
    assert programme_pbf(prog.name, settings=get_settings()) == target
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(pyrosm.get_data("test_pbf"), target)
    at2 = open_page(PAGE, programme=prog.name, state=state, timeout=180)
    assert "hauls measured: road" in hauls(at2)


def test_a_bad_optional_plants_layer_leaves_the_results(page: AppTest) -> None:
    """An unreadable "existing plants" layer (a CSV named .geojson) is refused under its box,
    and the page goes on without it (it used to stop, taking the results with it)."""
    page.file_uploader(key="sf_plants_upload").upload(
        "plants.geojson", b"name,lon,lat\nA,26.9,60.5\n", "application/geo+json")
    page.run()
    assert not page.exception, page.exception
    assert any("leave this optional layer out" in e.value and "CSV" in e.value
               for e in page.error), [e.value for e in page.error]
    assert any("No candidate passes" in w.value for w in page.warning)  # the page went on
