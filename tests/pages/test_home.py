"""AppTest tests of the Overview page (pages/home.py), the app's default page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import APP


@pytest.fixture
def app() -> AppTest:
    """The app, run once on its default page."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_shows_programme_figures(app: AppTest) -> None:
    """The overview shows the demo's member, park and resource counts and the illustrative label."""
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Member sites"]) >= 40
    assert int(metrics["Parks"]) >= 3
    assert int(metrics["Resource records"].replace(",", "")) >= 100
    assert any("illustrative" in c.value for c in app.caption)


def test_overview_lists_tonnes_by_chapter(app: AppTest) -> None:
    """The chapter table has named chapters whose haves add up to the headline figure."""
    table = app.dataframe[0].value
    assert {"chapter", "title", "have_t"} <= set(table.columns)
    assert table["title"].str.len().min() > 5
    haves = float(app.metric[3].value.replace(",", ""))
    assert table["have_t"].sum() == pytest.approx(haves, abs=1.0)
