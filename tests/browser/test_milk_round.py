"""The Milk round page in a real headless browser: routes and stops drawn offline, GPX on click.

Every request outside the local app is blocked, so the map needs no internet. Screenshots go
to ``artifacts/``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.browser.support import (
    ARTIFACTS,
    COUNT_LAYERS_JS,
    click_download,
    map_frame,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_browser_draws_the_routes_offline(page, app_url: str) -> None:
    """In a real browser with no internet, planning draws route lines and numbered stops, and
    the drivers' GPX is built and downloaded when its button is clicked."""
    pg, blocked = page
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

    gpx = pg.get_by_role("button", name="GPX for drivers")
    for _ in range(3):  # a rerun still running may redraw the tabs and drop the first click
        wait_idle(pg)
        pg.get_by_role("tab", name="Run sheets").click()
        try:
            gpx.wait_for(state="visible", timeout=20_000)
            break
        except Exception:  # not visible yet: the tab is clicked again
            continue
    download = click_download(pg, "GPX for drivers")  # once more if a rerun swallowed the click
    assert download.suggested_filename == "milk-round.gpx"
    gpx = ET.fromstring(Path(download.path()).read_bytes())
    assert any(e.tag.endswith("trkpt") for e in gpx.iter())
