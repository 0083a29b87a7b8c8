"""Real-browser tests of the Synergies page: tracking one synergy through its stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import offline_page, running_app, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def _choose(pg, box, option: str, *, typed: str = "") -> None:
    """Open the select box ``box`` (typing ``typed`` to filter its list, which is drawn a
    screenful at a time) and click ``option`` (again if a rerun redrew it)."""
    for attempt in range(3):
        wait_idle(pg)
        box.click()
        if typed:
            pg.keyboard.type(typed)
        try:
            pg.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            return
        except Exception:  # redrawn while open: open it again
            pg.keyboard.press("Escape")
            if attempt == 2:
                raise


def _move(pg, stage: str) -> None:
    """Choose ``stage`` in the stage form and save it."""
    form = pg.locator("[data-testid='stForm']").first
    _choose(pg, form.locator("[data-testid='stSelectbox']").first, stage)
    form.get_by_role("button", name="Save stage change").click()
    wait_idle(pg)
    pg.wait_for_timeout(1000)
    wait_idle(pg)


def test_two_stage_changes_in_a_row_stay_on_the_synergy_shown(browser, tmp_path: Path) -> None:
    """Pick a synergy, move it twice: both moves land on it (the picker once fell back to the
    first synergy after the first move, because its label carried the stage)."""
    from geo.demo import load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo
    from geo.synergies.demo import demo_synergy_book

    demo = demo_synergy_book(load_demo_programme()).synergies
    sid = str(demo.loc[demo["stage"] == "idea", "synergy_id"].iloc[-1])  # not the first one
    assert sid != str(demo["synergy_id"].iloc[0])

    with running_app(tmp_path) as url, offline_page(browser, url) as (pg, _blocked):
        pg.goto(f"{url}/synergies", wait_until="domcontentloaded")
        pg.get_by_role("tab", name="Synergy").click(timeout=90_000)
        wait_idle(pg)
        picker = pg.locator(".st-key-syn_pick [data-testid='stSelectbox']")
        picker.click()
        pg.keyboard.type(sid)
        target = next(o for o in pg.get_by_role("option").all_inner_texts()
                      if o.startswith(f"{sid} · "))
        pg.keyboard.press("Escape")
        _choose(pg, picker, target, typed=sid)
        _move(pg, "identified")
        pg.get_by_text("· version 2").wait_for(timeout=60_000)  # what the user then sees
        _move(pg, "in progress")
        pg.get_by_text("· version 3").wait_for(timeout=60_000)
    store = open_store(f"sqlite:///{tmp_path / 'symbiomap.db'}")
    book = repo.load_book(store, store.programme_names()[0])
    stages = book.synergies.set_index("synergy_id")["stage"]
    assert stages[sid] == "in progress"
    ours = book.events[(book.events["kind"] == "stage")  # this test's, not the demo's
                       & book.events["practitioner"].str.endswith("(this computer)")]
    assert ours["synergy_id"].tolist() == [sid, sid], ours  # no other synergy was touched
