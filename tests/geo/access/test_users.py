"""Tests of geo.access.users: users, grants and sign-in read from the database."""

from __future__ import annotations

import pytest

from geo.access import add_user, audit_log, grant, list_users, revoke, set_active, sign_in
from geo.errors import AccessError
from geo.store import Store, open_store

PROGRAMMES = ["Kotka", "Tianjin"]


@pytest.fixture
def store() -> Store:
    """A fresh in-memory store with one user, Ana."""
    s = open_store("sqlite://")
    add_user(s, "sub-ana", email="Ana@Example.org", name="Ana", actor="admin")
    return s


def test_unknown_subject_is_unknown(store: Store) -> None:
    """A subject the database does not know signs in as 'unknown' with no principal."""
    result = sign_in(store, "sub-mallory")
    assert result.status == "unknown" and result.principal is None


def test_known_user_without_role_has_no_role(store: Store) -> None:
    """A known, active user with no grant gets 'no_role'."""
    assert sign_in(store, "sub-ana").status == "no_role"


def test_grant_then_revoke_takes_effect_on_the_next_sign_in(store: Store) -> None:
    """Roles are read from the database each time: a revoke shows at the next call."""
    grant(store, "sub-ana", "park_authority", programme="Kotka", available=PROGRAMMES,
          parks=["P2", "P1"], park_ids=lambda _: ["P1", "P2", "P3"], actor="admin")
    p = sign_in(store, "sub-ana").principal
    assert p is not None and p.role_in("Kotka") == "park_authority"
    assert p.parks_in("Kotka") == ("P1", "P2") and p.role_in("Tianjin") is None
    revoke(store, "sub-ana", "park_authority", actor="admin")
    assert sign_in(store, "sub-ana").status == "no_role"


def test_disabled_user_is_refused_even_with_a_role(store: Store) -> None:
    """Disabling a user refuses them at the next sign-in; enabling restores the role."""
    grant(store, "sub-ana", "investor", programme="Kotka", available=PROGRAMMES, actor="admin")
    set_active(store, "sub-ana", False, actor="admin")
    assert sign_in(store, "sub-ana").status == "disabled"
    set_active(store, "sub-ana", True, actor="admin")
    assert sign_in(store, "sub-ana").status == "ok"


def test_verified_email_matches_but_unverified_does_not(store: Store) -> None:
    """A new subject matches a user by e-mail only when the provider verified the address."""
    grant(store, "sub-ana", "investor", programme="Kotka", available=PROGRAMMES, actor="admin")
    assert sign_in(store, "other-sub", email="ana@example.org").status == "unknown"
    assert sign_in(store, "other-sub", email="ana@example.org",
                   email_verified=True).status == "ok"


def test_programme_may_be_left_out_only_while_there_is_one(store: Store) -> None:
    """grant without a programme works with one programme and is refused with two."""
    assert grant(store, "sub-ana", "investor", available=["Kotka"], actor="a").programme == "Kotka"
    with pytest.raises(AccessError, match="Name the programme"):
        grant(store, "sub-ana", "investor", available=PROGRAMMES, actor="a")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"role": "owner"}, "Unknown role"),
    ({"role": "investor", "parks": ["P1"]}, "Parks limit only"),
    ({"role": "park_authority", "parks": ["P9"]}, "Unknown park"),
    ({"role": "investor", "programme": "Nowhere"}, "No programme named"),
])
def test_bad_grants_are_refused_with_the_reason(store: Store, kwargs: dict[str, object],
                                                match: str) -> None:
    """Unknown roles, parks for non-park roles, unknown parks and programmes are refused."""
    args = {"programme": "Kotka", **kwargs}
    with pytest.raises(AccessError, match=match):
        grant(store, "sub-ana", available=PROGRAMMES, park_ids=lambda _: ["P1"], actor="a",
              **args)


def test_changes_are_audited_and_listed(store: Store) -> None:
    """Every change is in the audit log with its actor; list_users shows one row per grant."""
    grant(store, "sub-ana", "investor", programme="Kotka", available=PROGRAMMES, actor="boss")
    grant(store, "sub-ana", "practitioner", programme="Tianjin", available=PROGRAMMES,
          actor="boss")
    users = list_users(store)
    assert list(users["role"]) == ["investor", "practitioner"]
    assert list(users["email"].unique()) == ["ana@example.org"]
    log = audit_log(store)
    assert list(log["action"]) == ["grant", "grant", "add_user"]
    assert set(log["actor"]) == {"boss", "admin"}


def test_duplicate_user_is_refused(store: Store) -> None:
    """Adding a subject twice is refused."""
    with pytest.raises(AccessError, match="exists already"):
        add_user(store, "sub-ana", actor="admin")


def test_access_errors_follow_the_session_language(store: Store) -> None:
    """Refusals are one sentence in the session's language, with the names filled in."""
    from geo.i18n import use_locale

    add_user(store, "u1", actor="admin")
    with use_locale("qps_PLOC"), pytest.raises(AccessError) as err:
        revoke(store, "u1", "investor", programme="P", actor="admin")
    assert str(err.value).startswith("⟦'u1' hõlds ñõ 'investor' rõlé îñ 'P'")
