"""``python -m geo milk-round``: plan collection rounds over the road network.

Examples::

    python -m geo milk-round --stream organics --depot KAR-S012 --vehicles 2 --capacity-t 15
    python -m geo milk-round --stream organics --depot KAR-S012 --vehicles 1 --capacity-t 15 \\
        --days mon,wed,fri --reload --optional --value-per-t 30 --time-limit 10 --out rounds/

The embedded Karhula demo programme and its road network are used unless ``--programme``
names a stored programme (then ``--pbf`` gives its roads; without one the straight-line
stand-in is used and labelled, or an osmnx download when SYMBIOMAP_ONLINE_OSM=1).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.cli.common import fail, load_programme, print_table, road_graph, split_list
from geo.errors import SymbiosisError

if TYPE_CHECKING:
    from geo.routing.pipeline import MilkRoundResult

__all__ = ["main"]

logger = logging.getLogger(__name__)

# The routing stack (solver, road network) is imported inside the functions that use it, so
# that --help and argument errors answer without loading it.


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo milk-round",
                                description="Plan milk-round collection routes by day.")
    sel = p.add_argument_group("producers")
    sel.add_argument("--stream", default="", help="catalogue selectors, comma separated: a "
                     "stream group (organics), chapter (02), subchapter (0203) or code")
    sel.add_argument("--parks", default="", help="park ids, comma separated")
    sel.add_argument("--sites", default="", help="site ids, comma separated (a hand selection)")
    sel.add_argument("--min-per-visit", type=float, default=0.0,
                     help="smallest pickup per collection (t or m3)")
    sel.add_argument("--max-per-visit", type=float, default=float("inf"),
                     help="largest pickup per collection (t or m3)")
    sel.add_argument("--frequency", default="record",
                     choices=["record", "weekly", "fortnightly", "monthly"])
    sel.add_argument("--service-min", type=float, default=15.0, help="minutes on site")
    sel.add_argument("--hours", default="00:00-24:00", help="opening hours, e.g. 06:00-14:00")
    sel.add_argument("--weekdays", default="mon,tue,wed,thu,fri",
                     help="weekdays producers accept")
    sel.add_argument("--optional", action="store_true",
                     help="skip producers whose value does not pay for the detour")
    sel.add_argument("--value-per-t", type=float, default=0.0,
                     help="value of a collected t (or m3) for optional producers")
    dep = p.add_argument_group("depot (one of)")
    dep.add_argument("--depot", default="", help="site id of the depot (reprocessor)")
    dep.add_argument("--depot-park", default="", help="park id: depot at the park's centre")
    dep.add_argument("--depot-point", default="", help="LON,LAT of the depot (WGS84)")
    fl = p.add_argument_group("fleet")
    fl.add_argument("--vehicles", type=int, default=1, help="vehicles per day")
    cap = fl.add_mutually_exclusive_group()
    cap.add_argument("--capacity-t", type=float, default=None, help="capacity in tonnes")
    cap.add_argument("--capacity-m3", type=float, default=None, help="capacity in m3")
    fl.add_argument("--cost-per-km", type=float, default=None)
    fl.add_argument("--cost-per-hour", type=float, default=None)
    fl.add_argument("--shift", default="07:00-15:00", help="shift window, e.g. 06:00-14:00")
    fl.add_argument("--max-shift-h", type=float, default=None, help="longest shift in hours")
    fl.add_argument("--reload", action="store_true", help="allow unloading and going out again")
    p.add_argument("--days", default="mon", help="weekdays to plan, e.g. mon,wed")
    p.add_argument("--time-limit", type=float, default=10.0, help="solver seconds")
    p.add_argument("--seeds", default="0,1", help="solver seeds (run side by side)")
    p.add_argument("--programme", default="", help="stored programme name (default: demo)")
    p.add_argument("--pbf", default="", help=".osm.pbf road network file")
    p.add_argument("--out", default="", help="folder for run sheets, GPX, GeoJSON, KPIs")
    p.add_argument("--json", action="store_true", help="print the KPIs as JSON")
    return p


def _window(text: str) -> tuple[int, int]:
    from geo.routing.problem import parse_clock

    try:
        a, b = text.split("-")
    except ValueError as exc:
        msg = f"Expected a time window like 07:00-15:00, got {text!r}."
        raise SymbiosisError(msg) from exc
    return parse_clock(a), parse_clock(b)


def _run(args: argparse.Namespace) -> MilkRoundResult:
    from geo.routing.pipeline import plan_milk_round
    from geo.routing.problem import Depot, Fleet
    from geo.routing.select import ProducerQuery, depot_from_park, depot_from_site
    from geo.routing.solve import SolverOptions

    prog = load_programme(args.programme)
    graph = road_graph(prog, pbf=args.pbf, demo=not args.programme, download=True)
    if args.depot:
        depot = depot_from_site(prog, args.depot)
    elif args.depot_park:
        depot = depot_from_park(prog, args.depot_park)
    elif args.depot_point:
        lon, lat = (float(v) for v in args.depot_point.split(","))
        depot = Depot("Depot", lon, lat)
    else:
        msg = "Give the depot: --depot SITE_ID, --depot-park PARK_ID or --depot-point LON,LAT."
        raise SymbiosisError(msg)
    shift = _window(args.shift)
    hours = _window(args.hours)
    unit = "m3" if args.capacity_m3 is not None else "t"
    changes: dict[str, Any] = {
        "vehicles": args.vehicles, "capacity_unit": unit,
        "capacity": args.capacity_m3 if unit == "m3" else (args.capacity_t or 10.0),
        "shift_start_s": shift[0], "shift_end_s": shift[1], "reload": args.reload,
        "max_duration_s": None if args.max_shift_h is None else int(args.max_shift_h * 3600),
    }
    if args.cost_per_km is not None:
        changes.update(cost_per_km=args.cost_per_km, cost_source="given on the command line")
    if args.cost_per_hour is not None:
        changes.update(cost_per_hour=args.cost_per_hour, cost_source="given on the command line")
    fleet = Fleet.from_factors(**changes)
    query = ProducerQuery(stream=split_list(args.stream), park_ids=split_list(args.parks),
                          site_ids=split_list(args.sites), frequency=args.frequency,
                          min_per_visit=args.min_per_visit, max_per_visit=args.max_per_visit,
                          service_s=int(args.service_min * 60), tw_start_s=hours[0],
                          tw_end_s=hours[1], weekdays=split_list(args.weekdays),
                          optional=args.optional, value_per_unit=args.value_per_t)
    seeds = tuple(int(s) for s in split_list(args.seeds)) or (0,)
    options = SolverOptions(time_limit_s=args.time_limit, seeds=seeds, workers=len(seeds))
    return plan_milk_round(prog, query, depot, fleet, days=split_list(args.days), graph=graph,
                           options=options)


def _write(result: MilkRoundResult, out: Path) -> list[Path]:
    from geo import export
    from geo.routing.runsheet import run_sheet_gpx

    out.mkdir(parents=True, exist_ok=True)
    files = {
        "run_sheet.csv": export.to_csv_bytes(result.run_sheet),
        "run_sheet.xlsx": export.to_excel_bytes(result.run_sheet),
        "routes.gpx": run_sheet_gpx(result.plan, result.lines),
        "routes.geojson": export.to_geojson_bytes(result.lines),
        "kpis.csv": export.to_csv_bytes(result.kpis),
        "left_out.csv": export.to_csv_bytes(result.left_out),
    }
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def main(argv: list[str]) -> int:
    """Plan the rounds, print routes, KPIs and left-out producers; write files with ``--out``."""
    args = _parser().parse_args(argv)
    try:
        result = _run(args)
    except SymbiosisError as exc:
        return fail(exc)
    plan = result.plan
    if args.json:
        print(json.dumps({"feasible": plan.feasible, "relaxed": plan.relaxed,
                          "cost": round(plan.cost, 2), "served": len(plan.served),
                          "left_out": len(result.left_out),
                          "kpis": result.kpis.to_dict(orient="records")}, default=str))
    else:
        method = plan.instance.method
        note = "" if method == "road" else " (straight-line distances × detour: no road network)"
        print(f"Milk round from {plan.instance.depot.name}: {len(plan.served)} producers in "
              f"{len(plan.routes)} route(s), {plan.trips} trip(s){note}")
        print_table(result.summary)
        print()
        print_table(result.kpis)
        if len(result.left_out):
            print(f"\nLeft out ({len(result.left_out)}):")
            for r in result.left_out.itertuples():
                print(f"  {r.name} [{r.stage}]: {r.reason}")
    if args.out:
        for path in _write(result, Path(args.out)):
            print(f"wrote {path}")
    return 0
