"""The Import page in Chromium with an import worker (``SYMBIOMAP_IMPORT_WORKERS=1``): the
file is imported by the worker process, the report is shown and the rows are stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import ARTIFACTS, offline_page, require_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

MEMBERS = ("Company,City,Country,Have/Want,EWC code,Quantity,Unit,Longitude,Latitude\n"
           "Worker Test Oy,Kotka,FI,have,150101,12,t/yr,26.95,60.51\n"
           "Worker Two Oy,Kotka,FI,want,150101,8,t/yr,26.94,60.50\n"
           "Bad Row Ltd,Kotka,FI,have,999999,5,t/yr,26.93,60.52\n")


def test_an_import_through_the_worker_is_reported_and_stored(browser: Any,
                                                               tmp_path: Path) -> None:
    from geo.store import open_store

    require_browser()
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS)
    data_dir = tmp_path / "app"
    data_dir.mkdir()
    with running_app(data_dir, env_extra={"SYMBIOMAP_IMPORT_WORKERS": "1"}) as url, \
            offline_page(browser, url) as (pg, blocked):
        pg.goto(f"{url}/import_data", wait_until="domcontentloaded")
        name = pg.get_by_label("New programme name")
        name.wait_for(timeout=120_000)
        name.fill("Worker import")
        name.press("Enter")
        pg.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            str(members))
        pg.get_by_role("button", name="Validate and import").click(timeout=120_000)
        pg.get_by_text("Rows read").wait_for(timeout=180_000)
        pg.screenshot(path=str(ARTIFACTS / "import-worker-report.png"))
        metrics = dict(m.strip().split("\n", 1) for m in
                       pg.locator("[data-testid='stMetric']").all_inner_texts())
        shown = {k.strip(): v.strip() for k, v in metrics.items()}
        assert (shown["Rows read"], shown["Imported"], shown["Rejected"]) == ("3", "2", "1"), \
            shown
        assert not blocked, blocked
    store = open_store(f"sqlite:///{data_dir / 'symbiomap.db'}")
    assert sorted(store.load_programme("Worker import").sites["name"]) == [
        "Worker Test Oy", "Worker Two Oy"]
