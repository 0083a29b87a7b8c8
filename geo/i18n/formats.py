"""Numbers, tonnes, money, percentages and dates in the session's language (Babel).

Only what is shown changes: ``1,234.5 t`` in English, ``1.234,5 t`` in Portuguese,
``1,234.5 吨`` in Chinese; stored values, CSV files and JSON stay machine-readable (dot
decimals, no grouping).

Examples
--------
>>> from geo.i18n.locale import use_locale
>>> with use_locale("pt_BR"):
...     format_tonnes(1234.5)
'1.234,5 t'
>>> with use_locale("zh_CN"):
...     format_tonnes(1234.5)
'1,234.5 吨'
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_scientific
from babel.numbers import format_percent as _babel_percent

from geo.i18n.locale import PSEUDO_LOCALE, current_locale
from geo.i18n.translate import _

__all__ = ["format_date", "format_money", "format_number", "format_percent", "format_tonnes"]


def _babel_locale() -> str:
    loc = current_locale()
    return "en_GB" if loc == PSEUDO_LOCALE else loc


HUGE: Final = 1e18
"""Numbers this large are written in scientific notation (babel's grouping fails on 1e300)."""


def format_number(value: float | None, *, digits: int = 0) -> str:
    """A number grouped and with ``digits`` decimals in this session's language ("—" if none)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if abs(float(value)) >= HUGE:  # beyond what babel's decimal context can group
        return format_scientific(value, format="0.##E0", locale=_babel_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_babel_locale())


def format_tonnes(value: float | None, *, digits: int = 1, per_year: bool = False) -> str:
    """Tonnes with their unit in this session's language (``1.234,5 t``, ``1,234.5 吨``)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    unit = _("t/yr") if per_year else _("t")
    return f"{format_number(value, digits=digits)} {unit}"


def format_money(value: float | None, currency: str) -> str:
    """An amount in ``currency`` (ISO code) as this session's language writes it."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if abs(float(value)) >= HUGE:
        return f"{format_number(value)} {currency}"
    return format_currency(value, currency, locale=_babel_locale())


def format_percent(value: float | None, *, digits: int = 0) -> str:
    """A share (0–1) as a percentage in this session's language."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + " %"
    return _babel_percent(value, format=pattern, locale=_babel_locale())


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date in this session's language's medium format."""
    if value is None:
        return "—"
    return _babel_date(value, format="medium", locale=_babel_locale())
