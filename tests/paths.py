"""Paths the tests share: the repository root and the test data folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (``app.py`` lives here)."""

DATA = ROOT / "tests" / "data"
"""Small recorded inputs for tests (e.g. Nominatim responses)."""
