"""AppTest tests of the Milk round page (pages/milk_round.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

PAGE = str(ROOT / "pages" / "milk_round.py")


@pytest.fixture
def page() -> AppTest:
    """The page on the demo programme with a short solver time."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.slider(key="mr_time").set_value(1)
    return at


def test_page_asks_for_a_plan_first(page: AppTest) -> None:
    """Before planning the page offers the form and the depot defaults to the AD plant."""
    assert any("Plan rounds" in i.value for i in page.info)
    assert page.selectbox(key="mr_depot").value == "KAR-S012"
    assert page.selectbox(key="mr_stream").value == "organics"


def test_planning_draws_routes_and_fills_run_sheets(page: AppTest) -> None:
    """Planning two days shows KPIs, a map, a run sheet per route and the left-out list."""
    page.multiselect(key="mr_days").set_value(["mon", "wed"])
    page.button(key="mr_submit").click().run()
    assert not page.exception, page.exception
    labels = [m.label for m in page.metric]
    assert "Vehicle-km" in labels and "CO2e" in labels
    summary = page.dataframe[0].value
    assert set(summary["day"]) <= {"mon", "wed"} and summary["stops"].sum() > 5
    routes = page.selectbox(key="mr_route").options
    assert len(routes) == len(summary)
    sheet = page.dataframe[1].value
    assert {"arrival", "load_after_t", "leg_km"} <= set(sheet.columns)
    left = page.dataframe[2].value
    assert "is the depot" in set(left["reason"])


def test_changing_the_fleet_changes_the_plan(page: AppTest) -> None:
    """One vehicle without reloads cannot carry everything: the plan says who was left out."""
    page.number_input(key="mr_vehicles").set_value(1)
    page.multiselect(key="mr_days").set_value(["mon"])
    page.button(key="mr_submit").click().run()
    assert not page.exception, page.exception
    assert any("left out" in w.value for w in page.warning)
    left = page.dataframe[2].value
    assert left["reason"].str.contains("vehicles are full").any()


def test_zero_vehicles_is_a_clear_error(page: AppTest) -> None:
    """Zero vehicles shows the domain error instead of a traceback."""
    page.number_input(key="mr_vehicles").set_value(0)
    page.button(key="mr_submit").click().run()
    assert not page.exception
    assert any("at least one vehicle" in e.value for e in page.error)


def test_oversize_pickup_is_refused_on_the_page(page: AppTest) -> None:
    """A capacity below the largest pickup is refused with the producers' figures."""
    page.number_input(key="mr_capacity").set_value(2.0)
    page.button(key="mr_submit").click().run()
    assert not page.exception
    assert any("larger than one vehicle" in e.value for e in page.error)


def test_viewer_sees_no_companies() -> None:
    """A viewer gets an explanation instead of the planner."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["viewer_role"] = "viewer"
    at.run()
    assert not at.exception
    assert any("practitioners only" in i.value for i in at.info)
    assert not at.dataframe


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_browser_draws_the_routes_offline(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """In a real browser with no internet, planning draws route lines and numbered stops."""
    from tests.browser.support import offline_page

    with offline_page(browser, app_url) as (pg, blocked):
        _plan_and_check(pg, blocked, app_url)


def _plan_and_check(pg, blocked: list[str], app_url: str) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.support import ARTIFACTS, COUNT_LAYERS_JS, map_frame

    pg.goto(f"{app_url}/milk_round", wait_until="domcontentloaded")
    pg.get_by_role("button", name="Plan rounds").click(timeout=90_000)
    pg.get_by_text("Vehicle-km").first.wait_for(timeout=120_000)
    frame = map_frame(pg)
    pg.wait_for_timeout(1500)
    counts = frame.evaluate(COUNT_LAYERS_JS)
    labels = frame.evaluate(
        "() => [...document.querySelectorAll('.stop-number')].map(e => e.textContent)")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.locator("iframe").last.scroll_into_view_if_needed()
    pg.screenshot(path=str(ARTIFACTS / "milk_round.png"))
    assert counts["lines"] >= 1, counts  # at least one route along the roads
    assert "1" in labels and len(labels) >= 5, labels  # numbered stops
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked


def test_no_weekday_is_explained_in_the_widgets_words(page: AppTest) -> None:
    """Emptying the accepted weekdays names the widget to fix, not a producer's internals."""
    page.multiselect(key="mr_accepts").set_value([])
    page.button(key="mr_submit").click().run()
    assert not page.exception, page.exception
    assert any("Weekdays producers accept" in e.value for e in page.error)
