"""The Site finder in a real headless browser: catchments and flows are drawn, offline.

Uses the harness of ``tests/browser_support.py`` (Debian's Chromium through Playwright, every
request outside the local app blocked). Skips where no browser is installed.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator

import pytest

from tests.browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    require_browser,
    running_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PLANT_FEATURES_JS = """
() => {
  const out = {catchments: 0, flows: 0, plants: 0};
  for (const k of Object.keys(window)) {
    const m = window[k];
    if (!k.startsWith('map_') || !m || !m.eachLayer) continue;
    m.eachLayer(l => {
      const p = l.feature && l.feature.properties;
      if (!p || !('plant' in p)) return;
      const t = l.feature.geometry.type;
      if (t.includes('Polygon')) out.catchments++;
      else if (t.includes('LineString')) out.flows++;
      else if (t === 'Point') out.plants++;
    });
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, started once for this module on a free local port."""
    require_browser()
    with running_app(tmp_path_factory.mktemp("siting-app")) as url:
        yield url


def test_best_sites_draw_catchments_and_flows_offline(app_url: str) -> None:
    """With the housing rule relaxed, the best-sites map draws 2 catchments, flows and plants
    and nothing is fetched from outside the app."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1100})

        def guard(route, request) -> None:  # type: ignore[no-untyped-def]
            if request.url.startswith((app_url, "data:", "blob:")):
                route.continue_()
            else:
                blocked.append(request.url)
                route.abort()

        ctx.route("**/*", guard)
        pg = ctx.new_page()
        pg.goto(f"{app_url}/site_finder", wait_until="domcontentloaded")
        pg.get_by_text("figures and siting rules").first.click(timeout=120_000)
        box = pg.get_by_label("Min m from housing")
        box.fill("100")
        box.press("Enter")
        pg.get_by_role("tab", name="Best p sites").click(timeout=120_000)
        counts = {"catchments": 0, "flows": 0, "plants": 0}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and counts["catchments"] < 2:
            pg.wait_for_timeout(1000)
            for frame in pg.frames:
                with contextlib.suppress(Exception):
                    got = frame.evaluate(PLANT_FEATURES_JS)
                    if got["catchments"] > counts["catchments"]:
                        counts = got
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            pg.get_by_text("Plants", exact=True).first.scroll_into_view_if_needed()
            pg.mouse.wheel(0, 700)
            pg.wait_for_timeout(1000)
        pg.screenshot(path=str(ARTIFACTS / "site_finder_best.png"))
        assert pg.locator("[data-testid='stException']").count() == 0
        browser.close()
    assert counts["catchments"] == 2, counts
    assert counts["plants"] == 2 and counts["flows"] >= 10, counts
    assert not [u for u in blocked if re.search(r"\.(js|css)(\?|$)", u)], blocked
