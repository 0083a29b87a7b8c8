"""The Concentrations page in a real headless browser: the heat overlay is drawn offline and
its GeoTIFF downloads.

Every request outside the local app is blocked, so the map, its image overlay and legend need
no internet. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import (
    ARTIFACTS,
    COUNT_LAYERS_JS,
    map_frame,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_heat_overlay_and_hexagons_are_drawn(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """The heat map is one image overlay with a legend and a GeoTIFF download; the hexagon view
    draws polygons."""
    pg, blocked = page
    pg.goto(app_url, wait_until="domcontentloaded")
    nav = pg.locator("[data-testid='stSidebarNav'] a").filter(has_text="Concentrations")
    nav.first.wait_for(timeout=120_000)
    nav.first.click()
    frame = map_frame(pg)
    pg.wait_for_timeout(1500)
    counts = frame.evaluate(COUNT_LAYERS_JS)
    assert counts["images"] == 1, counts
    assert counts["tiles"] == 0, counts
    legend = frame.evaluate("() => document.querySelector('.symbiomap-legend').innerText")
    assert "t/yr per km²" in legend
    overlay_loaded = frame.evaluate(
        "() => [...document.querySelectorAll('img.leaflet-image-layer')]"
        ".every(i => i.complete && i.naturalWidth > 0)")
    assert overlay_loaded
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "concentrations-heat.png"))
    with pg.expect_download(timeout=60_000) as download:  # built on the server when clicked
        pg.get_by_role("button", name="GeoTIFF").click()
    assert download.value.suggested_filename == "heat.tif"
    assert Path(download.value.path()).read_bytes()[:4] in (b"II*\x00", b"MM\x00*")
    pg.locator("label").filter(has_text="Hexagons").first.click()
    pg.wait_for_timeout(3000)
    frame = map_frame(pg)
    hexes = frame.evaluate(COUNT_LAYERS_JS)
    assert hexes["images"] == 0 and hexes["polygons"] > 4, hexes
    pg.screenshot(path=str(ARTIFACTS / "concentrations-hexagons.png"))
    assert pg.locator("[data-testid='stException']").count() == 0
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked
