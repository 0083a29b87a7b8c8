"""Tests of geo.synergies.rules: the shipped rules, selectors, expansion and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.catalogue import load_catalogue
from geo.errors import SynergyError
from geo.synergies.rules import expand_rules, load_rules, resolve_selectors, split_selectors


def test_rules_file_is_valid_and_selectors_resolve() -> None:
    """The shipped rules load; chapter and group selectors resolve through the catalogue."""
    rules = load_rules()
    assert rules["rule_id"].is_unique
    cat = load_catalogue()
    assert "150102" in resolve_selectors(["plastics"], universe=[], catalogue=cat)
    assert resolve_selectors(["15"], universe=["150102", "170107"]) == {"150102"}
    expanded = expand_rules(rules, codes=["150102", "191204"], sectors=["22.2"], catalogue=cat)
    assert (expanded.family[["have_code", "want_code"]].values.tolist()).count(
        ["150102", "191204"]) == 1


def test_bad_rules_file_is_refused(tmp_path: Path) -> None:
    """A rule with a bad kind and strength is refused with the rule named."""
    bad = tmp_path / "rules.csv"
    bad.write_text("rule_id,kind,have,want,strength,rationale,source\n"
                   "X1,magic,150102,191204,2,because,me\n")
    with pytest.raises(SynergyError, match="X1"):
        load_rules(bad)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1501, 1912;plastics  02", ["1501", "1912", "plastics", "02"]), ("", []), (None, []),
     (" 22.2 ", ["22.2"])],
)
def test_split_selectors(cell: object, expected: list[str]) -> None:
    """A rule cell splits on white space, commas and semicolons; empty cells give no selector."""
    assert split_selectors(cell) == expected
