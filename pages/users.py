"""Users: who may sign in and their role in this programme (programme administrators only)."""

from __future__ import annotations

import streamlit as st

import ui
from geo import access
from geo.access.programmes import park_ids
from geo.i18n import _


def role_label(role: object) -> str:
    """A role code as people read it (other values as they are)."""
    label = access.ROLE_LABELS.get(role)  # type: ignore[call-overload]
    return _(label) if label else str(role)


ctx = ui.page_context("users")
st.title(_("Users"))
store = ctx.store
programme = ui.grant_name(ctx.programme_name)
st.caption(_("Roles in {programme}. Roles are read from the database at every click: a "
             "revoked role or a disabled person loses access at once. Every change is in the "
             "audit log below. Operators can do the same with {command}.")
           .format(programme=ui.plain(programme), command="`python -m geo users`"))

with ui.domain_errors():
    users = access.list_users(store)
here = users[users["programme"] == programme]
shown = here.drop(columns=["programme"])
st.dataframe(shown.assign(role=shown["role"].map(role_label)), hide_index=True,
             width="stretch", key="users_table", column_config=ui.column_config(shown))

add, give, take = st.tabs([":material/person_add: " + _("Add a person"),
                           ":material/key: " + _("Grant a role"),
                           ":material/key_off: " + _("Revoke or disable")])
with add, st.form("users_add"):
    subject = st.text_input(_("Subject (the identity provider's 'sub')"), key="users_add_sub")
    email = st.text_input(_("E-mail"), key="users_add_email")
    name = st.text_input(_("Name"), key="users_add_name")
    if st.form_submit_button(_("Add"), key="users_add_go"):
        with ui.domain_errors():
            access.add_user(store, subject, email=email or None, name=name or None,
                            actor=ctx.who)
        st.toast(_("Added {subject}").format(subject=subject), icon=":material/check:")
        st.rerun()
known = sorted(users["subject"].unique())
with give, st.form("users_grant"):
    who = st.selectbox(_("Person"), known, key="users_grant_sub")
    role = st.selectbox(_("Role"), access.ROLES, key="users_grant_role", format_func=role_label)
    parks = st.multiselect(_("Parks (park authorities only; none = the whole programme)"),
                           park_ids(store, programme), key="users_grant_parks")
    if st.form_submit_button(_("Grant"), key="users_grant_go") and who:
        with ui.domain_errors():
            access.grant(store, who, role, programme=programme, available=[programme],
                         parks=parks, park_ids=lambda n: park_ids(store, n), actor=ctx.who)
        # Translators: {role} is the name of a role in lower case, e.g. "investor".
        st.toast(_("{who} is now {role}").format(who=who, role=role_label(role).lower()),
                 icon=":material/check:")
        st.rerun()
with take:
    holders = sorted(here["subject"].dropna().unique())
    c1, c2 = st.columns(2)
    who = c1.selectbox(_("Person"), holders, key="users_revoke_sub")
    if c1.button(_("Revoke their role here"), key="users_revoke_go", disabled=not holders):
        role_held = here.loc[here["subject"] == who, "role"].iloc[0]
        with ui.domain_errors():
            access.revoke(store, who, role_held, programme=programme, actor=ctx.who)
        st.rerun()
    elsewhere = users[(users["subject"] == who) & users["programme"].notna()
                      & (users["programme"] != programme)]
    if not elsewhere.empty:
        c2.caption(_("This person also holds roles in other programmes: only an operator can "
                     "disable them everywhere ({command}).")
                   .format(command="python -m geo users disable"))
    else:
        active = bool(users.loc[users["subject"] == who, "active"].any()) if who else False
        label = _("Disable (refused at their next click)") if active else _("Enable again")
        if c2.button(label, key="users_active_go", disabled=not holders):
            with ui.domain_errors():
                access.set_active(store, who, not active, actor=ctx.who)
            st.rerun()

st.subheader(_("Audit log"))
log = access.audit_log(store, limit=200)
st.dataframe(log[log["programme"].isna() | (log["programme"] == programme)],
             hide_index=True, width="stretch", key="users_audit",
             column_config=ui.column_config(log))
