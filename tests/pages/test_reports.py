"""AppTest tests of the Reports page (pages/reports.py) on the demo programme."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from geo.export import read_workbook
from tests.pages.support import click_download, downloads, open_page, table_with
from ui import Key

PAGE = "pages/reports.py"
pytestmark = pytest.mark.usefixtures("empty_data_dir")  # each test: an empty database


def _company_names() -> set[str]:
    from geo.demo import load_demo_programme

    return set(load_demo_programme().sites["name"])


def _page_text(at) -> str:
    """Everything the page shows as text: captions, metrics, tables and chart specs."""
    parts = [c.value for c in at.caption] + [m.value for m in at.metric]
    parts += [d.value.to_string() for d in at.dataframe]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    return "\n".join(str(p) for p in parts)


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


def test_viewer_sees_released_figures_and_no_company() -> None:
    """A viewer gets the lock note, the synergies' Sankey (all synergies → stage → stream),
    the released figures and KPIs with withheld ones marked, and no company's name."""
    at = open_page(PAGE, role="viewer")
    assert any("Viewing as viewer" in c.value and "receiving companies" in c.value
               for c in at.caption)
    spec = at.get("plotly_chart")[0].proto.spec
    assert "All synergies" in spec and "Stage: idea" in spec and "All haves" not in spec
    assert any("conserve tonnes" in c.value for c in at.caption)
    released = table_with(at, "stage", "tonnes_per_year", "landfill_diverted_t")
    assert released["stage"].dropna().isin(
        ["idea", "identified", "in progress", "implemented", "completed", "abandoned"]).all()
    assert released["tonnes_per_year"].isna().any()  # some figures are withheld
    kpi = table_with(at, "kpi", "value", "note")
    assert (kpi.loc[kpi["value"].isna(), "note"] == "withheld (disclosure rules)").all()
    # a withheld figure is a blank cell, as the note above the tables says (not "None")
    assert all(d.proto.HasField("placeholder") and d.proto.placeholder == ""
               for d in at.dataframe)
    assert {m.label for m in at.metric} >= {"Synergy tonnes, t/yr", "Completed synergies"}
    for view in ("Network map", "Network graph", "Gaps"):
        at.radio(key=Key.REP_VIEW).set_value(view).run()
        assert not at.exception, at.exception
        text = _page_text(at)
        assert not [n for n in _company_names() if n in text], view


def test_viewer_gaps_carry_no_code_figure_or_single_company() -> None:
    """A viewer's gaps list release streams, not codes, each backed by at least k companies'
    haves without a want, in alphabetical order (not by tonnes), without quantities, counts
    or fates; the demo's single-producer codes (191212, 160601) are nowhere on the page."""
    import re

    from geo.catalogue import load_catalogue
    from geo.disclosure import build_release
    from geo.disclosure.release import OTHER_STREAM, code_streams
    from geo.synergies.gaps import gap_analysis, haves_without_want
    from geo.synergies.matching import Matcher
    from ui.data import _demo_programme

    at = open_page(PAGE, role="viewer")
    at.radio(key=Key.REP_VIEW).set_value("Gaps").run()
    assert not at.exception, at.exception
    gaps = table_with(at, "stream", "recruit_sectors")
    assert set(gaps.columns) == {"stream", "recruit_sectors"}
    assert list(gaps["stream"]) == sorted(gaps["stream"])
    # every listed stream: haves without a want at >= k sites (recomputed here)
    prog, cat = _demo_programme(), load_catalogue()
    release = build_release(prog, catalogue=cat)
    k = release.rules.k
    matcher = Matcher.from_programme(prog, catalogue=cat)
    alone = haves_without_want(matcher)
    gap = matcher.records.loc[alone.index[alone.to_numpy()]]
    labels = release.stream_labels()
    streams = gap["code"].map(code_streams(release.streams)).fillna(OTHER_STREAM).map(labels)
    sites = gap.groupby(streams)["site"].nunique()
    for stream in gaps["stream"]:
        assert sites.get(stream, 0) >= k, stream
    codes = gap_analysis(matcher, catalogue=cat)["key"]
    assert {"191212", "160601"} <= set(codes)  # what a practitioner's gaps list
    text = _page_text(at)
    assert not [c for c in codes if re.search(rf"\b{re.escape(str(c))}\b", text)]
    parks = table_with(at, "from_park", "to_park")
    assert set(parks.columns) == {"from_park", "to_park", "other_park"}


def test_viewer_workbook_is_the_release_built_on_click() -> None:
    """The viewer's workbook is built on click and holds the released figures, no company."""
    at = open_page(PAGE, role="viewer")
    at.radio(key=Key.REP_VIEW).set_value("Excel").run()
    assert not at.exception, at.exception
    assert downloads(at) == {Key.REP_XLSX: True}
    data = click_download(at, Key.REP_XLSX)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert {"KPIs", "Totals by stage", "By park pair", "Totals by stream"} <= set(sheets)
    assert not {"Synergies", "Outcomes", "Totals by sector", "Totals by year"} & set(sheets)
    text = " ".join(f.to_string() for f in sheets.values())
    assert not [n for n in _company_names() if n in text]
    shown = table_with(at, "stage", "tonnes_per_year")
    stage_rows = shown[shown["depth"] == 1].set_index("stage")["tonnes_per_year"]
    # The sheet's headers are labels in the reader's language ('stage' shows as 'Stage');
    # read_workbook gives the columns back as the report wrote them.
    assert "stage" not in sheets["Totals by stage"].columns
    written = read_workbook(data)["Totals by stage"]
    got = written.set_index("stage")["Tonnes per year (t/yr)"]
    pd.testing.assert_series_equal(got, stage_rows, check_names=False)


def test_a_synergy_written_elsewhere_shows_at_the_next_rerun() -> None:
    """KPIs and network links are cached per data version: a synergy recorded by another
    session (here straight into the store) is counted and drawn at this page's next rerun."""
    from geo.demo import load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo

    at = open_page(PAGE)
    at.radio(key=Key.REP_VIEW).set_value("Network map").run()

    def _state() -> tuple[str, str]:
        metric = {m.label: m.value for m in at.metric}["Completed synergies"]
        links = next(c.value for c in at.caption if "drawn" in c.value)
        return metric, links

    before = _state()
    prog = load_demo_programme()
    repo.ensure_programme(open_store(), prog)  # stored with its illustrative synergies
    book = repo.load_book(open_store(), prog.name)
    taken = set(zip(book.synergies["have_resource_id"], book.synergies["want_resource_id"],
                    strict=True))
    res = prog.resources
    pairs = ((h, w) for h in res.loc[res["direction"] == "have", "resource_id"]
             for w in res.loc[res["direction"] == "want", "resource_id"])
    have, want = next(p for p in pairs if p not in taken)
    repo.create_synergy(open_store(), prog, have_id=have, want_id=want, practitioner="Aino",
                        stage="completed")
    at.run()
    assert not at.exception, at.exception
    after = _state()
    assert int(after[0].replace(",", "")) == int(before[0].replace(",", "")) + 1
    assert after[1] != before[1]
