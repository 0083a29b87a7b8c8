"""Why a producer cannot have a visit pattern, or was not served — in words, with figures.

- :func:`pattern_problem` says why a frequency, accepted weekdays, storage limit and horizon
  leave no pattern (refused before planning);
- :func:`unserved_reason` says why a producer was left out of a plan that could not serve
  every visit (vehicles full or shifts used on its days).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.routing.explain import format_duration
from geo.routing.periodic.horizon import gaps_days, visit_patterns

if TYPE_CHECKING:
    from geo.routing.periodic.horizon import Horizon, VisitFrequency

__all__ = ["pattern_problem", "unserved_reason"]


def pattern_problem(frequency: VisitFrequency, accepted: tuple[str, ...], horizon: Horizon,
                    storage_days: float | None = None) -> str:
    """Why ``frequency`` on ``accepted`` weekdays has no pattern in ``horizon`` ("" if it has).

    Examples
    --------
    >>> from geo.routing.periodic.horizon import Horizon, VisitFrequency
    >>> pattern_problem(VisitFrequency("fortnightly"), ("mon",), Horizon(weeks=3))[:46]
    'fortnightly collections repeat every 2 weeks, '
    >>> pattern_problem(VisitFrequency("weekly"), ("tue",), Horizon(weeks=4, closed=(15,)))[:60]
    'weekly collections need 4 regular visit(s) in 4 week(s) on t'
    """
    if visit_patterns(frequency, accepted, horizon, max_gap_days=storage_days):
        return ""
    label = (f"collections {frequency.label}" if frequency.kind in ("per_week", "four_weekly")
             else f"{frequency.label} collections")
    if horizon.weeks % frequency.period_weeks:
        fits = [w for w in range(1, 5) if w % frequency.period_weeks == 0]
        return (f"{label} repeat every {frequency.period_weeks} weeks, which a "
                f"{horizon.weeks}-week horizon cannot hold: plan {' or '.join(map(str, fits))} "
                "weeks, or change its frequency")
    worked = [d for d in accepted if d in horizon.weekdays]
    open_days = [d.label for d in horizon.days if d.weekday in accepted]
    need = frequency.visits_in(horizon)
    if not worked:
        return (f"accepts collections on {', '.join(accepted)} only, none of them a working "
                f"day ({', '.join(horizon.weekdays)}): add one of its days to the working "
                "days or change the days it accepts")
    if visit_patterns(frequency, accepted, horizon):
        assert storage_days is not None
        shortest = min(max(gaps_days(tuple(horizon.days[i].calendar for i in p),
                                     horizon.calendar_days))
                       for p in visit_patterns(frequency, accepted, horizon))
        return (f"its storage lasts {storage_days:g} days but {label} on its days "
                f"are at least {shortest} days apart: collect it more often or accept more "
                "weekdays")
    return (f"{label} need {need:g} regular visit(s) in {horizon.weeks} week(s) on the same "
            f"weekday(s), but it accepts only {len(open_days)} working day(s) "
            f"({', '.join(open_days) or 'none'}): accept more weekdays, reopen closed days or "
            "collect it less often")


def unserved_reason(days: list[str], *, loaded: float, need: float, capacity: float,
                    unit: str, used_s: float, available_s: float, need_s: float) -> str:
    """Why a producer was left out of a plan, from the figures of its possible days.

    ``loaded`` is what the plan collects on those days, ``need`` what the producer's visits
    would add and ``capacity`` what the vehicles working those days carry (all in ``unit``);
    ``used_s``, ``need_s`` and ``available_s`` the same for vehicle time.

    Examples
    --------
    >>> unserved_reason(["W1 Mon"], loaded=9.5, need=1.0, capacity=10.0, unit="t",
    ...                 used_s=3600, available_s=28800, need_s=900)[:40]
    'the vehicles are full on its possible da'
    """
    day_txt = ", ".join(days) if len(days) <= 6 else f"{', '.join(days[:6])}, …"
    if loaded + need > capacity + 1e-9:
        return (f"the vehicles are full on its possible days ({day_txt}): {loaded:,.2f} of "
                f"{capacity:,.2f} {unit} collected and its visits need {need:,.2f} more; add "
                "a vehicle, allow reloads or collect less often")
    if used_s + need_s > available_s:
        return (f"the shifts on its possible days ({day_txt}) are used for "
                f"{format_duration(used_s)} of {format_duration(available_s)} and it needs "
                f"about {format_duration(need_s)} more; add a vehicle or lengthen the shifts")
    return (f"could not be fitted into the routes of its possible days ({day_txt}) with its "
            "opening hours and the shifts; widen its hours, add a vehicle or plan more "
            "working days")
