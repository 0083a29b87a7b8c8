"""Fixtures of the AppTest page tests (helpers in ``tests/pages/support.py``).

``served_app`` (automatic) runs every AppTest as on a server that has already served its
first request; ``first_request`` undoes it for the tests of that first request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.pages_manager import PagesManager

from tests.pages.support import RecordingMediaFileManager

_APP_TEST_PAGES_MANAGER = app_test.PagesManager


class _ServedPagesManager(PagesManager):
    """Streamlit's pages manager, past the legacy ``pages/`` detection of a fresh server."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def served_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run AppTests as on a server that has served its first request.

    AppTest resets Streamlit's legacy ``pages/`` flag before every run, so each run would
    start like a fresh server's first request, which ``ui.legacy_pages`` answers with a rerun
    through ``app.py`` — dropping a button click made for that run. A real server meets that
    path once, on a first request that carries no click; ``test_frame.py`` tests it.
    Also keeps each run's media files, so that a test can click a download.
    """
    monkeypatch.setattr(app_test, "PagesManager", _ServedPagesManager)
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingMediaFileManager)
    yield


@pytest.fixture
def first_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTests as a fresh server's first request (Streamlit's legacy ``pages/`` mode)."""
    monkeypatch.setattr(app_test, "PagesManager", _APP_TEST_PAGES_MANAGER)


@pytest.fixture
def empty_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory (and so an empty programme database) for this test only."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    return tmp_path
