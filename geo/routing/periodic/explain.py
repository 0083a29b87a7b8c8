"""Why a producer cannot have a visit pattern, or was not served — in words, with figures.

- :func:`pattern_problem` says why a frequency, accepted weekdays, storage limit and horizon
  leave no pattern (refused before planning);
- :func:`unserved_reason` says why a producer was left out of a plan that could not serve
  every visit (vehicles full or shifts used on its days).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.i18n import _, format_number
from geo.routing.explain import format_duration
from geo.routing.periodic.horizon import gaps_days, visit_patterns
from geo.routing.text import frequency_text, weekdays_text

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
    # Translators: {collections} is a noun phrase such as "weekly collections" or
    # "collections 2 per week", the subject of the sentences below.
    if frequency.kind in ("per_week", "four_weekly"):
        label = _("collections {frequency}").format(frequency=frequency_text(frequency.label))
    else:
        label = _("{frequency} collections").format(frequency=frequency_text(frequency.label))
    if horizon.weeks % frequency.period_weeks:
        fits = [w for w in range(1, 5) if w % frequency.period_weeks == 0]
        return _("{collections} repeat every {period} weeks, which a {weeks}-week horizon "
                 "cannot hold: plan {fits} weeks, or change its frequency").format(
            collections=label, period=frequency.period_weeks, weeks=horizon.weeks,
            # Translators: joins the numbers of weeks that would fit ("2 or 4").
            fits=_(" or ").join(map(str, fits)))
    worked = [d for d in accepted if d in horizon.weekdays]
    open_days = [d.label for d in horizon.days if d.weekday in accepted]
    need = frequency.visits_in(horizon)
    if not worked:
        return _("accepts collections on {accepted} only, none of them a working day "
                 "({working}): add one of its days to the working days or change the days it "
                 "accepts").format(accepted=weekdays_text(accepted),
                                   working=weekdays_text(horizon.weekdays))
    if visit_patterns(frequency, accepted, horizon):
        assert storage_days is not None
        shortest = min(max(gaps_days(tuple(horizon.days[i].calendar for i in p),
                                     horizon.calendar_days))
                       for p in visit_patterns(frequency, accepted, horizon))
        return _("its storage lasts {storage} days but {collections} on its days are at "
                 "least {shortest} days apart: collect it more often or accept more "
                 "weekdays").format(
            storage=format_number(storage_days, digits=1 if storage_days % 1 else 0),
            collections=label, shortest=shortest)
    return _("{collections} need {need} regular visit(s) in {weeks} week(s) on the same "
             "weekday(s), but it accepts only {open} working day(s) ({days}): accept more "
             "weekdays, reopen closed days or collect it less often").format(
        collections=label, need=f"{need:g}", weeks=horizon.weeks, open=len(open_days),
        days=_(", ").join(open_days) or _("none"))


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
    day_txt = _(", ").join(days[:6]) + (_(", …") if len(days) > 6 else "")
    if loaded + need > capacity + 1e-9:
        return _("the vehicles are full on its possible days ({days}): {loaded} of {capacity} "
                 "{unit} collected and its visits need {need} more; add a vehicle, allow "
                 "reloads or collect less often").format(
            days=day_txt, loaded=format_number(loaded, digits=2),
            capacity=format_number(capacity, digits=2), unit=unit,
            need=format_number(need, digits=2))
    if used_s + need_s > available_s:
        return _("the shifts on its possible days ({days}) are used for {used} of {available} "
                 "and it needs about {more} more; add a vehicle or lengthen the shifts").format(
            days=day_txt, used=format_duration(used_s), available=format_duration(available_s),
            more=format_duration(need_s))
    return _("could not be fitted into the routes of its possible days ({days}) with its "
             "opening hours and the shifts; widen its hours, add a vehicle or plan more "
             "working days").format(days=day_txt)
