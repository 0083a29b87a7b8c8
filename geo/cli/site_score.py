"""``python -m geo site-score``: score candidate sites for a reprocessing technology.

Examples::

    python -m geo site-score --profile anaerobic_digestion --residential-m 100
    python -m geo site-score --profile wood_biomass_chp --candidates hexagons --top 10 \\
        --p 2 --objective capacitated --out siting/

The embedded Karhula demo programme, its OSM land use and its road network are used unless
``--programme`` names a stored programme (then ``--pbf`` gives its roads; without one the
straight-line stand-in is used and labelled).

With ``--role viewer`` the feedstock and the wanters come from the programme's protected
release under its disclosure rules (as on the page for viewers): pseudo-suppliers at released
hexagons, figures banded, no supplier names, competitors only from a layer of one's own.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import fail, load_programme, print_table, road_graph
from geo.errors import SymbiosisError
from geo.i18n import _, column_labels, format_number, ngettext
from geo.settings import get_settings

if TYPE_CHECKING:
    import pandas as pd

    from geo.disclosure import ProgrammeRelease
    from geo.programme import Programme
    from geo.settings import Role, Settings
    from geo.siting.catchments import BestSites
    from geo.siting.pipeline import SiteFinderRun

__all__ = ["main"]

logger = logging.getLogger(__name__)

# The siting stack (geopandas, the solvers, the road network) is imported inside the functions
# that use it, so that --list answers without loading the solvers.



def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("expected a whole number of at least 1, got {text!r}").format(text=text))
    return value

def _parser() -> argparse.ArgumentParser:
    from geo.siting.locate import OBJECTIVES
    from geo.siting.pipeline import CANDIDATE_SOURCES
    from geo.siting.scoring import CRITERIA, CRITERION_LABELS

    p = argparse.ArgumentParser(prog="python -m geo site-score",
                                description=_("Score candidate sites for a technology profile."))
    p.add_argument("--profile", default="anaerobic_digestion",
                   help=_("profile id (see --list)"))
    p.add_argument("--profiles-file", default="", help=_("a JSON file of profiles"))
    p.add_argument("--list", action="store_true", help=_("list the profiles and exit"))
    p.add_argument("--candidates", default="parks", choices=list(CANDIDATE_SOURCES))
    p.add_argument("--upload", default="", help=_("GeoJSON/GeoPackage of candidate points or "
                                                  "parcels (with --candidates user)"))
    p.add_argument("--resolution", type=int, default=10, choices=range(16), metavar="0-15",
                   help=_("H3 resolution of the grid"))
    rules = p.add_argument_group(_("override the profile"))
    rules.add_argument("--residential-m", type=float, default=None,
                       help=_("minimum distance from housing (m)"))
    rules.add_argument("--land-ha", type=float, default=None, help=_("land the plant needs (ha)"))
    rules.add_argument("--road-m", type=float, default=None,
                       help=_("max distance to a main road"))
    rules.add_argument("--haul-km", type=float, default=None,
                       help=_("furthest haul of feedstock (km)"))
    rules.add_argument("--min-t", type=float, default=None, help=_("minimum throughput t/yr"))
    rules.add_argument("--max-t", type=float, default=None, help=_("maximum throughput t/yr"))
    for c in CRITERIA:
        # Translators: {criterion} is a score criterion's label, e.g. Supplier diversity.
        p.add_argument(f"--w-{c}", type=float, default=None,
                       help=_("weight of {criterion}").format(criterion=_(CRITERION_LABELS[c])))
    p.add_argument("--top", type=_positive_int, default=10, metavar="N",
                   help=_("rows of the ranking to print"))
    p.add_argument("--p", type=int, default=0, help=_("also choose the best P plants"))
    p.add_argument("--objective", default="p-median", choices=list(OBJECTIVES))
    p.add_argument("--role", default="", choices=["", "practitioner", "viewer"],
                   help=_("viewer role (default: SYMBIOMAP_ROLE)"))
    p.add_argument("--programme", default="", help=_("stored programme name (default: demo)"))
    p.add_argument("--pbf", default="", help=_(".osm.pbf road network file"))
    p.add_argument("--out", default="", help=_("folder for ranking, plants, flows, catchments "
                                               "(CSV, Excel, GeoPackage) and the memo "
                                               "(Markdown, HTML)"))
    p.add_argument("--json", action="store_true", help=_("print the top rows as JSON"))
    return p


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    changes: dict[str, object] = {}
    rules: dict[str, object] = {}
    if args.residential_m is not None:
        rules["min_residential_distance_m"] = args.residential_m
    if args.road_m is not None:
        rules["max_main_road_distance_m"] = args.road_m
    if rules:
        changes["rules"] = rules
    for arg, field in (("land_ha", "land_ha"), ("haul_km", "max_haul_km"),
                       ("min_t", "min_throughput_t"), ("max_t", "max_throughput_t")):
        if getattr(args, arg) is not None:
            changes[field] = getattr(args, arg)
    return changes


def _release(prog: Programme, settings: Settings) -> ProgrammeRelease:
    """The programme's protected release under its own disclosure rules (else the defaults)."""
    from geo.catalogue import load_catalogue
    from geo.disclosure import build_release
    from geo.disclosure.settings import default_rules, programme_rules
    from geo.store import open_store

    rules = programme_rules(open_store(), prog.name, default=default_rules(settings))
    return build_release(prog, catalogue=load_catalogue(), rules=rules)


def _run(args: argparse.Namespace, *, viewer: bool
         ) -> tuple[SiteFinderRun, BestSites | None, dict[str, float], str, bool]:

    from geo.siting.candidates import siting_layers
    from geo.siting.catchments import best_sites_from_scored
    from geo.siting.pipeline import candidate_set, run_site_finder
    from geo.siting.profiles import load_profiles
    from geo.siting.scoring import CRITERIA, ScoreWeights, weight_sensitivity

    profiles = load_profiles(args.profiles_file or None)
    if args.profile not in profiles:
        msg = _("Unknown profile {profile}; choose one of {profiles}.").format(
            profile=repr(args.profile), profiles=", ".join(sorted(profiles)))
        raise SymbiosisError(msg)
    profile = profiles[args.profile].with_changes(**_overrides(args))
    prog = load_programme(args.programme)
    graph = road_graph(prog, pbf=args.pbf, demo=not args.programme, download=True)
    landuse = roads = None
    if not args.programme:
        from geo.demo import demo_region

        region = demo_region()
        landuse, roads = region.landuse, region.roads
    elif graph is not None:
        roads = graph.edges
    uploaded = None
    if args.upload:  # the same checked reader as the page's upload
        from geo.uploads import read_geodata

        path = Path(args.upload)
        if not path.is_file():
            msg = _("No file at {path}; give a GeoJSON, GeoPackage or zipped "
                    "Shapefile.").format(path=repr(str(path)))
            raise SymbiosisError(msg)
        uploaded = read_geodata(path.read_bytes(), name=path.name)
    cands = candidate_set(prog, args.candidates, landuse=landuse, resolution=args.resolution,
                          uploaded=uploaded)
    defaults = ScoreWeights()
    weights = ScoreWeights(**{c: (getattr(args, f"w_{c}") if getattr(args, f"w_{c}") is not None
                                  else getattr(defaults, c)) for c in CRITERIA})
    layers = siting_layers(prog.parks, landuse=landuse, roads=roads)
    release = _release(prog, get_settings()) if viewer else None
    run = run_site_finder(prog, profile, cands, layers, graph=graph, weights=weights,
                          release=release)
    sites = run.scored.sites
    _ranks, summary = weight_sensitivity(run.scored.criteria, weights,
                                    viable=sites["viable"].to_numpy(bool))
    best = best_sites_from_scored(run.scored, run.suppliers, args.p,
                                  objective=args.objective) if args.p else None
    return run, best, summary, prog.name, prog.illustrative


def _write(out: Path, best: BestSites | None, *, memo_md: str, memo_html: str,
           ranking: object, role: Role) -> list[Path]:
    from geo import export

    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "ranking.csv": export.to_csv_bytes(ranking),
        "ranking.xlsx": export.to_excel_bytes(ranking),
        "ranking.gpkg": export.to_geopackage_bytes(ranking, layer="ranking"),
        "memo.md": memo_md.encode("utf-8"),
        "memo.html": memo_html.encode("utf-8"),
    }
    if best is not None:
        from geo.siting.catchments import best_sites_for_role

        plants, flows, catchments = best_sites_for_role(best, role=role)
        for name, frame in (("plants", plants), ("flows", flows), ("catchments", catchments)):
            files[f"{name}.csv"] = export.to_csv_bytes(frame)
            files[f"{name}.gpkg"] = export.to_geopackage_bytes(frame, layer=name)
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def _for_reading(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking as printed for a person: statuses and headers in the reader's language."""
    from geo.siting.catchments import plant_label
    from geo.siting.scoring import status_label

    out = table.copy()
    if "rank" in out:  # a whole number ("1", not "1.0"); unranked candidates stay blank
        out["rank"] = out["rank"].astype("Int64")
    if "status" in out:
        out["status"] = out["status"].map(status_label)
    if "plant" in out:
        out["plant"] = out["plant"].map(plant_label)
    return out.rename(columns=column_labels(out.columns))


def main(argv: list[str]) -> int:
    """Score, print the ranking (and the best P plants); write files with ``--out``."""
    args = _parser().parse_args(argv)
    if args.list:
        from geo.siting.profiles import load_profiles

        for pid, prof in load_profiles(args.profiles_file or None).items():
            # Translators: one profile in the list: its name, plant size and furthest haul.
            print(f"{pid:<24} " + _("{name} ({low}–{high} t/yr, haul ≤ {km} km)").format(
                name=_(prof.name), low=format_number(prof.min_throughput_t),
                high=format_number(prof.max_throughput_t),
                km=format_number(prof.max_haul_km, digits=0 if prof.max_haul_km.is_integer()
                                 else 1)))
        return 0
    from geo.confidentiality import can_see_companies
    from geo.siting.catchments import best_sites_for_role
    from geo.siting.finder import ranking_for_role, suppliers_in_reach
    from geo.siting.memo import memo_blocks, memo_html, memo_markdown
    from geo.siting.scoring import describe_sensitivity

    settings = get_settings()
    role = args.role or settings.role
    try:
        run, best, summary, name, illustrative = _run(args, viewer=not can_see_companies(role))
    except SymbiosisError as exc:
        return fail(exc)
    sites = run.scored.sites
    if can_see_companies(role):
        sites = sites.assign(supplier_names=suppliers_in_reach(run.scored, run.suppliers))
    ranking = ranking_for_role(sites, role=role, released=run.released)
    cols = ["rank", "name", "score", "c_feedstock", "c_haul", "c_security", "c_market",
            "c_competition", "feedstock_t", "suppliers", "cells", "mean_haul_km", "status"]
    top = ranking[ranking["rank"].notna()].head(args.top)[[c for c in cols if c in ranking]]
    if args.json:
        print(json.dumps({"profile": run.profile.id, "method": run.scored.method,
                          "sensitivity": summary,
                          "top": json.loads(top.to_json(orient="records"))}))
    else:
        if run.scored.method == "road":
            # Translators: a technology profile's name — the programme's name.
            print(_("{profile} — {programme}").format(profile=_(run.profile.name),
                                                      programme=name))
        else:
            print(_("{profile} — {programme} (straight-line × detour: no road "
                    "network)").format(profile=_(run.profile.name), programme=name))
        print(run.screen.explain())
        if run.released:
            from geo.siting.released import released_note

            print(released_note(run.feedstock))
        print_table(_for_reading(top),
                    float_format=lambda v: format_number(v, digits=1))
        print(describe_sensitivity(summary))
        if best is not None:
            plants = best_sites_for_role(best, role=role)[0]
            print(_("Best sites — {description}").format(description=best.describe()))
            print_table(_for_reading(plants.drop(columns="geometry")))
    if args.out:
        blocks = memo_blocks(run, role=role, programme_name=name, illustrative=illustrative,
                             best=best, sensitivity=summary)
        written = _write(Path(args.out), best, memo_md=memo_markdown(blocks),
                         memo_html=memo_html(blocks), ranking=ranking, role=role)
        print(ngettext("Wrote {n} file to {path}", "Wrote {n} files to {path}",
                       len(written)).format(n=format_number(len(written)), path=args.out),
              file=sys.stderr)
    return 0
