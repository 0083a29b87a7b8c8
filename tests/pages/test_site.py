"""AppTest tests of the Site page (pages/site.py): one member site, reached by its link."""

from __future__ import annotations

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
