"""Tests of ``python -m geo milk-round`` (geo.cli.milk_round)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from geo.cli.milk_round import main


def test_cli_plans_the_demo_and_writes_files(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The demo organics round is planned and written as CSV, Excel, GPX, GeoJSON and KPIs."""
    code = main(["--stream", "organics", "--depot", "KAR-S012", "--vehicles", "2",
                           "--capacity-t", "15", "--days", "mon,wed", "--time-limit", "1",
                           "--seeds", "0", "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "Milk round from" in out and "Vehicle distance" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"run_sheet.csv", "run_sheet.xlsx", "routes.gpx", "routes.geojson",
                     "kpis.csv", "left_out.csv"}
    ET.fromstring((tmp_path / "routes.gpx").read_bytes())
    geo = json.loads((tmp_path / "routes.geojson").read_text())
    assert geo["features"] and geo["features"][0]["geometry"]["type"] == "LineString"


def test_cli_reports_an_oversize_pickup_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """Too small a vehicle gives exit code 1 and the producers with their pickups."""
    code = main(["--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "2",
                           "--time-limit", "0.5", "--seeds", "0"])
    assert code == 1
    err = capsys.readouterr().err
    assert "larger than one vehicle (2.00 t)" in err


def test_cli_refuses_a_zero_capacity(capsys: pytest.CaptureFixture[str]) -> None:
    """--capacity-t 0 is refused as such; it was replaced by the 10 t default, which then
    failed with a message about a 10 t vehicle the user never asked for."""
    code = main(["--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "0",
                 "--time-limit", "0.5", "--seeds", "0"])
    assert code != 0
    err = capsys.readouterr().err
    assert "capacity must be a positive number, got 0" in err and "10.0 t" not in err


def test_cli_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints the KPIs as machine-readable records."""
    code = main(["--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "15",
                           "--vehicles", "3", "--time-limit", "0.5", "--seeds", "0", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["feasible"] and data["served"] > 5
    assert {k["metric"] for k in data["kpis"]} >= {"vehicle distance", "CO2e"}


def test_cli_speaks_the_readers_language_but_json_stays_english(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Printed text is translated (pseudo-locale); --json keeps English codes and reasons."""
    from geo.i18n import use_locale

    args = ["--stream", "organics", "--depot", "KAR-S012", "--capacity-t", "15",
            "--vehicles", "3", "--time-limit", "0.5", "--seeds", "0"]
    with use_locale("qps_PLOC"):
        assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("⟦Mîlk rõüñd frõm ") and "⟦Véhîçlé dîstàñçé⟧" in out
    assert "⟦Léft õüt (" in out
    with use_locale("pt_BR"):
        assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {k["metric"] for k in data["kpis"]} >= {"vehicle distance", "CO2e"}
    assert any(k["source"] == "road network" for k in data["kpis"])


def test_cli_errors_in_the_pseudo_locale(capsys: pytest.CaptureFixture[str]) -> None:
    """An argument error is reported translated, with what was given filled in."""
    from geo.i18n import use_locale

    with use_locale("qps_PLOC"):
        code = main(["--stream", "organics", "--depot", "KAR-S012", "--shift", "7-15-x"])
    assert code == 1
    assert "⟦Éxpéçtéd à tîmé wîñdõw lîké 07:00-15:00, gõt '7-15-x'.⟧" in capsys.readouterr().err
