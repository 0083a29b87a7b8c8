"""Fixtures for every test and docstring example (tests/, geo/, layers/).

Each starts in the source language and leaves it so: a test that sets a language
(``geo.i18n.set_locale``, a page run in Chinese, the CLI's ``--lang``) must not change what
the next test or example reads.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> Iterator[None]:
    from geo.i18n import DEFAULT_LOCALE, set_locale

    set_locale(DEFAULT_LOCALE)
    yield
    set_locale(DEFAULT_LOCALE)
