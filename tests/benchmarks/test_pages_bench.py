"""Tests of the page benchmark's helpers (benchmarks/pages_bench.py, pages_steps.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.pages_bench import Row, apply_server, summary, table
from benchmarks.pages_steps import DEMO, PAGES, Dataset, Step, draws_map, steps_for
from benchmarks.payload import stats


class _Widget:
    def __init__(self, log: list[tuple[str, ...]], kind: str, key: str) -> None:
        self.log, self.kind, self.key = log, kind, key

    def set_value(self, value: object) -> None:
        self.log.append(("set", self.kind, self.key, repr(value)))

    def click(self) -> None:
        self.log.append(("click", self.kind, self.key))


class _FakeAppTest:
    """Records what the benchmark does to an AppTest."""

    def __init__(self) -> None:
        self.log: list[tuple[str, ...]] = []

    def switch_page(self, path: str) -> None:
        self.log.append(("switch", path))

    def run(self) -> None:
        self.log.append(("run",))

    def __getattr__(self, kind: str) -> Any:
        return lambda key: _Widget(self.log, kind, key)


def test_summary_leaves_out_time_limited_solves_and_counts_pages() -> None:
    """Two rows of one page count one page; the bounded solve (6 s) is not the slowest; the
    largest map is the larger of the server's and the browser's figure (310,000 B)."""
    rows = [
        Row("Overview", "demo", "practitioner", server=stats([0.2, 0.4, 0.3]),
            browser=stats([1.0, 1.4, 1.2]), map_b=100_000, map_args_b=90_000),
        Row("Overview", "regional", "viewer", server=stats([0.5, 0.6, 0.7]),
            browser=stats([1.5, 1.6, 1.7]), map_args_b=310_000),
        Row("Milk round", "demo", "practitioner", server=stats([6.0, 6.0, 6.0]),
            browser=stats([9.0, 9.0, 9.0]), bounded=True),
        Row("Import", "demo", "practitioner", server=stats([0.1, 0.1, 0.1])),
    ]
    assert summary(rows) == ("summary: pages=3 slowest_server_s=0.60 slowest_map_s=1.60 "
                             "max_payload_bytes=310000")


def test_table_marks_missing_browser_figures_and_bounded_solves() -> None:
    """A page without a map shows dashes; a time-limited solve says so."""
    text = table([Row("Import", "demo", "practitioner", first_s=0.8,
                      server=stats([0.1, 0.2, 0.3])),
                  Row("Milk round", "demo", "practitioner", bounded=True)])
    lines = text.splitlines()
    assert len(lines) == 4
    assert "| Import | demo | practitioner | 0.80 | 0.20 (0.10–0.30, n=3) | 0 | — | — |" \
        in lines[2]
    assert "solve bounded by the user’s time limit" in lines[3]


def test_changes_reach_apptest_as_a_user_makes_them() -> None:
    """Setup steps run first (an expander click is not an AppTest action), form fields are set
    before the submit button is clicked, a popped multiselect is set to what remains."""
    at = _FakeAppTest()
    apply_server(at, Step("slider", "sf_w_feedstock", 0.3, setup=(
        Step("click_text", "", text="Weights"), Step("nav", "pages/about.py"))))
    apply_server(at, Step("submit", "mr_submit", before=(Step("number_input", "mr_max", 15.0),)))
    apply_server(at, Step("multiselect_pop", "rep_net_stages", ["idea"]))
    assert at.log == [("switch", "pages/about.py"), ("run",),
                      ("set", "slider", "sf_w_feedstock", "0.3"),
                      ("set", "number_input", "mr_max", "15.0"),
                      ("click", "button", "mr_submit"),
                      ("set", "multiselect", "rep_net_stages", "['idea']")]


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.title)
def test_every_page_has_three_distinct_changes_on_the_demo(spec: Any) -> None:
    """At least three changes per page and role, none repeating an earlier one, so each
    rerun computes what a new change makes the page compute."""
    ds = Dataset("demo", Path(), DEMO)
    for role in spec.roles:
        steps = steps_for(spec, ds, role)
        assert len(steps) >= 3, (spec.title, role)
        seen = [(s.kind, s.key, repr(s.value), s.before) for s in steps]
        if spec.steps.__name__ != "_reopen":  # reopening a page is the same change each time
            assert len(set(seen)) == len(seen), (spec.title, role, seen)


def test_viewers_browse_tables_without_a_map() -> None:
    """Browse & export draws a map for practitioners only; Import never does."""
    browse = next(s for s in PAGES if s.title == "Browse & export")
    imp = next(s for s in PAGES if s.title == "Import")
    assert draws_map(browse, "practitioner") and not draws_map(browse, "viewer")
    assert not draws_map(imp, "practitioner")
