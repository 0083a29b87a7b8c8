"""The Reports page in a real headless browser: the Sankey and the synergy network are drawn,
the funders' workbook downloads, and a viewer sees released figures and no company.

The app runs on a data directory holding the demo programme stored with its illustrative
synergies; every request outside the local app is blocked, so the drawings need no internet.
Screenshots go to ``artifacts/``.
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
    offline_page,
    require_browser,
    running_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def _seed(data_dir: Path) -> int:
    """Store the demo programme with its illustrative synergies; return how many lines the
    practitioner's network draws (located site pairs of live synergies)."""
    from geo.demo import load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo
    from geo.synergies.reports import network_edges

    prog = load_demo_programme()
    store = open_store(f"sqlite:///{data_dir / 'symbiomap.db'}")
    repo.ensure_programme(store, prog)
    edges = network_edges(repo.load_book(store, prog.name), prog)
    return int(edges.geometry.notna().sum())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A data directory holding the demo and its synergies, and the lines its network draws."""
    require_browser()
    data_dir = tmp_path_factory.mktemp("synergy-app")
    lines = _seed(data_dir)
    assert lines >= 6
    return data_dir, lines


@pytest.fixture(scope="module")
def app_url(seeded: tuple[Path, int]) -> Iterator[str]:
    """The app on that data directory."""
    with running_app(seeded[0]) as url:
        yield url


def test_reports_draw_the_sankey_and_the_network(page, app_url: str,
                                                seeded: tuple[Path, int]) -> None:
    """The Sankey has stream, stage and fate nodes; the map draws every synergy's line."""
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
    # The synergy lines on top of the vector base map's roads; parks as polygons.
    lines = frame.evaluate("""() => { let n = 0; for (const k of Object.keys(window)) {
        const m = window[k]; if (!k.startsWith('map_') || !m.eachLayer) continue;
        m.eachLayer(l => { if (l.feature && l.feature.properties
                                && 'route' in l.feature.properties) n++; }); }
        return n; }""")
    assert lines == seeded[1], (lines, counts)
    pg.screenshot(path=str(ARTIFACTS / "reports-network.png"))
    assert pg.locator("[data-testid='stException']").count() == 0
    assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked


def test_funders_workbook_is_built_and_downloaded_on_click(page, app_url: str) -> None:
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


@pytest.fixture(scope="module")
def viewer_url(seeded: tuple[Path, int]) -> Iterator[str]:
    """The app on the same data, previewing as a viewer (``SYMBIOMAP_ROLE=viewer``)."""
    with running_app(seeded[0], env_extra={"SYMBIOMAP_ROLE": "viewer"}) as url:
        yield url


def test_viewer_sees_the_release_and_no_company(browser, viewer_url: str) -> None:
    """Previewing as a viewer, the Reports page draws the synergies' Sankey from released
    figures and no company's name reaches the browser."""
    from geo.demo import load_demo_programme

    names = set(load_demo_programme().sites["name"])
    with offline_page(browser, viewer_url) as (pg, blocked):
        pg.goto(f"{viewer_url}/reports", wait_until="domcontentloaded")
        pg.wait_for_selector(".js-plotly-plot .sankey", timeout=120_000)
        assert pg.get_by_text("All synergies").first.is_visible()
        assert pg.get_by_text("Viewing as viewer", exact=False).first.is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "reports-viewer.png"))
        texts = [pg.content()]
        for view in ("Network map", "Network graph", "Excel"):
            pg.locator("label").filter(has_text=view).first.click()
            pg.wait_for_timeout(1500)
            texts.append(pg.content())
        assert not [n for n in names if any(n in t for t in texts)]
        assert pg.locator("[data-testid='stException']").count() == 0
        assert not [u for u in blocked if u.endswith((".js", ".css"))], blocked
