"""The Milk round page's several-weeks mode in a real headless browser, offline: plan two
weeks, read the calendar, and see one day's routes drawn along the roads.

Every request outside the local app is blocked, so the map needs no internet. Screenshots go
to ``artifacts/``.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.support import ARTIFACTS, COUNT_LAYERS_JS, map_frame, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

CALENDAR_COLUMNS_JS = """
() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
  .filter(d => [...d.querySelectorAll('th')].some(t => t.innerText === 'W1 Mon'))
  .map(d => d.querySelector('[aria-colcount]').getAttribute('aria-colcount'))
"""
"""The column count of every table whose headers start the calendar (the grid is drawn on a
canvas; its accessible table holds the headers in view and the column count)."""


def test_browser_plans_weeks_and_draws_a_days_routes(page, app_url: str) -> None:
    """Switching to *Several weeks* and planning shows a calendar of ten working days and the
    first day's routes as Leaflet polylines with numbered stops, within two minutes."""
    started = time.monotonic()
    pg, blocked = page
    pg.goto(f"{app_url}/milk_round", wait_until="domcontentloaded")
    pg.get_by_role("radio", name="Several weeks").click(timeout=90_000)  # segmented control
    wait_idle(pg)
    plan = pg.get_by_role("button", name="Plan the weeks")
    plan.wait_for(timeout=60_000)
    wait_idle(pg)
    plan.click()
    pg.get_by_text("Vehicle-km per week").first.wait_for(timeout=90_000)
    pg.get_by_text("Calendar", exact=True).first.wait_for(timeout=30_000)
    wait_idle(pg)
    # The grid draws after its title: wait for its accessible table, then read it.
    pg.wait_for_function(f"({CALENDAR_COLUMNS_JS.strip()})().length > 0", timeout=30_000)
    calendars = pg.evaluate(CALENDAR_COLUMNS_JS)
    assert calendars == ["15"], calendars  # stop, name, frequency, streams, visits + 10 days
    frame = map_frame(pg)
    pg.wait_for_timeout(1500)
    counts = frame.evaluate(COUNT_LAYERS_JS)
    labels = frame.evaluate(
        "() => [...document.querySelectorAll('.stop-number')].map(e => e.textContent)")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.locator("iframe").last.scroll_into_view_if_needed()
    pg.screenshot(path=str(ARTIFACTS / "milk_round_horizon.png"))
    assert counts["lines"] >= 1, counts  # the day's routes along the roads
    assert "1" in labels, labels  # numbered stops of that day
    assert pg.locator("[data-testid='stException']").count() == 0
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked
    assert time.monotonic() - started < 120
