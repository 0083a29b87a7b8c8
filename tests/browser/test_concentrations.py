"""The Concentrations page in a real headless browser: the heat overlay is drawn offline and
its GeoTIFF downloads; previewing as a viewer, the heat is classed and its GeoTIFF holds
classes, and no company reaches the browser.

Every request outside the local app is blocked, so the map, its image overlay and legend need
no internet. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import (
    ARTIFACTS,
    COUNT_LAYERS_JS,
    STYLES_FROM_PROPERTIES_JS,
    click_download,
    map_frame,
    offline_page,
    require_browser,
    running_app,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_heat_overlay_and_hexagons_are_drawn(page, app_url: str) -> None:
    """The heat map is one image overlay with a legend and a GeoTIFF download; the hexagon view
    draws polygons; sizes and colours read from the features' properties take in Leaflet."""
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
    points = frame.evaluate(STYLES_FROM_PROPERTIES_JS)  # circle sizes from the `r` property
    assert counts["points"] > 0 and points["checked"] >= counts["points"], (counts, points)
    assert points["wrong"] == 0, points
    legend = frame.evaluate("() => document.querySelector('.symbiomap-legend').innerText")
    assert "t/yr per km²" in legend
    overlay_loaded = frame.evaluate(
        "() => [...document.querySelectorAll('img.leaflet-image-layer')]"
        ".every(i => i.complete && i.naturalWidth > 0)")
    assert overlay_loaded
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "concentrations-heat.png"))
    download = click_download(pg, "GeoTIFF")  # built on the server when clicked
    assert download.suggested_filename == "heat.tif"
    assert Path(download.path()).read_bytes()[:4] in (b"II*\x00", b"MM\x00*")
    pg.locator("label").filter(has_text="Hexagons").first.click()
    pg.wait_for_timeout(3000)
    frame = map_frame(pg)
    hexes = frame.evaluate(COUNT_LAYERS_JS)
    assert hexes["images"] == 0 and hexes["polygons"] > 4, hexes
    styles = frame.evaluate(STYLES_FROM_PROPERTIES_JS)  # the choropleth's colours took
    assert styles["checked"] > 4 and styles["wrong"] == 0, styles  # (parks have no fill)
    assert styles["fills"] > 1, styles
    pg.screenshot(path=str(ARTIFACTS / "concentrations-hexagons.png"))
    assert pg.locator("[data-testid='stException']").count() == 0
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked


@pytest.fixture(scope="module")
def viewer_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app previewing as a viewer (``SYMBIOMAP_ROLE=viewer``)."""
    require_browser()
    with running_app(tmp_path_factory.mktemp("viewer"),
                     env_extra={"SYMBIOMAP_ROLE": "viewer"}) as url:
        yield url


def test_viewer_heat_is_classed_and_names_no_company(browser, viewer_url: str) -> None:
    """As a viewer, the heat map's legend lists classes, its GeoTIFF holds class numbers, the
    hexagon view draws released cells, and no company's name reaches the browser."""
    from rasterio.io import MemoryFile

    from geo.demo import load_demo_programme

    names = set(load_demo_programme().sites["name"])
    with offline_page(browser, viewer_url) as (pg, blocked):
        pg.goto(f"{viewer_url}/concentrations", wait_until="domcontentloaded")
        pg.get_by_text("fixed protected releases", exact=False).first.wait_for(timeout=120_000)
        frame = map_frame(pg)
        pg.wait_for_timeout(1500)
        assert frame.evaluate(COUNT_LAYERS_JS)["images"] == 1
        legend = frame.evaluate("() => document.querySelector('.symbiomap-legend').innerText")
        assert legend.count("t/yr per km²") >= 7  # one row per class
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "concentrations-viewer-heat.png"))
        download = click_download(pg, "GeoTIFF")
        with MemoryFile(Path(download.path()).read_bytes()) as mem, mem.open() as src:
            assert src.dtypes[0] == "uint8" and "class numbers" in src.tags()["values"]
        texts = [pg.content(), frame.content()]
        pg.locator("label").filter(has_text="Hexagons").first.click()
        pg.wait_for_timeout(3000)
        frame = map_frame(pg)
        assert frame.evaluate(COUNT_LAYERS_JS)["polygons"] >= 1
        texts += [pg.content(), frame.content()]
        assert not [n for n in names if any(n in t for t in texts)]
        assert pg.locator("[data-testid='stException']").count() == 0
        assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked


def test_a_view_change_swaps_the_overlays_and_keeps_the_map(page, app_url: str) -> None:
    """Changing the view redraws only the overlays in the same map: the frame (and Leaflet in
    it) is not rebuilt, the user's zoom stays, the old overlay and its legend go, and the new
    one comes with its own legend."""
    pg, _blocked = page
    pg.goto(f"{app_url}/concentrations", wait_until="domcontentloaded")
    frame = map_frame(pg)
    pg.wait_for_timeout(1500)
    assert frame.evaluate(COUNT_LAYERS_JS)["images"] == 1
    zoom = frame.evaluate("() => { window.__kept = 'yes'; const m = window.map;"
                          " m.setZoom(m.getZoom() + 1, {animate: false}); return m.getZoom(); }")
    legends = "() => [...document.querySelectorAll('.symbiomap-legend')].map(e => e.innerText)"
    assert len(frame.evaluate(legends)) == 1
    pg.locator("label").filter(has_text="Hexagons").first.click()
    frame.wait_for_function("() => !Object.values(window.map._layers).some("
                            "l => l instanceof L.ImageOverlay)", timeout=60_000)
    wait_idle(pg)
    assert map_frame(pg) == frame and frame.evaluate("() => window.__kept") == "yes"
    assert frame.evaluate("() => window.map.getZoom()") == zoom
    hexes = frame.evaluate(COUNT_LAYERS_JS)
    assert hexes["images"] == 0 and hexes["polygons"] > 4, hexes
    shown = frame.evaluate(legends)
    assert len(shown) == 1 and "t/yr per km²" not in shown[0], shown
    pg.locator("label").filter(has_text="Heat").first.click()
    frame.wait_for_function("() => Object.values(window.map._layers).some("
                            "l => l instanceof L.ImageOverlay)", timeout=60_000)
    wait_idle(pg)
    assert frame.evaluate("() => window.__kept") == "yes"
    assert frame.evaluate(COUNT_LAYERS_JS)["images"] == 1
    shown = frame.evaluate(legends)
    assert len(shown) == 1 and "t/yr per km²" in shown[0], shown
    assert pg.locator("[data-testid='stException']").count() == 0


def test_a_viewer_preview_stays_a_viewer_preview_after_a_change(browser, viewer_url: str
                                                                 ) -> None:
    """Previewing as a viewer (SYMBIOMAP_ROLE=viewer), a filter change keeps the viewer's page.

    It used to come back, in about half the sessions, as the practitioner's page with company
    records: the sidebar's *Viewing as* lost its value after an interrupted run and showed its
    first option. Four fresh sessions, each opening the page from the menu and changing the
    streams, as a person does.
    """
    for _session in range(4):
        with offline_page(browser, viewer_url) as (pg, _blocked):
            pg.goto(viewer_url, wait_until="domcontentloaded")
            nav = pg.locator("[data-testid='stSidebarNav'] a").filter(has_text="Concentrations")
            nav.first.wait_for(timeout=120_000)
            nav.first.click()
            streams = pg.locator(".st-key-conc_release_streams")
            streams.first.wait_for(timeout=120_000)
            wait_idle(pg)
            combo = streams.get_by_role("combobox").first
            combo.click()
            combo.fill("Plastics")
            pg.keyboard.press("Enter")
            pg.keyboard.press("Escape")
            pg.wait_for_timeout(500)
            wait_idle(pg)
            assert pg.locator(".st-key-conc_release_streams").count() == 1
            assert pg.locator(".st-key-conc_streams").count() == 0
            checked = pg.locator(".st-key-viewer_role input:checked").first
            assert checked.evaluate("e => e.value") in ("1", "viewer")
