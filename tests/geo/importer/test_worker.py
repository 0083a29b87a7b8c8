"""Imports in a worker process (geo.importer.worker): the same report and the same stored data
as an import in the caller's process, in the caller's language, with its errors, and a new
worker after one died (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geo.errors import ImportFileError, StoreError
from geo.i18n import use_locale
from geo.importer import import_file, worker
from geo.settings import Settings
from geo.store import open_store
from tests.geo.importer.test_transaction import members_csv
from tests.geo.store.databases import database_url, postgres  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def fresh_workers() -> Iterator[None]:
    """Each test starts and stops its own worker."""
    worker.shutdown()
    yield
    worker.shutdown()


def comparable(report: object) -> dict[str, object]:
    """A report's content without what differs by programme and batch."""
    data = report.to_dict()  # type: ignore[attr-defined]
    for key in ("programme", "batch_id", "file"):
        data.pop(key)
    return data


def test_the_worker_imports_as_the_caller_would(tmp_path: Path,
                                                database_url: str) -> None:  # noqa: F811
    """Same counts, reasons, warnings and rejected rows; the same records stored; in another
    process."""
    members = members_csv(tmp_path / "members.csv", rows=300)
    pid = worker.start(1)
    assert pid is not None and pid.result(timeout=120) != os.getpid()
    assert worker.start(1) is None  # started once
    there = worker.import_in_worker(members, database_url=database_url, programme="Worker",
                                    provenance="survey")
    store = open_store(database_url)
    here = import_file(members, store=store, programme="Caller", provenance="survey")
    assert (there.rows, there.imported, there.rejected) == (300, 294, 6)
    assert comparable(there) == comparable(here)
    pd.testing.assert_frame_equal(there.rejects, here.rejects)
    a, b = store.load_programme("Worker"), store.load_programme("Caller")
    assert len(a.resources) == len(b.resources) == 294
    assert a.resources["provenance"].eq("survey").all()
    assert sorted(a.contacts["name"]) == sorted(b.contacts["name"])
    assert len(store.rejects("Worker")) == 6
    # importing it again adds nothing, as in the caller's process
    again = worker.import_in_worker(members, database_url=database_url, programme="Worker")
    assert (again.imported, again.duplicates) == (0, 294)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_worker_does_not_run_the_page_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                workers: int) -> None:
    """A Streamlit server runs each page script as ``__main__``; no spawned worker may run it
    again (the whole page, and ~360 MB) before importing — also the second of two, busy with
    imports at the same time."""
    import sys
    import types
    from concurrent.futures import ThreadPoolExecutor

    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    ready = worker.start(workers)
    assert ready is not None and ready.result(timeout=120) != os.getpid()
    assert sys.modules["__main__"] is page  # put back
    url = f"sqlite:///{tmp_path / 'p.db'}"
    open_store(url)  # created and migrated by the app before any import, as in the app
    members = members_csv(tmp_path / "members.csv", rows=30)
    with ThreadPoolExecutor(workers) as threads:
        reports = list(threads.map(lambda n: worker.import_in_worker(
            members, database_url=url, programme=f"P{n}", workers=workers), range(workers)))
    assert [r.imported for r in reports] == [29] * workers
    assert not marker.exists()


def test_the_report_is_written_in_the_callers_language(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    members = members_csv(tmp_path / "members.csv", rows=60)
    with use_locale("pt_BR"):
        there = worker.import_in_worker(members, database_url=url, programme="Língua")
        here = import_file(members, store=None, programme="Língua")
    messages = {e["message"] for e in there.errors}
    assert messages == {e["message"] for e in here.errors}
    english = {e["message"] for e in import_file(members, store=None, programme="x").errors}
    assert messages.isdisjoint(english)  # translated, not the English reasons


def test_a_file_that_cannot_be_read_raises_its_own_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    empty = tmp_path / "empty.csv"
    empty.write_text("Company,Country\n")
    with pytest.raises(ImportFileError) as in_caller:
        import_file(empty, store=None, programme="Empty")
    with pytest.raises(ImportFileError) as in_worker:
        worker.import_in_worker(empty, database_url=url, programme="Empty")
    assert str(in_worker.value) == str(in_caller.value)
    assert "Empty" not in open_store(url).programme_names()  # nothing created


def test_a_worker_that_died_while_idle_is_replaced_unnoticed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    members = members_csv(tmp_path / "members.csv", rows=30)
    started = worker.start(1)
    assert started is not None
    os.kill(started.result(timeout=120), signal.SIGKILL)  # out of memory, say
    pool = worker._WORKERS.pool
    assert pool is not None
    deadline = time.monotonic() + 30
    while not pool[1]._broken and time.monotonic() < deadline:  # the pool has seen it die
        time.sleep(0.05)
    report = worker.import_in_worker(members, database_url=url, programme="Killed")
    assert report.imported == 29  # a new worker imported it, once
    assert len(open_store(url).load_programme("Killed").resources) == 29


def _dies(*args: object, **kwargs: object) -> None:
    """Stands in for the worker's import: the process ends mid-task."""
    os._exit(9)


def test_a_worker_that_dies_mid_import_is_reported_and_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    members = members_csv(tmp_path / "members.csv", rows=30)
    with monkeypatch.context() as m:
        m.setattr(worker, "_import", _dies)
        with pytest.raises(StoreError, match="import the file again"):
            worker.import_in_worker(members, database_url=url, programme="Killed")
    report = worker.import_in_worker(members, database_url=url, programme="Killed")
    assert report.imported == 29  # the next import has a new worker


@pytest.mark.parametrize(("url", "workers", "expected"), [
    ("sqlite:///x.db", 0, 0),  # the default: in the app's process
    ("postgresql+psycopg://u@h/db", 1, 1),
    ("sqlite:///x.db", 2, 2),
    ("sqlite://", 1, 0),  # in memory: only this process sees it
    ("sqlite:///:memory:", 1, 0),
    ("not a url", 1, 0),
])
def test_how_many_import_processes(url: str, workers: int, expected: int) -> None:
    assert Settings(database_url=url, import_workers=workers).import_processes == expected


def test_the_setting_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.settings import get_settings

    monkeypatch.setenv("SYMBIOMAP_IMPORT_WORKERS", "2")
    assert get_settings().import_workers == 2
    monkeypatch.delenv("SYMBIOMAP_IMPORT_WORKERS")
    assert get_settings().import_workers == 0
    with pytest.raises(ValueError, match="SYMBIOMAP_IMPORT_WORKERS=0"):
        Settings(import_workers=-1)
