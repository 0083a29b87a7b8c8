"""Disclosure control: the one layer every figure a viewer can see or download passes through.

- :mod:`~geo.disclosure.rules` — minimum contributors and the p % dominance rule;
- :mod:`~geo.disclosure.tree` — primary and complementary suppression on one hierarchy of
  totals, so that no difference of released figures isolates a producer;
- :mod:`~geo.disclosure.release` — a programme's protected release (stream → park →
  hexagons, haves and wants), built once per data version; every viewer figure derives
  from it;
- :mod:`~geo.disclosure.settings` — the rules a programme applies (defaults, or its own,
  audited);
- :mod:`~geo.disclosure.audit` — the attacker's tightest bounds from a release (linear
  programmes), for tests and benchmarks.
"""

from __future__ import annotations

from geo.disclosure.audit import Disclosure, audit_tree, disclosed, producer_bounds
from geo.disclosure.release import (
    OTHER_STREAM,
    OUTSIDE_PARKS,
    MassPoints,
    ProgrammeRelease,
    build_release,
    release_streams,
    streams_for_selectors,
)
from geo.disclosure.rules import DEFAULT_RULES, MIN_K, MIN_P_PERCENT, DisclosureRules
from geo.disclosure.tree import NODE_COLUMNS, ProtectedTree, protect_tree

__all__ = [
    "DEFAULT_RULES",
    "MIN_K",
    "MIN_P_PERCENT",
    "NODE_COLUMNS",
    "OTHER_STREAM",
    "OUTSIDE_PARKS",
    "Disclosure",
    "DisclosureRules",
    "MassPoints",
    "ProgrammeRelease",
    "ProtectedTree",
    "audit_tree",
    "build_release",
    "disclosed",
    "producer_bounds",
    "protect_tree",
    "release_streams",
    "streams_for_selectors",
]
