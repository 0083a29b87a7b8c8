"""Roles of a programme and what each may see and do.

A signed-in person holds one role per programme (:mod:`geo.access.principal`). The role decides
which pages the person may open, whether the person sees individual companies, and whether
the person may change the programme's data. Pages, queries and writes ask these functions;
nothing about a role is read from a widget or a cookie.

============================  ========================================================
role                          may
============================  ========================================================
``administrator``             everything a practitioner may, plus manage users and
                              grants of the programme
``practitioner``              see companies, contacts and tonnages; import, locate,
                              match, track synergies, run workshops, replace the
                              programme's road network
``park_authority``            see aggregates of the parks named in the grant (or of the
                              whole programme when none is named), through the
                              disclosure rules
``investor``                  see aggregates and score candidate sites, through the
                              disclosure rules
``logistics_planner``         plan milk rounds: sees, by design of that job, the names,
                              locations and per-visit quantities of the producers of the
                              streams being planned (a run sheet must say where to go);
                              no contacts, no other company data
============================  ========================================================
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from geo.i18n import N_, _

__all__ = [
    "AUDIENCES",
    "PAGES",
    "PAGE_ROLES",
    "ROLES",
    "ROLE_LABELS",
    "Audience",
    "Page",
    "Role",
    "audience_of",
    "can_manage_users",
    "can_open",
    "can_replace_network",
    "can_write",
    "check_role",
    "pages_for",
    "sees_companies",
]

Role = Literal["administrator", "practitioner", "park_authority", "investor", "logistics_planner"]
ROLES: Final[tuple[Role, ...]] = get_args(Role)

ROLE_LABELS: Final[dict[Role, str]] = {
    "administrator": N_("Administrator"),
    "practitioner": N_("Practitioner"),
    "park_authority": N_("Park authority"),
    "investor": N_("Investor"),
    "logistics_planner": N_("Logistics planner"),
}
"""Role → its name for people (marked; translate with ``_`` where shown)."""

Audience = Literal["practitioner", "viewer"]
"""Who a figure is for: ``practitioner`` sees companies; a ``viewer`` sees only what passes
the disclosure rules. Analyses in ``geo/`` take an audience, not a role."""
AUDIENCES: Final[tuple[Audience, ...]] = get_args(Audience)

Page = Literal["overview", "site", "browse", "import", "locate", "concentrations", "site_finder",
               "milk_round", "synergies", "workshop", "reports", "users", "about"]
PAGES: Final[tuple[Page, ...]] = get_args(Page)

_COMPANY_ROLES: Final = frozenset({"administrator", "practitioner"})
_ALL: Final = frozenset(ROLES)
PAGE_ROLES: Final[dict[Page, frozenset[str]]] = {
    "overview": _ALL,
    "site": _COMPANY_ROLES,
    "browse": _COMPANY_ROLES | {"park_authority", "investor"},
    "import": _COMPANY_ROLES,
    "locate": _COMPANY_ROLES,
    "concentrations": _COMPANY_ROLES | {"park_authority", "investor", "logistics_planner"},
    "site_finder": _COMPANY_ROLES | {"investor"},
    "milk_round": _COMPANY_ROLES | {"logistics_planner"},
    "synergies": _COMPANY_ROLES,
    "workshop": _COMPANY_ROLES,
    "reports": _COMPANY_ROLES | {"park_authority", "investor"},
    "users": frozenset({"administrator"}),
    "about": _ALL,
}
"""Which roles may open each page."""


def check_role(role: str) -> Role:
    """Return ``role`` if it is a role, else raise a ValueError that names the roles.

    Examples
    --------
    >>> check_role("investor")
    'investor'
    """
    if role not in ROLES:
        msg = _("Unknown role {role!r}; expected one of {choices}.").format(
            role=role, choices=", ".join(ROLES))
        raise ValueError(msg)
    return role


def sees_companies(role: Role) -> bool:
    """Whether the role sees individual companies, their contacts and tonnages."""
    return role in _COMPANY_ROLES


def audience_of(role: Role) -> Audience:
    """The disclosure audience of a role (``practitioner`` or ``viewer``).

    Examples
    --------
    >>> audience_of("administrator"), audience_of("park_authority")
    ('practitioner', 'viewer')
    """
    return "practitioner" if sees_companies(role) else "viewer"


def can_write(role: Role) -> bool:
    """Whether the role may change programme data (import, placement, synergies, workshop)."""
    return role in _COMPANY_ROLES


def can_replace_network(role: Role) -> bool:
    """Whether the role may replace the programme's shared road network (its ``.osm.pbf``)."""
    return role in _COMPANY_ROLES


def can_manage_users(role: Role) -> bool:
    """Whether the role may add users and grant roles in the programme."""
    return role == "administrator"


def can_open(role: Role, page: Page) -> bool:
    """Whether the role may open ``page``.

    Examples
    --------
    >>> can_open("investor", "site_finder"), can_open("investor", "site")
    (True, False)
    """
    return role in PAGE_ROLES[page]


def pages_for(role: Role) -> tuple[Page, ...]:
    """The pages a role may open, in the order of :data:`PAGES`."""
    return tuple(p for p in PAGES if can_open(role, p))
