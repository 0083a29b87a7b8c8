"""Tests of ``python -m geo concentrations`` (geo.cli.concentrations)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import rasterio

from geo.cli.concentrations import main


def test_plastics_job_writes_rasters_layers_and_summary(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The job writes a GeoTIFF, PNG + world file, GeoPackages and a summary of the demo."""
    out = tmp_path / "plastics"
    assert main(["--stream", "plastics", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["records"] > 0 and summary["illustrative"] is True
    with rasterio.open(out / "heat.tif") as src:
        assert src.crs.to_epsg() == 32635
        total = float(src.read(1).sum()) * (src.res[0] / 1000) ** 2
    assert total == pytest.approx(summary["tonnes"], rel=1e-5)
    assert (out / "heat.pgw").exists() and (out / "heat.png").exists()
    hexes = gpd.read_file(out / "hexagons.gpkg")
    assert hexes.crs.to_epsg() == 4326 and hexes["tonnes"].sum() == pytest.approx(
        summary["tonnes"])
    assert len(gpd.read_file(out / "clusters.gpkg")) == summary["clusters"]
    assert "files in" in capsys.readouterr().out


def test_viewer_outputs_come_from_the_release(tmp_path: Path) -> None:
    """With --role viewer the GeoTIFF holds classes, hexagons are released cells with no
    records, hot spots carry classes only, and a quantity filter is refused."""
    out = tmp_path / "viewer"
    assert main(["--out", str(out), "--role", "viewer"]) == 0
    with rasterio.open(out / "heat.tif") as src:
        assert src.dtypes[0] == "uint8" and "class numbers" in src.tags()["values"]
    hexes = gpd.read_file(out / "hexagons.gpkg")
    assert {"h3_cell", "tonnes", "figures"} <= set(hexes.columns)
    assert "records" not in hexes.columns
    assert not (out / "not_located.csv").exists()
    assert set(gpd.read_file(out / "hotspots.gpkg").columns) == {"h3_cell", "gi_bin", "label",
                                                                "geometry"}
    assert main(["--out", str(tmp_path / "x"), "--role", "viewer", "--min-tonnes", "5"]) == 2


def test_no_match_and_bad_bandwidth_exit_with_a_message(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """No matching record, or a zero bandwidth, exits 1 with an explanation."""
    assert main(["--stream", "asbestos", "--out", str(tmp_path / "a")]) == 1
    assert "Widen the filter" in capsys.readouterr().err
    assert main(["--bandwidth-m", "0", "--out", str(tmp_path / "b")]) == 1
    assert "500 km" in capsys.readouterr().err


def test_picture_is_written_and_texts_follow_the_language(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """--picture writes a PNG map; in the pseudo-locale the human output is translated while
    summary.json keeps English text."""
    from PIL import Image

    from geo.i18n import use_locale

    out = tmp_path / "viewer"
    picture = tmp_path / "pictures" / "heat_map.png"
    with use_locale("qps_PLOC"):
        assert main(["--out", str(out), "--role", "viewer", "--picture", str(picture)]) == 0
    with Image.open(picture) as img:
        assert img.format == "PNG" and img.width == 1200
    printed = capsys.readouterr().out
    assert "⟦Réléàséd fîgürés õf" in printed and "heat_map.png" in printed
    summary = json.loads((out / "summary.json").read_text())
    assert "⟦" not in summary["query"] and "⟦" not in summary["rules"]


@pytest.mark.parametrize("role", ["practitioner", "viewer"])
def test_an_unknown_park_is_named_with_the_parks_there_are(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], role: str) -> None:
    """A mistyped ``--park`` is an error naming it and the programme's parks, not "no
    records match"; nothing is written."""
    out = tmp_path / "out"
    assert main(["--out", str(out), "--park", "KAR-P1", "--park", "NOPE", "--role", role]) == 2
    err = capsys.readouterr().err
    assert "NOPE is not a park" in err and "KAR-P1" in err and "KAR-P2" in err
    assert not out.exists()
