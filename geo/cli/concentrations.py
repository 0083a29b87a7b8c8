"""``python -m geo concentrations``: heat, catchment, hexagons, hot spots and clusters of a stream.

Writes into ``--out``: ``heat.tif`` (+ ``heat.png``/``.pgw``/``.prj``/legend),
``catchment.tif`` (+ PNG set), ``hexagons.gpkg``, ``hotspots.gpkg``, ``clusters.gpkg`` and
``parks.csv`` (tables also as CSV), ``not_located.csv`` (practitioners) and ``summary.json``;
with ``--picture FILE`` also a map picture (PNG) of the heat surface, its text in the
command's language (a viewer's picture shows the classes only).
The same functions as the Concentrations page. With ``--role viewer`` every output is read from
the programme's protected release, as a viewer's page is: the rasters hold classes, not
figures; ``--stream`` takes release streams (a code or chapter is answered with its nearest
release stream, with a note); quantity, precision and resolution options are refused. Exit
code 0 when written, 1 when nothing matches or the input is refused (the message says why),
2 for bad options.

Example::

    python -m geo concentrations --stream plastics --out out/plastics
    python -m geo concentrations --role viewer --direction both --out out/viewer
    python -m geo --lang zh_CN concentrations --out out/zh --picture out/zh/heat_map.png
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import fail, load_programme, split_list
from geo.errors import SymbiosisError
from geo.i18n import DEFAULT_LOCALE, _, format_number, ngettext, use_locale

if TYPE_CHECKING:
    import pandas as pd

    from geo.concentrations.classes import ClassedSurface
    from geo.concentrations.density import Surface
    from geo.programme import Programme
    from geo.settings import Settings

__all__ = ["main"]

logger = logging.getLogger(__name__)

# The concentration analyses (rasters, H3, clustering) are imported inside the runs, so that
# --help and argument errors answer without loading them.


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo concentrations",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, type=Path, help="output folder (created)")
    p.add_argument("--programme", default="demo",
                   help="programme name in the database, or 'demo' (default)")
    p.add_argument("--stream", action="append", default=[],
                   help="stream group, chapter, subchapter or code; repeat or comma-separate")
    p.add_argument("--direction", choices=["have", "want", "any", "both"], default="have",
                   help="'any' and 'both' are the same: haves and wants")
    p.add_argument("--min-tonnes", type=float, default=None, help="t/yr per record")
    p.add_argument("--max-tonnes", type=float, default=None, help="t/yr per record")
    p.add_argument("--park", action="append", default=[], help="park_id; repeatable")
    p.add_argument("--min-precision", default=None,
                   help="least precise location accepted (default town)")
    p.add_argument("--bandwidth-m", type=float, default=None,
                   help="heat kernel bandwidth in metres (default: Silverman's rule)")
    p.add_argument("--radius-km", type=float, default=10.0, help="catchment radius, km")
    p.add_argument("--resolution", type=int, default=None, choices=range(16), metavar="0-15",
                   help="H3 resolution (default auto)")
    p.add_argument("--level", choices=["coarse", "middle", "fine"], default="fine",
                   help="viewers: the fixed hexagon level of hexagons.gpkg")
    p.add_argument("--eps-m", type=float, default=500.0, help="cluster neighbourhood, m")
    p.add_argument("--min-cluster-tonnes", type=float, default=None,
                   help="t/yr within eps that make a cluster core (default 5%% of the total)")
    p.add_argument("--picture", type=Path, default=None,
                   help="also write a map picture (PNG) of the heat surface to this file")
    p.add_argument("--role", choices=["practitioner", "viewer"], default=None,
                   help="whose outputs: a viewer's come from the protected release "
                        "(default: settings)")
    return p


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _tables(out: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    from geo import export

    written = []
    for stem, frame in tables.items():
        if stem != "parks":
            written.append(_write(out / f"{stem}.gpkg",
                                  export.to_geopackage_bytes(frame, layer=stem)))
        written.append(_write(out / f"{stem}.csv", export.to_csv_bytes(frame)))
    return written


def main(argv: list[str]) -> int:
    """Run the job; see the module docstring. Returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        from geo.settings import get_settings

        settings = get_settings()
        if (args.role or settings.role) == "viewer":
            return _run_viewer(args, settings)
        return _run(args, settings)
    except SymbiosisError as exc:
        return fail(exc)


def _done(out: Path, what: str, written: list[Path]) -> int:
    # Translators: {what} says what was mapped ("12 records (haves · all streams)").
    print(ngettext("{what} → {n} file in {folder}", "{what} → {n} files in {folder}",
                   len(written)).format(what=what, n=format_number(len(written)), folder=out))
    for path in written:
        print(f"  {path.name}")
    return 0


def _picture(target: Path | None, surface: Surface | ClassedSurface, prog: Programme,
             selection: str) -> list[Path]:
    """Write the heat surface's map picture to ``target`` (when asked); say once if Chinese
    text cannot be drawn for want of a font."""
    if target is None:
        return []
    from geo.concentrations.picture import programme_picture_png, programme_picture_warnings

    for warning in programme_picture_warnings(prog, view="heat", selection=selection):
        print(_("warning: {message}").format(message=warning), file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(programme_picture_png(surface, prog, view="heat", selection=selection))
    return [target]


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from geo import export
    from geo.concentrations import selection as conc
    from geo.concentrations.hotspots import hot_spots_from_hexagons
    from geo.concentrations.raster import write_surface_files

    selectors = split_list(*args.stream)
    query = conc.ConcentrationQuery(direction="any" if args.direction == "both"
                                    else args.direction, selectors=selectors,
                                    min_tonnes=args.min_tonnes, max_tonnes=args.max_tonnes,
                                    parks=tuple(args.park),
                                    min_precision=args.min_precision or "town")
    prog = load_programme(None if args.programme == "demo" else args.programme)
    if not _parks_known(prog, args.park):
        return 2
    sel = conc.select_resources(prog, query)
    for note in sel.notes():
        print(_("note: {note}").format(note=note), file=sys.stderr)
    if sel.is_empty:
        print(sel.empty_message(), file=sys.stderr)
        return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    bandwidth = args.bandwidth_m if args.bandwidth_m is not None \
        else conc.bandwidth_for_selection(sel)
    heat = conc.heat_for_selection(sel, bandwidth_m=bandwidth)
    written += write_surface_files(heat, out, stem="heat")
    catch = conc.within_radius_for_selection(sel, radius_m=args.radius_km * 1000)
    written += write_surface_files(catch, out, stem="catchment")
    hexes = conc.hexagons_for_selection(sel, resolution=args.resolution)
    hot = hot_spots_from_hexagons(hexes)
    min_t = args.min_cluster_tonnes if args.min_cluster_tonnes is not None \
        else max(sel.total_tonnes / 20, 1e-6)
    clusters = conc.clusters_for_selection(sel, eps_m=args.eps_m, min_tonnes=min_t)
    written += _tables(out, {"hexagons": hexes, "hotspots": hot, "clusters": clusters,
                             "parks": conc.park_totals(prog, sel)})
    if sel.n_not_located:
        written.append(_write(out / "not_located.csv", export.to_csv_bytes(sel.not_located)))
    with use_locale(DEFAULT_LOCALE):  # summary.json is for machines: English
        described = query.describe()
    summary = {
        "programme": prog.name, "illustrative": prog.illustrative, "query": described,
        "role": "practitioner", "records": sel.n_used, "not_located": sel.n_not_located,
        "imprecise": sel.n_imprecise, "not_in_tonnes": sel.not_in_tonnes,
        "tonnes": sel.total_tonnes, "bandwidth_m": bandwidth,
        "radius_m": args.radius_km * 1000, "h3_resolution": int(hexes["resolution"].iloc[0]),
        "hexagons": len(hexes), "hot_spots": int((hot["gi_bin"] > 0).sum()),
        "cold_spots": int((hot["gi_bin"] < 0).sum()), "clusters": len(clusters),
        "heat_method": heat.method, "catchment_method": catch.method,
    }
    written.append(_write(out / "summary.json", json.dumps(summary, indent=1).encode()))
    written += _picture(args.picture, heat, prog, query.describe())
    what = ngettext("{n} record ({query})", "{n} records ({query})", sel.n_used).format(
        n=format_number(sel.n_used), query=query.describe())
    return _done(out, what, written)


def _parks_known(prog: Programme, parks: list[str]) -> bool:
    """Whether every ``--park`` is one of the programme's; if not, say which are not and what
    the parks are (a typo would otherwise read as "no records match")."""
    known = [str(p) for p in prog.parks["park_id"]]
    unknown = [p for p in parks if p not in known]
    if unknown:
        print(_("error: --park: {unknown} is not a park of {programme}; its parks: "
                "{known}.").format(unknown=", ".join(unknown), programme=prog.name,
                                   known=", ".join(known[:20]) or _("none")),
              file=sys.stderr)
    return not unknown


def _viewer_rules(prog: Programme, name: str, settings: Settings) -> object:
    from geo.disclosure.settings import default_rules, programme_rules

    default = default_rules(settings)
    if name == "demo":
        return default
    from geo.store import open_store

    return programme_rules(open_store(), prog.name, default=default)


def _run_viewer(args: argparse.Namespace, settings: Settings) -> int:
    from geo.catalogue import load_catalogue
    from geo.concentrations import viewer as cv
    from geo.concentrations.raster import write_surface_files
    from geo.disclosure import DisclosureRules, build_release

    refused = [opt for opt, value in (("--min-tonnes", args.min_tonnes),
                                      ("--max-tonnes", args.max_tonnes),
                                      ("--min-precision", args.min_precision),
                                      ("--resolution", args.resolution)) if value is not None]
    if refused:
        print(_("error: {options}: {summary} Use --stream, --park, --direction and "
                "--level.").format(options=", ".join(refused), summary=_(cv.SUMMARY)),
              file=sys.stderr)
        return 2
    prog = load_programme(None if args.programme == "demo" else args.programme)
    if not _parks_known(prog, args.park):
        return 2
    rules = _viewer_rules(prog, args.programme, settings)
    assert isinstance(rules, DisclosureRules)
    release = build_release(prog, catalogue=load_catalogue(), rules=rules)
    selectors = split_list(*args.stream)
    known = set(release.streams["stream"])
    streams = [s for s in selectors if s in known]
    others = [s for s in selectors if s not in known]
    if others:
        near, exact = cv.nearest_streams(release, load_catalogue(), others)
        streams += [s for s in near if s not in streams]
        if not exact:
            print(_("note: {note}").format(note=cv.widened_notice(release, near)),
                  file=sys.stderr)
    q = cv.release_query(release, direction=args.direction, streams=streams,
                         parks=args.park)
    if (empty := cv.empty_message(release, q)) is not None:
        print(empty, file=sys.stderr)
        return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    bandwidth = args.bandwidth_m if args.bandwidth_m is not None \
        else cv.viewer_bandwidth_m(release, q)
    heat = cv.viewer_heat(release, q, bandwidth_m=bandwidth)
    written = write_surface_files(heat, out, stem="heat")
    catch = cv.viewer_catchment(release, q, radius_m=args.radius_km * 1000)
    written += write_surface_files(catch, out, stem="catchment")
    hexes = cv.viewer_cells(release, q, level=args.level)
    hot = cv.viewer_hot_spots(release, q)
    fine_total = float(cv.viewer_cells(release, q)["tonnes"].sum())
    min_t = args.min_cluster_tonnes if args.min_cluster_tonnes is not None \
        else max(fine_total / 20, 1e-6)
    clusters = cv.viewer_clusters(release, q, eps_m=args.eps_m, min_tonnes=min_t)
    written += _tables(out, {"hexagons": hexes, "hotspots": hot, "clusters": clusters,
                             "parks": cv.viewer_parks(release, q)})
    with use_locale(DEFAULT_LOCALE):  # summary.json is for machines: English
        described, rules = q.describe(release), release.rules.describe()
    summary = {
        "programme": prog.name, "illustrative": prog.illustrative, "role": "viewer",
        "query": described, "rules": rules,
        "tonnes": cv.selection_total(release, q), "unplaced_tonnes": heat.unplaced_tonnes,
        "bandwidth_m": bandwidth, "radius_m": args.radius_km * 1000,
        "hexagon_level": args.level, "h3_resolution": release.resolutions[args.level],
        "hexagons": len(hexes), "hot_spots": int((hot["gi_bin"] > 0).sum()),
        "cold_spots": int((hot["gi_bin"] < 0).sum()), "clusters": len(clusters),
        "heat_method": heat.method, "heat_classes": heat.describe_classes(),
        "catchment_method": catch.method, "catchment_classes": catch.describe_classes(),
    }
    written.append(_write(out / "summary.json", json.dumps(summary, indent=1).encode()))
    written += _picture(args.picture, heat, prog, q.describe(release))
    return _done(out, _("Released figures of {query}").format(query=q.describe(release)),
                 written)
