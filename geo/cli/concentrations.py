"""``python -m geo concentrations``: heat, catchment, hexagons, hot spots and clusters of a stream.

Writes into ``--out``: ``heat.tif`` (+ ``heat.png``/``.pgw``/``.prj``/legend),
``catchment.tif`` (+ PNG set), ``hexagons.gpkg``, ``hotspots.gpkg``, ``clusters.gpkg`` and
``parks.csv`` (tables also as CSV), ``not_located.csv`` (practitioners) and ``summary.json``.
The same functions as the Concentrations page; the confidentiality rule applies for
``--role viewer``. Exit code 0 when written, 1 when nothing matches or the input is refused
(the message says why), 2 for bad options.

Example::

    python -m geo concentrations --stream plastics --out out/plastics
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from geo.cli.common import fail, load_programme, split_list
from geo.errors import SymbiosisError

__all__ = ["main"]

logger = logging.getLogger(__name__)

# The concentration analyses (rasters, H3, clustering) are imported inside _run, so that
# --help and argument errors answer without loading them.


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo concentrations",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, type=Path, help="output folder (created)")
    p.add_argument("--programme", default="demo",
                   help="programme name in the database, or 'demo' (default)")
    p.add_argument("--stream", action="append", default=[],
                   help="stream group, chapter, subchapter or code; repeat or comma-separate")
    p.add_argument("--direction", choices=["have", "want", "any"], default="have")
    p.add_argument("--min-tonnes", type=float, default=None, help="t/yr per record")
    p.add_argument("--max-tonnes", type=float, default=None, help="t/yr per record")
    p.add_argument("--park", action="append", default=[], help="park_id; repeatable")
    p.add_argument("--min-precision", default="town", help="least precise location accepted")
    p.add_argument("--bandwidth-m", type=float, default=None,
                   help="heat kernel bandwidth in metres (default: Silverman's rule)")
    p.add_argument("--radius-km", type=float, default=10.0, help="catchment radius, km")
    p.add_argument("--resolution", type=int, default=None, help="H3 resolution (default auto)")
    p.add_argument("--eps-m", type=float, default=500.0, help="cluster neighbourhood, m")
    p.add_argument("--min-cluster-tonnes", type=float, default=None,
                   help="t/yr within eps that make a cluster core (default 5%% of the total)")
    p.add_argument("--role", choices=["practitioner", "viewer"], default=None,
                   help="apply the confidentiality rule of this viewer (default: settings)")
    return p


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def main(argv: list[str]) -> int:
    """Run the job; see the module docstring. Returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SymbiosisError as exc:
        return fail(exc)


def _run(args: argparse.Namespace) -> int:
    from geo import export
    from geo.concentrations import selection as conc
    from geo.concentrations.clusters import clusters_for_role
    from geo.concentrations.hexagons import hexagons_for_role
    from geo.concentrations.hotspots import hot_spots_from_hexagons
    from geo.concentrations.raster import write_surface_files
    from geo.settings import get_settings

    settings = get_settings()
    role = args.role or settings.role
    k = settings.k_anonymity
    hide = 1 if role == "practitioner" else k
    selectors = split_list(*args.stream)
    query = conc.ConcentrationQuery(direction=args.direction, selectors=selectors,
                                    min_tonnes=args.min_tonnes, max_tonnes=args.max_tonnes,
                                    parks=tuple(args.park), min_precision=args.min_precision)
    prog = load_programme(None if args.programme == "demo" else args.programme)
    sel = conc.select_resources(prog, query)
    for note in sel.notes():
        print(f"note: {note}", file=sys.stderr)
    if sel.is_empty:
        print(sel.empty_message(), file=sys.stderr)
        return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    bandwidth = args.bandwidth_m if args.bandwidth_m is not None \
        else conc.bandwidth_for_selection(sel)
    heat = conc.heat_for_selection(sel, bandwidth_m=bandwidth, min_producers=hide)
    written += write_surface_files(heat, out, stem="heat")
    catch = conc.within_radius_for_selection(sel, radius_m=args.radius_km * 1000,
                                             min_producers=hide)
    written += write_surface_files(catch, out, stem="catchment")
    raw = conc.hexagons_for_selection(sel, resolution=args.resolution)
    hexes = hexagons_for_role(raw, role=role, k=k)
    hot = hot_spots_from_hexagons(raw, show_figures=role == "practitioner")
    min_t = args.min_cluster_tonnes if args.min_cluster_tonnes is not None \
        else max(sel.total_tonnes / 20, 1e-6)
    clusters, withheld = clusters_for_role(
        conc.clusters_for_selection(sel, eps_m=args.eps_m, min_tonnes=min_t), role=role, k=k)
    parks = conc.park_totals(prog, sel, role=role, k=k)
    for stem, frame in (("hexagons", hexes), ("hotspots", hot), ("clusters", clusters)):
        written.append(_write(out / f"{stem}.gpkg", export.to_geopackage_bytes(frame,
                                                                               layer=stem)))
        written.append(_write(out / f"{stem}.csv", export.to_csv_bytes(frame)))
    written.append(_write(out / "parks.csv", export.to_csv_bytes(parks)))
    if role == "practitioner" and sel.n_not_located:
        written.append(_write(out / "not_located.csv", export.to_csv_bytes(sel.not_located)))
    summary = {
        "programme": prog.name, "illustrative": prog.illustrative, "query": query.describe(),
        "role": role, "k": k, "records": sel.n_used, "not_located": sel.n_not_located,
        "imprecise": sel.n_imprecise, "not_in_tonnes": sel.not_in_tonnes,
        "tonnes": sel.total_tonnes if role == "practitioner" or sel.n_producers >= k else None,
        "bandwidth_m": bandwidth, "radius_m": args.radius_km * 1000,
        "h3_resolution": int(raw["resolution"].iloc[0]), "hexagons": len(hexes),
        "hot_spots": int((hot["gi_bin"] > 0).sum()), "cold_spots": int((hot["gi_bin"] < 0).sum()),
        "clusters": len(clusters), "clusters_withheld": withheld,
        "heat_method": heat.method, "catchment_method": catch.method,
    }
    written.append(_write(out / "summary.json", json.dumps(summary, indent=1).encode()))
    print(f"{sel.n_used:,} records ({query.describe()}) → {len(written)} files in {out}")
    for path in written:
        print(f"  {path.name}")
    return 0
