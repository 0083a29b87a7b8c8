"""Producers + fleet + horizon + road graph → a :class:`PeriodicProblem` the solver can take.

Checks run in the order a planner would fix them, and bad inputs are refused with figures and
what to change: a stream the fleet does not know, a frequency the producer's accepted days
(or storage) cannot meet, a visit larger than any vehicle's compartment, a depot or
reprocessor off the network (:mod:`~geo.routing.periodic.places`). Producers off the network,
unreachable, or whose opening hours no shift reaches are left out and reported by name.

Each producer becomes one stop when some vehicle class carries all its streams, otherwise one
stop per compartment kind (each with its own pattern). A stop's pickup per visit follows the
gap since the previous visit (:func:`~geo.routing.periodic.horizon.pickups_per_visit`), in kg
(or litres) per compartment kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from geo.errors import RoutingError
from geo.i18n import _, format_number, ngettext
from geo.routing.build import DEFAULT_MAX_SNAP_M, none_served, off_network_reason
from geo.routing.explain import format_duration
from geo.routing.periodic.explain import pattern_problem
from geo.routing.periodic.horizon import pickups_per_visit, visit_patterns
from geo.routing.periodic.instance import PeriodicInstance, StopSpec, VehicleSpec
from geo.routing.periodic.places import (
    Place,
    PlaceMatrix,
    best_unload_order,
    measure_places,
    unload_rows,
)
from geo.routing.problem import DAY_S, ExcludedStop, format_clock
from geo.routing.solve import integer_unit_costs

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.network import RoadGraph
    from geo.routing.periodic.fleet import PeriodicFleet, VehicleClass
    from geo.routing.periodic.horizon import Horizon
    from geo.routing.periodic.producers import PeriodicProducer

__all__ = ["PeriodicProblem", "assemble_problem", "build_problem"]

_LISTED: Final = 8


@dataclass(frozen=True)
class PeriodicProblem:
    """A periodic instance and how its rows, stops and vehicles map back to the inputs.

    Attributes
    ----------
    instance : PeriodicInstance
    horizon : Horizon
    fleet : PeriodicFleet
    producers : tuple of PeriodicProducer
        The producers that could be planned.
    stop_producer : tuple of int
        Producer of each stop.
    stop_streams : tuple of tuple of str
        Streams collected at each stop.
    places : tuple of Place
        Every matrix row: the physical places, then the virtual unloading places.
    matrix : PlaceMatrix
        The physical places measured over the roads (kept for re-plans and drawing).
    excluded : tuple of ExcludedStop
        Producers left out before solving, with reasons.
    cost_scale : float
        Integer cost units per currency unit.
    """

    instance: PeriodicInstance
    horizon: Horizon
    fleet: PeriodicFleet
    producers: tuple[PeriodicProducer, ...]
    stop_producer: tuple[int, ...]
    stop_streams: tuple[tuple[str, ...], ...]
    places: tuple[Place, ...]
    matrix: PlaceMatrix
    excluded: tuple[ExcludedStop, ...]
    cost_scale: float

    @property
    def method(self) -> str:
        """``road`` or ``straight-line``."""
        return self.matrix.method


def _refuse(message: str, lines: list[str], **values: object) -> RoutingError:
    """``message`` (translated, with ``{n}`` and ``{listed}``) naming the first ``lines``."""
    listed = _("; ").join(lines[:_LISTED])
    if len(lines) > _LISTED:
        listed = _("{listed} and {n} more").format(listed=listed,
                                                   n=format_number(len(lines) - _LISTED))
    return RoutingError(message.format(n=format_number(len(lines)), listed=listed, **values))


def _check_inputs(producers: Sequence[PeriodicProducer], fleet: PeriodicFleet,
                  horizon: Horizon) -> None:
    if not producers:
        msg = _("No producers selected: pick streams, parks or sites whose records have a "
                "quantity (haves).")
        raise RoutingError(msg)
    known = {s.name for s in fleet.streams}
    unknown = [f"{p.name!r} ({', '.join(s for s in p.streams if s not in known)})"
               for p in producers if any(s not in known for s in p.streams)]
    if unknown:
        raise _refuse(ngettext(
            "{n} producer hands over streams the fleet does not carry: {listed}. Add the "
            "streams to the fleet (known: {known}) or leave those producers out.",
            "{n} producers hand over streams the fleet does not carry: {listed}. Add the "
            "streams to the fleet (known: {known}) or leave those producers out.",
            len(unknown)), unknown, known=sorted(known))
    no_pattern = []
    for p in producers:
        why = pattern_problem(p.frequency, p.weekdays, horizon, p.storage_days)
        if why:
            no_pattern.append(_("{name}: {reason}").format(name=repr(p.name), reason=why))
    if no_pattern:
        raise _refuse(ngettext(
            "{n} producer cannot be collected as asked in the {weeks}-week horizon: {listed}. "
            "Change their frequency or accepted days, or the horizon.",
            "{n} producers cannot be collected as asked in the {weeks}-week horizon: {listed}. "
            "Change their frequency or accepted days, or the horizon.",
            len(no_pattern)), no_pattern, weeks=horizon.weeks)


def _parts(p: PeriodicProducer, fleet: PeriodicFleet) -> list[tuple[str, ...]]:
    """Streams collected together: all at once if one class carries them all, else as few
    groups as a greedy cover by vehicle classes gives (each group one class can carry)."""
    left = {fleet.kind_of(s) for s in p.streams}
    groups: list[set[int]] = []
    while left:
        best = max((left & {k for k, c in enumerate(fleet.capacity(v)) if c > 0}
                    for v in fleet.classes), key=len)
        groups.append(best)
        left -= best
    return [tuple(s for s in p.streams if fleet.kind_of(s) in g) for g in groups]


def _pickups(p: PeriodicProducer, streams: tuple[str, ...], fleet: PeriodicFleet,
             horizon: Horizon, pattern: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    out = []
    n = len(fleet.kinds)
    per_stream = {s: pickups_per_visit(pattern, horizon, p.quantity_of(s)) for s in streams}
    for k in range(len(pattern)):
        vec = [0.0] * n
        for s in streams:
            vec[fleet.kind_of(s)] += per_stream[s][k]
        out.append(tuple(round(v * 1000) for v in vec))
    return tuple(out)


def _fits(vec: tuple[int, ...], caps: Sequence[tuple[int, ...]]) -> bool:
    return any(all(v <= c and (v == 0 or c > 0) for v, c in zip(vec, cap, strict=True))
               for cap in caps)


def build_problem(
    producers: Sequence[PeriodicProducer],
    fleet: PeriodicFleet,
    horizon: Horizon,
    *,
    graph: RoadGraph | None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    excluded: Sequence[ExcludedStop] = (),
) -> PeriodicProblem:
    """Check the inputs, measure the roads, and assemble the problem (see the module doc).

    Parameters
    ----------
    producers : sequence of PeriodicProducer
    fleet : PeriodicFleet
        Vehicle classes, compartments, streams and their reprocessors.
    horizon : Horizon
    graph : RoadGraph or None
        The drivable network; None uses the labelled straight-line stand-in.
    max_snap_m : float
        A place further from the network is off it (depots and reprocessors refused,
        producers left out).
    excluded : sequence of ExcludedStop
        Producers left out upstream (carried into the report).
    """
    producers = list(producers)
    _check_inputs(producers, fleet, horizon)
    depots = [c.depot for c in fleet.classes]
    reprocessors = [s.reprocessor for s in fleet.streams if s.reprocessor is not None]
    matrix = measure_places(depots, reprocessors, producers, graph=graph,
                            max_snap_m=max_snap_m)
    return assemble_problem(producers, fleet, horizon, matrix, max_snap_m=max_snap_m,
                            excluded=excluded)


def _reach(matrix: PlaceMatrix, producers: Sequence[PeriodicProducer], fleet: PeriodicFleet,
           max_snap_m: float) -> tuple[list[int], list[ExcludedStop]]:
    keep, out = [], []
    homes = sorted({matrix.place_of("depot", c.depot.name, c.depot.lon, c.depot.lat)
                    for c in fleet.classes})
    for i, p in enumerate(producers):
        row = matrix.place_of("producer", p.stop_id, p.lon, p.lat)
        if matrix.snap_m[row] > max_snap_m:
            out.append(ExcludedStop(p.stop_id, p.name,
                                    off_network_reason(matrix.snap_m[row], max_snap_m),
                                    stage="network"))
        elif not any(matrix.reachable(h, row) and matrix.reachable(row, h) for h in homes):
            out.append(ExcludedStop(p.stop_id, p.name, _(
                "unreachable: no road path to it and back from a depot (an island of the "
                "network or a one-way trap); check its location or the road data"),
                stage="network"))
        else:
            keep.append(i)
    return keep, out


def _class_places(c: VehicleClass, fleet: PeriodicFleet, matrix: PlaceMatrix,
                  sources: list[int], extra: list[tuple[Place, tuple[np.ndarray, ...]]]
                  ) -> tuple[int, int, tuple[int, ...]]:
    """Start, end and reload rows of a class, adding virtual unloading places to ``extra``."""
    home = matrix.place_of("depot", c.depot.name, c.depot.lon, c.depot.lat)
    dist, dur = matrix.distance_m, matrix.duration_s
    n_phys = len(matrix.places)
    reloads: tuple[int, ...] = (home,) if c.fleet.reload else ()
    if c.unload == "depot":
        return home, home, reloads
    rows = sorted({matrix.place_of("reprocessor", r.name, r.lon, r.lat)
                   for s in fleet.streams_of(c)
                   if (r := fleet.stream(s).reprocessor) is not None})
    order = best_unload_order(dist, rows, home, sources)
    names = " → ".join(matrix.places[r].name for r in order)
    last = matrix.places[order[-1]]
    end_rows = unload_rows(dist, dur, order, then=home, unload_s=fleet.unload_s)
    end = n_phys + len(extra)
    extra.append((Place("unload", _("unload at {places}, then {depot}").format(
        places=names, depot=c.depot.name), c.depot.lon, c.depot.lat, via=(*order, home)),
        end_rows))
    if c.fleet.reload:
        reload_rows = unload_rows(dist, dur, order, then=None, unload_s=fleet.unload_s)
        reloads = (n_phys + len(extra),)
        extra.append((Place("unload", _("unload at {places}").format(places=names), last.lon,
                            last.lat, via=order), reload_rows))
    return home, end, reloads


def assemble_problem(
    producers: Sequence[PeriodicProducer],
    fleet: PeriodicFleet,
    horizon: Horizon,
    matrix: PlaceMatrix,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    excluded: Sequence[ExcludedStop] = (),
) -> PeriodicProblem:
    """The problem over already measured places (a re-plan reuses the matrix)."""
    producers = list(producers)
    _check_inputs(producers, fleet, horizon)
    keep, out = _reach(matrix, producers, fleet, max_snap_m)
    out = [*excluded, *out]
    kept = [producers[i] for i in keep]
    rates = [(c.fleet.cost_per_km / 1000.0, c.fleet.cost_per_hour / 3600.0)
             for c in fleet.classes]
    units, scale = integer_unit_costs(rates)
    n_phys = len(matrix.places)
    sources = [matrix.place_of("producer", p.stop_id, p.lon, p.lat) for p in kept]
    extra: list[tuple[Place, tuple[np.ndarray, ...]]] = []
    vehicles = []
    caps = []
    for c, (unit_d, unit_t) in zip(fleet.classes, units, strict=True):
        start, end, reloads = _class_places(c, fleet, matrix, sources, extra)
        cap = tuple(round(x * 1000) for x in fleet.capacity(c))
        caps.append(cap)
        f = c.fleet
        vehicles.append(VehicleSpec(
            name=c.name, count=f.vehicles, capacity=cap, start=start, end=end, reloads=reloads,
            max_reloads=f.max_reloads, shift_start=f.shift_start_s, shift_end=f.shift_end_s,
            max_duration=f.max_duration_s, unit_distance_cost=unit_d,
            unit_duration_cost=unit_t))
    n = n_phys + len(extra)
    dist = np.zeros((n, n), np.int64)
    dur = np.zeros((n, n), np.int64)
    dist[:n_phys, :n_phys] = np.maximum(matrix.distance_m, 0)
    dur[:n_phys, :n_phys] = np.maximum(matrix.duration_s, 0)
    for k, (_place, (to_d, to_t, from_d, from_t)) in enumerate(extra):
        r = n_phys + k
        dist[:n_phys, r], dur[:n_phys, r] = to_d, to_t
        dist[r, :n_phys], dur[r, :n_phys] = from_d, from_t
    stops, stop_producer, stop_streams, oversize = [], [], [], []
    new_out: list[ExcludedStop] = []
    for i, p in enumerate(kept):
        row = sources[i]
        why = _unreachable_hours(p, row, fleet, vehicles, dur)
        if why:
            new_out.append(ExcludedStop(p.stop_id, p.name, why))
            continue
        for streams in _parts(p, fleet):
            pats = visit_patterns(p.frequency, p.weekdays, horizon, max_gap_days=p.storage_days)
            carriers = [caps[k] for k, c in enumerate(fleet.classes)
                        if all(fleet.capacity(c)[fleet.kind_of(s)] > 0 for s in streams)]
            pick = {q: _pickups(p, streams, fleet, horizon, q) for q in pats}
            ok = [q for q in pats if all(_fits(v, carriers) for v in pick[q])]
            if not ok:
                oversize.append(_oversize(p, streams, fleet, patterns=pats, pick=pick,
                                          carriers=carriers))
                continue
            stops.append(StopSpec(name=p.name, place=row, patterns=tuple(ok),
                                  pickups=tuple(pick[q] for q in ok), service=p.service_s,
                                  tw_start=p.tw_start_s, tw_end=p.tw_end_s))
            stop_producer.append(i)
            stop_streams.append(streams)
    if oversize:
        raise _refuse(ngettext(
            "{n} producer has a visit larger than any vehicle compartment can take: {listed}. "
            "Collect them more often, raise the compartment capacity, or leave them out.",
            "{n} producers have a visit larger than any vehicle compartment can take: "
            "{listed}. Collect them more often, raise the compartment capacity, or leave them "
            "out.", len(oversize)), oversize)
    out += new_out
    if not stops:
        raise RoutingError(none_served(len(producers), out))
    places = (*matrix.places, *(pl for pl, _rows in extra))
    xy = np.array([[pl.lon, pl.lat] for pl in places])
    instance = PeriodicInstance(
        n_days=horizon.n_days, day_length=DAY_S, distance=dist, duration=dur,
        vehicles=tuple(vehicles), stops=tuple(stops), n_dims=len(fleet.kinds),
        day_labels=horizon.labels, place_names=tuple(pl.name for pl in places), place_xy=xy)
    return PeriodicProblem(instance=instance, horizon=horizon, fleet=fleet,
                           producers=tuple(kept), stop_producer=tuple(stop_producer),
                           stop_streams=tuple(stop_streams), places=places, matrix=matrix,
                           excluded=tuple(out), cost_scale=scale)


def _oversize(p: PeriodicProducer, streams: tuple[str, ...], fleet: PeriodicFleet, *,
              patterns: Sequence[tuple[int, ...]], pick: dict[tuple[int, ...], Any],
              carriers: Sequence[tuple[int, ...]]) -> str:
    """Which compartment the smallest visit overflows, with the figures."""
    lines = []
    for k, kind in enumerate(fleet.kinds):
        room = max((cap[k] for cap in carriers), default=0)
        need = min(max(v[k] for v in pick[q]) for q in patterns)
        if need > room:
            mine = [s for s in streams if fleet.kind_of(s) == k]
            # Translators: {frequency} is e.g. "weekly" or "2 per week"; {compartment} a name.
            lines.append(_("{need} of {streams} per {frequency} visit > {room} {compartment} "
                           "compartment").format(
                need=f"{format_number(need / 1000, digits=2)} {fleet.unit}",
                streams=_(", ").join(mine), frequency=p.frequency.label,
                room=f"{format_number(room / 1000, digits=2)} {fleet.unit}",
                compartment=kind.name))
    return _("{name}: {reason}").format(
        name=repr(p.name),
        reason=_("; ").join(lines) or _("no vehicle has room for a whole visit"))


def _unreachable_hours(p: PeriodicProducer, row: int, fleet: PeriodicFleet,
                       vehicles: Sequence[VehicleSpec], dur: np.ndarray) -> str:
    """Why no vehicle class can reach ``p`` within its opening hours and shift ("" if one can)."""
    why = ""
    for c, v in zip(fleet.classes, vehicles, strict=True):
        if not any(fleet.capacity(c)[fleet.kind_of(s)] > 0 for s in p.streams):
            continue
        out, back = int(dur[v.start, row]), int(dur[row, v.end])
        earliest = v.shift_start + out
        start = max(earliest, p.tw_start_s)
        finish = start + p.service_s + back
        longest = (v.shift_end - v.shift_start if v.max_duration is None
                   else min(v.max_duration, v.shift_end - v.shift_start))
        if start > p.tw_end_s:
            why = _("opening hours {opens}–{closes} end before the earliest arrival "
                    "{earliest}: start the shift earlier or widen its hours").format(
                opens=format_clock(p.tw_start_s), closes=format_clock(p.tw_end_s),
                earliest=format_clock(earliest))
        elif finish > v.shift_end:
            why = _("a vehicle serving it at {start} returns at {finish}, after the shift ends "
                    "at {shift_end}: lengthen the shift or widen its hours").format(
                start=format_clock(start), finish=format_clock(finish),
                shift_end=format_clock(v.shift_end))
        elif out + p.service_s + back > longest:
            why = _("the round trip alone takes {trip}, longer than the longest shift of "
                    "{shift}").format(trip=format_duration(out + p.service_s + back),
                                      shift=format_duration(longest))
        else:
            return ""
    return why
