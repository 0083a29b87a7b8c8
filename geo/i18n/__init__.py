"""Languages: English (UK), 简体中文 and Português (Brasil) for every string of ours.

- :mod:`~geo.i18n.locale` — the language of *this* session or command (a context variable,
  never process-wide state: all Streamlit sessions share one process), and choosing it;
- :mod:`~geo.i18n.translate` — ``_``, ``ngettext`` and ``N_`` over gettext catalogues kept as
  ``.po`` files in ``data/locale`` and read with Babel (no compile step), plus a pseudo-locale
  for tests;
- :mod:`~geo.i18n.formats` — numbers, tonnes, money, dates and percentages per locale (Babel);
  stored values never change;
- :mod:`~geo.i18n.labels` — the label of each column of our tables and exports
  (:func:`column_label`), for pages and Excel headers; CSV keeps the column names;
- :mod:`~geo.i18n.fonts` — a font with the glyphs of a text for pictures (Noto CJK for
  Chinese, from the system's packages), and one warning where none is installed
  (imported on demand: ``from geo.i18n.fonts import text_font``);
- :mod:`~geo.i18n.catalogs` — extract, update and check the catalogues
  (``python -m geo i18n extract|update|check``).

Write user-facing text as ``_("Imported {n} records").format(n=...)`` (named placeholders,
whole sentences), mark module-level labels with ``N_("…")`` and translate them where shown.
"""

from __future__ import annotations

from geo.i18n.formats import (
    format_date,
    format_money,
    format_number,
    format_percent,
    format_tonnes,
)
from geo.i18n.labels import COLUMN_LABELS, column_label, column_labels
from geo.i18n.locale import (
    DEFAULT_LOCALE,
    LOCALE_NAMES,
    LOCALES,
    PSEUDO_LOCALE,
    current_locale,
    match_locale,
    set_locale,
    use_locale,
)
from geo.i18n.translate import N_, _, gettext, ngettext, translations

__all__ = [
    "COLUMN_LABELS",
    "DEFAULT_LOCALE",
    "LOCALES",
    "LOCALE_NAMES",
    "N_",
    "PSEUDO_LOCALE",
    "_",
    "column_label",
    "column_labels",
    "current_locale",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "format_tonnes",
    "gettext",
    "match_locale",
    "ngettext",
    "set_locale",
    "translations",
    "use_locale",
]
