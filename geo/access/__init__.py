"""Who is signed in and what they may see and do: roles, principals, users and grants.

- :mod:`~geo.access.roles` — the five roles, the pages each may open, who sees companies;
- :mod:`~geo.access.principal` — :class:`Principal` (a person and their grants);
- :mod:`~geo.access.users` — users, grants and the audit log in the database, and
  :func:`sign_in`, read on every rerun.

Authorisation lives where data is read: queries and writes take the principal's role and
parks as arguments; hiding a page is a convenience, not a control.
"""

from __future__ import annotations

from geo.access.principal import LOCAL_SUBJECT, Grant, Principal
from geo.access.roles import (
    AUDIENCES,
    PAGE_ROLES,
    PAGES,
    ROLE_LABELS,
    ROLES,
    Audience,
    Page,
    Role,
    audience_of,
    can_manage_users,
    can_open,
    can_replace_network,
    can_write,
    check_role,
    pages_for,
    sees_companies,
)
from geo.access.users import (
    USER_COLUMNS,
    SignIn,
    add_user,
    audit,
    audit_log,
    grant,
    list_users,
    resolve_programme,
    revoke,
    set_active,
    set_language,
    sign_in,
)

__all__ = [
    "AUDIENCES",
    "LOCAL_SUBJECT",
    "PAGES",
    "PAGE_ROLES",
    "ROLES",
    "ROLE_LABELS",
    "USER_COLUMNS",
    "Audience",
    "Grant",
    "Page",
    "Principal",
    "Role",
    "SignIn",
    "add_user",
    "audience_of",
    "audit",
    "audit_log",
    "can_manage_users",
    "can_open",
    "can_replace_network",
    "can_write",
    "check_role",
    "grant",
    "list_users",
    "pages_for",
    "resolve_programme",
    "revoke",
    "sees_companies",
    "set_active",
    "set_language",
    "sign_in",
]
