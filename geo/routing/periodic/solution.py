"""The solver's answer on the core's terms: patterns, routes per day, and the stops left out.

Indices refer to the :class:`~geo.routing.periodic.instance.PeriodicInstance` (stops, places,
vehicle classes, days); costs are in the instance's integer cost units. The GIS layer turns
this into named producers, clock times and currency (:mod:`~geo.routing.periodic.plan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.routing.periodic.encode import DecodedRoute, RouteLists
    from geo.routing.periodic.instance import PeriodicInstance

__all__ = ["PeriodicSolution"]


@dataclass(frozen=True)
class PeriodicSolution:
    """Routes for every working day of the horizon and the pattern of every stop.

    Attributes
    ----------
    instance : PeriodicInstance
    choice : tuple of int
        Pattern index per stop (meaningful for served stops).
    routes : tuple of DecodedRoute
        Non-empty routes, by day then vehicle class.
    route_lists : list of (int, list of int)
        The same routes as PyVRP client lists (a warm start for a re-plan).
    unserved : tuple of int
        Stops not visited on every day of a pattern (their partial visits removed).
    cost : float
        Objective of the routes (integer cost units; ``inf`` when infeasible).
    feasible : bool
        Whether every route keeps capacities, windows, shifts and vehicles per day.
    relaxed : bool
        True when visits were made optional to find a plan that serves what fits.
    runtime_s : float
        Wall-clock time of the solve.
    seed_costs : tuple of float
        Each seed's best objective (``inf`` if infeasible), for transparency.
    """

    instance: PeriodicInstance
    choice: tuple[int, ...]
    routes: tuple[DecodedRoute, ...]
    route_lists: RouteLists
    unserved: tuple[int, ...]
    cost: float
    feasible: bool
    relaxed: bool
    runtime_s: float
    seed_costs: tuple[float, ...] = ()

    @property
    def served(self) -> tuple[int, ...]:
        """Stops visited on every day of their pattern."""
        gone = set(self.unserved)
        return tuple(s for s in range(len(self.instance.stops)) if s not in gone)

    def pattern_of(self, stop: int) -> tuple[int, ...]:
        """Days on which ``stop`` is visited (its chosen pattern)."""
        return self.instance.stops[stop].patterns[self.choice[stop]]

    def routes_on(self, day: int) -> list[DecodedRoute]:
        """Routes of one working day."""
        return [r for r in self.routes if r.day == day]
