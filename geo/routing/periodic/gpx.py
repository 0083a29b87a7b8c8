"""GPX for drivers of a periodic plan: one ``<rte>`` per vehicle and working day.

Waypoints are the depots, the reprocessors where vehicles unload, and every collection (named
``W1 Mon · truck 1 · 3. Name``); tracks follow the roads when route lines are given. Built by
:func:`geo.routing.runsheet.gpx_document`, which escapes every name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.i18n import _, ngettext
from geo.routing.periodic.tables import run_sheet
from geo.routing.runsheet import gpx_document

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.routing.periodic.plan import PeriodicPlan

__all__ = ["run_sheet_gpx"]


def run_sheet_gpx(plan: PeriodicPlan, lines: gpd.GeoDataFrame | None = None, *,
                  day: int | None = None) -> bytes:
    """GPX 1.1 of every route (or of one working ``day``, 0-based), escaped UTF-8 XML.

    Parameters
    ----------
    plan : PeriodicPlan
    lines : GeoDataFrame, optional
        Route lines of :func:`~geo.routing.periodic.geometry.route_lines` (``route`` column).
    day : int, optional
        Only this working day.
    """
    sheet = run_sheet(plan)
    if day is not None:
        sheet = sheet[sheet["day"] == day + 1]
    fixed = sheet[sheet["activity"] != "collect"].drop_duplicates(["name", "lon", "lat"])
    waypoints = [(float(r.lon), float(r.lat), str(r.name), "") for r in fixed.itertuples()
                 if r.activity in ("leave depot", "unload at reprocessor")]
    # Translators: a stop's description in a GPS app; {streams} lists the streams collected.
    waypoints += [(float(r.lon), float(r.lat), f"{r.route} · {r.seq}. {r.name}",
                  _("arrive {arrival}, collect {streams}").format(arrival=r.arrival,
                                                                  streams=r.streams))
                  for r in sheet[sheet["activity"] == "collect"].itertuples()]
    routes = [(str(route), [(float(r.lon), float(r.lat),
                             f"{r.seq}. {r.name}" if r.activity == "collect"
                             # Translators: a route point in a GPS app: what is done, where.
                             else _("{activity}: {place}").format(activity=_(r.activity),
                                                                  place=r.name))
                            for r in grp.itertuples()])
              for route, grp in sheet.groupby("route", sort=False)]
    tracks = []
    if lines is not None:
        wanted = set(sheet["route"])
        tracks = [(str(row.route), list(row.geometry.coords)) for row in lines.itertuples()
                  if row.route in wanted]
    weeks = plan.problem.horizon.weeks
    title = ngettext("Milk round over {n} week", "Milk round over {n} weeks", weeks).format(
        n=weeks)
    return gpx_document(title, waypoints, routes, tracks)
