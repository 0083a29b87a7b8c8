"""AppTest tests of the Reports page (pages/reports.py) on the demo programme."""

from __future__ import annotations

import io

import pytest

from tests.pages.support import click_download, downloads, open_page, table_with
from ui import Key

PAGE = "pages/reports.py"
pytestmark = pytest.mark.usefixtures("empty_data_dir")  # each test: an empty database


def test_reports_show_sankey_kpis_and_workbook() -> None:
    """The report draws the Sankey, says flows balance, and offers the Excel download."""
    at = open_page(PAGE)
    charts = at.get("plotly_chart")
    assert len(charts) >= 1
    assert '"sankey"' in charts[0].proto.spec
    assert any("conserve tonnes at every node" in c.value for c in at.caption)
    assert {m.label for m in at.metric} >= {"Haves, t/yr", "Completed synergies"}
    at.radio(key=Key.REP_VIEW).set_value("Excel").run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 1
    at.radio(key=Key.REP_VIEW).set_value("Network map").run()
    assert not at.exception, at.exception
    assert any("links drawn" in c.value for c in at.caption)


def test_workbook_is_built_when_clicked() -> None:
    """The funders' workbook is built on click (not on opening the Excel view) and opens."""
    import openpyxl

    at = open_page(PAGE)
    at.radio(key=Key.REP_VIEW).set_value("Excel").run()
    assert not at.exception, at.exception
    assert downloads(at) == {Key.REP_XLSX: True}
    book = openpyxl.load_workbook(io.BytesIO(click_download(at, Key.REP_XLSX)))
    assert len(book.sheetnames) >= 2


def test_reports_for_a_viewer_blank_small_groups() -> None:
    """A viewer gets the lock note and the gaps table with suppressed groups."""
    at = open_page(PAGE, role="viewer")
    assert any("Viewing as viewer" in c.value for c in at.caption)
    at.radio(key=Key.REP_VIEW).set_value("Gaps").run()
    assert not at.exception, at.exception
    gaps = table_with(at, "quantity_without_want")
    assert gaps["suppressed"].any()
    assert gaps.loc[gaps["suppressed"], "quantity_without_want"].isna().all()
