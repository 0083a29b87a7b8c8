"""The running app in a real headless browser (Debian's Chromium driven by Playwright).

One app server for the module; every request to anything but the local app is blocked, so
these tests show the app works with no internet. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.support import ARTIFACTS, COUNT_LAYERS_JS, map_frame, running_app

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def _shot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    return path


def _open(pg, url: str) -> None:
    pg.goto(url, wait_until="domcontentloaded")
    pg.wait_for_selector("[data-testid='stSidebar']", timeout=90_000)


def _assert_no_exception(pg) -> None:
    """The page finished running without an exception box."""
    pg.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)
    errors = pg.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def test_home_map_draws_offline_with_local_leaflet(page, app_url: str) -> None:
    """The overview map loads Leaflet from local assets and draws parks, roads and sites;
    the page asks nothing of any other host (not even for its favicon)."""
    pg, blocked = page
    _open(pg, app_url)
    frame = map_frame(pg)
    frame.wait_for_function("() => Object.keys(window).some(k => k.startsWith('map_'))")
    pg.wait_for_timeout(1500)
    counts = frame.evaluate(COUNT_LAYERS_JS)
    assert counts["maps"] >= 1
    assert counts["points"] >= 40, counts  # member sites
    assert counts["polygons"] >= 4, counts  # parks and land use
    assert counts["lines"] >= 100, counts  # the vector base map's roads
    leaflet_src = frame.evaluate(
        "() => [...document.scripts].map(s => s.src).filter(s => s.includes('leaflet'))")
    assert leaflet_src and all("/app/static/vendor/" in s for s in leaflet_src)
    assert pg.get_by_text("Member sites").first.is_visible()
    _shot(pg, "home")
    _assert_no_exception(pg)
    assert not [u for u in blocked if re.search(r"\.(js|css)(\?|$)", u)], blocked
    assert not blocked, blocked


def test_deep_link_on_a_fresh_server_opens_inside_the_frame(browser, tmp_path: Path) -> None:
    """/reports as the very first request still gets the app's navigation and sidebar."""
    with running_app(tmp_path) as url:
        pg = browser.new_page()
        pg.goto(f"{url}/reports", wait_until="domcontentloaded")
        pg.wait_for_selector("[data-testid='stSidebarNav']", timeout=90_000)
        pg.get_by_text("Viewing as").first.wait_for(timeout=60_000)
        nav = pg.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Concentrations" in nav and "Data & licences" in nav
        assert "import data" not in nav  # not the legacy file-name list
        pg.close()
