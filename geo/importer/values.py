"""Vectorised readers of cell values: numbers, units, have/want and the other vocabularies.

Each ``normalise_*`` maps a Series of text to the programme's vocabulary
(:mod:`geo.programme`): ``""`` stays ``""`` (not given), text that is not recognised becomes
missing (NaN) so validation can report it. Matching ignores case, accents, spaces and
punctuation around the word, and knows common spellings in English, Portuguese, Spanish,
French, German, Finnish and Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd

from geo.programme import FATES, FREQUENCIES, PROVENANCES, RESOURCE_CLASSES, UNITS

__all__ = [
    "CLASS_ALIASES",
    "DIRECTION_ALIASES",
    "FATE_ALIASES",
    "FREQUENCY_ALIASES",
    "PROVENANCE_ALIASES",
    "UNIT_ALIASES",
    "fold",
    "normalise_nace",
    "normalise_vocabulary",
    "parse_dates",
    "parse_numbers",
    "per_unique",
    "unit_of",
]


def fold(text: str) -> str:
    """Case-folded text without accents, punctuation as single spaces (CJK kept).

    Examples
    --------
    >>> fold("  Código  LER ")
    'codigo ler'
    >>> fold("企业名称")
    '企业名称'
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    text = re.sub(r"[\W_]+", " ", text.casefold())
    return text.strip()


def per_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised ``func`` to the distinct values only and spread the result back.

    Member lists repeat the same units, codes and sectors thousands of times, so this turns
    100,000-row string work into a few hundred rows. Index preserved.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    done = func(pd.Series(uniques, dtype=values.dtype)).to_numpy(dtype=object)
    spread = np.append(done, np.nan)[codes]
    return pd.Series(spread, index=values.index, name=values.name)


def _table(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, spellings in groups.items():
        for spelling in (canonical, *spellings):
            out[fold(spelling)] = canonical
    return out


DIRECTION_ALIASES: Final = _table({
    "have": ("has", "haves", "h", "supply", "supplies", "offer", "offered", "output", "outputs",
             "source", "available", "waste", "by product", "surplus", "oferta", "oferece",
             "disponivel", "residuo", "excedente", "ofrece", "offre", "angebot", "tarjonta",
             "供应", "供给", "提供", "产出", "供方", "供", "有"),
    "want": ("wants", "w", "demand", "demands", "need", "needs", "needed", "input", "inputs",
             "sink", "required", "requirement", "wanted", "procura", "necessidade", "pedido",
             "demanda", "necesita", "besoin", "demande", "bedarf", "nachfrage", "kysynta",
             "tarve", "需求", "需要", "求购", "需方", "需", "要"),
})
"""have/want spellings (folded) → ``have`` | ``want``."""

_UNIT_BASES: Final = {
    "t/yr": ("t", "tonne", "tonnes", "ton", "tons", "metric ton", "metric tons", "tonelada",
             "toneladas", "tonnen", "tonnia", "吨"),
    "m3/yr": ("m3", "cubic metre", "cubic metres", "cubic meter", "cubic meters",
              "metros cubicos", "立方米", "方"),
    "MWh/yr": ("mwh", "megawatt hour", "megawatt hours", "兆瓦时"),
}
_PERIODS: Final = {"yr", "year", "years", "y", "a", "annum", "ano", "anos", "an", "jahr", "v",
                   "vuosi", "年"}
_CONNECTORS: Final = {"per", "a", "each", "por", "par", "pro", "每"}
UNIT_ALIASES: Final = {
    **{fold(b): unit for unit, bases in _UNIT_BASES.items() for b in bases},
    "tpa": "t/yr", "tpy": "t/yr", "吨每年": "t/yr", "吨年": "t/yr", "方年": "m3/yr",
}
"""Single-word unit spellings (folded) → one of :data:`geo.programme.UNITS`; longer ones
("tonnes per year", "m³/a", "吨/年") are parsed by :func:`unit_of`."""

CLASS_ALIASES: Final = _table({
    "material": ("materials", "waste", "by product", "materia", "material", "residuo",
                 "materiaux", "物料", "材料", "废物"),
    "energy": ("heat", "steam", "electricity", "power", "energia", "calor", "vapor", "chaleur",
               "energie", "warme", "lampo", "能源", "热", "蒸汽", "电"),
    "water": ("wastewater", "agua", "eau", "wasser", "vesi", "水", "废水"),
    "logistics": ("transport", "storage", "capacity", "logistica", "logistique", "logistik",
                  "物流", "运输", "仓储"),
})

FREQUENCY_ALIASES: Final = _table({
    "continuous": ("continuously", "constant", "ongoing", "continuo", "continua", "continu",
                   "kontinuierlich", "jatkuva", "连续", "持续"),
    "daily": ("day", "every day", "per day", "diario", "diaria", "quotidien", "taglich",
              "paivittain", "每天", "每日"),
    "weekly": ("week", "every week", "per week", "semanal", "hebdomadaire", "wochentlich",
               "viikoittain", "每周"),
    "fortnightly": ("biweekly", "every two weeks", "quinzenal", "quincenal", "每两周"),
    "monthly": ("month", "every month", "per month", "mensal", "mensual", "mensuel",
                "monatlich", "kuukausittain", "每月"),
    "quarterly": ("quarter", "trimestral", "trimestriel", "vierteljahrlich", "每季度"),
    "annual": ("annually", "yearly", "year", "per year", "anual", "annuel", "jahrlich",
               "vuosittain", "每年"),
    "one-off": ("one off", "once", "one time", "single", "pontual", "unica vez", "puntual",
                "ponctuel", "einmalig", "kertaluonteinen", "一次性"),
})

FATE_ALIASES: Final = _table({
    "landfill": ("landfilled", "tip", "dump", "aterro", "aterro sanitario", "vertedero",
                 "decharge", "enfouissement", "deponie", "kaatopaikka", "填埋"),
    "incineration": ("incinerated", "burnt", "burned", "incineracao", "incineracion",
                     "verbrennung", "poltto", "焚烧"),
    "recycling": ("recycled", "reciclagem", "reciclado", "reciclaje", "recyclage",
                  "kierratys", "回收", "再生", "循环利用"),
    "recovery": ("energy recovery", "recovered", "valorisation", "valorizacao", "valorizacion",
                 "verwertung", "hyodyntaminen", "利用", "资源化"),
    "reuse": ("reused", "re use", "reutilizacao", "reutilizacion", "reemploi",
              "wiederverwendung", "uudelleenkaytto", "再利用", "复用"),
    "other": ("outro", "otro", "autre", "sonstige", "muu", "其他"),
    "unknown": ("not known", "n/a", "na", "?", "desconhecido", "desconocido", "inconnu",
                "unbekannt", "tuntematon", "未知"),
})

PROVENANCE_ALIASES: Final = _table({
    "workshop": ("workshops", "workshop session", "oficina"),
    "site visit": ("visit", "visita", "visita tecnica"),
    "survey": ("questionnaire", "inquerito", "questionario", "encuesta", "调查", "问卷"),
    "public register": ("register", "registry", "public registry", "registo publico"),
    "import file": ("import", "file"),
    "demo generator": ("demo",),
    "manual entry": ("manual", "entered by hand"),
})

_VOCABULARIES: Final = {
    "unit": (UNIT_ALIASES, UNITS), "resource_class": (CLASS_ALIASES, RESOURCE_CLASSES),
    "frequency": (FREQUENCY_ALIASES, FREQUENCIES), "fate": (FATE_ALIASES, FATES),
    "provenance": (PROVENANCE_ALIASES, PROVENANCES),
}


def unit_of(text: str) -> str | None:
    """The unit a spelling means (``"tonnes/year"`` → ``"t/yr"``), or None.

    A unit is a base (t, tonnes, m3, m³, MWh, 吨, …) optionally followed by a period of one
    year (``/yr``, ``/a``, ``per annum``, ``/ano``, ``/年`` …). Other periods (per month) and
    other bases (kg, litres) are not units of the programme model.

    Examples
    --------
    >>> unit_of("tpa"), unit_of("m³/a"), unit_of("Tonnes per year"), unit_of("吨/年")
    ('t/yr', 'm3/yr', 't/yr', 't/yr')
    >>> unit_of("kg"), unit_of("t/month")
    (None, None)
    """
    folded = fold(str(text).replace("³", "3"))
    if folded in UNIT_ALIASES:
        return UNIT_ALIASES[folded]
    for unit, bases in _UNIT_BASES.items():
        for base in sorted(bases, key=len, reverse=True):
            fb = fold(base)
            if folded == fb or folded.startswith(fb + " "):
                rest = [w for w in folded[len(fb):].split() if w not in _CONNECTORS]
                if not rest or (len(rest) == 1 and rest[0] in _PERIODS):
                    return unit
                return None
    return None


def normalise_vocabulary(values: pd.Series, field: str) -> pd.Series:
    """Map text to the vocabulary of ``field`` (unit, resource_class, frequency, fate,
    provenance or direction); ``""`` stays ``""``, unknown text → NaN.

    Examples
    --------
    >>> normalise_vocabulary(pd.Series(["Supply", "need", "", "maybe"]), "direction").tolist()
    ['have', 'want', '', nan]
    """
    table = DIRECTION_ALIASES if field == "direction" else _VOCABULARIES[field][0]

    def lookup(u: str) -> str | None:
        u = u.strip()
        if not u:
            return ""
        return unit_of(u) if field == "unit" else table.get(fold(u))

    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=True)
    mapped = np.array([lookup(u) for u in uniques.tolist()] + [""], dtype=object)
    return pd.Series(mapped[codes], index=values.index, name=values.name, dtype="str")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers written in the usual ways; NaN for empty and for text that is not a number.

    Accepts ``12.5``, ``12,5`` (decimal comma), ``1 234,5`` and ``1,234.5`` / ``1.234,5``
    (both separators: the last one is the decimal mark). A lone comma followed by exactly
    three digits (``1,234``) is ambiguous and is not read. Only finite numbers are read:
    ``inf``, ``NaN`` and figures too large for a float (``1e309``, which would overflow to
    infinity) give NaN, so validation reports them.

    Examples
    --------
    >>> parse_numbers(pd.Series(["12.5", "12,5", "1 234,5", "1.234,5", "1,234", "x", ""])
    ...               ).tolist()
    [12.5, 12.5, 1234.5, 1234.5, nan, nan, nan]
    >>> parse_numbers(pd.Series(["1e308", "1e309", "-1,5e400", "inf"])).tolist()
    [1e+308, nan, nan, nan]
    """
    raw = values.astype("str").str.strip()
    fast = pd.to_numeric(raw, errors="coerce").astype("float64")
    fast = fast.where(np.isfinite(fast))
    slow = fast.isna() & (raw != "")
    if not slow.any():
        return fast
    text = raw[slow].str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    out = text.copy()
    euro = both & comma_last
    out[euro] = text[euro].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    us = both & ~comma_last
    out[us] = text[us].str.replace(",", "", regex=False)
    only_comma = ~both & text.str.contains(",", regex=False)
    ambiguous = only_comma & text.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+")
    single = only_comma & ~ambiguous & (text.str.count(",") == 1)
    out[single] = text[single].str.replace(",", ".", regex=False)
    out[ambiguous | (only_comma & ~single)] = ""
    ok = out.str.fullmatch(_NUMBER.pattern)
    fast[slow] = pd.to_numeric(out.where(ok, ""), errors="coerce").astype("float64")
    return fast.where(np.isfinite(fast))  # the slow path may overflow too ("1e309" → inf)


_DATE_FORMATS: Final = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y",
                        "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO ``YYYY-MM-DD`` text of dates written ISO, day-first (``31/12/2025``) or Chinese
    (``2025年12月31日``); ``""`` → ``""``, unreadable → NaN.

    Examples
    --------
    >>> parse_dates(pd.Series(["2025-12-31", "31/12/2025", "2025年1月2日", "", "soon"])).tolist()
    ['2025-12-31', '2025-12-31', '2025-01-02', '', nan]
    """
    return per_unique(values.astype("str"), _parse_dates).astype("str")


def _parse_dates(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip()
    found = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = found.isna() & (text != "")
        if not todo.any():
            break
        found[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    out = found.dt.strftime("%Y-%m-%d").astype("str")
    return out.where(text != "", "").astype("str")


def normalise_nace(values: pd.Series) -> pd.Series:
    """NACE Rev. 2 codes as ``DD``, ``DD.D`` or ``DD.DD`` (section letter and dots optional
    on input: ``C20.14``, ``2014``, ``20.1``); ``""`` stays ``""``, other text → NaN.

    Examples
    --------
    >>> normalise_nace(pd.Series(["C20.14", "2014", "20.1", "20", "", "chemicals"])).tolist()
    ['20.14', '20.14', '20.1', '20', '', nan]
    """
    return per_unique(values.astype("str"), _normalise_nace).astype("str")


def _normalise_nace(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.upper()
    parts = text.str.extract(r"^(?:[A-U]\s*)?(\d{2})(?:\.?(\d{1,2}))?$")
    code = parts[0].where(parts[1].isna(), parts[0] + "." + parts[1].fillna(""))
    out = code.where(parts[0].notna(), np.nan)
    return out.where(text != "", "").astype("str")
