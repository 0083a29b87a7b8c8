"""Fonts for pictures (PNG maps): one that has the glyphs of the text, found on the system.

Pillow draws text with a font file; a font without Chinese glyphs draws boxes (“tofu”). The
Chinese font comes from the operating system's packages — Debian/Ubuntu ``fonts-noto-cjk``
(Noto Sans CJK), or WenQuanYi / Droid Sans Fallback where that is what is installed — found
with fontconfig (``fc-match 'sans:lang=zh-cn'``) when it is there, then at their usual paths.
Latin-only text (English, Portuguese, figures) is drawn with DejaVu Sans, else Pillow's own
font. Nothing is downloaded and nothing is bundled.

Where no CJK font is installed, :func:`text_font` still returns a font (the text shows as
boxes) together with one clear sentence naming the package to install (:data:`NO_CJK_FONT`,
translated), and the absence is logged once per process. A page shows that sentence once
(``st.warning``), a command prints it once.

Examples
--------
>>> choice = text_font(14, "Haves · all streams")
>>> choice.warning is None
True
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NamedTuple

from PIL import ImageFont

from geo.i18n.translate import N_, _

__all__ = [
    "CJK_FONT_PATHS",
    "INSTALL_COMMAND",
    "LATIN_FONT_PATHS",
    "NO_CJK_FONT",
    "FontChoice",
    "FontFile",
    "cjk_font_file",
    "cjk_font_warning",
    "has_glyph",
    "latin_font_file",
    "needs_cjk",
    "text_font",
]

logger = logging.getLogger(__name__)

PillowFont = ImageFont.FreeTypeFont | ImageFont.ImageFont

CJK_FONT_PATHS: Final = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",
)
"""Where Debian, Ubuntu and Fedora put CJK fonts (tried after fontconfig)."""
LATIN_FONT_PATHS: Final = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
"""Latin fonts with the accents of Portuguese (else Pillow's default font)."""
NO_CJK_FONT: Final = N_(
    "No font with Chinese characters is installed, so Chinese text in map pictures shows as "
    "boxes. Install the Noto CJK fonts (Debian/Ubuntu: {command}) and restart SymbioMap.")
"""What a picture's maker is told, once, where no CJK font exists (translate with ``_``, fill
``{command}`` with :data:`INSTALL_COMMAND`)."""
INSTALL_COMMAND: Final = "apt-get install fonts-noto-cjk"

_PROBE: Final = "中文图例"
_NOTDEF_PROBE: Final = "\U0010fffe"  # a noncharacter: every font draws it as .notdef
# Simplified Chinese in a Noto CJK collection: face 2 (JP, KR, SC, TC, HK)
_NOTO_CJK_SC_INDEX: Final = 2
_CJK_RANGES: Final = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F),
    (0x3190, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3134F),
)
_warned = threading.Event()


@dataclass(frozen=True)
class FontFile:
    """A font on disk: its path and the face index in a collection (``.ttc``)."""

    path: str
    index: int = 0

    def load(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at ``size`` pixels."""
        return _load(self.path, self.index, int(size))


class FontChoice(NamedTuple):
    """A font able to draw a text, and the sentence to show when it cannot (else None)."""

    font: PillowFont
    warning: str | None


@functools.lru_cache(maxsize=64)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size, index=index)


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has a Chinese, Japanese or Korean character (or CJK punctuation).

    Examples
    --------
    >>> needs_cjk("Resíduos · todos"), needs_cjk("废物 · 全部")
    (False, True)
    """
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _CJK_RANGES)


def has_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """Whether ``font`` has a glyph for ``char`` (it draws something other than .notdef).

    A blank character (a space) counts as present when the font gives it an advance.
    """
    if char.isspace():
        return font.getlength(char) > 0
    mask = font.getmask(char)
    notdef = font.getmask(_NOTDEF_PROBE)
    if mask.size != notdef.size:
        return True
    return bytes(mask) != bytes(notdef)


def _draws(candidate: FontFile, probe: str) -> bool:
    try:
        font = candidate.load(24)
    except OSError:
        return False
    return all(has_glyph(font, ch) for ch in probe)


def _fontconfig(pattern: str) -> FontFile | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-f", "%{file}|%{index}", pattern], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path, _sep, index = out.partition("|")
    if not path or not Path(path).is_file():
        return None
    return FontFile(path, int(index) if index.isdigit() else 0)


def _at_paths(paths: tuple[str, ...], probe: str) -> FontFile | None:
    for path in paths:
        if not Path(path).is_file():
            continue
        index = _NOTO_CJK_SC_INDEX if "NotoS" in path and path.endswith(".ttc") else 0
        for candidate in (FontFile(path, index), FontFile(path, 0)):
            if _draws(candidate, probe):
                return candidate
    return None


@functools.lru_cache(maxsize=1)
def cjk_font_file() -> FontFile | None:
    """The installed font that draws Simplified Chinese, or None (looked up once).

    fontconfig's choice for ``sans:lang=zh-cn`` when it has the glyphs, else the first of
    :data:`CJK_FONT_PATHS` that does.
    """
    found = _fontconfig("sans:lang=zh-cn")
    if found is not None and _draws(found, _PROBE):
        logger.info("CJK font for pictures: %s (face %d), from fontconfig", found.path,
                    found.index)
        return found
    found = _at_paths(CJK_FONT_PATHS, _PROBE)
    if found is not None:
        logger.info("CJK font for pictures: %s (face %d)", found.path, found.index)
    return found


@functools.lru_cache(maxsize=1)
def latin_font_file() -> FontFile | None:
    """DejaVu Sans (or Liberation Sans) where installed, else None (Pillow's own font)."""
    found = _fontconfig("DejaVu Sans")
    if found is not None and "DejaVu" in Path(found.path).name and _draws(found, "Aãçé"):
        return found
    return _at_paths(LATIN_FONT_PATHS, "Aãçé")


def _default_font(size: int) -> PillowFont:
    return ImageFont.load_default(size=size)


def cjk_font_warning(text: str) -> str | None:
    """:data:`NO_CJK_FONT` in this session's language when ``text`` needs a CJK font and none
    is installed, else None. The absence is logged once per process."""
    if not needs_cjk(text) or cjk_font_file() is not None:
        return None
    if not _warned.is_set():
        _warned.set()
        logger.warning("No CJK font installed (apt-get install fonts-noto-cjk): Chinese text "
                       "in pictures is drawn as boxes")
    return _(NO_CJK_FONT).format(command=INSTALL_COMMAND)


def text_font(size: int, text: str = "") -> FontChoice:
    """A font of ``size`` pixels that draws ``text``, and a warning when none can.

    Text with a CJK character gets the CJK font (it also has Latin glyphs); other text gets
    the Latin font. Where the CJK font is missing, the Latin (or default) font is returned
    with :func:`cjk_font_warning`'s sentence.
    """
    if needs_cjk(text):
        cjk = cjk_font_file()
        if cjk is not None:
            return FontChoice(cjk.load(size), None)
        latin = latin_font_file()
        return FontChoice(latin.load(size) if latin else _default_font(size),
                          cjk_font_warning(text))
    latin = latin_font_file()
    if latin is not None:
        return FontChoice(latin.load(size), None)
    return FontChoice(_default_font(size), None)
