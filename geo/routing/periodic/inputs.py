"""The input tables of a periodic round, and the producers and fleet they stand for.

A planner edits two small tables (the Milk round page's *several weeks* mode):

- :func:`frequency_table` — one row per producer: its frequency code (:data:`FREQUENCY_CHOICES`)
  and a tick per accepted weekday; :func:`edited_producers` reads the edits back;
- :func:`stream_table` — one row per stream: hazardous, its compartment, the compartment's size
  and dedicated vehicles; :func:`horizon_fleet` turns it into a
  :class:`~geo.routing.periodic.fleet.PeriodicFleet` (as ``python -m geo milk-round --weeks``
  builds one from ``--compartment`` and ``--dedicated``).

:func:`select_producers` picks the producers with the CLI's defaults and
:func:`calendar_for_reading` shows a plan's calendar with frequencies and streams as a person
reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.i18n import N_, _
from geo.routing.problem import WEEKDAYS, Fleet

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from geo.catalogue import Catalogue
    from geo.programme import Programme
    from geo.routing.periodic.fleet import PeriodicFleet, Unload
    from geo.routing.periodic.producers import PeriodicProducer
    from geo.routing.periodic.select import PeriodicSelection

__all__ = ["FREQUENCY_CHOICES", "calendar_for_reading", "edited_producers", "frequency_code",
           "frequency_table", "horizon_fleet", "select_producers", "stream_table"]

FREQUENCY_CHOICES: Final = {"2/week": N_("2 per week"), "3/week": N_("3 per week"),
                            "4/week": N_("4 per week"), "5/week": N_("5 per week"),
                            "6/week": N_("6 per week"), "weekly": N_("weekly"),
                            "fortnightly": N_("fortnightly"),
                            "four_weekly": N_("every four weeks")}
"""Frequency code of the producers' table (:func:`frequency_code`) → label (translate with
``_()``)."""

STREAM_COLUMNS: Final = ("stream", "hazardous", "compartment", "capacity_t", "dedicated_vehicles")
"""Columns of :func:`stream_table`."""


def _same(code: str) -> str:
    """``code`` as it is (the default label of a stream)."""
    return code


def frequency_code(producer: PeriodicProducer) -> str:
    """The table's code of a producer's frequency (``2/week`` … ``four_weekly``).

    Parameters
    ----------
    producer : PeriodicProducer
        A producer with its :class:`~geo.routing.periodic.horizon.VisitFrequency`.

    Returns
    -------
    str
        ``"{n}/week"`` for a frequency per week, else the frequency's kind (``weekly``,
        ``fortnightly``, ``four_weekly``): a key of :data:`FREQUENCY_CHOICES`.
    """
    f = producer.frequency
    return f"{f.per_week}/week" if f.kind == "per_week" else f.kind


def frequency_table(producers: Sequence[PeriodicProducer], *,
                    stream_label: Callable[[str], str] = _same) -> pd.DataFrame:
    """One row per producer: its frequency code and a tick per accepted weekday.

    Parameters
    ----------
    producers : sequence of PeriodicProducer
        The producers, in the order of the rows.
    stream_label : callable, optional
        The label of a stream code shown in the ``streams`` column (default: the code).

    Returns
    -------
    pandas.DataFrame
        Columns ``stop_id``, ``name``, ``streams`` (labels joined by ``", "``), ``frequency``
        (:func:`frequency_code`), then one bool column per weekday code (``mon`` … ``sun``).
    """
    rows = [{"stop_id": p.stop_id, "name": p.name,
             "streams": ", ".join(stream_label(s) for s in p.streams),
             "frequency": frequency_code(p), **{d: d in p.weekdays for d in WEEKDAYS}}
            for p in producers]
    return pd.DataFrame(rows, columns=["stop_id", "name", "streams", "frequency", *WEEKDAYS])


def edited_producers(producers: Sequence[PeriodicProducer],
                     table: pd.DataFrame) -> list[PeriodicProducer]:
    """The producers with the frequency and weekdays of the edited table.

    Parameters
    ----------
    producers : sequence of PeriodicProducer
        The producers the table was made from (:func:`frequency_table`).
    table : pandas.DataFrame
        The edited table: a row per ``stop_id`` with ``frequency`` (any text
        :meth:`~geo.routing.periodic.horizon.VisitFrequency.parse` reads) and weekday ticks.

    Returns
    -------
    list of PeriodicProducer
        Each producer, in the given order, with its row's frequency and ticked weekdays.
    """
    from geo.routing.periodic.horizon import VisitFrequency

    rows = table.set_index("stop_id")
    return [replace(p, frequency=VisitFrequency.parse(str(rows.at[p.stop_id, "frequency"])),
                    weekdays=tuple(d for d in WEEKDAYS if bool(rows.at[p.stop_id, d])))
            for p in producers]


def stream_table(streams: Sequence[str], hazardous: Mapping[str, bool], capacity: float, *,
                 apart: bool) -> pd.DataFrame:
    """One row per stream: hazardous, its compartment, the compartment's size, dedicated.

    By default the non-hazardous streams share one compartment (``main``); hazardous streams,
    and every stream when ``apart`` (each is unloaded at its own reprocessor), have their own.

    Parameters
    ----------
    streams : sequence of str
        Stream codes, in the order of the rows.
    hazardous : mapping of str to bool
        Whether a stream is hazardous (a stream not in it is not).
    capacity : float
        Every compartment's capacity, in the fleet's unit (t).
    apart : bool
        Give every stream a compartment of its own.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STREAM_COLUMNS`; no dedicated vehicles.
    """
    rows = [{"stream": s, "hazardous": hazardous.get(s, False),
             "compartment": s if apart or hazardous.get(s, False) else "main",
             "capacity_t": capacity, "dedicated_vehicles": 0} for s in streams]
    return pd.DataFrame(rows, columns=list(STREAM_COLUMNS))


def horizon_fleet(programme: Programme, table: pd.DataFrame, depot_id: str, *, vehicles: int,
                  shift: tuple[int, int], unload: Unload,
                  reprocessors: Mapping[str, str]) -> PeriodicFleet:
    """Vehicle classes, compartments and streams from the stream table.

    As the CLI builds them from ``--compartment`` and ``--dedicated``: streams with the same
    compartment name (blank: the stream's own) share it; compartments without dedicated
    vehicles ride on ``vehicles`` shared vehicles (sized to the largest of them); a compartment
    with dedicated vehicles gets a class of its own.

    Parameters
    ----------
    programme : Programme
        The programme whose sites hold the depot and the reprocessors.
    table : pandas.DataFrame
        The (edited) :func:`stream_table`.
    depot_id : str
        Site id of the depot every vehicle starts from.
    vehicles : int
        Shared vehicles per day.
    shift : tuple of int
        Start and end of the shift, in hours of the day.
    unload : {"depot", "reprocessor"}
        ``"depot"`` or ``"reprocessor"`` (each stream unloaded at its reprocessor).
    reprocessors : mapping of str to str
        Stream code → site id of its reprocessor (read only when ``unload`` is
        ``"reprocessor"``).

    Returns
    -------
    PeriodicFleet
        The fleet, with one :class:`~geo.routing.periodic.fleet.Stream` per row.
    """
    from geo.routing.periodic.fleet import Compartment, PeriodicFleet, Stream, VehicleClass
    from geo.routing.select import depot_from_site

    depot = depot_from_site(programme, depot_id)
    rows = list(table.itertuples(index=False))
    names = list(dict.fromkeys(str(r.compartment).strip() or str(r.stream) for r in rows))
    members = {n: tuple(str(r.stream) for r in rows
                        if (str(r.compartment).strip() or str(r.stream)) == n) for n in names}
    first = {n: next(r for r in rows if (str(r.compartment).strip() or str(r.stream)) == n)
             for n in names}
    dedicated = {n: int(first[n].dedicated_vehicles or 0) for n in names}

    def fleet(count: int, cap: float) -> Fleet:
        return Fleet.from_factors(vehicles=count, capacity=cap, shift_start_s=shift[0] * 3600,
                                  shift_end_s=shift[1] * 3600)

    shared = tuple((n, float(first[n].capacity_t)) for n in names if dedicated[n] <= 0)
    classes = []
    if shared:
        classes.append(VehicleClass(_("vehicle"), fleet(vehicles, max(c for _n, c in shared)),
                                    depot, capacities=shared, unload=unload))
    for n in names:
        if dedicated[n] > 0:
            cap = float(first[n].capacity_t)
            classes.append(VehicleClass(_("{compartment} vehicle").format(compartment=n),
                                        fleet(dedicated[n], cap), depot,
                                        capacities=((n, cap),), unload=unload))
    streams = tuple(Stream(str(r.stream), hazardous=bool(r.hazardous),
                           reprocessor=depot_from_site(programme, reprocessors[str(r.stream)])
                           if unload == "reprocessor" and reprocessors.get(str(r.stream))
                           else None) for r in rows)
    return PeriodicFleet(classes=tuple(classes), streams=streams,
                         compartments=tuple(Compartment(n, members[n]) for n in names))


def select_producers(programme: Programme, streams: Sequence[str], park_ids: Sequence[str],
                     depot_id: str, *, catalogue: Catalogue | None = None) -> PeriodicSelection:
    """Producers of the streams (one per site) with the CLI's defaults.

    Each record's own frequency, Monday to Friday, in tonnes, the depot's site left out.

    Parameters
    ----------
    programme : Programme
        The programme whose records are selected.
    streams : sequence of str
        Catalogue selectors of the streams.
    park_ids : sequence of str
        Parks to select in (all if empty).
    depot_id : str
        Site id of the depot (not a producer).
    catalogue : Catalogue, optional
        The catalogue the selectors refer to.

    Returns
    -------
    PeriodicSelection
        See :func:`~geo.routing.periodic.select.producers_for_streams`.
    """
    from geo.routing.periodic.select import producers_for_streams
    from geo.routing.select import ProducerQuery

    query = ProducerQuery(park_ids=tuple(park_ids), unit="t", exclude_site_ids=(depot_id,))
    return producers_for_streams(programme, streams, query, catalogue=catalogue)


def calendar_for_reading(calendar: pd.DataFrame, producers: Sequence[PeriodicProducer], *,
                         stream_label: Callable[[str], str] = _same) -> pd.DataFrame:
    """The calendar with frequencies and streams as the session reads them (for display).

    Parameters
    ----------
    calendar : pandas.DataFrame
        A plan's calendar (:func:`~geo.routing.periodic.tables.calendar`).
    producers : sequence of PeriodicProducer
        The plan's producers (their frequency fills ``frequency``).
    stream_label : callable, optional
        The label of a stream code (default: the code).

    Returns
    -------
    pandas.DataFrame
        ``calendar`` with ``frequency`` the translated label of :data:`FREQUENCY_CHOICES` and
        ``streams`` the labels joined by ``", "``.
    """
    freq = {p.stop_id: _(FREQUENCY_CHOICES[frequency_code(p)]) for p in producers}
    return calendar.assign(
        frequency=calendar["stop_id"].map(freq),
        streams=calendar["streams"].map(
            lambda text: ", ".join(stream_label(s) for s in str(text).split(", ") if s)))
