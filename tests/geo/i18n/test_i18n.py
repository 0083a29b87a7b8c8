"""Tests of geo.i18n: per-session languages, catalogues in step with the code, formats."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from geo.i18n import (
    PSEUDO_LOCALE,
    _,
    current_locale,
    format_date,
    format_number,
    format_tonnes,
    match_locale,
    set_locale,
    use_locale,
)
from geo.i18n.catalogs import check


def test_every_string_of_ours_has_a_translation_in_every_catalogue() -> None:
    """The catalogues hold every marked string of the code, translated, placeholders intact
    (run ``python -m geo i18n update`` after changing strings, then translate)."""
    problems = check()
    assert not problems, "\n".join(f"{p.locale}: {p.issue}: {p.msgid!r}" for p in problems[:40])


def test_two_sessions_in_two_languages_stay_apart() -> None:
    """Threads (like Streamlit sessions) each keep their own language while running at once."""
    barrier = threading.Barrier(2)
    seen: dict[str, list[str]] = {}

    def session(locale: str) -> None:
        set_locale(locale)
        out = []
        for _i in range(200):
            barrier.wait(timeout=10) if _i == 0 else None
            out.append(format_tonnes(1234.5))
        seen[locale] = out

    threads = [threading.Thread(target=session, args=(loc,)) for loc in ("zh_CN", "pt_BR")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen["zh_CN"]) == {"1,234.5 吨"}
    assert set(seen["pt_BR"]) == {"1.234,5 t"}
    assert current_locale() == "en_GB"  # this thread never changed


@pytest.mark.parametrize(("locale", "number", "date"), [
    ("en_GB", "1,234,567.9", "6 Dec 2026"),
    ("pt_BR", "1.234.567,9", "6 de dez. de 2026"),
    ("zh_CN", "1,234,567.9", "2026年12月6日"),
])
def test_numbers_and_dates_follow_the_language(locale: str, number: str, date: str) -> None:
    """Grouping, decimal marks and dates are written as each language writes them."""
    with use_locale(locale):
        assert format_number(1234567.89, digits=1) == number
        assert format_date(dt.date(2026, 12, 6)) == date


def test_browser_and_url_languages_match_shipped_ones() -> None:
    """Tags in any form map to a shipped language; an unknown one matches nothing."""
    assert match_locale("pt-br") == "pt_BR"
    assert match_locale(["de-DE", "zh-TW"]) == "zh_CN"
    assert match_locale("xx", None) is None


def test_pseudo_locale_marks_every_translated_string() -> None:
    """In the pseudo-locale a translated string is bracketed and keeps its placeholders."""
    with use_locale(PSEUDO_LOCALE):
        text = _("t/yr")
    assert text.startswith("⟦") and text.endswith("⟧")


def test_labels_kept_in_data_files_are_extracted_for_translators() -> None:
    """Stream groups, technology profiles and compatibility rationales are ours and users
    read them: they reach the catalogues, each with the file it came from."""
    from geo.i18n.catalogs import data_texts, extract

    texts = {text: where for where, text in data_texts()}
    assert texts["Plastics"][0] == "data/catalogue/streams.csv"
    assert texts["Anaerobic digestion of food and organic waste"][0] == \
        "data/technologies/profiles.json"
    assert any(where[0] == "data/matching/compatibility.csv" for where in texts.values())
    template = extract()
    assert template.get("Plastics") is not None
    assert not any("Biogas yields" in text for text in texts)  # citations stay as cited


def test_an_absurd_number_is_written_not_a_crash() -> None:
    """A stored 1e300 (a typo that slipped in before a bound existed) is written in scientific
    notation instead of raising from babel's decimal context (it broke the CLI workbook)."""
    from geo.i18n import format_number, use_locale
    from geo.i18n.formats import format_money

    assert format_number(1e300) == "1E300"
    assert format_money(-1e300, "EUR").endswith("EUR")
    with use_locale("pt_BR"):
        assert format_number(1.5e300) == "1,5E300"
    assert format_number(123456.7) == "123,457"  # ordinary numbers as before
