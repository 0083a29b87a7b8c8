"""Who is signed in and what they hold: :class:`Principal` and its :class:`Grant` per programme.

A principal is read from the database on every rerun (:func:`geo.access.users.principal_for`),
so a revoked grant or a disabled user takes effect at the next interaction. In desktop mode
(the default) there is one local user who is a practitioner of every programme
(:meth:`Principal.local`).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from geo.access.roles import Role, audience_of, sees_companies
from geo.i18n import _

__all__ = ["LOCAL_SUBJECT", "Grant", "Principal"]

LOCAL_SUBJECT = "local"
LOCAL_SUFFIX = " (this computer)"
"""Subject of the one local user of desktop mode."""


@dataclass(frozen=True)
class Grant:
    """A role in one programme; ``parks`` limits a park authority to those park ids."""

    programme: str
    role: Role
    parks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Principal:
    """A person using the app, and the roles they hold.

    Attributes
    ----------
    subject : str
        The identity provider's ``sub`` (``"local"`` in desktop mode).
    email, name : str
        As known to the database (for the audit trail and the sidebar).
    grants : tuple of Grant
        At most one per programme.
    everywhere : Role or None
        A role in every programme (desktop mode's local practitioner); None on a server.
    language : str or None
        The person's preferred interface language (``zh_CN``, ``pt_BR``…), if they chose one.
    """

    subject: str
    email: str = ""
    name: str = ""
    grants: tuple[Grant, ...] = ()
    everywhere: Role | None = field(default=None)
    language: str | None = None

    @classmethod
    def local(cls) -> Principal:
        """The one local user of desktop mode: a practitioner of every programme.

        Named after the operating-system account, for the audit trail.
        """
        try:
            account = getpass.getuser()
        except (KeyError, OSError):  # no user name in a bare container
            account = "local"
        return cls(subject=LOCAL_SUBJECT, name=f"{account}{LOCAL_SUFFIX}",
                   everywhere="practitioner")

    @property
    def display_name(self) -> str:
        """Name for the audit trail: the name, else the e-mail, else the subject."""
        return self.name or self.email or self.subject

    @property
    def shown_name(self) -> str:
        """:attr:`display_name` as the page shows it: the local user's "(this computer)" in
        this session's language (the audit trail keeps one spelling)."""
        name = self.display_name
        if self.subject == LOCAL_SUBJECT and name.endswith(LOCAL_SUFFIX):
            # Translators: the one user of a desktop installation, {account} its OS account.
            return _("{account} (this computer)").format(
                account=name.removesuffix(LOCAL_SUFFIX))
        return name

    def grant_in(self, programme: str) -> Grant | None:
        """The grant held in ``programme`` (None if none)."""
        if self.everywhere is not None:
            return Grant(programme, self.everywhere)
        return next((g for g in self.grants if g.programme == programme), None)

    def role_in(self, programme: str) -> Role | None:
        """The role held in ``programme`` (None if none).

        Examples
        --------
        >>> p = Principal("u1", grants=(Grant("Kotka", "investor"),))
        >>> p.role_in("Kotka"), p.role_in("Other")
        ('investor', None)
        """
        grant = self.grant_in(programme)
        return grant.role if grant else None

    def parks_in(self, programme: str) -> tuple[str, ...]:
        """Parks the principal is limited to in ``programme`` (empty: no park limit)."""
        grant = self.grant_in(programme)
        return grant.parks if grant else ()

    def programmes(self, available: list[str]) -> list[str]:
        """Of the ``available`` programmes, those the principal holds a role in (in order)."""
        if self.everywhere is not None:
            return list(available)
        held = {g.programme for g in self.grants}
        return [p for p in available if p in held]

    def sees_companies_in(self, programme: str) -> bool:
        """Whether the principal sees individual companies in ``programme``."""
        role = self.role_in(programme)
        return role is not None and sees_companies(role)

    def audience_in(self, programme: str) -> str:
        """``practitioner`` or ``viewer`` in ``programme`` (viewer when no role is held)."""
        role = self.role_in(programme)
        return audience_of(role) if role is not None else "viewer"
