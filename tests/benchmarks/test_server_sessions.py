"""The server benchmark's reading of the app's rerun log (hand-checkable lines)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.server_sessions import SessionLog, busy_cpu_seconds, report, rerun_seconds

LOG = """\
2026-12-06 22:10:01,000 INFO symbiomap.rerun: rerun page=concentrations seconds=0.412
2026-12-06 22:10:01,500 INFO geo.store: loaded
2026-12-06 22:10:02,000 INFO symbiomap.rerun: rerun page=import seconds=3.250
2026-12-06 22:10:03,000 INFO symbiomap.rerun: rerun page=concentrations seconds=1.000
not a log line seconds=9
"""


def test_rerun_seconds_groups_the_app_log_by_page() -> None:
    """Only the rerun logger's lines count, each under its page, in order."""
    assert rerun_seconds(LOG) == {"concentrations": [0.412, 1.0], "import": [3.25]}
    assert rerun_seconds("") == {}


def test_report_gives_the_server_side_beside_the_browser(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """The report prints each page's reruns from the app log and returns the Concentrations
    p95 beside the browser's."""
    log = SessionLog("viewer-0", "viewer", changes=[(2.0, "drawn"), (4.0, "drawn")],
                     change_starts=[100.0, 120.0])
    importer = SessionLog("practitioner-0", "practitioner", imports=[3.0], landed=[110.0])
    out = report([log, importer], wall_s=10.0, loads=((0.5, 0.5, 0.5), (1.0, 1.0, 1.0)),
                 reruns=rerun_seconds(LOG))
    text = capsys.readouterr().out
    assert "server: concentrations rerun (app log)" in text and "n=  2" in text
    assert out["server_concentrations_p95_s"] == pytest.approx(0.412 + 0.95 * (1.0 - 0.412))
    assert out["viewer_p95_s"] == pytest.approx(3.9)
    first = next(line for line in text.splitlines() if "first after an import" in line)
    others = next(line for line in text.splitlines() if "the others" in line)
    assert "n=  1 p50 4.00 s" in first and "n=  1 p50 2.00 s" in others


def test_busy_cpu_seconds_leaves_out_idle_and_io_wait_and_guest_time() -> None:
    """user 100 + nice 0 + system 50 + irq 5 + softirq 5 + steal 0 ticks are busy; idle 800
    and iowait 40 are not, and guest time (20) is already inside user time."""
    line = "cpu  100 0 50 800 40 5 5 0 20 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
    assert busy_cpu_seconds(line) == pytest.approx(160 / os.sysconf("SC_CLK_TCK"))


def test_a_kept_trace_lines_up_changes_imports_and_reruns(tmp_path: Path) -> None:
    """The timeline holds each change's start (a Unix time, to line up with the app's log)
    and seconds, each import's landing, and a copy of the app's log."""
    import json
    import time

    from benchmarks.server_sessions import SessionLog, keep_trace

    log_file = tmp_path / "streamlit.log"
    log_file.write_text("2026-12-07 14:00:00,000 INFO symbiomap.rerun: rerun page=x seconds=1\n")
    now = time.perf_counter()
    logs = [SessionLog("viewer-0", "viewer", changes=[(1.5, "swapped")], change_starts=[now]),
            SessionLog("practitioner-0", "practitioner", imports=[3.0], landed=[now + 2])]
    keep_trace(tmp_path / "trace", logs, log_file)
    timeline = json.loads((tmp_path / "trace" / "timeline.json").read_text())
    assert [t["name"] for t in timeline] == ["viewer-0", "practitioner-0"]
    assert abs(timeline[0]["starts"][0] - time.time()) < 60
    assert timeline[1]["landed"][0] - timeline[0]["starts"][0] == pytest.approx(2, abs=1e-3)
    assert timeline[0]["changes"] == [[1.5, "swapped"]]
    assert (tmp_path / "trace" / "streamlit.log").read_text() == log_file.read_text()
