"""Producers and depots of a milk round, chosen from a programme's records.

A producer is a member site with one or more *haves* of the chosen stream; its records are
combined into one stop (annual quantities summed, collected at the most frequent of their
frequencies unless the planner sets one). Every record or site left out is reported with the
reason — never dropped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd

from geo.concentrations import label_clusters
from geo.errors import RoutingError
from geo.i18n import _, format_number, format_tonnes, ngettext
from geo.programme import resources_with_sites
from geo.routing.problem import (
    DAY_S,
    VISITS_PER_YEAR,
    WEEKDAYS,
    CapacityUnit,
    Depot,
    ExcludedStop,
    Frequency,
    Producer,
)
from geo.routing.text import frequency_label

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.programme import Programme

__all__ = [
    "RECORD_FREQUENCY",
    "REPORT_COLUMNS",
    "ProducerQuery",
    "ProducerSelection",
    "cluster_sites",
    "depot_from_park",
    "depot_from_site",
    "producers_from_programme",
    "suggest_depot",
]

RECORD_FREQUENCY: Final[dict[str, Frequency]] = {
    "continuous": "weekly", "daily": "weekly", "weekly": "weekly",
    "fortnightly": "fortnightly", "monthly": "monthly", "quarterly": "monthly",
    "annual": "monthly", "one-off": "monthly",
}
"""Collection frequency used for a record's own frequency (at least monthly, at most weekly)."""

REPORT_COLUMNS: Final = ["site_id", "name", "status", "reason", "quantity_per_year",
                         "quantity_per_visit", "frequency", "resource_ids"]


@dataclass(frozen=True)
class ProducerQuery:
    """Which producers to collect from, and the terms of their collections.

    Attributes
    ----------
    stream : tuple of str
        Catalogue selectors (entry codes, chapters ``"02"``, subchapters ``"0203"``, stream
        groups ``"organics"``); empty selects every material *have*.
    park_ids, site_ids : tuple of str
        Keep only these parks / sites (a cluster or a hand selection); empty keeps all.
    unit : {"t", "m3"}
        The fleet's capacity unit: only records in ``t/yr`` (or ``m3/yr``) can be planned.
    frequency : {"record", "weekly", "fortnightly", "monthly"}
        Collection frequency; ``record`` uses each record's own (:data:`RECORD_FREQUENCY`).
    min_per_visit, max_per_visit : float
        Keep producers whose pickup per collection lies in this range (``unit``).
    service_s, tw_start_s, tw_end_s : int
        Time on site and opening hours (seconds after midnight) for every producer.
    weekdays : tuple of str
        Weekdays every producer accepts.
    optional : bool
        Let the solver skip producers whose value does not pay for the detour.
    value_per_unit : float
        Value of collecting one t (or m³) — e.g. the avoided disposal cost — used as the
        prize of optional producers.
    exclude_site_ids : tuple of str
        Sites never collected from (the depot's own site).
    """

    stream: tuple[str, ...] = ()
    park_ids: tuple[str, ...] = ()
    site_ids: tuple[str, ...] = ()
    unit: CapacityUnit = "t"
    frequency: Literal["record", "weekly", "fortnightly", "monthly"] = "record"
    min_per_visit: float = 0.0
    max_per_visit: float = math.inf
    service_s: int = 900
    tw_start_s: int = 0
    tw_end_s: int = DAY_S
    weekdays: tuple[str, ...] = WEEKDAYS[:5]
    optional: bool = False
    value_per_unit: float = 0.0
    exclude_site_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.frequency != "record" and self.frequency not in VISITS_PER_YEAR:
            msg = _("frequency must be 'record' or one of {choices}, got {value}.").format(
                choices=tuple(VISITS_PER_YEAR), value=repr(self.frequency))
            raise RoutingError(msg)
        if not (0 <= self.min_per_visit <= self.max_per_visit):
            msg = _("The quantity range per collection must run from a minimum >= 0 to a "
                    "maximum >= it, got {low}–{high}.").format(low=repr(self.min_per_visit),
                                                               high=repr(self.max_per_visit))
            raise RoutingError(msg)
        if self.value_per_unit < 0:
            msg = _("value_per_unit must be zero or positive, got {value}.").format(
                value=repr(self.value_per_unit))
            raise RoutingError(msg)


@dataclass(frozen=True)
class ProducerSelection:
    """The producers to plan and a report of every site considered (``REPORT_COLUMNS``)."""

    producers: tuple[Producer, ...]
    report: pd.DataFrame

    @property
    def excluded(self) -> tuple[ExcludedStop, ...]:
        """Sites left out, as :class:`ExcludedStop` for the plan's report."""
        out = self.report[self.report["status"] == "left out"]
        return tuple(ExcludedStop(str(r.site_id), str(r.name), str(r.reason))
                     for r in out.itertuples())


def _report_row(site_id: object, name: object, status: str, reason: str, *,
                qty: float = np.nan, per_visit: float = np.nan, freq: str = "",
                ids: tuple[str, ...] = ()) -> dict[str, object]:
    return {"site_id": site_id, "name": name, "status": status, "reason": reason,
            "quantity_per_year": qty, "quantity_per_visit": per_visit, "frequency": freq,
            "resource_ids": ", ".join(ids)}


def producers_from_programme(programme: Programme, query: ProducerQuery, *,
                             catalogue: Catalogue | None = None) -> ProducerSelection:
    """Producers (one per site) of the programme's haves that match ``query``.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> sel = producers_from_programme(load_demo_programme(), ProducerQuery(stream=("organics",)))
    >>> len(sel.producers) > 5, set(sel.report["status"]) <= {"selected", "left out"}
    (True, True)
    """
    res = resources_with_sites(programme)
    res = res[(res["direction"] == "have") & (res["resource_class"] == "material")]
    if query.stream:
        if catalogue is None:
            from geo.catalogue import load_catalogue

            catalogue = load_catalogue()
        codes = catalogue.codes_matching(query.stream)
        res = res[catalogue.normalise_codes(res["ewc_code"]).isin(codes)]
    if query.park_ids:
        res = res[res["park_id"].isin(query.park_ids)]
    if query.site_ids:
        res = res[res["site_id"].isin(query.site_ids)]
    rows: list[dict[str, object]] = []
    want_unit = f"{query.unit}/yr"
    qty = pd.to_numeric(res["quantity"], errors="coerce")
    located = res.geometry.notna() & ~res.geometry.is_empty
    problems = {
        _("not located: geocode the site first"): ~located,
        _("quantity is not in {unit}, the unit the vehicles carry").format(unit=want_unit):
            res["unit"] != want_unit,
        _("no quantity recorded"): ~(qty > 0),
        _("is the depot"): res["site_id"].isin(query.exclude_site_ids),
    }
    bad = pd.Series(False, index=res.index)
    for reason, mask in problems.items():
        hit = mask & ~bad
        rows += [_report_row(r.site_id, r.site_name, "left out", reason,
                             ids=(str(r.resource_id),)) for r in res[hit].itertuples()]
        bad |= mask
    good = res[~bad].assign(qty=qty[~bad])
    producers: list[Producer] = []
    for site_id, grp in good.groupby("site_id", sort=True):
        freqs = [RECORD_FREQUENCY.get(str(f), "weekly") for f in grp["frequency"]]
        freq: Frequency = (max(freqs, key=lambda f: VISITS_PER_YEAR[f])
                           if query.frequency == "record" else query.frequency)
        total = float(grp["qty"].sum())
        per_visit = total / VISITS_PER_YEAR[freq]
        ids = tuple(str(x) for x in grp["resource_id"])
        name = str(grp["site_name"].iloc[0])
        if not (query.min_per_visit <= per_visit <= query.max_per_visit):
            rows.append(_report_row(site_id, name, "left out",
                                    _("{quantity} {unit} per {frequency} collection is outside "
                                      "the range {low}–{high} {unit}").format(
                                        quantity=format_number(per_visit, digits=2),
                                        unit=query.unit, frequency=frequency_label(freq),
                                        low=f"{query.min_per_visit:g}",
                                        high=f"{query.max_per_visit:g}"),
                                    qty=total, per_visit=per_visit, freq=freq, ids=ids))
            continue
        pt = grp.geometry.iloc[0]
        producers.append(Producer(
            stop_id=str(site_id), name=name, lon=float(pt.x), lat=float(pt.y),
            quantity_per_year=total, frequency=freq, service_s=query.service_s,
            tw_start_s=query.tw_start_s, tw_end_s=query.tw_end_s, weekdays=query.weekdays,
            optional=query.optional, prize=query.value_per_unit * per_visit,
            site_id=str(site_id), resource_ids=ids))
        rows.append(_report_row(site_id, name, "selected", "", qty=total,
                                per_visit=per_visit, freq=freq, ids=ids))
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return ProducerSelection(producers=tuple(producers), report=report)


def depot_from_site(programme: Programme, site_id: str) -> Depot:
    """The depot at a member site (e.g. the reprocessor)."""
    sites = programme.sites[programme.sites["site_id"] == site_id]
    if sites.empty:
        msg = _("No member site {site_id} to use as the depot; pick one of the programme's "
                "sites (site_id) or give a point.").format(site_id=repr(site_id))
        raise RoutingError(msg)
    row = sites.iloc[0]
    pt = row.geometry
    if pt is None or pt.is_empty:
        msg = _("Depot site {name} ({site_id}) is not located; geocode it first.").format(
            name=repr(row["name"]), site_id=site_id)
        raise RoutingError(msg)
    return Depot(name=str(row["name"]), lon=float(pt.x), lat=float(pt.y), site_id=str(site_id))


def depot_from_park(programme: Programme, park_id: str) -> Depot:
    """A depot inside a park (its representative point), e.g. a transfer station."""
    parks = programme.parks[programme.parks["park_id"] == park_id]
    if parks.empty:
        msg = _("No park {park_id} to place the depot in; pick one of the programme's "
                "parks.").format(park_id=repr(park_id))
        raise RoutingError(msg)
    row = parks.iloc[0]
    pt = row.geometry.representative_point()
    # Translators: the name of a depot placed at a park's centre; {park} is the park's name.
    return Depot(name=_("{park} (park)").format(park=row["name"]), lon=float(pt.x),
                 lat=float(pt.y))


def _located(programme: Programme, direction: str, stream: tuple[str, ...],
             catalogue: Catalogue | None) -> pd.DataFrame:
    """Located records of one direction, of the stream's codes when a stream is given."""
    res = resources_with_sites(programme)
    res = res[(res["direction"] == direction) & res.geometry.notna() & ~res.geometry.is_empty]
    if stream:
        if catalogue is None:
            from geo.catalogue import load_catalogue

            catalogue = load_catalogue()
        res = res[catalogue.normalise_codes(res["ewc_code"]).isin(
            catalogue.codes_matching(stream))]
    return res


def suggest_depot(programme: Programme, stream: tuple[str, ...], *,
                  catalogue: Catalogue | None = None) -> str | None:
    """The located site with the largest *want* of the stream (a reprocessor), if any.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> suggest_depot(load_demo_programme(), ("organics",))
    'KAR-S012'
    """
    res = _located(programme, "want", stream, catalogue)
    if res.empty:
        return None
    totals = res.groupby("site_id")["tonnes_per_year"].sum()
    return str(totals.idxmax())


def cluster_sites(programme: Programme, stream: tuple[str, ...], *, eps_m: float = 500.0,
                  min_tonnes: float = 200.0,
                  catalogue: Catalogue | None = None) -> dict[str, tuple[str, ...]]:
    """Producer clusters of a stream (:func:`geo.concentrations.label_clusters`) → their sites.

    Keys read ``Cluster 1 · 6 sites · 2,310 t/yr`` (largest first); use the sites as
    :attr:`ProducerQuery.site_ids` to plan a round for one cluster.

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> groups = cluster_sites(load_demo_programme(), ("organics",))
    >>> all(len(v) >= 1 for v in groups.values())
    True
    """
    res = _located(programme, "have", stream, catalogue)
    res = res[res["tonnes_per_year"].notna()]
    if res.empty:
        return {}
    labels = label_clusters(res, eps_m=eps_m, min_tonnes=min_tonnes)
    out: dict[str, tuple[str, ...]] = {}
    for cid in sorted(set(labels[labels > 0])):
        members = res[labels == cid]
        sites = tuple(sorted(members["site_id"].astype(str).unique()))
        out[ngettext("Cluster {cluster} · {n} site · {tonnes}",
                     "Cluster {cluster} · {n} sites · {tonnes}", len(sites)).format(
            cluster=cid, n=format_number(len(sites)),
            tonnes=format_tonnes(float(members["tonnes_per_year"].sum()), digits=0,
                                 per_year=True))] = sites
    return out
