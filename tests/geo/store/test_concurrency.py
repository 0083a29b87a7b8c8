"""Many writers at once (SQLite and PostgreSQL): 8 processes × 50 operations — imports of
overlapping member lists, synergy stage changes, placements by hand — with readers. Every
operation lands or is reported, no site is stored twice, synergy histories are complete,
totals equal the sum of what landed, and the data versions count every write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.programme import empty_programme
from geo.store import open_store
from geo.store.keys import text_key
from geo.synergies import repository as repo
from tests.geo.store.concurrency_worker import BASE_SITES, PROGRAMME
from tests.paths import ROOT

WRITERS, OPS, READERS = 8, 50, 2


def base_programme() -> Any:
    """Six sites, each with a have and a want, so that synergies can join them."""
    p = empty_programme(PROGRAMME)
    p.sites = gpd.GeoDataFrame({"site_id": BASE_SITES,
                                "name": [f"Base {s} Oy" for s in BASE_SITES],
                                "postcode": "49000", "country": "FI"},
                               geometry=[Point(26.9 + i / 100, 60.5) for i in range(6)],
                               crs="EPSG:4326").reindex(columns=[*p.sites.columns])
    p.sites = p.sites.set_geometry("geometry")
    rows = [(f"{s}-{d}", s, d) for s in BASE_SITES for d in ("have", "want")]
    p.resources = pd.DataFrame(rows, columns=["resource_id", "site_id", "direction"]).assign(
        ewc_code="150102", quantity=100.0, unit="t/yr", description="base").reindex(
        columns=list(p.resources.columns))
    return p


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.geo.store.concurrency_worker",
                             *args], cwd=ROOT, env=env)


@pytest.mark.slow
def test_eight_writers_and_readers(database_url: str, tmp_path: Path) -> None:
    """Every operation lands or is reported; the stored state is exactly what landed."""
    store = open_store(database_url)
    p = base_programme()
    store.save_programme(p)
    for i in range(6):  # a ring of synergies B0 → B1 → … → B0
        repo.create_synergy(store, p, have_id=f"B{i}-have", want_id=f"B{(i + 1) % 6}-want",
                            practitioner="setup")
    start = store.data_versions(PROGRAMME)
    stop = tmp_path / "stop"
    readers = [_spawn("read", database_url, str(r), str(stop), str(tmp_path / f"r{r}.json"))
               for r in range(READERS)]
    writers = [_spawn("write", database_url, str(w), str(OPS), str(tmp_path / f"w{w}.jsonl"))
               for w in range(WRITERS)]
    for w in writers:
        assert w.wait(900) == 0
    stop.write_text("done")
    for r in readers:
        assert r.wait(120) == 0

    log = [json.loads(line) for w in range(WRITERS)
           for line in (tmp_path / f"w{w}.jsonl").read_text().splitlines()]
    assert len(log) == WRITERS * OPS
    crashes = [e for e in log if e["result"] == "crash"]
    assert not crashes, crashes[0]["message"]
    landed = [e for e in log if e["result"] == "ok"]
    reported = [e for e in log if e["result"] == "reported"]
    assert all(e["message"] for e in reported)
    imports = [e for e in landed if e["op"] == "import"]
    stages = [e for e in landed if e["op"] == "stage"]
    places = [e for e in landed if e["op"] == "place"]
    assert imports and stages and places

    end = store.load_programme(PROGRAMME)
    # No site stored twice: one site per company (name, postcode, country).
    assert end.sites["site_id"].is_unique
    assert text_key(end.sites, ["name", "postcode", "country"]).is_unique
    # Totals equal the sum of what landed.
    assert len(end.sites) == len(p.sites) + sum(e["sites_added"] for e in imports)
    assert len(end.resources) == len(p.resources) + sum(e["imported"] for e in imports)
    assert len(end.contacts) == sum(e["contacts_added"] for e in imports)
    batches = store.import_batches(PROGRAMME)
    assert sorted(batches["batch_id"]) == sorted(e["batch_id"] for e in imports)
    assert len(store.rejects(PROGRAMME)) == len(imports)  # one new bad row per list
    # Synergy histories complete: one event per landed change, versions without gaps.
    book = repo.load_book(store, PROGRAMME)
    for sid, syn in book.synergies.set_index("synergy_id").iterrows():
        mine = [e for e in stages if e["synergy_id"] == sid]
        events = book.events[book.events["synergy_id"] == sid]
        assert int(syn["version"]) == 1 + len(mine)
        assert sorted(events["version"].astype(int)) == list(range(1, 2 + len(mine)))
        assert sorted(e["new_version"] for e in mine) == list(range(2, 2 + len(mine)))
        if mine:
            assert syn["stage"] == max(mine, key=lambda e: e["new_version"])["to"]
    # Each placed site is where one of its landed placements put it.
    sites = end.sites.set_index("site_id")
    for site in {e["site_id"] for e in places}:
        spots = {(e["lon"], e["lat"]) for e in places if e["site_id"] == site}
        assert (sites.at[site, "geometry"].x, sites.at[site, "geometry"].y) in spots
    # The data versions counted every write that landed, and only those.
    versions = store.data_versions(PROGRAMME)
    assert versions.programme - start.programme == len(imports) + len(places)
    assert versions.synergies - start.synergies == len(stages)
    # Readers always saw a consistent programme (Store.load_programme: one snapshot).
    seen = [json.loads((tmp_path / f"r{r}.json").read_text()) for r in range(READERS)]
    for one in seen:
        assert one["reads"] > 0 and one["problems"] == []
    backend = database_url.split(":", maxsplit=1)[0]
    print(f"\n{backend}: {len(landed)} landed ({len(imports)} imports, "
          f"{len(stages)} stage changes, {len(places)} placements), {len(reported)} reported "
          f"({sorted({e['error'] for e in reported})}); readers: "
          f"{sum(o['reads'] for o in seen)} reads, "
          f"{sum(o['torn_books'] for o in seen)} synergy books read across a write")
    store.engine.dispose()
