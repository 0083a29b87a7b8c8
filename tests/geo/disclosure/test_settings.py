"""Tests of geo.disclosure.settings and ``python -m geo disclosure``: rules per programme."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.access import audit_log
from geo.cli import main
from geo.disclosure import DisclosureRules
from geo.disclosure.settings import default_rules, programme_rules, set_programme_rules
from geo.errors import ConfidentialityError
from geo.settings import Settings
from geo.store import open_store


def test_defaults_below_the_floors_are_refused_with_the_way_out() -> None:
    """SYMBIOMAP_K=2 is refused, and the message names the administrator's command."""
    assert default_rules(Settings()) == DisclosureRules()
    with pytest.raises(ConfidentialityError, match="python -m geo disclosure set"):
        default_rules(Settings(k_anonymity=2))


def test_programme_rules_are_stored_audited_and_floors_need_an_administrator() -> None:
    """A programme's own rules override the default; weak ones only by an administrator."""
    store = open_store("sqlite://")
    assert programme_rules(store, "P", default=DisclosureRules()) == DisclosureRules()
    set_programme_rules(store, "P", k=5, p_percent=20, actor="ana", administrator=False)
    assert programme_rules(store, "P", default=DisclosureRules()).k == 5
    with pytest.raises(ConfidentialityError):
        set_programme_rules(store, "P", k=2, p_percent=10, actor="ana", administrator=False)
    set_programme_rules(store, "P", k=2, p_percent=10, actor="boss", administrator=True)
    assert programme_rules(store, "P", default=DisclosureRules()).k == 2
    log = audit_log(store)
    assert list(log["actor"]) == ["boss", "ana"]
    assert set(log["action"]) == {"disclosure_rules"}


def test_cli_refuses_weak_rules_without_administrator(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``disclosure set --k 2`` exits 1; with --administrator it is stored and shown."""
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    assert main(["disclosure", "set", "--k", "2", "--p", "10"]) == 1
    assert "only a programme administrator" in capsys.readouterr().err
    assert main(["disclosure", "set", "--k", "2", "--p", "10", "--administrator"]) == 0
    capsys.readouterr()
    assert main(["disclosure", "show", "--json"]) == 0
    assert '"k": 2' in capsys.readouterr().out


def test_rules_are_described_in_the_session_language() -> None:
    """The rules' sentence and their refusal come out in the session's language, with the
    figures written as the language writes them."""
    from geo.i18n import use_locale

    rules = DisclosureRules(k=4, p_percent=12.5, by_administrator=True)
    assert "at least 4 producers" in rules.describe()
    with use_locale("pt_BR"):
        assert "12,5 %" in rules.describe()
    with use_locale("qps_PLOC"):
        assert rules.describe().startswith("⟦")
        with pytest.raises(ConfidentialityError, match=r"^⟦k=1 àñd p=0 %"):
            DisclosureRules(k=1, p_percent=0)
