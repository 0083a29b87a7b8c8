"""Server mode through app.py: sign-in, roles per page, revocation, park scope (AppTest users).

Each test runs with ``SYMBIOMAP_MODE=server``, an ``[auth]`` section in the secrets and a
fresh database holding the users and grants it needs; ``AppTest.user`` plays the identity the
provider's cookie would carry.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo.access import ROLES, add_user, can_open, grant, set_active
from geo.demo import DEMO_NAME, load_demo_programme
from geo.store import Store, open_store
from tests.pages.support import APP
from ui import Key

PAGES = {"overview": "pages/home.py", "site": "pages/site.py", "browse": "pages/browse.py",
         "import": "pages/import_data.py", "locate": "pages/geocode.py",
         "concentrations": "pages/concentrations.py", "site_finder": "pages/site_finder.py",
         "milk_round": "pages/milk_round.py", "synergies": "pages/synergies.py",
         "workshop": "pages/workshop.py", "reports": "pages/reports.py",
         "users": "pages/users.py", "about": "pages/about.py"}
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 40,
        "client_id": "symbiomap", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """Server mode on an empty database; yields the store to add users and grants to."""
    monkeypatch.setenv("SYMBIOMAP_MODE", "server")
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    yield open_store()


def _user(store: Store, sub: str, role: str | None, *, parks: tuple[str, ...] = ()) -> None:
    add_user(store, sub, email=f"{sub}@example.org", name=sub.title(), actor="test")
    if role:
        grant(store, sub, role, programme=DEMO_NAME, available=[DEMO_NAME], parks=parks,
              actor="test")


def _app(sub: str | None, page: str = "pages/home.py", **claims: Any) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = ({"is_logged_in": True, "sub": sub, "email": f"{sub}@example.org",
                "iat": int(time.time()), **claims} if sub else {"is_logged_in": False})
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "info", "warning")
             for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def _refused(at: AppTest) -> bool:
    return any("may not open this page" in e.value for e in at.error)


def test_signed_out_visitor_sees_only_the_sign_in_button(server: Store) -> None:
    """Without a sign-in nothing but a sign-in button is shown; no programme data."""
    at = _app(None, "pages/site.py")
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.sidebar.selectbox


def test_unknown_person_is_told_to_ask_the_administrator(server: Store) -> None:
    """A signed-in subject the database does not know sees a refusal naming its identifier."""
    at = _app("sub-stranger")
    assert any("ask your programme administrator" in e.value.lower() for e in at.error)
    assert "sub-stranger" in _text(at)
    assert not at.dataframe and not at.sidebar.selectbox


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_exactly_its_pages(server: Store, role: str) -> None:
    """For each role and page: pages of the role render, the others show only a refusal."""
    _user(server, "sub-x", role)
    for page, path in PAGES.items():
        at = _app("sub-x", path)
        if can_open(role, page):
            assert not _refused(at), (role, page)
        else:
            assert _refused(at), (role, page)
            assert not at.dataframe, (role, page)


def test_viewer_roles_never_see_company_names(server: Store) -> None:
    """No page a park authority or investor may open shows a member company's name."""
    names = set(load_demo_programme().sites["name"].astype(str))
    for role in ("park_authority", "investor"):
        server_sub = f"sub-{role}"
        _user(server, server_sub, role)
        for page, path in PAGES.items():
            if not can_open(role, page):
                continue
            at = _app(server_sub, path)
            shown = _text(at) + "\n".join(str(df.value.to_csv()) for df in at.dataframe)
            leaked = [n for n in names if len(n) > 6 and n in shown]
            assert not leaked, (role, page, leaked[:3])


def test_revoked_role_takes_effect_on_the_next_rerun(server: Store) -> None:
    """A practitioner whose role is revoked between two clicks is refused at the second."""
    _user(server, "sub-p", "practitioner")
    at = _app("sub-p", "pages/synergies.py")
    assert not _refused(at) and at.dataframe
    from geo.access import revoke

    revoke(server, "sub-p", "practitioner", actor="test")
    at.run()
    assert any("no role" in e.value.lower() for e in at.error)
    assert not at.dataframe


def test_disabled_person_with_a_valid_cookie_is_refused(server: Store) -> None:
    """Disabling a user refuses them at their next interaction despite the cookie."""
    _user(server, "sub-d", "investor")
    at = _app("sub-d")
    assert not at.error, [e.value for e in at.error]
    set_active(server, "sub-d", False, actor="test")
    at.run()
    assert any("switched off" in e.value for e in at.error), [e.value for e in at.error]


def test_old_sign_in_must_be_renewed(server: Store) -> None:
    """A sign-in older than the session cap shows a renewal button and no data."""
    _user(server, "sub-o", "practitioner")
    at = _app("sub-o", iat=int(time.time()) - 13 * 3600)
    assert [b.label for b in at.button] == ["Sign in again"]
    assert not at.dataframe


def test_park_authority_sees_only_its_parks(server: Store) -> None:
    """A park authority limited to one park gets a programme of that park only."""
    _user(server, "sub-pa", "park_authority", parks=("KAR-P1",))
    at = _app("sub-pa", "pages/browse.py")
    park = load_demo_programme().parks.set_index("park_id").loc["KAR-P1", "name"]
    assert at.multiselect(key="br_parks").options == [park]


def test_viewer_cannot_preview_their_way_to_companies(server: Store) -> None:
    """The preview switch is offered only to roles that see companies, and setting it by hand
    gives an investor nothing more."""
    _user(server, "sub-i", "investor")
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "sub": "sub-i", "iat": int(time.time())}
    at.session_state[Key.VIEWER_ROLE] = "practitioner"
    at.switch_page("pages/site.py").run()
    assert _refused(at) and not at.dataframe
    assert not at.sidebar.radio


def test_server_mode_without_auth_section_refuses_to_start(server: Store) -> None:
    """Server mode with no identity provider configured says how to set one up."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("[auth] section" in e.value for e in at.error)
