"""Tests of the cited conversion-factor table."""

from __future__ import annotations

import pytest

from geo.errors import SymbiosisError
from geo.factors import load_factors


def test_every_factor_is_cited_and_versioned() -> None:
    """Each row has a positive value, a unit, a source and a version."""
    table = load_factors().table
    assert (table["value"].astype(float) > 0).all()
    for col in ("unit", "source", "version"):
        assert (table[col].str.len() > 0).all(), col


def test_known_factor_and_citation() -> None:
    """The HGV tonne-km factor is found, in kg CO2e per tonne-km, and cites its edition."""
    f = load_factors().get("hgv_co2e_kg_per_tkm")
    assert 0.05 < f.value < 0.2
    assert "2024" in f.cite()


def test_unknown_factor_lists_known_names() -> None:
    """Asking for a missing factor names the ones that exist."""
    with pytest.raises(SymbiosisError, match="hgv_co2e_kg_per_km"):
        load_factors().get("nope")


def test_malformed_factor_file_is_refused(tmp_path) -> None:
    """A non-numeric value is refused with the factor's name."""
    p = tmp_path / "f.csv"
    p.write_text("name,value,unit,description,source,version,url\nx,abc,u,d,s,1,\n")
    with pytest.raises(SymbiosisError, match=r"\['x'\]"):
        load_factors(p)
