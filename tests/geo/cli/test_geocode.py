"""``python -m geo geocode`` end to end on small files in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo.cli.geocode import main


@pytest.fixture
def member_csv(tmp_path: Path) -> Path:
    """A four-row member list: a postcode, a town, a Chinese address and a name alone."""
    path = tmp_path / "members.csv"
    path.write_text("name,address,postcode,city,country\n"
                    "Acme,,b47da,,GB\n"
                    "Usina,,,Ipatinga,BR\n"
                    "厂,江苏省扬州市邗江区,,,CN\n"
                    "Nobody,,,,\n", encoding="utf-8")
    return path


def test_cli_writes_rows_and_prints_summary(member_csv: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The output has every input row plus the result columns; the summary counts precisions."""
    out = tmp_path / "out" / "located.csv"
    assert main([str(member_csv), "--out", str(out), "--no-nominatim"]) == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(result) == 4
    assert result["precision"].tolist() == ["postcode", "town", "district", "not_found"]
    assert result.loc[3, "reason"]
    printed = capsys.readouterr().out
    assert "3 of 4 records located" in printed and "postcode" in printed


def test_cli_json_summary(member_csv: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints counts by precision and source, and where the file went."""
    out = tmp_path / "located.csv"
    assert main([str(member_csv), "--out", str(out), "--json", "--no-nominatim"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 4 and summary["located"] == 3
    assert summary["by_precision"]["district"] == 1
    assert summary["by_source"]["uk_postcodes"] == 1
    assert summary["out"] == str(out)


def test_cli_excel_input(tmp_path: Path) -> None:
    """An Excel member list is read too."""
    xlsx = tmp_path / "members.xlsx"
    pd.DataFrame({"city": ["Kotka"], "country": ["FI"]}).to_excel(xlsx, index=False)
    out = tmp_path / "out.csv"
    assert main([str(xlsx), "--out", str(out), "--no-nominatim"]) == 0
    assert pd.read_csv(out)["source"].tolist() == ["gazetteer"]


@pytest.mark.parametrize("content", [None, ""])
def test_cli_fails_only_when_nothing_can_be_read(tmp_path: Path, content: str | None,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A missing or empty file exits 2 with a message on stderr."""
    path = tmp_path / "members.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main([str(path), "--out", str(tmp_path / "o.csv")]) == 2
    assert "geocode:" in capsys.readouterr().err
