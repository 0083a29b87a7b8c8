"""Tests of ``python -m geo demo`` (geo.cli.demo)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.paths import ROOT


def test_demo_job_prints_figures() -> None:
    """``demo --json`` reports the embedded programme, labelled illustrative."""
    out = subprocess.run([sys.executable, "-m", "geo", "demo", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=False)
    data = json.loads(out.stdout)
    assert data["illustrative"] is True and data["members"] > 40
