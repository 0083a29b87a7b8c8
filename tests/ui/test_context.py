"""ui/context.py: the per-rerun page context, built from session state once per rerun."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.settings import Settings
from ui.context import PageContext
from ui.data import ProgrammeRef
from ui.network import DEMO_NETWORK, NO_NETWORK
from ui.state import DEMO_PROGRAMME, DataVersions, Key


def _show_context() -> None:
    import streamlit as st

    import ui

    ctx = ui.page_context()
    st.write(repr((ctx.programme_name, ctx.role, ctx.k, ctx.practitioner, ctx.versions)))


def test_page_context_reads_the_session_and_the_database(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The context carries the chosen programme and role, the k setting, and the data versions
    read from the database: a write by anyone shows at the next rerun, with no session flag."""
    from geo.demo import load_demo_programme
    from geo.store import open_store

    monkeypatch.setenv("SYMBIOMAP_K", "5")
    monkeypatch.setenv("SYMBIOMAP_DATA_DIR", str(tmp_path))
    prog = load_demo_programme()
    prog.name = "Stored demo"
    db = open_store()
    db.save_programme(prog)
    at = AppTest.from_function(_show_context)
    at.session_state[Key.PROGRAMME_NAME] = "Stored demo"
    at.session_state[Key.VIEWER_ROLE] = "viewer"
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == repr(("Stored demo", "viewer", 5, False,
                                         DataVersions(programme=1, synergies=0)))
    db.update_site_location("KAR-S001", 26.95, 60.52, "manual", "another session",
                            programme="Stored demo")
    at.run()
    assert at.markdown[0].value.endswith(repr(DataVersions(programme=2, synergies=0)) + ")")


@pytest.mark.parametrize(("role", "practitioner"), [("practitioner", True), ("viewer", False)])
def test_only_practitioners_see_companies(settings: Settings, role: str,
                                          practitioner: bool) -> None:
    """Whether companies are shown follows the role (through the confidentiality rule)."""
    ctx = PageContext(DEMO_PROGRAMME, role, settings, DataVersions())
    assert ctx.practitioner is practitioner


def test_the_demo_context(settings: Settings) -> None:
    """On the demo: the programme is the demo, its key names it, and its roads are Karhula's."""
    ctx = PageContext(DEMO_PROGRAMME, "practitioner", settings, DataVersions(0, 1))
    assert ctx.is_demo and ctx.programme.illustrative
    assert ctx.programme_ref == ProgrammeRef(DEMO_PROGRAMME, settings.database_url, 0)
    assert ctx.network == DEMO_NETWORK and ctx.road_graph is not None
    assert set(ctx.synergy_book.synergies["stage"]) >= {"idea", "completed", "abandoned"}


def test_a_stored_programme_context(stored_demo: ProgrammeRef, settings: Settings) -> None:
    """On a stored programme without roads: its frames, no road graph, straight-line matching."""
    ctx = PageContext(stored_demo.name, "practitioner", settings, DataVersions())
    assert not ctx.is_demo and ctx.programme.name == "Stored demo"
    assert ctx.network == NO_NETWORK and ctx.road_graph is None
    assert ctx.region_layers == (None, None)
    assert ctx.matcher().graph is None


def test_a_refused_write_says_so_in_the_session_language(settings: Settings) -> None:
    """``require_write`` raises a whole translated sentence with the (translated) action in it."""
    from geo.errors import AccessError
    from geo.i18n import _, use_locale

    ctx = PageContext(DEMO_PROGRAMME, "viewer", settings, DataVersions())
    with pytest.raises(AccessError, match=r"^Your role may not save records\. Practitioners"):
        ctx.require_write("save records")
    with use_locale("qps_PLOC"), pytest.raises(AccessError) as caught:
        ctx.require_write(_("save records"))
    assert str(caught.value) == ("⟦Ýõür rõlé màý ñõt ⟦sàvé réçõrds⟧. Pràçtîtîõñérs àñd "
                                 "àdmîñîstràtõrs õf thé prõgràmmé çàñ.⟧")


def test_only_the_package_demo_falls_back_to_the_default_rules(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the database down, the demo read from the package runs on the installation's
    rules; its stored copy (a later version, which may have rules of its own) reports the
    fault instead of showing viewers figures under rules it may not have."""
    from geo.disclosure.settings import default_rules
    from geo.errors import StoreError

    def down(*args: object, **kwargs: object) -> object:
        raise StoreError("The programme database cannot be reached.")

    monkeypatch.setattr("geo.disclosure.settings.programme_rules", down)
    package = PageContext(DEMO_PROGRAMME, "viewer", settings, DataVersions(0, 0))
    assert package.rules == default_rules(settings)
    stored = PageContext(DEMO_PROGRAMME, "viewer", settings, DataVersions(4, 0))
    with pytest.raises(StoreError, match="cannot be reached"):
        _ = stored.rules
