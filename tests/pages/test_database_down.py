"""The programme database unreachable: one clear message and no traceback; the demo still works."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.support import APP
from tests.pages.test_frame import PAGES
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


@pytest.mark.usefixtures("database_down")
@pytest.mark.parametrize("page", PAGES)
def test_a_rerun_tries_the_database_once_and_the_next_rerun_again(
        page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the database host gone every attempt waits for the connect timeout: a rerun of
    any page tries once, and its later reads (the frame's page contexts, the programme list,
    the rules, the page's own reads) give the same answer at once. The next rerun tries
    again, so the session recovers when the database is back."""
    import geo.store

    attempts: list[str] = []
    real_open = geo.store.open_store

    def counted(url: str, *args: object, **kwargs: object) -> object:
        attempts.append(url)
        return real_open(url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(geo.store, "open_store", counted)
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert any("cannot be reached" in c.value for c in at.sidebar.caption)
    assert len(attempts) == 1
    at.run()
    assert not at.exception, at.exception
    assert len(attempts) == 2


@pytest.mark.usefixtures("database_down")
def test_a_viewer_of_the_demo_runs_on_the_default_rules() -> None:
    """The package's demo needs nothing from the database: a viewer's Concentrations page
    draws its release streams on the installation's rules."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[Key.VIEWER_ROLE] = "viewer"
    at.switch_page("pages/concentrations.py").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="conc_release_streams")
