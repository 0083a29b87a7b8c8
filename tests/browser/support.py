"""Helpers for real-browser tests: run the app, drive Debian's Chromium with Playwright.

Every request that is not to the local app is blocked and recorded, so a test proves the page
works with no internet at all.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def require_browser() -> None:
    """Skip (or fail in CI, where SYMBIOMAP_REQUIRE_BROWSER=1) when no browser is available."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install playwright)")
    if missing:
        msg = "browser test needs " + ", ".join(missing)
        if os.environ.get("SYMBIOMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    return _free_port()


@contextlib.contextmanager
def running_app(data_dir: Path, *, port: int | None = None,
                env_extra: dict[str, str] | None = None,
                args: tuple[str, ...] = ()) -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free local port; yield its base URL.

    ``env_extra`` adds environment variables (e.g. ``SYMBIOMAP_MODE=server``) and ``args``
    Streamlit options (e.g. ``--secrets.files``).
    """
    port = port or _free_port()
    env = {**os.environ, "SYMBIOMAP_DATA_DIR": str(data_dir),
           "SYMBIOMAP_NOMINATIM": "0", "SYMBIOMAP_ONLINE_OSM": "0", **(env_extra or {})}
    log = (data_dir / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError((data_dir / "streamlit.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the app did not start within 90 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@dataclass
class OfflinePage:
    """A Playwright page whose requests outside the app are blocked and recorded."""

    page: object
    blocked: list[str] = field(default_factory=list)


def map_frame(page, *, timeout_ms: int = 120_000):
    """The first st_folium iframe whose Leaflet map has been created."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.evaluate("() => !!document.querySelector('.leaflet-container')"
                                  " && typeof window.L !== 'undefined'"):
                    return frame
        page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / "no-map.png"), full_page=True)
    text = ""
    with contextlib.suppress(Exception):
        text = page.inner_text("body")[:2000]
    raise AssertionError(f"no Leaflet map appeared on the page {page.url}; it shows: {text}")


def wait_idle(page, *, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit's script is not running and has stayed so for half a second.

    A click while a rerun is still running can be lost when the rerun replaces the widget.
    (``stStatusWidget`` appears only after a delay, so the app's script state is read.)
    """
    page.wait_for_function(
        """() => new Promise(resolve => {
             const idle = () => document.querySelector('.stApp')
               && document.querySelector('.stApp').getAttribute('data-test-script-state')
                  !== 'running';
             if (!idle()) { resolve(false); return; }
             setTimeout(() => resolve(idle()), 500);
           })""",
        timeout=timeout_ms)


def click_download(page, name: str, *, timeout_ms: int = 60_000):
    """Click the download button ``name`` (built on the server when clicked) and return the
    download; clicked once more if the first click was swallowed by a rerun."""
    for attempt in range(2):
        wait_idle(page)
        try:
            with page.expect_download(timeout=timeout_ms // 2 if attempt == 0 else timeout_ms
                                      ) as download:
                page.get_by_role("button", name=name).click()
            return download.value
        except Exception:
            if attempt:
                raise
    raise AssertionError("unreachable")


COUNT_LAYERS_JS = """
() => {
  const maps = Object.keys(window)
    .filter(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  const out = {maps: maps.length, points: 0, polygons: 0, lines: 0, images: 0, tiles: 0};
  for (const k of maps) {
    window[k].eachLayer(l => {
      if (l instanceof L.ImageOverlay) out.images++;
      if (l instanceof L.TileLayer) out.tiles++;
      if (!l.feature) return;
      const t = l.feature.geometry && l.feature.geometry.type;
      if (t === 'Point') out.points++;
      else if (t && t.includes('Polygon')) out.polygons++;
      else if (t && t.includes('LineString')) out.lines++;
    });
  }
  return out;
}
"""


STYLES_FROM_PROPERTIES_JS = """
() => {
  // For every drawn feature with a `fill` or `r` property: does Leaflet's style agree?
  const maps = Object.keys(window)
    .filter(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  const out = {checked: 0, wrong: 0, fills: new Set()};
  for (const k of maps) {
    window[k].eachLayer(l => {
      const p = l.feature && l.feature.properties;
      if (!p || !l.options) return;
      if (p.fill !== undefined) {
        out.checked++; out.fills.add(l.options.fillColor);
        if (l.options.fillColor !== p.fill) out.wrong++;
      }
      if (p.r !== undefined && l.getRadius) {
        out.checked++;
        if (Math.abs(l.getRadius() - p.r) > 1e-9) out.wrong++;
      }
    });
  }
  return {checked: out.checked, wrong: out.wrong, fills: out.fills.size};
}
"""
"""Feature styles read from properties in the browser (``layers.geojson.GeoJson(style_from=…)``)
compared with those properties: counts checked, wrong, and distinct fill colours."""


@contextlib.contextmanager
def offline_page(browser, app_url: str, *, width: int = 1400,
                 height: int = 1100, also: tuple[str, ...] = ()
                 ) -> Iterator[tuple[object, list[str]]]:
    """A new page that may reach only the app at ``app_url`` (and the origins in ``also``,
    e.g. a local identity provider); yields (page, blocked URLs)."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    blocked: list[str] = []

    def guard(route, request) -> None:
        if request.url.startswith((app_url, *also, "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    ctx.route("**/*", guard)
    try:
        yield ctx.new_page(), blocked
    finally:
        ctx.close()
