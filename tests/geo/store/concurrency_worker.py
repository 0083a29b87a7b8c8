"""One process of the concurrency test (:mod:`tests.geo.store.test_concurrency`).

``python -m tests.geo.store.concurrency_worker write URL SEED OPS LOG`` runs OPS random
operations on the programme :data:`PROGRAMME` — imports of overlapping member lists, synergy
stage changes, placements of sites by hand — and writes one JSON line per operation to LOG:
what it did and whether it landed (``ok``) or was refused with a message (``reported``).
Anything else that goes wrong is written as ``crash`` (the test fails on it).

``python -m tests.geo.store.concurrency_worker read URL SEED STOP LOG`` reads the programme
and its synergies until the file STOP exists, checking each read is consistent (every
resource's site in the sites read with it, versions never going back) and logs a summary
(with how many synergy books it read whose history and state disagreed).
"""

from __future__ import annotations

import io
import json
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from geo.catalogue import load_catalogue
from geo.errors import SymbiosisError
from geo.importer import import_file
from geo.store import Store, open_store
from geo.synergies import repository as repo
from geo.synergies.lifecycle import ALL_STAGES

PROGRAMME = "Busy programme"
COMPANIES = 40
BASE_SITES = [f"B{i}" for i in range(6)]


def company_rows(company: int) -> list[str]:
    """The two records every list gives for a company (the same in every list)."""
    name, postcode = f"Member {company:02d} Oy", f"{48600 + company}"
    return [f"{name},{postcode},FI,have,150102,plastic film {company},{company + 1},t/yr,"
            f"26.{900 + company},60.500,Person {company}",
            f"{name},{postcode},FI,want,030105,sawdust {company},{2 * company + 1},t/yr,"
            f"26.{900 + company},60.500,Person {company}"]


def member_list(rng: random.Random, tag: str) -> bytes:
    """A member list of 6–10 companies drawn from a shared pool, plus one record of its own
    and one bad row."""
    header = ("Company,Postcode,Country,Have/Want,EWC code,Description,Quantity,Unit,"
              "Longitude,Latitude,Contact")
    rows = [r for c in rng.sample(range(COMPANIES), rng.randint(6, 10)) for r in company_rows(c)]
    rows.append(f"Member 00 Oy,48600,FI,have,150102,own record {tag},1,t/yr,26.900,60.500,")
    rows.append(f"Bad Oy {tag},48999,FI,have,999999,unknown code,1,t/yr,26.9,60.5,")
    rng.shuffle(rows)
    return ("\n".join([header, *rows]) + "\n").encode()


def _import(store: Store, rng: random.Random, tag: str, catalogue: Any) -> dict[str, Any]:
    report = import_file(io.BytesIO(member_list(rng, tag)), store=store, programme=PROGRAMME,
                         catalogue=catalogue, filename=f"{tag}.csv")
    return {"batch_id": report.batch_id, "imported": report.imported,
            "sites_added": report.sites_added, "contacts_added": report.contacts_added,
            "rejected": report.rejected, "rows": report.rows}


def _stage(store: Store, rng: random.Random) -> dict[str, Any]:
    book = repo.load_book(store, PROGRAMME)
    row = book.synergies.iloc[rng.randrange(len(book.synergies))]
    sid, version = str(row["synergy_id"]), int(row["version"])
    to = rng.choice([s for s in ALL_STAGES if s != row["stage"]])
    detail = {"synergy_id": sid, "from": str(row["stage"]), "to": to, "version": version}
    new = repo.change_stage(store, PROGRAMME, sid, to, expected_version=version,
                            practitioner="worker", reason="concurrency test")
    return {**detail, "new_version": int(new.get(sid)["version"])}


def _place(store: Store, rng: random.Random) -> dict[str, Any]:
    site = rng.choice(BASE_SITES)
    lon, lat = round(26.8 + rng.random() / 5, 6), round(60.4 + rng.random() / 5, 6)
    store.update_site_location(site, lon, lat, "manual", "placed by hand", programme=PROGRAMME)
    return {"site_id": site, "lon": lon, "lat": lat}


def write(url: str, seed: int, ops: int, log: Path) -> None:
    """Run ``ops`` random operations, logging each."""
    rng = random.Random(seed)
    store = open_store(url)
    catalogue = load_catalogue()
    with log.open("w") as out:
        for i in range(ops):
            kind = rng.choice(["import", "stage", "place"])
            entry: dict[str, Any] = {"op": kind, "worker": seed, "n": i}
            try:
                if kind == "import":
                    entry.update(_import(store, rng, f"w{seed}-{i}", catalogue))
                elif kind == "stage":
                    entry.update(_stage(store, rng))
                else:
                    entry.update(_place(store, rng))
                entry["result"] = "ok"
            except SymbiosisError as exc:
                entry.update(result="reported", message=str(exc), error=type(exc).__name__)
            except Exception:  # recorded as a crash: the test fails on it
                entry.update(result="crash", message=traceback.format_exc())
            out.write(json.dumps(entry) + "\n")
            out.flush()
    store.engine.dispose()


def read(url: str, stop: Path, log: Path) -> None:
    """Read until ``stop`` exists; log how many reads and any inconsistency."""
    store = open_store(url)
    reads, torn_books, problems, last = 0, 0, [], (0, 0)
    while not stop.exists():
        try:
            versions = store.data_versions(PROGRAMME)
            p = store.load_programme(PROGRAMME)
            book = repo.load_book(store, PROGRAMME)
        except SymbiosisError as exc:
            problems.append(f"reported: {exc}")
            continue
        if not set(p.resources["site_id"]) <= set(p.sites["site_id"]):
            problems.append("a resource whose site was not read with it")
        if versions < last:
            problems.append(f"versions went back from {last} to {versions}")
        # Counted, not a failure: repository.load_book reads on several snapshots (on
        # PostgreSQL a stage change committed between its queries shows), see the test.
        torn_books += bool((book.events.groupby("synergy_id")["version"].max()
                            != book.synergies.set_index("synergy_id")["version"]).any())
        last = versions
        reads += 1
        time.sleep(0.05)
    log.write_text(json.dumps({"reads": reads, "torn_books": torn_books,
                               "problems": problems}))
    store.engine.dispose()


def main(argv: list[str]) -> int:
    """Entry point (see the module docstring)."""
    mode, url, seed = argv[0], argv[1], int(argv[2])
    if mode == "write":
        write(url, seed, int(argv[3]), Path(argv[4]))
    else:
        read(url, Path(argv[3]), Path(argv[4]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
