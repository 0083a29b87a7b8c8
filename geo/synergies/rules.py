"""Compatibility rules: which haves may meet which wants beyond "same catalogue code".

The rules are data (``data/matching/compatibility.csv``, described in its README): *family*
rules link catalogue codes to catalogue codes, *sector* rules say "this waste is a feedstock
for that NACE sector", and *class* rules link uncoded resources of a class (energy, water,
logistics). :func:`load_rules` reads and validates the file; :func:`expand_rules` turns the
selectors into plain lookup tables over the codes and sectors a programme actually has, which
is what the vectorised matcher joins on.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

import pandas as pd

from geo.errors import SynergyError
from geo.i18n import N_, _
from geo.programme import RESOURCE_CLASSES
from geo.settings import DATA_DIR

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "RULES_CATALOGUE",
    "RULES_PATH",
    "RULE_KINDS",
    "RULE_KIND_LABELS",
    "CodeCatalogue",
    "ExpandedRules",
    "expand_rules",
    "load_rules",
    "resolve_selectors",
    "sector_matches",
    "split_selectors",
]

logger = logging.getLogger(__name__)

RULES_PATH: Final = DATA_DIR / "matching" / "compatibility.csv"
RULES_CATALOGUE: Final = "ewc"
"""Id of the catalogue whose codes the shipped rules name (the EWC): they are not applied to
a programme coded in another catalogue, whose codes may share digits but not meanings."""
RULE_KINDS: Final = ("family", "sector", "class")
# Translators: kinds of compatibility rule: between families of waste codes, from a waste
# code to a receiving economic sector, between classes of resource (energy, water…).
RULE_KIND_LABELS: Final = {"family": N_("family"), "sector": N_("sector"), "class": N_("class")}
"""Display label of each rule kind (translate with ``_`` where shown)."""
_COLUMNS: Final = ("rule_id", "kind", "have", "want", "strength", "rationale", "source")
_NUMERIC = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
_NACE = re.compile(r"^\d{2}(\.\d{1,2})?$")


class CodeCatalogue(Protocol):
    """What the rules need of a waste catalogue (``geo.catalogue.Catalogue`` provides it)."""

    def codes_matching(self, selectors: Iterable[str]) -> frozenset[str]:
        """Entry codes selected by codes, chapters, subchapters or stream-group names."""

    def describe(self, code: str) -> str:
        """The catalogue's description of a code."""


@dataclass(frozen=True)
class ExpandedRules:
    """Rules resolved over a programme's codes and sectors, ready to join on.

    Attributes
    ----------
    family : DataFrame
        ``have_code``, ``want_code``, ``rule_id``, ``strength`` — one row per code pair.
    sector : DataFrame
        ``have_code``, ``sector``, ``rule_id``, ``strength`` — ``sector`` is a sector label
        present in the programme that one of the rule's NACE prefixes matches.
    klass : DataFrame
        ``have_class``, ``want_class``, ``rule_id``, ``strength``.
    table : DataFrame
        The rules as loaded (for rationale and source in match reasons).
    """

    family: pd.DataFrame
    sector: pd.DataFrame
    klass: pd.DataFrame
    table: pd.DataFrame


def split_selectors(value: object) -> list[str]:
    """The selectors of a rule cell: split on white space, commas and semicolons.

    Examples
    --------
    >>> split_selectors("1501, 1912;plastics  02")
    ['1501', '1912', 'plastics', '02']
    >>> split_selectors(None)
    []
    """
    return [t for t in re.split(r"[\s;,]+", str(value or "").strip()) if t]


def load_rules(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a compatibility-rule file (default the shipped one).

    Returns
    -------
    DataFrame
        One row per rule, ``strength`` as float, indexed 0..n-1.

    Raises
    ------
    SynergyError
        Missing columns, duplicate ids, unknown kinds, strengths outside (0, 1], malformed
        NACE prefixes or classes — each message names the rule and the fix.

    Examples
    --------
    >>> rules = load_rules()
    >>> sorted(rules["kind"].unique())
    ['class', 'family', 'sector']
    """
    p = Path(path) if path is not None else RULES_PATH
    return _read(p.resolve()).copy()


@functools.lru_cache(maxsize=8)
def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        msg = _("Compatibility-rule file {path} does not exist; give the path of a CSV "
                "file.").format(path=repr(str(path)))
        raise SynergyError(msg)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        msg = _("Rule file {file} lacks columns {missing}; expected {expected}.").format(
            file=path.name, missing=missing, expected=list(_COLUMNS))
        raise SynergyError(msg)
    dup = table.loc[table["rule_id"].duplicated(), "rule_id"].tolist()
    if dup:
        msg = _("Rule file {file}: rule ids {ids} appear more than once; make them "
                "unique.").format(file=path.name, ids=repr(dup))
        raise SynergyError(msg)
    strength = pd.to_numeric(table["strength"], errors="coerce")
    problems: list[str] = []
    for i, row in enumerate(table.to_dict("records")):
        rid = row["rule_id"]
        if row["kind"] not in RULE_KINDS:
            problems.append(_("{rule}: kind {kind} is not one of {kinds}").format(
                rule=rid, kind=repr(row["kind"]), kinds=", ".join(RULE_KINDS)))
        s = float(strength.iloc[i])
        if not (0 < s <= 1):
            problems.append(_("{rule}: strength {strength} must be a number in (0, 1]").format(
                rule=rid, strength=repr(row["strength"])))
        have, want = split_selectors(row["have"]), split_selectors(row["want"])
        if not have or not want:
            problems.append(_("{rule}: both 'have' and 'want' need at least one "
                              "selector").format(rule=rid))
        if row["kind"] == "sector":
            bad = [w for w in want if not _NACE.match(w)]
            if bad:
                problems.append(_("{rule}: sector prefixes {prefixes} are not NACE like '38.2' "
                                  "or '01'").format(rule=rid, prefixes=repr(bad)))
        if row["kind"] == "class":
            bad = [c for c in (*have, *want) if c not in RESOURCE_CLASSES]
            if bad:
                problems.append(_("{rule}: classes {classes} are not among {known}").format(
                    rule=rid, classes=repr(bad), known=", ".join(RESOURCE_CLASSES)))
    if problems:
        msg = _("Rule file {file} has invalid rules: {problems}.").format(
            file=path.name, problems="; ".join(problems))
        raise SynergyError(msg)
    table["strength"] = strength.astype(float)
    return table.reset_index(drop=True)


def resolve_selectors(
    selectors: Iterable[str],
    *,
    universe: Iterable[str],
    catalogue: CodeCatalogue | None = None,
) -> frozenset[str]:
    """The 6-digit codes a list of selectors stands for.

    Numeric selectors (``"12"``, ``"1201"``, ``"120101"``) select every code of ``universe``
    that starts with them; other selectors (stream-group names like ``"plastics"``) are asked
    of the catalogue.

    Examples
    --------
    >>> sorted(resolve_selectors(["1201", "150102"], universe=["120101", "120105", "150102"]))
    ['120101', '120105', '150102']
    """
    codes = sorted(set(universe))
    out: set[str] = set()
    named: list[str] = []
    for sel in selectors:
        if _NUMERIC.match(sel):
            out.update(c for c in codes if c.startswith(sel))
            if len(sel) == 6:
                out.add(sel)
        else:
            named.append(sel)
    if named:
        if catalogue is None:
            msg = _("Selectors {selectors} are stream-group names, which need the waste "
                    "catalogue; pass catalogue=load_catalogue() or use codes and "
                    "chapters.").format(selectors=repr(named))
            raise SynergyError(msg)
        out.update(catalogue.codes_matching(named))
    return frozenset(out)


def sector_matches(prefixes: Iterable[str], sectors: Iterable[str]) -> list[str]:
    """The sector labels that start with one of the NACE prefixes (``"38.2"`` ⊃ ``"38.21"``).

    Examples
    --------
    >>> sector_matches(["38.2", "01"], ["38.2", "38.21", "01.1", "10.1"])
    ['01.1', '38.2', '38.21']
    """
    pre = tuple(prefixes)
    return sorted({s for s in sectors if isinstance(s, str) and s.startswith(pre)})


def expand_rules(
    rules: pd.DataFrame,
    *,
    codes: Iterable[str],
    sectors: Iterable[str],
    catalogue: CodeCatalogue | None = None,
) -> ExpandedRules:
    """Resolve every rule's selectors over the codes and sectors of a programme.

    Parameters
    ----------
    rules : DataFrame
        As returned by :func:`load_rules`.
    codes : iterable of str
        Catalogue codes present (haves and wants); numeric selectors resolve over these and
        the catalogue's own codes.
    sectors : iterable of str
        NACE sector labels of the programme's sites.
    catalogue : CodeCatalogue, optional
        Needed only when rules name stream groups.
    """
    universe = set(codes)
    sector_list = sorted({s for s in sectors if isinstance(s, str)})
    fam: list[tuple[str, str, str, float]] = []
    sec: list[tuple[str, str, str, float]] = []
    cls: list[tuple[str, str, str, float]] = []
    for row in rules.itertuples(index=False):
        have, want = split_selectors(row.have), split_selectors(row.want)
        strength = float(row.strength)
        if row.kind == "class":
            cls.extend((h, w, row.rule_id, strength) for h in have for w in want)
            continue
        have_codes = resolve_selectors(have, universe=universe, catalogue=catalogue)
        if row.kind == "family":
            want_codes = resolve_selectors(want, universe=universe, catalogue=catalogue)
            fam.extend((h, w, row.rule_id, strength)
                       for h in sorted(have_codes) for w in sorted(want_codes) if h != w)
        else:
            for s in sector_matches(want, sector_list):
                sec.extend((h, s, row.rule_id, strength) for h in sorted(have_codes))

    def frame(rows: list[tuple[str, str, str, float]], a: str, b: str) -> pd.DataFrame:
        df = pd.DataFrame(rows, columns=[a, b, "rule_id", "strength"])
        # Several rules may link the same pair: keep the strongest.
        return (df.sort_values("strength", ascending=False, kind="stable")
                .drop_duplicates([a, b]).reset_index(drop=True))

    return ExpandedRules(family=frame(fam, "have_code", "want_code"),
                         sector=frame(sec, "have_code", "sector"),
                         klass=frame(cls, "have_class", "want_class"),
                         table=rules)
