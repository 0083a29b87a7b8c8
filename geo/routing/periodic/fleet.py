"""Streams, compartments and vehicle classes of a multi-stream collection fleet.

- A :class:`Stream` is what a producer hands over (cardboard, plastics, waste oil), whether it
  is hazardous, and the reprocessor (a member site) that takes it.
- A :class:`Compartment` is a kind of compartment and the streams it may carry together; each
  stream goes in exactly one kind, and hazardous and non-hazardous streams never share one.
  The kinds are the solver's load dimensions (PyVRP's multi-dimensional loads).
- A :class:`VehicleClass` is a group of identical vehicles based at one depot: how many work
  each day, the capacity of each compartment kind it has (0 or absent: it does not carry
  those streams — a vehicle dedicated to one stream has one kind), its costs and shift
  (a :class:`~geo.routing.problem.Fleet`), and whether it empties at the depot or unloads
  each stream at its reprocessor on the way back.

A single-stream fleet (the single-cycle planner's case) is :meth:`PeriodicFleet.single`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from geo.errors import RoutingError
from geo.i18n import _

if TYPE_CHECKING:
    from geo.routing.problem import Depot, Fleet

__all__ = ["ALL_STREAMS", "Compartment", "PeriodicFleet", "Stream", "Unload", "VehicleClass"]

ALL_STREAMS: Final = "all"
"""Name of the one stream of a single-stream plan."""

Unload = Literal["depot", "reprocessor"]


@dataclass(frozen=True)
class Stream:
    """A stream collected from producers.

    Attributes
    ----------
    name : str
        As producers' quantities name it (``"cardboard"``).
    hazardous : bool
        Hazardous waste (never shares a compartment with non-hazardous streams).
    reprocessor : Depot or None
        The member site that takes it, for vehicles that unload at reprocessors.
    """

    name: str
    hazardous: bool = False
    reprocessor: Depot | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            msg = _("A stream needs a name, e.g. Stream('cardboard').")
            raise RoutingError(msg)


@dataclass(frozen=True)
class Compartment:
    """A kind of compartment and the streams that may share it."""

    name: str
    streams: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.streams:
            msg = _("A compartment needs a name and at least one stream, got {name} with "
                    "{streams}.").format(
                name=repr(self.name), streams=repr(self.streams))
            raise RoutingError(msg)


@dataclass(frozen=True)
class VehicleClass:
    """Identical vehicles based at one depot.

    Attributes
    ----------
    name : str
        Shown on run sheets.
    fleet : Fleet
        Vehicles per working day, capacity unit, costs, CO2e, shift, reloads. Its
        ``capacity`` is the size of the one compartment when ``capacities`` is empty.
    depot : Depot
        Where its routes start and end.
    capacities : tuple of (str, float)
        Capacity per compartment kind, in the fleet's unit; kinds left out are not carried.
    unload : {"depot", "reprocessor"}
        Empty at the depot, or unload each stream at its reprocessor before returning (and
        between trips when reloads are allowed).
    """

    name: str
    fleet: Fleet
    depot: Depot
    capacities: tuple[tuple[str, float], ...] = ()
    unload: Unload = "depot"

    def __post_init__(self) -> None:
        if self.unload not in ("depot", "reprocessor"):
            msg = _("Vehicle class {name}: unload must be 'depot' or 'reprocessor'.").format(
                name=repr(self.name))
            raise RoutingError(msg)
        for kind, cap in self.capacities:
            if not cap >= 0:
                msg = _("Vehicle class {name}: compartment {kind} capacity must be zero "
                        "or positive, got {cap}.").format(
                    name=repr(self.name), kind=repr(kind), cap=repr(cap))
                raise RoutingError(msg)

    def capacity_of(self, compartment: str, *, default: float | None = None) -> float:
        """Capacity of a compartment kind (0 when the class does not have it)."""
        if not self.capacities:
            return self.fleet.capacity if default is None else default
        return dict(self.capacities).get(compartment, 0.0)


@dataclass(frozen=True)
class PeriodicFleet:
    """Every vehicle class, the compartment kinds and the streams of a plan.

    Attributes
    ----------
    classes : tuple of VehicleClass
    streams : tuple of Stream
    compartments : tuple of Compartment
        Empty: one compartment kind carrying every stream (then no stream may be hazardous
        unless all are).
    unload_s : int
        Time to unload at a reprocessor (seconds), added to the way there.
    """

    classes: tuple[VehicleClass, ...]
    streams: tuple[Stream, ...] = (Stream(ALL_STREAMS),)
    compartments: tuple[Compartment, ...] = ()
    unload_s: int = 900

    def __post_init__(self) -> None:
        if not self.classes:
            msg = _("A fleet needs at least one vehicle class.")
            raise RoutingError(msg)
        names = [c.name for c in self.classes]
        if len(set(names)) != len(names):
            msg = _("Vehicle class names must be unique, got {names}.").format(
                names=repr(names))
            raise RoutingError(msg)
        units = {c.fleet.capacity_unit for c in self.classes}
        if len(units) > 1:
            msg = _("Every vehicle class must count loads in one unit, got {units}; give "
                    "all capacities in t (or all in m³).").format(
                units=repr(sorted(units)))
            raise RoutingError(msg)
        streams = [s.name for s in self.streams]
        if len(set(streams)) != len(streams) or not streams:
            msg = _("Stream names must be unique and at least one, got {streams}.").format(
                streams=repr(streams))
            raise RoutingError(msg)
        self._check_compartments(streams)
        self._check_reprocessors()

    def _check_compartments(self, streams: list[str]) -> None:
        kinds = self.kinds
        hazardous = {s.name for s in self.streams if s.hazardous}
        for k in kinds:
            unknown = [s for s in k.streams if s not in streams]
            if unknown:
                msg = _("Compartment {name} lists unknown stream(s) {unknown}; the "
                        "streams are {streams}.").format(
                    name=repr(k.name), unknown=repr(unknown), streams=repr(streams))
                raise RoutingError(msg)
            mixed = set(k.streams) & hazardous
            if mixed and mixed != set(k.streams):
                msg = _("Compartment {name} would carry hazardous {mixed} with non-"
                        "hazardous {non_hazardous}: give the hazardous stream(s) a compartment of"
                        " their own.").format(
                    name=repr(k.name), mixed=repr(sorted(mixed)),
                    non_hazardous=repr(sorted(set(k.streams) - mixed)))
                raise RoutingError(msg)
        for s in streams:
            holders = [k.name for k in kinds if s in k.streams]
            if not holders:
                msg = _("No compartment may carry stream {stream}: add it to a "
                        "compartment (e.g. Compartment('dry', ('cardboard', 'plastics')))"
                        " or leave it out.").format(
                    stream=repr(s))
                raise RoutingError(msg)
            if len(holders) > 1:
                msg = _("Stream {stream} is listed in compartments {holders}; list each "
                        "stream in one compartment kind.").format(
                    stream=repr(s), holders=repr(holders))
                raise RoutingError(msg)
            if not any(c.capacity_of(holders[0]) > 0 for c in self.classes):
                msg = _("No vehicle class has a {holders} compartment, so stream {stream}"
                        " cannot be carried: give a class a capacity for it.").format(
                    holders=repr(holders[0]), stream=repr(s))
                raise RoutingError(msg)
        known = {k.name for k in kinds}
        for c in self.classes:
            extra = [name for name, _ in c.capacities if name not in known]
            if extra:
                msg = _("Vehicle class {name} has capacities for unknown compartment(s) "
                        "{extra}; the compartments are {known}.").format(
                    name=repr(c.name), extra=repr(extra), known=repr(sorted(known)))
                raise RoutingError(msg)

    def _check_reprocessors(self) -> None:
        for c in self.classes:
            if c.unload != "reprocessor":
                continue
            missing = [s for s in self.streams_of(c) if self.stream(s).reprocessor is None]
            if missing:
                msg = _("Vehicle class {name} unloads at reprocessors, but stream(s) "
                        "{missing} have none: give each a reprocessor site or let the "
                        "class unload at its depot.").format(
                    name=repr(c.name), missing=repr(missing))
                raise RoutingError(msg)
            for kind in self.kinds:
                sites = {self.stream(s).reprocessor for s in kind.streams
                         if s in self.streams_of(c)}
                if len(sites) > 1:
                    msg = _("Compartment {name} of {vehicle_class} mixes streams that go to "
                            "different reprocessors ({streams}): a shared compartment is "
                            "emptied in one place. Give those streams compartments of "
                            "their own, or one reprocessor.").format(
                        name=repr(kind.name), vehicle_class=repr(c.name),
                        streams=repr(list(kind.streams)))
                    raise RoutingError(msg)

    @classmethod
    def single(cls, fleet: Fleet, depot: Depot) -> PeriodicFleet:
        """One class of ``fleet`` at ``depot``, one stream, one compartment, unloading there."""
        # Translators: the name of the vehicles of a plan on run sheets ("vehicle 1").
        return cls(classes=(VehicleClass(_("vehicle"), fleet, depot),))

    @property
    def kinds(self) -> tuple[Compartment, ...]:
        """The compartment kinds (one carrying every stream when none are given)."""
        if self.compartments:
            return self.compartments
        return (Compartment("all", tuple(s.name for s in self.streams)),)

    @property
    def unit(self) -> str:
        """The capacity unit of every class (``t`` or ``m3``)."""
        return self.classes[0].fleet.capacity_unit

    def stream(self, name: str) -> Stream:
        """The stream called ``name``."""
        for s in self.streams:
            if s.name == name:
                return s
        msg = _("Unknown stream {name}; the streams are {streams}.").format(
            name=repr(name), streams=repr([s.name for s in self.streams]))
        raise RoutingError(msg)

    def kind_of(self, stream: str) -> int:
        """Index of the compartment kind (load dimension) that carries ``stream``."""
        for k, kind in enumerate(self.kinds):
            if stream in kind.streams:
                return k
        msg = _("No compartment carries stream {stream}.").format(
            stream=repr(stream))
        raise RoutingError(msg)

    def capacity(self, vehicle_class: VehicleClass) -> tuple[float, ...]:
        """Capacity per compartment kind of a class (fleet unit)."""
        return tuple(vehicle_class.capacity_of(k.name) for k in self.kinds)

    def streams_of(self, vehicle_class: VehicleClass) -> list[str]:
        """Streams a class can carry (it has a compartment for them)."""
        caps = self.capacity(vehicle_class)
        return [s.name for s in self.streams if caps[self.kind_of(s.name)] > 0]
