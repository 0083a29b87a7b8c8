"""Benchmark of every page after a typical widget change: on the server and to the map drawn.

For each page, each programme and each role (a practitioner, and a practitioner previewing
as a viewer: ``Viewing as: viewer``, i.e. ``Key.VIEWER_ROLE``) it times:

- **server**: the rerun after the change, through ``app.py`` with Streamlit's ``AppTest``
  (the whole script: sign-in, context, the page, its map rendered), and the bytes of the map
  component's arguments the rerun sends;
- **browser**: from the change in headless Chromium (Debian's, driven by Playwright, as
  ``tests/browser``) to the page's map drawn — a new map frame whose Leaflet map, overlays and
  base map file are drawn; on a page that keeps its map and swaps only the overlays
  (Concentrations), the new overlays in place with their images loaded; or, when the change
  leaves the map as it was, the end of the rerun — and the bytes the browser received meanwhile:
  the map's share (the map component's websocket messages decoded as Streamlit ``ForwardMsg`` s,
  plus what the map's frame fetched over HTTP, except a static file's first download in the
  session: the base map file, Leaflet and the component come from the browser's cache after the
  first map) and everything.

Programmes: the embedded demo, a 100,000-record regional programme stored in a temporary
SQLite database with Liechtenstein's OpenStreetMap extract as its road network, and for
Concentrations a 1,000,000-record one (``benchmarks/synthetic.py``, over Liechtenstein). Each
figure is the median of at least three distinct changes with min and max. A page's first use
(the first page of a programme loads it; a viewer's first page builds the protected release,
``ui.runs.release``, once per data version) is reported apart from the warm reruns.

The browser may reach nothing but the app: Chromium resolves no other host
(``--host-resolver-rules``) and any request elsewhere is reported. Playwright's request
interception is not used, because it turns the browser's HTTP cache off.

Goals: ≤ 1 s on the server and ≤ 2 s to the drawn map, except the solves bounded by the
user's own time limit (the milk round's "Plan rounds", the site finder's best sites, which
every site-finder rerun recomputes); and ≤ 300 kB of map per rerun.

Run::

    python benchmarks/pages_bench.py                       # demo, 100k, 1M (about an hour)
    python benchmarks/pages_bench.py --size 20000 --conc-size 50000 --no-browser   # a try

The last line is ``summary: pages=N slowest_server_s=… slowest_map_s=… max_payload_bytes=…``
(the slowest warm page outside the time-limited solves, and the largest map of a rerun).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.browser_timing import (  # noqa: E402
    IDLE_JS,
    Recorder,
    apply_browser,
    measure_change,
    settle,
)
from benchmarks.pages_steps import (  # noqa: E402
    DEMO,
    PAGES,
    Dataset,
    PageSpec,
    Step,
    draws_map,
    steps_for,
)
from benchmarks.payload import (  # noqa: E402
    MAP_URL_PARTS,
    Stats,
    component_bytes,
    stats,
)

BENCH_DIR = Path(os.environ.get("SYMBIOMAP_BENCH_DIR", ROOT.parent / "shared" / "bench"))
PBF = BENCH_DIR / "osm" / "liechtenstein-2013-08-03.osm.pbf"
CHROMIUM = "/usr/bin/chromium"
SERVER_GOAL_S, MAP_GOAL_S, PAYLOAD_GOAL_B = 1.0, 2.0, 300_000


def load() -> str:
    """The load average now, as text."""
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5-min {five:.2f})"


@dataclass
class Row:
    """The figures of one page for one programme and role."""

    page: str
    data: str
    role: str
    first_s: float = float("nan")
    server: Stats = field(default_factory=lambda: stats([]))
    map_args_b: int = 0
    open_s: float = float("nan")
    browser: Stats = field(default_factory=lambda: stats([]))
    map_b: int = 0
    all_b: int = 0
    note: str = ""
    bounded: bool = False


# --- data ----------------------------------------------------------------------------------

def prepare_data(root: Path, *, size: int, conc_size: int) -> list[Dataset]:
    """Data directories: the demo (empty), and stored regional programmes with their roads."""
    from benchmarks.matching_bench import synthetic_book
    from benchmarks.synthetic import LIECHTENSTEIN, regional_programme
    from geo.catalogue import load_catalogue
    from geo.settings import Settings
    from geo.store import open_store
    from geo.synergies.matching import Matcher
    from geo.synergies.repository import save_book
    from ui.network import programme_pbf

    out = [Dataset("demo", root / "demo", DEMO)]
    out[0].data_dir.mkdir(parents=True)
    for n, label in ((size, "regional"), (conc_size, "regional-conc")):
        data_dir = root / label
        data_dir.mkdir(parents=True)
        name = f"Regional {n:,}"
        t0 = time.perf_counter()
        prog = regional_programme(n, region=LIECHTENSTEIN, areas=40, spread_deg=(0.004, 0.0025))
        prog.name = name
        settings = Settings(data_dir=data_dir)
        store = open_store(settings.database_url)
        store.save_programme(prog)
        if label == "regional":  # a synergy book for the synergy pages (not for 1M)
            matches = Matcher.from_programme(prog, catalogue=load_catalogue()).all_pairs().table
            save_book(store, name, synergy_book_of(prog, matches, synthetic_book))
        pbf = programme_pbf(name, settings=settings)
        pbf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PBF, pbf)
        store.engine.dispose()
        print(f"stored {name}: {len(prog.sites):,} sites, {len(prog.resources):,} records, "
              f"{len(prog.parks):,} parks, road network {PBF.name} "
              f"({time.perf_counter() - t0:.0f} s)")
        out.append(Dataset(label, data_dir, name, prog))
    return out


def synergy_book_of(prog: Any, matches: Any, make: Callable[..., Any]) -> Any:
    """A synergy book of a tenth of the records' best matches (at most 20,000)."""
    import benchmarks.matching_bench as mb

    saved = mb.N_SYNERGIES
    mb.N_SYNERGIES = min(20_000, len(prog.resources) // 10, int((matches["rank"] <= 2).sum()))
    try:
        return make(prog, matches)
    finally:
        mb.N_SYNERGIES = saved


@contextlib.contextmanager
def environment(ds: Dataset, role: str) -> Iterator[dict[str, str]]:
    """The app's environment for a programme and role (also set in this process)."""
    env = {"SYMBIOMAP_DATA_DIR": str(ds.data_dir), "SYMBIOMAP_NOMINATIM": "0",
           "SYMBIOMAP_ONLINE_OSM": "0", "SYMBIOMAP_DEMO": "1" if ds.is_demo else "0",
           "SYMBIOMAP_ROLE": role}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield env
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# --- server side: AppTest through app.py ---------------------------------------------------

def _served_pages_manager() -> None:
    """AppTest as on a server past its first request (see tests/pages/conftest.py)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class _Served(PagesManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test.PagesManager = _Served  # type: ignore[misc]


def apply_server(at: Any, step: Step) -> None:
    """Make ``step``'s change in an AppTest (the next ``run`` is the rerun); its ``setup``
    steps are made and run first."""
    for setup in step.setup:
        if setup.kind != "click_text":  # expanders do not hide widgets from AppTest
            apply_server(at, setup)
            at.run()
    for before in step.before:
        apply_server(at, before)
    if step.kind == "nav":
        at.switch_page(step.key)
    elif step.kind == "submit":
        at.button(key=step.key).click()
    elif step.kind == "multiselect_pop":
        at.multiselect(key=step.key).set_value(step.value)
    elif step.kind != "click_text":
        getattr(at, step.kind)(key=step.key).set_value(step.value)


def map_args_bytes(at: Any) -> int:
    """Bytes of the map components' arguments on the page after the last run."""
    return sum(component_bytes(c.proto.json_args) for c in at.get("component_instance")
               if c.proto.component_name == "streamlit_folium.st_folium")


def server_rows(ds: Dataset, role: str, pages: list[PageSpec], *, runs: int,
                timeout: float) -> list[Row]:
    """AppTest figures of ``pages`` for one programme and role, first uses first."""
    from streamlit.testing.v1 import AppTest

    from ui import Key

    _served_pages_manager()
    rows = []
    with environment(ds, role):
        for spec in pages:
            row = Row(spec.title, ds.label, role, bounded=spec.bounded)
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            at.session_state[Key.VIEWER_ROLE] = role
            at.session_state[Key.PROGRAMME_NAME] = ds.programme
            t0 = time.perf_counter()
            at.switch_page(spec.path).run()
            row.first_s = time.perf_counter() - t0
            if at.exception:
                row.note = f"error: {at.exception[0].message[:80]}"
                rows.append(row)
                continue
            times, sizes = [], []
            for step in steps_for(spec, ds, role)[:runs]:
                apply_server(at, step)
                t0 = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t0)
                if at.exception:
                    row.note = f"error after {step.label}: {at.exception[0].message[:80]}"
                    break
                sizes.append(map_args_bytes(at))
            row.server = stats(times)
            row.map_args_b = max(sizes, default=0)
            row.note = row.note or spec.note
            rows.append(row)
            print(f"  server {ds.label:<13} {role:<12} {spec.title:<16} first {row.first_s:6.2f}"
                  f" s · rerun {row.server.fmt(2)} s · map {row.map_args_b:,} B", flush=True)
    return rows


# --- browser --------------------------------------------------------------------------------

def browser_rows(ds: Dataset, role: str, pages: list[PageSpec], rows: dict[tuple[str, ...], Row],
                 *, runs: int, timeout_s: float, verbose: bool = False
                 ) -> tuple[list[str], int]:
    """Browser figures of ``pages`` for one programme and role, filled into ``rows``.

    Returns the URLs outside the app the page asked for, and the base map file's bytes on the
    wire at its first (and only) download.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.support import CHROMIUM_ARGS, free_port, running_app

    outside: list[str] = []
    basemap_b = 0
    fetched: set[str] = set()
    with environment(ds, role) as env, \
            running_app(ds.data_dir, port=free_port(), env_extra=env) as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        # a click may wait for a first use (a 1,000,000-record release takes ~20 s to build):
        # the run's timeout, not Playwright's 30 s default
        page.set_default_timeout(timeout_s * 1000)
        rec = Recorder(page, url)
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function(IDLE_JS, timeout=timeout_s * 1000)
        for spec in pages:
            row = rows.get((spec.title, ds.label, role))
            if row is None or not draws_map(spec, role):
                continue
            try:
                basemap_b += _browser_page(page, rec, spec, ds=ds, role=role, row=row,
                                           runs=runs, timeout_s=timeout_s, verbose=verbose,
                                           fetched=fetched)
            except Exception as exc:  # one page's failure must not lose the others
                row.note = (row.note + "; " if row.note else "") + (
                    f"browser error: {type(exc).__name__}")
                shot = ROOT / "artifacts" / f"pages-bench-{ds.label}-{role}-{spec.title}.png"
                with contextlib.suppress(Exception):
                    shot.parent.mkdir(exist_ok=True)
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"  (screenshot of the page: {shot})", flush=True)
                print(f"  browser {ds.label:<13} {role:<12} {spec.title:<16} ERROR "
                      f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}", flush=True)
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_function(IDLE_JS, timeout=timeout_s * 1000)
        outside = list(rec.outside)
        browser.close()
    return outside, basemap_b



def _browser_page(page: Any, rec: Any, spec: Any, *, ds: Any, role: str, row: Any, runs: int,
                  timeout_s: float, verbose: bool, fetched: set[str]) -> int:
    """Open ``spec``'s page and time its changes into ``row``; the base map file's bytes.

    ``fetched`` holds the URLs this browser session has already downloaded (updated here).
    """
    basemap_b = 0
    nav = Step("nav", spec.path, None, spec.title, label=f"open {spec.title}")
    secs, how, got = measure_change(page, rec, lambda nav=nav: apply_browser(page, nav),
                                    timeout_s=timeout_s)
    row.open_s = secs
    basemap_b += sum(b for u, b in got.http_by_url.items() if "/basemaps/" in u)
    fetched.update(u for u, b in got.http_by_url.items() if b)
    times, maps, alls, hows = [], [], [], []
    for step in steps_for(spec, ds, role)[:runs]:
        for setup in step.setup:
            apply_browser(page, setup)
            settle(page, timeout_s)
        secs, how, got = measure_change(
            page, rec, lambda step=step: apply_browser(page, step), timeout_s=timeout_s)
        if verbose:
            print(f"    {step.label}: {secs:.2f} s, {how}, websocket map "
                  f"{got.ws.map_bytes:,} B other {got.ws.other_bytes:,} B; HTTP "
                  + ", ".join(f"{u.rsplit('/', 1)[-1][:40]} {b:,} B"
                              for u, b in got.http_by_url.items() if b))
        # The map's static files (the base map file, Leaflet, the component's page and
        # script) are fetched at the first map of a session and then come from the browser's
        # cache: a first fetch is not counted as the map of the rerun that happened to draw
        # the session's first map (the base map file's bytes have their own line); a second
        # fetch of the same file would be.
        once = sum(b for u, b in got.http_by_url.items()
                   if b and u not in fetched and any(part in u for part in MAP_URL_PARTS))
        fetched.update(u for u, b in got.http_by_url.items() if b)
        times.append(secs)
        maps.append(got.map_bytes - once)
        alls.append(got.total_bytes - once)
        hows.append(how.split(":")[0])
        basemap_b += sum(b for u, b in got.http_by_url.items() if "/basemaps/" in u)
    row.browser = stats(times)
    row.map_b, row.all_b = max(maps, default=0), max(alls, default=0)
    if "timeout" in hows:
        row.note = (row.note + "; " if row.note else "") + "browser timed out"
    elif set(hows) == {"kept"}:
        row.note = (row.note + "; " if row.note else "") + "map unchanged"
    print(f"  browser {ds.label:<13} {role:<12} {spec.title:<16} open {row.open_s:6.2f} s"
          f" · change→map {row.browser.fmt(2)} s · map {row.map_b:,} B of "
          f"{row.all_b:,} B ({'/'.join(hows)})", flush=True)
    return basemap_b


# --- report ---------------------------------------------------------------------------------

def summary(rows: list[Row]) -> str:
    """The last line: pages measured, slowest warm server and map figures, largest map.

    Solves bounded by the user's time limit (``Row.bounded``) are left out of the slowest.

    Examples
    --------
    >>> a = Row("Overview", "demo", "practitioner", server=stats([0.2, 0.3, 0.4]),
    ...         browser=stats([1.0, 1.2, 1.1]), map_b=120_000)
    >>> b = Row("Milk round", "demo", "practitioner", server=stats([6.0, 6.1, 6.2]),
    ...         browser=stats([7.0, 7.5, 8.0]), map_b=90_000, bounded=True)
    >>> summary([a, b])
    'summary: pages=2 slowest_server_s=0.30 slowest_map_s=1.10 max_payload_bytes=120000'
    """
    free = [r for r in rows if not r.bounded]

    def worst(values: list[float]) -> float:
        vals = [v for v in values if not math.isnan(v)]
        return max(vals) if vals else float("nan")

    return (f"summary: pages={len({r.page for r in rows})} "
            f"slowest_server_s={worst([r.server.median for r in free]):.2f} "
            f"slowest_map_s={worst([r.browser.median for r in free]):.2f} "
            f"max_payload_bytes={max((max(r.map_b, r.map_args_b) for r in rows), default=0)}")


def table(rows: list[Row]) -> str:
    """The figures as a Markdown table."""
    head = ("| page | programme | role | first use s | rerun s (server) | map args B | "
            "open→map s | change→map s | map B/rerun | all B/rerun | note |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r.page} | {r.data} | {r.role} | {r.first_s:.2f} | {r.server.fmt(2)} | "
            f"{r.map_args_b:,} | {'—' if math.isnan(r.open_s) else f'{r.open_s:.2f}'} | "
            f"{r.browser.fmt(2)} | {r.map_b:,} | {r.all_b:,} | "
            f"{'solve bounded by the user’s time limit; ' if r.bounded else ''}{r.note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Prepare the programmes, run the server and browser measurements, print the report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="records of the stored programme")
    ap.add_argument("--conc-size", type=int, default=1_000_000,
                    help="records of the programme for Concentrations")
    ap.add_argument("--runs", type=int, default=3, help="changes per page (≥ 3)")
    ap.add_argument("--pages", default="", help="page titles to run, comma separated")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per run or wait")
    ap.add_argument("--verbose", action="store_true", help="print every browser change")
    args = ap.parse_args(argv)
    runs = max(args.runs, 3)
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    if not PBF.is_file():
        print(f"No road network at {PBF}: set SYMBIOMAP_BENCH_DIR to the shared bench folder.")
        return 2
    print(f"load average at start {load()} on {os.cpu_count()} cores")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="symbiomap-pages-") as tmp:
        datasets = prepare_data(Path(tmp), size=args.size, conc_size=args.conc_size)
        plan = []
        for ds in datasets:
            for role in ("practitioner", "viewer"):
                pages = [s for s in PAGES if role in s.roles and ds.label in s.datasets
                         and (not wanted or s.title in wanted)]
                if pages:
                    plan.append((ds, role, pages))
        for ds, role, pages in plan:
            rows += server_rows(ds, role, pages, runs=runs, timeout=args.timeout)
        outside: list[str] = []
        if not args.no_browser:
            by_key = {(r.page, r.data, r.role): r for r in rows}
            for ds, role, pages in plan:
                got, basemap_b = browser_rows(ds, role, pages, by_key, runs=runs,
                                              timeout_s=args.timeout, verbose=args.verbose)
                outside += got
                print(f"  base map file for {ds.label} ({role}): {basemap_b:,} B on the wire "
                      "over the whole session (gzip; fetched once, then from the cache)")
    print()
    print(table(rows))
    print(f"\nrequests outside the app: {len(outside)}" + (f" ({outside[:3]})" if outside else ""))
    over = [r for r in rows if not r.bounded and (r.server.median > SERVER_GOAL_S
                                                  or r.browser.median > MAP_GOAL_S)]
    big = [r for r in rows if max(r.map_b, r.map_args_b) > PAYLOAD_GOAL_B]
    print(f"over the time goals (server ≤ {SERVER_GOAL_S:g} s, map ≤ {MAP_GOAL_S:g} s): "
          + (", ".join(f"{r.page} ({r.data}, {r.role})" for r in over) or "none"))
    print(f"over {PAYLOAD_GOAL_B:,} B of map per rerun: "
          + (", ".join(f"{r.page} ({r.data}, {r.role})" for r in big) or "none"))
    print(f"load average at end {load()}")
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
