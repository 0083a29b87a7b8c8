"""AppTest tests of the Site page (pages/site.py): one member site, reached by its link."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import APP, open_page
from ui import Key


def test_viewer_role_hides_site_page() -> None:
    """A viewer who may not see companies gets an explanation instead of a site's records."""
    at = open_page("pages/site.py", role="viewer")
    assert any("viewers may not open this page" in e.value for e in at.error)
    assert not at.dataframe


def test_site_page_shows_resources_and_contacts() -> None:
    """A practitioner sees the chosen site's resources and contacts in tabs."""
    at = open_page("pages/site.py")
    at.selectbox(key=Key.SITE_PICK).set_value("KAR-S010").run()
    assert not at.exception, at.exception
    assert at.selectbox(key=Key.SITE_PICK).value == "KAR-S010"
    assert len(at.tabs) == 4
    assert len(at.dataframe) >= 2  # resources and contacts


def test_site_page_follows_the_link_parameter() -> None:
    """Opening /site?site=KAR-S005 selects that site."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["site"] = "KAR-S005"
    at.run()
    at.switch_page("pages/site.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key=Key.SITE_PICK).value == "KAR-S005"


def test_many_sites_are_searched_not_all_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the picker's limit the page lists a few sites and a search box; a link to a site
    outside the first few still opens it, and typing narrows the list to matching sites."""
    import ui
    import ui.widgets
    from geo.demo import load_demo_programme

    monkeypatch.setattr(ui.widgets, "MAX_PICK_OPTIONS", 5)
    sites = load_demo_programme().sites.sort_values("name")
    last = sites.iloc[-1]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["site"] = last["site_id"]
    at.run()
    at.switch_page("pages/site.py").run()
    assert not at.exception, at.exception
    pick = at.selectbox(key=Key.SITE_PICK)
    assert pick.value == last["site_id"]
    assert len(pick.options) == 6  # the first five and the linked site
    assert at.title[0].value == ui.plain(last["name"])
    other = sites.iloc[len(sites) // 2]
    at.text_input(key=Key.SITE_FIND).input(other["site_id"]).run()
    options = at.selectbox(key=Key.SITE_PICK).options
    assert any(other["site_id"] in o for o in options)
    assert all(other["site_id"] in o or last["site_id"] in o for o in options)


def test_a_link_to_an_unknown_site_says_so() -> None:
    """/site?site=NOPE warns that the programme has no such site and still shows one."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["site"] = "NOPE"
    at.run()
    at.switch_page("pages/site.py").run()
    assert not at.exception, at.exception
    assert any("has no site NOPE" in w.value for w in at.warning)
    assert at.selectbox(key=Key.SITE_PICK).value != "NOPE"


def test_a_practitioner_archives_a_record_and_it_is_gone(empty_data_dir: Path) -> None:
    """On a stored programme the Resources tab archives the record picked: the page runs
    again without it (one record fewer in the tab's title), says so, and the database keeps
    it archived; a viewer preview gets no page (so no archive)."""
    import dataclasses

    from geo.demo import load_demo_programme
    from geo.store import open_store
    from ui.widgets import plain

    prog = dataclasses.replace(load_demo_programme(), name="Archive test")
    open_store().save_programme(prog)
    site = "KAR-S001"
    records = prog.resources[prog.resources["site_id"] == site]
    at = open_page("pages/site.py", programme="Archive test", state={Key.SITE_PICK: site})
    victim = at.selectbox(key=Key.SITE_ARCHIVE_PICK).value
    at.button(key=Key.SITE_ARCHIVE_GO).click().run()
    assert not at.exception, at.exception
    assert any(f"Record {plain(victim)} archived" in s.value for s in at.success)
    assert any(f"Resources ({len(records) - 1})" in t.label for t in at.tabs)
    left = set(open_store().load_programme("Archive test").resources["resource_id"])
    assert victim not in left and len(left) == len(prog.resources) - 1
    viewer = open_page("pages/site.py", programme="Archive test", role="viewer",
                       state={Key.SITE_PICK: site})
    assert any("viewers may not open this page" in e.value for e in viewer.error)
    assert not viewer.button and not viewer.dataframe


def test_a_site_whose_company_left_is_archived(empty_data_dir: Path) -> None:
    """The archive button waits for the confirmation; pressed, the site, its records and
    contacts leave the programme, the page says so and shows another site."""
    import dataclasses

    from geo.demo import load_demo_programme
    from geo.store import open_store

    prog = dataclasses.replace(load_demo_programme(), name="Leavers")
    open_store().save_programme(prog)
    site = "KAR-S002"
    at = open_page("pages/site.py", programme="Leavers", state={Key.SITE_PICK: site})
    assert at.button(key=Key.SITE_ARCHIVE_SITE).disabled
    at.checkbox(key=Key.SITE_ARCHIVE_SURE).check().run()
    at.button(key=Key.SITE_ARCHIVE_SITE).click().run()
    assert not at.exception, at.exception
    assert any("archived" in s.value and "KAR" in s.value for s in at.success)
    left = open_store().load_programme("Leavers")
    assert site not in set(left.sites["site_id"])
    assert site not in set(left.resources["site_id"]) | set(left.contacts["site_id"])
    assert len(left.sites) == len(prog.sites) - 1
    assert at.query_params.get("site") != [site]


def test_the_address_line_leaves_out_what_is_missing() -> None:
    """An imported site without postcode or sector: no "nan" under its name (as there was)."""
    import numpy as np
    import pandas as pd

    from ui.site import site_caption

    site = pd.Series({"address": "Teollisuustie 6", "postcode": np.nan, "city": "Kotka",
                      "country": "FI", "sector_nace": None})
    assert site_caption(site) == "Teollisuustie 6 Kotka FI · sector NACE —"
    empty = pd.Series({"address": pd.NA, "postcode": "", "city": np.nan, "country": " ",
                       "sector_nace": np.nan})
    assert site_caption(empty) == "— · sector NACE —"
    assert "nan" not in site_caption(empty).lower()
