"""Hostile input in Chromium: company text that tries to fetch a beacon is shown literally, and
an upload crafted to read the server's files is refused on the page.

The programme's names, descriptions and notes carry Markdown images, HTML and formulas that
point at ``beacon.invalid``; every request outside the app is blocked and recorded, so a test
passes only if no page tried to fetch the beacon.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import ARTIFACTS, offline_page, require_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

PROGRAMME = "Hostile names"
BEACON = "beacon.invalid"
HOSTILE = [f"![logo](http://{BEACON}/md.png)", f'<img src="http://{BEACON}/html.png">',
           f'=HYPERLINK("http://{BEACON}/x","open")', f"[click](http://{BEACON}/link) :red[x]"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app on a database holding the demo under hostile company names and descriptions."""
    from geo.demo import load_demo_programme
    from geo.store import open_store

    require_browser()
    data_dir = tmp_path_factory.mktemp("hostile-app")
    prog = load_demo_programme()
    prog.name = PROGRAMME
    prog.illustrative = False
    for i, text in enumerate(HOSTILE):
        prog.sites.loc[prog.sites.index[i], "name"] = text
        prog.resources.loc[prog.resources["site_id"] == prog.sites["site_id"].iloc[i],
                           "description"] = text
    open_store(f"sqlite:///{data_dir / 'symbiomap.db'}").save_programme(prog)
    with running_app(data_dir) as url:
        yield url, data_dir


def _pick_programme(pg: Any) -> None:
    pg.wait_for_selector("[data-testid='stSidebarNav']", timeout=90_000)
    pg.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    pg.get_by_role("option", name=PROGRAMME).click()
    pg.wait_for_timeout(2500)


def test_hostile_company_text_is_shown_literally(browser: Any, seeded: tuple[str, Path]
                                                 ) -> None:
    """Site, browse and synergy pages show the hostile names as text and fetch nothing."""
    url, _ = seeded
    with offline_page(browser, url) as (pg, blocked):
        pg.goto(url, wait_until="domcontentloaded")
        _pick_programme(pg)
        pg.locator("[data-testid='stSidebarNav'] a").filter(has_text="Site").first.click()
        pg.get_by_text("Contacts").first.wait_for(timeout=120_000)
        pg.get_by_text(HOSTILE[0], exact=True).first.wait_for(timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "hostile-site.png"))
        for name in ("Browse & export", "Synergies"):
            pg.locator("[data-testid='stSidebarNav'] a").filter(has_text=name).click()
            pg.wait_for_timeout(8000)
        assert pg.locator(f"img[src*='{BEACON}']").count() == 0
        assert not [u for u in blocked if BEACON in u], blocked


def test_virtual_layer_upload_is_refused_on_the_site_finder(browser: Any,
                                                            seeded: tuple[str, Path]) -> None:
    """A GDAL virtual layer naming the database, uploaded as candidates, is refused unread."""
    url, data_dir = seeded
    vrt = data_dir / "candidates.geojson"
    vrt.write_text(f'<OGRVRTDataSource><OGRVRTLayer name="c"><SrcDataSource>'
                   f'{data_dir / "symbiomap.db"}</SrcDataSource><SrcSQL>SELECT * FROM contacts'
                   '</SrcSQL></OGRVRTLayer></OGRVRTDataSource>')
    with offline_page(browser, url) as (pg, blocked):
        pg.goto(f"{url}/site_finder", wait_until="domcontentloaded")
        pg.get_by_text("Candidate sites").first.wait_for(timeout=120_000)
        pg.locator("[data-testid='stSelectbox']").filter(has_text="Candidate sites").first.click()
        pg.get_by_role("option", name="Points or parcels I upload").click()
        # The candidates' uploader by its label: until the rerun that adds it has drawn, the
        # first file input on the page is the plants' uploader.
        (pg.locator("[data-testid='stFileUploader']").filter(has_text="Candidate points")
         .locator("input[type='file']").set_input_files(str(vrt)))
        pg.get_by_text("not a kind of file SymbioMap reads").wait_for(timeout=120_000)
        pg.screenshot(path=str(ARTIFACTS / "hostile-upload-refused.png"))
        assert not blocked, blocked
