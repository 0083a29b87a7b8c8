"""The Reports page in a real headless browser: the Sankey and the synergy network are drawn,
the funders' workbook downloads.

The app runs on a data directory seeded with synergies of the demo programme; every request
outside the local app is blocked, so the drawings need no internet. Screenshots go to
``artifacts/``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import (
    ARTIFACTS,
    COUNT_LAYERS_JS,
    map_frame,
    require_browser,
    running_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def _seed(data_dir: Path) -> int:
    """Store the demo programme with six synergies between its best matches."""
    from geo.catalogue import load_catalogue
    from geo.demo import load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo
    from geo.synergies.matching import Matcher

    prog = load_demo_programme()
    store = open_store(f"sqlite:///{data_dir / 'symbiomap.db'}")
    best = Matcher.from_programme(prog, catalogue=load_catalogue()).all_pairs(top_k=1).table
    best = best[best["unit"] == "t/yr"].drop_duplicates("have_site_id").head(6)
    for row in best.itertuples():
        sid = repo.create_synergy(store, prog, have_id=row.have_id, want_id=row.want_id,
                                  practitioner="Aino", distance_km=row.distance_km)
        repo.change_stage(store, prog.name, sid, "in progress", expected_version=1,
                          practitioner="Aino")
    return len(best)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a data directory holding six demo synergies."""
    require_browser()
    data_dir = tmp_path_factory.mktemp("synergy-app")
    assert _seed(data_dir) == 6
    with running_app(data_dir) as url:
        yield url


def test_reports_draw_the_sankey_and_the_network(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """The Sankey has stream, stage and fate nodes; the map draws the six synergy lines."""
    pg, blocked = page
    pg.goto(app_url, wait_until="domcontentloaded")
    nav = pg.locator("[data-testid='stSidebarNav'] a").filter(has_text="Reports")
    nav.first.wait_for(timeout=120_000)
    nav.first.click()
    pg.wait_for_selector(".js-plotly-plot .sankey", timeout=120_000)
    nodes = pg.locator(".sankey-node").count()
    links = pg.locator(".sankey-link").count()
    assert nodes >= 5 and links >= 5, (nodes, links)
    assert pg.get_by_text("In synergy: in progress").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "reports-sankey.png"))
    pg.locator("label").filter(has_text="Network map").first.click()
    frame = map_frame(pg)
    pg.wait_for_timeout(1500)
    counts = frame.evaluate(COUNT_LAYERS_JS)
    # Six synergy lines on top of the vector base map's roads; parks as polygons.
    lines = frame.evaluate("""() => { let n = 0; for (const k of Object.keys(window)) {
        const m = window[k]; if (!k.startsWith('map_') || !m.eachLayer) continue;
        m.eachLayer(l => { if (l.feature && l.feature.properties
                                && 'route' in l.feature.properties) n++; }); }
        return n; }""")
    assert lines == 6, (lines, counts)
    pg.screenshot(path=str(ARTIFACTS / "reports-network.png"))
    assert pg.locator("[data-testid='stException']").count() == 0
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked


def test_funders_workbook_is_built_and_downloaded_on_click(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """Clicking the workbook button builds the .xlsx on the server and the browser saves it."""
    import openpyxl

    pg, _ = page
    pg.goto(f"{app_url}/reports", wait_until="domcontentloaded")
    pg.locator("label").filter(has_text="Excel").first.click(timeout=120_000)
    button = pg.get_by_role("button", name="Download the funders' workbook (.xlsx)")
    with pg.expect_download(timeout=120_000) as download:
        button.click(timeout=60_000)
    assert download.value.suggested_filename == "synergy-report.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(book.sheetnames) >= 2
