"""ui/state.py: the session-state keys and the typed getters of role and data versions."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT
from ui.state import DEMO_PROGRAMME, Key, profile_key


def test_key_names_spell_their_values() -> None:
    """Every member's name is its value in upper case, so a key is found from either."""
    assert all(k.name == k.value.lstrip("_").upper() for k in Key)


def test_every_key_is_used_by_the_app() -> None:
    """Each key is read or set by app.py, a page or the ui package: no key outlives its widget."""
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    unused = [k.name for k in Key if not re.search(rf"\bKey\.{k.name}\b", text)]
    assert not unused


def test_profile_keys_are_per_field_and_technology() -> None:
    """A site-finder profile field has one key per technology."""
    assert profile_key("home", "composting") == "sf_home_composting"
    assert profile_key("home", "composting") != profile_key("home", "anaerobic_digestion")


def _show_state() -> None:
    import streamlit as st

    from ui import state

    st.write(state.preview_role())
    st.write(state.programme_name())


def _shown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_defaults_are_the_demo_and_the_role_setting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing chosen: the SYMBIOMAP_ROLE setting and the demo programme."""
    monkeypatch.setenv("SYMBIOMAP_ROLE", "viewer")
    at = AppTest.from_function(_show_state)
    at.run()
    assert _shown(at)[:2] == ["viewer", DEMO_PROGRAMME]


@pytest.mark.parametrize(("chosen", "role"), [("practitioner", "practitioner"),
                                              ("viewer", "viewer"), ("admin", "viewer")])
def test_role_is_the_chosen_one_and_unknown_roles_see_least(chosen: str, role: str) -> None:
    """The chosen role is returned as is; an unknown value counts as a viewer."""
    at = AppTest.from_function(_show_state)
    at.session_state[Key.VIEWER_ROLE] = chosen
    at.run()
    assert _shown(at)[0] == role
