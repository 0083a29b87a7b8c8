"""Part 2 of the server benchmark: concurrent browser sessions against one app process.

One ``streamlit run app.py`` process serves a programme stored in PostgreSQL; one headless
Chromium (Debian's) opens ``sessions`` independent browser contexts at once — as many users
with their own cookies and websocket:

- **viewers** (all but ``practitioners``) open Concentrations, switch the sidebar's *Viewing
  as* to ``viewer`` (the same protected release a signed-in park authority or investor reads)
  and then add release streams to the selection one at a time, each a filter change timed from
  the click to the new map drawn in the page (the map's iframe created, Leaflet's container
  present, its base map file and heat image loaded, two animation frames; or, where the page
  keeps its map and swaps only the overlays, the new overlays in place and their images
  loaded) — the same measure as ``pages_bench.py``;
- **practitioners** open Import, upload a member list of their own (``import_rows`` rows, a
  quarter of them shared by all practitioners, so that imports overlap), press *Validate and
  import* and time it to the report; then they open Concentrations and change its streams like
  a viewer. Each import changes the programme's data version, so viewers' next filter change
  rebuilds the release once (as on a real server, where other sessions see every write at
  their next rerun).

Arrivals (``settle``): by default every session first opens its page (viewers Concentrations,
practitioners Import), all at once, and the timed changes start when every page is open — the
steady state of a team at work, and what the p50/p95 figures measure; the time each page took
to open in that stampede is reported on its own line. With ``settle=False`` (``--arrivals
together``) each session starts changing as soon as its own page is open, while the others
still load: on this machine twenty Chromium pages opening at once take ~100 CPU-seconds of the
two cores by themselves, so those changes measure the stampede rather than the app.

Each person pauses between two changes (``think_s``, default 10 s: uniform 5–15 s), as people
reading a map do; ``--think 0`` sends every change as soon as the last map is drawn (a stress
test, with 20 Chromium renderers and the app on the same two cores). ``browser_nice``
(``--browser-nice 10``) runs Chromium at a lower CPU priority than the app, closer to a
server whose users' browsers run on their own machines. Every session must
render every page without an exception box; the report gives p50 and p95
of filter change → map drawn over all viewers' changes (goal p95 ≤ 5 s) and of the imports.

The app runs in desktop mode on loopback (no sign-in): the role comes from the preview, which
reads the same release as a signed-in viewer; the sign-in's per-rerun role lookup (one indexed
query) is not part of these figures.

With ``SYMBIOMAP_BENCH_TRACE=DIR`` in the environment the run keeps its timeline in ``DIR``
(:func:`keep_trace`): which changes were slow, and whether they waited on an import.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.browser_timing import IDLE_JS, MARK_OLD_JS, WAIT_JS

GOAL_P95_S = 5.0
TRACE_ENV = "SYMBIOMAP_BENCH_TRACE"
"""A folder: when set, the run keeps its timeline there (see :func:`keep_trace`)."""
CHROMIUM = "/usr/bin/chromium"


@dataclass
class SessionLog:
    """What one browser session did and saw."""

    name: str
    role: str
    changes: list[tuple[float, str]] = field(default_factory=list)
    change_starts: list[float] = field(default_factory=list)
    """``time.perf_counter()`` when each change of ``changes`` started."""
    imports: list[float] = field(default_factory=list)
    landed: list[float] = field(default_factory=list)
    """``time.perf_counter()`` when each import's report was shown (the import had landed)."""
    opened: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


RERUN_LINE = re.compile(r"symbiomap\.rerun: rerun page=(\S+) seconds=([0-9.]+)")
"""A line of the app's rerun log (``app.py``'s ``RERUN_LOG``)."""


def rerun_seconds(log_text: str) -> dict[str, list[float]]:
    """The seconds of each rerun the app logged, by page (``url_path``; ``overview`` for the
    home page)."""
    out: dict[str, list[float]] = {}
    for page, seconds in RERUN_LINE.findall(log_text):
        out.setdefault(page, []).append(float(seconds))
    return out


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (linear interpolation), NaN for no values."""
    return float(np.percentile(values, q)) if values else float("nan")


def release_stream_labels(database_url: str, programme: str) -> list[str]:
    """Labels of the release streams a viewer can select with data in them (at most 8)."""
    from geo.catalogue import load_catalogue
    from geo.concentrations import viewer as cv
    from geo.disclosure import build_release
    from geo.store import open_store

    store = open_store(database_url)
    prog = store.load_programme(programme)
    release = build_release(prog, catalogue=load_catalogue())
    labels = release.stream_labels()
    store.engine.dispose()
    return [labels[s] for s in labels if cv.empty_message(release, cv.release_query(
        release, direction="have", streams=[s], parks=[], grant=())) is None][:8]


def member_lists(folder: Path, practitioners: int, rows: int, seed: int) -> list[Path]:
    """One CSV per practitioner; the first quarter of rows shared by all (overlapping
    imports), the rest their own."""
    import pandas as pd

    from benchmarks.import_bench import generate

    shared, own = folder / "shared.csv", []
    generate(shared, max(rows // 4, 1), seed=seed)
    common = pd.read_csv(shared, dtype=str)
    for i in range(practitioners):
        path = folder / f"members-{i}.csv"
        generate(path, rows - len(common), seed=seed + 1 + i)
        mine = pd.read_csv(path, dtype=str)
        mine["Company"] = mine["Company"].str.replace("Member", f"Practitioner{i} member")
        pd.concat([common, mine]).to_csv(path, index=False)
        own.append(path)
    return own


async def _wait_idle(page: Any, timeout_s: float) -> None:
    await page.wait_for_timeout(300)
    await page.wait_for_function(IDLE_JS, timeout=timeout_s * 1000)


async def _exception_box(page: Any) -> str | None:
    box = page.locator("[data-testid='stException']")
    if await box.count():
        return (await box.first.inner_text())[:200]
    return None


async def _keep_screenshot(page: Any, log: SessionLog) -> None:
    """A failed session's page as a picture in ``artifacts/`` (for the person reading)."""
    from tests.browser.support import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    try:
        await page.screenshot(path=str(ARTIFACTS / f"server-bench-{log.name}.png"))
    except Exception:  # the page may be gone
        return


async def _open_concentrations(page: Any, url: str, *, viewer: bool, timeout_s: float) -> None:
    await page.goto(f"{url}/concentrations", wait_until="domcontentloaded")
    radio = page.locator(".st-key-viewer_role")
    await radio.first.wait_for(timeout=timeout_s * 1000)
    await _wait_idle(page, timeout_s)
    if viewer:
        await radio.locator("[data-testid='stRadioOption']").nth(1).click()  # practitioner, viewer
        await page.locator(".st-key-conc_release_streams").first.wait_for(
            timeout=timeout_s * 1000)
        await _wait_idle(page, timeout_s)


async def _change_streams(page: Any, key: str, label: str, timeout_s: float
                          ) -> tuple[float, str]:
    """Add ``label`` to the multiselect ``key``; seconds to the map drawn, and how it ended."""
    await page.evaluate(MARK_OLD_JS)
    t0 = await page.evaluate("() => performance.now()")
    combo = page.locator(f".st-key-{key}").get_by_role("combobox").first
    await combo.click()
    await combo.fill(label)
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")
    done = await page.evaluate(WAIT_JS, {"timeoutMs": timeout_s * 1000, "quietMs": 1500})
    await _wait_idle(page, timeout_s)
    return (done["t"] - t0) / 1000, str(done["kind"])


async def _think(think_s: float, rng: random.Random) -> None:
    """A person's pause between two changes: uniform in [think_s / 2, 3 think_s / 2]."""
    if think_s > 0:
        await asyncio.sleep(rng.uniform(think_s / 2, 1.5 * think_s))


async def _opened(log: SessionLog, t0: float, settled: asyncio.Barrier | None) -> None:
    """Record the seconds the session took to open its page; then wait for the others."""
    log.opened.append(time.perf_counter() - t0)
    if settled is not None:
        await settled.wait()
        if (trace := os.environ.get(TRACE_ENV)):  # for a profiler waiting to attach
            Path(trace).mkdir(parents=True, exist_ok=True)
            (Path(trace) / "timed-phase-started").touch()


async def _viewer(browser: Any, url: str, log: SessionLog, labels: list[str], *,
                  changes: int, timeout_s: float, start_gate: asyncio.Event,
                  think_s: float, rng: random.Random,
                  settled: asyncio.Barrier | None = None) -> None:
    context = page = None
    try:
        context = await browser.new_context(viewport={"width": 1400, "height": 900})
        page = await context.new_page()
        await start_gate.wait()
        t0 = time.perf_counter()
        await _open_concentrations(page, url, viewer=True, timeout_s=timeout_s)
        await _opened(log, t0, settled)
        for label in labels[:changes]:
            await _think(think_s, rng)
            log.change_starts.append(time.perf_counter())
            log.changes.append(await _change_streams(page, "conc_release_streams", label,
                                                     timeout_s))
            if (err := await _exception_box(page)) is not None:
                log.errors.append(err)
    except Exception as exc:  # a session's failure is reported, not fatal
        log.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
        await _keep_screenshot(page, log)
        if settled is not None and not log.opened:  # the others wait for every session
            await settled.wait()
    finally:
        if context is not None:
            await context.close()


async def _practitioner(browser: Any, url: str, log: SessionLog, members: Path,
                        chapters: list[str], *, changes: int, timeout_s: float,
                        start_gate: asyncio.Event, think_s: float, rng: random.Random,
                        settled: asyncio.Barrier | None = None) -> None:
    context = page = None
    try:
        context = await browser.new_context(viewport={"width": 1400, "height": 900})
        page = await context.new_page()
        await start_gate.wait()
        if settled is None:
            await _think(think_s, rng)  # practitioners arrive while viewers work
        t0 = time.perf_counter()
        await page.goto(f"{url}/import_data", wait_until="domcontentloaded")
        uploader = page.locator(".st-key-imp_file input[type='file']")
        await uploader.first.wait_for(state="attached", timeout=timeout_s * 1000)
        await _wait_idle(page, timeout_s)
        await _opened(log, t0, settled)
        if settled is not None:
            await _think(think_s, rng)  # practitioners import while viewers work
        await uploader.first.set_input_files(str(members))
        go = page.locator(".st-key-imp_go button")
        await go.first.wait_for(timeout=timeout_s * 1000)
        await _wait_idle(page, timeout_s)
        t0 = time.perf_counter()
        await go.first.click()
        try:  # the import's report (its four figures) appears when the import has landed
            await page.locator("[data-testid='stMetricValue']").first.wait_for(
                timeout=timeout_s * 1000)
            log.landed.append(time.perf_counter())
            log.imports.append(log.landed[-1] - t0)
        except Exception:
            log.errors.append("no import report shown")
            await _keep_screenshot(page, log)
        if (err := await _exception_box(page)) is not None:
            log.errors.append(err)
        await _wait_idle(page, timeout_s)
        await _open_concentrations(page, url, viewer=False, timeout_s=timeout_s)
        for label in chapters[:changes]:
            await _think(think_s, rng)
            log.change_starts.append(time.perf_counter())
            log.changes.append(await _change_streams(page, "conc_streams", label, timeout_s))
            if (err := await _exception_box(page)) is not None:
                log.errors.append(err)
    except Exception as exc:  # a session's failure is reported, not fatal
        log.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
        await _keep_screenshot(page, log)
        if settled is not None and not log.opened:  # the others wait for every session
            await settled.wait()
    finally:
        if context is not None:
            await context.close()


def _niced_chromium(folder: Path, niceness: int) -> str:
    """A launcher that starts Chromium at a lower CPU priority than the app (``nice``)."""
    if niceness <= 0:
        return CHROMIUM
    launcher = folder / "chromium-niced"
    launcher.write_text(f'#!/bin/sh\nexec nice -n {niceness} {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    return str(launcher)


async def _drive(url: str, *, viewers: int, practitioners: int, labels: list[str],
                 chapters: list[str], members: list[Path], changes: int,
                 timeout_s: float, think_s: float, chromium: str,
                 settle: bool = True) -> list[SessionLog]:
    from playwright.async_api import async_playwright

    from tests.browser.support import CHROMIUM_ARGS

    logs = [SessionLog(f"viewer-{i}", "viewer") for i in range(viewers)]
    logs += [SessionLog(f"practitioner-{i}", "practitioner") for i in range(practitioners)]
    gate = asyncio.Event()
    settled = asyncio.Barrier(len(logs)) if settle else None
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        tasks = []
        for i, log in enumerate(logs[:viewers]):
            order = labels[i % len(labels):] + labels[:i % len(labels)]  # distinct sequences
            tasks.append(_viewer(browser, url, log, order, changes=changes,
                                 timeout_s=timeout_s, start_gate=gate, think_s=think_s,
                                 rng=random.Random(i), settled=settled))
        for i, log in enumerate(logs[viewers:]):
            order = chapters[i % len(chapters):] + chapters[:i % len(chapters)]
            tasks.append(_practitioner(browser, url, log, members[i], order, changes=changes,
                                       timeout_s=timeout_s, start_gate=gate, think_s=think_s,
                                       rng=random.Random(1000 + i), settled=settled))
        gate.set()
        await asyncio.gather(*tasks)
        await browser.close()
    return logs


def practitioner_chapters(database_url: str, programme: str) -> list[str]:
    """Labels of the waste chapters present in the programme, as the page's multiselect
    shows them (at most 8)."""
    from geo.catalogue import load_catalogue
    from geo.concentrations.selection import stream_choices
    from geo.store import open_store

    store = open_store(database_url)
    codes = store.load_programme(programme).resources["ewc_code"].dropna().astype(str)
    store.engine.dispose()
    labels = stream_choices(load_catalogue())
    present = codes.str[:2].value_counts()
    return [labels[c] for c in present.index if c in labels][:8]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the app's import workers), from ``/proc``."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            if int(fields[1]) == pid:
                found.append(int(proc.name))
    return found


def _children_cpu_mb(pid: int) -> tuple[float, float]:
    """CPU seconds so far and resident MB of the children of ``pid``, added up."""
    cpu = mb = 0.0
    for child in _children(pid):
        try:
            cpu += _cpu_seconds(child)
            mb += _memory_mb(child)[0]
        except OSError:
            continue
    return cpu, mb


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) memory of a process in MB, from ``/proc``."""
    fields: dict[str, list[str]] = {}
    text = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    for line in text.splitlines():
        key, _sep, value = line.partition(":")
        fields[key] = value.split()

    def mb(key: str) -> float:
        return float(fields[key][0]) / 1024 if fields.get(key) else float("nan")

    return mb("VmRSS"), mb("VmHWM")


def busy_cpu_seconds(stat_text: str | None = None) -> float:
    """CPU seconds all cores have spent busy (not idle or waiting on I/O) since boot
    (:func:`geo.cores.cpu_ticks`; ``stat_text`` for tests)."""
    from geo.cores import cpu_ticks

    idle, total = cpu_ticks(stat_text)
    return (total - idle) / os.sysconf("SC_CLK_TCK")


def _app_pid(port: int) -> int | None:
    """The process serving ``port`` (the ``streamlit run`` started by ``running_app``)."""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd:
                return int(proc.name)
    return None


def run_sessions(database_url: str, *, programme: str, sessions: int, practitioners: int = 4,
                 changes: int = 3, import_rows: int = 200, seed: int = 7,
                 timeout_s: float = 180.0, think_s: float = 10.0,
                 browser_nice: int = 0, settle: bool = True) -> dict[str, float]:
    """Start the app on ``database_url``, run the sessions, print and return the figures."""
    from tests.browser.support import require_browser, running_app

    require_browser()
    practitioners = min(practitioners, sessions)
    viewers = sessions - practitioners
    labels = release_stream_labels(database_url, programme)
    chapters = practitioner_chapters(database_url, programme)
    if not labels or not chapters:
        msg = "the programme has no release stream or chapter with data to select"
        raise SystemExit(msg)
    with tempfile.TemporaryDirectory(prefix="symbiomap-sessions-") as tmp:
        folder = Path(tmp)
        members = member_lists(folder, practitioners, import_rows, seed)
        env = {"SYMBIOMAP_DATABASE_URL": database_url, "SYMBIOMAP_DEMO": "0",
               "SYMBIOMAP_ROLE": "practitioner"}
        load0 = os.getloadavg()
        # No file watcher: a server does not reload modules while sessions run.
        with running_app(folder, env_extra=env,
                         args=("--server.fileWatcherType", "none")) as url:
            pid = _app_pid(int(url.rsplit(":", 1)[1]))
            cpu0 = _cpu_seconds(pid) if pid else float("nan")
            child0 = _children_cpu_mb(pid)[0] if pid else float("nan")
            busy0 = busy_cpu_seconds()
            t0 = time.perf_counter()
            logs = asyncio.run(_drive(url, viewers=viewers, practitioners=practitioners,
                                      labels=labels, chapters=chapters, members=members,
                                      changes=changes, timeout_s=timeout_s, think_s=think_s,
                                      chromium=_niced_chromium(folder, browser_nice),
                                      settle=settle))
            wall = time.perf_counter() - t0
            app_cpu = _cpu_seconds(pid) - cpu0 if pid else float("nan")
            rss_mb, peak_mb = _memory_mb(pid) if pid else (float("nan"), float("nan"))
            child1, child_mb = _children_cpu_mb(pid) if pid else (float("nan"), float("nan"))
            all_cpu = busy_cpu_seconds() - busy0
        load1 = os.getloadavg()
        log_file = folder / "streamlit.log"
        if trace := os.environ.get(TRACE_ENV):
            keep_trace(Path(trace), logs, log_file)
        reruns = rerun_seconds(log_file.read_text(errors="replace")) if log_file.exists() else {}
    print(f"think time between changes: uniform {think_s / 2:.0f}–{1.5 * think_s:.0f} s; "
          f"the app process used {app_cpu:.1f} CPU s in {wall:.1f} s "
          f"({app_cpu / wall:.0%} of one core; the browsers share the same two cores"
          + (f", at nice {browser_nice})" if browser_nice > 0 else ")"))
    print(f"the app's memory at the end: {rss_mb:,.0f} MB resident, peak {peak_mb:,.0f} MB")
    print(f"its child processes (import workers): {child1 - child0:.1f} CPU s in the same "
          f"time, {child_mb:,.0f} MB resident at the end")
    changes_done = sum(len(log.changes) + len(log.imports) for log in logs)
    print(f"the machine's {os.cpu_count()} cores were busy {all_cpu:.1f} CPU s "
          f"({all_cpu / wall / (os.cpu_count() or 1):.0%}): the app {app_cpu:.1f}, everything "
          f"else (the browsers, PostgreSQL, this driver) {all_cpu - app_cpu:.1f} — per change "
          f"or import ({changes_done}): app {app_cpu / max(changes_done, 1):.2f} s, the rest "
          f"{(all_cpu - app_cpu) / max(changes_done, 1):.2f} s")
    return report(logs, wall_s=wall, loads=(load0, load1), reruns=reruns)


def keep_trace(folder: Path, logs: list[SessionLog], log_file: Path) -> None:
    """Keep a run's timeline in ``folder``: ``timeline.json`` (each session's changes with
    their start times and seconds, its imports and when they landed, as Unix times) and the
    app's log ``streamlit.log`` (one line per rerun, with its time), to line up slow changes
    with imports and with a profiler's samples. The file ``timed-phase-started`` appears
    when every page is open and the timed changes begin (a profiler can wait for it)."""
    import json
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    if log_file.exists():
        shutil.copy(log_file, folder / "streamlit.log")
    offset = time.time() - time.perf_counter()
    (folder / "timeline.json").write_text(json.dumps([
        {"name": log.name, "role": log.role, "changes": log.changes,
         "starts": [t + offset for t in log.change_starts],
         "landed": [t + offset for t in log.landed], "imports": log.imports}
        for log in logs], indent=1))


def after_imports(logs: list[SessionLog]) -> tuple[list[float], list[float]]:
    """The viewers' change times split in two: each viewer's first change after an import
    landed (its rerun meets a new data version: the programme and its release at that version
    are built by it or by another session it waits for), and the others.

    Examples
    --------
    >>> a = SessionLog("p", "practitioner", landed=[10.0, 30.0])
    >>> v = SessionLog("v", "viewer", changes=[(1.0, "swapped"), (2.0, "swapped"),
    ...                (3.0, "swapped"), (4.0, "swapped")], change_starts=[5, 12, 20, 40])
    >>> after_imports([a, v])
    ([2.0, 4.0], [1.0, 3.0])
    """
    landed = sorted(t for log in logs for t in log.landed)
    first: list[float] = []
    rest: list[float] = []
    for log in logs:
        if log.role != "viewer":
            continue
        seen = 0  # imports landed before this viewer's previous change
        for (seconds, _kind), start in zip(log.changes, log.change_starts, strict=True):
            now = sum(t < start for t in landed)
            (first if now > seen else rest).append(seconds)
            seen = now
    return first, rest


def report(logs: list[SessionLog], *, wall_s: float,
           loads: tuple[tuple[float, float, float], tuple[float, float, float]],
           reruns: dict[str, list[float]] | None = None) -> dict[str, float]:
    """Print the sessions' figures; the summary as a dict.

    ``reruns`` (from :func:`rerun_seconds`) adds the server's side: the seconds the app spent
    on each rerun, by page, as its own log records them — the part of a change the server
    does, apart from the network and the browser drawing the map.
    """
    viewer_times = [s for log in logs if log.role == "viewer" for s, _ in log.changes]
    practitioner_times = [s for log in logs if log.role == "practitioner"
                          for s, _ in log.changes]
    imports = [s for log in logs for s in log.imports]
    opened = [s for log in logs for s in log.opened]
    kinds = [k for log in logs for _, k in log.changes]
    errors = [(log.name, e) for log in logs for e in log.errors]
    fmt = "{:.2f}".format
    print(f"sessions: {len(logs)} ({sum(log.role == 'viewer' for log in logs)} viewers, "
          f"{sum(log.role == 'practitioner' for log in logs)} practitioners) in "
          f"{wall_s:.1f} s; load {loads[0][0]:.2f} at start, {loads[1][0]:.2f} at end")
    for what, values in (("page opened (all sessions at once)", opened),
                         ("viewer filter change -> map drawn", viewer_times),
                         ("practitioner filter change -> map drawn", practitioner_times),
                         ("import -> report shown", imports)):
        if values:
            print(f"  {what:<42} n={len(values):>3} p50 {fmt(percentile(values, 50))} s · "
                  f"p95 {fmt(percentile(values, 95))} s · max {fmt(max(values))} s · "
                  f"mean {fmt(statistics.fmean(values))} s")
    first, rest = after_imports(logs)
    for what, values in (("  first after an import landed", first),
                         ("  the others", rest)):
        if values:
            print(f"  {what:<42} n={len(values):>3} p50 {fmt(percentile(values, 50))} s · "
                  f"p95 {fmt(percentile(values, 95))} s · max {fmt(max(values))} s")
    for page, values in sorted((reruns or {}).items()):
        print(f"  server: {page + ' rerun (app log)':<34} n={len(values):>3} p50 "
              f"{fmt(percentile(values, 50))} s · p95 {fmt(percentile(values, 95))} s · max "
              f"{fmt(max(values))} s")
    print(f"  how changes ended: {', '.join(f'{k} {kinds.count(k)}' for k in sorted(set(kinds)))}"
          " (drawn: a new map; swapped: new overlays in the same map; kept: the rerun ended "
          "with the map unchanged)")
    for name, err in errors:
        print(f"  ERROR {name}: {err}")
    p95 = percentile(viewer_times, 95)
    ok = not errors and "timeout" not in kinds and p95 <= GOAL_P95_S
    print(f"  goal: viewers' p95 <= {GOAL_P95_S:.0f} s with every page rendered -> "
          f"{'met' if ok else 'NOT met'}")
    server = (reruns or {}).get("concentrations", [])
    return {"sessions": float(len(logs)), "viewer_p50_s": percentile(viewer_times, 50),
            "viewer_p95_s": p95, "server_concentrations_p95_s": percentile(server, 95),
            "import_p50_s": percentile(imports, 50),
            "errors": float(len(errors)), "within_goal": float(ok)}
