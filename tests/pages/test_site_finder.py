"""AppTest of the Site finder page on the demo programme."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

PAGE = str(ROOT / "pages" / "site_finder.py")


@pytest.fixture
def page() -> AppTest:
    """The page, run once with its defaults."""
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def test_default_rules_explain_what_removed_the_candidates(page: AppTest) -> None:
    """With digestion's 250 m housing rule, the page says which rule removed how many."""
    assert any("No candidate passes" in w.value and "residential" in w.value
               for w in page.warning)
    report = page.dataframe[0].value
    assert set(report["rule"]) == {"industrial", "residential", "land", "main_road"}


def test_relaxed_rule_ranks_sites_with_breakdown_and_best_plants(page: AppTest) -> None:
    """At 100 m from housing a ranking, score bars, best plants and memo downloads appear."""
    page.number_input(key="sf_home_anaerobic_digestion").set_value(100.0).run()
    assert not page.exception, page.exception
    assert not page.warning
    tables = {len(d.value.columns): d.value for d in page.dataframe}
    ranking = next(d.value for d in page.dataframe if "supplier_names" in d.value.columns)
    assert ranking["rank"].iloc[0] == 1
    assert ranking["supplier_names"].str.len().iloc[0] > 0
    assert any("proven" in c.value for c in page.caption)
    assert tables
    page.selectbox(key="sf_objective").set_value("capacitated").run()
    assert not page.exception, page.exception
    assert any("capacitated" in c.value for c in page.caption)


def test_viewer_sees_no_supplier_names() -> None:
    """A viewer's ranking has no supplier names column."""
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["viewer_role"] = "viewer"
    at.run()
    at.number_input(key="sf_home_anaerobic_digestion").set_value(100.0).run()
    assert not at.exception, at.exception
    assert all("supplier_names" not in d.value.columns for d in at.dataframe)
    assert any("suppressed" in d.value.columns for d in at.dataframe)


def test_empty_screen_offers_a_relaxation_that_yields_a_ranking() -> None:
    """When no candidate passes, one click relaxes the housing distance and a ranking appears."""
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert any("No candidate passes" in w.value for w in at.warning)
    relax = at.button(key="sf_relax")
    relax.click().run()
    assert not at.exception, at.exception
    assert not any("No candidate passes" in w.value for w in at.warning)
    assert len(at.tabs) >= 5  # ranking, sensitivity, best p sites, compare, downloads


def test_minimum_above_maximum_is_refused_with_the_rule(page: AppTest) -> None:
    """Editing the profile so its minimum throughput exceeds the maximum is explained."""
    pid = page.selectbox(key="sf_profile").value
    page.number_input(key=f"sf_min_throughput_t_{pid}").set_value(1e9).run()
    assert not page.exception, page.exception
    assert page.error, "the broken rule should be shown as an error"
    assert "throughput" in page.error[0].value
