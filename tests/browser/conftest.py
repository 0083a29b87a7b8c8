"""Fixtures of the real-browser tests (helpers in ``tests/browser/support.py``).

- ``app_url``: the app (``streamlit run app.py``) on a free local port, one per session; a
  module may override it with its own server on seeded data;
- ``browser``: headless Debian Chromium driven by Playwright, one per session;
- ``page``: a fresh page that may reach only the app, with the list of blocked URLs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    offline_page,
    require_browser,
    running_app,
)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app (``streamlit run app.py``) on a free local port, shared by browser tests.

    A module may override it with its own server (e.g. one started on seeded data).
    """
    require_browser()
    with running_app(tmp_path_factory.mktemp("app")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download), one per session."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url: str):
    """A fresh page that may reach only the app; yields (page, blocked URLs)."""
    with offline_page(browser, app_url) as pair:
        yield pair
