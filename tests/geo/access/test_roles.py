"""Tests of geo.access.roles and geo.access.principal: what each role may open and see."""

from __future__ import annotations

import pytest

from geo.access import PAGES, ROLES, Grant, Principal, audience_of, can_open, can_write, pages_for


def test_only_administrators_and_practitioners_see_companies_and_write() -> None:
    """Company-level access and writes belong to administrators and practitioners only."""
    assert [r for r in ROLES if audience_of(r) == "practitioner"] == ["administrator",
                                                                       "practitioner"]
    assert [r for r in ROLES if can_write(r)] == ["administrator", "practitioner"]


@pytest.mark.parametrize("page", ["site", "import", "locate", "synergies", "workshop", "users"])
def test_company_pages_are_closed_to_viewer_roles(page: str) -> None:
    """Pages that show or change companies are closed to the three viewer roles."""
    for role in ("park_authority", "investor", "logistics_planner"):
        assert not can_open(role, page)


def test_every_role_can_open_the_overview_and_about() -> None:
    """Everyone signed in with a role sees the overview and the data sources page."""
    assert all(can_open(r, "overview") and can_open(r, "about") for r in ROLES)
    assert pages_for("administrator") == PAGES


def test_local_principal_is_a_practitioner_everywhere() -> None:
    """Desktop mode's local user is a practitioner of any programme."""
    p = Principal.local()
    assert p.role_in("anything") == "practitioner" and p.programmes(["a", "b"]) == ["a", "b"]


def test_principal_sees_only_granted_programmes() -> None:
    """A principal lists only the programmes it holds a role in, with its park limit."""
    p = Principal("s", grants=(Grant("B", "park_authority", ("P1",)),))
    assert p.programmes(["A", "B"]) == ["B"] and p.parks_in("B") == ("P1",)
    assert p.audience_in("A") == "viewer" and not p.sees_companies_in("B")
