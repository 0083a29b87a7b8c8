"""AppTest tests of the Milk round page (pages/milk_round.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from geo.routing.periodic import Horizon, VisitFrequency
from tests.pages.support import APP, click_download, downloads, open_page, table_with
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


def test_nothing_worth_collecting_is_said_in_words(page: AppTest) -> None:
    """Optional visits at a value of 0 collect nothing: the page says why and what to change,
    instead of zero figures with red arrows against own trips."""
    page.checkbox(key="mr_optional").check()
    page.number_input(key="mr_value").set_value(0.0)
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception, page.exception
    assert any("No producer was collected" in w.value for w in page.warning), \
        [w.value for w in page.warning]
    assert not page.metric
    assert len(table_with(page, "reason")) > 0  # each producer with its reason


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
    """Zero vehicles shows the domain error instead of a traceback, and no progress bar is
    left above it."""
    page.number_input(key=Key.MR_VEHICLES).set_value(0)
    page.button(key=Key.MR_SUBMIT).click().run()
    assert not page.exception
    assert any("at least one vehicle" in e.value for e in page.error)
    assert not page.get("progress")


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


# --- Several weeks ----------------------------------------------------------------------------

@pytest.fixture
def horizon() -> AppTest:
    """The page in horizon mode on the demo programme, two weeks, a short solver time."""
    at = open_page(PAGE)
    at.segmented_control(key="mr_mode").set_value("horizon").run()
    assert not at.exception, at.exception
    at.number_input(key="mr_h_weeks").set_value(2)
    at.slider(key="mr_h_time").set_value(2)
    return at.run()


def test_horizon_plans_two_weeks_into_a_calendar(horizon: AppTest) -> None:
    """Two weeks of Monday to Friday: a calendar with ten day columns, every producer visited
    as often as its frequency asks or named as not served, run sheets to download."""
    asked = horizon.data_editor(key="mr_h_producers").value
    assert len(asked) > 5 and set(asked["frequency"]) <= {"weekly", "fortnightly",
                                                          "four_weekly", "2/week"}
    assert not any("Plan the weeks" in b.label for b in horizon.get("download_button"))
    horizon.button(key="mr_h_submit").click().run()
    assert not horizon.exception, horizon.exception
    assert not horizon.error, [e.value for e in horizon.error]
    assert "Vehicle-km per week" in [m.label for m in horizon.metric]

    stop, visits = "stop_id", "visits"
    cal = table_with(horizon, stop, visits)
    days = [c for c in cal.columns if c.startswith(("W1 ", "W2 "))]
    assert len(days) == 10 and days[0] == "W1 Mon" and days[-1] == "W2 Fri"
    left = table_with(horizon, stop, "reason")
    not_served = set(left[stop])
    planned = cal.set_index(stop)[visits]
    two_weeks = Horizon(weeks=2)
    for row in asked.itertuples():
        want = VisitFrequency.parse(row.frequency).visits_in(two_weeks)
        got = planned.get(row.stop_id, 0)
        assert got == want or row.stop_id in not_served, (row.stop_id, got, want)
    filled = cal[days].apply(lambda col: col.str.len() > 0).to_numpy().sum()
    assert filled == planned.sum()  # each visit is one cell naming the vehicle

    built = downloads(horizon)
    assert {"mr_h_dl_sheet_csv", "mr_h_dl_sheet_xlsx", "mr_h_dl_gpx",
            "mr_h_dl_day_gpx"} <= set(built) and all(built.values()), built
    sheet = click_download(horizon, "mr_h_dl_sheet_csv").decode("utf-8-sig")
    assert sheet.splitlines()[0].startswith("day,date,vehicle,route")
    gpx = ET.fromstring(click_download(horizon, "mr_h_dl_day_gpx"))
    assert any(e.tag.endswith("rte") for e in gpx.iter())


def test_horizon_day_picker_shows_that_days_routes(horizon: AppTest) -> None:
    """Picking another working day shows the run sheet of that day's vehicles only."""
    horizon.button(key="mr_h_submit").click().run()
    assert not horizon.exception, horizon.exception
    horizon.selectbox(key="mr_h_day").set_value(3).run()  # W1 Thu
    assert not horizon.exception, horizon.exception
    routes = horizon.selectbox(key="mr_h_route").options
    assert routes and all("W1 Thu" in r for r in routes), routes
    horizon.segmented_control(key="mr_h_calendar_rows").set_value("vehicle").run()
    by_vehicle = table_with(horizon, "vehicle", "W1 Thu")
    assert len(by_vehicle) >= 1


def test_horizon_changed_frequency_replans_from_the_previous_plan(horizon: AppTest) -> None:
    """Changing one producer from weekly to fortnightly re-plans from the previous plan (the
    page says so) and the calendar visits it once in two weeks."""
    horizon.button(key="mr_h_submit").click().run()
    assert not horizon.exception, horizon.exception
    asked = horizon.data_editor(key="mr_h_producers").value
    weekly = int(asked.index[asked["frequency"] == "weekly"][0])
    stop_id = asked.loc[weekly, "stop_id"]
    horizon.session_state["mr_h_producers"] = {
        "edited_rows": {weekly: {"frequency": "fortnightly"}},
        "added_rows": [], "deleted_rows": []}
    horizon.button(key="mr_h_submit").click().run()
    assert not horizon.exception, horizon.exception
    assert any("Re-planned from the previous plan" in s.value for s in horizon.success)
    cal = table_with(horizon, "stop_id", "visits").set_index("stop_id")
    assert cal.loc[stop_id, "visits"] == 1


def test_horizon_producer_without_a_weekday_is_an_error(horizon: AppTest) -> None:
    """A weekly producer whose row ticks no weekday is named in an error; the page lives on."""
    asked = horizon.data_editor(key="mr_h_producers").value
    weekly = int(asked.index[asked["frequency"] == "weekly"][0])
    name = asked.loc[weekly, "name"]
    horizon.session_state["mr_h_producers"] = {
        "edited_rows": {weekly: dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), False)},
        "added_rows": [], "deleted_rows": []}
    horizon.button(key="mr_h_submit").click().run()
    assert not horizon.exception, horizon.exception
    assert any(name in e.value and "accepts no weekday" in e.value for e in horizon.error)
    assert horizon.data_editor(key="mr_h_producers")  # the inputs are still there


def test_horizon_weekday_outside_the_working_days_is_refused(horizon: AppTest) -> None:
    """A weekly producer that accepts only Saturday, on a Monday-to-Friday horizon, is refused
    with the planner's reason (a domain error, not a traceback)."""
    asked = horizon.data_editor(key="mr_h_producers").value
    weekly = int(asked.index[asked["frequency"] == "weekly"][0])
    horizon.session_state["mr_h_producers"] = {
        "edited_rows": {weekly: {**dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), False),
                                 "sat": True}},
        "added_rows": [], "deleted_rows": []}
    horizon.button(key="mr_h_submit").click().run()
    assert not horizon.exception, horizon.exception
    assert horizon.error and "cannot be collected" in horizon.error[0].value


def test_horizon_speaks_the_sessions_language() -> None:
    """In the pseudo-locale the horizon's inputs, KPIs and tabs are translated strings of ours,
    and a plan in Chinese runs without an exception."""
    from geo.i18n import use_locale

    for lang in ("qps_PLOC", "zh_CN"):
        with use_locale(lang):  # AppTest formats the options of widgets in the test's language
            at = AppTest.from_file(APP, default_timeout=180)
            at.session_state[Key.VIEWER_ROLE] = "practitioner"
            at.query_params["lang"] = lang
            at.switch_page(PAGE).run()
            at.segmented_control(key="mr_mode").set_value("horizon").run()
            at.slider(key="mr_h_time").set_value(1)
            at.button(key="mr_h_submit").click().run()
        assert not at.exception, (lang, at.exception)
        assert not at.error, (lang, [e.value for e in at.error])
        if lang == "qps_PLOC":
            assert at.metric and all(m.label.startswith("⟦") for m in at.metric)
            assert all(t.label.startswith("⟦") for t in at.tabs)
            assert at.selectbox(key="mr_h_day").options[0] == "⟦W1 ⟦Mõñ⟧⟧"
