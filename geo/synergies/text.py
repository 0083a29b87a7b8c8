"""Text of the synergy views in the reader's language: figures, units and notes shown later.

- :func:`figure` — a number as the reader's language writes it, with at most ``max_digits``
  decimals and no trailing zeros (``1.3``; ``1,3`` in Portuguese), like ``f"{x:g}"`` but
  grouped and never in exponent form;
- :func:`figures` — the same for a whole column in one vectorised pass (match reasons);
- :func:`fill` — a translated template filled column-wise: one sentence per row of a frame;
- :func:`number_symbols` — the decimal and grouping symbols (for Plotly's ``separators``);
- :func:`unit_label` — a unit code (``t/yr``, ``m3``, ``sites``) as shown;
- :class:`Note` — a sentence kept untranslated inside an object that outlives a session (a
  cached matcher, a cached synergy release) and translated each time it is shown
  (``str(note)``), with its figures formatted then.

Stored values never change: units, codes and figures in frames stay as they are; only what
is shown is translated.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.i18n import N_, _, format_number, ngettext

__all__ = ["UNIT_LABELS", "Note", "figure", "figures", "fill", "number_symbols", "unit_label"]

UNIT_LABELS: Final = {
    "t/yr": N_("t/yr"),
    "m3/yr": N_("m3/yr"),
    "MWh/yr": N_("MWh/yr"),
    "t": N_("t"),
    "t CO2e": N_("t CO2e"),
    "m3": N_("m3"),
    # Translators: the unit of a count of things (jobs, technologies, businesses).
    "count": N_("count"),
    # Translators: the unit of a count of member sites.
    "sites": N_("sites"),
    # Translators: the unit of a count of synergies.
    "synergies": N_("synergies"),
    # Translators: the unit of a ratio between 0 and 1.
    "share": N_("share"),
}
"""Display label of each unit code we write (others, such as a currency, are shown as is)."""


def unit_label(unit: object) -> str:
    """A unit code as shown in this session's language (unknown units unchanged).

    Examples
    --------
    >>> unit_label("m3/yr"), unit_label("EUR")
    ('m3/yr', 'EUR')
    """
    label = UNIT_LABELS.get(str(unit))
    return _(label) if label is not None else str(unit)


def figure(value: float | None, *, max_digits: int = 3) -> str:
    """A number with at most ``max_digits`` decimals, trailing zeros dropped, grouped.

    Examples
    --------
    >>> figure(1.30), figure(0.1071), figure(12500.0), figure(None)
    ('1.3', '0.107', '12,500', '—')
    """
    if value is None or not math.isfinite(float(value)):
        return format_number(None)
    v = round(float(value), max_digits)
    digits = next(d for d in range(max_digits + 1) if round(v, d) == v)
    return format_number(v, digits=digits)


def number_symbols() -> tuple[str, str]:
    """The decimal and grouping symbols of this session's language (read off a formatted
    number, so that they always agree with :func:`geo.i18n.format_number`).

    Examples
    --------
    >>> from geo.i18n import use_locale
    >>> with use_locale("pt_BR"):
    ...     number_symbols()
    (',', '.')
    """
    sample = format_number(1234.5, digits=1)
    return sample[-2], sample[1]


def figures(values: pd.Series, decimals: int) -> pd.Series:
    """Numbers rounded to ``decimals`` as short text (no trailing zeros), grouped and with
    the decimal symbol of this session's language; missing values stay missing.

    One Arrow cast and a few vectorised replacements (pandas' own float → str conversion
    loops in Python).

    Examples
    --------
    >>> figures(pd.Series([12.0, 0.25, 12345.678]), 2).tolist()
    ['12', '0.25', '12,345.68']
    """
    rounded = np.round(values.to_numpy(dtype=float, na_value=np.nan), decimals)
    text = pc.cast(pa.array(rounded, from_pandas=True), pa.string())
    decimal, group = number_symbols()
    if decimal != ".":
        text = pc.replace_substring(text, ".", decimal)
    for _pass in range(6):  # one more group per pass, up to 10^18
        grouped = pc.replace_substring_regex(text, r"^(-?\d+)(\d{3})", r"\1" + group + r"\2")
        if pc.all(pc.equal(grouped, text)).as_py() is not False:
            break
        text = grouped
    return pd.Series(pd.array(text, dtype="str"), index=values.index)


def fill(template: str, index: pd.Index, **values: pd.Series | str) -> pd.Series:
    """``template.format(**values)`` for every row at once: the template is translated once,
    its placeholders filled column-wise (a column per placeholder, or one text for all).

    Examples
    --------
    >>> fill("{km} km by road", pd.RangeIndex(2), km=pd.Series(["3", "4.5"])).tolist()
    ['3 km by road', '4.5 km by road']
    """
    out = pd.Series("", index=index, dtype="str")
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            out = out + literal
        if name is not None:
            value = values[name]
            out = out + (value if isinstance(value, str)
                         else value.astype("str").set_axis(index))
    return out


def _shown(value: object) -> str:
    if callable(value):  # text made when shown, e.g. a factor's citation
        return str(value())
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return str(value)
    if isinstance(value, int | np.integer):
        return format_number(int(value))
    return figure(float(value), max_digits=4)


@dataclass(frozen=True)
class Note:
    """A sentence to translate when it is shown, not when it is made.

    Made with :meth:`gettext` or :meth:`ngettext` (named like gettext's own functions, so
    that the catalogue extractor finds their messages); ``str(note)`` translates the message
    into this session's language and fills the placeholders, formatting whole numbers with
    :func:`~geo.i18n.format_number` and others with :func:`figure`; a callable value (such as
    a factor's ``cite``) is called then, so that its text is in the reader's language too.

    Examples
    --------
    >>> from geo.i18n import use_locale
    >>> note = Note.ngettext("{n} record is kept.", "{n} records are kept.", 1200)
    >>> with use_locale("pt_BR"):
    ...     "1.200" in str(note)
    True
    """

    message: str
    plural: str | None = None
    n: int | None = None
    values: tuple[tuple[str, object], ...] = ()

    @classmethod
    def gettext(cls, message: str, /, **values: object) -> Note:
        """A note of one message with named placeholders."""
        return cls(message, values=tuple(values.items()))

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **values: object) -> Note:
        """A note whose message depends on the count ``n`` (its placeholder is ``{n}``)."""
        return cls(singular, plural, int(n), tuple(values.items()))

    def __str__(self) -> str:
        shown = {k: _shown(v) for k, v in self.values}
        if self.plural is not None and self.n is not None:
            text = ngettext(self.message, self.plural, self.n)
            return text.format(n=format_number(self.n), **shown)
        return _(self.message).format(**shown)
