"""Placing a record by hand, in a real browser: click the map, confirm, stored as 'manual'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import ARTIFACTS, map_frame, offline_page, require_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PROGRAMME = "Hand placement test"


def _store(data_dir: Path):
    from geo.store import open_store

    return open_store(f"sqlite:///{data_dir / 'symbiomap.db'}")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app on a database holding one programme whose only site is not located."""
    from geo.importer import import_file

    require_browser()
    data_dir = tmp_path_factory.mktemp("geocode-app")
    csv = data_dir / "members.csv"
    csv.write_text("Company,City,Country,Have/Want,EWC code,Quantity,Unit\n"
                   "Unplaced Works Oy,Nowhere-in-particular,FI,have,150101,12,t/yr\n",
                   encoding="utf-8")
    report = import_file(csv, store=_store(data_dir), programme=PROGRAMME)
    assert report.imported == 1
    with running_app(data_dir) as url:
        yield url, data_dir


def test_click_on_the_map_places_the_site_by_hand(browser, seeded) -> None:
    """A click on the map and a confirmation store the point with precision 'manual'."""
    url, data_dir = seeded
    with offline_page(browser, url) as (pg, blocked):
        pg.goto(url, wait_until="domcontentloaded")
        pg.wait_for_selector("[data-testid='stSidebarNav']", timeout=90_000)
        sidebar = pg.locator("[data-testid='stSidebar']")
        sidebar.locator("[data-testid='stSelectbox']").first.click()
        pg.get_by_role("option", name=PROGRAMME).click()
        pg.wait_for_timeout(2000)
        pg.locator("[data-testid='stSidebarNav'] a").filter(has_text="Locate records").click()
        pg.get_by_role("tab", name="Place by hand").click(timeout=90_000)
        pg.wait_for_timeout(2000)
        map_frame(pg)  # wait for Leaflet
        visible = []
        for _ in range(60):  # the tab's map renders after the hidden Quality tab's map
            visible = [f for f in pg.frames if f.locator(".leaflet-container").count()
                       and f.locator(".leaflet-container").first.bounding_box()]
            if visible:
                break
            pg.wait_for_timeout(1000)
        assert visible, "the placement map should be visible"
        container = visible[-1].locator(".leaflet-container").first
        box = container.bounding_box()
        assert box is not None
        container.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        button = pg.get_by_role("button", name="Place here")
        button.click(timeout=90_000)
        pg.get_by_text("Placed by hand: later batch runs").wait_for(timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "geocode-manual.png"))
    site = _store(data_dir).load_programme(PROGRAMME).sites.iloc[0]
    assert site["location_precision"] == "manual"
    assert site["location_source"] == "set by hand"
    assert site.geometry is not None and not site.geometry.is_empty
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked
