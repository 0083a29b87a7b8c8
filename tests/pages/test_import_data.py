"""AppTest tests of the Import page (pages/import_data.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from tests.pages.support import click_download, downloads, open_page
from ui import Key

PAGE = "pages/import_data.py"
MEMBERS = (b"Company,City,Country,Have/Want,EWC code,Quantity,Unit\n"
           b"Import Test Oy,Kotka,FI,have,150101,12,t/yr\n"
           b"Bad Row Ltd,Kotka,FI,have,999999,5,t/yr\n")


def test_import_page_reports_rows_and_rejects(empty_data_dir: Path) -> None:
    """Importing a small file with one bad row stores the good rows and lists the bad one."""
    from geo.store import open_store

    at = open_page(PAGE)
    assert at.button(key=Key.IMP_SAVE_DEMO)  # the page rendered its actions
    at.text_input(key=Key.IMP_NEW_NAME).input("Import test")
    at.file_uploader(key=Key.IMP_FILE).upload("members.csv", MEMBERS, "text/csv")
    at.run()
    at.button(key=Key.IMP_GO).click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rows read"], metrics["Imported"], metrics["Rejected"]) == ("2", "1", "1")
    # the new programme is in the sidebar at once, and picked
    assert at.sidebar.selectbox(key=Key.PROGRAMME_NAME).value == "Import test"
    errors = at.dataframe[0].value
    assert "999999" in " ".join(errors.astype(str).to_numpy().ravel())
    stored = open_store().load_programme("Import test")
    assert stored.sites["name"].tolist() == ["Import Test Oy"]
    # the import's own rejects; the database's unresolved ones (the same row here) are read
    # only when their expander is opened (thousands of rows, on every rerun otherwise)
    assert downloads(at) == {Key.IMP_REJECTS_DL: True}
    assert b"Bad Row Ltd" in click_download(at, Key.IMP_REJECTS_DL)
    at.session_state[Key.IMP_STORED_REJECTS] = True  # the person opens it
    at.run()
    assert downloads(at) == {Key.IMP_REJECTS_DL: True, Key.IMP_STORED_REJECTS_DL: True}


def test_a_server_imports_in_a_worker_process(empty_data_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``SYMBIOMAP_IMPORT_WORKERS=1`` (off by default), the page imports in another
    process: the same report, the rows stored, the worker started while the file was
    chosen. (That the release it built is used: ``tests/ui/test_runs.py``.)"""
    from geo.importer import worker
    from geo.store import open_store

    monkeypatch.setenv("SYMBIOMAP_IMPORT_WORKERS", "1")
    worker.shutdown()
    try:
        at = open_page(PAGE)
        assert worker._WORKERS.pool is not None  # started by the form, before the import
        at.text_input(key=Key.IMP_NEW_NAME).input("Worker test")
        at.file_uploader(key=Key.IMP_FILE).upload("members.csv", MEMBERS, "text/csv")
        at.run()
        at.button(key=Key.IMP_GO).click().run(timeout=120)
        assert not at.exception, at.exception
        metrics = {m.label: m.value for m in at.metric}
        assert (metrics["Rows read"], metrics["Imported"], metrics["Rejected"]) == ("2", "1", "1")
        assert at.sidebar.selectbox(key=Key.PROGRAMME_NAME).value == "Worker test"
        assert open_store().load_programme("Worker test").sites["name"].tolist() == [
            "Import Test Oy"]
        pids = [p.pid for p in worker._WORKERS.pool[1]._processes.values()]
        assert pids and os.getpid() not in pids
    finally:
        worker.shutdown()


def test_import_is_closed_to_viewers() -> None:
    """Importing is a practitioner job; viewers get an explanation."""
    at = open_page(PAGE, role="viewer")
    assert any("viewers may not open this page" in e.value for e in at.error)


def test_a_workbook_with_notes_in_front_is_read_from_its_member_sheet(
        empty_data_dir: Path) -> None:
    """A workbook whose first sheet holds notes is read from the sheet with the member list,
    and the page says which sheet."""
    import io

    import pandas as pd

    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        pd.DataFrame({"Notes": ["Exported from the CRM", "Do not edit"]}).to_excel(
            xl, sheet_name="Read me", index=False)
        pd.read_csv(io.BytesIO(MEMBERS)).to_excel(xl, sheet_name="Members", index=False)
    at = open_page(PAGE)
    at.text_input(key=Key.IMP_NEW_NAME).input("Workbook test")
    at.file_uploader(key=Key.IMP_FILE).upload(
        "members.xlsx", book.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    at.button(key=Key.IMP_GO).click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rows read"], metrics["Imported"]) == ("2", "1")
    assert any("sheet “Members”" in c.value for c in at.caption)


def test_a_file_without_data_rows_is_refused_with_the_reason(empty_data_dir: Path) -> None:
    """A member list with a header and no rows is refused; no figures are reported."""
    at = open_page(PAGE)
    at.text_input(key=Key.IMP_NEW_NAME).input("Header only")
    at.file_uploader(key=Key.IMP_FILE).upload("empty.csv", MEMBERS.split(b"\n")[0] + b"\n",
                                              "text/csv")
    at.run()
    at.button(key=Key.IMP_GO).click().run()
    assert not at.exception, at.exception
    assert any("no data rows" in e.value for e in at.error)
    assert not at.metric
    uploads = empty_data_dir / "uploads"  # nothing landed: no copy of the file is kept
    assert not (uploads.exists() and any(uploads.rglob("*.csv")))


def test_saving_the_demo_again_keeps_its_changes(empty_data_dir: Path) -> None:
    """The demo saved to the database comes with its illustrative synergies; saving it a
    second time changes nothing (it used to replace the stored copy, archiving the records
    added to it since and undoing placements) and says so."""
    from geo.demo import DEMO_NAME, load_demo_programme
    from geo.store import open_store
    from geo.synergies import repository as repo

    at = open_page(PAGE)
    at.button(key=Key.IMP_SAVE_DEMO).click().run()
    assert any("Saved" in s.value for s in at.success)
    store = open_store()
    assert not repo.load_book(store, DEMO_NAME).synergies.empty
    added = load_demo_programme().resources.iloc[[0]].assign(resource_id="WS-KEEP-1",
                                                            description="kept film",
                                                            quantity=1.5)
    assert store.add_resources(DEMO_NAME, added) == 1
    at.button(key=Key.IMP_SAVE_DEMO).click().run()
    assert not at.exception, at.exception
    assert any("already in the database" in i.value for i in at.info)
    assert "WS-KEEP-1" in set(store.load_programme(DEMO_NAME).resources["resource_id"])


def test_a_figure_to_check_is_shown_after_the_import(empty_data_dir: Path) -> None:
    """A quantity no site is likely to have is stored and listed under a warning with its
    row, beside "every row passed"."""
    at = open_page(PAGE)
    at.text_input(key=Key.IMP_NEW_NAME).input("Check test")
    at.file_uploader(key=Key.IMP_FILE).upload(
        "members.csv", b"Company,Country,Have/Want,EWC code,Quantity,Unit\n"
                       b"Huge Oy,FI,have,150101,5000000000,t/yr\n", "text/csv")
    at.run()
    at.button(key=Key.IMP_GO).click().run()
    assert not at.exception, at.exception
    assert any("1 row was stored with a figure to check" in w.value for w in at.warning)
    checks = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert checks["row"].tolist() == [2] and "5,000,000,000 t/yr" in checks["message"].iloc[0]
    assert any("Every row passed validation" in s.value for s in at.success)


def test_stored_rejects_are_listed_in_words(empty_data_dir: Path) -> None:
    """The database's unresolved rejected rows read as the file's row ("Company: Bad Row Ltd
    · …") and its problems in words — no JSON, no internal ids or keys."""
    import io

    from geo.importer import import_file
    from geo.store import open_store

    import_file(io.BytesIO(MEMBERS), store=open_store(), programme="Stored rejects",
                filename="members.csv")
    at = open_page(PAGE, state={"imp_target": "Stored rejects", Key.IMP_STORED_REJECTS: True})
    table = next(d.value for d in at.dataframe if "raw" in d.value.columns)
    assert list(table.columns) == ["file_name", "imported_at", "row", "message", "raw"]
    assert table["raw"].iloc[0].startswith("Company: Bad Row Ltd · ")
    assert "999999" in table["message"].iloc[0]
    assert not any("{" in str(v) for v in table.to_numpy().ravel())
    # and they can be downloaded again to correct, long after the import's own report
    assert downloads(at).get(Key.IMP_STORED_REJECTS_DL) is True
    again = click_download(at, Key.IMP_STORED_REJECTS_DL).decode("utf-8-sig")
    assert again.splitlines()[0].endswith("_row,_errors,_reject_key")
    assert "Bad Row Ltd" in again
    # rows of two files with different headers come as two files (one merged file would
    # not import again)
    import_file(io.BytesIO(MEMBERS.replace(b"Company", b"Name")), store=open_store(),
                programme="Stored rejects", filename="other.csv")
    at = open_page(PAGE, state={"imp_target": "Stored rejects", Key.IMP_STORED_REJECTS: True})
    keys = sorted(k for k in downloads(at) if k.startswith(Key.IMP_STORED_REJECTS_DL))
    assert keys == [Key.IMP_STORED_REJECTS_DL, f"{Key.IMP_STORED_REJECTS_DL}_1"]
    firsts = [click_download(at, k).decode("utf-8-sig").splitlines()[0] for k in keys]
    assert firsts[0].startswith("Company,") and firsts[1].startswith("Name,")


def test_stored_rejects_are_put_in_words_once_per_data_version(
        empty_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While their expander is open every rerun lists them: they are put in words once per
    data version, and again after an import adds rows."""
    import io

    from geo.importer import import_file
    from geo.store import open_store
    from ui.import_data import results

    import_file(io.BytesIO(MEMBERS), store=open_store(), programme="Worded once",
                filename="members.csv")
    worded: list[int] = []
    readable = results.readable_rejects

    def counted(rejects: pd.DataFrame) -> pd.DataFrame:
        worded.append(len(rejects))
        return readable(rejects)

    monkeypatch.setattr(results, "readable_rejects", counted)
    at = open_page(PAGE, state={"imp_target": "Worded once", Key.IMP_STORED_REJECTS: True})
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert len(worded) == 1 and worded[0] > 0
    import_file(io.BytesIO(MEMBERS.replace(b"Company", b"Name")), store=open_store(),
                programme="Worded once", filename="other.csv")
    at.run()
    assert len(worded) == 2 and worded[1] > worded[0]
    table = next(d.value for d in at.dataframe if "raw" in d.value.columns)
    assert len(table) == worded[1]
