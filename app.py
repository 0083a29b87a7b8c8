"""SymbioMap — the Streamlit frame: page config, sign-in, navigation, shared sidebar, logging.

Run with ``streamlit run app.py``. Pages live in ``pages/``; logic lives in ``geo/`` and
``layers/``; the ``ui`` package holds what the pages share (access, state, cached runs, maps).
"""

from __future__ import annotations

import logging
import time
from typing import Final

import streamlit as st

import ui
from geo.access import ROLE_LABELS, can_open, sees_companies
from geo.i18n import N_, _, format_number
from geo.settings import PROJECT_ROOT, ROLES, get_settings
from layers.basemap import install_static_assets
from ui.access import PREVIEW_ROLES
from ui.data import demo_ref_name

_started = time.perf_counter()
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
# One line per rerun: the page and the seconds the server spent running it (an access log for
# the administrator; benchmarks/server_sessions.py reads it). Silence it with the logger's
# level. (A comment, not a docstring: Streamlit draws a bare string of app.py on the page.)
RERUN_LOG: Final = logging.getLogger("symbiomap.rerun")

ui.leave_legacy_pages_mode()
ui.begin_run()  # the run's page contexts read the data versions and rules once
st.set_page_config(page_title="SymbioMap", page_icon="♻️", layout="wide")
if get_settings().server:
    st.set_option("client.showErrorDetails", "none")  # users never see tracebacks
install_static_assets(ui.STATIC_DIR)

# The *Viewing as* choices (codes of `ROLES`) as people read them.
VIEW_LABELS: Final = {"practitioner": N_("practitioner"), "viewer": N_("viewer")}

# (file, page, title, icon) per section; sections and titles marked, translated when shown.
PAGE_SPECS: dict[str, list[tuple[str, ui.Page, str, str]]] = {
    N_("Programme"): [
        ("pages/home.py", "overview", N_("Overview"), ":material/map:"),
        ("pages/site.py", "site", N_("Site"), ":material/factory:"),
        ("pages/browse.py", "browse", N_("Browse & export"), ":material/manage_search:"),
        ("pages/import_data.py", "import", N_("Import"), ":material/upload_file:"),
        ("pages/geocode.py", "locate", N_("Locate records"), ":material/pin_drop:"),
    ],
    N_("Analysis"): [
        ("pages/concentrations.py", "concentrations", N_("Concentrations"),
         ":material/local_fire_department:"),
        ("pages/site_finder.py", "site_finder", N_("Site finder"), ":material/domain:"),
        ("pages/milk_round.py", "milk_round", N_("Milk round"), ":material/local_shipping:"),
    ],
    N_("Synergies"): [
        ("pages/synergies.py", "synergies", N_("Synergies"), ":material/handshake:"),
        ("pages/workshop.py", "workshop", N_("Workshop"), ":material/groups:"),
        ("pages/reports.py", "reports", N_("Reports"), ":material/monitoring:"),
    ],
    N_("Help"): [
        ("pages/users.py", "users", N_("Users"), ":material/manage_accounts:"),
        ("pages/about.py", "about", N_("Data & licences"), ":material/info:"),
    ],
}

ctx = ui.page_context()  # signs the person in (server mode); no page of its own
with st.sidebar:
    st.markdown("### :material/recycling: SymbioMap")
    names = ui.programmes_for(ctx)
    if not names:
        ui.refuse(_("No programme"), _("There is no programme you hold a role in."))
    switch = st.session_state.pop(ui.Key.SWITCH_PROGRAMME, None)
    if switch is not None:  # the demo entry reads its stored copy
        switch = demo_ref_name(switch, demo=ctx.settings.demo)
    if switch in names:
        st.session_state[ui.Key.PROGRAMME_NAME] = switch  # a programme just created
    if st.session_state.get(ui.Key.PROGRAMME_NAME) not in names:
        st.session_state[ui.Key.PROGRAMME_NAME] = names[0]
    st.selectbox(_("Programme"), names, key=ui.Key.PROGRAMME_NAME,
                 format_func=lambda n: _("Karhula demo (illustrative)")
                 if n == ui.DEMO_PROGRAMME else n)
    ctx = ui.page_context()  # the programme picked above decides the role
    if ctx.user_role is not None and sees_companies(ctx.user_role):
        # Set every run, not only the first: Streamlit drops a keyed widget's value after a run
        # that did not draw it (an interrupted run), and the radio would then come back
        # showing its first option, practitioner, in the middle of a viewer preview.
        st.session_state[ui.Key.VIEWER_ROLE] = st.session_state.get(ui.Key.VIEWER_ROLE,
                                                                    ctx.settings.role)
        st.radio(_("Viewing as"), ROLES, key=ui.Key.VIEWER_ROLE, horizontal=True,
                 format_func=lambda r: _(VIEW_LABELS[r]),
                 help=_("Preview what viewers (park authorities, investors) see: only "
                        "aggregates over at least {k} producers, never single companies.")
                 .format(k=format_number(ctx.k)))
        ctx = ui.page_context()
    ui.road_network_panel(ctx.programme_ref, settings=ctx.settings,
                          may_replace=ctx.can_replace_network)
    ui.language_picker(ctx.locale, principal=ctx.principal,
                       database_url=ctx.settings.database_url)
    if ctx.settings.server:
        role = _(ROLE_LABELS[ctx.user_role]) if ctx.user_role else _("no role")
        st.caption(_("Signed in as {who} · {role}").format(who=ui.plain(ctx.who), role=role))
        ui.sign_out_button()
    # Translators: keep "© OpenStreetMap contributors" and "ODbL 1.0" exactly as they are.
    st.caption(_("Map data © OpenStreetMap contributors (ODbL 1.0)"))

role_now = ctx.user_role
previewing = ctx.role == "viewer" and role_now is not None and sees_companies(role_now)


def _visible(page: ui.Page) -> bool:
    """Whether the menu lists ``page`` for this person (pages check access themselves too)."""
    return role_now is not None and can_open(role_now, page) and (
        not previewing or any(can_open(r, page) for r in PREVIEW_ROLES))


# Pages a person may not open stay routable but hidden, so that a deep link shows the page's
# own refusal rather than another page.
pages = {
    _(section): [st.Page(path, title=_(title), icon=icon, default=path == "pages/home.py",
                         visibility="visible" if _visible(page) else "hidden")
                 for path, page, title, icon in specs if (PROJECT_ROOT / path).exists()]
    for section, specs in PAGE_SPECS.items()
}
page = st.navigation(pages)
try:
    page.run()
finally:  # also when the page stops early (st.stop, a refusal) or asks for a rerun
    RERUN_LOG.info("rerun page=%s seconds=%.3f", page.url_path or "overview",
                   time.perf_counter() - _started)
    ui.end_run()  # last: after st.stop, Streamlit refuses it (the next run starts afresh)
