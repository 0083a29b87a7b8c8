"""Tests of ``python -m geo users``: add, grant, revoke, disable, enable, list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.access import sign_in
from geo.cli import main
from geo.demo import DEMO_NAME
from geo.store import open_store


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory (its own SQLite database) for one test."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    return tmp_path


def test_grant_on_the_only_programme_then_list_as_json(data_dir: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """With only the demo, grant needs no --programme; list --json shows the grant."""
    assert main(["users", "add", "sub-1", "--email", "Ana@X.org", "--name", "Ana"]) == 0
    assert main(["users", "grant", "sub-1", "park_authority", "--park", "KAR-P1"]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"subject": "sub-1", "email": "ana@x.org", "name": "Ana", "active": True,
                     "language": None, "programme": DEMO_NAME, "role": "park_authority",
                     "parks": "KAR-P1"}]


def test_disable_refuses_and_revoke_removes(data_dir: Path) -> None:
    """disable makes sign-in 'disabled'; enable then revoke leaves the user with no role."""
    main(["users", "add", "sub-2"])
    main(["users", "grant", "sub-2", "investor"])
    store = open_store()
    assert sign_in(store, "sub-2").status == "ok"
    assert main(["users", "disable", "sub-2"]) == 0
    assert sign_in(store, "sub-2").status == "disabled"
    assert main(["users", "enable", "sub-2"]) == 0
    assert main(["users", "revoke", "sub-2", "investor"]) == 0
    assert sign_in(store, "sub-2").status == "no_role"


@pytest.mark.parametrize(("argv", "message"), [
    (["users", "grant", "nobody", "investor"], "No user with subject 'nobody'"),
    (["users", "grant", "sub-3", "investor", "--programme", "Atlantis"], "No programme named"),
    (["users", "grant", "sub-3", "park_authority", "--park", "NOPE"], "Unknown park id"),
])
def test_bad_commands_fail_with_a_reason(data_dir: Path, capsys: pytest.CaptureFixture[str],
                                         argv: list[str], message: str) -> None:
    """Unknown users, programmes and parks exit 1 with the reason on stderr."""
    main(["users", "add", "sub-3"])
    capsys.readouterr()
    assert main(argv) == 1
    assert message in capsys.readouterr().err
