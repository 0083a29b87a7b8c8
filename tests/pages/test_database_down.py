"""The programme database unreachable: one clear message and no traceback; the demo still works."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import APP
from ui import Key

DOWN = "postgresql+psycopg://symbiomap@127.0.0.1:9/symbiomap?connect_timeout=2"
"""Nothing listens on port 9 of this machine."""


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database URL of this test points at a port where nothing answers."""
    pytest.importorskip("psycopg")
    monkeypatch.setenv("SYMBIOMAP_DATABASE_URL", DOWN)


@pytest.mark.usefixtures("database_down")
def test_demo_works_and_the_sidebar_says_the_database_is_down() -> None:
    """With the database down the demo's overview renders, and the sidebar says why only the
    demo is offered."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert any("cannot be reached" in c.value for c in at.sidebar.caption)
    assert at.title


@pytest.mark.usefixtures("database_down")
def test_a_stored_programme_gets_one_message_not_a_traceback() -> None:
    """A page of a stored programme shows one error naming the database, and nothing else."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[Key.PROGRAMME_NAME] = "Somewhere stored"
    at.switch_page("pages/browse.py").run()
    assert not at.exception, at.exception
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and "cannot be reached" in messages[0]
    assert "Nothing was read or saved" in messages[0]
    assert not at.dataframe
