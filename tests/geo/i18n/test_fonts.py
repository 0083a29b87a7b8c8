"""Tests of geo.i18n.fonts: a font with the glyphs of the text, and one warning without."""

from __future__ import annotations

import logging

import pytest

from geo.i18n import fonts, use_locale
from geo.i18n.fonts import cjk_font_file, has_glyph, latin_font_file, needs_cjk, text_font

ZH_TITLE = "热力图 — 有的废物 · 全部废物流（卡尔胡拉工业区）"

needs_cjk_font = pytest.mark.skipif(cjk_font_file() is None,
                                    reason="no CJK font installed (apt-get install "
                                           "fonts-noto-cjk; CI has it)")


def test_needs_cjk_tells_chinese_from_latin_text() -> None:
    """Chinese characters and CJK punctuation need a CJK font; Portuguese accents do not."""
    assert needs_cjk(ZH_TITLE) and needs_cjk("（")
    assert not needs_cjk("Resíduos · todos os fluxos, 1.234,5 t/ano")


@needs_cjk_font
def test_every_character_of_a_chinese_title_has_a_glyph() -> None:
    """The font chosen for a Chinese title has a glyph for every character (no .notdef box)."""
    choice = text_font(26, ZH_TITLE)
    assert choice.warning is None
    missing = [ch for ch in ZH_TITLE if not has_glyph(choice.font, ch)]
    assert missing == []


@pytest.mark.skipif(latin_font_file() is None, reason="no DejaVu/Liberation font installed")
def test_has_glyph_sees_the_box_of_a_latin_font() -> None:
    """A Latin-only font draws Chinese as .notdef, and has_glyph says so."""
    font = latin_font_file().load(24)
    assert has_glyph(font, "ã") and not has_glyph(font, "废")


def test_latin_text_needs_no_warning() -> None:
    """Text without CJK characters gets a font and no warning, whatever is installed."""
    choice = text_font(16, "Mapa de calor — resíduos")
    assert choice.warning is None and choice.font.getlength("Mapa") > 0


def test_a_missing_cjk_font_is_said_once_and_names_the_package(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Without a CJK font Chinese text still gets a font, with a translated warning naming
    fonts-noto-cjk; the absence is logged once per process."""
    monkeypatch.setattr(fonts, "cjk_font_file", lambda: None)
    monkeypatch.setattr(fonts, "_warned", type(fonts._warned)())
    with caplog.at_level(logging.WARNING, logger="geo.i18n.fonts"):
        first = text_font(20, ZH_TITLE)
        second = text_font(20, "废物")
    assert first.font is not None
    assert first.warning is not None and "fonts-noto-cjk" in first.warning
    assert second.warning == first.warning
    assert len([r for r in caplog.records if "CJK" in r.getMessage()]) == 1
    with use_locale("qps_PLOC"):
        pseudo = fonts.cjk_font_warning(ZH_TITLE)
    assert pseudo is not None and pseudo.startswith("⟦") and "fonts-noto-cjk" in pseudo


@needs_cjk_font
def test_the_cjk_font_is_found_without_fontconfig(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fc-match is missing, the known Noto CJK / WenQuanYi / Droid paths are tried."""
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    fonts.cjk_font_file.cache_clear()
    try:
        found = fonts.cjk_font_file()
    finally:
        fonts.cjk_font_file.cache_clear()
    assert found is not None and found.path in fonts.CJK_FONT_PATHS
