"""Illustrative synergies of the embedded demo programme, at every stage, with outcomes.

So that the Reports page, the synergy network and the funders' workbook show real content on
a fresh start, the demo carries a synergy book made from its own best have → want matches:
ideas, identified and in-progress synergies, implemented and completed ones with two years of
outcomes (landfill diverted, cost savings, new sales, jobs), and a few abandoned with a
reason. Everything is **illustrative** and deterministic (fixed dates, fixed seed), like the
demo's quantities.

Examples
--------
>>> from geo.demo import load_demo_programme
>>> book = demo_synergy_book(load_demo_programme())
>>> sorted(book.synergies["stage"].unique())
['abandoned', 'completed', 'idea', 'identified', 'implemented', 'in progress']
>>> bool((book.outcomes["outcome_type"] == "landfill_diverted_t").any())
True
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from geo.catalogue import load_catalogue
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import STAGES, change_stage, create_synergy
from geo.synergies.matching import Matcher
from geo.synergies.outcomes import record_outcome

if TYPE_CHECKING:
    from geo.programme import Programme

__all__ = ["DEMO_PRACTITIONERS", "demo_synergy_book"]

DEMO_PRACTITIONERS: Final = ("Aino Korhonen (demo)", "Eero Virtanen (demo)")
"""The illustrative facilitators who "recorded" the demo synergies."""

# Stage each demo synergy ends at, cycled over the best matches: most at early stages, as in
# a real pipeline.
_PLAN: Final = ("idea", "identified", "completed", "in progress", "idea", "implemented",
                "identified", "completed", "abandoned", "in progress", "idea", "implemented",
                "completed", "identified", "abandoned", "idea", "in progress", "completed")
_ABANDON_REASONS: Final = ("quality not accepted by the receiving plant",
                           "receiving company changed its process")
_START: Final = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)


def demo_synergy_book(programme: Programme, *, seed: int = 7, count: int = 36) -> SynergyBook:
    """The demo's illustrative synergy book (see the module docstring).

    Parameters
    ----------
    programme : Programme
        The demo programme (:func:`geo.demo.load_demo_programme`).
    seed : int
        Seed of the illustrative outcome figures.
    count : int
        How many synergies (at most one per have).
    """
    rng = np.random.default_rng(seed)
    table = Matcher.from_programme(programme, catalogue=load_catalogue()).all_pairs().table
    table = table[table["unit"] == "t/yr"].sort_values(["rank", "score"],
                                                         ascending=[True, False], kind="stable")
    table = table.drop_duplicates("have_id").head(count)
    res = programme.resources.set_index("resource_id")
    book = empty_book()
    for i, row in enumerate(table.itertuples(index=False)):
        have: dict[str, Any] = res.loc[row.have_id].to_dict() | {"resource_id": row.have_id}
        want: dict[str, Any] = res.loc[row.want_id].to_dict() | {"resource_id": row.want_id}
        who = DEMO_PRACTITIONERS[i % len(DEMO_PRACTITIONERS)]
        at = _START + timedelta(days=17 * i)
        book, sid = create_synergy(book, have=have, want=want, practitioner=who, at=at,
                                   proposed_because=str(row.reasons),
                                   distance_km=float(row.distance_km),
                                   distance_method=str(row.distance_method))
        target = _PLAN[i % len(_PLAN)]
        version = 1
        if target == "abandoned":
            book = change_stage(book, sid, "identified", expected_version=version,
                                practitioner=who, at=at + timedelta(days=20))
            book = change_stage(book, sid, "abandoned", expected_version=version + 1,
                                practitioner=who, at=at + timedelta(days=60),
                                reason=_ABANDON_REASONS[i % len(_ABANDON_REASONS)])
            continue
        for step, stage in enumerate(STAGES[1:STAGES.index(target) + 1], start=1):
            book = change_stage(book, sid, stage, expected_version=version, practitioner=who,
                                at=at + timedelta(days=30 * step),
                                note="illustrative demo step")
            version += 1
        if target in ("implemented", "completed"):
            book = _outcomes(book, sid, have, who=who, at=at, version=version, rng=rng)
    return book


def _outcomes(book: SynergyBook, sid: str, have: dict[str, Any], *, who: str, at: datetime,
              version: int, rng: np.random.Generator) -> SynergyBook:
    """Two reporting years of illustrative outcomes for an implemented synergy."""
    quantity = float(have["quantity"])
    when = at + timedelta(days=200)
    for year in (2025, 2026):
        share = float(rng.uniform(0.4, 0.9))
        figures = (("landfill_diverted_t", round(quantity * share, 1)),
                   ("cost_savings", round(quantity * share * float(rng.uniform(40, 120)), -1)),
                   ("new_sales", round(quantity * share * float(rng.uniform(10, 60)), -1)),
                   ("jobs_created", float(rng.integers(0, 3))))
        for kind, value in figures:
            book = record_outcome(book, sid, kind, value, period=year, have=have,
                                  expected_version=version, practitioner=who, at=when,
                                  note="illustrative demo figure")
            version += 1
            when += timedelta(hours=1)
    return book
