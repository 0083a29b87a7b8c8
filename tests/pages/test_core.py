"""AppTest tests of the frame and the programme pages (overview, site, about).

Pages run through ``app.py`` so that navigation, the sidebar and page links are real.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app() -> AppTest:
    """The app, run once on its default page."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_shows_programme_figures(app: AppTest) -> None:
    """The overview shows the demo's member, park and resource counts and the illustrative label."""
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Member sites"]) >= 40
    assert int(metrics["Parks"]) >= 3
    assert int(metrics["Resource records"].replace(",", "")) >= 100
    assert any("illustrative" in c.value for c in app.caption)


def test_overview_lists_tonnes_by_chapter(app: AppTest) -> None:
    """The chapter table has named chapters whose haves add up to the headline figure."""
    table = app.dataframe[0].value
    assert {"chapter", "title", "have_t"} <= set(table.columns)
    assert table["title"].str.len().min() > 5
    haves = float(app.metric[3].value.replace(",", ""))
    assert table["have_t"].sum() == pytest.approx(haves, abs=1.0)


def test_viewer_role_hides_site_page() -> None:
    """A viewer who may not see companies gets an explanation instead of a site's records."""
    # AppTest drops sidebar widget state across switch_page, so set the role as state.
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["viewer_role"] = "viewer"
    at.switch_page("pages/site.py").run()
    assert not at.exception, at.exception
    assert any("practitioners only" in i.value for i in at.info)
    assert not at.dataframe


def test_site_page_shows_resources_and_contacts(app: AppTest) -> None:
    """A practitioner sees the chosen site's resources and contacts in tabs."""
    app.switch_page("pages/site.py").run()
    assert not app.exception, app.exception
    site = app.selectbox(key="site_pick")
    site.set_value("KAR-S010").run()
    assert app.selectbox(key="site_pick").value == "KAR-S010"
    assert len(app.tabs) == 4
    assert len(app.dataframe) >= 2  # resources and contacts


def test_site_page_follows_the_link_parameter() -> None:
    """Opening /site?site=KAR-S005 selects that site."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["site"] = "KAR-S005"
    at.run()
    at.switch_page("pages/site.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="site_pick").value == "KAR-S005"


def test_about_page_credits_osm(app: AppTest) -> None:
    """The licences page credits OpenStreetMap and shows the settings in force."""
    app.switch_page("pages/about.py").run()
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "OpenStreetMap contributors" in text
    assert len(app.dataframe) >= 1


def test_stored_programme_uses_its_uploaded_road_network() -> None:
    """With an .osm.pbf stored for the programme, the site finder measures hauls on roads;
    without one it says its hauls are straight-line estimates."""
    import os
    import shutil

    import pyrosm

    from geo.demo import load_demo_programme
    from geo.store import open_store

    prog = load_demo_programme()
    prog.name = "Road test programme"
    open_store().save_programme(prog, replace=True)

    def hauls(at: AppTest) -> str:
        return " ".join(c.value for c in at.caption if "hauls measured" in c.value)

    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["viewer_role"] = "practitioner"
    at.session_state["programme_name"] = prog.name
    at.session_state["sf_home_anaerobic_digestion"] = 50.0
    at.switch_page("pages/site_finder.py").run()
    assert not at.exception, at.exception
    assert "straight-line" in hauls(at)

    import hashlib

    key = hashlib.sha256(prog.name.encode()).hexdigest()[:16]
    target = Path(os.environ["SYMBIOMAP_DATA_DIR"]) / "networks" / f"{key}.osm.pbf"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(pyrosm.get_data("test_pbf"), target)
    at2 = AppTest.from_file(APP, default_timeout=180)
    at2.session_state["viewer_role"] = "practitioner"
    at2.session_state["programme_name"] = prog.name
    at2.session_state["sf_home_anaerobic_digestion"] = 50.0
    at2.switch_page("pages/site_finder.py").run()
    assert not at2.exception, at2.exception
    assert "hauls measured: road" in hauls(at2)
