"""``python -m geo site-score`` on the embedded demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.cli.site_score import main


def test_scores_writes_files_and_memo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a 100 m housing rule the demo ranks sites, picks two plants and writes the files."""
    code = main(["--profile", "wood_biomass_chp", "--residential-m", "100",
                        "--candidates", "hexagons", "--top", "5", "--p", "2",
                        "--objective", "p-median", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Waste-wood biomass" in out and "Best sites" in out and "proven optimal" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert {"ranking.csv", "ranking.gpkg", "plants.gpkg", "flows.csv", "catchments.gpkg",
            "memo.md", "memo.html"} <= names
    assert (tmp_path / "memo.md").read_text().startswith("# Site finder: Waste-wood")


def test_no_passing_candidate_exits_with_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """The profile's own 250 m rule removes every demo park; the error says which rule."""
    assert main(["--profile", "anaerobic_digestion"]) == 1
    err = capsys.readouterr().err
    assert "No candidate passes" in err and "residential: removed" in err


def test_list_and_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    """--list names the five profiles; an unknown one lists the valid ids."""
    assert main(["--list"]) == 0
    assert capsys.readouterr().out.count("t/yr") == 5
    assert main(["--profile", "nope"]) == 1
    assert "anaerobic_digestion" in capsys.readouterr().err


def test_json_output_for_viewers(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON output for a viewer carries ranks and no supplier names."""
    import json

    code = main(["--profile", "anaerobic_digestion", "--residential-m", "100",
                        "--candidates", "hexagons", "--role", "viewer", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "road" and data["top"][0]["rank"] == 1
    assert all("supplier_names" not in row for row in data["top"])


def test_list_in_the_pseudo_locale(capsys: pytest.CaptureFixture[str]) -> None:
    """--list speaks the reader's language: each line is ours (bracketed) with the profile's
    translated name and figures filled; the ids stay codes."""
    from geo.i18n import use_locale

    with use_locale("qps_PLOC"):
        assert main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    line = next(ln for ln in lines if ln.startswith("anaerobic_digestion "))
    assert "⟦⟦Àñàérõbîç dîgéstîõñ" in line and "2,000–50,000" in line and "{" not in line
