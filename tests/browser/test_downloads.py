"""Real-browser test of the download buttons: files are built on click, and a click does not
rerun the page (a rerun handed the page's other buttons new files while the browser still held
the old ones, so the next download did nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import offline_page, running_app, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_two_downloads_in_a_row_both_arrive_and_rerun_nothing(browser, tmp_path: Path) -> None:
    """On Browse, CSV then Excel clicked at once: both files arrive, and the app's rerun log
    gains no line (the page was not run again by either click)."""
    with running_app(tmp_path) as url, offline_page(browser, url) as (pg, _blocked):
        pg.goto(f"{url}/browse", wait_until="domcontentloaded")
        csv = pg.get_by_role("button", name="CSV", exact=True).first
        csv.wait_for(timeout=90_000)
        wait_idle(pg)
        pg.wait_for_timeout(1000)
        log = tmp_path / "streamlit.log"
        before = log.read_text().count("rerun page=browse")
        assert before >= 1  # the log does record this page's runs
        with pg.expect_download(timeout=30_000) as first:
            csv.click()
        with pg.expect_download(timeout=30_000) as second:
            pg.get_by_role("button", name="Excel", exact=True).first.click()
        assert first.value.suggested_filename.endswith(".csv")
        assert second.value.suggested_filename.endswith(".xlsx")
        assert Path(second.value.path()).read_bytes()[:2] == b"PK"  # a real workbook
        pg.wait_for_timeout(1500)
        wait_idle(pg)
        assert log.read_text().count("rerun page=browse") == before
