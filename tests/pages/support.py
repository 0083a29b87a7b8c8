"""Helpers for AppTest tests: open a page through ``app.py``, click a download.

Pages run through the frame (``app.py``) so that navigation, the sidebar and page links are
real. AppTest drops sidebar widget state across ``switch_page``, so the role and programme
are set as session state (``Key.VIEWER_ROLE``, ``Key.PROGRAMME_NAME``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pandas as pd
from google.protobuf import text_format
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorage
from streamlit.testing.v1 import AppTest

from geo.settings import Role
from tests.paths import ROOT
from ui import Key

APP = str(ROOT / "app.py")


def open_page(page: str, *, role: Role = "practitioner", programme: str | None = None,
              state: Mapping[str, object] | None = None, timeout: float = 120) -> AppTest:
    """Run ``app.py`` on ``page`` (e.g. ``"pages/reports.py"``) and check it raised nothing."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state[Key.VIEWER_ROLE] = role
    if programme is not None:
        at.session_state[Key.PROGRAMME_NAME] = programme
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


class RecordingMediaFileManager(MediaFileManager):
    """Streamlit's media file manager, remembering the one of the latest AppTest run.

    AppTest drops its runtime after each run; a test clicks a download of that run through
    :attr:`latest` (installed by the ``served_app`` fixture of ``tests/pages/conftest.py``).
    """

    latest: ClassVar[MediaFileManager | None] = None

    def __init__(self, storage: MediaFileStorage) -> None:
        super().__init__(storage)
        RecordingMediaFileManager.latest = self


def downloads(at: AppTest) -> dict[str, bool]:
    """Every download button on the page by key: whether its file is built only on click."""
    return {str(b.key): bool(b.proto.deferred_file_id) for b in at.get("download_button")}


def click_download(at: AppTest, key: str) -> bytes:
    """The file the download button ``key`` gives when clicked (its builder runs now).

    Fails if the button carries ready-made bytes, i.e. built them on the rerun.
    """
    button = next(b for b in at.get("download_button") if b.key == key)
    file_id = button.proto.deferred_file_id
    assert file_id, f"download {key!r} built its bytes on the rerun, not on click"
    files = RecordingMediaFileManager.latest
    assert files is not None, "run the AppTest first"
    url = files.execute_deferred(file_id)
    stored = files.read_file(url.rsplit("/", 1)[-1])
    assert stored is not None, url
    return bytes(stored.content)


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table showing all of ``columns`` (display tables carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def page_text(at: AppTest) -> str:
    """Everything the page sends to the browser, as text: every element's message (map HTML
    included) and every table's values."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)
