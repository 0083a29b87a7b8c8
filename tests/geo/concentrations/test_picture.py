"""Tests of geo.concentrations.picture: the PNG map picture of a surface."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from geo.catalogue import load_catalogue
from geo.concentrations import viewer as cv
from geo.concentrations.classes import ClassedSurface
from geo.concentrations.picture import (
    legend_items,
    map_picture_png,
    picture_layout,
    picture_title,
    render_map_picture,
)
from geo.concentrations.selection import ConcentrationQuery, heat_for_selection, select_resources
from geo.disclosure import build_release
from geo.i18n import use_locale
from geo.i18n.fonts import cjk_font_file, has_glyph, text_font
from geo.programme import Programme

ZH_TITLE = "热力图 — 有的废物 · 全部废物流"


@pytest.fixture(scope="module")
def heat(demo_programme: Programme):
    """A practitioner's heat surface of the demo's haves (figures)."""
    sel = select_resources(demo_programme, ConcentrationQuery())
    return heat_for_selection(sel, bandwidth_m=300)


@pytest.fixture(scope="module")
def viewer_heat(demo_programme: Programme) -> ClassedSurface:
    """A viewer's heat surface of the demo's haves (classes of released figures)."""
    release = build_release(demo_programme, catalogue=load_catalogue())
    q = cv.release_query(release, direction="have")
    return cv.viewer_heat(release, q, bandwidth_m=cv.viewer_bandwidth_m(release, q))


def _dark_pixels(img: Image.Image, box: tuple[int, int, int, int]) -> int:
    return int((np.asarray(img.convert("L").crop(box)) < 128).sum())


def test_the_png_opens_at_the_layout_size_with_its_title_drawn(heat, demo_programme) -> None:
    """The PNG opens, has the layout's size and dark title pixels; without a title the
    band is blank."""
    png = map_picture_png(heat, demo_programme.parks, title="Heat map — haves",
                          width_px=900)
    img = Image.open(io.BytesIO(png))
    layout = picture_layout(heat, width_px=900)
    assert img.format == "PNG" and img.size == (layout.width_px, layout.height_px)
    title_band = (0, 0, layout.width_px, 50)
    assert _dark_pixels(img, title_band) > 200
    blank, _warnings = render_map_picture(heat, None, title="", width_px=900)
    assert _dark_pixels(blank, title_band) == 0


@pytest.mark.skipif(cjk_font_file() is None, reason="no CJK font installed (CI has one)")
def test_a_chinese_title_renders_with_no_missing_glyphs(heat) -> None:
    """In zh_CN the title's font has a glyph for every character and no warning is given."""
    with use_locale("zh_CN"):
        title = picture_title("heat", ZH_TITLE)
        img, warnings = render_map_picture(heat, None, title=title, width_px=900)
    assert warnings == []
    font = text_font(26, title).font
    assert [ch for ch in title if not has_glyph(font, ch)] == []
    assert _dark_pixels(img, (0, 0, 900, 50)) > 200


def test_a_missing_cjk_font_is_returned_as_a_warning(heat, monkeypatch) -> None:
    """Without a CJK font the picture is still drawn and the warning comes back once."""
    from geo.i18n import fonts

    monkeypatch.setattr(fonts, "cjk_font_file", lambda: None)
    _img, warnings = render_map_picture(heat, None, title=ZH_TITLE, subtitle="卡尔胡拉",
                                        width_px=700)
    assert len(warnings) == 1 and "fonts-noto-cjk" in warnings[0]


def _map_colours(img: Image.Image, surface) -> int:
    x0, y0, x1, y1 = picture_layout(surface, width_px=img.width).map_box
    inner = np.asarray(img.crop((x0 + 1, y0 + 1, x1 - 70, y1 - 1)).convert("RGB"))
    return len(np.unique(inner.reshape(-1, 3), axis=0))


def test_the_viewer_picture_is_drawn_from_the_classed_surface(viewer_heat, heat,
                                                               demo_programme) -> None:
    """A viewer's picture shows only its classes (a few flat colours, the class legend),
    never a ramp of figures as a practitioner's does."""
    img, _w = render_map_picture(viewer_heat, demo_programme.parks, title="t", width_px=900)
    n = viewer_heat.n_classes
    assert _map_colours(img, viewer_heat) <= n + 2  # classes, background, park outline
    practitioner, _w = render_map_picture(heat, None, title="t", width_px=900)
    assert _map_colours(practitioner, heat) > 2 * n
    labels = [label for _c, label in legend_items(viewer_heat)]
    assert labels == viewer_heat.class_labels()[::-1]


def test_legend_numbers_follow_the_session_language(viewer_heat) -> None:
    """Class limits are written with the decimal comma in Portuguese."""
    small = [b for b in viewer_heat.breaks if 0 < b < 10 and not float(b).is_integer()]
    if not small:
        pytest.skip("no fractional class limit in this release")
    with use_locale("pt_BR"):
        text = " ".join(label for _c, label in legend_items(viewer_heat))
    assert "," in text and "." not in text.replace("t/ano", "")
