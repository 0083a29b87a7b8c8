"""Tolerant matching of a file's column headers to the fields of the programme model.

Headers are compared after :func:`~geo.importer.values.fold` (case, accents, spaces and
punctuation ignored) against aliases in English, Portuguese, Spanish, French, German,
Finnish, Italian and Chinese. A unit in the header — ``Quantity (t/yr)``, ``Qty [tpa]``,
``tonnes per year``, ``数量（吨/年）`` — sets the unit of rows that give none. Columns that
match no field are kept as extras and reported; a second column for the same field is
reported too (the first wins).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from geo.importer.values import fold, unit_of

__all__ = ["FIELDS", "FIELD_ALIASES", "META_COLUMNS", "HeaderMatch", "match_headers"]

FIELD_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "name": ("name", "company", "company name", "site", "site name", "member", "member name",
             "organisation", "organization", "organisation name", "organization name", "firm",
             "business", "business name", "enterprise", "facility", "facility name",
             "empresa", "nome", "nome da empresa", "razao social", "entidade", "nombre",
             "nombre de la empresa", "entreprise", "nom", "raison sociale", "unternehmen",
             "firma", "firmenname", "yritys", "yrityksen nimi", "nimi", "azienda",
             "ragione sociale", "企业名称", "企业", "公司", "公司名称", "单位名称", "名称",
             "企业名"),
    "sector_nace": ("sector", "nace", "nace code", "nace rev 2", "sector nace", "industry",
                    "industry code", "activity code", "cae", "cnae", "setor", "setor de atividade",
                    "sector de actividad", "secteur", "branche", "toimiala", "settore", "行业",
                    "行业代码", "国民经济行业代码"),
    "address": ("address", "street", "street address", "morada", "endereco", "direccion",
                "adresse", "anschrift", "osoite", "indirizzo", "地址", "详细地址"),
    "postcode": ("postcode", "post code", "postal code", "zip", "zip code", "zipcode",
                 "codigo postal", "cod postal", "cp", "code postal", "postleitzahl", "plz",
                 "postinumero", "cap", "邮编", "邮政编码"),
    "city": ("city", "town", "municipality", "cidade", "localidade", "concelho", "municipio",
             "ciudad", "ville", "commune", "stadt", "ort", "gemeinde", "kaupunki", "kunta",
             "paikkakunta", "citta", "comune", "城市", "市"),
    "country": ("country", "country code", "pais", "pays", "land", "maa", "paese", "国家"),
    "lon": ("lon", "lng", "long", "longitude", "x", "longitud", "laengengrad", "langengrad",
            "pituus", "pituusaste", "经度", "东经"),
    "lat": ("lat", "latitude", "y", "latitud", "breitengrad", "leveys", "leveysaste", "纬度",
            "北纬"),
    "direction": ("direction", "have want", "have or want", "haves wants", "have need",
                  "h w", "supply demand", "offer need", "offer demand", "offer want",
                  "input output", "oferta procura", "oferta demanda", "oferta ou procura",
                  "offre demande", "angebot nachfrage", "tarjonta kysynta", "供需", "供需类型",
                  "供 需"),
    "resource_class": ("resource class", "class", "category", "resource type",
                       "resource category", "classe", "categoria", "categorie", "kategorie",
                       "luokka", "类别", "资源类别"),
    "ewc_code": ("ewc", "ewc code", "ewc no", "ewc number", "low", "low code", "list of waste",
                 "list of wastes", "list of waste code", "waste code", "waste catalogue code",
                 "eural", "eural code", "ler", "codigo ler", "cod ler", "cer", "codice cer",
                 "code dechet", "code cer", "avv", "avv nummer", "abfallschluessel",
                 "abfallschlussel", "jatekoodi", "jatenimike", "废物代码", "废物类别代码",
                 "危废代码", "危险废物代码"),
    "description": ("description", "resource", "resource description", "material", "waste",
                    "waste description", "item", "details", "descricao", "residuo",
                    "designacao", "descripcion", "designation", "beschreibung", "kuvaus",
                    "descrizione", "描述", "废物名称", "物料", "资源描述", "说明"),
    "quantity": ("quantity", "qty", "amount", "annual quantity", "quantity per year",
                 "tonnage", "quantidade", "qtd", "cantidad", "quantite", "menge", "maara",
                 "quantita", "数量", "年产生量", "产生量", "年产量", "年需求量", "需求量"),
    "unit": ("unit", "units", "uom", "unit of measure", "unidade", "unidad", "unite",
             "einheit", "yksikko", "unita", "单位", "计量单位"),
    "frequency": ("frequency", "frequencia", "periodicidade", "frecuencia", "frequence",
                  "haufigkeit", "haeufigkeit", "toistuvuus", "频率", "频次"),
    "fate": ("fate", "current fate", "destination", "disposal route", "current route",
             "treatment", "current treatment", "destino", "destino final", "tratamento",
             "tratamiento", "devenir", "entsorgung", "kasittely", "处置方式", "去向"),
    "disposal_cost_per_year": ("disposal cost", "disposal cost per year", "annual disposal cost",
                               "cost", "annual cost", "custo", "custo de eliminacao", "coste",
                               "cout", "kosten", "kustannus", "处置费用", "费用"),
    "recorded_on": ("date", "recorded on", "recorded", "survey date", "data", "fecha",
                    "datum", "paivamaara", "日期"),
    "provenance": ("provenance", "source", "data source", "origem", "fonte", "fuente",
                   "origine", "quelle", "lahde", "来源"),
}
"""Field → header spellings (compared folded)."""

FIELDS: Final = tuple(FIELD_ALIASES)
META_COLUMNS: Final = ("_row", "_errors", "_reject_key")
"""Columns added to a rejects file; ignored (not reported) when it is imported again."""

_LOOKUP: Final = {fold(alias): f for f, aliases in FIELD_ALIASES.items() for alias in aliases}
_COMPACT: Final = {alias.replace(" ", ""): f for alias, f in _LOOKUP.items()}
_BRACKETS: Final = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")


@dataclass(frozen=True)
class HeaderMatch:
    """How a file's headers map to fields.

    Attributes
    ----------
    fields : dict
        Field → the header it is read from.
    units : dict
        Field → unit given in its header (``{"quantity": "t/yr"}``).
    extras : tuple of str
        Headers that match no field (kept in the frame, not stored).
    duplicates : dict
        Header → the field it also matched (a second column for the same field; ignored).
    meta : tuple of str
        Rejects-file columns found (``_row``, ``_errors``, ``_reject_key``).
    """

    fields: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    extras: tuple[str, ...] = ()
    duplicates: dict[str, str] = field(default_factory=dict)
    meta: tuple[str, ...] = ()

    def header_of(self, name: str) -> str:
        """The header a field was read from, or the field name when absent."""
        return self.fields.get(name, name)


def _field_of(header: str) -> tuple[str | None, str | None]:
    """(field, unit) of one header."""
    text = str(header)
    unit = None
    for inner in _BRACKETS.findall(text):
        unit = unit or unit_of(inner)
    base = _BRACKETS.sub(" ", text)
    f = _LOOKUP.get(fold(base)) or _COMPACT.get(fold(base).replace(" ", ""))
    if f is None and unit_of(base):  # "tonnes per year", "t/yr", "吨/年"
        return "quantity", unit_of(base)
    if f is None:  # "Quantity t/yr", "qty - tpa": a field alias followed by a unit
        words = fold(base).split()
        for cut in range(len(words) - 1, 0, -1):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            if _LOOKUP.get(head) and unit_of(tail):
                return _LOOKUP[head], unit_of(tail)
    return f, unit if f in ("quantity", None) else None


def match_headers(headers: Sequence[str]) -> HeaderMatch:
    """Match headers to fields.

    Examples
    --------
    >>> m = match_headers(["Empresa", "Código LER", "Quantity (t/yr)", "Notes"])
    >>> m.fields
    {'name': 'Empresa', 'ewc_code': 'Código LER', 'quantity': 'Quantity (t/yr)'}
    >>> m.units, m.extras
    ({'quantity': 't/yr'}, ('Notes',))
    """
    fields: dict[str, str] = {}
    units: dict[str, str] = {}
    extras: list[str] = []
    duplicates: dict[str, str] = {}
    meta: list[str] = []
    for header in headers:
        if header in META_COLUMNS:
            meta.append(header)
            continue
        f, unit = _field_of(header)
        if f is None:
            extras.append(header)
        elif f in fields:
            duplicates[header] = f
        else:
            fields[f] = header
            if unit:
                units[f] = unit
    return HeaderMatch(fields=fields, units=units, extras=tuple(extras),
                       duplicates=duplicates, meta=tuple(meta))
