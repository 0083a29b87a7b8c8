"""An import is one transaction: sites, resources, contacts and rejected rows are stored
together or not at all — even when the importing process is killed half-way (SQLite and
PostgreSQL)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from geo.errors import StoreError
from geo.importer import import_file
from geo.store import open_store
from tests.geo.store.databases import database_url, postgres  # noqa: F401 - fixtures
from tests.paths import ROOT

PROGRAMME = "Killed mid-import"

CHILD = """
import sys, time
from pathlib import Path
import geo.store.imports as imports
from geo.importer import import_file
from geo.store import open_store

url, members, marker, moment = sys.argv[1:5]
if moment == "before commit":
    add_contacts = imports.add_contacts
    def stall(*args, **kwargs):  # sites, resources and the batch are written, not committed
        Path(marker).write_text("in the transaction")
        time.sleep(120)
        return add_contacts(*args, **kwargs)
    imports.add_contacts = stall
import_file(members, store=open_store(url), programme=sys.argv[5])
Path(marker).write_text("committed")
time.sleep(120)
"""


def members_csv(path: Path, rows: int = 600) -> Path:
    """A member list: rows/3 companies with contacts, one bad row in every 50."""
    frame = pd.DataFrame({
        "Company": [f"Member {i // 3:04d} Oy" for i in range(rows)],
        "Postcode": "48600", "Country": "FI",
        "Have/Want": ["have", "want", "have"] * (rows // 3),
        "EWC code": ["150102" if i % 50 else "999999" for i in range(rows)],
        "Description": [f"record {i}" for i in range(rows)],
        "Quantity": "2.5", "Unit": "t/yr", "Longitude": "26.9", "Latitude": "60.5",
        "Contact": [f"Person {i // 3}" for i in range(rows)],
    })
    frame.to_csv(path, index=False)
    return path


def counts(url: str) -> dict[str, int]:
    """What the database holds of the programme (all zero when it is absent)."""
    store = open_store(url)
    try:
        if PROGRAMME not in store.programme_names():
            return {"sites": 0, "resources": 0, "contacts": 0, "batches": 0, "rejects": 0}
        p = store.load_programme(PROGRAMME)
        return {"sites": len(p.sites), "resources": len(p.resources),
                "contacts": len(p.contacts), "batches": len(store.import_batches(PROGRAMME)),
                "rejects": len(store.rejects(PROGRAMME))}
    finally:
        store.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before commit", "after commit"])
def test_killed_import_is_wholly_there_or_wholly_absent(database_url: str,  # noqa: F811
                                                        tmp_path: Path, moment: str) -> None:
    """SIGKILL while the import's transaction is open leaves nothing; after its commit, all
    of it; and the database takes the same import whole afterwards."""
    members = members_csv(tmp_path / "members.csv")
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, database_url, str(members),
                              str(marker), moment, PROGRAMME], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the importing process ended before the kill"
            assert time.monotonic() < deadline, "the import never reached the kill point"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    expected_whole = {"sites": 200, "resources": 588, "contacts": 200, "batches": 1,
                      "rejects": 12}
    found = counts(database_url)
    if moment == "before commit":
        assert found == dict.fromkeys(expected_whole, 0)
    else:
        assert found == expected_whole
    store = open_store(database_url)
    report = import_file(members, store=store, programme=PROGRAMME)
    assert (report.imported, report.rejected) == ((588, 12) if moment == "before commit"
                                                  else (0, 12))
    store.engine.dispose()
    assert counts(database_url)["sites"] == 200


def test_a_failing_import_stores_nothing_of_it(database_url: str,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while contacts are written (the last step) rolls back the sites and
    resources already written in the same transaction."""
    import geo.store.imports as imports

    def broken(*_args: object, **_kwargs: object) -> int:
        raise StoreError("contacts could not be written")

    monkeypatch.setattr(imports, "add_contacts", broken)
    store = open_store(database_url)
    data = (b"Company,Postcode,Country,Have/Want,EWC code,Quantity,Unit,Contact\n"
            b"Acme Oy,48600,FI,have,150102,1,t/yr,Aino\n")
    with pytest.raises(StoreError, match="contacts could not be written"):
        import_file(io.BytesIO(data), store=store, programme=PROGRAMME, filename="m.csv")
    store.engine.dispose()
    assert counts(database_url) == dict.fromkeys(
        ["sites", "resources", "contacts", "batches", "rejects"], 0)
