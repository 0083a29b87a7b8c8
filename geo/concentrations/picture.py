"""A map picture (PNG) of a heat or catchment surface, its text in the session's language.

One image a person can paste into a report: the coloured surface over a plain background with
the parks' outlines, a title, a legend (the classes of a viewer's surface, or the value ramp
with its units), a scale bar in metres, a north arrow and the attribution line. Drawn with
Pillow in the surface's own metric CRS (north up, so the scale bar is exact); no matplotlib,
no tiles. Text is drawn with a font that has its glyphs (:mod:`geo.i18n.fonts`: Noto CJK for
Chinese); where none is installed the picture is still made and the warning is returned by
:func:`picture_warnings` — shown once by the page, printed once by the command.

A viewer's picture is made from the classed surface they see
(:class:`~geo.concentrations.classes.ClassedSurface`): class colours and class limits only,
never a practitioner's figures.

Examples
--------
>>> import numpy as np, pyproj
>>> from geo.concentrations.density import kde_surface, KDEParams
>>> s = kde_surface(np.array([0.0, 900.0]), np.array([0.0, 400.0]), np.array([100.0, 40.0]),
...                 crs=pyproj.CRS.from_epsg(32635), params=KDEParams(bandwidth_m=300))
>>> png = map_picture_png(s, None, title="Heat map", width_px=600)
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
import math
import re
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
from PIL import Image, ImageDraw

from geo.concentrations.classes import ClassedSurface, format_class_limit
from geo.concentrations.density import unit_label
from geo.concentrations.raster import class_colours, colour_scale, surface_rgba
from geo.i18n import N_, _, format_number, use_locale
from geo.i18n.fonts import PillowFont, cjk_font_warning, text_font
from geo.settings import OSM_ATTRIBUTION

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import geopandas as gpd

    from geo.concentrations.density import Surface
    from geo.programme import Programme

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "PictureLayout",
    "legend_items",
    "map_picture_png",
    "picture_layout",
    "picture_title",
    "picture_warnings",
    "programme_picture_png",
    "programme_picture_warnings",
    "render_map_picture",
]

DEFAULT_WIDTH_PX: Final = 1200
BACKGROUND: Final = (255, 255, 255)
MAP_BACKGROUND: Final = (245, 243, 239)
TEXT_COLOUR: Final = (34, 34, 34)
MUTED_COLOUR: Final = (90, 90, 90)
PARK_OUTLINE: Final = (123, 50, 148)
FRAME_COLOUR: Final = (120, 120, 120)
ILLUSTRATIVE_NOTE: Final = N_("Demo programme: company names and all quantities are "
                              "illustrative, generated for demonstration.")
"""The note under a demo programme's picture (translate with ``_``)."""
SURFACE_TITLES: Final = {"heat": N_("Heat map"), "catchment": N_("Catchment")}
CLASSES_NOTE: Final = N_("Classes of released figures.")

_MARGIN: Final = 24
_LEGEND_W: Final = 300
_MIN_MAP_H: Final = 320
_MAX_MAP_H: Final = 900
_CJK_CHAR: Final = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|\S+\s*|\s+")


@dataclass(frozen=True)
class PictureLayout:
    """Where things go in the picture (pixels) and its scale.

    Attributes
    ----------
    width_px, height_px : int
        The whole picture.
    map_box, legend_box : tuple of 4 int
        (left, top, right, bottom) of the map and of the legend panel.
    extent_m : tuple of 4 float
        (left, bottom, right, top) shown in the map, metres in the surface's CRS.
    metres_per_px : float
        Ground size of one map pixel.
    header_h, footer_h : int
        Heights of the title band and of the scale-bar and attribution band.
    """

    width_px: int
    height_px: int
    map_box: tuple[int, int, int, int]
    legend_box: tuple[int, int, int, int]
    extent_m: tuple[float, float, float, float]
    metres_per_px: float
    header_h: int
    footer_h: int


def picture_title(view: str, selection: str) -> str:
    """The title of a surface's picture in this session's language: ``"Heat map — haves ·
    plastics"`` (``view`` is ``heat`` or ``catchment``; ``selection`` is already in words)."""
    what = _(SURFACE_TITLES.get(view, SURFACE_TITLES["heat"]))
    # Translators: the title of a map picture: {map} is "Heat map" or "Catchment", {selection}
    # what was picked (haves · plastics · …).
    return _("{map} — {selection}").format(map=what, selection=selection)


def legend_items(surface: Surface | ClassedSurface, *, steps: int = 5
                 ) -> list[tuple[tuple[int, int, int], str]]:
    """(RGB colour, label) rows of the legend, top (darkest) first, in this session's language.

    A classed surface lists its classes (``0.12–0.33 t/yr per km²``); a surface of figures
    gives the ramp at ``steps`` figures from 0 to its largest *shown* figure.
    """
    if isinstance(surface, ClassedSurface):
        rows = list(zip(class_colours(surface.n_classes), surface.class_labels(), strict=True))
        return [(_rgb(c), label) for c, label in rows][::-1]
    cs = colour_scale(surface)
    units = unit_label(surface.units)
    out = []
    for colour, value in cs.legend(steps):
        text = format_number(value) if abs(value) >= 10 else format_class_limit(value)
        out.append((_rgb(colour), f"{text} {units}"))
    return out[::-1]


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def picture_warnings(*texts: str) -> list[str]:
    """The font warnings a picture with these texts would carry (none where fonts exist).

    A page calls it with the picture's title to show the warning once, before the click;
    the legend, made of our translated strings and figures, needs no more than the title.
    """
    found = []
    for text in texts:
        w = cjk_font_warning(text)
        if w is not None and w not in found:
            found.append(w)
    return found


def picture_layout(surface: Surface | ClassedSurface, *, width_px: int = DEFAULT_WIDTH_PX,
                   header_h: int = 90, footer_h: int = 96) -> PictureLayout:
    """The layout of a surface's picture: the map keeps the surface's proportions.

    The map is ``width_px`` minus the legend panel wide; its height follows the extent
    (320–900 px), and the extent is widened around its centre to fill the map exactly.
    """
    left, bottom, right, top = surface.grid.bounds_m
    map_w = max(int(width_px) - _LEGEND_W - 3 * _MARGIN, 200)
    ex, ey = right - left, top - bottom
    map_h = int(min(max(round(map_w * ey / ex), _MIN_MAP_H), _MAX_MAP_H))
    mpp = max(ex / map_w, ey / map_h)
    cx, cy = (left + right) / 2, (bottom + top) / 2
    extent = (cx - mpp * map_w / 2, cy - mpp * map_h / 2, cx + mpp * map_w / 2,
              cy + mpp * map_h / 2)
    map_box = (_MARGIN, header_h, _MARGIN + map_w, header_h + map_h)
    legend_box = (map_box[2] + _MARGIN, header_h, int(width_px) - _MARGIN, header_h + map_h)
    return PictureLayout(width_px=int(width_px), height_px=header_h + map_h + footer_h,
                         map_box=map_box, legend_box=legend_box, extent_m=extent,
                         metres_per_px=mpp, header_h=header_h, footer_h=footer_h)


def _font(size: int, text: str, warnings: list[str]) -> PillowFont:
    choice = text_font(size, text)
    if choice.warning is not None and choice.warning not in warnings:
        warnings.append(choice.warning)
    return choice.font


def _wrap(text: str, font: PillowFont, max_w: float) -> list[str]:
    """Lines of ``text`` no wider than ``max_w``: broken between words, and between any two
    CJK characters (Chinese has no spaces)."""
    lines: list[str] = []
    line = ""
    for token in _CJK_CHAR.findall(text):
        if line and font.getlength(line + token.rstrip()) > max_w:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _draw_surface(canvas: Image.Image, surface: Surface | ClassedSurface,
                  layout: PictureLayout) -> None:
    """Paste the coloured surface into the map canvas at its place and scale."""
    rgba = surface_rgba(surface, opacity=0.85)
    img = Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8), mode="RGBA")
    left, bottom, right, top = surface.grid.bounds_m
    ex0, _ey0, _ex1, ey1 = layout.extent_m
    mpp = layout.metres_per_px
    size = (max(1, round((right - left) / mpp)), max(1, round((top - bottom) / mpp)))
    resample = Image.Resampling.NEAREST if isinstance(surface, ClassedSurface) \
        else Image.Resampling.BILINEAR
    img = img.resize(size, resample=resample)
    canvas.alpha_composite(img, (round((left - ex0) / mpp), round((ey1 - top) / mpp)))


def _rings(geom: object) -> Iterable[np.ndarray]:
    import shapely

    for poly in shapely.get_parts(np.asarray([geom])):
        if poly is None or poly.is_empty or not hasattr(poly, "exterior"):
            continue
        yield np.asarray(poly.exterior.coords)
        for ring in poly.interiors:
            yield np.asarray(ring.coords)


def _draw_parks(canvas: Image.Image, parks: gpd.GeoDataFrame | None,
                surface: Surface | ClassedSurface, layout: PictureLayout) -> None:
    """The parks' outlines (projected to the surface's CRS)."""
    if parks is None or parks.empty or parks.crs is None:
        return
    shapes = parks[parks.geometry.notna() & ~parks.geometry.is_empty].to_crs(surface.grid.crs)
    draw = ImageDraw.Draw(canvas)
    ex0, _ey0, _ex1, ey1 = layout.extent_m
    mpp = layout.metres_per_px
    for geom in shapes.geometry:
        for ring in _rings(geom):
            pts = [((x - ex0) / mpp, (ey1 - y) / mpp) for x, y in ring[:, :2]]
            if len(pts) > 1:
                draw.line(pts, fill=(*PARK_OUTLINE, 255), width=2, joint="curve")


def _nice_length_m(max_m: float) -> float:
    """The largest 1, 2 or 5 × 10^k metres not above ``max_m``."""
    exp = 10 ** math.floor(math.log10(max_m))
    return float(max(m * exp for m in (1, 2, 5) if m * exp <= max_m))


def _distance_text(metres: float) -> str:
    if metres >= 1000:
        return _("{km} km").format(km=format_number(metres / 1000,
                                                    digits=0 if metres % 1000 == 0 else 1))
    return _("{m} m").format(m=format_number(metres))


def _draw_scale_bar(draw: ImageDraw.ImageDraw, layout: PictureLayout, x: int, y: int,
                    warnings: list[str]) -> None:
    length_m = _nice_length_m(layout.metres_per_px * (layout.map_box[2] - layout.map_box[0])
                              / 4)
    length_px = round(length_m / layout.metres_per_px)
    half = length_px // 2
    draw.rectangle((x, y, x + half, y + 8), fill=TEXT_COLOUR, outline=TEXT_COLOUR)
    draw.rectangle((x + half, y, x + length_px, y + 8), fill=BACKGROUND, outline=TEXT_COLOUR)
    small = _distance_text(length_m)
    font = _font(14, small, warnings)
    draw.text((x, y + 12), "0", font=font, fill=TEXT_COLOUR)
    draw.text((x + length_px, y + 12), small, font=font, fill=TEXT_COLOUR, anchor="ma")


def _draw_north_arrow(draw: ImageDraw.ImageDraw, layout: PictureLayout,
                      warnings: list[str]) -> None:
    x = layout.map_box[2] - 30
    y = layout.map_box[1] + 16
    draw.polygon([(x, y + 6), (x - 10, y + 36), (x, y + 28), (x + 10, y + 36)],
                 fill=TEXT_COLOUR)
    draw.text((x, y + 40), "N", font=_font(16, "N", warnings), fill=TEXT_COLOUR, anchor="ma")


def _draw_legend(draw: ImageDraw.ImageDraw, layout: PictureLayout, title: str, *,
                 items: Sequence[tuple[tuple[int, int, int], str]], note: str,
                 warnings: list[str]) -> None:
    x0, y, x1, _bottom = layout.legend_box
    width = x1 - x0
    head = _font(18, title, warnings)
    for line in _wrap(title, head, width):
        draw.text((x0, y), line, font=head, fill=TEXT_COLOUR)
        y += 26
    y += 6
    for colour, label in items:
        font = _font(15, label, warnings)
        draw.rectangle((x0, y + 2, x0 + 28, y + 18), fill=colour, outline=FRAME_COLOUR)
        for i, line in enumerate(_wrap(label, font, width - 40)):
            draw.text((x0 + 38, y + 1 + 20 * i), line, font=font, fill=TEXT_COLOUR)
        y += 20 * max(1, len(_wrap(label, font, width - 40))) + 8
    draw.line((x0, y + 6, x0 + 28, y + 6), fill=PARK_OUTLINE, width=2)
    parks = _("Parks")
    draw.text((x0 + 38, y - 2), parks, font=_font(15, parks, warnings), fill=TEXT_COLOUR)
    y += 34
    if note:
        font = _font(13, note, warnings)
        for line in _wrap(note, font, width):
            draw.text((x0, y), line, font=font, fill=MUTED_COLOUR)
            y += 18


def render_map_picture(surface: Surface | ClassedSurface, parks: gpd.GeoDataFrame | None, *,
                       title: str, subtitle: str = "",
                       legend: Sequence[tuple[tuple[int, int, int], str]] | None = None,
                       legend_title: str | None = None, legend_note: str = "",
                       attribution: str = OSM_ATTRIBUTION, note: str = "",
                       width_px: int = DEFAULT_WIDTH_PX) -> tuple[Image.Image, list[str]]:
    """The picture (an RGB Pillow image) and the font warnings met drawing it.

    See :func:`map_picture_png`; this returns the image itself (for tests and callers that
    compose it further).
    """
    warnings: list[str] = []
    layout = picture_layout(surface, width_px=width_px)
    img = Image.new("RGB", (layout.width_px, layout.height_px), BACKGROUND)
    draw = ImageDraw.Draw(img)
    title_font = _font(26, title, warnings)
    draw.text((_MARGIN, 16), _wrap(title, title_font, layout.width_px - 2 * _MARGIN)[0],
              font=title_font, fill=TEXT_COLOUR)
    if subtitle:
        sub_font = _font(16, subtitle, warnings)
        draw.text((_MARGIN, 54), _wrap(subtitle, sub_font, layout.width_px - 2 * _MARGIN)[0],
                  font=sub_font, fill=MUTED_COLOUR)
    x0, y0, x1, y1 = layout.map_box
    canvas = Image.new("RGBA", (x1 - x0, y1 - y0), (*MAP_BACKGROUND, 255))
    _draw_surface(canvas, surface, layout)
    _draw_parks(canvas, parks, surface, layout)
    img.paste(canvas.convert("RGB"), (x0, y0))
    draw.rectangle((x0 - 1, y0 - 1, x1, y1), outline=FRAME_COLOUR)
    _draw_north_arrow(draw, layout, warnings)
    _draw_legend(draw, layout, legend_title or unit_label(surface.units),
                 items=legend if legend is not None else legend_items(surface),
                 note=legend_note, warnings=warnings)
    _draw_scale_bar(draw, layout, x0, y1 + 16, warnings)
    foot_x = x0 + (x1 - x0) // 3 + 40
    foot_w = layout.width_px - _MARGIN - foot_x
    y = y1 + 14
    for text, colour in ((attribution, TEXT_COLOUR), (note, MUTED_COLOUR)):
        if not text:
            continue
        font = _font(13, text, warnings)
        for line in _wrap(text, font, foot_w)[:3]:
            draw.text((foot_x, y), line, font=font, fill=colour)
            y += 18
    return img, warnings


def map_picture_png(surface: Surface | ClassedSurface, parks: gpd.GeoDataFrame | None = None,
                    *, title: str, subtitle: str = "",
                    legend: Sequence[tuple[tuple[int, int, int], str]] | None = None,
                    legend_title: str | None = None, legend_note: str = "",
                    attribution: str = OSM_ATTRIBUTION, note: str = "",
                    width_px: int = DEFAULT_WIDTH_PX, locale: str | None = None) -> bytes:
    """The map picture of a surface as PNG bytes.

    Parameters
    ----------
    surface : Surface or ClassedSurface
        A practitioner's figures, or a viewer's classes (then only classes are drawn).
    parks : GeoDataFrame, optional
        Park polygons (any CRS) drawn as outlines.
    title, subtitle : str
        Already in the reader's language (e.g. :func:`picture_title`, the programme).
    legend : sequence of (RGB, label), optional
        Legend rows, top first; default :func:`legend_items` of the surface.
    legend_title, legend_note : str
        Default: the surface's units; a note under the legend (e.g. "Classes of released
        figures.").
    attribution, note : str
        The attribution line (default the OSM credit) and a note under it (e.g.
        :data:`ILLUSTRATIVE_NOTE`, translated).
    width_px : int
        Width of the picture; the height follows the surface's proportions.
    locale : str, optional
        The language of the legend (a lazy download runs outside the page's run: pass
        ``current_locale()`` taken on the page).
    """
    with use_locale(locale) if locale else nullcontext():
        img, _warnings = render_map_picture(
            surface, parks, title=title, subtitle=subtitle, legend=legend,
            legend_title=legend_title, legend_note=legend_note, attribution=attribution,
            note=note, width_px=width_px)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def programme_picture_warnings(programme: Programme, *, view: str, selection: str
                               ) -> list[str]:
    """The font warnings of :func:`programme_picture_png`'s picture (for the page and the
    command to say once, before the picture is made)."""
    return picture_warnings(picture_title(view, selection), str(programme.name))


def programme_picture_png(surface: Surface | ClassedSurface, programme: Programme, *,
                          view: str, selection: str, locale: str | None = None,
                          width_px: int = DEFAULT_WIDTH_PX) -> bytes:
    """The picture of a programme's surface, as the page and the command make it.

    Title :func:`picture_title` (``view``: ``heat`` or ``catchment``; ``selection`` in
    words), the programme's name under it, its parks' outlines, the OSM attribution, the
    illustrative note of a demo programme and, for a viewer's classed surface, a note that
    the classes are of released figures. ``locale`` as in :func:`map_picture_png`.
    """
    with use_locale(locale) if locale else nullcontext():
        classed = isinstance(surface, ClassedSurface)
        return map_picture_png(
            surface, programme.parks, title=picture_title(view, selection),
            subtitle=str(programme.name), legend_note=_(CLASSES_NOTE) if classed else "",
            note=_(ILLUSTRATIVE_NOTE) if programme.illustrative else "", width_px=width_px)
