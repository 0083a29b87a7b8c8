"""Server mode in Chromium: a real OpenID Connect sign-in against a local provider, two users
in two roles, what the browser receives, revocation at the next click, and bad uploads.

The provider is ``oidc-provider-mock`` (started here, on loopback, with two predefined users);
the app runs with ``SYMBIOMAP_MODE=server`` and an ``[auth]`` section pointing at it. Every
request that is not to the app or the provider is blocked and recorded.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.access import add_user, grant, revoke
from geo.demo import DEMO_NAME, load_demo_programme
from geo.store import open_store
from tests.browser.support import ARTIFACTS, free_port, offline_page, require_browser, running_app

pytestmark = pytest.mark.browser

PROVIDER_ASSETS = ("https://cdn.jsdelivr.net/npm/@picocss/",)
"""The mock provider's own page styles itself from a CDN (blocked here; not SymbioMap's)."""

USERS = {"alice-sub": ("Alice Practitioner", "practitioner", ()),
         "bob-sub": ("Bob Park", "park_authority", ("KAR-P1",))}


@contextlib.contextmanager
def _provider(port: int, log: Path) -> Iterator[str]:
    claims = [json.dumps({"sub": sub, "email": f"{sub}@example.org", "email_verified": True,
                          "name": name}) for sub, (name, _, _) in USERS.items()]
    args = [a for c in claims for a in ("--user-claims", c)]
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-W", "ignore", "-m", "oidc_provider_mock",
                                 "--port", str(port), *args], stdout=out,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1)
                    break
                except OSError:
                    time.sleep(0.25)
            else:
                raise RuntimeError(log.read_text()[-2000:])
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The provider and the app in server mode on a database that knows Alice and Bob."""
    require_browser()
    data = tmp_path_factory.mktemp("server")
    store = open_store(f"sqlite:///{data / 'symbiomap.db'}")
    for sub, (name, role, parks) in USERS.items():
        add_user(store, sub, email=f"{sub}@example.org", name=name, actor="test")
        grant(store, sub, role, programme=DEMO_NAME, available=[DEMO_NAME], parks=parks,
              actor="test")
    oidc_port, app_port = free_port(), free_port()
    with _provider(oidc_port, data / "oidc.log") as oidc:
        secrets = data / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
            f'cookie_secret = "{"s3cr3t-" * 8}"\n'
            'client_id = "symbiomap-test"\nclient_secret = "not-a-secret"\n'
            f'server_metadata_url = "{oidc}/.well-known/openid-configuration"\n')
        with running_app(data, port=app_port, env_extra={"SYMBIOMAP_MODE": "server"},
                         args=("--secrets.files", str(secrets))) as app:
            yield {"app": app, "oidc": oidc, "store": store}


def _sign_in(page: Any, server: dict[str, Any], sub: str) -> list[bytes]:
    """Sign ``sub`` in through the provider's page; returns the websocket frames received."""
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda data: frames.append(data if isinstance(data, bytes)
                                                    else data.encode())))
    page.goto(server["app"])
    page.get_by_role("button", name="Sign in").click(timeout=120_000)
    page.wait_for_url(f"{server['oidc']}/**", timeout=60_000)
    page.get_by_role("button", name=sub).click()
    page.wait_for_url(f"{server['app']}/**", timeout=60_000)
    page.get_by_text(USERS[sub][0]).first.wait_for(timeout=120_000)
    return frames


def test_deep_link_as_first_request_shows_only_the_sign_in(browser: Any,
                                                           server: dict[str, Any]) -> None:
    """A deep link to a company page as a fresh server's very first request asks to sign in
    and shows nothing of the page (the legacy pages/ mode runs it through app.py)."""
    with offline_page(browser, server["app"], also=(server["oidc"],)) as (page, blocked):
        page.goto(f"{server['app']}/site?site=KAR-S010")
        page.get_by_role("button", name="Sign in").wait_for(timeout=120_000)
        page.wait_for_timeout(3000)
        assert page.get_by_text("Contacts").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        assert not blocked, blocked


def test_two_people_sign_in_and_see_what_their_roles_allow(browser: Any,
                                                          server: dict[str, Any]) -> None:
    """Alice (practitioner) opens a site's page; Bob (park authority) is refused there, and
    nothing Bob's browser receives names a company."""
    ARTIFACTS.mkdir(exist_ok=True)
    names = sorted({n for n in load_demo_programme().sites["name"].astype(str) if len(n) > 6})
    with offline_page(browser, server["app"], also=(server["oidc"],)) as (page, blocked):
        _sign_in(page, server, "alice-sub")
        page.get_by_text("Practitioner").first.wait_for()
        page.goto(f"{server['app']}/site?site=KAR-S010")
        page.get_by_text("Contacts").first.wait_for(timeout=120_000)
        page.screenshot(path=str(ARTIFACTS / "sign-in-alice-site.png"))
        assert not [u for u in blocked if not u.startswith(PROVIDER_ASSETS)], blocked
    with offline_page(browser, server["app"], also=(server["oidc"],)) as (page, blocked):
        frames = _sign_in(page, server, "bob-sub")
        page.get_by_text("Park authority").first.wait_for()
        for path in ("", "/concentrations", "/reports", "/browse"):
            page.goto(f"{server['app']}{path}")
            page.wait_for_timeout(6000)
        page.goto(f"{server['app']}/site?site=KAR-S010")
        page.get_by_text("may not open this page").wait_for(timeout=120_000)
        page.screenshot(path=str(ARTIFACTS / "sign-in-bob-site-refused.png"))
        received = b"".join(frames)
        leaked = [n for n in names if n.encode() in received]
        assert not leaked, leaked[:5]
        assert not [u for u in blocked if not u.startswith(PROVIDER_ASSETS)], blocked


def test_revoked_role_is_refused_at_the_next_click(browser: Any,
                                                   server: dict[str, Any]) -> None:
    """Revoking a signed-in person's role refuses them at their next interaction."""
    with offline_page(browser, server["app"], also=(server["oidc"],)) as (page, _):
        _sign_in(page, server, "alice-sub")
        revoke(server["store"], "alice-sub", "practitioner", actor="test")
        try:
            page.get_by_role("link", name="Data & licences").click()
            page.get_by_text("no role in any programme").wait_for(timeout=120_000)
        finally:
            grant(server["store"], "alice-sub", "practitioner", programme=DEMO_NAME,
                  available=[DEMO_NAME], actor="test")
