"""AppTest tests of the Milk round page (pages/milk_round.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import click_download, downloads, open_page
from ui import Key

PAGE = "pages/milk_round.py"


@pytest.fixture
def page() -> AppTest:
    """The page on the demo programme with a short solver time."""
    at = open_page(PAGE)
    at.slider(key=Key.MR_TIME).set_value(1)
    return at


def test_page_asks_for_a_plan_first(page: AppTest) -> None:
    """Before planning the page offers the form and the depot defaults to the AD plant."""
    assert any("Plan rounds" in i.value for i in page.info)
    assert page.selectbox(key=Key.MR_DEPOT).value == "KAR-S012"
    assert page.selectbox(key=Key.MR_STREAM).value == "organics"


def test_planning_draws_routes_and_fills_run_sheets(page: AppTest) -> None:
    """Planning two days shows KPIs, a map, a run sheet per route and the left-out list."""
    page.multiselect(key=Key.MR_DAYS).set_value(["mon", "wed"])
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception, page.exception
    labels = [m.label for m in page.metric]
    assert "Vehicle-km" in labels and "CO2e" in labels
    summary = page.dataframe[0].value
    assert set(summary["day"]) <= {"mon", "wed"} and summary["stops"].sum() > 5
    routes = page.selectbox(key=Key.MR_ROUTE).options
    assert len(routes) == len(summary)
    sheet = page.dataframe[1].value
    assert {"arrival", "load_after_t", "leg_km"} <= set(sheet.columns)
    left = page.dataframe[2].value
    assert "is the depot" in set(left["reason"])


def test_gpx_and_tables_download_when_clicked(page: AppTest) -> None:
    """The drivers' GPX and the run-sheet and route tables are built when clicked, not per rerun."""
    page.multiselect(key=Key.MR_DAYS).set_value(["mon"])
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception, page.exception
    built_on_click = downloads(page)
    assert {Key.MR_DL_GPX, "mr_dl_sheet_csv", "mr_dl_lines_geojson"} <= set(built_on_click)
    assert all(built_on_click.values()), built_on_click
    gpx = ET.fromstring(click_download(page, Key.MR_DL_GPX))
    assert gpx.tag.endswith("gpx") and any(e.tag.endswith("trkpt") for e in gpx.iter())


def test_changing_the_fleet_changes_the_plan(page: AppTest) -> None:
    """One vehicle without reloads cannot carry everything: the plan says who was left out."""
    page.number_input(key=Key.MR_VEHICLES).set_value(1)
    page.multiselect(key=Key.MR_DAYS).set_value(["mon"])
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception, page.exception
    assert any("left out" in w.value for w in page.warning)
    left = page.dataframe[2].value
    assert left["reason"].str.contains("vehicles are full").any()


def test_zero_vehicles_is_a_clear_error(page: AppTest) -> None:
    """Zero vehicles shows the domain error instead of a traceback."""
    page.number_input(key=Key.MR_VEHICLES).set_value(0)
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception
    assert any("at least one vehicle" in e.value for e in page.error)


def test_oversize_pickup_is_refused_on_the_page(page: AppTest) -> None:
    """A capacity below the largest pickup is refused with the producers' figures."""
    page.number_input(key=Key.MR_CAPACITY).set_value(2.0)
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception
    assert any("larger than one vehicle" in e.value for e in page.error)


def test_viewer_sees_no_companies() -> None:
    """A viewer gets an explanation instead of the planner."""
    at = open_page(PAGE, role="viewer")
    assert any("viewers may not open this page" in e.value for e in at.error)
    assert not at.dataframe


def test_no_weekday_is_explained_in_the_widgets_words(page: AppTest) -> None:
    """Emptying the accepted weekdays names the widget to fix, not a producer's internals."""
    page.multiselect(key=Key.MR_ACCEPTS).set_value([])
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception, page.exception
    assert any("Weekdays producers accept" in e.value for e in page.error)


def test_without_roads_the_warning_names_the_shared_detour_factor(empty_data_dir: object
                                                                   ) -> None:
    """A stored programme with no road network plans on straight lines × the network's factor."""
    from geo.demo import load_demo_programme
    from geo.network import DEFAULT_DETOUR_FACTOR
    from geo.store import open_store

    prog = load_demo_programme()
    prog.name = "No roads programme"
    open_store().save_programme(prog, replace=True)
    at = open_page(PAGE, programme=prog.name)
    at.slider(key=Key.MR_TIME).set_value(1)
    at.multiselect(key=Key.MR_DAYS).set_value(["mon"])
    at.button(key=Key.MR_SUBMIT).click().run()
    assert not at.exception, at.exception
    assert any(f"straight-line × {DEFAULT_DETOUR_FACTOR:g} estimates" in w.value
               for w in at.warning), [w.value for w in at.warning]
