"""Snapshot what every ``python -m geo`` job prints and writes on the demo, and compare snapshots.

A refactoring must not change behaviour. Run this before and after the change and compare::

    python benchmarks/cli_snapshot.py snap /tmp/before      # on the old commit
    python benchmarks/cli_snapshot.py snap /tmp/after       # on the new one
    python benchmarks/cli_snapshot.py compare /tmp/before /tmp/after

Each job runs in a fresh process with an empty data directory (``SYMBIOMAP_DATA_DIR``), on the
embedded Karhula demo, with fixed solver seeds. Outputs are normalised before they are stored so
that only content counts: workbooks become their cell values, GeoPackages their features as
GeoJSON, GeoTIFFs their pixel values, tags and georeferencing, zips their members. The comparison
prints every job whose output differs, with a short unified diff, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name → arguments of ``python -m geo``. ``{out}`` is the job's output folder (relative).
JOBS: dict[str, list[str]] = {
    "demo": ["demo", "--json"],
    "concentrations": ["concentrations", "--stream", "plastics", "--out", "{out}"],
    "concentrations-viewer": ["concentrations", "--direction", "any", "--role", "viewer",
                              "--out", "{out}"],
    "site-score": ["site-score", "--profile", "anaerobic_digestion", "--residential-m", "100",
                   "--p", "2", "--out", "{out}", "--json"],
    "site-score-viewer": ["site-score", "--profile", "anaerobic_digestion", "--residential-m",
                          "100", "--p", "2", "--role", "viewer", "--json"],
    "milk-round": ["milk-round", "--stream", "organics", "--depot", "KAR-S012", "--vehicles", "2",
                   "--capacity-t", "15", "--seeds", "0", "--time-limit", "3", "--out", "{out}"],
    "match-all": ["match", "--all", "--json"],
    "match-record": ["match", "--record", "KAR-R0012", "--json"],
    "match-gaps": ["match", "--gaps", "--json"],
    "report": ["report", "--xlsx", "{out}/report.xlsx", "--json"],
    "report-viewer": ["report", "--xlsx", "{out}/viewer.xlsx", "--role", "viewer", "--json"],
}


_GENERATED = re.compile(r"^(Generated\t).*$", re.MULTILINE)


def _normalise(path: Path) -> str:
    """A text form of an output file that changes only when its content does."""
    return _GENERATED.sub(r"\1<time of the run>", _text_form(path))


def _text_form(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        parts = []
        for ws in wb.worksheets:
            parts.append(f"## sheet {ws.title}")
            parts += ["\t".join("" if v is None else str(v) for v in row)
                      for row in ws.iter_rows(values_only=True)]
        return "\n".join(parts)
    if suffix == ".gpkg":
        import geopandas as gpd
        import pyogrio

        parts = []
        for layer, _ in pyogrio.list_layers(path):
            parts.append(f"## layer {layer}")
            parts.append(gpd.read_file(path, layer=layer).to_json(sort_keys=True))
        return "\n".join(parts)
    if suffix in {".tif", ".tiff"}:
        import rasterio

        with rasterio.open(path) as src:
            data = src.read()
            return json.dumps({"shape": list(data.shape), "dtype": str(data.dtype),
                               "sha256": hashlib.sha256(data.tobytes()).hexdigest(),
                               "transform": list(src.transform), "crs": str(src.crs),
                               "tags": src.tags(), "nodata": src.nodata}, sort_keys=True,
                              indent=1)
    if suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            return "\n".join(f"{i.filename} {hashlib.sha256(zf.read(i)).hexdigest()}"
                             for i in sorted(zf.infolist(), key=lambda i: i.filename))
    if suffix == ".png":
        from PIL import Image

        with Image.open(path) as im:
            return f"{im.size} {im.mode} {hashlib.sha256(im.tobytes()).hexdigest()}"
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return f"binary sha256 {hashlib.sha256(data).hexdigest()}"


def snap(dest: Path, jobs: list[str]) -> int:
    """Run each job and store its exit code, stdout, stderr's last line and output files."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in jobs:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            args = [a.replace("{out}", "out") for a in JOBS[name]]
            (work / "out").mkdir()
            env = {**os.environ, "SYMBIOMAP_DATA_DIR": str(work / "data"),
                   "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0"}
            env.pop("SYMBIOMAP_DATABASE_URL", None)
            proc = subprocess.run([sys.executable, "-m", "geo", *args], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=900, check=False)
            record = {"args": args, "returncode": proc.returncode, "stdout": proc.stdout,
                      "stderr_tail": proc.stderr.strip().splitlines()[-1:] if proc.returncode
                      else [],
                      "files": {str(p.relative_to(work / "out")): _normalise(p)
                                for p in sorted((work / "out").rglob("*")) if p.is_file()}}
        (dest / f"{name}.json").write_text(json.dumps(record, indent=1, sort_keys=True))
        print(f"{name}: exit {proc.returncode}, {len(record['files'])} files")
    return 0


def _flatten(record: dict[str, object]) -> dict[str, str]:
    files = record.pop("files", {})
    out = {k: json.dumps(v, indent=1) if not isinstance(v, str) else v
           for k, v in record.items()}
    out.update({f"file {k}": v for k, v in files.items()})  # type: ignore[union-attr]
    return out


def compare(a: Path, b: Path) -> int:
    """Print the jobs whose snapshots differ; exit code 1 if any does."""
    changed = 0
    for fa in sorted(a.glob("*.json")):
        fb = b / fa.name
        if not fb.exists():
            print(f"{fa.stem}: missing from {b}")
            changed += 1
            continue
        ra, rb = _flatten(json.loads(fa.read_text())), _flatten(json.loads(fb.read_text()))
        diffs = [k for k in sorted(set(ra) | set(rb)) if ra.get(k) != rb.get(k)]
        if not diffs:
            print(f"{fa.stem}: identical")
            continue
        changed += 1
        print(f"{fa.stem}: DIFFERS in {', '.join(diffs)}")
        for k in diffs:
            lines = list(difflib.unified_diff(str(ra.get(k, "")).splitlines(),
                                              str(rb.get(k, "")).splitlines(), lineterm="",
                                              n=1))
            print("\n".join(f"    {line}" for line in lines[:40]))
    print(f"summary: jobs={len(list(a.glob('*.json')))} differing={changed}")
    return 1 if changed else 0


def main() -> int:
    """Command line: ``snap DIR [--jobs …]`` or ``compare DIR_A DIR_B``."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snap", help="run the jobs and store their outputs in DIR")
    s.add_argument("dest", type=Path)
    s.add_argument("--jobs", default=",".join(JOBS), help="comma-separated job names")
    s.add_argument("--clean", action="store_true", help="empty DIR first")
    c = sub.add_parser("compare", help="compare two snapshot folders")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = p.parse_args()
    if args.cmd == "snap":
        if args.clean and args.dest.exists():
            shutil.rmtree(args.dest)
        unknown = [j for j in args.jobs.split(",") if j not in JOBS]
        if unknown:
            p.error(f"unknown jobs {unknown}; known: {', '.join(JOBS)}")
        return snap(args.dest, args.jobs.split(","))
    return compare(args.a, args.b)


if __name__ == "__main__":
    raise SystemExit(main())
