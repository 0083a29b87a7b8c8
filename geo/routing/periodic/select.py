"""Producers of several streams from a programme's records, for a periodic round.

Each stream is a catalogue selector (``"organics"``, ``"15 01 01"``, ``"13"``); the
single-cycle selection (:func:`geo.routing.select.producers_from_programme`) runs once per
stream with the same query, and a site's streams are merged into one
:class:`~geo.routing.periodic.producers.PeriodicProducer`. A stream is hazardous when any of
its selected records is. Streams whose selectors pick the same record are refused (the record
would be collected twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from geo.errors import RoutingError
from geo.i18n import _
from geo.routing.periodic.fleet import ALL_STREAMS, Stream
from geo.routing.periodic.horizon import VisitFrequency
from geo.routing.periodic.producers import PeriodicProducer
from geo.routing.select import producers_from_programme

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from geo.catalogue import Catalogue
    from geo.programme import Programme
    from geo.routing.problem import Depot, ExcludedStop, Producer
    from geo.routing.select import ProducerQuery

__all__ = ["PeriodicSelection", "producers_for_streams"]


@dataclass
class _Merge:
    """A site's selections so far (one per stream)."""

    first: Producer
    frequency: VisitFrequency
    quantities: list[tuple[str, float]] = field(default_factory=list)
    resource_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeriodicSelection:
    """Producers with their streams, the streams, and a report of every site considered."""

    producers: tuple[PeriodicProducer, ...]
    streams: tuple[Stream, ...]
    report: pd.DataFrame
    excluded: tuple[ExcludedStop, ...]


def producers_for_streams(
    programme: Programme,
    streams: Sequence[str],
    query: ProducerQuery,
    *,
    frequency: VisitFrequency | None = None,
    storage_days: float | None = None,
    reprocessors: Mapping[str, Depot] | None = None,
    catalogue: Catalogue | None = None,
) -> PeriodicSelection:
    """Producers of ``streams`` in ``programme`` that match ``query``, one per site.

    Parameters
    ----------
    programme : Programme
    streams : sequence of str
        Catalogue selectors, one per stream (``"all"``: every material *have* as one
        stream).
    query : ProducerQuery
        Parks, sites, unit, quantity range, service, hours, weekdays (its ``stream`` is
        replaced by each selector in turn).
    frequency : VisitFrequency, optional
        Every producer's frequency; by default each record's own (the most frequent of a
        site's records, ``monthly`` read as every four weeks).
    storage_days : float, optional
        Every producer's storage limit.
    reprocessors : mapping of str to Depot, optional
        The reprocessor of each stream.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> from geo.routing.select import ProducerQuery
    >>> sel = producers_for_streams(load_demo_programme(), ["organics", "15 01"],
    ...                             ProducerQuery())
    >>> [s.name for s in sel.streams], len(sel.producers) > 5
    (['organics', '15 01'], True)
    """
    if not streams or len(set(streams)) != len(streams):
        msg = _("Give one or more different streams, got {streams}.").format(
            streams=repr(list(streams)))
        raise RoutingError(msg)
    by_site: dict[str, _Merge] = {}
    reports: list[pd.DataFrame] = []
    excluded: list[ExcludedStop] = []
    owner: dict[str, str] = {}
    hazardous_ids = set(programme.resources.loc[
        programme.resources["hazardous"].fillna(False).astype(bool), "resource_id"])
    hazardous: dict[str, bool] = {}
    for name in streams:
        selector = () if name == ALL_STREAMS else (name,)
        sel = producers_from_programme(programme, replace(query, stream=selector),
                                       catalogue=catalogue)
        reports.append(sel.report.assign(stream=name))
        excluded += list(sel.excluded)
        hazardous[name] = False
        for p in sel.producers:
            clash = [r for r in p.resource_ids if r in owner]
            if clash:
                msg = _("Streams {stream} and {other} both select record {record}: it would "
                        "be collected twice. Choose streams that do not overlap (e.g. '15"
                        " 01 01' and '15 01 02' instead of '15 01').").format(
                    stream=repr(owner[clash[0]]), other=repr(name),
                    record=repr(clash[0]))
                raise RoutingError(msg)
            owner.update(dict.fromkeys(p.resource_ids, name))
            hazardous[name] |= any(r in hazardous_ids for r in p.resource_ids)
            f = frequency or VisitFrequency.parse(p.frequency)
            entry = by_site.setdefault(p.stop_id, _Merge(p, f))
            entry.quantities.append((name, p.quantity_per_year))
            if f.visits_per_year > entry.frequency.visits_per_year:
                entry.frequency = f
            entry.resource_ids += p.resource_ids
    producers = [PeriodicProducer(
        stop_id=e.first.stop_id, name=e.first.name, lon=e.first.lon, lat=e.first.lat,
        quantities=tuple(e.quantities), frequency=e.frequency, weekdays=e.first.weekdays,
        service_s=e.first.service_s, tw_start_s=e.first.tw_start_s, tw_end_s=e.first.tw_end_s,
        storage_days=storage_days, site_id=e.first.site_id, resource_ids=e.resource_ids)
        for e in by_site.values()]
    reprocessors = reprocessors or {}
    kept = {p.stop_id for p in producers}
    seen: set[tuple[str, str]] = set()
    left_out = []
    for e in excluded:
        if e.stop_id not in kept and (e.stop_id, e.reason) not in seen:
            seen.add((e.stop_id, e.reason))
            left_out.append(e)
    return PeriodicSelection(
        producers=tuple(sorted(producers, key=lambda p: p.stop_id)),
        streams=tuple(Stream(name, hazardous=hazardous[name], reprocessor=reprocessors.get(name))
                      for name in streams),
        report=pd.concat(reports, ignore_index=True), excluded=tuple(left_out))
