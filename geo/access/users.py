"""Users, grants and the audit log in the programme database.

Everything about who may do what is read from here on every rerun (never from a cookie or a
widget): :func:`sign_in` turns the identity provider's claims into a :class:`SignIn` with a
:class:`~geo.access.principal.Principal`, or the reason there is none. Changes go through
:func:`add_user`, :func:`grant`, :func:`revoke`, :func:`set_active`, each recorded in the audit
log with the actor's name.

Examples
--------
>>> from geo.store import open_store
>>> store = open_store("sqlite://")
>>> add_user(store, "u-17", email="ana@example.org", name="Ana", actor="admin")
>>> _ = grant(store, "u-17", "investor", programme="Kotka", available=["Kotka"], actor="admin")
>>> result = sign_in(store, "u-17")
>>> result.status, result.principal.role_in("Kotka") if result.principal else None
('ok', 'investor')
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from sqlalchemy import delete, func, insert, select, update

from geo.access.principal import Grant, Principal
from geo.access.roles import Role, check_role
from geo.errors import AccessError
from geo.i18n import _
from geo.store.access_tables import AuditRow, GrantRow, UserRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from geo.store import Store

__all__ = [
    "USER_COLUMNS",
    "SignIn",
    "add_user",
    "audit",
    "audit_log",
    "grant",
    "list_users",
    "resolve_programme",
    "revoke",
    "set_active",
    "set_language",
    "sign_in",
]

logger = logging.getLogger(__name__)

USER_COLUMNS = ("subject", "email", "name", "active", "language", "programme", "role", "parks")
"""Columns of :func:`list_users` (one row per grant; a user without grants has one row)."""

SignInStatus = Literal["ok", "unknown", "disabled", "no_role"]


@dataclass(frozen=True)
class SignIn:
    """The outcome of matching a signed-in identity against the database.

    ``status`` is ``ok`` (``principal`` set), ``unknown`` (no such user: ask the programme
    administrator), ``disabled`` (the user was switched off) or ``no_role`` (known and active,
    but holding no role in any programme).
    """

    status: SignInStatus
    principal: Principal | None = None
    language: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def audit(conn: Connection, *, actor: str, action: str, programme: str | None = None,
          **detail: Any) -> None:
    """Append one entry to the audit log, in the caller's transaction."""
    conn.execute(insert(AuditRow).values(at=_now(), actor=actor, action=action,
                                         programme=programme, detail=detail))
    logger.info("audit: %s %s %s %s", actor, action, programme or "", detail)


def _user_id(conn: Connection, subject: str) -> int:
    uid = conn.execute(select(UserRow.id).where(UserRow.subject == subject)).scalar()
    if uid is None:
        msg = _("No user with subject {subject!r}; add the user first (python -m geo users add "
                "SUBJECT --email E --name N).").format(subject=subject)
        raise AccessError(msg)
    return int(uid)


def _check_subject(subject: str) -> str:
    subject = str(subject).strip()
    if not subject or len(subject) > 255:
        msg = _("A user's subject is the identity provider's 'sub' claim (1–255 characters), "
                "got {subject!r}.").format(subject=subject)
        raise AccessError(msg)
    return subject


def add_user(store: Store, subject: str, *, email: str | None = None, name: str | None = None,
             actor: str) -> None:
    """Add a person who may sign in (active, with no role until granted one).

    Raises
    ------
    AccessError
        When a user with this subject exists already, or the subject is empty.
    """
    subject = _check_subject(subject)
    email = (email or "").strip().lower() or None
    with store.transaction(_("add a user")) as conn:
        if conn.execute(select(UserRow.id).where(UserRow.subject == subject)).scalar():
            msg = _("A user with subject {subject!r} exists already; use grant or "
                    "enable.").format(subject=subject)
            raise AccessError(msg)
        now = _now()
        conn.execute(insert(UserRow).values(subject=subject, email=email, name=name or None,
                                            active=True, language=None, created_at=now,
                                            updated_at=now))
        audit(conn, actor=actor, action="add_user", subject=subject, email=email)


def set_active(store: Store, subject: str, active: bool, *, actor: str) -> None:
    """Enable or disable a user; a disabled user is refused at the next interaction."""
    with store.transaction(_("change a user")) as conn:
        uid = _user_id(conn, subject)
        conn.execute(update(UserRow).where(UserRow.id == uid)
                     .values(active=bool(active), updated_at=_now()))
        audit(conn, actor=actor, action="enable" if active else "disable", subject=subject)


def set_language(store: Store, subject: str, language: str | None) -> None:
    """Remember a user's preferred interface language (``None`` forgets it)."""
    with store.transaction(_("change a user's language")) as conn:
        uid = _user_id(conn, subject)
        conn.execute(update(UserRow).where(UserRow.id == uid)
                     .values(language=language or None, updated_at=_now()))


def resolve_programme(programme: str | None, available: Sequence[str]) -> str:
    """The programme a grant names: as given, or the only one there is.

    Raises
    ------
    AccessError
        When the programme does not exist, or none is given while there are several.
    """
    if programme:
        if programme not in available:
            msg = _("No programme named {name!r}; the programmes are: {names}.").format(
                name=programme, names=", ".join(repr(p) for p in available) or _("none"))
            raise AccessError(msg)
        return programme
    if len(available) == 1:
        return available[0]
    msg = _("Name the programme (--programme NAME): there are {n}: {names}.").format(
        n=len(available), names=", ".join(repr(p) for p in available) or _("none"))
    raise AccessError(msg)


def grant(store: Store, subject: str, role: str, *, programme: str | None = None,
          available: Sequence[str], parks: Iterable[str] = (),
          park_ids: Callable[[str], Iterable[str]] | None = None, actor: str) -> Grant:
    """Give a user a role in a programme (replacing the role held there before).

    Parameters
    ----------
    subject : str
        The user's subject.
    role : str
        One of :data:`geo.access.roles.ROLES`.
    programme : str, optional
        The programme; may be left out while ``available`` holds only one.
    available : sequence of str
        The programmes that exist (stored ones, and the demo where it is offered).
    parks : iterable of str
        Park ids a ``park_authority`` is limited to (empty: the whole programme).
    park_ids : callable, optional
        ``programme → its park ids``, to check ``parks`` (recommended).
    actor : str
        Who grants (for the audit log).
    """
    checked: Role
    try:
        checked = check_role(role)
    except ValueError as exc:
        raise AccessError(str(exc)) from None
    name = resolve_programme(programme, available)
    park_list = sorted({str(p).strip() for p in parks if str(p).strip()})
    if park_list and checked != "park_authority":
        # Translators: {role} is a role's code, e.g. investor.
        msg = _("Parks limit only a park authority's view; the {role} role sees the whole "
                "programme.").format(role=checked)
        raise AccessError(msg)
    if park_list and park_ids is not None:
        known = set(park_ids(name))
        unknown = [p for p in park_list if p not in known]
        if unknown:
            msg = _("Unknown park id(s) {unknown} in {name!r}; its parks are: {parks}.").format(
                unknown=unknown, name=name, parks=", ".join(sorted(known)) or _("none"))
            raise AccessError(msg)
    with store.transaction(_("grant a role")) as conn:
        uid = _user_id(conn, subject)
        conn.execute(delete(GrantRow).where(GrantRow.user_id == uid, GrantRow.programme == name))
        conn.execute(insert(GrantRow).values(user_id=uid, programme=name, role=checked,
                                             parks=park_list, granted_at=_now(),
                                             granted_by=actor))
        audit(conn, actor=actor, action="grant", programme=name, subject=subject, role=checked,
              parks=park_list)
    return Grant(name, checked, tuple(park_list))


def revoke(store: Store, subject: str, role: str, *, programme: str | None = None,
           actor: str) -> int:
    """Take a role away (in one programme, or in every programme where it is held).

    Returns the number of grants removed (0 raises :class:`AccessError`).
    """
    with store.transaction(_("revoke a role")) as conn:
        uid = _user_id(conn, subject)
        cond = [GrantRow.user_id == uid, GrantRow.role == role]
        if programme:
            cond.append(GrantRow.programme == programme)
        n = conn.execute(delete(GrantRow).where(*cond)).rowcount or 0
        if not n:
            msg = (_("{subject!r} holds no {role!r} role in {programme!r}; nothing to revoke.")
                   if programme else
                   _("{subject!r} holds no {role!r} role; nothing to revoke.")).format(
                subject=subject, role=role, programme=programme)
            raise AccessError(msg)
        audit(conn, actor=actor, action="revoke", programme=programme, subject=subject,
              role=role)
    return int(n)


def _grants(conn: Connection, uid: int) -> tuple[Grant, ...]:
    rows = conn.execute(select(GrantRow.programme, GrantRow.role, GrantRow.parks)
                        .where(GrantRow.user_id == uid).order_by(GrantRow.programme)).all()
    return tuple(Grant(str(p), check_role(str(r)), tuple(str(x) for x in (parks or [])))
                 for p, r, parks in rows)


def sign_in(store: Store, subject: str, *, email: str | None = None,
            email_verified: bool = False) -> SignIn:
    """Match a signed-in identity: by subject, else by a verified e-mail address.

    Called on every rerun, so that a revoked role or a disabled user takes effect at once.
    """
    cols = select(UserRow.id, UserRow.subject, UserRow.email, UserRow.name, UserRow.active,
                  UserRow.language)
    with store.read(_("read the signed-in user")) as conn:
        user = conn.execute(cols.where(UserRow.subject == str(subject))).first()
        if user is None and email and email_verified:
            user = conn.execute(cols.where(
                func.lower(UserRow.email) == email.strip().lower())).first()
        if user is None:
            return SignIn("unknown")
        if not user.active:
            return SignIn("disabled")
        grants = _grants(conn, int(user.id))
    principal = Principal(subject=str(user.subject), email=user.email or "",
                          name=user.name or "", grants=grants, language=user.language)
    return SignIn("ok" if grants else "no_role", principal, user.language)


def list_users(store: Store) -> pd.DataFrame:
    """Every user with their grants (columns :data:`USER_COLUMNS`), by subject."""
    with store.read(_("list users")) as conn:
        rows = conn.execute(
            select(UserRow.subject, UserRow.email, UserRow.name, UserRow.active,
                   UserRow.language, GrantRow.programme, GrantRow.role, GrantRow.parks)
            .select_from(UserRow).outerjoin(GrantRow, GrantRow.user_id == UserRow.id)
            .order_by(UserRow.subject, GrantRow.programme)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(USER_COLUMNS))
    frame["parks"] = [", ".join(p) if isinstance(p, list) else "" for p in frame["parks"]]
    return frame


def audit_log(store: Store, *, limit: int = 500) -> pd.DataFrame:
    """The newest entries of the audit log (columns at, actor, action, programme, detail)."""
    with store.read(_("read the audit log")) as conn:
        rows = conn.execute(select(AuditRow.at, AuditRow.actor, AuditRow.action,
                                   AuditRow.programme, AuditRow.detail)
                            .order_by(AuditRow.id.desc()).limit(int(limit))).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["at", "actor", "action", "programme", "detail"])
