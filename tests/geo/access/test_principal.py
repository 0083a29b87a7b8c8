"""Tests of geo.access.principal: who is signed in, and how the page names them."""

from __future__ import annotations

from geo.access.principal import Principal


def test_the_local_user_is_shown_in_the_session_language_and_audited_in_one() -> None:
    """The desktop user's "(this computer)" is translated on the page, never in the trail."""
    from geo.i18n import use_locale

    local = Principal.local()
    assert local.display_name.endswith(" (this computer)")
    with use_locale("zh_CN"):
        assert local.shown_name.endswith("（本机）")
        assert local.display_name.endswith(" (this computer)")
    named = Principal(subject="oidc|1", name="Ana Souza")
    with use_locale("pt_BR"):
        assert named.shown_name == "Ana Souza"
