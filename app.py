"""SymbioMap — the Streamlit frame: page config, sign-in, navigation, shared sidebar, logging.

Run with ``streamlit run app.py``. Pages live in ``pages/``; logic lives in ``geo/`` and
``layers/``; the ``ui`` package holds what the pages share (access, state, cached runs, maps).
"""

from __future__ import annotations

import logging

import streamlit as st

import ui
from geo.access import ROLE_LABELS, can_open, sees_companies
from geo.settings import OSM_ATTRIBUTION, PROJECT_ROOT, ROLES, get_settings
from layers.base import install_static_assets
from ui.access import PREVIEW_ROLES

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

ui.leave_legacy_pages_mode()
st.set_page_config(page_title="SymbioMap", page_icon="♻️", layout="wide")
if get_settings().server:
    st.set_option("client.showErrorDetails", "none")  # users never see tracebacks
install_static_assets(ui.STATIC_DIR)

# (file, page, title, icon) per section.
PAGE_SPECS: dict[str, list[tuple[str, ui.Page, str, str]]] = {
    "Programme": [
        ("pages/home.py", "overview", "Overview", ":material/map:"),
        ("pages/site.py", "site", "Site", ":material/factory:"),
        ("pages/browse.py", "browse", "Browse & export", ":material/manage_search:"),
        ("pages/import_data.py", "import", "Import", ":material/upload_file:"),
        ("pages/geocode.py", "locate", "Locate records", ":material/pin_drop:"),
    ],
    "Analysis": [
        ("pages/concentrations.py", "concentrations", "Concentrations",
         ":material/local_fire_department:"),
        ("pages/site_finder.py", "site_finder", "Site finder", ":material/domain:"),
        ("pages/milk_round.py", "milk_round", "Milk round", ":material/local_shipping:"),
    ],
    "Synergies": [
        ("pages/synergies.py", "synergies", "Synergies", ":material/handshake:"),
        ("pages/workshop.py", "workshop", "Workshop", ":material/groups:"),
        ("pages/reports.py", "reports", "Reports", ":material/monitoring:"),
    ],
    "Help": [
        ("pages/users.py", "users", "Users", ":material/manage_accounts:"),
        ("pages/about.py", "about", "Data & licences", ":material/info:"),
    ],
}

ctx = ui.page_context()  # signs the person in (server mode); no page of its own
with st.sidebar:
    st.markdown("### :material/recycling: SymbioMap")
    names = ui.programmes_for(ctx)
    if not names:
        ui.refuse("No programme", "There is no programme you hold a role in.")
    if st.session_state.get(ui.Key.PROGRAMME_NAME) not in names:
        st.session_state[ui.Key.PROGRAMME_NAME] = names[0]
    st.selectbox("Programme", names, key=ui.Key.PROGRAMME_NAME,
                 format_func=lambda n: "Karhula demo (illustrative)" if n == ui.DEMO_PROGRAMME
                 else n)
    ctx = ui.page_context()  # the programme picked above decides the role
    if ctx.user_role is not None and sees_companies(ctx.user_role):
        st.session_state.setdefault(ui.Key.VIEWER_ROLE, ctx.settings.role)
        st.radio("Viewing as", ROLES, key=ui.Key.VIEWER_ROLE, horizontal=True,
                 help="Preview what viewers (park authorities, investors) see: only "
                      f"aggregates over at least {ctx.k} producers, never single companies.")
        ctx = ui.page_context()
    ui.road_network_panel(ctx.programme_ref, settings=ctx.settings,
                          may_replace=ctx.can_replace_network)
    ui.language_picker(ctx.locale, principal=ctx.principal,
                       database_url=ctx.settings.database_url)
    if ctx.settings.server:
        role = ROLE_LABELS[ctx.user_role] if ctx.user_role else "no role"
        st.caption(f"Signed in as {ui.plain(ctx.who)} · {role}")
        ui.sign_out_button()
    st.caption(f"Map data {OSM_ATTRIBUTION}")

role_now = ctx.user_role
previewing = ctx.role == "viewer" and role_now is not None and sees_companies(role_now)


def _visible(page: ui.Page) -> bool:
    """Whether the menu lists ``page`` for this person (pages check access themselves too)."""
    return role_now is not None and can_open(role_now, page) and (
        not previewing or any(can_open(r, page) for r in PREVIEW_ROLES))


# Pages a person may not open stay routable but hidden, so that a deep link shows the page's
# own refusal rather than another page.
pages = {
    section: [st.Page(path, title=title, icon=icon, default=path == "pages/home.py",
                      visibility="visible" if _visible(page) else "hidden")
              for path, page, title, icon in specs if (PROJECT_ROOT / path).exists()]
    for section, specs in PAGE_SPECS.items()
}
st.navigation(pages).run()
