"""``python -m geo milk-round``: plan collection rounds over the road network.

Examples::

    python -m geo milk-round --stream organics --depot KAR-S012 --vehicles 2 --capacity-t 15
    python -m geo milk-round --stream organics --depot KAR-S012 --vehicles 1 --capacity-t 15 \\
        --days mon,wed,fri --reload --optional --value-per-t 30 --time-limit 10 --out rounds/
    python -m geo milk-round --weeks 4 --streams organics,"15 01" --depot KAR-S012 \\
        --vehicles 2 --capacity-t 15 --compartment "dry=9:15 01" --compartment "wet=6:organics" \\
        --visit-frequency fortnightly --storage-days 21 --time-limit 20 --out month/

With ``--weeks`` the plan covers one to four weeks: each producer is collected on a regular
pattern of its frequency (``--visit-frequency`` or its records' own), several streams may
share a vehicle in compartments (``--compartment``) or go on dedicated vehicles
(``--dedicated``), and vehicles may unload each stream at its reprocessor on the way back
(``--unload reprocessor`` with ``--reprocessor STREAM=SITE``). ``--days`` then lists the
working weekdays (default Monday to Friday).

The embedded Karhula demo programme and its road network are used unless ``--programme``
names a stored programme (then ``--pbf`` gives its roads; without one the straight-line
stand-in is used and labelled, or an osmnx download when SYMBIOMAP_ONLINE_OSM=1).
"""

from __future__ import annotations

import argparse
import json
import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.cli.common import fail, load_programme, print_table, road_graph, split_list
from geo.errors import SymbiosisError
from geo.i18n import DEFAULT_LOCALE, _, format_number, ngettext, use_locale

if TYPE_CHECKING:
    import pandas as pd

    from geo.programme import Programme
    from geo.routing.periodic.fleet import PeriodicFleet
    from geo.routing.periodic.pipeline import PeriodicResult
    from geo.routing.pipeline import MilkRoundResult
    from geo.routing.problem import Depot, Fleet
    from geo.routing.select import ProducerQuery

__all__ = ["main"]

logger = logging.getLogger(__name__)

# The routing stack (solver, road network) is imported inside the functions that use it, so
# that --help and argument errors answer without loading it.



def _seeds(text: str) -> tuple[int, ...]:
    """The solver seeds of ``--seeds`` (whole numbers from 0 to 2**32 - 1), else refused."""
    try:
        seeds = tuple(int(v) for v in split_list(text)) or (0,)
    except ValueError:
        seeds = (-1,)
    if not all(0 <= v < 2**32 for v in seeds):
        msg = _("--seeds takes whole numbers from 0 to 4294967295, comma-separated, got "
                "{text}.").format(text=repr(text))
        raise SymbiosisError(msg)
    return seeds

def _parser() -> argparse.ArgumentParser:
    from geo.routing.problem import DEFAULT_CAPACITY_T

    p = argparse.ArgumentParser(prog="python -m geo milk-round",
                                description=_("Plan milk-round collection routes by day."))
    sel = p.add_argument_group(_("producers"))
    sel.add_argument("--stream", default="", help=_("catalogue selectors, comma separated: a "
                     "stream group (organics), chapter (02), subchapter (0203) or code"))
    sel.add_argument("--parks", default="", help=_("park ids, comma separated"))
    sel.add_argument("--sites", default="", help=_("site ids, comma separated (a hand selection)"))
    sel.add_argument("--min-per-visit", type=float, default=0.0,
                     help=_("smallest pickup per collection (t or m3)"))
    sel.add_argument("--max-per-visit", type=float, default=float("inf"),
                     help=_("largest pickup per collection (t or m3)"))
    sel.add_argument("--frequency", default="record",
                     choices=["record", "weekly", "fortnightly", "monthly"])
    sel.add_argument("--service-min", type=float, default=15.0, help=_("minutes on site"))
    sel.add_argument("--hours", default="00:00-24:00", help=_("opening hours, e.g. 06:00-14:00"))
    sel.add_argument("--weekdays", default="mon,tue,wed,thu,fri",
                     help=_("weekdays producers accept"))
    sel.add_argument("--optional", action="store_true",
                     help=_("skip producers whose value does not pay for the detour"))
    sel.add_argument("--value-per-t", type=float, default=0.0,
                     help=_("value of a collected t (or m3) for optional producers"))
    dep = p.add_argument_group(_("depot (one of)"))
    dep.add_argument("--depot", default="", help=_("site id of the depot (reprocessor)"))
    dep.add_argument("--depot-park", default="", help=_("park id: depot at the park's centre"))
    dep.add_argument("--depot-point", default="", help=_("LON,LAT of the depot (WGS84)"))
    fl = p.add_argument_group(_("fleet"))
    fl.add_argument("--vehicles", type=int, default=1, help=_("vehicles per day"))
    cap = fl.add_mutually_exclusive_group()
    cap.add_argument("--capacity-t", type=float, default=None,
                     help=_("capacity in tonnes (default {default:g})").format(
                         default=DEFAULT_CAPACITY_T))
    cap.add_argument("--capacity-m3", type=float, default=None, help=_("capacity in m3"))
    fl.add_argument("--cost-per-km", type=float, default=None)
    fl.add_argument("--cost-per-hour", type=float, default=None)
    fl.add_argument("--shift", default="07:00-15:00", help=_("shift window, e.g. 06:00-14:00"))
    fl.add_argument("--max-shift-h", type=float, default=None, help=_("longest shift in hours"))
    fl.add_argument("--reload", action="store_true", help=_("allow unloading and going out again"))
    p.add_argument("--days", default=None, help=_("weekdays to plan, e.g. mon,wed (with --weeks: "
                   "the working weekdays, default mon-fri)"))
    p.add_argument("--time-limit", type=float, default=10.0, help=_("solver seconds"))
    p.add_argument("--seeds", default="0,1", help=_("solver seeds (run side by side)"))
    p.add_argument("--programme", default="", help=_("stored programme name (default: demo)"))
    p.add_argument("--pbf", default="", help=_(".osm.pbf road network file"))
    p.add_argument("--out", default="", help=_("folder for run sheets, GPX, GeoJSON, KPIs"))
    p.add_argument("--json", action="store_true", help=_("print the KPIs as JSON"))
    hz = p.add_argument_group(_("horizon (plans over weeks)"))
    hz.add_argument("--weeks", type=int, default=None, help=_("plan 1-4 weeks with collection "
                    "frequencies and visit patterns"))
    hz.add_argument("--streams", default="", help=_("several streams, comma separated (default: "
                    "--stream); each is a catalogue selector"))
    hz.add_argument("--visit-frequency", default="", help=_("every producer's frequency: 2/week "
                    "... 6/week, weekly, fortnightly, every 4 weeks (default: its records')"))
    hz.add_argument("--storage-days", type=float, default=None,
                    help=_("most days a producer's containers hold"))
    hz.add_argument("--closed", default="", help=_("closed calendar days of the horizon (0 = "
                    "Monday of week 1), comma separated"))
    hz.add_argument("--compartment", action="append", default=[],
                    metavar="NAME=CAP:STREAM[+STREAM]", help=_("a compartment of the vehicles "
                    "and the streams it carries (repeat for each)"))
    hz.add_argument("--dedicated", action="append", default=[],
                    metavar="STREAM=VEHICLES:CAP[@SITE]", help=_("vehicles dedicated to one "
                    "stream, based at the depot or at SITE (repeat for each)"))
    hz.add_argument("--hazardous", default="", help=_("streams that are hazardous (besides those "
                    "whose records say so)"))
    hz.add_argument("--unload", choices=["depot", "reprocessor"], default="depot",
                    help=_("empty at the depot, or unload each stream at its reprocessor"))
    hz.add_argument("--reprocessor", action="append", default=[], metavar="STREAM=SITE",
                    help=_("the member site that takes a stream (repeat for each)"))
    hz.add_argument("--balance", type=float, default=None, help=_("what an hour of difference "
                    "between a day's vehicle hours and the mean day costs (default: the cost "
                    "per hour; 0 for the cheapest plan)"))
    return p


def _window(text: str) -> tuple[int, int]:
    from geo.routing.problem import parse_clock

    try:
        a, b = text.split("-")
    except ValueError as exc:
        msg = _("Expected a time window like 07:00-15:00, got {text}.").format(text=repr(text))
        raise SymbiosisError(msg) from exc
    return parse_clock(a), parse_clock(b)


def _depot(args: argparse.Namespace, prog: Programme) -> Depot:
    from geo.routing.problem import Depot
    from geo.routing.select import depot_from_park, depot_from_site

    if args.depot:
        return depot_from_site(prog, args.depot)
    if args.depot_park:
        return depot_from_park(prog, args.depot_park)
    if args.depot_point:
        try:
            lon, lat = (float(v) for v in args.depot_point.split(","))
        except ValueError as exc:
            msg = _("Expected --depot-point LON,LAT (two numbers), got {text}.").format(
                text=repr(args.depot_point))
            raise SymbiosisError(msg) from exc
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            msg = _("--depot-point {text} is not a place: longitude runs from -180 to 180 and "
                    "latitude from -90 to 90 degrees (LON,LAT in that order).").format(
                text=repr(args.depot_point))
            raise SymbiosisError(msg)
        return Depot(_("Depot"), lon, lat)
    msg = _("Give the depot: --depot SITE_ID, --depot-park PARK_ID or --depot-point LON,LAT.")
    raise SymbiosisError(msg)


def _fleet(args: argparse.Namespace, **extra: Any) -> Fleet:
    from geo.routing.problem import DEFAULT_CAPACITY_T, Fleet

    shift = _window(args.shift)
    unit = "m3" if args.capacity_m3 is not None else "t"
    changes: dict[str, Any] = {
        "vehicles": args.vehicles, "capacity_unit": unit,
        "capacity": args.capacity_m3 if unit == "m3" else (
            DEFAULT_CAPACITY_T if args.capacity_t is None else args.capacity_t),
        "shift_start_s": shift[0], "shift_end_s": shift[1], "reload": args.reload,
        "max_duration_s": None if args.max_shift_h is None else int(args.max_shift_h * 3600),
    }
    if args.cost_per_km is not None:
        changes.update(cost_per_km=args.cost_per_km, cost_source=_("given on the command line"))
    if args.cost_per_hour is not None:
        changes.update(cost_per_hour=args.cost_per_hour,
                       cost_source=_("given on the command line"))
    changes.update(extra)
    return Fleet.from_factors(**changes)


def _query(args: argparse.Namespace, stream: str) -> ProducerQuery:
    from geo.routing.select import ProducerQuery

    hours = _window(args.hours)
    return ProducerQuery(stream=split_list(stream), park_ids=split_list(args.parks),
                         site_ids=split_list(args.sites), frequency=args.frequency,
                         min_per_visit=args.min_per_visit, max_per_visit=args.max_per_visit,
                         service_s=int(args.service_min * 60), tw_start_s=hours[0],
                         tw_end_s=hours[1], weekdays=split_list(args.weekdays),
                         optional=args.optional, value_per_unit=args.value_per_t)


def _run(args: argparse.Namespace) -> MilkRoundResult:
    from geo.routing.pipeline import plan_milk_round
    from geo.routing.solve import SolverOptions

    prog = load_programme(args.programme)
    graph = road_graph(prog, pbf=args.pbf, demo=not args.programme, download=True)
    depot = _depot(args, prog)
    fleet = _fleet(args)
    query = _query(args, args.stream)
    seeds = _seeds(args.seeds)
    options = SolverOptions(time_limit_s=args.time_limit, seeds=seeds, workers=len(seeds))
    return plan_milk_round(prog, query, depot, fleet, days=split_list(args.days or "mon"),
                           graph=graph, options=options)


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


def _counted(text: str, n: int) -> str:
    """``text`` (a count with its noun from ``ngettext``, "{n} routes") with ``n`` filled."""
    return text.format(n=format_number(n))


def _print_left_out(left_out: pd.DataFrame) -> None:
    from geo.routing.text import stage_label

    n = len(left_out)
    if not n:
        return
    print()
    print(_("Left out ({n}):").format(n=format_number(n)))
    for r in left_out.itertuples():
        # Translators: one producer left out: its name, the stage (e.g. road network), why.
        print("  " + _("{name} [{stage}]: {reason}").format(
            name=r.name, stage=stage_label(str(r.stage)), reason=r.reason))


def _print_tables(*frames: pd.DataFrame) -> None:
    """Tables as a person reads them: labels for codes and headers, the session's figures."""
    from geo.routing.text import for_reading
    from geo.synergies.text import figure

    for k, frame in enumerate(frames):
        if k:
            print()
        print_table(for_reading(frame), float_format=figure)


def _machine_locale(args: argparse.Namespace) -> AbstractContextManager[None]:
    """``--json`` is machine-readable: its reasons and labels are planned in English."""
    return use_locale(DEFAULT_LOCALE) if args.json else nullcontext()


def main(argv: list[str]) -> int:
    """Plan the rounds, print routes, KPIs and left-out producers; write files with ``--out``."""
    args = _parser().parse_args(argv)
    if args.weeks is not None:
        return _main_horizon(args)
    try:
        with _machine_locale(args):
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
        n = len(plan.served)
        n_routes = len(plan.routes)
        values = {
            "depot": plan.instance.depot.name, "n": format_number(n),
            "routes": _counted(ngettext("{n} route", "{n} routes", n_routes), n_routes),
            "trips": _counted(ngettext("{n} trip", "{n} trips", plan.trips), plan.trips),
        }
        # Translators: {routes} and {trips} are counts with their noun ("2 routes", "1 trip").
        if plan.instance.method == "road":
            line = ngettext("Milk round from {depot}: {n} producer in {routes}, {trips}",
                            "Milk round from {depot}: {n} producers in {routes}, {trips}", n)
        else:
            line = ngettext("Milk round from {depot}: {n} producer in {routes}, {trips} "
                            "(straight-line distances × detour: no road network)",
                            "Milk round from {depot}: {n} producers in {routes}, {trips} "
                            "(straight-line distances × detour: no road network)", n)
        print(line.format(**values))
        _print_tables(result.summary, result.kpis)
        _print_left_out(result.left_out)
    if args.out:
        for path in _write(result, Path(args.out)):
            print(_("wrote {path}").format(path=path))
    return 0


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            msg = _("Expected {form}, got {item}.").format(form=what, item=repr(item))
            raise SymbiosisError(msg)
        out.append((key.strip(), value.strip()))
    return out


def _horizon_fleet(args: argparse.Namespace, prog: Programme, streams: tuple[str, ...],
                   hazardous: dict[str, bool]) -> PeriodicFleet:
    """The vehicle classes, compartments and streams of ``--compartment``/``--dedicated``."""
    from geo.routing.periodic.fleet import Compartment, PeriodicFleet, Stream, VehicleClass
    from geo.routing.select import depot_from_site

    depot = _depot(args, prog)
    reps = {k: depot_from_site(prog, v) for k, v in
            _pairs(args.reprocessor, "--reprocessor STREAM=SITE")}
    extra_hazard = set(split_list(args.hazardous))
    stream_objs = tuple(Stream(s, hazardous=hazardous.get(s, False) or s in extra_hazard,
                               reprocessor=reps.get(s)) for s in streams)
    kinds, caps = [], []
    for name, spec in _pairs(args.compartment, "--compartment NAME=CAP:STREAM[+STREAM]"):
        cap, _sep, members = spec.partition(":")
        kinds.append(Compartment(name, tuple(m.strip() for m in members.split("+")
                                             if m.strip())))
        caps.append((name, float(cap)))
    # Translators: the name of the vehicles of a plan on run sheets ("vehicle 1").
    vehicle = _("vehicle")
    classes = [VehicleClass(vehicle, _fleet(args), depot, capacities=tuple(caps),
                            unload=args.unload)]
    for stream, spec in _pairs(args.dedicated, "--dedicated STREAM=VEHICLES:CAP[@SITE]"):
        size, _sep, site = spec.partition("@")
        count, _sep, cap = size.partition(":")
        kind = next((k.name for k in kinds if stream in k.streams), None)
        if kind is None:
            kind = stream
            kinds.append(Compartment(stream, (stream,)))
        home = depot_from_site(prog, site) if site else depot
        # Translators: the name of the vehicles dedicated to one stream ("cardboard vehicle").
        classes.append(VehicleClass(_("{stream} vehicle").format(stream=stream),
                                    _fleet(args, vehicles=int(count)),
                                    home, capacities=((kind, float(cap)),),
                                    unload=args.unload))
    if kinds and not caps:
        classes[0] = VehicleClass(vehicle, _fleet(args), depot, capacities=tuple(
            (k.name, _fleet(args).capacity) for k in kinds
            if not any(k.name == c.capacities[0][0] for c in classes[1:])), unload=args.unload)
    return PeriodicFleet(classes=tuple(classes), streams=stream_objs, compartments=tuple(kinds))


def _run_horizon(args: argparse.Namespace) -> PeriodicResult:
    from geo.routing.periodic.horizon import Horizon, VisitFrequency
    from geo.routing.periodic.pipeline import plan_periodic
    from geo.routing.periodic.select import producers_for_streams
    from geo.routing.periodic.solve import PeriodicOptions

    prog = load_programme(args.programme)
    graph = road_graph(prog, pbf=args.pbf, demo=not args.programme, download=True)
    streams = split_list(args.streams) or split_list(args.stream) or ("all",)
    query = _query(args, "")
    depot = _depot(args, prog)
    query = replace(query, unit="m3" if args.capacity_m3 is not None else "t",
                    exclude_site_ids=(depot.site_id,) if depot.site_id else ())
    freq = VisitFrequency.parse(args.visit_frequency) if args.visit_frequency else None
    sel = producers_for_streams(prog, list(streams), query, frequency=freq,
                                storage_days=args.storage_days)
    names = tuple(s.name for s in sel.streams)
    fleet = _horizon_fleet(args, prog, names, {s.name: s.hazardous for s in sel.streams})
    horizon = Horizon(weeks=args.weeks, weekdays=split_list(args.days or "mon,tue,wed,thu,fri"),
                      closed=tuple(int(c) for c in split_list(args.closed)))
    seeds = _seeds(args.seeds)
    balance = fleet.classes[0].fleet.cost_per_hour if args.balance is None else args.balance
    options = PeriodicOptions(time_limit_s=args.time_limit, seeds=seeds,
                              workers=min(2, len(seeds)), balance_per_hour=balance)
    return plan_periodic(sel.producers, fleet, horizon, graph=graph, options=options,
                         excluded=sel.excluded)


def _main_horizon(args: argparse.Namespace) -> int:
    """Plan over ``--weeks``; print routes per day, workload, KPIs; write files with --out."""
    try:
        with _machine_locale(args):
            result = _run_horizon(args)
    except SymbiosisError as exc:
        return fail(exc)
    plan = result.plan
    if args.json:
        print(json.dumps({"feasible": plan.feasible, "relaxed": plan.relaxed,
                          "cost": round(plan.cost, 2), "weeks": plan.problem.horizon.weeks,
                          "served": len(plan.served_producers), "routes": len(plan.routes),
                          "left_out": len(result.left_out),
                          "kpis": result.kpis.to_dict(orient="records")}, default=str))
    else:
        prob = plan.problem
        n = len(plan.served_producers)
        weeks, days = prob.horizon.weeks, prob.horizon.n_days
        visits, n_routes = sum(len(r.stops) for r in plan.routes), len(plan.routes)
        values = {
            "weeks": _counted(ngettext("{n} week", "{n} weeks", weeks), weeks),
            "days": _counted(ngettext("{n} working day", "{n} working days", days), days),
            "n": format_number(n),
            "collections": _counted(ngettext("{n} collection", "{n} collections", visits),
                                    visits),
            "routes": _counted(ngettext("{n} route", "{n} routes", n_routes), n_routes),
        }
        # Translators: {weeks}, {days}, {collections} and {routes} are counts with their noun.
        if prob.method == "road":
            line = ngettext("Milk round over {weeks}, {days}: {n} producer, {collections} in "
                            "{routes}",
                            "Milk round over {weeks}, {days}: {n} producers, {collections} in "
                            "{routes}", n)
        else:
            line = ngettext("Milk round over {weeks}, {days}: {n} producer, {collections} in "
                            "{routes} (straight-line distances × detour: no roads)",
                            "Milk round over {weeks}, {days}: {n} producers, {collections} in "
                            "{routes} (straight-line distances × detour: no roads)", n)
        print(line.format(**values))
        _print_tables(result.workload, result.kpis)
        _print_left_out(result.left_out)
    if args.out:
        from geo import export
        from geo.routing.periodic.gpx import run_sheet_gpx

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        files = {
            "calendar.csv": export.to_csv_bytes(result.calendar),
            "run_sheet.csv": export.to_csv_bytes(result.run_sheet),
            "run_sheet.xlsx": export.to_excel_bytes(result.run_sheet),
            "routes.gpx": run_sheet_gpx(plan, result.lines),
            "routes.geojson": export.to_geojson_bytes(result.lines),
            "workload.csv": export.to_csv_bytes(result.workload),
            "kpis.csv": export.to_csv_bytes(result.kpis),
            "left_out.csv": export.to_csv_bytes(result.left_out),
        }
        for name, data in files.items():
            (out / name).write_bytes(data)
            print(_("wrote {path}").format(path=out / name))
    return 0
