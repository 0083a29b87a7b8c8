"""The site-finder memo in the reader's language: translated headings, figures, HTML ``lang``
and a font stack that prints Chinese."""

from __future__ import annotations

import gettext as gettext_module
import re

import pytest

from geo.i18n import translate, use_locale
from geo.siting import (
    find_sites,
    load_profiles,
    memo_blocks,
    memo_html,
    memo_markdown,
    weight_sensitivity,
)
from geo.siting.memo import FONT_STACK
from geo.siting.pipeline import SiteFinderRun

AD = "Anaerobic digestion of food and organic waste"
ZH = {"Site finder: {profile}": "选址：{profile}", AD: "食品和有机废物的厌氧消化",
      "The opportunity": "机会", "Robustness": "稳健性", "Sources and caveats": "来源和注意事项",
      "Best site: {name}": "最佳地点：{name}", "Rank": "排名", "Site": "地点", "Score": "得分",
      "Top {n} candidates": "前 {n} 个候选地点"}
"""A few Chinese translations, standing in for the catalogue until it is translated."""


class _FakeCatalogue(gettext_module.NullTranslations):
    def gettext(self, message: str) -> str:
        return ZH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return ZH.get(msgid2, msgid1 if n == 1 else msgid2)


@pytest.fixture
def zh_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """zh_CN translates the memo's headings (other locales as shipped)."""
    real = translate.translations

    def fake(locale: str) -> gettext_module.NullTranslations:
        return _FakeCatalogue() if locale == "zh_CN" else real(locale)

    monkeypatch.setattr(translate, "translations", fake)


@pytest.fixture(scope="module")
def run(demo_programme) -> SiteFinderRun:
    """Digestion on the demo's parks, no housing rule (straight-line hauls: quick)."""
    prof = load_profiles()["anaerobic_digestion"].with_changes(
        rules={"min_residential_distance_m": 0})
    _, result = find_sites(demo_programme, prof, "parks", graph=None)
    assert result is not None
    return result


def _blocks(run: SiteFinderRun) -> list:
    _, sens = weight_sensitivity(run.scored.criteria, run.scored.weights)
    return memo_blocks(run, role="practitioner", programme_name="Demo", illustrative=True,
                       sensitivity=sens)


def test_memo_in_chinese_has_translated_headings_lang_and_cjk_fonts(
        run: SiteFinderRun, zh_catalogue: None) -> None:
    """In zh_CN the memo's headings and table headers are Chinese, the page says lang zh-CN,
    and its fonts name CJK fonts after the Latin ones."""
    with use_locale("zh_CN"):
        blocks = _blocks(run)
        page = memo_html(blocks)
        markdown = memo_markdown(blocks)
    assert markdown.startswith("# 选址：食品和有机废物的厌氧消化\n")
    assert {"## 机会", "## 稳健性", "## 来源和注意事项"} <= set(markdown.splitlines())
    assert "<html lang='zh-CN'>" in page and "<h2>机会</h2>" in page
    assert "<th>排名</th><th>地点</th><th>得分</th>" in page
    assert "<title>选址：食品和有机废物的厌氧消化</title>" in page
    fonts = [f.strip().strip('"') for f in FONT_STACK.split(",")]
    assert fonts.index("Arial") < fonts.index("Noto Sans CJK SC") < fonts.index("Noto Sans CJK")
    assert fonts[-1] == "sans-serif" and f"font-family:{FONT_STACK}" in page


def test_memo_in_english_by_default(run: SiteFinderRun) -> None:
    """The default memo is English with lang en-GB (the source language)."""
    blocks = _blocks(run)
    assert memo_markdown(blocks).startswith(f"# Site finder: {AD}\n")
    assert "<html lang='en-GB'>" in memo_html(blocks)


def test_memo_in_the_pseudo_locale_is_all_ours_with_figures_filled(run: SiteFinderRun) -> None:
    """Every heading and sentence of ours is bracketed and no placeholder is left unfilled;
    citations (data) stay as recorded."""
    with use_locale("qps_PLOC"):
        blocks = _blocks(run)
    heads = [text for kind, text in blocks if kind in ("h1", "h2")]
    assert heads and all(h.startswith("⟦") for h in heads)
    items = [i for kind, content in blocks if kind == "ul" for i in content]
    ours = [i for i in items if i not in run.profile.sources]
    assert ours and all(i.startswith("⟦") for i in ours)
    text = memo_markdown(blocks)
    assert not re.search(r"\{[a-z_]+\}", text)
    assert run.profile.sources[0] in " ".join(items)


def test_memo_states_the_rules_the_ranking_used(run: SiteFinderRun, demo_programme) -> None:
    """The memo lists the siting rules the run applied, with the profile's own value beside
    any the run changed: a memo passed on must not quote a housing buffer the ranking did not
    use (it quoted only the profile's 250 m after a run at 150 m)."""
    text = memo_markdown(_blocks(run))
    assert "no distance from housing (the profile says 250 m)" in text
    prof = load_profiles()["anaerobic_digestion"].with_changes(
        rules={"min_residential_distance_m": 150.0})
    _, changed = find_sites(demo_programme, prof, "parks", graph=None)
    assert changed is not None
    text = memo_markdown(_blocks(changed))
    assert "at least 150 m from housing (the profile says 250 m)" in text
    shipped = load_profiles()["anaerobic_digestion"]
    _, same = find_sites(demo_programme, shipped, "parks", graph=None)
    assert same is not None
    text = memo_markdown(_blocks(same))
    assert "at least 250 m from housing;" in text and "the profile says" not in text
    top = next(b[1] for b in _blocks(same) if b[0] == "table")
    assert [str(r) for r in top["Rank"]][:2] == ["1", "2"]  # not "1.0", "2.0"


def test_memo_names_rules_the_run_dropped() -> None:
    """A run without the profile's industrial-land or main-road rule says so, with the
    profile's own rule beside it (the memo left them out without a word)."""
    from geo.siting.memo import _rules

    prof = load_profiles()["anaerobic_digestion"]
    text = _rules(prof.with_changes(rules={"inside_industrial": False,
                                           "max_main_road_distance_m": None}))
    assert "not only on industrial land (the profile asks for industrial land or a park)" \
        in text
    assert "no distance to a main road (the profile says 1,500 m)" in text
