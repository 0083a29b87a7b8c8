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
from geo.routing.problem import VISITS_PER_YEAR, WEEKDAYS, format_clock

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
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _qty(value: float, unit: str) -> str:
    return f"{value:,.2f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


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
        hint = f"; collecting {fits[-1]} would fit" if fits else ""
        lines.append(f"{p.name!r}: {_qty(p.quantity_per_visit, unit)} per {p.frequency} "
                     f"collection ({_qty(p.quantity_per_year, unit)}/yr){hint}")
    more = f" and {len(over) - _MAX_LISTED} more" if len(over) > _MAX_LISTED else ""
    msg = (f"{len(over)} producer(s) have a pickup larger than one vehicle "
           f"({_qty(fleet.capacity, unit)}): " + "; ".join(lines) + more + ". Raise the vehicle "
           "capacity, collect them more often, or leave them out of the selection.")
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
            reason = (f"accepts collections on {', '.join(p.weekdays)} only and the plan covers "
                      f"{', '.join(planned)}: plan one of its days or change its weekdays")
        elif start > p.tw_end_s:
            reason = (f"opening hours {format_clock(p.tw_start_s)}–{format_clock(p.tw_end_s)} "
                      f"end before the earliest arrival {format_clock(earliest)} (shift start "
                      f"{format_clock(fleet.shift_start_s)} + {format_duration(out)} drive): "
                      "start the shift earlier or widen its opening hours")
        elif finish > fleet.shift_end_s:
            reason = (f"a vehicle serving it at {format_clock(start)} "
                      f"({format_duration(p.service_s)} on site, {format_duration(back)} back) "
                      "returns at "
                      f"{format_clock(finish)}, after the shift ends at "
                      f"{format_clock(fleet.shift_end_s)}: lengthen the shift or widen its hours")
        elif trip > fleet.shift_s:
            reason = (f"the round trip alone takes {format_duration(trip)}, longer than the "
                      f"longest shift of {format_duration(fleet.shift_s)}: allow longer shifts "
                      "or use a depot nearer to it")
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
            out[i] = (f"optional, and its value ({p.prize:,.2f} {fleet.currency}) does not pay "
                      f"for the detour: the cheapest insertion adds {dm / 1000:,.1f} km and "
                      f"{format_duration(ts)} ({cost:,.2f} {fleet.currency})")
            continue
        vehicles = fleet.vehicles * len(days)
        loaded = sum(instance.producers[loc - 1].quantity_per_visit
                     for d in days for r in routes_by_day.get(d, []) for loc in r)
        capacity = fleet.capacity * vehicles
        used = sum(time_by_day.get(d, 0) for d in days)
        available = vehicles * fleet.shift_s
        day_txt = ", ".join(days)
        if not fleet.reload and loaded + p.quantity_per_visit > capacity + 1e-9:
            out[i] = (f"the vehicles are full on {day_txt}: {_qty(loaded, unit)} of "
                      f"{_qty(capacity, unit)} collected, and its "
                      f"{_qty(p.quantity_per_visit, unit)} do not fit; allow reloads at the "
                      "depot, add a vehicle or plan more weekdays")
        elif used + ts > available:
            out[i] = (f"the shifts on {day_txt} are used for {format_duration(used)} of "
                      f"{format_duration(available)} and serving it needs at least "
                      f"{format_duration(ts)} more; add a vehicle, lengthen the shifts or plan "
                      "more weekdays")
        else:
            out[i] = (f"could not be fitted into the routes on {day_txt} with their opening "
                      f"hours and shift ({format_clock(fleet.shift_start_s)}–"
                      f"{format_clock(fleet.shift_end_s)}); widen its opening hours, add a "
                      "vehicle or plan more weekdays")
    return out
