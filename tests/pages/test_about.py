"""AppTest tests of the Data & licences page (pages/about.py)."""

from __future__ import annotations

from tests.pages.support import open_page


def test_about_page_credits_osm() -> None:
    """The licences page credits OpenStreetMap and shows the settings in force."""
    at = open_page("pages/about.py")
    text = " ".join(m.value for m in at.markdown)
    assert "OpenStreetMap contributors" in text
    assert len(at.dataframe) >= 1
