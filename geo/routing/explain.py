"""Why a stop cannot be served — said per stop, with figures, never a bare "infeasible".

Three moments:

- before anything else, :func:`check_pickups` refuses a pickup larger than a vehicle;
- once the matrix is known, :func:`servable_days` finds stops whose opening hours cannot be
  reached from the depot within the shift (or whose weekdays are not planned);
- after solving, :func:`skipped_reasons` says why a stop was left out: an optional stop whose
  value does not pay for the cheapest detour, or a stop that does not fit into the
  vehicles' capacity and shift time on its days.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from geo.errors import RoutingError
from geo.i18n import _, format_number, ngettext
from geo.routing.problem import VISITS_PER_YEAR, WEEKDAYS, format_clock
from geo.routing.text import format_quantity, frequency_label, weekdays_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.routing.problem import Fleet, Producer, RoutingInstance

__all__ = ["check_pickups", "format_duration", "servable_days", "skipped_reasons"]

_MAX_LISTED = 8


def format_duration(seconds: float) -> str:
    """``1 h 05 min`` or ``12 min`` for a duration in seconds.

    Examples
    --------
    >>> format_duration(3900), format_duration(700)
    ('1 h 05 min', '12 min')
    """
    minutes = round(float(seconds) / 60.0)
    if minutes >= 60:
        # Translators: a duration in hours and minutes; {min} always has two digits.
        return _("{h} h {min} min").format(h=format_number(minutes // 60),
                                           min=f"{minutes % 60:02d}")
    return _("{min} min").format(min=format_number(minutes))


def _qty(value: float, unit: str) -> str:
    return format_quantity(value, unit)


def check_pickups(producers: Sequence[Producer], fleet: Fleet) -> None:
    """Refuse, with the figures, any pickup larger than one vehicle can carry.

    Raises
    ------
    RoutingError
        Listing each oversize producer, its pickup per collection, the capacity, and what to
        change (capacity, a more frequent collection, or leaving it out).
    """
    unit = fleet.capacity_unit.replace("m3", "m³")
    over = [p for p in producers if p.load > fleet.capacity_load]
    if not over:
        return
    lines = []
    for p in over[:_MAX_LISTED]:
        fits = [f for f, n in VISITS_PER_YEAR.items()
                if n > VISITS_PER_YEAR[p.frequency]
                and p.quantity_per_year / n * 1000 <= fleet.capacity_load]
        if fits:
            line = _("{name}: {quantity} per {frequency} collection ({per_year}/yr); "
                     "collecting {better} would fit")
        else:
            line = _("{name}: {quantity} per {frequency} collection ({per_year}/yr)")
        lines.append(line.format(name=repr(p.name), quantity=_qty(p.quantity_per_visit, unit),
                                 frequency=frequency_label(p.frequency),
                                 per_year=_qty(p.quantity_per_year, unit),
                                 better=frequency_label(fits[-1]) if fits else ""))
    listed = _("; ").join(lines)
    if len(over) > _MAX_LISTED:
        listed = _("{listed} and {n} more").format(listed=listed,
                                                   n=format_number(len(over) - _MAX_LISTED))
    msg = ngettext("{n} producer has a pickup larger than one vehicle ({capacity}): {listed}. "
                   "Raise the vehicle capacity, collect them more often, or leave them out of "
                   "the selection.",
                   "{n} producers have a pickup larger than one vehicle ({capacity}): {listed}. "
                   "Raise the vehicle capacity, collect them more often, or leave them out of "
                   "the selection.", len(over)).format(
        n=format_number(len(over)), capacity=_qty(fleet.capacity, unit), listed=listed)
    raise RoutingError(msg)


def servable_days(
    producers: Sequence[Producer],
    fleet: Fleet,
    days: Sequence[str],
    duration_s: np.ndarray,
) -> tuple[tuple[tuple[str, ...], ...], dict[int, str]]:
    """The planned days on which each producer can be served alone, and why not.

    A producer can be served when a vehicle leaving the depot (matrix index 0) at the start
    of the shift reaches it (index ``i + 1``) before its opening hours end, and can be back
    by the end of the shift and within the longest shift.

    Returns
    -------
    allowed : tuple of tuple of str
        Per producer, the days of ``days`` (in week order) on which it can be served.
    reasons : dict of int to str
        For producers with no such day, the reason in words.
    """
    planned = [d for d in WEEKDAYS if d in days]
    t = np.asarray(duration_s)
    allowed: list[tuple[str, ...]] = []
    reasons: dict[int, str] = {}
    for i, p in enumerate(producers):
        out, back = int(t[0, i + 1]), int(t[i + 1, 0])
        own = tuple(d for d in planned if d in p.weekdays)
        earliest = fleet.shift_start_s + out
        start = max(earliest, p.tw_start_s)
        finish = start + p.service_s + back
        trip = out + p.service_s + back
        reason = ""
        if not own:
            reason = _("accepts collections on {accepted} only and the plan covers {planned}: "
                       "plan one of its days or change its weekdays").format(
                accepted=weekdays_text(p.weekdays), planned=weekdays_text(planned))
        elif start > p.tw_end_s:
            reason = _("opening hours {opens}–{closes} end before the earliest arrival "
                       "{earliest} (shift start {shift_start} + {drive} drive): start the shift "
                       "earlier or widen its opening hours").format(
                opens=format_clock(p.tw_start_s), closes=format_clock(p.tw_end_s),
                earliest=format_clock(earliest), shift_start=format_clock(fleet.shift_start_s),
                drive=format_duration(out))
        elif finish > fleet.shift_end_s:
            reason = _("a vehicle serving it at {start} ({service} on site, {back} back) "
                       "returns at {finish}, after the shift ends at {shift_end}: lengthen the "
                       "shift or widen its hours").format(
                start=format_clock(start), service=format_duration(p.service_s),
                back=format_duration(back), finish=format_clock(finish),
                shift_end=format_clock(fleet.shift_end_s))
        elif trip > fleet.shift_s:
            reason = _("the round trip alone takes {trip}, longer than the longest shift of "
                       "{shift}: allow longer shifts or use a depot nearer to it").format(
                trip=format_duration(trip), shift=format_duration(fleet.shift_s))
        if reason:
            reasons[i] = reason
            allowed.append(())
        else:
            allowed.append(own)
    return tuple(allowed), reasons


def _insertion(instance: RoutingInstance, routes: Sequence[Sequence[int]], loc: int, *,
               per_m: float, per_s: float, service_s: int) -> tuple[float, float, float]:
    """Cheapest (cost, metres, seconds) of inserting ``loc`` into a route or a new round trip."""
    d, t = instance.distance_m, instance.duration_s
    best = (per_m * (d[0, loc] + d[loc, 0]) + per_s * (t[0, loc] + t[loc, 0] + service_s),
            float(d[0, loc] + d[loc, 0]), float(t[0, loc] + t[loc, 0] + service_s))
    for r in routes:
        seq = [0, *r, 0]
        for a, b in itertools.pairwise(seq):
            dm = float(d[a, loc] + d[loc, b] - d[a, b])
            ts = float(t[a, loc] + t[loc, b] - t[a, b] + service_s)
            c = per_m * dm + per_s * ts
            if c < best[0]:
                best = (c, dm, ts)
    return best


def skipped_reasons(
    instance: RoutingInstance,
    routes_by_day: dict[str, list[list[int]]],
    skipped: Sequence[int],
    *,
    time_by_day: dict[str, int] | None = None,
) -> dict[int, str]:
    """Why each skipped producer (index into ``instance.producers``) was left out.

    Parameters
    ----------
    instance : RoutingInstance
    routes_by_day : dict of str to list of list of int
        Each planned day's routes as matrix locations (producer ``i`` is location ``i + 1``;
        depot visits left out).
    skipped : sequence of int
        Producers not served.
    time_by_day : dict of str to int, optional
        Vehicle time used per day (seconds), to tell a time limit from a capacity limit.
    """
    fleet = instance.fleet
    per_m, per_s = fleet.cost_per_km / 1000.0, fleet.cost_per_hour / 3600.0
    unit = fleet.capacity_unit.replace("m3", "m³")
    time_by_day = time_by_day or {}
    out: dict[int, str] = {}
    for i in skipped:
        p = instance.producers[i]
        days = instance.allowed_days[i]
        routes = [r for d in days for r in routes_by_day.get(d, [])]
        cost, dm, ts = _insertion(instance, routes, i + 1, per_m=per_m, per_s=per_s,
                                  service_s=p.service_s)
        if p.optional and cost > p.prize:
            out[i] = _("optional, and its value ({value}) does not pay for the detour: the "
                       "cheapest insertion adds {km} km and {time} ({cost})").format(
                value=f"{format_number(p.prize, digits=2)} {fleet.currency}",
                km=format_number(dm / 1000, digits=1), time=format_duration(ts),
                cost=f"{format_number(cost, digits=2)} {fleet.currency}")
            continue
        vehicles = fleet.vehicles * len(days)
        loaded = sum(instance.producers[loc - 1].quantity_per_visit
                     for d in days for r in routes_by_day.get(d, []) for loc in r)
        capacity = fleet.capacity * vehicles
        used = sum(time_by_day.get(d, 0) for d in days)
        available = vehicles * fleet.shift_s
        day_txt = weekdays_text(days)
        if not fleet.reload and loaded + p.quantity_per_visit > capacity + 1e-9:
            out[i] = _("the vehicles are full on {days}: {loaded} of {capacity} collected, and "
                       "its {quantity} do not fit; allow reloads at the depot, add a vehicle or "
                       "plan more weekdays").format(
                days=day_txt, loaded=_qty(loaded, unit), capacity=_qty(capacity, unit),
                quantity=_qty(p.quantity_per_visit, unit))
        elif used + ts > available:
            out[i] = _("the shifts on {days} are used for {used} of {available} and serving it "
                       "needs at least {more} more; add a vehicle, lengthen the shifts or plan "
                       "more weekdays").format(
                days=day_txt, used=format_duration(used), available=format_duration(available),
                more=format_duration(ts))
        else:
            out[i] = _("could not be fitted into the routes on {days} with their opening hours "
                       "and shift ({shift_start}–{shift_end}); widen its opening hours, add a "
                       "vehicle or plan more weekdays").format(
                days=day_txt, shift_start=format_clock(fleet.shift_start_s),
                shift_end=format_clock(fleet.shift_end_s))
    return out
