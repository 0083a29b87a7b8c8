"""Disclosure control: the one layer every figure a viewer can see or download passes through.

- :mod:`~geo.disclosure.rules` — minimum contributors and the p % dominance rule;
- :mod:`~geo.disclosure.tree` — primary and complementary suppression on one hierarchy of
  totals, so that no difference of released figures isolates a producer;
- :mod:`~geo.disclosure.audit` — the attacker's tightest bounds from a release (linear
  programmes), for tests and benchmarks.
"""

from __future__ import annotations

from geo.disclosure.audit import Disclosure, audit_tree, disclosed, producer_bounds
from geo.disclosure.rules import DEFAULT_RULES, MIN_K, MIN_P_PERCENT, DisclosureRules
from geo.disclosure.tree import NODE_COLUMNS, ProtectedTree, protect_tree

__all__ = [
    "DEFAULT_RULES",
    "MIN_K",
    "MIN_P_PERCENT",
    "NODE_COLUMNS",
    "Disclosure",
    "DisclosureRules",
    "ProtectedTree",
    "audit_tree",
    "disclosed",
    "producer_bounds",
    "protect_tree",
]
