"""Timing a change in a Streamlit page in headless Chromium, to the map drawn.

Shared by ``pages_bench.py`` (one browser, every page) and ``server_sessions.py`` (twenty
sessions at once):

- :data:`WAIT_JS` waits in the page for the map a change draws: a new map frame whose
  Leaflet map, overlays and base map file are drawn; on a page that keeps its map and swaps
  only the overlays, the new overlays in place with their images loaded; or, when the change
  leaves the map as it was, the end of the rerun;
- :class:`Recorder` records the websocket frames and HTTP responses the page receives
  (Chrome DevTools Protocol), to count the bytes of a change;
- :func:`apply_browser` makes a :class:`~benchmarks.pages_steps.Step`'s change as a user would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from benchmarks.pages_steps import Step
from benchmarks.payload import rerun_bytes

__all__ = ["IDLE_JS", "MARK_OLD_JS", "WAIT_JS", "Recorder", "apply_browser", "measure_change",
           "settle"]

WAIT_JS = """
async ({timeoutMs, quietMs}) => {
  const start = performance.now();
  const app = document.querySelector('.stApp');
  let ran = false, idleSince = null;
  const sleep = (ms) => new Promise(r => setTimeout(r, ms));
  while (performance.now() - start < timeoutMs) {
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running') { ran = true; idleSince = null; }
    let fresh = false;
    for (const f of document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")) {
      const w = f.contentWindow;
      // A map kept from before the change counts once its overlays were swapped.
      const g = w && w.__GLOBAL_DATA__;
      const swapped = !!(f.dataset.benchOld && g && g.last_feature_group
                         && g.last_feature_group !== w.__benchOverlays);
      if (f.dataset.benchOld && !swapped) continue;
      fresh = true;
      if (!w || !w.map || !w.document) continue;
      const box = w.document.querySelector('.leaflet-container');
      if (!box || box.dataset.basemap === 'loading') continue;
      const imgs = [...w.document.querySelectorAll('img.leaflet-image-layer')];
      if (!imgs.every(i => i.complete)) continue;
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      return {kind: swapped ? 'swapped' : 'drawn', t: performance.now(),
              basemap: box.dataset.basemap || 'none'};
    }
    if (!fresh && state === 'notRunning' && (ran || performance.now() - start > 3000)) {
      if (idleSince === null) { idleSince = performance.now(); }
      else if (performance.now() - idleSince > quietMs) { return {kind: 'kept', t: idleSince}; }
    }
    await sleep(20);
  }
  return {kind: 'timeout', t: performance.now()};
}
"""
MARK_OLD_JS = """() => document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")
  .forEach(f => {
    f.dataset.benchOld = '1';
    const w = f.contentWindow;
    if (w) { w.__benchOverlays = w.__GLOBAL_DATA__ && w.__GLOBAL_DATA__.last_feature_group; }
  })"""
IDLE_JS = """() => document.querySelector('.stApp')
  && document.querySelector('.stApp').getAttribute('data-test-script-state') === 'notRunning'"""


class Recorder:
    """Websocket frames and HTTP responses the page receives (Chrome DevTools Protocol)."""

    def __init__(self, page: Any, app_url: str) -> None:
        self.frames: list[dict[str, Any]] = []
        self.responses: list[tuple[str, int]] = []
        self.outside: list[str] = []
        self._urls: dict[str, str] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketFrameReceived", lambda e: self.frames.append(e["response"]))
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        self._app = app_url

    def _sent(self, event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        self._urls[event["requestId"]] = url
        if not url.startswith((self._app, "data:", "blob:", "ws://127.0.0.1")):
            self.outside.append(url)

    def _finished(self, event: dict[str, Any]) -> None:
        url = self._urls.get(event["requestId"], "")
        self.responses.append((url, int(event.get("encodedDataLength", 0))))

    def mark(self) -> tuple[int, int]:
        """A position in the recordings (to measure what comes after it)."""
        return len(self.frames), len(self.responses)

    def since(self, mark: tuple[int, int]) -> Any:
        """The bytes received since ``mark``."""
        return rerun_bytes(self.frames[mark[0]:], self.responses[mark[1]:])


def apply_browser(page: Any, step: Step) -> None:
    """Make ``step``'s change in the browser, as a user would (``setup`` excluded)."""
    for before in step.before:
        apply_browser(page, before)
    if step.kind == "nav":
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=step.text).first.click()
        return
    if step.kind == "click_text":
        page.get_by_text(step.text, exact=True).first.click()
        return
    box = page.locator(f".st-key-{step.key}").first
    if step.kind == "multiselect_pop":
        box.get_by_role("combobox").first.click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
    elif step.kind == "radio":
        box.locator("label").filter(has_text=step.text).first.click()
    elif step.kind == "segmented_control":  # its options are not always exposed as buttons
        box.get_by_text(step.text, exact=True).first.click()
    elif step.kind == "submit":
        box.get_by_role("button", name=step.text, exact=True).first.click()
    elif step.kind in ("selectbox", "multiselect"):
        # a drop-down left open by the previous change would cover the box: close it first
        page.keyboard.press("Escape")
        with contextlib.suppress(Exception):
            page.locator("[data-baseweb='popover']").first.wait_for(state="hidden",
                                                                      timeout=5000)
        combo = box.get_by_role("combobox").first
        combo.click()
        combo.fill(step.text)
        page.keyboard.press("Enter")
        if step.kind == "multiselect":
            page.keyboard.press("Escape")
    elif step.kind == "text_input":  # Enter commits the text
        field_ = box.locator("input").first
        field_.fill(step.text)
        field_.press("Enter")
    elif step.kind == "number_input":  # Tab commits the value (Enter would submit a form)
        field_ = box.locator("input").first
        field_.fill(step.text)
        field_.press("Tab")
    elif step.kind in ("slider", "select_slider"):
        thumb = box.get_by_role("slider").first
        thumb.focus()
        key, _, count = step.text.partition(":")
        for _ in range(int(count or 1)):
            page.keyboard.press(key)
    else:
        msg = f"no browser action for {step.kind!r}"
        raise ValueError(msg)


def settle(page: Any, timeout_s: float) -> None:
    """Wait until the script has finished and the page is quiet."""
    page.wait_for_timeout(300)
    with contextlib.suppress(Exception):
        page.wait_for_function(IDLE_JS, timeout=timeout_s * 1000)
    page.wait_for_timeout(500)


def measure_change(page: Any, rec: Recorder, act: Callable[[], None], *,
                   timeout_s: float) -> tuple[float, str, Any]:
    """Seconds from ``act`` to the map drawn (or the rerun's end), how, and the bytes."""
    page.evaluate(MARK_OLD_JS)
    mark = rec.mark()
    t0 = page.evaluate("() => performance.now()")
    act()
    done = page.evaluate(WAIT_JS, {"timeoutMs": timeout_s * 1000, "quietMs": 1500})
    with contextlib.suppress(Exception):
        page.wait_for_function(IDLE_JS, timeout=timeout_s * 1000)
    page.wait_for_timeout(300)
    return (done["t"] - t0) / 1000, f"{done['kind']}:{done.get('basemap', '')}", rec.since(mark)
