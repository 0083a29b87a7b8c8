"""Location hierarchy labels per programme: what a programme calls the levels above its sites.

Parks carry their place in the hierarchy as columns (``country``, ``region``, ``city``; see
:data:`geo.programme.PARK_COLUMNS`) and are themselves the last level. Programmes name these
levels differently: province → city → park in China (省 → 市 → 园区), estado → município →
distrito industrial in Brazil. A programme picks a preset (stored per programme by
:mod:`geo.store.locations`; ``python -m geo programme levels --preset china``) and pages head
the location columns with its labels.

Each level has an English label marked for translation (shown in the session's language) and,
for a country preset, the level's name in the programme's own language and script (``省``,
``Estado``), shown as is to a session in that language. Column names never change.

Examples
--------
>>> from geo.i18n import use_locale
>>> level_labels("china")["region"], level_labels("default")["region"]
('Province', 'Region')
>>> with use_locale("zh_CN"):
...     level_labels("china")["region"], level_labels("china")["park"]
('省', '园区')
>>> with use_locale("pt_BR"):
...     level_labels("brazil")["city"]
'Município'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from geo.errors import StoreError
from geo.i18n import N_, _, column_label, current_locale

__all__ = ["DEFAULT_PRESET", "LEVEL_KEYS", "PRESETS", "Level", "LocationPreset",
           "check_preset", "level_label", "level_labels", "location_headers"]

LEVEL_KEYS: Final = ("country", "region", "city", "park")
"""The levels, top down: the park columns ``country``, ``region``, ``city``, then the park."""


@dataclass(frozen=True)
class Level:
    """One level of a preset.

    Attributes
    ----------
    key : str
        One of :data:`LEVEL_KEYS` (a column of the parks frame, or ``park``).
    label : str
        English label, marked for translation (translate with ``_`` where shown).
    local : str or None
        The level's name in the preset's own language and script, shown as is to sessions
        in that language (:attr:`LocationPreset.locale`).
    """

    key: str
    label: str
    local: str | None = None


@dataclass(frozen=True)
class LocationPreset:
    """A named set of level labels; ``locale`` is the language of the levels' local names."""

    name: str
    levels: tuple[Level, ...]
    locale: str | None = None

    def level(self, key: str) -> Level | None:
        """The level ``key`` of this preset (None when the preset does not name it)."""
        return next((lv for lv in self.levels if lv.key == key), None)


DEFAULT_PRESET: Final = "default"
PRESETS: Final[dict[str, LocationPreset]] = {
    "default": LocationPreset("default", (
        Level("country", N_("Country")), Level("region", N_("Region")),
        Level("city", N_("City")), Level("park", N_("Park")))),
    "china": LocationPreset("china", (
        # Translators: the first administrative level of China (省), above cities.
        Level("region", N_("Province"), "省"),
        Level("city", N_("City"), "市"),
        # Translators: an industrial park in China (园区), the level below a city.
        Level("park", N_("Industrial park"), "园区")), locale="zh_CN"),
    "brazil": LocationPreset("brazil", (
        # Translators: a state of Brazil (estado).
        Level("region", N_("State"), "Estado"),
        # Translators: a municipality of Brazil (município), below a state.
        Level("city", N_("Municipality"), "Município"),
        # Translators: an industrial district in Brazil (distrito industrial).
        Level("park", N_("Industrial district"), "Distrito industrial")), locale="pt_BR"),
}
"""Preset name → levels. ``default`` names every level; a country preset names the levels
below the country (a programme there is in one country)."""


def check_preset(name: str) -> LocationPreset:
    """The preset called ``name``.

    Raises
    ------
    StoreError
        For a name that is not one of :data:`PRESETS` (the message lists them).
    """
    preset = PRESETS.get(str(name))
    if preset is None:
        msg = _("There is no location-level preset called {name!r}; choose one of "
                "{presets}.").format(name=name, presets=", ".join(PRESETS))
        raise StoreError(msg)
    return preset


def level_label(preset: str, key: str) -> str:
    """The label of level ``key`` under ``preset`` in this session's language.

    The preset's local name where the session speaks the preset's language, else its English
    label translated; a level the preset does not name keeps its usual column label.
    """
    chosen = PRESETS.get(preset, PRESETS[DEFAULT_PRESET])
    level = chosen.level(key) or PRESETS[DEFAULT_PRESET].level(key)
    if level is None:
        return column_label(key)
    if level.local and chosen.locale == current_locale():
        return level.local
    return _(level.label)


def level_labels(preset: str) -> dict[str, str]:
    """``{level key: label}`` for every level of :data:`LEVEL_KEYS` under ``preset``."""
    return {key: level_label(preset, key) for key in LEVEL_KEYS}


def location_headers(preset: str, columns: Iterable[object]) -> dict[str, str]:
    """Headers of the location columns among ``columns`` (a frame iterates over them):
    ``country``/``region``/``city``, the park (``park``, ``park_name``) and ``park_id``.

    Other columns are not in the result (head them with :func:`geo.i18n.column_label`).
    """
    labels = level_labels(preset)
    out: dict[str, str] = {}
    for col in (str(c) for c in columns):
        if col in ("country", "region", "city"):
            out[col] = labels[col]
        elif col in ("park", "park_name"):
            out[col] = labels["park"]
        elif col == "park_id":
            # Translators: the identifier column of a park level, e.g. "Industrial park ID".
            out[col] = _("{level} ID").format(level=labels["park"])
    return out
