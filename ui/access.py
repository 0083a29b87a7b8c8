"""Who is using the app on this rerun, and what they may open: sign-in and access checks.

- Desktop mode (the default): one local user, a practitioner of every programme.
- Server mode (``SYMBIOMAP_MODE=server``): Streamlit's OpenID Connect sign-in (``st.login``)
  proves who someone is; :func:`geo.access.sign_in` reads their roles from the database on
  **every** rerun, so a revoked role or a disabled person is refused at the next interaction.
  Nothing about roles is taken from the cookie; a sign-in older than the
  ``session_max_age_h`` setting must be renewed.

Every page calls :func:`require_page` (through :func:`ui.page_context`) before it reads any
data; a person who may not open it sees a refusal and nothing else.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Final

import streamlit as st
from streamlit.errors import StreamlitAPIException

from geo.access import ROLE_LABELS, Principal, can_open, can_write, grant, sign_in
from geo.errors import AccessError, StoreError, SymbiosisError
from geo.i18n import _, format_number, ngettext
from ui.data import demo_ref_name, stored_name
from ui.data import store as open_store
from ui.state import DEMO_PROGRAMME, note_down

if TYPE_CHECKING:
    from typing import Protocol

    from geo.access import Page, Role
    from geo.settings import Settings

    class PageContextLike(Protocol):
        """What :func:`programmes_for` reads of a page context."""

        @property
        def settings(self) -> Settings: ...

        @property
        def principal(self) -> Principal: ...

__all__ = ["PREVIEW_ROLES", "auth_configured", "grant_creator", "grant_name",
           "may_create_programme", "principal", "programmes_for", "refuse",
           "require_import_target", "require_page", "sign_out_button", "writable_programmes"]

logger = logging.getLogger(__name__)


PREVIEW_ROLES: Final = ("park_authority", "investor")
"""The roles a practitioner's *Viewing as: viewer* preview stands for."""


def grant_name(programme_name: str) -> str:
    """The programme name grants use (the embedded demo is granted under its own name)."""
    return stored_name(programme_name)


def programmes_for(ctx: PageContextLike) -> list[str]:
    """The programmes this person may pick: the demo (where offered) and stored ones they hold
    a role in. A database that cannot be reached leaves the demo, with a note.

    Once the demo is stored (a record or synergy saved on it), the demo entry reads that
    stored copy (:func:`ui.data.programme`), so the copy is not listed a second time under its
    stored name.
    """
    names = [DEMO_PROGRAMME] if ctx.settings.demo else []
    try:
        stored = open_store(ctx.settings.database_url).programme_names()
    except SymbiosisError as exc:
        if isinstance(exc, StoreError):
            note_down(exc)
        logger.exception("Programme database unavailable")
        st.caption(":material/warning: " + _("The programme database cannot be reached; only "
                                             "the demo is available. Check "
                                             "SYMBIOMAP_DATABASE_URL."))
        stored = []
    # the demo's stored copy is the demo entry where the demo is offered
    names += [n for n in stored if demo_ref_name(n, demo=ctx.settings.demo) == n]
    return [n for n in names if ctx.principal.role_in(grant_name(n)) is not None]


def writable_programmes(ctx: PageContextLike) -> list[str]:
    """Stored programmes this person may change (practitioner or administrator in them)."""
    try:
        stored = open_store(ctx.settings.database_url).programme_names()
    except SymbiosisError:
        return []
    return [n for n in stored if (r := ctx.principal.role_in(n)) is not None and can_write(r)]


def may_create_programme(ctx: PageContextLike) -> bool:
    """Whether this person may create a programme (desktop: yes; server: administrators)."""
    if not ctx.settings.server:
        return True
    return any(g.role == "administrator" for g in ctx.principal.grants)


def require_import_target(ctx: PageContextLike, name: str) -> None:
    """Raise :class:`AccessError` unless this person may write ``name`` (or create it)."""
    if name in writable_programmes(ctx):
        return
    stored = open_store(ctx.settings.database_url).programme_names()
    if name not in stored and name and may_create_programme(ctx):
        return
    msg = _("You may not import into {name}: practitioners and administrators of a programme "
            "can, and administrators can create new ones.").format(name=repr(name))
    raise AccessError(msg)


def grant_creator(ctx: PageContextLike, name: str) -> None:
    """On a server, make the person who created programme ``name`` its administrator."""
    if not ctx.settings.server:
        return
    grant(open_store(ctx.settings.database_url), ctx.principal.subject, "administrator",
          programme=name, available=[name], actor=ctx.principal.display_name)


def auth_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section for ``st.login``."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False


def _no_navigation() -> None:
    """Replace the page menu by a hidden one-page navigation (before sign-in, nothing of the
    app's pages is listed, not even their names)."""
    try:
        st.navigation([st.Page(_nothing, title="SymbioMap", url_path="signin", default=True)],
                      position="hidden")
    except StreamlitAPIException:  # called from a page: the frame already set the menu
        logger.debug("navigation already set for this run")


def _nothing() -> None:
    """The body of the placeholder page of :func:`_no_navigation`."""


def refuse(title: str, message: str, *, sign_out: bool = False) -> None:
    """Show a refusal and nothing else, then stop the page."""
    st.title(title)
    st.error(message, icon=":material/lock:")
    if sign_out:
        sign_out_button()
    st.stop()


def sign_out_button() -> None:
    """A sign-out button (server mode only)."""
    if _claim("is_logged_in") and st.button(_("Sign out"), key="access_sign_out"):
        st.logout()


def _claim(name: str) -> Any:
    try:
        return st.user.get(name)
    except (AttributeError, KeyError):
        return None


def principal(settings: Settings) -> Principal:
    """The person using the app on this rerun; stops the page when they may not use it.

    Desktop mode: :meth:`Principal.local`. Server mode: the signed-in identity matched in the
    database (by subject, else by a verified e-mail), read now.
    """
    if not settings.server:
        return Principal.local()
    if not auth_configured():
        _no_navigation()
        refuse(_("SymbioMap is not set up for sign-in"),
               _("Server mode needs an identity provider: add an [auth] section to "
                 ".streamlit/secrets.toml (see docs/deployment.md), or run without "
                 "SYMBIOMAP_MODE=server on a single computer."), sign_out=False)
    if not _claim("is_logged_in"):
        _no_navigation()
        st.title("SymbioMap")
        st.write(_("Sign in with your organisation's account to continue."))
        if st.button(_("Sign in"), key="access_sign_in", type="primary"):
            st.login()
        st.stop()
    issued = _claim("iat")
    if isinstance(issued, int | float) and time.time() - float(issued) > \
            settings.session_max_age_h * 3600:
        _no_navigation()
        st.title(_("Please sign in again"))
        hours = float(settings.session_max_age_h)
        whole = hours.is_integer()
        st.info(ngettext("Your sign-in is older than {n} hour.",
                         "Your sign-in is older than {n} hours.",
                         int(hours) if whole else 2)  # a fraction of hours reads as plural
                .format(n=format_number(hours, digits=0 if whole else 1)))
        if st.button(_("Sign in again"), key="access_renew", type="primary"):
            st.logout()
        st.stop()
    subject = str(_claim("sub") or "")
    email = _claim("email")
    verified = bool(_claim("email_verified"))
    result = sign_in(open_store(settings.database_url), subject,
                     email=str(email) if email else None, email_verified=verified)
    if result.status != "ok":
        _no_navigation()
    if result.status == "unknown":
        logger.info("sign-in refused: unknown subject %r", subject)
        refuse(_("Not registered in SymbioMap"),
               _("You are signed in, but SymbioMap does not know you yet. Ask your programme "
                 "administrator to add you (your identifier: {subject}).")
               .format(subject=subject), sign_out=True)
    if result.status == "disabled":
        refuse(_("Access disabled"), _("Your access to SymbioMap has been switched off. Ask "
                                       "your programme administrator if you think this is a "
                                       "mistake."), sign_out=True)
    if result.status == "no_role":
        refuse(_("No programme yet"), _("You hold no role in any programme. Ask your "
                                        "programme administrator to grant you one."),
               sign_out=True)
    if result.principal is None:  # "ok" always carries one; refuse rather than trust
        refuse(_("Not registered in SymbioMap"), _("Ask your programme administrator."),
               sign_out=True)
    assert result.principal is not None
    return result.principal


def require_page(page: Page, role: Role | None, *, previewing: bool) -> None:
    """Stop with a refusal unless ``role`` may open ``page`` (and, when a practitioner is
    previewing a viewer's view, unless a viewer role may open it too)."""
    if role is None:
        refuse(_("No access"), _("You hold no role in this programme; choose another "
                                 "programme in the sidebar, or ask its administrator."))
    assert role is not None
    if not can_open(role, page):
        refuse(_("Not available to your role"),
               # Translators: {role} is the name of a role in lower case, e.g. "investor".
               _("The {role} role may not open this page. Choose another page in the "
                 "sidebar.").format(role=_(ROLE_LABELS[role]).lower()))
    if previewing and not any(can_open(r, page) for r in PREVIEW_ROLES):
        refuse(_("Not available to viewers"),
               _("You are previewing what viewers see, and viewers may not open this page. "
                 "Switch *Viewing as* back to practitioner in the sidebar."))
