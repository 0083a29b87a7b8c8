"""Tests of ``python -m geo backup`` and ``python -m geo restore`` (geo.cli.backup,
geo.cli.restore): a programme copied from SQLite to PostgreSQL and back, unchanged; refused
files and refused overwrites end with ``error:`` and exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli import main
from geo.store import Store, open_store
from tests.geo.store.databases import postgres, store, target_url  # noqa: F401 - fixtures
from tests.geo.store.samples import dump, populate


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str,
        *args: str) -> tuple[int, str, str]:
    """Run ``python -m geo <args>`` on the database ``url``: (exit code, stdout, stderr)."""
    monkeypatch.setenv("SYMBIOMAP_DATABASE_URL", url)
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_backup_then_restore_elsewhere_and_back(
        store: Store, target_url: str, tmp_path: Path,  # noqa: F811 - fixtures
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite ⇄ PostgreSQL: backup, restore into the other, back up that, restore into a third
    database of the first kind — every table equal each time."""
    populate(store)
    source = store.engine.url.render_as_string(hide_password=False)
    first, second = tmp_path / "first.symbiomap.gz", tmp_path / "second.symbiomap.gz"
    code, out, _ = run(capsys, monkeypatch, source, "backup", str(first), "--json")
    assert code == 0
    assert json.loads(out)["rows"]["synergy_events"] == 3
    code, out, _ = run(capsys, monkeypatch, target_url, "restore", str(first))
    assert code == 0 and "restored 'Other programme', 'Synergy programme'" in out
    target = open_store(target_url)
    assert dump(target) == dump(store)
    assert run(capsys, monkeypatch, target_url, "backup", str(second))[0] == 0
    assert run(capsys, monkeypatch, target_url, "restore", str(second), "--check")[0] == 0
    store.engine.dispose()
    back = tmp_path / "back.db" if source.startswith("sqlite") else None
    if back is not None:
        code, out, _ = run(capsys, monkeypatch, f"sqlite:///{back}", "restore", str(second))
        assert code == 0
        assert dump(open_store(f"sqlite:///{back}")) == dump(target)
    target.engine.dispose()


def test_refusals_exit_with_an_error(store: Store, tmp_path: Path,  # noqa: F811 - fixture
                                     capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Restoring over stored programmes needs --replace; a damaged file is refused."""
    populate(store)
    url = store.engine.url.render_as_string(hide_password=False)
    path = tmp_path / "b.symbiomap.gz"
    assert run(capsys, monkeypatch, url, "backup", str(path), "--programme",
               "Synergy programme")[0] == 0
    code, _, err = run(capsys, monkeypatch, url, "restore", str(path))
    assert code == 1 and err.startswith("error:") and "--replace" in err
    code, out, _ = run(capsys, monkeypatch, url, "restore", str(path), "--replace", "--json")
    assert code == 0 and json.loads(out)["replaced"] == ["Synergy programme"]
    damaged = tmp_path / "damaged.gz"
    damaged.write_bytes(path.read_bytes()[:-40])
    code, _, err = run(capsys, monkeypatch, url, "restore", str(damaged), "--check")
    assert code == 1 and "truncated" in err
    code, _, err = run(capsys, monkeypatch, url, "backup", str(path), "--programme", "Nope")
    assert code == 1 and "No programme named 'Nope'" in err
